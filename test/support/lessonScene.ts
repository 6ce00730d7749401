import type { Browser, BrowserContext } from 'playwright-core';
import { ClassroomClient } from './classroomClient.js';
import { ClassroomPage } from './classroomPage.js';
import { waitFor } from './testAula.js';

/** Where a scene runs: an Aula (in this process or its own), a classroom in it, and tokens it accepts. */
export interface SceneHost {
  url: string;
  classroomId: string;
  token(who: { id: string; role: 'teacher' | 'student' }): Promise<string>;
}

export type ScenePages = Record<'teacher' | 'anna' | 'ben', ClassroomPage>;

/**
 * A lesson as the fault tests and the recovery benchmark play it, in the real
 * classroom pages: the teacher (camera on) starts it; Anna (camera) and Ben
 * (microphone) wait and are admitted; every page receives the others' media.
 * Anna's browser may be another one (inside a network namespace).
 */
export async function openScene(
  host: SceneHost,
  users: { newUser(): Promise<BrowserContext> },
  options: { annaBrowser?: Browser; annaUrl?: string } = {},
): Promise<ScenePages> {
  const page = async (
    context: BrowserContext,
    url: string,
    who: { id: string; role: 'teacher' | 'student' },
  ) =>
    ClassroomPage.open(context, url, {
      token: await host.token(who),
      expiresAt: Math.floor(Date.now() / 1000) + 600,
      classroomId: host.classroomId,
      role: who.role,
      name: who.id,
    });
  const teacher = await page(await users.newUser(), host.url, { id: 'teacher', role: 'teacher' });
  await teacher.join({ camera: true });
  await teacher.page.getByTestId('start-lesson').click();
  await waitFor(() => teacher.isInLesson(), { what: 'the teacher in the lesson', timeoutMs: 30_000 });

  const annaContext = options.annaBrowser
    ? await options.annaBrowser.newContext({ permissions: ['camera', 'microphone'] })
    : await users.newUser();
  const anna = await page(annaContext, options.annaUrl ?? host.url, { id: 'anna', role: 'student' });
  const ben = await page(await users.newUser(), host.url, { id: 'ben', role: 'student' });
  await anna.join({ camera: true });
  await ben.join({ mic: true });
  // A second teacher tab lets them in when they wait (the waiting room may be on).
  const admitter = await ClassroomClient.connect(
    host.url,
    await host.token({ id: 'teacher', role: 'teacher' }),
    { classroomId: host.classroomId },
  );
  await admitter.request('join');
  await waitFor(
    async () => {
      await admitter.request('lobby:admitAll');
      return (await anna.isInLesson()) && (await ben.isInLesson());
    },
    { what: 'the students in the lesson', timeoutMs: 30_000 },
  );
  await admitter.request('lobby:autoAdmit', { enabled: false });
  admitter.close();
  const pages = { teacher, anna, ben };
  await everyPageReceives(pages, 30_000);
  return pages;
}

/** The teacher and Anna send video, Ben sound: resolves when each page receives the others' anew. */
export async function everyPageReceives(pages: ScenePages, timeoutMs: number): Promise<void> {
  await Promise.all([
    pages.teacher.receivesMedia({ videoStreams: 1, audio: true, timeoutMs }),
    pages.anna.receivesMedia({ videoStreams: 1, audio: true, timeoutMs }),
    pages.ben.receivesMedia({ videoStreams: 2, audio: false, timeoutMs }),
  ]);
}

export async function closeScene(pages: ScenePages): Promise<void> {
  for (const page of Object.values(pages)) await page.page.context().close();
}
