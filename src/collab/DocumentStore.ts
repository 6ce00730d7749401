import type { DocumentKind } from '../protocol/index.js';
import type { Models } from '../store/models/index.js';

/** Where a document lives and what the history says about it. */
export interface DocumentHeader {
  /** `${classroomId}/${kind}/${group|class}`. */
  id: string;
  classroomId: string;
  kind: DocumentKind;
  group: string | null;
  label?: string;
  lessonId?: string;
}

export interface StoredDocument {
  state: Uint8Array;
  /** Yjs client id → the user key of whoever wrote with it. */
  authors: Map<number, string>;
  rev: number;
}

/** A document as the lesson history lists it. */
export interface DocumentSummary {
  id: string;
  kind: string;
  group: string | null;
  label: string | null;
  lessonId: string | null;
  bytes: number;
  updatedAt: Date;
}

/** A stored Buffer as a lean read returns it (BSON Binary), as bytes. */
export function bytesOf(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  const inner = (value as { buffer?: unknown }).buffer;
  if (inner instanceof Uint8Array) return inner;
  throw new Error('stored state is not binary');
}

export function documentRecordId(classroomId: string, kind: string, group: string | null): string {
  return `${classroomId}/${kind}/${group ?? 'class'}`;
}

/**
 * The one owner of `collabDocuments`: snapshots read and written by `_id`,
 * each write conditional on the revision it read, so two writers never
 * overwrite each other (the loser merges and writes again).
 */
export class DocumentStore {
  constructor(
    private readonly models: Models,
    private readonly retentionMs: number,
    /** Kinds kept for another time than `retentionMs` (the notes), counted from their last change. */
    private readonly retentionByKind: Partial<Record<DocumentKind, number>> = {},
  ) {}

  async load(id: string): Promise<StoredDocument | undefined> {
    const record = await this.models.collabDocuments.findById(id).lean();
    if (!record) return undefined;
    return {
      state: bytesOf(record.state),
      authors: new Map(record.authors.map((author) => [author.client, author.userKey])),
      rev: record.rev,
    };
  }

  /**
   * Writes a snapshot if the stored one is still at `expectedRev` (undefined:
   * none stored yet). Answers whether it was written; false means another
   * writer came first.
   */
  async put(
    header: DocumentHeader,
    snapshot: { state: Uint8Array; authors: Map<number, string> },
    expectedRev: number | undefined,
  ): Promise<boolean> {
    const now = new Date();
    const fields = {
      classroomId: header.classroomId,
      kind: header.kind,
      group: header.group,
      ...(header.label ? { label: header.label } : {}),
      ...(header.lessonId ? { lessonId: header.lessonId } : {}),
      state: Buffer.from(snapshot.state.buffer, snapshot.state.byteOffset, snapshot.state.byteLength),
      authors: [...snapshot.authors].map(([client, userKey]) => ({ client, userKey })),
      bytes: snapshot.state.byteLength,
      updatedAt: now,
      expiresAt: new Date(now.getTime() + (this.retentionByKind[header.kind] ?? this.retentionMs)),
    };
    if (expectedRev === undefined) {
      try {
        await this.models.collabDocuments.create({ _id: header.id, ...fields, rev: 1 });
        return true;
      } catch (error) {
        if ((error as { code?: number }).code === 11000) return false;
        throw error;
      }
    }
    const result = await this.models.collabDocuments.updateOne(
      { _id: header.id, rev: expectedRev },
      { $set: { ...fields, rev: expectedRev + 1 } },
    );
    return result.matchedCount === 1;
  }

  /** The class's documents (its own and its breakout groups'), newest first. */
  async list(classroomId: string): Promise<DocumentSummary[]> {
    const records = await this.models.collabDocuments
      .find({ classroomId }, { state: 0, authors: 0 })
      .sort({ updatedAt: -1 })
      .lean();
    return records.map((record) => ({
      id: record._id,
      kind: record.kind,
      group: record.group ?? null,
      label: record.label ?? null,
      lessonId: record.lessonId ?? null,
      bytes: record.bytes,
      updatedAt: record.updatedAt,
    }));
  }

  /** Where a stored document belongs, to write it back. */
  async header(id: string): Promise<DocumentHeader | undefined> {
    const record = await this.models.collabDocuments.findById(id, { state: 0, authors: 0 }).lean();
    if (!record) return undefined;
    return {
      id,
      classroomId: record.classroomId,
      kind: record.kind as DocumentKind,
      group: record.group ?? null,
      ...(record.label ? { label: record.label } : {}),
      ...(record.lessonId ? { lessonId: record.lessonId } : {}),
    };
  }

  /** The ids of documents a user wrote to. */
  async writtenBy(userKey: string): Promise<string[]> {
    const records = await this.models.collabDocuments.find({ 'authors.userKey': userKey }, { _id: 1 }).lean();
    return records.map((record) => record._id);
  }

  async delete(id: string): Promise<boolean> {
    return (await this.models.collabDocuments.deleteOne({ _id: id })).deletedCount === 1;
  }

  async deleteExpired(now: Date): Promise<number> {
    return (await this.models.collabDocuments.deleteMany({ expiresAt: { $lt: now } })).deletedCount;
  }
}
