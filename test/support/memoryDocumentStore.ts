import type {
  DocumentHeader,
  DocumentStore,
  DocumentSummary,
  StoredDocument,
} from '../../src/collab/DocumentStore.js';

/** Shared-document snapshots in memory, with the store's revision rule (a write expects what it read). */
export class MemoryDocumentStore implements Pick<DocumentStore, 'load' | 'put' | 'list'> {
  readonly records = new Map<string, StoredDocument & { header: DocumentHeader }>();
  writes = 0;

  async load(id: string): Promise<StoredDocument | undefined> {
    const record = this.records.get(id);
    return record && { state: record.state, authors: new Map(record.authors), rev: record.rev };
  }

  async put(
    header: DocumentHeader,
    snapshot: { state: Uint8Array; authors: Map<number, string> },
    expectedRev: number | undefined,
  ): Promise<boolean> {
    const current = this.records.get(header.id);
    if (current?.rev !== expectedRev) return false;
    this.writes += 1;
    this.records.set(header.id, {
      header,
      state: snapshot.state.slice(),
      authors: new Map(snapshot.authors),
      rev: (expectedRev ?? 0) + 1,
    });
    return true;
  }

  async list(classroomId: string): Promise<DocumentSummary[]> {
    return [...this.records.values()]
      .filter((record) => record.header.classroomId === classroomId)
      .map(({ header, state }) => ({
        id: header.id,
        kind: header.kind,
        group: header.group,
        label: header.label ?? null,
        lessonId: header.lessonId ?? null,
        bytes: state.byteLength,
        updatedAt: new Date(),
      }));
  }
}
