import { onScopeDispose } from 'vue';

/**
 * A soft two-note chime made with WebAudio (no sound file to fetch): quiet,
 * short, rising. The AudioContext is made on first use and closed with the
 * owning component.
 */
export function useChime() {
  let context: AudioContext | undefined;

  async function play(): Promise<void> {
    if (typeof AudioContext === 'undefined') return;
    context ??= new AudioContext();
    await context.resume().catch(() => undefined);
    const now = context.currentTime;
    for (const [frequency, start] of [
      [587.33, 0],
      [880, 0.16],
    ] as const) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = 'sine';
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, now + start);
      gain.gain.exponentialRampToValueAtTime(0.07, now + start + 0.03);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + start + 0.6);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(now + start);
      oscillator.stop(now + start + 0.65);
    }
  }

  onScopeDispose(() => {
    void context?.close().catch(() => undefined);
    context = undefined;
  });
  return { play };
}
