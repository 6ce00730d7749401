import type { ParticipantMedia } from '../../media/ParticipantMedia.js';
import type { ParticipantInfo, ServerEventName, ServerEvents } from '../../signaling/protocol.js';
import { randomId } from '../../shared/ids.js';
import type { AulaRole, PermissionSubject } from '../permissions.js';

/** How the room reaches one participant's connection; the signalling layer implements it. */
export interface ParticipantChannel {
  emit<E extends ServerEventName>(event: E, payload: ServerEvents[E]): void;
  disconnect(reason: string): void;
}

export interface ParticipantIdentity {
  userKey: string;
  lmsUserId?: string;
  displayName: string;
  role: AulaRole;
  restricted: boolean;
}

export type ParticipantState = 'connected' | 'lobby' | 'joined' | 'left';

/** One connection (one browser tab) in a classroom. Two tabs of one user are two participants sharing a seat. */
export class Participant implements PermissionSubject {
  readonly id = randomId(9);
  state: ParticipantState = 'connected';
  handRaisedAt: number | null = null;
  hasFloor = false;
  waitingSince = Date.now();
  media: ParticipantMedia | undefined;
  attendanceId: string | undefined;
  /** Tiles this participant's client shows; undefined until it reports them. */
  visible: Set<string> | undefined;
  focus: string | null = null;

  constructor(
    readonly identity: ParticipantIdentity,
    readonly channel: ParticipantChannel,
  ) {}

  get userKey(): string {
    return this.identity.userKey;
  }

  get role(): AulaRole {
    return this.identity.role;
  }

  get restricted(): boolean {
    return this.identity.restricted;
  }

  get displayName(): string {
    return this.identity.displayName;
  }

  get isTeacher(): boolean {
    return this.identity.role === 'teacher';
  }

  emit<E extends ServerEventName>(event: E, payload: ServerEvents[E]): void {
    this.channel.emit(event, payload);
  }

  info(): ParticipantInfo {
    const sources: ParticipantInfo['sources'] = {};
    for (const [source, producer] of this.media?.producers ?? []) {
      sources[source] = { producerId: producer.id, paused: producer.paused };
    }
    return {
      id: this.id,
      displayName: this.displayName,
      role: this.role,
      handRaisedAt: this.handRaisedAt,
      hasFloor: this.hasFloor,
      sources,
    };
  }
}
