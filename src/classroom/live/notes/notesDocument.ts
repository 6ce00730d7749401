import type { DocumentRules } from '../../../collab/CollabDocument.js';
import type { DrawingRights } from '../board/DrawingRights.js';
import type { ClassroomContext } from '../ClassroomContext.js';
import type { Groups } from '../groups/Groups.js';
import type { Participant } from '../Participant.js';

/** The class's notes (every page of every lesson) may grow to about this. */
export const NOTES_MAX_BYTES = 4 * 1024 * 1024;
/** A breakout group's notes: one lesson's page. */
export const GROUP_NOTES_MAX_BYTES = 1024 * 1024;

/** Every page is a fragment `page/<id>` (a group's one page is `page/group`). */
const PAGE_ROOT = /^page\/[A-Za-z0-9_-]{1,40}$/;
const CARET_COLOUR = /^#[0-9a-f]{6}$/i;

/** What the notes' rules read besides the classroom: who may write, and the names of those who opened them. */
export interface NotesRulesContext {
  ctx: ClassroomContext;
  groups: Groups;
  writers: DrawingRights;
  /** Called with everyone who opens the notes: the names the history shows for their clients. */
  seen(participant: Participant): void;
}

/**
 * The shared notes as a document kind: the class's notes (group null), one
 * fragment per page, and one per breakout group. The class's notes:
 * teachers (and TAs) write; students write when the teacher lets everyone
 * or them; everyone in the lesson reads, and before the lesson starts so do
 * those waiting for it. A group's notes: its members write (restricted
 * members read), teachers write in every group's, nobody else sees them.
 * A caret carries its writer's own name, whatever the page sent.
 */
export function notesRules({ ctx, groups, writers, seen }: NotesRulesContext): DocumentRules<Participant> {
  return {
    root: (name) => PAGE_ROOT.test(name),
    maxBytes: NOTES_MAX_BYTES,
    access(participant, group) {
      const access = accessTo(participant, group);
      if (access !== 'none') seen(participant);
      return access;
    },
    describe(group) {
      if (group === null) return {};
      const info = groups.breakoutGroups().find((candidate) => candidate.info?.id === group)?.info;
      return { ...(info ? { label: info.name } : {}), ...(ctx.lesson ? { lessonId: ctx.lesson._id } : {}) };
    },
    awareness(participant, state) {
      if (!state || typeof state !== 'object') return state;
      const { user } = state as { user?: { color?: unknown } };
      const color = typeof user?.color === 'string' && CARET_COLOUR.test(user.color) ? user.color : '#1f6feb';
      return { ...state, user: { name: participant.displayName, color } };
    },
  };

  function accessTo(participant: Participant, group: string | null) {
    if (group !== null) {
      if (participant.state !== 'joined') return 'none';
      if (participant.isTeacher) return 'write';
      if (groups.of(participant)?.info?.id !== group) return 'none';
      return participant.restricted ? 'read' : 'write';
    }
    if (participant.state === 'joined') return writers.mayDraw(participant) ? 'write' : 'read';
    if (participant.state !== 'lobby') return 'none';
    // Before the lesson: the teacher prepares, the class reads; the waiting room admits first.
    if (participant.isTeacher) return 'write';
    return participant.lobbyReason === 'not-started' ? 'read' : 'none';
  }
}
