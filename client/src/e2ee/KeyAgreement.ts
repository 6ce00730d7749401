// How the pages of an encrypted group agree on the media key, with the
// server as a relay it cannot read through. Each page announces the public
// half of a key pair made for this join. The leader the server names (the
// teacher present longest, else the member present longest) makes the media
// secret and wraps it for every member with HPKE. Someone left, or the leader
// changed: a new random secret for everyone. Someone joined: everyone
// ratchets the secret one step, and the newcomer gets the ratcheted one, so
// it cannot read what came before. A key is taken only from the leader, only
// newer than the last taken, and only if it opens for this page: a forged,
// misaddressed or replayed blob changes nothing.
import type { E2eeEvents, E2eeMember, RequestPayload, RequestResults } from '@protocol';
import { newMediaSecret, ratchet } from './keySchedule';
import { createIdentity, unwrapSecret, wrapSecret, type Identity } from './keyWrap';
import { securityCode } from './securityCode';

type E2eeRequest = 'e2ee:announce' | 'e2ee:sendKey' | 'requestKeyFrame';

/** What the agreement needs of the signalling connection. */
export interface KeyChannel {
  request<N extends E2eeRequest>(name: N, payload: RequestPayload<N>): Promise<RequestResults[N]>;
}

/** Where a new key goes: the frame cipher. */
export interface KeySink {
  setKey(epoch: number, secret: Uint8Array<ArrayBuffer>): Promise<void>;
}

export interface KeyState {
  /** The members' security code; null until the member list arrived. */
  code: string | null;
  members: E2eeMember[];
  leaderId: string | null;
  /** The epoch frames are sealed with now; 0 while this page has no key. */
  epoch: number;
  /** The server's list did not carry this page's own key: nothing it sent can be trusted. */
  listMismatch: boolean;
}

/** Why a key message was not taken. */
export type KeyRefusal = 'not-leader' | 'replayed' | 'does-not-open';

export class KeyAgreement {
  private identity: Identity | undefined;
  private selfId: string | undefined;
  private secret: Uint8Array<ArrayBuffer> | undefined;
  private epoch = 0;
  /** The newest epoch taken from a leader: anything not newer is a replay. */
  private newestTaken = 0;
  private members: E2eeMember[] = [];
  private leaderId: string | null = null;
  /** Messages are handled one after another, in the order they came. */
  private queue: Promise<void> = Promise.resolve();
  /** The page left this room: a step still under way installs and sends nothing. */
  private stopped = false;
  private markKeyed: () => void = () => undefined;
  /** Resolves when this page first holds a key: its receivers can open what arrives from then on. */
  readonly keyed = new Promise<void>((resolve) => (this.markKeyed = resolve));

  constructor(
    private readonly channel: KeyChannel,
    private readonly sink: KeySink,
    private readonly changed: (state: KeyState) => void,
    private readonly refused: (why: KeyRefusal) => void = () => undefined,
  ) {}

  /** This page joined (or came back) as `selfId`: its public key goes to the group. */
  async join(selfId: string): Promise<void> {
    this.identity ??= await createIdentity();
    this.selfId = selfId;
    await this.channel.request('e2ee:announce', { publicKey: this.identity.publicKey });
  }

  onMembers(update: E2eeEvents['e2ee:members']): Promise<void> {
    return this.enqueue(() => this.membersChanged(update));
  }

  onKey(message: E2eeEvents['e2ee:key']): Promise<void> {
    return this.enqueue(() => this.keyArrived(message));
  }

  /** The page left the room this agreement was for. */
  stop(): void {
    this.stopped = true;
  }

  get publicKey(): string | undefined {
    return this.identity?.publicKey;
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const run = () => (this.stopped ? Promise.resolve() : step());
    this.queue = this.queue.then(run, run);
    return this.queue;
  }

  private async membersChanged({ members, leaderId, epoch }: E2eeEvents['e2ee:members']): Promise<void> {
    const before = new Set(this.members.map((member) => member.participantId));
    const now = new Set(members.map((member) => member.participantId));
    const left = [...before].filter((id) => !now.has(id));
    const joined = members.filter((member) => !before.has(member.participantId));
    const leaderChanged = leaderId !== this.leaderId;
    this.members = members;
    this.leaderId = leaderId;
    const own = members.find((member) => member.participantId === this.selfId);
    const listMismatch = Boolean(own && own.publicKey !== this.identity?.publicKey);
    if (own && !listMismatch) {
      if (leaderId === this.selfId) {
        if (!this.secret || left.length > 0 || leaderChanged) {
          await this.install(Math.max(this.epoch, epoch) + 1, newMediaSecret());
          await this.distribute(members);
        } else if (joined.length > 0) {
          await this.install(this.epoch + 1, await ratchet(this.secret));
          await this.distribute(joined);
        }
      } else if (
        this.secret &&
        joined.length > 0 &&
        left.length === 0 &&
        !leaderChanged &&
        !joined.some((member) => member.participantId === this.selfId)
      ) {
        await this.install(this.epoch + 1, await ratchet(this.secret));
      }
    }
    await this.report(listMismatch);
  }

  private async keyArrived({ from, epoch, blob }: E2eeEvents['e2ee:key']): Promise<void> {
    if (from !== this.leaderId) return this.refused('not-leader');
    if (epoch <= this.newestTaken) return this.refused('replayed');
    if (!this.identity || !this.selfId) return this.refused('does-not-open');
    let secret: Uint8Array<ArrayBuffer>;
    try {
      secret = await unwrapSecret(this.identity, blob, { from, to: this.selfId, epoch });
    } catch {
      return this.refused('does-not-open');
    }
    this.newestTaken = epoch;
    await this.install(epoch, secret);
    // Senders' next keyframes are sealed with a key we hold: ask for them now rather than wait.
    await this.channel.request('requestKeyFrame', {}).catch(() => undefined);
    await this.report(false);
  }

  private async install(epoch: number, secret: Uint8Array<ArrayBuffer>): Promise<void> {
    if (this.stopped) return;
    this.epoch = epoch;
    this.secret = secret;
    await this.sink.setKey(epoch, secret);
    this.markKeyed();
  }

  /** The current secret, wrapped for each of them; someone gone meanwhile is skipped. */
  private async distribute(to: E2eeMember[]): Promise<void> {
    const { secret, epoch, selfId } = this;
    if (!secret || !selfId || this.stopped) return;
    await Promise.all(
      to
        .filter((member) => member.participantId !== selfId)
        .map(async (member) => {
          const blob = await wrapSecret(member.publicKey, secret, {
            from: selfId,
            to: member.participantId,
            epoch,
          });
          await this.channel
            .request('e2ee:sendKey', { to: member.participantId, epoch, blob })
            .catch(() => undefined);
        }),
    );
  }

  private async report(listMismatch: boolean): Promise<void> {
    const state = await this.state(listMismatch);
    if (!this.stopped) this.changed(state);
  }

  private async state(listMismatch: boolean): Promise<KeyState> {
    return {
      code: this.members.length ? await securityCode(this.members) : null,
      members: this.members,
      leaderId: this.leaderId,
      epoch: this.secret ? this.epoch : 0,
      listMismatch,
    };
  }
}
