import * as Y from 'yjs';
import type { DocumentHub } from '../../../collab/DocumentHub.js';
import { documentRecordId } from '../../../collab/DocumentStore.js';
import type { DocumentSnapshot } from '../../../collab/SnapshotStore.js';
import {
  GROUP_NOTES_PAGE,
  notesFragment,
  type DocumentId,
  type DrawingMode,
  type GroupNotesView,
  type NotesPage,
  type NotesSnapshotView,
  type NotesState,
  type SnapshotReason,
} from '../../../protocol/index.js';
import { ConflictError, NotFoundError } from '../../../shared/errors.js';
import { randomId } from '../../../shared/ids.js';
import { EMPTY_NOTEBOOK, type Notebook, type NotebookPage } from '../../notes/NotebookStore.js';
import { DrawingRights } from '../board/DrawingRights.js';
import type { ClassroomContext } from '../ClassroomContext.js';
import type { Groups } from '../groups/Groups.js';
import type { Participant } from '../Participant.js';
import { appendUnderHeading, clearBlocks, replaceBlocks } from './notesContent.js';
import { notesSnapshotView, pagesOf } from './notesSnapshots.js';

export const CLASS_NOTES: DocumentId = { kind: 'notes', group: null };

/**
 * The class's shared notes in the live classroom: their pages (a new one per
 * lesson, the old ones kept), who may write besides teachers, the breakout
 * groups' notes and merging them in, and snapshots (one at the end of every
 * lesson in which the notes changed; view and restore). The text itself is
 * the notes document on the collaboration channel; this keeps the rest,
 * for the classroom across lessons (NotebookStore).
 */
export class Notes {
  readonly writers = new DrawingRights();
  private notebook: Notebook = structuredClone(EMPTY_NOTEBOOK);
  /** Names of those who opened the notes, by user key: the history names whose clients wrote. */
  private readonly names = new Map<string, string>();

  constructor(
    private readonly ctx: ClassroomContext,
    private readonly groups: Groups,
    /** The classroom's documents (made after the notes, whose rules read the notes' writers). */
    private readonly documents: () => Pick<
      DocumentHub<Participant>,
      'change' | 'capture' | 'read' | 'refreshAccess' | 'flush'
    >,
  ) {}

  private get hub() {
    return this.documents();
  }

  async restore(): Promise<void> {
    this.notebook = await this.ctx.services.notebooks.load(this.ctx.classroomId);
    this.writers.restore(this.notebook.writers, this.notebook.chosen);
  }

  seen(participant: Participant): void {
    this.names.set(participant.userKey, participant.displayName);
  }

  /** The pages (a first one started when there is none) and who may write. */
  state(): NotesState {
    if (!this.notebook.pages.length) this.startPage('');
    const keys = new Set(this.notebook.chosen);
    return {
      pages: this.notebook.pages.map(pageView),
      writers: {
        mode: this.notebook.writers,
        chosen: this.ctx.roster
          .all()
          .filter((participant) => keys.has(participant.userKey))
          .map((participant) => participant.id),
      },
    };
  }

  addPage(title: string): NotesPage {
    const page = this.startPage(title);
    this.changed();
    return pageView(page);
  }

  renamePage(pageId: string, title: string): void {
    this.page(pageId).title = title;
    this.changed();
  }

  setWriters(mode: DrawingMode): void {
    this.writers.setMode(mode);
    this.writersChanged();
  }

  mayWrite(participantId: string, allowed: boolean): void {
    this.writers.choose(this.ctx.roster.target(participantId), allowed);
    this.writersChanged();
  }

  /** The breakout groups' notes of this lesson: the open groups', and those written before they closed. */
  async groupNotes(): Promise<GroupNotesView[]> {
    await this.hub.flush(1_000);
    const lessonId = this.ctx.lesson?._id;
    const open = new Map(
      this.groups.breakoutGroups().flatMap((group) => (group.info ? [[group.info.id, group.info.name]] : [])),
    );
    const views = new Map<string, GroupNotesView>();
    for (const [group, name] of open) views.set(group, { group, name, open: true, mergedAt: null });
    if (lessonId) {
      for (const stored of await this.ctx.services.documents.list(this.ctx.classroomId)) {
        if (stored.kind !== 'notes' || stored.group === null || stored.lessonId !== lessonId) continue;
        if (!views.has(stored.group))
          views.set(stored.group, {
            group: stored.group,
            name: stored.label ?? stored.group,
            open: false,
            mergedAt: null,
          });
      }
    }
    for (const { group, at } of this.notebook.merged) {
      const view = views.get(group);
      if (view) view.mergedAt = at.toISOString();
    }
    return [...views.values()];
  }

  /** A group's notes appended to a page of the class's notes under a heading; the group's own stay. */
  async merge(teacher: Participant, group: string, pageId: string, heading: string): Promise<void> {
    this.page(pageId);
    const source = await this.hub.read({ kind: 'notes', group });
    const fragment = source.getXmlFragment(notesFragment(GROUP_NOTES_PAGE));
    if (!fragment.length) throw new ConflictError('These notes are empty', 'NOTES_EMPTY');
    const bytes = Y.encodeStateAsUpdate(source).byteLength;
    await this.hub.change(CLASS_NOTES, teacher.userKey, bytes, (doc) =>
      appendUnderHeading(doc.getXmlFragment(notesFragment(pageId)), heading, fragment),
    );
    this.notebook.merged = [
      ...this.notebook.merged.filter((entry) => entry.group !== group),
      { group, at: new Date() },
    ];
    this.save();
    this.ctx.logger.info({ group }, 'merge() | group notes merged into the class notes');
  }

