import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BATCH_MS } from '@/stores/announcer';
import LiveAnnouncer from '@/components/LiveAnnouncer.vue';
import { usePreferencesStore } from '@/stores/preferences';
import { connectedPage, freshPageEachTest, mountIn, participant, roomWith } from '../support/classroomPage';
import { server } from '../support/fakeServer';

vi.mock('socket.io-client', async () => (await import('../support/fakeServer')).socketModule);

freshPageEachTest();

const teacher = { ...participant('p-teacher', 'Frau Berg'), role: 'teacher' as const };
const anna = participant('p-anna', 'Anna Weber');
const ben = participant('p-ben', 'Ben Schulz');

beforeEach(() => {
  localStorage.clear();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => vi.useRealTimers());

/** The page of the teacher, with the two live regions as the app renders them. */
async function teacherPage(locale: 'en' | 'de' = 'en') {
  const pinia = await connectedPage({ self: teacher, room: roomWith([teacher, anna]), locale });
  const regions = mountIn(pinia, LiveAnnouncer);
  const polite = () => regions.get('[data-testid=announcer-polite]').text();
  const assertive = () => regions.get('[data-testid=announcer-assertive]').text();
  /** What the polite region says once the batch is out. */
  const politeAfterBatch = async () => {
    await vi.advanceTimersByTimeAsync(BATCH_MS + 100);
    await flushPromises();
    return polite();
  };
  return { regions, polite, assertive, politeAfterBatch };
}

describe('the announcer for screen readers', () => {
  it('says joins, a raised hand and a message of a moment in one polite batch', async () => {
    const page = await teacherPage();
    server.emit('participantJoined', ben);
    server.emit('participantJoined', participant('p-clara', 'Clara Neu'));
    server.emit('participantJoined', participant('p-dana', 'Dana Roth'));
    server.emit('participantUpdated', { ...anna, handRaisedAt: Date.now() });
    server.emit('chat:message', {
      id: 'm1',
      from: { id: anna.id, displayName: anna.displayName },
      to: null,
      text: 'Hallo',
      sentAt: Date.now(),
    });
    await flushPromises();
    // Nothing is said while the batch gathers.
    expect(page.polite()).toBe('');
    expect(await page.politeAfterBatch()).toBe(
      '3 people joined. Anna Weber raised a hand. New message from Anna Weber.',
    );
    expect(page.assertive()).toBe('');
  });

  it('names one person and counts several, in German too', async () => {
    const page = await teacherPage('de');
    server.emit('participantJoined', ben);
    expect(await page.politeAfterBatch()).toBe('Ben Schulz ist beigetreten.');
    server.emit('participantLeft', { participantId: ben.id });
    server.emit('participantLeft', { participantId: anna.id });
    expect(await page.politeAfterBatch()).toBe('2 Personen sind gegangen.');
  });

  it('says what needs action at once and assertively, whatever the settings', async () => {
    const page = await teacherPage();
    usePreferencesStore().announce.joined = false;
    server.emit('hand:called', { byName: 'Frau Berg' });
    await vi.advanceTimersByTimeAsync(100);
    expect(page.assertive()).toBe('Frau Berg asks you to get ready: it is your turn soon.');
    server.emit('removed', { reason: 'teacher' });
    await vi.advanceTimersByTimeAsync(100);
    expect(page.assertive()).toBe('You were removed from the lesson by the teacher.');
  });

  it('leaves out the kinds the person switched off, and keeps that choice', async () => {
    const page = await teacherPage();
    const preferences = usePreferencesStore();
    preferences.announce.joined = false;
    await flushPromises();
    expect(localStorage.getItem('aula.announce')).toBe('joined');
    server.emit('participantJoined', ben);
    server.emit('participantUpdated', { ...anna, handRaisedAt: Date.now() });
    expect(await page.politeAfterBatch()).toBe('Anna Weber raised a hand.');
  });

  it('says the same words again by emptying the region first', async () => {
    const page = await teacherPage();
    server.emit('participantJoined', ben);
    expect(await page.politeAfterBatch()).toBe('Ben Schulz joined.');
    server.emit('participantLeft', { participantId: ben.id });
    server.emit('participantJoined', ben);
    await vi.advanceTimersByTimeAsync(BATCH_MS + 10);
    await flushPromises();
    expect(page.polite()).toBe('');
    expect(await page.politeAfterBatch()).toBe('Ben Schulz left. Ben Schulz joined.');
  });
});
