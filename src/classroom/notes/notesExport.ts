import * as Y from 'yjs';
import { readDocument } from '../../collab/readDocument.js';
import type { DocumentStore } from '../../collab/DocumentStore.js';
import type { SnapshotStore } from '../../collab/SnapshotStore.js';
import type { NotesExportFormat } from '../../protocol/index.js';
import type { RoomRegistry } from '../live/RoomRegistry.js';
import { pagesOf } from '../live/notes/notesSnapshots.js';
import type { NotebookStore } from './NotebookStore.js';
import { notesHtml, notesMarkdown, pageText, type NotesPageText } from './notesMarkup.js';
import { notesPdf } from './notesPdf.js';

export interface NotesExportDeps {
  rooms: Pick<RoomRegistry, 'peek'>;
  documents: Pick<DocumentStore, 'load'>;
  notebooks: Pick<NotebookStore, 'load'>;
  snapshots: Pick<SnapshotStore, 'get'>;
}

export interface NotesFile {
  body: Buffer;
  type: string;
  fileName: string;
}

const TYPES: Record<NotesExportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
};

/** A page without a title is named by the day it was started. */
function titleOf(page: { title: string; createdAt: Date | string }): string {
  return page.title || `Notes ${new Date(page.createdAt).toISOString().slice(0, 10)}`;
}

/**
 * The class's notes as a file: as they are now (the live document when the
 * lesson runs on this node, else the stored one) or as a snapshot of the
 * history kept them. Every page, in order, under its title.
 */
export async function exportNotes(
  deps: NotesExportDeps,
  classroomId: string,
  format: NotesExportFormat,
  snapshotId?: string,
): Promise<NotesFile> {
  const pages = snapshotId
    ? await snapshotPages(deps, classroomId, snapshotId)
    : await currentPages(deps, classroomId);
  const title = 'Aula notes';
  const stamp = snapshotId ? `-${snapshotId}` : '';
  const fileName = `notes${stamp}.${format}`;
  const body =
    format === 'pdf'
      ? await notesPdf(title, pages)
      : Buffer.from(format === 'md' ? notesMarkdown(pages) : notesHtml(title, pages));
  return { body, type: TYPES[format], fileName };
}

async function currentPages(deps: NotesExportDeps, classroomId: string): Promise<NotesPageText[]> {
  const room = await deps.rooms.peek(classroomId);
  const doc = await readDocument(room?.collab, deps.documents, classroomId, { kind: 'notes', group: null });
  const pages = room ? room.notes.state().pages : (await deps.notebooks.load(classroomId)).pages;
  return pages.map((page) => pageText(doc, page.id, titleOf(page)));
}

async function snapshotPages(
  deps: NotesExportDeps,
  classroomId: string,
  snapshotId: string,
): Promise<NotesPageText[]> {
  const snapshot = await deps.snapshots.get(classroomId, snapshotId);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, snapshot.state);
  return pagesOf(snapshot.meta).map((page) => pageText(doc, page.id, titleOf(page)));
}
