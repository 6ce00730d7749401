import { Signal, SignalHigh, SignalLow, SignalMedium } from 'lucide-vue-next';
import { onScopeDispose, readonly, ref, shallowRef, watch, type Component } from 'vue';
import type { InboundStats } from '@/media/mediaStats';
import { useLessonStore } from '@/stores/lesson';
import { useMediaStore } from '@/stores/media';

/** A quality grade, from packet loss and jitter of what we receive. */
export type Quality = 'good' | 'fair' | 'poor' | 'unknown';

/** The bars a quality shows, on a tile and in the page header alike. */
export const QUALITY_ICONS: Record<Quality, Component> = {
  good: SignalHigh,
  fair: SignalMedium,
  poor: SignalLow,
  unknown: Signal,
};

const SAMPLE_EVERY_MS = 3_000;

export interface Counters {
  received: number;
  lost: number;
}

function gradeOf(received: number, lost: number, jitter: number): Quality {
  if (received + lost === 0) return 'unknown';
  const loss = lost / (received + lost);
  return loss > 0.08 || jitter > 0.1 ? 'poor' : loss > 0.02 || jitter > 0.05 ? 'fair' : 'good';
}

export interface Grades {
  /** Everything we receive: our own connection. */
  overall: Quality;
  /** What we receive from each participant: their connection (and ours). */
  byParticipant: Record<string, Quality>;
  counters: Map<string, Counters>;
}

/** Grades the packets received and lost since the previous sample, overall and per sender. */
export function gradeSample(stats: readonly InboundStats[], previous: Map<string, Counters>): Grades {
  const totals = new Map<string, { received: number; lost: number; jitter: number }>();
  const all = { received: 0, lost: 0, jitter: 0 };
  const counters = new Map<string, Counters>();
  for (const entry of stats) {
    const before = previous.get(entry.consumerId) ?? { received: 0, lost: 0 };
    const received = Math.max(0, entry.packetsReceived - before.received);
    const lost = Math.max(0, entry.packetsLost - before.lost);
    counters.set(entry.consumerId, { received: entry.packetsReceived, lost: entry.packetsLost });
    const sender = totals.get(entry.participantId) ?? { received: 0, lost: 0, jitter: 0 };
    sender.received += received;
    sender.lost += lost;
    sender.jitter = Math.max(sender.jitter, entry.jitter);
    totals.set(entry.participantId, sender);
    all.received += received;
    all.lost += lost;
    all.jitter = Math.max(all.jitter, entry.jitter);
  }
  const byParticipant: Record<string, Quality> = {};
  for (const [participantId, total] of totals) {
    byParticipant[participantId] = gradeOf(total.received, total.lost, total.jitter);
  }
  return { overall: gradeOf(all.received, all.lost, all.jitter), byParticipant, counters };
}

/**
 * Grades the connection every few seconds while we are in a room: overall
 * (shown in the top bar) and per participant (shown on their tile).
 */
export function useConnectionQuality() {
  const lesson = useLessonStore();
  const media = useMediaStore();
  const overall = ref<Quality>('unknown');
  const byParticipant = shallowRef<Record<string, Quality>>({});
  let timer: ReturnType<typeof setInterval> | undefined;

  async function sample(previous: Map<string, Counters>): Promise<Map<string, Counters>> {
    const stats = await media.inboundStats().catch(() => []);
    const grades = gradeSample(stats, previous);
    // Nothing received (alone, or nobody sends): the signalling connection is all we can judge.
    overall.value =
      grades.overall === 'unknown'
        ? lesson.connectionState === 'connected'
          ? 'good'
          : 'poor'
        : grades.overall;
    byParticipant.value = grades.byParticipant;
    return grades.counters;
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

  return { overall: readonly(overall), byParticipant: readonly(byParticipant) };
}