  /** A named snapshot of the class's notes as they are now. */
  async snapshot(
    name: string | null,
    reason: SnapshotReason,
    lessonId = this.ctx.lesson?._id ?? null,
  ): Promise<NotesSnapshotView | undefined> {
    const captured = await this.hub.capture(CLASS_NOTES);
    if (!captured) return undefined;
    const contributors = [...new Set(captured.authors.values())].flatMap((userKey) => {
      const known = this.names.get(userKey);
      return known ? [{ userKey, name: known }] : [];
    });
    const taken = await this.ctx.services.snapshots.take(this.header(), {
      name,
      reason,
      lessonId,
      ...captured,
      contributors,
      meta: { pages: this.notebook.pages.map(pageView) },
    });
    this.ctx.logger.info({ snapshotId: taken.id, reason }, 'snapshot() | notes snapshot taken');
    return notesSnapshotView(taken);
  }

  /** A snapshot the teacher names, of the notes as they are now. */
  async takeSnapshot(name: string): Promise<NotesSnapshotView> {
    await this.hub.read(CLASS_NOTES);
    const taken = await this.snapshot(name, 'manual');
    if (!taken) throw new Error('takeSnapshot() | the notes were read but not captured');
    return taken;
  }

  /** The class's snapshots, newest first. */
  async snapshots(): Promise<NotesSnapshotView[]> {
    return (await this.ctx.services.snapshots.list(this.header().id)).map(notesSnapshotView);
  }

  /** A lesson ended: a snapshot, if the notes changed since the last one. */
  async lessonEnded(lessonId: string): Promise<void> {
    const captured = await this.hub.capture(CLASS_NOTES);
    if (!captured) return;
    const latest = await this.ctx.services.snapshots.latestVector(this.header().id);
    const now = Y.encodeStateVectorFromUpdate(captured.state);
    if (latest && Buffer.from(latest).equals(Buffer.from(now))) return;
    await this.snapshot(null, 'lesson-end', lessonId);
  }

  /**
   * The class's notes become as they were in a snapshot: its pages, each
   * with its text then; pages started since are emptied. What was there is
   * kept as a snapshot of its own first, so a restore can be undone.
   */
  async restoreSnapshot(teacher: Participant, snapshotId: string): Promise<void> {
    const snapshot: DocumentSnapshot = await this.ctx.services.snapshots.get(
      this.ctx.classroomId,
      snapshotId,
    );
    if (snapshot.documentId !== this.header().id) throw new NotFoundError('No such snapshot');
    await this.hub.read(CLASS_NOTES);
    await this.snapshot(null, 'before-restore');
    const source = new Y.Doc();
    Y.applyUpdate(source, snapshot.state);
    const pages = pagesOf(snapshot.meta);
    const kept = new Set(pages.map((page) => page.id));
    await this.hub.change(CLASS_NOTES, teacher.userKey, snapshot.state.byteLength, (doc) => {
      for (const page of this.notebook.pages)
        if (!kept.has(page.id)) clearBlocks(doc.getXmlFragment(notesFragment(page.id)));
      for (const page of pages)
        replaceBlocks(
          doc.getXmlFragment(notesFragment(page.id)),
          source.getXmlFragment(notesFragment(page.id)),
        );
    });
    this.notebook.pages = pages;
    this.changed();
    this.ctx.logger.info({ snapshotId }, 'restoreSnapshot() | notes restored from a snapshot');
  }

  private startPage(title: string): NotebookPage {
    const page = { id: randomId(8), title, lessonId: this.ctx.lesson?._id ?? null, createdAt: new Date() };
    this.notebook.pages.push(page);
    this.save();
    return page;
  }

  private page(pageId: string): NotebookPage {
    const page = this.notebook.pages.find((candidate) => candidate.id === pageId);
    if (!page) throw new NotFoundError('No such page of the notes', 'NOT_FOUND');
    return page;
  }

  private writersChanged(): void {
    const { mode, chosen } = this.writers.current;
    this.notebook.writers = mode;
    this.notebook.chosen = chosen;
    this.hub.refreshAccess();
    this.changed();
  }

  /** Pages or writers changed: kept, and everyone who may read the notes is told. */
  private changed(): void {
    this.save();
    const state = this.state();
    for (const participant of this.ctx.roster.all()) {
      if (participant.state === 'joined' || participant.state === 'lobby')
        participant.emit('notes:state', state);
    }
  }

  private save(): void {
    this.ctx.services.notebooks.save(this.ctx.classroomId, this.notebook);
  }

  private header() {
    return {
      id: documentRecordId(this.ctx.classroomId, 'notes', null),
      classroomId: this.ctx.classroomId,
      kind: 'notes' as const,
      group: null,
    };
  }
}

function pageView(page: NotebookPage): NotesPage {
  return { id: page.id, title: page.title, lessonId: page.lessonId, createdAt: page.createdAt.toISOString() };
}
