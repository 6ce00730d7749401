// The class's shared notes: pages of rich text that stay with the classroom
// across lessons, one document for the class (every page a fragment of it)
// and one per breakout group. The text itself travels on the collaboration
// channel (collab.ts); this is what surrounds it: the pages, who may write,
// the groups' notes, snapshots.
import { z } from 'zod';
import { drawingMode, type DrawingMode } from './board.js';
import { id } from './media.js';

/** A page of the class's notes: its text is the fragment `page/<id>` of the notes document. */
export const notesPageId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/);
/** A breakout group's notes have one page. */
export const GROUP_NOTES_PAGE = 'group';
export const NOTES_TITLE_MAX = 120;
/** The largest paste the editor takes, in characters of its HTML or text: well under a request's limit. */
export const NOTES_MAX_PASTE_CHARS = 100_000;

/** The document fragment a page's text lives in. */
export function notesFragment(pageId: string): string {
  return `page/${pageId}`;
}

const title = z.string().trim().min(1).max(NOTES_TITLE_MAX);

export interface NotesPage {
  id: string;
  title: string;
  /** The lesson it was started in; null before any lesson. */
  lessonId: string | null;
  createdAt: string;
}

/** Who may write besides teachers: nobody, everyone, or chosen students (participant ids of those here). */
export interface NotesWriters {
  mode: DrawingMode;
  chosen: string[];
}

export interface NotesState {
  pages: NotesPage[];
  writers: NotesWriters;
}

/** A breakout group's notes in this lesson, as the teacher's panel lists them. */
export interface GroupNotesView {
  group: string;
  name: string;
  /** The group is open now. */
  open: boolean;
  /** When the teacher last merged them into the class's notes. */
  mergedAt: string | null;
}

export const SNAPSHOT_REASONS = ['lesson-end', 'manual', 'before-restore'] as const;
export type SnapshotReason = (typeof SNAPSHOT_REASONS)[number];

/** A snapshot of the class's notes as the history lists it. */
export interface NotesSnapshotView {
  id: string;
  /** The teacher's name for it; null for those Aula took (the page names them by reason and time). */
  name: string | null;
  reason: SnapshotReason;
  lessonId: string | null;
  takenAt: string;
  pages: number;
  /** Who wrote in the notes up to then, by display name. */
  contributors: string[];
}

/** A page's text as ProseMirror JSON (what the editor shows read-only and exports read). */
export interface NotesPageContent {
  id: string;
  title: string;
  content: { type: string; content?: unknown[] };
}

export const NOTES_EXPORT_FORMATS = ['md', 'html', 'pdf'] as const;
export type NotesExportFormat = (typeof NOTES_EXPORT_FORMATS)[number];

export const notesRequestSchemas = {
  'notes:state': z.object({}).strict(),
  /** The teacher starts a new page ("Notes of 7 December"); the old ones stay. */
  'notes:addPage': z.object({ title }).strict(),
  'notes:renamePage': z.object({ pageId: notesPageId, title }).strict(),
  'notes:writers': z.object({ mode: drawingMode }).strict(),
  /** "May write" for one participant (from the notes panel's list). */
  'notes:mayWrite': z.object({ participantId: id, allowed: z.boolean() }).strict(),
  /** The breakout groups' notes of this lesson. */
  'notes:groups': z.object({}).strict(),
  /** Appends a group's notes to a page of the class's notes, under a heading. */
  'notes:merge': z.object({ group: id, pageId: notesPageId, heading: title }).strict(),
  'notes:snapshot': z.object({ name: title }).strict(),
  /** The class's snapshots, newest first (the history). */
  'notes:snapshots': z.object({}).strict(),
  /** The class's notes become as they were in a snapshot (the current state is kept as a snapshot first). */
  'notes:restore': z.object({ snapshotId: id }).strict(),
} as const;

export interface NotesResults {
  'notes:state': NotesState;
  'notes:addPage': NotesPage;
  'notes:renamePage': { ok: true };
  'notes:writers': { ok: true };
  'notes:mayWrite': { ok: true };
  'notes:groups': { groups: GroupNotesView[] };
  'notes:merge': { ok: true };
  'notes:snapshot': NotesSnapshotView;
  'notes:snapshots': { snapshots: NotesSnapshotView[] };
  'notes:restore': { ok: true };
}

export interface NotesEvents {
  /** The pages or who may write changed. */
  'notes:state': NotesState;
}
