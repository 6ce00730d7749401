import * as Y from 'yjs';
import { NotFoundError } from '../shared/errors.js';
import { randomId } from '../shared/ids.js';
import type { Models } from '../store/models/index.js';
import { bytesOf, type DocumentHeader } from './DocumentStore.js';

/** A snapshot as written: the document's whole state, who wrote it, and what its kind keeps beside it. */
export interface SnapshotInput {
  name: string | null;
  reason: string;
  lessonId: string | null;
  state: Uint8Array;
  authors: Map<number, string>;
  contributors: Array<{ userKey: string; name: string }>;
  meta: unknown;
}

export interface DocumentSnapshot extends SnapshotInput {
  id: string;
  documentId: string;
  classroomId: string;
  takenAt: Date;
}

/** A snapshot without its state, for a list. */
export type SnapshotSummary = Omit<DocumentSnapshot, 'state' | 'authors'>;

/** What a stored snapshot says of itself, without its state. */
/** The fields of a stored snapshot that say what it is, as a lean read returns them. */
interface StoredSummary {
  _id: string;
  documentId: string;
  classroomId: string;
  name?: string | null;
  reason: string;
  lessonId?: string | null;
  takenAt: Date;
  contributors: ReadonlyArray<{ userKey: string; name: string }>;
  meta?: unknown;
}

function summaryOf(record: StoredSummary): SnapshotSummary {
  return {
    id: record._id,
    documentId: record.documentId,
    classroomId: record.classroomId,
    name: record.name ?? null,
    reason: record.reason,
    lessonId: record.lessonId ?? null,
    takenAt: record.takenAt,
    contributors: record.contributors.map(({ userKey, name }) => ({ userKey, name })),
    meta: record.meta,
  };
}

function buffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The one owner of `documentSnapshots`: named snapshots of a shared document
 * (the class's notes at the end of each lesson), each its whole Yjs state,
 * so it can be viewed, exported and restored on its own. Kept as long as
 * the document's kind keeps its documents.
 */
export class SnapshotStore {
  constructor(
    private readonly models: Models,
    private readonly retentionMs: number,
  ) {}

  async take(header: DocumentHeader, input: SnapshotInput, now = new Date()): Promise<DocumentSnapshot> {
    const id = randomId(12);
    await this.models.documentSnapshots.create({
      _id: id,
      documentId: header.id,
      classroomId: header.classroomId,
      kind: header.kind,
      group: header.group,
      name: input.name,
      reason: input.reason,
      lessonId: input.lessonId,
      takenAt: now,
      state: buffer(input.state),
      vector: buffer(Y.encodeStateVectorFromUpdate(input.state)),
      authors: [...input.authors].map(([client, userKey]) => ({ client, userKey })),
      contributors: input.contributors,
      meta: input.meta ?? null,
      expiresAt: new Date(now.getTime() + this.retentionMs),
    });
    return { ...input, id, documentId: header.id, classroomId: header.classroomId, takenAt: now };
  }

  /** A document's snapshots, newest first. */
  async list(documentId: string): Promise<SnapshotSummary[]> {
    const records = await this.models.documentSnapshots
      .find({ documentId }, { state: 0, vector: 0, authors: 0 })
      .sort({ takenAt: -1 })
      .lean();
    return records.map(summaryOf);
  }

  /** The state vector of a document's newest snapshot: whether it changed since. */
  async latestVector(documentId: string): Promise<Uint8Array | undefined> {
    const [record] = await this.models.documentSnapshots
      .find({ documentId }, { vector: 1 })
      .sort({ takenAt: -1 })
      .limit(1)
      .lean();
    return record ? bytesOf(record.vector) : undefined;
  }

  /** One snapshot of a classroom's document; 404 for another classroom's or none. */
  async get(classroomId: string, id: string): Promise<DocumentSnapshot> {
    const record = await this.models.documentSnapshots.findById(id).lean();
    if (!record || record.classroomId !== classroomId) {
      throw new NotFoundError('No such snapshot', 'NOT_FOUND');
    }
    return {
      ...summaryOf(record),
      state: bytesOf(record.state),
      authors: new Map(record.authors.map((author) => [author.client, author.userKey])),
    };
  }

  /**
   * A user's data erased: their name leaves every snapshot's contributors
   * and their Yjs clients are no longer tied to them; the text stays.
   */
  async eraseUser(userKey: string): Promise<number> {
    const records = await this.models.documentSnapshots
      .find(
        { $or: [{ 'contributors.userKey': userKey }, { 'authors.userKey': userKey }] },
        { authors: 1, contributors: 1 },
      )
      .lean();
    // Rewritten by `_id`: every MongoDB-compatible server does that the same way.
    for (const record of records) {
      await this.models.documentSnapshots.updateOne(
        { _id: record._id },
        {
          $set: {
            authors: record.authors.filter((author) => author.userKey !== userKey),
            contributors: record.contributors.filter((contributor) => contributor.userKey !== userKey),
          },
        },
      );
    }
    return records.length;
  }

  async deleteExpired(now: Date): Promise<number> {
    return (await this.models.documentSnapshots.deleteMany({ expiresAt: { $lt: now } })).deletedCount;
  }
}
