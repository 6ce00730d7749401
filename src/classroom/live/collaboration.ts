import { DocumentHub } from '../../collab/DocumentHub.js';
import { DrawingRights } from './board/DrawingRights.js';
import { Whiteboard } from './board/Whiteboard.js';
import type { ClassroomContext, RoomServices } from './ClassroomContext.js';
import { documentKinds } from './documentKinds.js';
import type { Groups } from './groups/Groups.js';
import { Notes } from './notes/Notes.js';
import type { Participant } from './Participant.js';

/** What a class writes and draws together: the board and slides, the notes, and the documents under both. */
export interface CollaborationFeatures {
  /** Who may draw on the class's board besides teachers. */
  readonly drawing: DrawingRights;
  /** The class's shared documents (whiteboards, notes), over the signalling connection. */
  readonly collab: DocumentHub<Participant>;
  /** What the main room shows (cameras, board, slides) and who may draw. */
  readonly board: Whiteboard;
  /** The class's shared notes: pages, who may write, groups' notes, snapshots. */
  readonly notes: Notes;
}

/**
 * Builds them in the order they need each other: the notes' rules read the
 * notes' writers, and the notes change their document through the hub.
 */
export function createCollaboration(
  ctx: ClassroomContext,
  groups: Groups,
  services: Pick<RoomServices, 'documents' | 'writes'>,
): CollaborationFeatures {
  const drawing = new DrawingRights();
  const notes: Notes = new Notes(ctx, groups, () => collab);
  const collab: DocumentHub<Participant> = new DocumentHub<Participant>({
    classroomId: ctx.classroomId,
    kinds: documentKinds({ ctx, groups, drawing, notes }),
    store: services.documents,
    writes: services.writes,
    logger: ctx.logger,
  });
  const board = new Whiteboard(ctx, drawing, () => collab.refreshAccess());
  return { drawing, collab, board, notes };
}
