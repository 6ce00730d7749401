import type { E2eeMember } from '../../../protocol/index.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../shared/errors.js';
import type { GroupContext } from '../groups/GroupContext.js';
import type { MediaSession } from '../media/MediaSession.js';
import type { Participant } from '../Participant.js';

/** Refuses key traffic in a lesson that is not encrypted. */
export function requireEncrypted(ctx: GroupContext): void {
  if (!ctx.classroom.endToEndEncryption)
    throw new ForbiddenError('This lesson is not end-to-end encrypted', 'ENCRYPTION_OFF');
}

/**
 * The key exchange of one group of an encrypted lesson, as the server sees
 * it: opaque. It knows each member's public key (in the order they announced
 * it), names the key leader (the teacher present longest, else the member
 * present longest), and relays wrapped media keys from the leader to one
 * member each, never to anyone outside the group and never an epoch older
 * than one already relayed to that member. It cannot open what it relays.
 */
export class KeyRelay {
  /** Members' public keys in announcement order (a Map keeps insertion order). */
  private readonly keys = new Map<string, string>();
  /** The newest epoch relayed to each member. */
  private readonly relayed = new Map<string, number>();
  /** The newest epoch relayed to anyone in the group. */
  private newestEpoch = 0;

  constructor(
    private readonly ctx: GroupContext,
    private readonly media: Pick<MediaSession, 'mediaOf'>,
  ) {}

  /** A page that took a new key asks every sender it receives for a keyframe it can decrypt. */
  async requestKeyFrames(participant: Participant): Promise<number> {
    const video = this.media
      .mediaOf(participant)
      .consumers()
      .filter((entry) => entry.consumer.kind === 'video' && !entry.consumer.closed);
    await Promise.all(video.map((entry) => entry.consumer.requestKeyFrame()));
    return video.length;
  }

  /** A page of this group says its public key: the group hears the new member list. */
  announce(participant: Participant, publicKey: string): void {
    requireEncrypted(this.ctx);
    const known = this.keys.get(participant.id);
    if (known !== publicKey) {
      // A new key pair is a new member for the others: it goes to the end of the order.
      this.keys.delete(participant.id);
      this.relayed.delete(participant.id);
      this.keys.set(participant.id, publicKey);
      this.ctx.logger.info({ participantId: participant.id }, 'announce() | member key announced');
    }
    this.broadcast();
  }

  /** The leader hands one member the media key, wrapped for that member. */
  sendKey(from: Participant, message: { to: string; epoch: number; blob: string }): void {
    requireEncrypted(this.ctx);
    if (this.leaderId() !== from.id)
      throw new ForbiddenError('Only the key leader distributes keys', 'NOT_KEY_LEADER');
    const target = this.ctx.members.get(message.to);
    if (!target || target === from || target.state !== 'joined' || !this.keys.has(message.to))
      throw new NotFoundError('This participant has no key in this room', 'NO_MEMBER_KEY');
    const last = this.relayed.get(message.to) ?? 0;
    if (message.epoch <= last)
      throw new ConflictError(`Epoch ${message.epoch} is not newer than ${last}`, 'STALE_KEY');
    this.relayed.set(message.to, message.epoch);
    this.newestEpoch = Math.max(this.newestEpoch, message.epoch);
    target.emit('e2ee:key', { from: from.id, epoch: message.epoch, blob: message.blob });
  }

  /** Who distributes the key: the teacher who announced first, else whoever announced first. */
  leaderId(): string | null {
    const present = this.present();
    const teacher = present.find((participant) => participant.isTeacher);
    return (teacher ?? present[0])?.id ?? null;
  }

  members(): E2eeMember[] {
    return this.present().map((participant) => ({
      participantId: participant.id,
      publicKey: this.keys.get(participant.id)!,
    }));
  }

  /** A member left the group (left, removed, moved): the rest hear it and the leader makes a new key. */
  forget(participant: Participant): void {
    this.relayed.delete(participant.id);
    if (this.keys.delete(participant.id)) this.broadcast();
  }

  /** Someone's connection dropped: they are no member until their page comes back and announces again. */
  prune(): void {
    let changed = false;
    for (const participantId of [...this.keys.keys()]) {
      if (this.ctx.members.get(participantId)?.state !== 'joined') {
        this.keys.delete(participantId);
        this.relayed.delete(participantId);
        changed = true;
      }
    }
    if (changed) this.broadcast();
  }

  private present(): Participant[] {
    return [...this.keys.keys()].flatMap((participantId) => {
      const participant = this.ctx.members.get(participantId);
      return participant?.state === 'joined' ? [participant] : [];
    });
  }

  private broadcast(): void {
    if (!this.ctx.classroom.endToEndEncryption) return;
    this.ctx.members.broadcast('e2ee:members', {
      members: this.members(),
      leaderId: this.leaderId(),
      epoch: this.newestEpoch,
    });
  }
}
