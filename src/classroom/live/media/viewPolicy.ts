// What each page shows large and which tiles it shows: pure decisions over
// the joined participants, so they are tested like decideLayers.

/** Tiles a page gets video for until it reports what it shows. */
export const DEFAULT_VISIBLE_TILES = 8;
/** Most video tiles a page is sent at once besides its large one, whatever it asks for: a page of 16. */
export const MAX_VISIBLE_VIDEO_TILES = 16;

export interface Present {
  id: string;
  isTeacher: boolean;
}

export interface SpotlightInputs {
  pinnedId: string | null;
  activeSpeakerId: string | null;
  /** Joined participants in join order. */
  joined: readonly Present[];
}

/** The room's spotlight: the pinned participant, else the active speaker, else the first teacher. */
export function spotlightOf({ pinnedId, activeSpeakerId, joined }: SpotlightInputs): string | null {
  const present = (id: string | null) => id !== null && joined.some((p) => p.id === id);
  if (present(pinnedId)) return pinnedId;
  if (present(activeSpeakerId)) return activeSpeakerId;
  return joined.find((p) => p.isTeacher)?.id ?? null;
}

/**
 * What a viewer shows large: its own choice, else the room's spotlight; a
 * viewer who is the spotlight itself (speaking) sees the teacher instead.
 */
export function focusOf(
  viewer: { id: string; focus: string | null },
  spotlight: string | null,
  joined: readonly Present[],
): string | null {
  if (viewer.focus) return viewer.focus;
  if (spotlight !== viewer.id) return spotlight;
  return joined.find((p) => p.id !== viewer.id && p.isTeacher)?.id ?? null;
}

/** The participants whose video a viewer receives: the tiles it reported (or the first few) and its focus. */
export function visibleTo(
  viewer: { id: string; visible: ReadonlySet<string> | undefined },
  focus: string | null,
  joined: readonly Present[],
): Set<string> {
  const visible = new Set(viewer.visible ?? []);
  if (!viewer.visible) {
    for (const participant of joined) {
      if (visible.size >= DEFAULT_VISIBLE_TILES) break;
      if (participant.id !== viewer.id) visible.add(participant.id);
    }
  }
  if (focus) visible.add(focus);
  return visible;
}
