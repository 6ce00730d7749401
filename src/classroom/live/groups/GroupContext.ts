import type { Logger } from '../../../shared/logger.js';
import type { ClassroomContext } from '../ClassroomContext.js';
import { Members } from './Members.js';

/** A breakout group of a class: its id and the name people see. */
export interface GroupInfo {
  id: string;
  name: string;
}

/** What a group's features read: the classroom's context, the group and its members. */
export interface GroupContext extends ClassroomContext {
  /** The breakout group; null for the class's main room. */
  readonly group: GroupInfo | null;
  readonly members: Members;
}

/** The classroom's context for one group, with the group on every log line. */
export function createGroupContext(ctx: ClassroomContext, group: GroupInfo | null): GroupContext {
  const logger: Logger = group ? ctx.logger.child({ group: group.id }) : ctx.logger;
  return {
    classroomId: ctx.classroomId,
    roster: ctx.roster,
    get classroom() {
      return ctx.classroom;
    },
    get lesson() {
      return ctx.lesson;
    },
    services: ctx.services,
    logger,
    membershipQueue: ctx.membershipQueue,
    group,
    members: new Members(),
  };
}
