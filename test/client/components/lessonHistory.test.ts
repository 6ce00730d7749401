import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { NotesSnapshotView } from '@protocol';
import type { AttendanceRow, LessonRow, PollRow } from '@/api/classroomApi';
import LessonHistory from '@/components/LessonHistory.vue';
import { connectedPage, freshPageEachTest, mountIn, participant, roomWith } from '../support/classroomPage';

vi.mock('socket.io-client', async () => (await import('../support/fakeServer')).socketModule);

const teacher = participant('p-teacher', 'Frau Berg', { role: 'teacher' });

const lessons: LessonRow[] = [
  {
    id: 'lesson-2',
    status: 'live',
    startedAt: '2026-11-30T09:00:00.000Z',
    endedAt: null,
    durationMinutes: 12,
    attendees: 3,
  },
  {
    id: 'lesson-1',
    status: 'ended',
    startedAt: '2026-11-23T09:00:00.000Z',
    endedAt: '2026-11-23T09:45:00.000Z',
    durationMinutes: 45,
    attendees: 2,
  },
];
const attendance: AttendanceRow[] = [
  { userKey: 'u1', displayName: 'Anna Weber', role: 'student', status: 'present', minutes: 45, joins: 1 },
  { userKey: 'u2', displayName: 'Ben Schulz', role: 'student', status: 'late', minutes: 30, joins: 2 },
  { userKey: 'u3', displayName: 'Clara Neu', role: 'expected', status: 'absent', minutes: 0, joins: 0 },
];
const polls: PollRow[] = [
  {
    id: 'poll-1',
    question: 'Shall we take a break?',
    kind: 'yesNo',
    options: ['yes', 'no', 'abstain'],
    anonymous: true,
    startedAt: '2026-11-23T09:20:00.000Z',
    closedAt: '2026-11-23T09:22:00.000Z',
    answered: 2,
    counts: [1, 0, 1],
  },
];

const snapshot = (id: string, lessonId: string, name: string | null): NotesSnapshotView => ({
  id,
  name,
  reason: name ? 'manual' : 'lesson-end',
  lessonId,
  takenAt: '2026-11-23T09:45:00.000Z',
  pages: 1,
  contributors: ['Frau Berg'],
});
const snapshots = [
  snapshot('snap-other', 'lesson-2', 'Heute'),
  snapshot('snap-end', 'lesson-1', null),
  snapshot('snap-break', 'lesson-1', 'Vor der Pause'),
];
const NOTES_TYPES = { md: 'text/markdown', html: 'text/html', pdf: 'application/pdf' };

/** The classroom API as the server answers it, recording what was asked. */
function classroomApi(asked: string[]): typeof fetch {
  return async (input) => {
    const url = String(input);
    asked.push(url);
    const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200 });
    if (url.endsWith('/lessons')) return json({ lessons });
    if (url.includes('/attendance.csv')) return new Response('name\n', { status: 200 });
    if (url.includes('/attendance?')) return json({ lesson: {}, entries: attendance });
    if (url.endsWith('/polls.csv')) return new Response('question\n', { status: 200 });
    if (url.endsWith('/polls')) return json({ polls });
    if (url.endsWith('/notes/snapshots')) return json({ snapshots });
    const notes = /\/notes\/snapshots\/([\w-]+)\/export\.(md|html|pdf)$/.exec(url);
    if (notes)
      return new Response(`${notes[1]}`, {
        status: 200,
        headers: {
          'Content-Type': NOTES_TYPES[notes[2] as keyof typeof NOTES_TYPES],
          'Content-Disposition': `attachment; filename="notes-${notes[1]}.${notes[2]}"`,
        },
      });
    return new Response(JSON.stringify({ error: { status: 404, code: 'NOT_FOUND', message: '' } }), {
      status: 404,
    });
  };
}

freshPageEachTest();

