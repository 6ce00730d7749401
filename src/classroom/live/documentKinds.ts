import type { DocumentKinds } from '../../collab/DocumentHub.js';
import type { ClassroomContext } from './ClassroomContext.js';
import type { Groups } from './groups/Groups.js';
import type { Participant } from './Participant.js';
import { boardRules } from './board/boardDocument.js';
import type { DrawingRights } from './board/DrawingRights.js';
import { notesRules } from './notes/notesDocument.js';
import type { Notes } from './notes/Notes.js';

/** What the rules of the classroom's shared documents read. */
export interface DocumentRulesContext {
  ctx: ClassroomContext;
  groups: Groups;
  drawing: DrawingRights;
  notes: Pick<Notes, 'writers' | 'seen'>;
}

/** Every kind of shared document a classroom has, each with its rules: a new kind adds one line here. */
export function documentKinds({
  ctx,
  groups,
  drawing,
  notes,
}: DocumentRulesContext): DocumentKinds<Participant> {
  return {
    board: boardRules(ctx, groups, drawing),
    notes: notesRules({
      ctx,
      groups,
      writers: notes.writers,
      seen: (participant) => notes.seen(participant),
    }),
  };
}
