import * as Y from 'yjs';
import { documentRecordId, type DocumentStore } from '../../collab/DocumentStore.js';
import type { RoomRegistry } from '../live/RoomRegistry.js';

/**
 * A board as it is now, for an export: the live document when the classroom
 * runs on this node (strokes of the last seconds included), else the snapshot.
 */
export async function readBoard(
  deps: { rooms: Pick<RoomRegistry, 'peek'>; documents: Pick<DocumentStore, 'load'> },
  classroomId: string,
  group: string | null,
): Promise<Y.Doc> {
  const room = await deps.rooms.peek(classroomId);
  if (room) return room.collab.read({ kind: 'board', group });
  const doc = new Y.Doc();
  const stored = await deps.documents.load(documentRecordId(classroomId, 'board', group));
  if (stored) Y.applyUpdate(doc, stored.state);
  return doc;
}
