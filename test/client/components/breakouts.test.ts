import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BreakoutState } from '@protocol';
import BreakoutPanel from '@/components/BreakoutPanel.vue';
import BreakoutStrip from '@/components/BreakoutStrip.vue';
import LiveAnnouncer from '@/components/LiveAnnouncer.vue';
import ControlBar from '@/components/ControlBar.vue';
import NoticeList from '@/components/NoticeList.vue';
import { connectedPage, freshPageEachTest, mountIn, participant, roomWith } from '../support/classroomPage';
import { server } from '../support/fakeServer';

vi.mock('socket.io-client', async () => (await import('../support/fakeServer')).socketModule);

const teacher = participant('p-teacher', 'Frau Berg', { role: 'teacher' });
const anna = participant('p-anna', 'Anna Weber');
const ben = participant('p-ben', 'Ben Schulz');
const clara = participant('p-clara', 'Clara Neu');

function state(extra: Partial<BreakoutState> = {}): BreakoutState {
  return {
    open: true,
    assignment: 'manual',
    endsAt: null,
    closingAt: null,
    groups: [
      { id: 'g-red', name: 'Rot', members: [{ id: 'p-anna', displayName: 'Anna Weber', role: 'student' }] },
      { id: 'g-blue', name: 'Blau', members: [{ id: 'p-ben', displayName: 'Ben Schulz', role: 'student' }] },
    ],
    myGroup: null,
    ...extra,
  };
}

const ok = { ok: true };

freshPageEachTest();
beforeEach(() => {
  for (const name of [
    'breakout:open',
    'breakout:assign',
    'breakout:visit',
    'breakout:message',
    'breakout:close',
    'breakout:help',
    'breakout:choose',
  ])
    server.replies.set(name, ok);
});

describe('a teacher opens breakout rooms', () => {
  it('by hand, with names and a time limit: who goes where is sent with the groups', async () => {
    const pinia = await connectedPage({ self: teacher, room: roomWith([teacher, anna, ben, clara]) });
    const panel = mountIn(pinia, BreakoutPanel);
    await panel.get('[data-testid=breakout-count]').setValue('3');
    await panel.get('[data-testid=breakout-assignment-manual]').setValue(true);
    await panel.get('[data-testid=breakout-name-0]').setValue('Rot');
    await panel.get('[data-testid=breakout-name-2]').setValue('Grün');
    await panel.get('[data-testid="breakout-pick-Anna Weber"]').setValue('2');
    await panel.get('[data-testid="breakout-pick-Ben Schulz"]').setValue('0');
    await panel.get('[data-testid=breakout-duration]').setValue('15');
    expect(panel.get('[data-testid=breakout-open]').text()).toBe('Open 3 breakout rooms');
    await panel.get('form').trigger('submit');
    await flushPromises();
    expect(server.sent('breakout:open')).toEqual([
      {
        groups: 3,
        assignment: 'manual',
        names: ['Rot', '2', 'Grün'],
        manual: { 'p-anna': 2, 'p-ben': 0 },
        durationMinutes: 15,
      },
    ]);
    panel.unmount();
  });

  it('automatically: no names, no assignment by hand, no time limit unless chosen', async () => {
    const pinia = await connectedPage({ self: teacher, room: roomWith([teacher, anna, ben]) });
    const panel = mountIn(pinia, BreakoutPanel);
    expect(panel.find('[data-testid=breakout-manual]').exists()).toBe(false);
    await panel.get('[data-testid=breakout-count]').setValue('40');
    await panel.get('form').trigger('submit');
    await flushPromises();
    expect(server.sent('breakout:open')).toEqual([{ groups: 12, assignment: 'auto' }]);
    panel.unmount();
  });
});

