import { BenchChild } from '../BenchChild.js';
import { launchUsers } from '../../test/support/browser.js';
import { createClassroom, liveLesson, tokenFor } from '../../test/support/classroomFixtures.js';
import type { ClassroomClient } from '../../test/support/classroomClient.js';
import { ClassroomPage } from '../../test/support/classroomPage.js';
import { startTestAula, type TestAula } from '../../test/support/testAula.js';
import { benchDatabase, percentile, round } from '../environment.js';
import type { Benchmark } from '../run.js';
import type { NotesClientsCommand, NotesClientsReply } from './notesClients.js';
import { syntheticLessonNotes, SYNTHETIC_LESSON } from './syntheticNotes.js';

const CLIENTS = 50;
const KEYSTROKES = 300;
/** A fast typist's pace; the page sends each keystroke as it happens. */
const KEYSTROKE_EVERY_MS = 60;
const LESSONS = 20;
const OPENINGS = 7;

/**
 * The shared notes: one client types into the class's notes key by key
 * while 49 others read (all 50 in a child process, Aula alone in this one);
 * a keystroke's latency is from sending it to the moment the last of the 49
 * has it. Then a classroom whose notes hold 20 lessons' pages, each written
 * the way a class writes (three writers, keystroke by keystroke, typos
 * deleted), opened in Chromium by a student: from the click on *Notes* to
 * the newest page's text in the editor (editor code, state, document sync,
 * rendering; a fresh browser context each time, so nothing is cached), and
 * from choosing the oldest page to its text.
 */
export const notes: Benchmark = {
  name: 'notes',
  description: `a keystroke in the notes to ${CLIENTS - 1} others; notes of ${LESSONS} lessons opened in Chromium`,
  async run() {
    const db = await benchDatabase();
    const aula = await startTestAula({ MONGODB_URI: db.uri(`aula_bench_notes_${Date.now()}`) });
    const clients: ClassroomClient[] = [];
    let latencies: number[] = [];
    let opening: { openMs: number[]; oldestPageMs: number[]; documentBytes: number; characters: number };
    try {
      latencies = await keystrokeLatencies(aula);
      opening = await openingTimes(aula, clients);
    } finally {
      for (const client of clients) client.close();
      await aula.stop();
      await db.stop();
    }
    const results = {
      clients: CLIENTS,
      keystrokeLatencyP50Ms: percentile(latencies, 50),
      keystrokeLatencyP95Ms: percentile(latencies, 95),
      keystrokeLatencyMaxMs: round(Math.max(...latencies)),
      twentyLessons: {
        ...SYNTHETIC_LESSON,
        lessons: LESSONS,
        characters: opening.characters,
        documentBytes: opening.documentBytes,
        openP50Ms: percentile(opening.openMs, 50),
        openMaxMs: round(Math.max(...opening.openMs)),
        openSamplesMs: opening.openMs.map((ms) => round(ms)),
        oldestPageP50Ms: percentile(opening.oldestPageMs, 50),
        oldestPageMaxMs: round(Math.max(...opening.oldestPageMs)),
      },
    };
    return {
      settings: {
        clients: CLIENTS,
        keystrokes: KEYSTROKES,
        keystrokeEveryMs: KEYSTROKE_EVERY_MS,
        openings: OPENINGS,
      },
      results,
      summary:
        `keystroke to ${CLIENTS - 1} clients p95 ${results.keystrokeLatencyP95Ms} ms (goal ≤ 100), ` +
        `notes of ${LESSONS} lessons open in Chromium max ${results.twentyLessons.openMaxMs} ms, ` +
        `p50 ${results.twentyLessons.openP50Ms} ms (goal ≤ 1000)`,
    };
  },
};

/** The writer and 49 readers in the child; this process serves them. */
async function keystrokeLatencies(aula: TestAula): Promise<number[]> {
  const classroom = await createClassroom(aula, { seatCap: CLIENTS, lobbyEnabled: false });
  const readers: string[] = [];
  for (let i = 1; i < CLIENTS; i += 1)
    readers.push(await tokenFor(aula, classroom._id, { id: `s${i}`, role: 'student' }));
  const writer = await tokenFor(aula, classroom._id, { id: 'writer', role: 'teacher' });
  const { child } = await BenchChild.start<NotesClientsCommand, NotesClientsReply>(
    'scenarios/notesClients.ts',
    { label: 'notes clients' },
  );
  try {
    const { pageId } = await child.await('connected', { type: 'connect', url: aula.url, writer, readers });
    const typed = await child.await('typed', {
      type: 'type',
      pageId,
      keystrokes: KEYSTROKES,
      everyMs: KEYSTROKE_EVERY_MS,
    });
    return typed.latenciesMs;
  } finally {
    await child.stop({ type: 'stop' });
  }
}

/** A classroom with 20 lessons' notes, opened by a student in Chromium, each time in a fresh context. */
async function openingTimes(aula: TestAula, clients: ClassroomClient[]) {
  const lesson = await liveLesson(aula, { seatCap: 10, lobbyEnabled: false });
  clients.push(lesson.teacher);
  const classroomId = lesson.classroom._id;
  const built = await syntheticLessonNotes(aula, classroomId, lesson.teacher, LESSONS);
  clients.push(...built.connections);
  const users = await launchUsers();
  const openMs: number[] = [];
  const oldestPageMs: number[] = [];
  try {
    for (let i = 0; i < OPENINGS; i += 1) {
      const name = `Leser ${i}`;
      const page = await ClassroomPage.open(await users.newUser(), aula.url, {
        token: await tokenFor(aula, classroomId, { id: `reader${i}`, role: 'student', name }),
        expiresAt: Math.floor(Date.now() / 1000) + 3600,
        classroomId,
        role: 'student',
        name,
      });
      await page.join();
      await page.page.getByTestId('control-bar').waitFor({ timeout: 30_000 });
      openMs.push(
        (await page.page.evaluate(
          timeUntilText({ click: '[data-testid=notes-open]', text: built.newestText }),
        )) as number,
      );
      oldestPageMs.push(
        (await page.page.evaluate(
          timeUntilText({ select: built.oldestPageId, text: built.oldestText }),
        )) as number,
      );
      await page.page.context().close();
    }
  } finally {
    await users.close();
  }
  return { openMs, oldestPageMs, documentBytes: built.documentBytes, characters: built.characters };
}

/**
 * In the page (as text: this project has no DOM types): clicks, or chooses a
 * page in the notes' list, and resolves with the milliseconds until the
 * editor shows the text, checked every frame.
 */
function timeUntilText(args: { click?: string; select?: string; text: string }): string {
  return `new Promise((resolve, reject) => {
    const args = ${JSON.stringify(args)};
    const started = performance.now();
    const shown = () => {
      const editor = document.querySelector('[data-testid=notes-text]');
      return !!editor && (editor.textContent ?? '').includes(args.text);
    };
    const timer = setTimeout(() => reject(new Error('the notes did not show the text within 30 s')), 30000);
    const check = () => {
      if (!shown()) return requestAnimationFrame(check);
      clearTimeout(timer);
      resolve(performance.now() - started);
    };
    if (args.click) document.querySelector(args.click).click();
    if (args.select) {
      const list = document.querySelector('[data-testid=notes-page]');
      list.value = args.select;
      list.dispatchEvent(new Event('change', { bubbles: true }));
    }
    check();
  })`;
}
