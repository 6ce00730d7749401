import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import ParticipantsPanel from '@/components/ParticipantsPanel.vue';
import VideoTile from '@/components/VideoTile.vue';
import { useParticipantsStore } from '@/stores/participants';
import {
  connectedPage,
  freshPageEachTest,
  inLesson,
  mountIn,
  participant,
  roomWith,
} from '../support/classroomPage';
import { server } from '../support/fakeServer';

vi.mock('socket.io-client', async () => (await import('../support/fakeServer')).socketModule);

const teacher = participant('p-teacher', 'Frau Berg', { role: 'teacher' });
const ben = participant('p-ben', 'Ben Schulz');
const guest = participant('p-guest', 'Gast Mutter', { role: 'guest' });

const click = (testId: string) =>
  (document.querySelector(`[data-testid=${testId}]`) as HTMLElement | null)?.click();

freshPageEachTest();

describe('removing a guest', () => {
  it('offers to change the guest password as well, and shows the new password once', async () => {
    const pinia = await connectedPage({ self: teacher, room: roomWith([teacher, ben, guest]) });
    const panel = mountIn(pinia, ParticipantsPanel);
    server.replies.set('mod:remove', { ok: true, guestPassword: 'Neu-Passwort-42' });

    await panel.get('[data-testid="remove-Gast Mutter"]').trigger('click');
    const change = document.querySelector<HTMLInputElement>('[data-testid=remove-change-password]')!;
    expect(change.checked).toBe(true);
    expect(change.closest('label')!.textContent).toContain('Also change the guest password');
    click('confirm');
    await flushPromises();
    expect(server.sent('mod:remove')).toEqual([{ participantId: 'p-guest', changeGuestPassword: true }]);
    expect(document.querySelector('[data-testid=new-guest-password]')?.textContent).toBe('Neu-Passwort-42');

    // Once: closed, it is gone from the page.
    (document.querySelector('dialog [aria-label=Close]') as HTMLButtonElement).click();
    await flushPromises();
    expect(document.body.textContent).not.toContain('Neu-Passwort-42');
    panel.unmount();
  });

  it('keeps the password when the teacher unticks it, and never asks for a student', async () => {
    const pinia = await connectedPage({ self: teacher, room: roomWith([teacher, ben, guest]) });
    const panel = mountIn(pinia, ParticipantsPanel);
    server.replies.set('mod:remove', { ok: true });

    await panel.get('[data-testid="remove-Gast Mutter"]').trigger('click');
    document.querySelector<HTMLInputElement>('[data-testid=remove-change-password]')!.click();
    click('confirm');
    await flushPromises();
    await panel.get('[data-testid="remove-Ben Schulz"]').trigger('click');
    expect(document.querySelector('[data-testid=remove-change-password]')).toBeNull();
    click('confirm');
    await flushPromises();
    expect(server.sent('mod:remove')).toEqual([{ participantId: 'p-guest' }, { participantId: 'p-ben' }]);
    expect(document.querySelector('[data-testid=new-guest-password]')).toBeNull();
    panel.unmount();
  });
});

describe('someone whose connection dropped', () => {
  it('keeps their tile, place in the list and hand, shown as reconnecting', async () => {
    const pinia = await connectedPage({ self: teacher, room: roomWith([teacher, ben]) });
    const panel = mountIn(pinia, ParticipantsPanel);
    server.emit('participantUpdated', { ...ben, handRaisedAt: 5, away: true });
    await flushPromises();

    const row = panel.get('[data-testid="participant-Ben Schulz"]');
    expect(row.get('[data-testid=participant-away]').text()).toBe('connection lost, reconnecting');
    expect(panel.get('[data-testid=hand-queue]').text()).toContain('Ben Schulz');

    const away = useParticipantsStore().participants.find((p) => p.id === 'p-ben')!;
    const tile = mountIn(pinia, VideoTile, { props: { participant: away, handOrder: 1 } });
    expect(tile.get('[data-testid=tile-away]').text()).toBe('Reconnecting…');
    expect(tile.get('figure').attributes('aria-label')).toContain('connection lost, reconnecting');
    expect(tile.find('[data-testid=tile-hand]').exists()).toBe(true);

    // Back: the mark goes.
    server.emit('participantUpdated', { ...ben, handRaisedAt: 5, away: false });
    await flushPromises();
    expect(row.find('[data-testid=participant-away]').exists()).toBe(false);
    await tile.setProps({ participant: { ...away, away: false } });
    expect(tile.find('[data-testid=tile-away]').exists()).toBe(false);
    tile.unmount();
    panel.unmount();
  });

  it('is read as reconnecting in German too', () => {
    const pinia = inLesson({ self: teacher, room: roomWith([teacher, ben]), locale: 'de' });
    const tile = mountIn(pinia, VideoTile, { props: { participant: { ...ben, away: true } } });
    expect(tile.get('[data-testid=tile-away]').text()).toBe('Verbindet neu…');
    tile.unmount();
  });
});
