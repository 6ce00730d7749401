import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { ConflictError, NotFoundError, UnauthorizedError } from '../shared/errors.js';
import { randomId } from '../shared/ids.js';
import type { Logger } from '../shared/logger.js';
import type { NoteRefusal } from '../shared/refusalKinds.js';
import type { Models } from '../store/models/index.js';
import { isDuplicateKey } from '../store/mongoErrors.js';
import type { SharedLimits } from '../store/SharedLimits.js';
import type { Classroom, ClassroomService } from './ClassroomService.js';
import { GuestAttemptLimiter, type GuestAttemptLimits } from './GuestAttemptLimiter.js';
import {
  generateLinkName,
  generatePassword,
  guestLinkNameSchema,
  guestPasswordSchema,
} from './guestRules.js';

export interface GuestAccessOptions {
  retentionMs: number;
  /** Where the attempt limits are counted: shared by every Aula node. */
  sharedLimits: SharedLimits;
  /** Overrides of the password-attempt limits' defaults (tests shorten or tighten them). */
  attemptLimits?: Partial<GuestAttemptLimits>;
  /** Counts refused attempts for the operator's view. */
  noteRefusal?: NoteRefusal;
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
  /** The classroom as the password check read it: the join goes on with it, without reading it again. */
  classroom: Classroom;
}

const WRONG = 'The room name or the password is wrong.';

/**
 * Guest links with passwords (the seeds' external users). Unknown rooms and
 * wrong passwords are indistinguishable: same status, same body, and both pay
 * for one argon2 verification.
 */
export class GuestAccess {
  private readonly attempts: GuestAttemptLimiter;
  private readonly decoyHash: Promise<string>;

  constructor(
    private readonly models: Models,
    private readonly classrooms: ClassroomService,
    private readonly options: GuestAccessOptions,
    private readonly logger: Logger,
  ) {
    this.attempts = new GuestAttemptLimiter(
      options.attemptLimits ?? {},
      options.sharedLimits,
      logger,
      options.noteRefusal,
    );
    this.decoyHash = hash(randomId());
  }

  /** Turns guest access on (or changes the link or password); returns the password in clear once. */
  async configure(
    classroomId: string,
    request: {
      enabled: boolean;
      linkName?: string;
      password?: string;
      regenerateLink?: boolean;
      /** A new generated password (a removed guest knows the old one). */
      regeneratePassword?: boolean;
    },
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
        : hasPassword && !request.regeneratePassword
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

  /** Checks a guest's link and password within the attempt limits (GuestAttemptLimiter). */
  async admit(
    linkName: string,
    password: string,
    displayName: string,
    clientIp: string,
    browserId: string,
  ): Promise<AdmittedGuest> {
    const classroom = await this.attempts.attempt(clientIp, linkName, () =>
      this.verifyPassword(linkName, password),
    );
    if (!classroom) throw new UnauthorizedError(WRONG, 'INVALID_CREDENTIALS');

    // The same browser comes back as the same guest: a guest the teacher removed stays removed.
    const browserKey = crypto.createHash('sha256').update(browserId).digest('base64url');
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.options.retentionMs);
    const known = await this.models.guests
      .findOneAndUpdate({ classroomId: classroom._id, browserKey }, { $set: { displayName, expiresAt } })
      .lean();
    const guestId = known?._id ?? randomId();
    if (!known) {
      await this.models.guests.create({
        _id: guestId,
        classroomId: classroom._id,
        displayName,
        browserKey,
        createdAt: now,
        expiresAt,
      });
    }
    this.logger.info(
      { classroomId: classroom._id, guestId, returning: Boolean(known) },
      'admit() | guest admitted to the lobby',
    );
    return { guestId, classroomId: classroom._id, displayName, classroom };
  }

  /** The classroom whose link and password these are; an unknown room pays for one argon2 verification too. */
  private async verifyPassword(linkName: string, password: string): Promise<Classroom | undefined> {
    const link = guestLinkNameSchema.safeParse(linkName).success
      ? await this.models.guestLinks.findById(linkName).lean()
      : null;
    const classroom = link ? await this.classrooms.find(link.classroomId) : undefined;
    const storedHash =
      classroom?.guestAccess?.enabled && classroom.guestAccess.passwordHash
        ? classroom.guestAccess.passwordHash
        : undefined;
    const matches = await verify(storedHash ?? (await this.decoyHash), password).catch(() => false);
    return storedHash && matches ? classroom : undefined;
  }
}
