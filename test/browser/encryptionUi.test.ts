import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchUsers, type ContextBrowser } from '../support/browser.js';
import { classroomPageAs, createClassroom } from '../support/classroomFixtures.js';
import type { ClassroomPage } from '../support/classroomPage.js';
import { securityCode, verification, WITHOUT_FRAME_TRANSFORMS } from '../support/e2eePage.js';
import { LessonPage } from '../support/lessonPage.js';
import { startTestAula, type TestAula } from '../support/testAula.js';

// What people do and see around end-to-end encryption on the classroom page
// (the built Vue client in Chromium): the teacher's switch, the security
// code's "codes match" button, and a browser that cannot encrypt frames.

let aula: TestAula;
let users: ContextBrowser;

beforeAll(async () => {
  aula = await startTestAula();
  users = await launchUsers();
});

afterAll(async () => {
  await users?.close();
  await aula?.stop();
});

async function open(
  classroomId: string,
  who: { id: string; role: 'teacher' | 'student' },
  options: { locale?: string; initScript?: string } = {},
): Promise<ClassroomPage> {
  const context = await users.newUser(options.locale);
  if (options.initScript) await context.addInitScript({ content: options.initScript });
  return classroomPageAs(context, aula, classroomId, who);
}

async function inLesson(page: ClassroomPage, who: string): Promise<void> {
  await eventually(
    async () => ((await page.isInLesson()) ? true : undefined),
    `${who} in the lesson`,
    30_000,
  );
}

/** The teacher joins and starts the lesson: the classroom's setting decides whether it is encrypted. */
async function startLesson(teacher: ClassroomPage, devices: { camera?: boolean } = {}): Promise<void> {
  await teacher.join(devices);
  await teacher.page.getByTestId('start-lesson').click();
  await inLesson(teacher, 'the teacher');
}

async function allCiphered(page: ClassroomPage): Promise<{ ends: number; ciphered: number }> {
  return new LessonPage(page.page, 'chromium', '').cipheredEnds();
}

