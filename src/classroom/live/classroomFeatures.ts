import type { Captions } from './captions/Captions.js';
import type { Breakouts } from './groups/Breakouts.js';
import type { ClassSettings } from './interaction/ClassSettings.js';
import type { Moderation } from './interaction/Moderation.js';
import type { Polls } from './interaction/Polls.js';
import type { LessonLifecycle } from './membership/LessonLifecycle.js';
import type { Lobby } from './membership/Lobby.js';
import type { Membership } from './membership/Membership.js';
import type { Reconnection } from './membership/Reconnection.js';
import type { Roster } from './Roster.js';

// The classroom's features grouped behind narrow interfaces; the classroom builds them in order.

/** Who is in the lesson, and how they get in and out. */
export interface MembershipFeatures {
  readonly roster: Roster;
  readonly lesson: LessonLifecycle;
  readonly membership: Membership;
  readonly lobby: Lobby;
  readonly reconnection: Reconnection;
}

/** What the class does together, across its groups (each group's media, chat and hands are its own). */
export interface InteractionFeatures {
  readonly polls: Polls;
  readonly moderation: Moderation;
  readonly settings: ClassSettings;
  readonly breakouts: Breakouts;
  /** Live captions: typed by captioners, recognised from the active speaker. */
  readonly captions: Captions;
}
