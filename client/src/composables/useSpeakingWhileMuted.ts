import { onScopeDispose, readonly, ref, watch } from 'vue';

/** Level (0–1) above which the muted microphone counts as someone speaking. */
const SPEAKING_LEVEL = 0.2;
/** Loud samples within the window before we say anything: a cough is not speech. */
const LOUD_SAMPLES = 8;
const WINDOW_MS = 1_500;
const SHOWN_FOR_MS = 4_000;

/**
 * "You are muted": true for a few seconds when the local microphone, still
 * open while muted, hears someone speak. Only a microphone the user opened is
 * analysed; nothing is captured for this.
 */
export function useSpeakingWhileMuted(level: () => number, muted: () => boolean) {
  const speaking = ref(false);
  let loud: number[] = [];
  let hideTimer: ReturnType<typeof setTimeout> | undefined;

  watch(level, (value) => {
    if (!muted()) return;
    const now = Date.now();
    loud = loud.filter((at) => now - at < WINDOW_MS);
    if (value < SPEAKING_LEVEL) return;
    loud.push(now);
    if (loud.length < LOUD_SAMPLES) return;
    speaking.value = true;
    clearTimeout(hideTimer);
    hideTimer = setTimeout(() => (speaking.value = false), SHOWN_FOR_MS);
  });
  watch(muted, (isMuted) => {
    if (isMuted) return;
    speaking.value = false;
    loud = [];
  });
  onScopeDispose(() => clearTimeout(hideTimer));

  function dismiss(): void {
    speaking.value = false;
    loud = [];
  }

  return { speaking: readonly(speaking), dismiss };
}