describe('the lesson history', () => {
  it('lists the lessons, and for one its attendance and polls, each with its CSV', async () => {
    const asked: string[] = [];
    const pinia = await connectedPage({
      self: teacher,
      room: roomWith([teacher]),
      fetch: classroomApi(asked),
      locale: 'de',
    });
    const saved: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    const history = mountIn(pinia, LessonHistory);
    await flushPromises();

    const rows = document.querySelectorAll('[data-testid=history-lesson]');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.textContent).toContain('läuft');
    expect(rows[1]!.textContent).toContain('23.11.2026');
    expect(rows[1]!.textContent).toContain('45 Min.');
    expect([...rows[1]!.querySelectorAll('td')].map((cell) => cell.textContent?.trim())[3]).toBe('2');

    (rows[1]!.querySelector('[data-testid=history-show]') as HTMLButtonElement).click();
    await flushPromises();
    expect(asked).toContain('/api/classrooms/c1/attendance?lesson=lesson-1');
    expect(asked).toContain('/api/classrooms/c1/lessons/lesson-1/polls');
    const people = document.querySelector('[data-testid=history-attendance] tbody')!;
    expect([...people.querySelectorAll('tr')].map((row) => row.textContent)).toEqual([
      expect.stringContaining('Anna Weber'),
      expect.stringContaining('Verspätet'),
      expect.stringContaining('Abwesend'),
    ]);
    const poll = document.querySelector('[data-testid=history-poll]')!;
    expect(poll.textContent).toContain('Shall we take a break?');
    // German writes a (narrow) space before the percent sign.
    const counts = [...poll.querySelectorAll('[data-testid=poll-count]')];
    expect(counts.map((count) => count.textContent!.replace(/\s/g, ' '))).toEqual([
      '1 (50 %)',
      '0 (0 %)',
      '1 (50 %)',
    ]);
    expect(poll.textContent).toContain('Enthaltung');

    (document.querySelector('[data-testid=history-attendance-csv]') as HTMLButtonElement).click();
    await flushPromises();
    (document.querySelector('[data-testid=history-polls-csv]') as HTMLButtonElement).click();
    await flushPromises();
    expect(asked).toContain('/api/classrooms/c1/attendance.csv?lesson=lesson-1');
    expect(asked).toContain('/api/classrooms/c1/lessons/lesson-1/polls.csv');
    expect(saved).toEqual(['attendance.csv', 'polls.csv']);

    (document.querySelector('[data-testid=history-back]') as HTMLButtonElement).click();
    await flushPromises();
    expect(document.querySelectorAll('[data-testid=history-lesson]')).toHaveLength(2);
    history.unmount();
  });

  it("offers a lesson's notes snapshots as Markdown, HTML and PDF, and only that lesson's", async () => {
    const asked: string[] = [];
    const pinia = await connectedPage({
      self: teacher,
      room: roomWith([teacher]),
      fetch: classroomApi(asked),
      locale: 'en',
    });
    const saved: Array<{ name: string; type: string }> = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      saved.push({ name: '', type: (blob as Blob).type });
      return 'blob:notes';
    });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved[saved.length - 1]!.name = this.download;
    });
    const history = mountIn(pinia, LessonHistory);
    await flushPromises();
    (document.querySelectorAll('[data-testid=history-show]')[1] as HTMLButtonElement).click();
    await flushPromises();

    const rows = [...document.querySelectorAll('[data-testid=history-notes-snapshot]')];
    expect(rows.map((row) => row.querySelector('span')!.textContent)).toEqual([
      expect.stringContaining('End of lesson'),
      expect.stringContaining('Vor der Pause'),
    ]);
    for (const format of ['md', 'html', 'pdf'])
      (rows[1]!.querySelector(`[data-testid=history-notes-${format}]`) as HTMLButtonElement).click();
    await flushPromises();
    expect(asked.filter((url) => url.includes('/export.'))).toEqual([
      '/api/classrooms/c1/notes/snapshots/snap-break/export.md',
      '/api/classrooms/c1/notes/snapshots/snap-break/export.html',
      '/api/classrooms/c1/notes/snapshots/snap-break/export.pdf',
    ]);
    expect(saved).toEqual([
      { name: 'notes-snap-break.md', type: 'text/markdown' },
      { name: 'notes-snap-break.html', type: 'text/html' },
      { name: 'notes-snap-break.pdf', type: 'application/pdf' },
    ]);
    history.unmount();
  });

  it('says so when the classroom has had no lesson, and shows a refusal in the page language', async () => {
    const pinia = await connectedPage({
      self: teacher,
      room: roomWith([teacher]),
      fetch: async (input) =>
        String(input).endsWith('/lessons')
          ? new Response(JSON.stringify({ lessons: [] }), { status: 200 })
          : new Response('{}', { status: 404 }),
    });
    const empty = mountIn(pinia, LessonHistory);
    await flushPromises();
    expect(document.body.textContent).toContain('No lesson has taken place in this classroom yet.');
    empty.unmount();

    vi.stubGlobal(
      'fetch',
      async () =>
        new Response(
          JSON.stringify({ error: { status: 403, code: 'TEACHERS_ONLY', message: 'Teachers only' } }),
          {
            status: 403,
          },
        ),
    );
    const refused = mountIn(pinia, LessonHistory);
    await flushPromises();
    expect(document.querySelector('[role=alert]')?.textContent).toBe('Only teachers can do this.');
    refused.unmount();
  });
});
