import * as Y from 'yjs';
import type { DocumentId } from '../protocol/index.js';
import type { DocumentHub } from './DocumentHub.js';
import { documentRecordId, type DocumentStore } from './DocumentStore.js';

/**
 * A document as it is now, for reading on the server (an export): the live
 * one when its classroom runs on this node (the last seconds' changes
 * included), else its stored snapshot.
 */
export async function readDocument(
  hub: Pick<DocumentHub<never>, 'read'> | undefined,
  store: Pick<DocumentStore, 'load'>,
  classroomId: string,
  docId: DocumentId,
): Promise<Y.Doc> {
  if (hub) return hub.read(docId);
  const doc = new Y.Doc();
  const stored = await store.load(documentRecordId(classroomId, docId.kind, docId.group));
  if (stored) Y.applyUpdate(doc, stored.state);
  return doc;
}
