import * as Y from 'yjs';
import type { DocumentHeader } from '../../src/collab/DocumentStore.js';
import type {
  DocumentSnapshot,
  SnapshotInput,
  SnapshotStore,
  SnapshotSummary,
} from '../../src/collab/SnapshotStore.js';
import {
  EMPTY_NOTEBOOK,
  type Notebook,
  type NotebookStore,
} from '../../src/classroom/notes/NotebookStore.js';
import { NotFoundError } from '../../src/shared/errors.js';
import { randomId } from '../../src/shared/ids.js';

/** Notebooks in memory, by classroom, as saved (a restart of a classroom reads them back). */
export class MemoryNotebooks implements Pick<NotebookStore, 'load' | 'save'> {
  readonly records = new Map<string, Notebook>();

  async load(classroomId: string): Promise<Notebook> {
    return structuredClone(this.records.get(classroomId) ?? EMPTY_NOTEBOOK);
  }

  save(classroomId: string, notebook: Notebook): void {
    this.records.set(classroomId, structuredClone(notebook));
  }
}

/** Snapshots in memory, newest last. */
export class MemorySnapshots implements Pick<SnapshotStore, 'take' | 'get' | 'list' | 'latestVector'> {
  readonly records: DocumentSnapshot[] = [];

  async take(header: DocumentHeader, input: SnapshotInput): Promise<DocumentSnapshot> {
    const snapshot = {
      ...input,
      state: input.state.slice(),
      id: randomId(12),
      documentId: header.id,
      classroomId: header.classroomId,
      takenAt: new Date(),
    };
    this.records.push(snapshot);
    return snapshot;
  }

  async list(documentId: string): Promise<SnapshotSummary[]> {
    return this.records.filter((record) => record.documentId === documentId).reverse();
  }

  async latestVector(documentId: string): Promise<Uint8Array | undefined> {
    const latest = this.records.filter((record) => record.documentId === documentId).at(-1);
    return latest && Y.encodeStateVectorFromUpdate(latest.state);
  }

  async get(classroomId: string, id: string): Promise<DocumentSnapshot> {
    const found = this.records.find((record) => record.id === id && record.classroomId === classroomId);
    if (!found) throw new NotFoundError('No such snapshot', 'NOT_FOUND');
    return found;
  }
}