describe('while breakout rooms are open, the teacher', () => {
  it('sees the groups, moves someone, visits a group and comes back, messages every room, and brings everyone back', async () => {
    const pinia = await connectedPage({ self: teacher, room: roomWith([teacher, clara]) });
    const panel = mountIn(pinia, BreakoutPanel);
    server.emit('breakout:state', state());
    await flushPromises();
    expect(panel.find('[data-testid=breakout-form]').exists()).toBe(false);
    expect(panel.get('[data-testid=breakout-group-0] h3').text()).toBe('Group Rot (1)');
    expect(panel.get('[data-testid=breakout-group-1]').text()).toContain('Ben Schulz');
    expect(panel.get('[data-testid=breakout-main-room]').text()).toContain('Clara Neu');

    await panel.get('[data-testid="breakout-move-Clara Neu"]').setValue('g-blue');
    await panel.get('[data-testid="breakout-move-Anna Weber"]').setValue('');
    await panel.get('[data-testid=breakout-visit-1]').trigger('click');
    await flushPromises();
    expect(server.sent('breakout:assign')).toEqual([
      { participantId: 'p-clara', groupId: 'g-blue' },
      { participantId: 'p-anna', groupId: null },
    ]);
    expect(server.sent('breakout:visit')).toEqual([{ groupId: 'g-blue' }]);

    // In the group now: the way back is offered.
    server.emit('breakout:state', state({ myGroup: 'g-blue' }));
    await flushPromises();
    expect(panel.get('[data-testid=breakout-group-1]').text()).toContain('You are here');
    await panel.get('[data-testid=breakout-return]').trigger('click');
    await flushPromises();
    expect(server.sent('breakout:visit')).toEqual([{ groupId: 'g-blue' }, { groupId: null }]);

    await panel.get('[data-testid=breakout-message]').setValue('Two minutes left');
    await panel.get('[data-testid=breakout-send]').trigger('click');
    await flushPromises();
    expect(server.sent('breakout:message')).toEqual([{ text: 'Two minutes left' }]);
    expect((panel.get('[data-testid=breakout-message]').element as HTMLInputElement).value).toBe('');

    await panel.get('[data-testid=breakout-close]').trigger('click');
    await flushPromises();
    expect(server.sent('breakout:close')).toEqual([{ countdownSeconds: 30 }]);
    server.emit('breakout:state', state({ closingAt: Date.now() + 30_000 }));
    await flushPromises();
    expect(panel.get('[data-testid=breakout-closing-note]').text()).toBe(
      'Everyone returns to the main room in 30 s',
    );
    expect(panel.get<HTMLButtonElement>('[data-testid=breakout-close]').element.disabled).toBe(true);

    // Everyone is back: the panel offers new groups again.
    server.emit('breakout:state', { ...state(), open: false, groups: [] });
    await flushPromises();
    expect(panel.find('[data-testid=breakout-form]').exists()).toBe(true);
    panel.unmount();
  });

  it('hears help requests wherever they are: a notice, a count on the Groups control, and a visit from the list', async () => {
    const pinia = await connectedPage({ self: teacher, room: roomWith([teacher]) });
    const bar = mountIn(pinia, ControlBar, {
      props: { screenSupported: false, chatOpen: false, participantsOpen: false, teacherOpen: false },
    });
    const notices = mountIn(pinia, NoticeList);
    server.emit('breakout:state', state());
    server.emit('breakout:help', { groupId: 'g-blue', groupName: 'Blau', name: 'Ben Schulz' });
    server.emit('breakout:help', { groupId: 'g-blue', groupName: 'Blau', name: 'Ben Schulz' });
    await flushPromises();
    expect(notices.text()).toContain('Ben Schulz asks for help in group Blau');
    expect(bar.get('[data-testid=toggle-breakouts] [data-testid=control-count]').text()).toMatch(
      /^1\s*asking for help$/,
    );

    const panel = mountIn(pinia, BreakoutPanel);
    const requests = panel.get('[data-testid=breakout-help-requests]');
    expect(requests.findAll('li')).toHaveLength(1);
    await requests.get('button.primary').trigger('click');
    await flushPromises();
    expect(server.sent('breakout:visit')).toEqual([{ groupId: 'g-blue' }]);
    expect(panel.find('[data-testid=breakout-help-requests]').exists()).toBe(false);
    expect(bar.find('[data-testid=toggle-breakouts] [data-testid=control-count]').exists()).toBe(false);
    for (const wrapper of [panel, notices, bar]) wrapper.unmount();
  });
});