describe('end-to-end encryption on the classroom page', () => {
  it('the teacher switches encryption on before the lesson, and the lesson is encrypted for everyone', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false, seatCap: 10 });
    const teacher = await open(classroom._id, { id: 'switch-teacher', role: 'teacher' });
    const toggle = teacher.page.getByTestId('e2ee-enabled');
    await toggle.waitFor();
    expect(await toggle.isChecked()).toBe(false);
    expect(await teacher.page.getByTestId('prejoin-e2ee').count()).toBe(0);
    expect(await teacher.page.getByTestId('e2ee-guests').count()).toBe(0);

    await toggle.click();
    await expect.poll(() => toggle.isChecked()).toBe(true);
    // The pre-join page says so at once, and the guests' choice appears.
    await teacher.page.getByTestId('prejoin-e2ee').waitFor();
    await teacher.page.getByTestId('e2ee-guests').waitFor();
    // Saved: a page opened now (a student's, in German) sees an encrypted lesson coming.
    const anna = await open(classroom._id, { id: 'switch-anna', role: 'student' }, { locale: 'de-DE' });
    await anna.page.getByTestId('prejoin-e2ee').waitFor();
    expect(await anna.page.getByTestId('prejoin-e2ee').textContent()).toContain(
      'Ende-zu-Ende-verschlüsselte',
    );
    expect(await anna.page.getByTestId('e2ee-setting').count()).toBe(0);

    await startLesson(teacher, { camera: true });
    await anna.join({ camera: true });
    await inLesson(anna, 'Anna');
    await anna.receivesMedia({ videoStreams: 1, audio: false, timeoutMs: 30_000 });
    await teacher.receivesMedia({ videoStreams: 1, audio: false, timeoutMs: 30_000 });
    for (const page of [teacher, anna]) {
      await page.page.getByTestId('e2ee-badge').waitFor();
      const ends = await allCiphered(page);
      expect(ends.ends).toBeGreaterThanOrEqual(2);
      expect(ends.ciphered).toBe(ends.ends);
    }
    expect(await anna.page.getByTestId('e2ee-badge').textContent()).toContain('Ende-zu-Ende-verschlüsselt');
    for (const page of [teacher, anna]) await page.page.context().close();
  });

  it('keeps the switch off for a classroom with more seats than encryption allows, and says why', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false, seatCap: 30 });
    const teacher = await open(classroom._id, { id: 'big-teacher', role: 'teacher' });
    await teacher.page.getByTestId('e2ee-too-many-seats').waitFor();
    expect(await teacher.page.getByTestId('e2ee-too-many-seats').textContent()).toContain('30 seats');
    expect(await teacher.page.getByTestId('e2ee-enabled').isDisabled()).toBe(true);
    await teacher.page.context().close();
  });

  it('marks the code verified only on the page of the person who said the codes match, until it changes', async () => {
    const classroom = await createClassroom(aula, {
      lobbyEnabled: false,
      seatCap: 10,
      endToEndEncryption: true,
    });
    const teacher = await open(classroom._id, { id: 'code-teacher', role: 'teacher' });
    await startLesson(teacher, { camera: true });
    const anna = await open(classroom._id, { id: 'code-anna', role: 'student' }, { locale: 'de-DE' });
    await anna.join({});
    await inLesson(anna, 'Anna');

    const code = await securityCode(teacher.page);
    expect(await securityCode(anna.page)).toBe(code);
    expect(await verification(teacher.page)).toBe('Not verified');
    expect(await verification(anna.page)).toBe('Nicht bestätigt');

    // Anna compared the code aloud and says it matches: her page says so, as a status.
    await anna.page.getByRole('button', { name: 'Die Codes stimmen überein' }).click();
    await expect.poll(() => verification(anna.page)).toBe('Von dir bestätigt');
    expect(await anna.page.getByTestId('e2ee-verification').getAttribute('role')).toBe('status');
    expect(await anna.page.getByTestId('e2ee-confirm').count()).toBe(0);
    // The teacher's page is not told "verified" by someone else's click: it still asks its own person.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await verification(teacher.page)).toBe('Not verified');
    expect(await teacher.page.getByTestId('e2ee-confirm').count()).toBe(1);

    // Ben joins: a new code, and Anna's confirmation of the old one no longer counts.
    const ben = await open(classroom._id, { id: 'code-ben', role: 'student' });
    await ben.join({});
    await inLesson(ben, 'Ben');
    await expect.poll(() => securityCode(anna.page)).not.toBe(code);
    expect(await verification(anna.page)).toBe('Nicht bestätigt');
    expect(await anna.page.getByTestId('e2ee-confirm').count()).toBe(1);
    for (const page of [teacher, anna, ben]) await page.page.context().close();
  });

  it('tells a browser that cannot encrypt frames before it joins, and keeps it from joining', async () => {
    const classroom = await createClassroom(aula, {
      lobbyEnabled: false,
      seatCap: 10,
      endToEndEncryption: true,
    });
    const teacher = await open(classroom._id, { id: 'old-teacher', role: 'teacher' });
    await startLesson(teacher, { camera: true });

    const old = { initScript: WITHOUT_FRAME_TRANSFORMS };
    const anna = await open(classroom._id, { id: 'old-anna', role: 'student' }, old);
    expect(
      await anna.page.evaluate(
        () => typeof (window as { RTCRtpScriptTransform?: unknown }).RTCRtpScriptTransform,
      ),
    ).toBe('undefined');
    await anna.page.getByTestId('e2ee-unsupported').waitFor();
    expect(await anna.page.getByTestId('e2ee-unsupported').getAttribute('role')).toBe('alert');
    expect(await anna.page.getByTestId('join').isDisabled()).toBe(true);
    await anna.page.context().close();
  });

  it('starts no media on a page that cannot encrypt when the lesson turned out encrypted after it loaded', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false, seatCap: 10 });
    const old = { initScript: WITHOUT_FRAME_TRANSFORMS };
    // Ben's page loaded while the classroom was not encrypted: it lets him join...
    const ben = await open(classroom._id, { id: 'stale-ben', role: 'student' }, old);
    await ben.page.getByTestId('join').waitFor();
    expect(await ben.page.getByTestId('e2ee-unsupported').count()).toBe(0);
    // ...and then the teacher switched encryption on and started.
    const teacher = await open(classroom._id, { id: 'stale-teacher', role: 'teacher' });
    await teacher.page.getByTestId('e2ee-enabled').click();
    await teacher.page.getByTestId('prejoin-e2ee').waitFor();
    await startLesson(teacher, { camera: true });

    await ben.join({ camera: true });
    await inLesson(ben, 'Ben');
    // His page says why, and makes no connection for media: nothing clear goes out, nothing comes in.
    await ben.page.getByTestId('notice').filter({ hasText: 'cannot encrypt' }).waitFor();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(
      await ben.page.evaluate(
        () => (window as { __peerConnections?: unknown[] }).__peerConnections?.length ?? 0,
      ),
    ).toBe(0);
    const room = await aula.services.rooms.peek(classroom._id);
    const benThere = room!.groups.main.members
      .inLesson()
      .find((each) => each.identity.displayName === 'stale-ben')!;
    expect(room!.groups.main.media.find(benThere)?.producers() ?? []).toEqual([]);
    for (const page of [teacher, ben]) await page.page.context().close();
  });
});
