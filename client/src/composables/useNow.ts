import { computed, onScopeDispose, readonly, ref, type ComputedRef, type Ref } from 'vue';

/** The current time, ticking once a second (for the lesson timer). */
export function useNow(everyMs = 1_000) {
  const now = ref(Date.now());
  const timer = setInterval(() => (now.value = Date.now()), everyMs);
  onScopeDispose(() => clearInterval(timer));
  return readonly(now);
}

/** A duration as the lesson timer shows it: m:ss, or h:mm:ss from an hour on. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/**
 * Whole seconds left until a moment, for a countdown that reads 30, 29, …:
 * `now` (the ticking clock) makes a computed run again each second, and
 * Date.now() keeps it exact when the moment arrived between two ticks.
 */
export function secondsUntil(at: number, now: number): number {
  return Math.max(0, Math.ceil((at - Math.max(now, Date.now())) / 1000));
}

/**
 * A countdown to a moment as the lesson timer shows it (m:ss), or null when
 * there is no moment to count to: a timed poll, the breakout rooms' timer.
 */
export function useTimeLeft(
  endsAt: () => number | null | undefined,
  now: Readonly<Ref<number>> = useNow(),
): ComputedRef<string | null> {
  return computed(() => {
    const at = endsAt();
    return at ? formatDuration(at - now.value) : null;
  });
}

/** Whole seconds left until a moment, ticking; null without one (everyone brought back, a countdown). */
export function useSecondsLeft(
  until: () => number | null | undefined,
  now: Readonly<Ref<number>> = useNow(),
): ComputedRef<number | null> {
  return computed(() => {
    const at = until();
    return at ? secondsUntil(at, now.value) : null;
  });
}
