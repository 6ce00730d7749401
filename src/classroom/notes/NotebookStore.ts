import type { DrawingMode } from '../../protocol/index.js';
import type { Models } from '../../store/models/index.js';
import type { WriteBehind } from '../../store/WriteBehind.js';

export interface NotebookPage {
  id: string;
  title: string;
  lessonId: string | null;
  createdAt: Date;
}

/** What a classroom keeps about its notes beside their text. */
export interface Notebook {
  pages: NotebookPage[];
  writers: DrawingMode;
  chosen: string[];
  merged: Array<{ group: string; at: Date }>;
}

export const EMPTY_NOTEBOOK: Notebook = { pages: [], writers: 'teachers', chosen: [], merged: [] };

/**
 * The one owner of `notebooks`: read by `_id` when a classroom opens,
 * written behind (a database pause delays the write, loses nothing), kept
 * for the notes' retention from the last change.
 */
export class NotebookStore {
  constructor(
    private readonly models: Models,
    private readonly writes: Pick<WriteBehind, 'enqueue'>,
    private readonly retentionMs: number,
  ) {}

  async load(classroomId: string): Promise<Notebook> {
    const record = await this.models.notebooks.findById(classroomId).lean();
    if (!record) return structuredClone(EMPTY_NOTEBOOK);
    return {
      pages: record.pages.map((page) => ({
        id: page.id,
        title: page.title,
        lessonId: page.lessonId ?? null,
        createdAt: page.createdAt,
      })),
      writers: record.writers as DrawingMode,
      chosen: [...record.chosen],
      merged: record.merged.map(({ group, at }) => ({ group, at })),
    };
  }

  save(classroomId: string, notebook: Notebook): void {
    const now = new Date();
    const fields = {
      ...structuredClone(notebook),
      updatedAt: now,
      expiresAt: new Date(now.getTime() + this.retentionMs),
    };
    this.writes.enqueue('notes.notebook', () =>
      this.models.notebooks.updateOne({ _id: classroomId }, { $set: fields }, { upsert: true }),
    );
  }

  /** A user's data erased: they are no longer among the chosen writers. */
  async eraseUser(userKey: string): Promise<number> {
    return (await this.models.notebooks.updateMany({ chosen: userKey }, { $pull: { chosen: userKey } }))
      .modifiedCount;
  }

  async deleteExpired(now: Date): Promise<number> {
    return (await this.models.notebooks.deleteMany({ expiresAt: { $lt: now } })).deletedCount;
  }
}
