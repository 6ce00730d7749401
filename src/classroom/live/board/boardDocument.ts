import type { DocumentRules } from '../../../collab/CollabDocument.js';
import type { ClassroomContext } from '../ClassroomContext.js';
import type { Groups } from '../groups/Groups.js';
import type { Participant } from '../Participant.js';
import type { DrawingRights } from './DrawingRights.js';

/** A board's snapshot may grow to about this; past it the teacher is asked to clear pages. */
export const BOARD_MAX_BYTES = 5 * 1024 * 1024;

/**
 * The board's top-level types: `order` (its blank pages, in order) and one
 * array of shapes per page (`page/b:<id>` for a blank page,
 * `page/s:<deck>:<n>` for a slide's annotations). Top-level types never
 * clash, so two people drawing first on the same page both keep their strokes.
 */
const BOARD_ROOT = /^(order|page\/[A-Za-z0-9:._-]{1,100})$/;

/**
 * The whiteboard as a shared document: the class's board (group null) and
 * one per breakout group. The class's board: teachers write, students
 * write when the teacher gave them the pen, everyone in the lesson reads.
 * A group's board: its members write (restricted members read), teachers
 * write on every group's board, nobody else sees it.
 */
export function boardRules(
  ctx: ClassroomContext,
  groups: Groups,
  drawing: DrawingRights,
): DocumentRules<Participant> {
  return {
    root: (name) => BOARD_ROOT.test(name),
    maxBytes: BOARD_MAX_BYTES,
    access(participant, group) {
      if (participant.state !== 'joined') return 'none';
      if (group === null) return drawing.mayDraw(participant) ? 'write' : 'read';
      if (participant.isTeacher) return 'write';
      if (groups.of(participant)?.info?.id !== group) return 'none';
      return participant.restricted ? 'read' : 'write';
    },
    describe(group) {
      if (group === null) return {};
      const info = groups.breakoutGroups().find((candidate) => candidate.info?.id === group)?.info;
      return { ...(info ? { label: info.name } : {}), ...(ctx.lesson ? { lessonId: ctx.lesson._id } : {}) };
    },
  };
}
