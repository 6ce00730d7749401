import ipaddr from 'ipaddr.js';
import type { RateLimiterRes } from 'rate-limiter-flexible';
import { TooManyRequestsError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { NoteRefusal } from '../shared/refusalKinds.js';
import type { DatabaseRateLimiter } from '../store/DatabaseRateLimiter.js';
import type { InFlightCounter, SharedLimits, TurnQueue } from '../store/SharedLimits.js';

/** README "Guest password attempts" lists these defaults; keep both in step. */
export interface GuestAttemptLimits {
  /** Wrong passwords an address may enter before it has to wait. */
  freeFailuresPerAddress: number;
  /** The wait after the last free failure; it doubles with each further one. */
  firstWaitSeconds: number;
  maxWaitSeconds: number;
  /** How long an address's failures count, from its first. */
  addressMemorySeconds: number;
  /** Wrong passwords on one room, from every address, before the room is paced. */
  roomFailureBudget: number;
  roomWindowSeconds: number;
  /** On a paced room, attempts from networks that already failed there take turns this far apart. */
  roomTurnMs: number;
  /** The longest a paced attempt waits for its turn; beyond it the answer is 429. */
  roomMaxQueueMs: number;
  /** Wrong passwords across Aula in one window before newcomers on paced rooms take turns too. */
  globalFailureBudget: number;
  globalWindowSeconds: number;
}

export const defaultGuestAttemptLimits: GuestAttemptLimits = {
  freeFailuresPerAddress: 5,
  firstWaitSeconds: 60,
  maxWaitSeconds: 3600,
  addressMemorySeconds: 24 * 3600,
  roomFailureBudget: 30,
  roomWindowSeconds: 3600,
  roomTurnMs: 10_000,
  roomMaxQueueMs: 30_000,
  globalFailureBudget: 300,
  globalWindowSeconds: 900,
};

const WAIT = 'Too many wrong attempts. Please wait before trying again.';
const BUSY = 'Many people are trying to enter this room. Please try again in a moment.';

/**
 * Limits guessing guest passwords without letting anyone lock a class's guests out:
 *
 * - an address (IPv4 address, IPv6 /64) enters a few wrong passwords freely, then waits
 *   twice as long after each further one; only that address waits;
 * - a room with many failures from many addresses is paced, not closed: networks
 *   (IPv4 /24, IPv6 /48) that already failed there take turns, one verification per
 *   turn; a network new to the room is checked at once, so a guest with the right
 *   password gets in while strangers hammer the room;
 * - if failures flood all of Aula (an attacker with very many networks), newcomers on
 *   paced rooms take turns as well, which bounds the guesses on a room whatever the
 *   number of addresses.
 *
 * Counted per room name, known or not, so pacing says nothing about whether a room exists.
 * A success never clears an address's failures: a password for one's own room must not
 * buy more guesses on another. The counts, waits, turns and attempts in flight live in
 * the database (SharedLimits), so every Aula node applies the same limits.
 */
export class GuestAttemptLimiter {
  private readonly limits: GuestAttemptLimits;
  private readonly addressFailures: DatabaseRateLimiter;
  private readonly addressWaits: DatabaseRateLimiter;
  private readonly roomFailures: DatabaseRateLimiter;
  private readonly networkRoomFailures: DatabaseRateLimiter;
  private readonly globalFailures: DatabaseRateLimiter;
  /** Attempts being verified, per address: they count against its free failures until they end. */
  private readonly pending: InFlightCounter;
  /** Paced rooms' turns. */
  private readonly turns: TurnQueue;

  constructor(
    limits: Partial<GuestAttemptLimits>,
    store: SharedLimits,
    private readonly logger: Logger,
    private readonly noteRefusal: NoteRefusal = () => undefined,
  ) {
    this.limits = { ...defaultGuestAttemptLimits, ...limits };
    const counter = (name: string, points: number, duration: number) =>
      store.limiter({ keyPrefix: `guest-${name}`, points, duration });
    this.addressFailures = counter(
      'address',
      this.limits.freeFailuresPerAddress,
      this.limits.addressMemorySeconds,
    );
    this.addressWaits = counter('wait', 1, 1);
    this.roomFailures = counter('room', this.limits.roomFailureBudget, this.limits.roomWindowSeconds);
    this.networkRoomFailures = counter('network-room', 1, this.limits.roomWindowSeconds);
    this.globalFailures = counter('global', this.limits.globalFailureBudget, this.limits.globalWindowSeconds);
    // An attempt lasts its turn's wait and one password check; a node that died mid-attempt is forgotten after.
    this.pending = store.inFlight('guest-pending', this.limits.roomMaxQueueMs + 60_000);
    this.turns = store.turns('guest-room', {
      turnMs: this.limits.roomTurnMs,
      maxQueueMs: this.limits.roomMaxQueueMs,
    });
  }

  /**
   * Runs one password check for `clientIp` on `room` once the limits allow it; `check`
   * answers undefined for a wrong password (or an unknown room), which is counted.
   * Throws TooManyRequestsError when the address must wait or the room's queue is full.
   */
  async attempt<T>(
    clientIp: string,
    room: string,
    check: () => Promise<T | undefined>,
  ): Promise<T | undefined> {
    const address = prefixOf(clientIp, 32, 64);
    const leave = await this.reserve(address);
    try {
      const network = prefixOf(clientIp, 24, 48);
      if (await this.isPaced(network, room)) await this.takeTurn(room);
      const result = await check();
      if (result === undefined) await this.recordFailure(address, network, room);
      return result;
    } finally {
      await leave();
    }
  }

  /**
   * Admits the address's attempt and counts it as pending: counted in first, then checked,
   * so attempts racing on several nodes each see the others (and some see too many).
   */
  private async reserve(address: string): Promise<() => Promise<void>> {
    const wait = live(await this.addressWaits.get(address));
    if (wait && wait.consumedPoints > 1) {
      this.noteRefusal('guestPasswordLimit', 'address');
      throw new TooManyRequestsError(seconds(wait.msBeforeNext), WAIT);
    }
    const { count, leave } = await this.pending.enter(address);
    const failures = live(await this.addressFailures.get(address))?.consumedPoints ?? 0;
    const others = count - 1;
    // Attempts in flight count as failures until they end, so a burst cannot outrun the count;
    // past the free failures, an address has one attempt at a time.
    if (others > 0 && failures + others >= this.limits.freeFailuresPerAddress) {
      await leave();
      this.noteRefusal('guestPasswordLimit', 'address');
      throw new TooManyRequestsError(1, WAIT);
    }
    return leave;
  }

  private async isPaced(network: string, room: string): Promise<boolean> {
    const roomFailures = live(await this.roomFailures.get(room))?.consumedPoints ?? 0;
    if (roomFailures < this.limits.roomFailureBudget) return false;
    const globalFailures = live(await this.globalFailures.get('aula'))?.consumedPoints ?? 0;
    if (globalFailures >= this.limits.globalFailureBudget) return true;
    return Boolean(live(await this.networkRoomFailures.get(`${network} ${room}`)));
  }

  /** Turns are handed out in arrival order, one per roomTurnMs; the queue is at most roomMaxQueueMs long. */
  private async takeTurn(room: string): Promise<void> {
    const turn = await this.turns.take(room);
    if ('refusedForMs' in turn) {
      this.noteRefusal('guestPasswordLimit', 'room');
      throw new TooManyRequestsError(seconds(turn.refusedForMs), BUSY);
    }
    if (turn.waitMs > 0) await new Promise((resolve) => setTimeout(resolve, turn.waitMs).unref());
  }

  private async recordFailure(address: string, network: string, room: string): Promise<void> {
    const { limits } = this;
    const [byAddress, byRoom, global] = await Promise.all([
      this.addressFailures.penalty(address),
      this.roomFailures.penalty(room),
      this.globalFailures.penalty('aula'),
      this.networkRoomFailures.penalty(`${network} ${room}`),
    ]);
    const failures = byAddress.consumedPoints;
    if (failures >= limits.freeFailuresPerAddress) {
      const waitSeconds = Math.min(
        limits.firstWaitSeconds * 2 ** (failures - limits.freeFailuresPerAddress),
        limits.maxWaitSeconds,
      );
      await this.addressWaits.block(address, waitSeconds);
      // Logged once, when an address first has to wait; the refusals while it waits are debug lines.
      if (failures === limits.freeFailuresPerAddress)
        this.logger.warn(
          { failures, waitSeconds },
          'attempt() | guest address must wait after wrong passwords',
        );
    }
    if (byRoom.consumedPoints === limits.roomFailureBudget) {
      this.logger.warn(
        { room: room.slice(0, 40), failures: byRoom.consumedPoints },
        'attempt() | room attacked: repeated guesses now take turns',
      );
    }
    if (global.consumedPoints === limits.globalFailureBudget) {
      this.logger.warn(
        { failures: global.consumedPoints },
        'attempt() | wrong guest passwords across Aula: every guess on an attacked room takes turns',
      );
    }
  }
}

/** The network an address belongs to (IPv4-mapped IPv6 counts as IPv4), as a key. */
function prefixOf(clientIp: string, ipv4Bits: number, ipv6Bits: number): string {
  if (!ipaddr.isValid(clientIp)) return `other ${clientIp.slice(0, 64)}`;
  const address = ipaddr.process(clientIp);
  const bits = address.kind() === 'ipv4' ? ipv4Bits : ipv6Bits;
  const bytes = address.toByteArray().map((byte, index) => {
    const keep = Math.min(Math.max(bits - index * 8, 0), 8);
    return byte & (0xff << (8 - keep)) & 0xff;
  });
  return `${ipaddr.fromByteArray(bytes).toString()}/${bits}`;
}

/** A store may still hold a record whose time has passed. */
function live(record: RateLimiterRes | null): RateLimiterRes | undefined {
  return record && record.msBeforeNext > 0 ? record : undefined;
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
