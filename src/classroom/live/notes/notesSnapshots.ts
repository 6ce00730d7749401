import { z } from 'zod';
import type { SnapshotSummary } from '../../../collab/SnapshotStore.js';
import { SNAPSHOT_REASONS, notesPageId, type NotesSnapshotView } from '../../../protocol/index.js';
import type { NotebookPage } from '../../notes/NotebookStore.js';

const storedPages = z.object({
  pages: z.array(
    z.object({
      id: notesPageId,
      title: z.string(),
      lessonId: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
});

/** The pages a snapshot kept beside the text; none when the record holds something else. */
export function pagesOf(meta: unknown): NotebookPage[] {
  const parsed = storedPages.safeParse(meta);
  if (!parsed.success) return [];
  return parsed.data.pages.map((page) => ({ ...page, createdAt: new Date(page.createdAt) }));
}

export function notesSnapshotView(snapshot: SnapshotSummary): NotesSnapshotView {
  const reason = z.enum(SNAPSHOT_REASONS).catch('manual').parse(snapshot.reason);
  return {
    id: snapshot.id,
    name: snapshot.name,
    reason,
    lessonId: snapshot.lessonId,
    takenAt: snapshot.takenAt.toISOString(),
    pages: pagesOf(snapshot.meta).length,
    contributors: snapshot.contributors.map((contributor) => contributor.name),
  };
}
