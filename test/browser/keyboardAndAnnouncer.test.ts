import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAs, createClassroom } from '../support/classroomFixtures.js';
import { openClassroomTab, openStage, type ClassroomStage, type Person } from '../support/classroomTab.js';
import { activate, focused, orderOf, tabTo, withoutRing, type Focused } from '../support/keyboard.js';

// A lesson taught and attended with the keyboard alone (no click, no pointer):
// the teacher starts it, lets a student in, mutes everyone, runs a poll and
// reads its result, opens breakout rooms and brings everyone back; the
// student raises a hand, writes in the chat and leaves. The order the focus
// takes, its visible ring and its return after Escape are asserted. Then the
// announcer: what a screen reader hears when others join, raise a hand, write.

let stage: ClassroomStage;

beforeAll(async () => (stage = await openStage()));
afterAll(() => stage?.close());

/** The order the keyboard meets the teacher's and a student's controls, from the skip links to the exit. */
const TEACHER_ORDER = [
  'skip-controls',
  'skip-chat',
  'toggle-mic',
  'toggle-camera',
  'toggle-chat',
  'toggle-participants',
  'toggle-teacher',
  'toggle-poll',
  'toggle-breakouts',
  'more',
  'leave',
  'end-lesson',
];
const STUDENT_ORDER = [
  'toggle-mic',
  'toggle-camera',
  'toggle-hand',
  'toggle-chat',
  'toggle-participants',
  'more',
  'leave',
];

const polite = (page: Page) => page.getByTestId('announcer-polite').textContent();
const assertive = (page: Page) => page.getByTestId('announcer-assertive').textContent();
const pressed = (page: Page, testId: string) => page.getByTestId(testId).getAttribute('aria-pressed');

describe('the classroom with the keyboard alone', () => {
  it(
    'teacher and student go through a lesson without a pointer, the focus seen and in order',
    { timeout: 360_000 },
    async () => {
      const classroom = await createClassroom(stage.aula, {
        title: 'Physik 8a',
        lobbyEnabled: true,
        seatCap: 30,
      });
      const open = (who: Person) => openClassroomTab({ ...stage, classroomId: classroom._id }, who);
      const stops: Focused[] = [];
      const go = async (page: Page, testId: string) => stops.push(...(await activate(page, testId)));

      // The teacher joins and starts the lesson.
      const teacher = await open({ id: 'kb-teacher', role: 'teacher', name: 'Frau Berg' });
      await teacher.getByTestId('join').waitFor();
      await go(teacher, 'join');
      await teacher.getByTestId('start-lesson').waitFor();
      await go(teacher, 'start-lesson');
      await teacher.getByTestId('control-bar').waitFor();

      // Ben switches his microphone on before joining, and waits to be let in.
      const ben = await open({ id: 'kb-ben', role: 'student', name: 'Ben Schulz' });
      await ben.getByTestId('join').waitFor();
      await go(ben, 'prejoin-mic');
      await expect.poll(() => pressed(ben, 'prejoin-mic')).toBe('true');
      await go(ben, 'join');
      await ben.getByTestId('lobby-wait').waitFor();

      // The teacher's controls in their order, from the skip links on; the teacher tools take the focus.
      await teacher.getByTestId('lobby-alert').waitFor();
      await teacher.keyboard.press('Escape');
      const teacherStops = await tabTo(teacher, 'end-lesson');
      expect(orderOf(teacherStops, TEACHER_ORDER)).toEqual(TEACHER_ORDER);
      stops.push(...teacherStops);
      await activate(teacher, 'toggle-teacher', { max: 12, back: true });
      expect(await teacher.evaluate('document.activeElement.hasAttribute("data-side-panel")')).toBe(true);
      await go(teacher, 'admit-Ben Schulz');
      await ben.getByTestId('control-bar').waitFor();
      await expect.poll(() => pressed(ben, 'toggle-mic')).toBe('true');

      // Everyone muted: Ben is told at once, assertively.
      await go(teacher, 'mute-all');
      await expect.poll(() => pressed(ben, 'toggle-mic')).toBe('false');
      await expect.poll(() => assertive(ben)).toBe('The teacher muted your microphone.');
      // Escape closes the panel and gives the focus back to its button.
      await teacher.keyboard.press('Escape');
      await expect.poll(async () => (await focused(teacher)).name).toBe('toggle-teacher');

      // A poll: written, answered by Ben, its result read and closed.
      await go(teacher, 'toggle-poll');
      await go(teacher, 'poll-question');
      await teacher.keyboard.type('What is 2 + 2?');
      stops.push(...(await tabTo(teacher, 'poll-option-text-0')));
      await teacher.keyboard.type('4');
      await teacher.keyboard.press('Tab');
      await teacher.keyboard.type('5');
      await go(teacher, 'poll-start');
      await ben.getByTestId('poll-card').waitFor();
      await expect.poll(() => polite(ben)).toContain('New poll: What is 2 + 2?');
      stops.push(...(await tabTo(ben, 'poll-option-0')));
      await ben.keyboard.press('Space');
      await go(ben, 'poll-send');
      await ben.getByTestId('poll-sent').waitFor();
      await expect.poll(() => teacher.getByTestId('poll-answered').textContent()).toContain('1 of 1');
      expect(await teacher.getByTestId('poll-count').first().textContent()).toMatch(/^1\b/);
      await go(teacher, 'poll-close');
      await expect.poll(() => polite(ben)).toContain('The poll has closed: What is 2 + 2?');
      await teacher.keyboard.press('Escape');
      await expect.poll(async () => (await focused(teacher)).name).toBe('toggle-poll');

      // Breakout rooms: opened, and everyone brought back after the countdown.
      await go(teacher, 'toggle-breakouts');
      await go(teacher, 'breakout-open');
      await ben.getByTestId('breakout-where').waitFor();
      await expect.poll(() => polite(ben)).toMatch(/You are now in group/);
      await go(teacher, 'breakout-close');
      await expect.poll(() => assertive(ben)).toMatch(/^Breakout rooms close in \d+ seconds/);
      await ben.getByTestId('breakout-where').waitFor({ state: 'detached', timeout: 60_000 });
      await teacher.keyboard.press('Escape');
      await expect.poll(async () => (await focused(teacher)).name).toBe('toggle-breakouts');

      // Ben raises his hand; the teacher hears it.
      await go(ben, 'toggle-hand');
      await expect.poll(() => pressed(ben, 'toggle-hand')).toBe('true');
      await expect.poll(() => polite(teacher)).toContain('Ben Schulz raised a hand.');

      // Tabbing on passes the end of the page and comes round to the skip links: no trap.
      const round = await tabTo(ben, 'skip-chat', { max: 60 });
      expect(orderOf(round, ['leave', 'skip-controls', 'skip-chat'])).toEqual([
        'leave',
        'skip-controls',
        'skip-chat',
      ]);
      stops.push(...round);
      await ben.keyboard.press('Enter');
      await expect.poll(async () => (await focused(ben)).name).toBe('chat-input');
      await ben.keyboard.type('Ich habe eine Frage');
      await ben.keyboard.press('Enter');
      await expect.poll(() => polite(teacher)).toContain('New message from Ben Schulz.');
      await ben.keyboard.press('Escape');
      await expect.poll(async () => (await focused(ben)).name).toBe('skip-chat');

      // Ben's controls in order; he leaves.
      const benStops = await tabTo(ben, 'leave');
      expect(orderOf(benStops, STUDENT_ORDER)).toEqual(STUDENT_ORDER);
      stops.push(...benStops);
      await ben.keyboard.press('Enter');
      await ben.getByTestId('left').waitFor();
      // The page says goodbye as it goes; said to the others once the server lets him go (a lost
      // connection keeps the place for the seat's grace time).
      await expect.poll(() => polite(teacher), { timeout: 60_000 }).toContain('Ben Schulz left.');

      // Every stop on the way showed where the focus was.
      expect(withoutRing(stops)).toEqual([]);
    },
  );
});