describe('a student in breakout rooms', () => {
  it('sees the group, asks for help, reads the teacher’s message and the countdown back', async () => {
    const pinia = await connectedPage({ self: anna, room: roomWith([anna]) });
    const strip = mountIn(pinia, BreakoutStrip);
    const announcer = mountIn(pinia, LiveAnnouncer);
    expect(strip.find('[data-testid=breakout-strip]').exists()).toBe(false);
    server.emit('breakout:state', state({ myGroup: 'g-red', endsAt: Date.now() + 5 * 60_000 }));
    await flushPromises();
    expect(strip.get('[data-testid=breakout-where]').text()).toContain('You are in group Rot');
    expect(strip.get('[role=timer]').text()).toMatch(/^[45]:\d\d$/);

    await strip.get('[data-testid=breakout-help]').trigger('click');
    await flushPromises();
    expect(server.sent('breakout:help')).toEqual([{}]);

    server.emit('breakout:message', { text: 'Two minutes left', from: 'Frau Berg' });
    await flushPromises();
    const message = strip.get('[data-testid=breakout-message-shown]');
    expect(message.text()).toContain('Frau Berg: Two minutes left');
    // Screen readers hear it from the page's one polite region, after the help request's notice.
    await vi.waitFor(
      () =>
        expect(announcer.get('[data-testid=announcer-polite]').text()).toContain(
          'Message from Frau Berg to all groups: Two minutes left.',
        ),
      { timeout: 5_000 },
    );

    server.emit('breakout:closing', { inSeconds: 30 });
    await flushPromises();
    expect(strip.get('[data-testid=breakout-closing]').text()).toBe(
      'Everyone returns to the main room in 30 s',
    );
    // Being brought back changes what the student can do: said at once, assertively.
    await vi.waitFor(() =>
      expect(announcer.get('[data-testid=announcer-assertive]').text()).toBe(
        'Breakout rooms close in 30 seconds: everyone returns to the main room.',
      ),
    );
    strip.unmount();
    announcer.unmount();
  });

  it('chooses a group when the teacher lets students choose', async () => {
    const pinia = await connectedPage({ self: clara, room: roomWith([teacher, clara]), locale: 'de' });
    const strip = mountIn(pinia, BreakoutStrip);
    server.emit('breakout:state', state({ assignment: 'choose' }));
    await flushPromises();
    expect(strip.get('[data-testid=breakout-where]').text()).toContain('Wählen Sie Ihre Gruppe');
    await strip.get('[data-testid=breakout-choose]').trigger('click');
    const choices = document.querySelector('[data-testid=breakout-choices]')!;
    expect(choices.textContent).toContain('Gruppe Blau');
    expect(choices.textContent).toContain('Ben Schulz');
    (document.querySelector('[data-testid=breakout-pick-group-Blau]') as HTMLButtonElement).click();
    await flushPromises();
    expect(server.sent('breakout:choose')).toEqual([{ groupId: 'g-blue' }]);
    strip.unmount();
  });

  it('waits in the main room when the teacher assigns the groups', async () => {
    const pinia = await connectedPage({ self: clara, room: roomWith([teacher, clara]) });
    const strip = mountIn(pinia, BreakoutStrip);
    server.emit('breakout:state', state());
    await flushPromises();
    expect(strip.get('[data-testid=breakout-where]').text()).toContain('the teacher puts you in a group');
    expect(strip.find('[data-testid=breakout-choose]').exists()).toBe(false);
    expect(strip.find('[data-testid=breakout-help]').exists()).toBe(false);
    strip.unmount();
  });
});
