import { onScopeDispose, readonly, ref, watch } from 'vue';
import { useLessonStore } from '@/stores/lesson';
import { useMediaStore } from '@/stores/media';

/** One quality grade per connection, from packet loss and jitter of what we receive. */
export type Quality = 'good' | 'fair' | 'poor' | 'unknown';

const SAMPLE_EVERY_MS = 3_000;

interface Counters {
  received: number;
  lost: number;
}

/**
 * Grades the connection every few seconds while we are in a room, from the
 * packets received and lost since the last sample and the worst jitter.
 */
export function useConnectionQuality() {
  const lesson = useLessonStore();
  const media = useMediaStore();
  const quality = ref<Quality>('unknown');
  let timer: ReturnType<typeof setInterval> | undefined;

  async function sample(previous: Map<string, Counters>): Promise<Map<string, Counters>> {
    const stats = await media.inboundStats().catch(() => []);
    let received = 0;
    let lost = 0;
    let jitter = 0;
    const next = new Map<string, Counters>();
    for (const entry of stats) {
      const before = previous.get(entry.consumerId) ?? { received: 0, lost: 0 };
      received += entry.packetsReceived - before.received;
      lost += Math.max(0, entry.packetsLost - before.lost);
      jitter = Math.max(jitter, entry.jitter);
      next.set(entry.consumerId, { received: entry.packetsReceived, lost: entry.packetsLost });
    }
    if (received + lost === 0) {
      quality.value = lesson.connectionState === 'connected' ? 'good' : 'poor';
    } else {
      const loss = lost / (received + lost);
      quality.value = loss > 0.08 || jitter > 0.1 ? 'poor' : loss > 0.02 || jitter > 0.05 ? 'fair' : 'good';
    }
    return next;
  }

  function start(): void {
    stop();
    let previous = new Map<string, Counters>();
    timer = setInterval(async () => {
      previous = await sample(previous);
    }, SAMPLE_EVERY_MS);
  }

  function stop(): void {
    clearInterval(timer);
    timer = undefined;
  }

  // Counting starts afresh with each room we enter, a re-join after a reconnect included.
  watch(
    () => lesson.phase === 'joined' && lesson.room !== null,
    (inRoom) => (inRoom ? start() : stop()),
    { immediate: true },
  );
  onScopeDispose(stop);

  return readonly(quality);
}