describe('the announcer', () => {
  it(
    'tells a screen reader who joined, raised a hand and wrote, gathered into one sentence each',
    { timeout: 120_000 },
    async () => {
      const classroom = await createClassroom(stage.aula, {
        title: 'Chemie 10c',
        lobbyEnabled: false,
        seatCap: 30,
      });
      const teacher = await connectAs(stage.aula, classroom._id, {
        id: 'an-teacher',
        role: 'teacher',
        name: 'Herr Kern',
      });
      stage.clients.push(teacher);
      await teacher.request('join');
      await teacher.request('lesson:start');

      const anna = await openClassroomTab(
        { ...stage, classroomId: classroom._id },
        { id: 'an-anna', role: 'student', name: 'Anna Weber' },
      );
      await anna.getByTestId('join').waitFor();
      await anna.keyboard.press('Tab');
      await activate(anna, 'join');
      await anna.getByTestId('control-bar').waitFor();

      // Three classmates come in at once: one sentence, counted.
      const names = ['Carl Kühn', 'Dana Roth', 'Emil Sommer'];
      const others = await Promise.all(
        names.map((name, index) =>
          connectAs(stage.aula, classroom._id, { id: `an-s${index}`, role: 'student', name }),
        ),
      );
      stage.clients.push(...others);
      await Promise.all(others.map((other) => other.request('join')));
      await expect.poll(() => polite(anna)).toBe('3 people joined.');

      // One raises a hand and writes straight after: one batch, each kind its own sentence.
      await others[0]!.request('hand:raise');
      await others[0]!.request('chat:send', { text: 'Darf ich etwas fragen?' });
      await expect.poll(() => polite(anna)).toBe('Carl Kühn raised a hand. New message from Carl Kühn.');

      // Anna switches join announcements off in the settings (keyboard only); a hand is still said, a join not.
      await activate(anna, 'more');
      await activate(anna, 'open-settings', { max: 10 });
      await activate(anna, 'announce-joined', { max: 30, key: 'Space' });
      await anna.keyboard.press('Escape');
      const late = await connectAs(stage.aula, classroom._id, {
        id: 'an-late',
        role: 'student',
        name: 'Fritz Lang',
      });
      stage.clients.push(late);
      await late.request('join');
      await others[1]!.request('hand:raise');
      await expect.poll(() => polite(anna)).toBe('Dana Roth raised a hand.');

      // Removed by the teacher: assertive, at once.
      const annaInfo = await teacher.next('participantJoined', (p) => p.displayName === 'Anna Weber');
      await teacher.request('mod:remove', { participantId: annaInfo.id });
      await expect.poll(() => assertive(anna)).toBe('You were removed from the lesson by the teacher.');
    },
  );
});
