/** An audio element that can play on a chosen output device (not every browser can). */
type SinkableAudio = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

/**
 * The speaker test: a short two-tone chime played through an audio element
 * on the chosen output (`speakerId`, '' for the default), so people can
 * check they hear anything at all.
 */
export async function playChime(context: AudioContext, speakerId: string): Promise<void> {
  await context.resume();
  const destination = context.createMediaStreamDestination();
  const element: SinkableAudio = new Audio();
  element.srcObject = destination.stream;
  // A browser that cannot choose the output plays on the default one.
  if (speakerId && element.setSinkId) await element.setSinkId(speakerId).catch(() => undefined);
  await element.play().catch(() => undefined);
  const gain = context.createGain();
  gain.connect(destination);
  const now = context.currentTime;
  gain.gain.setValueAtTime(0.0001, now);
  gain.gain.exponentialRampToValueAtTime(0.3, now + 0.05);
  gain.gain.exponentialRampToValueAtTime(0.0001, now + 0.9);
  for (const [frequency, start] of [
    [660, 0],
    [880, 0.3],
  ] as const) {
    const oscillator = context.createOscillator();
    oscillator.frequency.value = frequency;
    oscillator.connect(gain);
    oscillator.start(now + start);
    oscillator.stop(now + start + 0.6);
  }
  setTimeout(() => {
    element.pause();
    element.srcObject = null;
  }, 1200);
}
