import { flushPromises } from '@vue/test-utils';
import { getActivePinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import type { LobbyEntry } from '@protocol';
import NoticeList from '@/components/NoticeList.vue';
import OutcomePage from '@/components/OutcomePage.vue';
import TeacherPanel from '@/components/TeacherPanel.vue';
import LiveAnnouncer from '@/components/LiveAnnouncer.vue';
import WaitingPage from '@/components/WaitingPage.vue';
import en from '../../../client/src/locales/en.json';
import { useLessonStore } from '@/stores/lesson';
import { useMediaStore } from '@/stores/media';
import {
  connectedPage,
  freshPageEachTest,
  joinedResult,
  waitingResult,
  mountIn,
  participant,
  roomWith,
} from '../support/classroomPage';
import { server } from '../support/fakeServer';

vi.mock('socket.io-client', async () => (await import('../support/fakeServer')).socketModule);

const teacher = participant('p-teacher', 'Frau Berg', { role: 'teacher' });
const anna = participant('p-anna', 'Anna Weber');
const waiting = (id: string, displayName: string, position: number): LobbyEntry => ({
  id,
  displayName,
  role: 'student',
  waitingSince: Date.now(),
  position,
});

freshPageEachTest();

describe('waiting for a seat', () => {
  const lobby = (position: number, full: boolean) =>
    waitingResult(anna, { reason: 'waiting-room', position, full });

  it.each([
    ['en', 'The class is full. You will get in when a seat frees.', 'You are number 3 in line.'],
    [
      'de',
      'Die Klasse ist voll. Sie kommen herein, sobald ein Platz frei wird.',
      'Sie sind Nummer 3 in der Warteschlange.',
    ],
  ] as const)(
    'in %s: the waiting student reads their place, and that the class is full',
    async (locale, full, place) => {
      const pinia = await connectedPage({
        self: anna,
        room: roomWith([teacher]),
        join: lobby(3, true),
        locale,
      });
      const page = mountIn(pinia, WaitingPage);
      expect(page.get('[data-testid=lobby-status]').text()).toBe(full);
      expect(page.get('[data-testid=lobby-position]').text()).toBe(place);
      const regions = mountIn(pinia, LiveAnnouncer);

      // A seat freed elsewhere: the class is no longer full, and Anna is next; a screen reader hears it.
      server.emit('lobby:status', { reason: 'waiting-room', position: 1, full: false });
      await flushPromises();
      expect(page.get('[data-testid=lobby-status]').text()).not.toBe(full);
      expect(page.get('[data-testid=lobby-position]').text()).toContain('1');
      await vi.waitFor(
        () =>
          expect(regions.get('[data-testid=announcer-polite]').text()).toBe(
            `${page.get('[data-testid=lobby-status]').text()} ${page.get('[data-testid=lobby-position]').text()}`,
          ),
        { timeout: 5_000 },
      );
      page.unmount();
      regions.unmount();
    },
  );
});

describe('a guest let in from a running lesson', () => {
  it('reads that the teacher lets people in, never that the lesson has not started, until the room shows', async () => {
    const guest = participant('p-guest', 'Gast', { role: 'guest' });
    const pinia = await connectedPage({
      self: guest,
      room: roomWith([teacher]),
      join: waitingResult(guest, { reason: 'waiting-room', position: 1, full: false }),
    });
    const page = mountIn(pinia, WaitingPage);
    expect(page.get('[data-testid=lobby-status]').text()).toBe(en.lobby.waiting);
    // Admitted: the room's media takes a moment to start, and the waiting page stays meanwhile.
    let mediaStarted!: () => void;
    vi.mocked(useMediaStore().start).mockReturnValue(
      new Promise<void>((resolve) => (mediaStarted = resolve)),
    );
    server.emit('lobby:admitted', joinedResult({ self: guest, room: roomWith([teacher, guest]) }));
    await flushPromises();
    expect(useLessonStore().phase).toBe('lobby');
    expect(page.text()).not.toContain(en.lobby.notStarted);
    mediaStarted();
    await flushPromises();
    expect(useLessonStore().phase).toBe('joined');
    page.unmount();
  });
});

describe('the teacher and the seats', () => {
  async function teacherTools() {
    const pinia = await connectedPage({
      self: teacher,
      room: roomWith([teacher, anna], {
        lobby: [waiting('w1', 'Ben Schulz', 1), waiting('w2', 'Clara Neu', 2), waiting('w3', 'Dana Ost', 3)],
        seats: { cap: 2, taken: 1 },
      }),
      fetch: async () => new Response('{}', { status: 404 }),
    });
    return mountIn(pinia, TeacherPanel);
  }

  it('shows how many wait, in order, and how many seats are free; a full class stands out', async () => {
    const tools = await teacherTools();
    const lobby = tools.get('[data-testid=lobby]');
    expect(lobby.get('h3').text()).toContain('(3)');
    expect(lobby.get('[data-testid=seats]').text()).toBe('1 of 2 seats free');
    expect(lobby.findAll('li').map((row) => row.text())).toEqual([
      expect.stringContaining('1. Ben Schulz'),
      expect.stringContaining('2. Clara Neu'),
      expect.stringContaining('3. Dana Ost'),
    ]);

    server.emit('lobby:changed', {
      lobby: [waiting('w2', 'Clara Neu', 1), waiting('w3', 'Dana Ost', 2)],
      seats: { cap: 2, taken: 2 },
      autoAdmit: false,
    });
    await flushPromises();
    expect(lobby.get('[data-testid=seats]').text()).toBe(
      'All 2 seats are taken: the next in line comes in when a seat frees',
    );
    expect(lobby.get('[data-testid=seats]').classes()).toContain('full');
    tools.unmount();
  });

  it('admits everyone waiting now, says who still waits, and only the switch lets people in as seats free', async () => {
    const tools = await teacherTools();
    server.replies.set('lobby:admitAll', { admitted: 1, waiting: 2 });
    server.replies.set('lobby:autoAdmit', { ok: true });
    await tools.get('[data-testid=admit-all]').trigger('click');
    await flushPromises();
    expect(server.sent('lobby:admitAll')).toEqual([{}]);
    const notices = mountIn(getActivePinia()!, NoticeList);
    expect(notices.text()).toContain('1 let in. 2 still wait for a free seat.');
    notices.unmount();
    // Admitting everyone switched nothing on.
    const autoAdmit = tools.get<HTMLInputElement>('[data-testid=auto-admit]');
    expect(autoAdmit.element.checked).toBe(false);
    expect(server.sent('lobby:autoAdmit')).toEqual([]);

    await autoAdmit.setValue(true);
    await flushPromises();
    expect(server.sent('lobby:autoAdmit')).toEqual([{ enabled: true }]);
    expect(autoAdmit.element.checked).toBe(true);
    await autoAdmit.setValue(false);
    await flushPromises();
    expect(server.sent('lobby:autoAdmit')).toEqual([{ enabled: true }, { enabled: false }]);

    // Another teacher switched it on: the server's word shows.
    server.emit('lobby:changed', { lobby: [], seats: { cap: 2, taken: 2 }, autoAdmit: true });
    await flushPromises();
    expect(autoAdmit.element.checked).toBe(true);
    tools.unmount();
  });
});

describe('after the lesson', () => {
  it('an ended page offers to join again, which asks the server to join; teachers also reach past lessons', async () => {
    const pinia = await connectedPage({ self: teacher, room: roomWith([teacher]) });
    server.emit('lesson:ended', { reason: 'teacher' });
    await flushPromises();
    const page = mountIn(pinia, OutcomePage);
    expect(page.get('[data-testid=ended] h1').text()).toBe('The lesson has ended');
    await page.get('[data-testid=open-history]').trigger('click');
    expect(page.emitted('history')).toHaveLength(1);

    server.requests.length = 0;
    server.replies.set('join', waitingResult(teacher));
    await page.get('[data-testid=join-again]').trigger('click');
    await flushPromises();
    expect(server.sent('join')).toEqual([{}]);
    expect(useLessonStore().phase).toBe('lobby');
    page.unmount();
  });

  it('when the school switched Aula off, says so and offers no way back in', async () => {
    const pinia = await connectedPage({ self: anna, room: roomWith([teacher, anna]), locale: 'de' });
    server.emit('lesson:ended', { reason: 'admin' });
    await flushPromises();
    const page = mountIn(pinia, OutcomePage);
    expect(page.get('[data-testid=switchedOff] h1').text()).toBe('Aula ist für Ihre Schule ausgeschaltet');
    expect(page.get('[role=alert]').text()).toContain('Administration Ihrer Schule');
    expect(page.find('[data-testid=join-again]').exists()).toBe(false);
    page.unmount();
  });
});
