import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CONSENT_TEXT_VERSION, type ClassroomView, type RecordingView } from '@protocol';
import LiveAnnouncer from '@/components/LiveAnnouncer.vue';
import NoticeList from '@/components/NoticeList.vue';
import ParticipantsPanel from '@/components/ParticipantsPanel.vue';
import RecordingControls from '@/components/recording/RecordingControls.vue';
import RecordingIndicator from '@/components/recording/RecordingIndicator.vue';
import { connectedPage, freshPageEachTest, mountIn, participant, roomWith } from '../support/classroomPage';
import { server } from '../support/fakeServer';

vi.mock('socket.io-client', async () => (await import('../support/fakeServer')).socketModule);

const teacher = participant('p-teacher', 'Frau Berg', { role: 'teacher' });
const anna = participant('p-anna', 'Anna Weber');

const running = (extra: Partial<RecordingView> = {}): RecordingView => ({
  available: true,
  active: true,
  startedAt: Date.now(),
  mine: null,
  textVersion: CONSENT_TEXT_VERSION,
  ...extra,
});

freshPageEachTest();
beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
afterEach(() => vi.useRealTimers());

/** What the page's announcer says at once (recording starting is said assertively, stopping politely). */
async function said(regions: ReturnType<typeof mountIn>): Promise<{ assertive: string; polite: string }> {
  await vi.advanceTimersByTimeAsync(2_000);
  await flushPromises();
  return {
    assertive: regions.get('[data-testid=announcer-assertive]').text(),
    polite: regions.get('[data-testid=announcer-polite]').text(),
  };
}

describe('a lesson being recorded', () => {
  it('asks a student who has not answered, and sends their own answer with the text version', async () => {
    const pinia = await connectedPage({ self: anna, room: roomWith([teacher, anna]) });
    const page = mountIn(pinia, RecordingIndicator);
    const regions = mountIn(pinia, LiveAnnouncer);
    expect(page.find('[data-testid=recording-indicator]').exists()).toBe(false);

    server.replies.set('recording:consent', running({ mine: 'none' }));
    server.emit('recording:state', running());
    await flushPromises();
    expect(page.get('[data-testid=recording-indicator]').attributes('role')).toBe('status');
    expect((await said(regions)).assertive).toBe('Recording started.');
    await page.get('[data-testid=consent-none]').trigger('click');
    await flushPromises();
    expect(server.sent('recording:consent')).toEqual([{ choice: 'none', textVersion: CONSENT_TEXT_VERSION }]);
    expect(page.find('[data-testid=recording-consent]').exists()).toBe(false);
    expect(page.get('[data-testid=recording-indicator]').text()).toContain('not recorded');

    server.emit('recording:state', running({ active: false, mine: null }));
    await flushPromises();
    expect(page.find('[data-testid=recording-indicator]').exists()).toBe(false);
    expect((await said(regions)).polite).toBe('Recording stopped.');
  });

  it('shows the recorder in the participant list while it records', async () => {
    const pinia = await connectedPage({
      self: anna,
      room: roomWith([teacher, anna], { recording: running({ mine: 'micOnly' }) }),
    });
    const panel = mountIn(pinia, ParticipantsPanel);
    expect(panel.get('[data-testid=participant-recorder]').text()).toBe('Recording');
    server.emit('recording:state', running({ active: false }));
    await flushPromises();
    expect(panel.find('[data-testid=participant-recorder]').exists()).toBe(false);
  });

  it('tells the teacher why a recording cannot start on a server without its recorder', async () => {
    const pinia = await connectedPage({
      self: teacher,
      room: roomWith([teacher, anna], { recording: running({ active: false }) }),
    });
    const classroom = { recordingAllowed: true, recordingAvailable: true } as ClassroomView;
    const controls = mountIn(pinia, RecordingControls, { props: { classroom } });
    const notices = mountIn(pinia, NoticeList);
    server.refusals.set('recording:start', {
      status: 503,
      code: 'RECORDER_UNAVAILABLE',
      message: 'no ffmpeg',
    });
    await controls.get('[data-testid=recording-start]').trigger('click');
    await flushPromises();
    expect(notices.get('[data-testid=notice]').text()).toContain('the server has no recorder (ffmpeg)');
    expect(controls.find('[data-testid=recording-start]').exists()).toBe(true);
  });
});
