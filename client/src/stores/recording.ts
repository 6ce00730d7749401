import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { ConsentChoice, RecordingView, RoomState } from '@protocol';
import { CONSENT_TEXT_VERSION } from '@protocol';
import type { SignalingClient } from '@/signaling/SignalingClient';
import { useNoticesStore } from './notices';
import { useSignalingRequests } from './signalingRequests';

/**
 * The lesson's recording as this page sees it: whether one runs, our own
 * answer (null: not given yet, so the page asks), and for teachers who
 * agreed to what. Teachers start and stop it; everyone answers for
 * themselves and may change the answer at any time. Until we answered, our
 * own media waits (the server would refuse it: CONSENT_PENDING).
 */
export const useRecordingStore = defineStore('recording', () => {
  const { attach, act } = useSignalingRequests();
  const notices = useNoticesStore();
  const view = ref<RecordingView | null>(null);
  /** The recording stopped by itself: teachers are told why. */
  const failure = ref<'diskFull' | 'recorderFailed' | null>(null);
  /** A recording runs and we have not answered yet. */
  const pending = computed(() => Boolean(view.value?.active) && view.value?.mine === null);
  /** The question is on screen. */
  const asking = ref(false);
  watch(pending, (now) => (asking.value = now), { immediate: true });

  /** Resolves once nothing waits for our answer (answered, the recording or our lesson ended). */
  function answered(): Promise<void> {
    if (!pending.value) return Promise.resolve();
    return new Promise((resolve) => {
      const off = watch(pending, (now) => {
        if (now) return;
        off();
        resolve();
      });
    });
  }

  function enter(room: Pick<RoomState, 'recording'>): void {
    view.value = room.recording;
  }

  function reset(): void {
    view.value = null;
    failure.value = null;
    asking.value = false;
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

  return { view, failure, pending, asking, answered, enter, reset, listen, start, stop, consent };
});
