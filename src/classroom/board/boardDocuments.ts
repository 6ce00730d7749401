import type * as Y from 'yjs';
import type { DocumentStore } from '../../collab/DocumentStore.js';
import { readDocument } from '../../collab/readDocument.js';
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
  return readDocument(room?.collab, deps.documents, classroomId, { kind: 'board', group });
}
