import { hash, verify } from '@node-rs/argon2';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { ConflictError, NotFoundError, TooManyRequestsError, UnauthorizedError } from '../shared/errors.js';
import { randomId } from '../shared/ids.js';
import type { Logger } from '../shared/logger.js';
import type { Models } from '../store/models/index.js';
import { isDuplicateKey } from '../store/mongoErrors.js';
import type { ClassroomService } from './ClassroomService.js';
import {
  generateLinkName,
  generatePassword,
  guestLinkNameSchema,
  guestPasswordSchema,
} from './guestRules.js';

export interface GuestAccessOptions {
  retentionMs: number;
  /** Failed attempts allowed per client address and per room in one window. */
  failuresPerIp?: number;
  failuresPerRoom?: number;
  windowSeconds?: number;
}

export interface GuestLinkSettings {
  enabled: boolean;
  linkName?: string;
  /** Only in the answer that set it: the password is stored as a hash and never shown again. */
  password?: string;
}

export interface AdmittedGuest {
  guestId: string;
  classroomId: string;
  displayName: string;
}

const WRONG = 'The room name or the password is wrong.';

/**
 * Guest links with passwords (the seeds' external users). Unknown rooms and
 * wrong passwords are indistinguishable: same status, same body, and both pay
 * for one argon2 verification.
 */
export class GuestAccess {
  private readonly byIp: RateLimiterMemory;
  private readonly byRoom: RateLimiterMemory;
  private readonly decoyHash: Promise<string>;

  constructor(
    private readonly models: Models,
    private readonly classrooms: ClassroomService,
    private readonly options: GuestAccessOptions,
    private readonly logger: Logger,
  ) {
    const duration = options.windowSeconds ?? 600;
    this.byIp = new RateLimiterMemory({ points: options.failuresPerIp ?? 10, duration });
    this.byRoom = new RateLimiterMemory({ points: options.failuresPerRoom ?? 30, duration });
    this.decoyHash = hash(randomId());
  }

  /** Turns guest access on (or changes the link or password); returns the password in clear once. */
  async configure(
    classroomId: string,
    request: { enabled: boolean; linkName?: string; password?: string; regenerateLink?: boolean },
  ): Promise<GuestLinkSettings> {
    const classroom = await this.classrooms.find(classroomId);
    if (!classroom) throw new NotFoundError('Classroom not found');
    if (!request.enabled) {
      await this.models.guestLinks.deleteMany({ classroomId });
      await this.classrooms.setGuestAccess(classroomId, { enabled: false });
      return { enabled: false };
    }

    let linkName = classroom.guestAccess?.linkName ?? undefined;
    if (request.linkName !== undefined) linkName = guestLinkNameSchema.parse(request.linkName);
    else if (!linkName || request.regenerateLink) linkName = generateLinkName();
    if (linkName !== classroom.guestAccess?.linkName) {
      try {
        await this.models.guestLinks.create({ _id: linkName, classroomId });
      } catch (error) {
        if (isDuplicateKey(error))
          throw new ConflictError('This room name is already taken', 'LINK_NAME_TAKEN');
        throw error;
      }
      await this.models.guestLinks.deleteMany({ classroomId, _id: { $ne: linkName } });
    }

    const hasPassword = Boolean(classroom.guestAccess?.passwordHash);
    const password =
      request.password !== undefined
        ? guestPasswordSchema.parse(request.password)
        : hasPassword
          ? undefined
          : generatePassword();
    await this.classrooms.setGuestAccess(classroomId, {
      enabled: true,
      linkName,
      ...(password !== undefined ? { passwordHash: await hash(password) } : {}),
    });
    this.logger.info(
      { classroomId, passwordChanged: password !== undefined },
      'configure() | guest access updated',
    );
    return { enabled: true, linkName, ...(password !== undefined ? { password } : {}) };
  }

  async deleteExpired(now: Date): Promise<number> {
    return (await this.models.guests.deleteMany({ expiresAt: { $lt: now } })).deletedCount;
  }

  /** Checks a guest's link and password; rate-limited by failures per address and per room. */
  async admit(
    linkName: string,
    password: string,
    displayName: string,
    clientIp: string,
  ): Promise<AdmittedGuest> {
    const ipKey = `ip:${clientIp}`;
    const roomKey = `room:${linkName}`;
    const [ipState, roomState] = await Promise.all([this.byIp.get(ipKey), this.byRoom.get(roomKey)]);
    const blocked = [ipState, roomState].filter((state) => state && state.remainingPoints <= 0);
    if (blocked.length > 0) {
      const retryAfter = Math.ceil(Math.max(...blocked.map((state) => state!.msBeforeNext)) / 1000);
      this.logger.warn(
        { linkName: linkName.slice(0, 40), retryAfter },
        'admit() | guest attempts rate-limited',
      );
      throw new TooManyRequestsError(retryAfter, 'Too many wrong attempts. Please wait before trying again.');
    }

    const link = guestLinkNameSchema.safeParse(linkName).success
      ? await this.models.guestLinks.findById(linkName).lean()
      : null;
    const classroom = link ? await this.classrooms.find(link.classroomId) : undefined;
    const storedHash =
      classroom?.guestAccess?.enabled && classroom.guestAccess.passwordHash
        ? classroom.guestAccess.passwordHash
        : undefined;
    const matches = await verify(storedHash ?? (await this.decoyHash), password).catch(() => false);
    if (!storedHash || !matches || !classroom) {
      await Promise.all([this.byIp.penalty(ipKey, 1), this.byRoom.penalty(roomKey, 1)]);
      this.logger.info({ knownRoom: Boolean(storedHash) }, 'admit() | guest rejected');
      throw new UnauthorizedError(WRONG, 'INVALID_CREDENTIALS');
    }

    const guestId = randomId();
    const now = new Date();
    await this.models.guests.create({
      _id: guestId,
      classroomId: classroom._id,
      displayName,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.options.retentionMs),
    });
    this.logger.info({ classroomId: classroom._id, guestId }, 'admit() | guest admitted to the lobby');
    return { guestId, classroomId: classroom._id, displayName };
  }
}
