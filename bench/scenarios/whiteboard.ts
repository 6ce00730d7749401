import { ClassroomClient } from '../../test/support/classroomClient.js';
import { DocumentClient } from '../../test/support/documentClient.js';
import { waitFor } from '../../test/support/testAula.js';
import { BenchChild } from '../BenchChild.js';
import { benchDatabase, percentile } from '../environment.js';
import type { Benchmark } from '../run.js';
import type { AulaHostCommand, AulaHostReply } from './aulaHost.js';
import { measureFirstSlide, SLIDE_PAGES, type FirstSlide } from './firstSlide.js';
import { LESSON, strokePoints, syntheticLessonBytes } from './whiteboardLesson.js';

const PAGES = 50;
const LATENCY_STROKES = 200;
const FANOUT_UPDATES = 1000;
const FANOUT_PAGES = ['b:2', 'b:3', 'b:4'];

/**
 * The whiteboard on the signalling connection, Aula in a process of its own
 * (aulaHost.ts) and the 50 socket clients in this one: one page draws, 49
 * others receive. Stroke latency is from sending an update to the moment
 * the last of the 49 has it; CPU is Aula's process's per 1,000 updates, each
 * fanned out to the 49 others. Then a teacher's page in Chromium uploads a
 * PDF of 100 pages and a student's page shows its first page. The board's
 * size after a synthetic lesson is computed here (whiteboardLesson.ts).
 */
export const whiteboard: Benchmark = {
  name: 'whiteboard',
  description: `a stroke on one page to ${PAGES - 1} others; Aula's CPU per 1,000 updates fanned out; a ${SLIDE_PAGES}-page PDF's first page in the browser; a 45-minute lesson's board size`,
  async run() {
    const db = await benchDatabase();
    const { child: aula, ready } = await BenchChild.start<AulaHostCommand, AulaHostReply>(
      'scenarios/aulaHost.ts',
      { label: 'Aula', env: { AULA_BENCH_MONGODB_URI: db.uri(`aula_bench_board_${Date.now()}`) } },
    );
    const clients: ClassroomClient[] = [];
    const latencies: number[] = [];
    let cpuMsPer1000 = Number.NaN;
    let firstSlide: FirstSlide | undefined;
    try {
      const classroom = await aula.await('classroom', { type: 'classroom', students: PAGES });
      const teacherClient = await ClassroomClient.connect(ready.url, classroom.teacher);
      clients.push(teacherClient);
      await teacherClient.request('join');
      const started = teacherClient.next('lesson:started');
      await teacherClient.request('lesson:start');
      await started;
      const teacher = new DocumentClient(teacherClient);
      await teacher.open();
      const receivers: DocumentClient[] = [];
      for (let i = 1; i < PAGES; i += 1) {
        const student = await ClassroomClient.connect(ready.url, classroom.students[i]!);
        clients.push(student);
        await student.request('join');
        const board = new DocumentClient(student);
        await board.open();
        receivers.push(board);
      }
      for (let i = 0; i < LATENCY_STROKES; i += 1) {
        const sentAt = performance.now();
        await teacher.draw('b:1', strokePoints(20, i));
        await waitFor(() => receivers.every((board) => board.shapes('b:1').length > i), {
          what: 'the stroke on every page',
          intervalMs: 2,
        });
        latencies.push(Math.max(...receivers.map((board) => board.arrivals.at(-1)!)) - sentAt);
        // A page sends at most twenty changes a second; the socket's rate limit is forty.
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, sentAt + 50 - performance.now())));
      }
      // Everyone draws at once: 50 pages, 20 updates each, every one fanned out to the 49 others.
      await teacherClient.request('board:drawing', { mode: 'everyone' });
      await waitFor(() => receivers.every((board) => board.access === 'write'), { what: 'the pen for all' });
      const everyone = [teacher, ...receivers];
      const drawn = (board: DocumentClient) =>
        FANOUT_PAGES.reduce((sum, page) => sum + board.doc.getArray(`page/${page}`).length, 0);
      const perPage = FANOUT_UPDATES / PAGES;
      const cpuBefore = (await aula.await('cpu', { type: 'cpu' })).micros;
      await Promise.all(
        everyone.map(async (board, page) => {
          for (let i = 0; i < perPage; i += 1)
            await board.draw(FANOUT_PAGES[page % FANOUT_PAGES.length], strokePoints(3, i));
        }),
      );
      // Changes close together reach a page merged: what counts is every stroke on every page.
      await waitFor(() => everyone.every((board) => drawn(board) === FANOUT_UPDATES), {
        what: 'every update on every page',
        timeoutMs: 120_000,
        intervalMs: 5,
      });
      const cpuAfter = (await aula.await('cpu', { type: 'cpu' })).micros;
      cpuMsPer1000 = ((cpuAfter - cpuBefore) / 1000) * (1000 / FANOUT_UPDATES);

      // The slides: the teacher's and the first student's pages in Chromium (the socket clients stay).
      firstSlide = await measureFirstSlide(ready.url, classroom.classroomId, {
        teacher: classroom.teacher,
        student: classroom.students[0]!,
      });
    } finally {
      for (const client of clients) client.close();
      await aula.stop({ type: 'stop' });
      await db.stop();
    }
    const lessonBytes = syntheticLessonBytes();
    const results = {
      pages: PAGES,
      strokeLatencyP50Ms: percentile(latencies, 50),
      strokeLatencyP95Ms: percentile(latencies, 95),
      strokeLatencyMaxMs: Math.round(Math.max(...latencies)),
      aulaCpuMsPer1000UpdatesTo50: Math.round(cpuMsPer1000),
      syntheticLesson: {
        ...LESSON,
        bytes: lessonBytes,
        megabytes: Math.round(lessonBytes / 10_485.76) / 100,
      },
      firstSlide: { pages: SLIDE_PAGES, ...firstSlide },
    };
    return {
      settings: {
        pages: PAGES,
        latencyStrokes: LATENCY_STROKES,
        fanOutUpdates: FANOUT_UPDATES,
        slidePages: SLIDE_PAGES,
        aula: 'own process (aulaHost.ts); socket clients and Chromium elsewhere',
      },
      results,
      summary:
        `stroke to ${PAGES - 1} pages p95 ${results.strokeLatencyP95Ms} ms (goal ≤ 100), ` +
        `Aula CPU per 1,000 updates to 50 ${results.aulaCpuMsPer1000UpdatesTo50} ms (goal ≤ 50), ` +
        `45-minute lesson ${results.syntheticLesson.megabytes} MB (goal ≤ 2), ` +
        `${SLIDE_PAGES}-page PDF: first page at a student ${firstSlide?.studentAfterUploadMs} ms after the upload, ` +
        `${firstSlide?.studentFromFileChosenMs} ms from choosing the file (goal ≤ 2000)`,
    };
  },
};
