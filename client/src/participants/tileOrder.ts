import type { ParticipantInfo } from '@protocol';

export interface TileOrderOptions {
  selfId: string | undefined;
  activeSpeakerId: string | null;
  perPage: number;
}

/**
 * The order of the small tiles: yourself first, then raised hands in the
 * order they went up, then teachers, then everyone else as they came. The
 * active speaker is brought onto the first page (taking its last place) when
 * the order would leave them further back, so whoever talks is seen.
 */
export function orderTiles(
  participants: readonly ParticipantInfo[],
  options: TileOrderOptions,
): ParticipantInfo[] {
  const rank = (p: ParticipantInfo) =>
    p.id === options.selfId ? 0 : p.handRaisedAt !== null ? 1 : p.role === 'teacher' ? 2 : 3;
  const ordered = participants
    .map((participant, index) => ({ participant, index }))
    .sort(
      (a, b) =>
        rank(a.participant) - rank(b.participant) ||
        (a.participant.handRaisedAt ?? 0) - (b.participant.handRaisedAt ?? 0) ||
        a.index - b.index,
    )
    .map((entry) => entry.participant);
  const speaker = ordered.findIndex((p) => p.id === options.activeSpeakerId);
  const last = Math.max(0, options.perPage - 1);
  if (speaker > last) {
    const [moved] = ordered.splice(speaker, 1);
    ordered.splice(last, 0, moved!);
  }
  return ordered;
}

/** One page of the ordered tiles, and how many pages there are. */
export function pageOf<T>(
  ordered: readonly T[],
  perPage: number,
  page: number,
): { shown: T[]; pages: number } {
  if (perPage <= 0) return { shown: [], pages: 1 };
  const size = perPage;
  const pages = Math.max(1, Math.ceil(ordered.length / size));
  const current = Math.min(Math.max(0, page), pages - 1);
  return { shown: ordered.slice(current * size, (current + 1) * size), pages };
}
