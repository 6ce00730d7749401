import type { DocumentHeader, DocumentStore, StoredDocument } from '../../src/collab/DocumentStore.js';

/** Shared-document snapshots in memory, with the store's revision rule (a write expects what it read). */
export class MemoryDocumentStore implements Pick<DocumentStore, 'load' | 'put'> {
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
}
