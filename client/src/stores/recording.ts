import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ConsentChoice, RecordingView, RoomState } from '@protocol';
import { CONSENT_TEXT_VERSION } from '@protocol';
import type { SignalingClient } from '@/signaling/SignalingClient';
import { useNoticesStore } from './notices';
import { useSignalingRequests } from './signalingRequests';

/**
 * The lesson's recording as this page sees it: whether one runs, our own
 * answer (null: not given yet, so the page asks), and for teachers who
 * agreed to what. Teachers start and stop it; everyone answers for
 * themselves and may change the answer at any time.
 */
export const useRecordingStore = defineStore('recording', () => {
  const { attach, act } = useSignalingRequests();
  const notices = useNoticesStore();
  const view = ref<RecordingView | null>(null);
  /** The recording stopped by itself: teachers are told why. */
  const failure = ref<'diskFull' | 'recorderFailed' | null>(null);

  function enter(room: Pick<RoomState, 'recording'>): void {
    view.value = room.recording;
  }

  function reset(): void {
    view.value = null;
    failure.value = null;
  }

  function listen(client: SignalingClient): () => void {
    const offs = [
      attach(client),
      client.on('recording:state', (next) => (view.value = next)),
      client.on('roomUpdated', enter),
      client.on('recording:failed', ({ reason }) => {
        failure.value = reason;
        notices.notify({ kind: 'error', key: `recording.failed.${reason}` });
      }),
    ];
    return () => offs.forEach((off) => off());
  }

  async function start(): Promise<void> {
    failure.value = null;
    const next = await act('recording:start');
    if (next) view.value = next;
  }

  async function stop(): Promise<void> {
    const next = await act('recording:stop');
    if (next) view.value = next;
  }

  async function consent(choice: ConsentChoice): Promise<void> {
    const next = await act('recording:consent', { choice, textVersion: CONSENT_TEXT_VERSION });
    if (next) view.value = next;
  }

  return { view, failure, enter, reset, listen, start, stop, consent };
});
