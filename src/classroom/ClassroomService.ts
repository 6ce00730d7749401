import { E2EE_MAX_SEATS, type ClassroomSettingsUpdate, type ClassroomView } from '../protocol/index.js';
import { AppError, BadRequestError, NotFoundError } from '../shared/errors.js';
import { randomId } from '../shared/ids.js';
import { driverCollection } from '../store/driverCollection.js';
import type { ClassroomRecord, Models } from '../store/models/index.js';

export type Classroom = ClassroomRecord & { _id: string };

export interface ClassroomPlacement {
  platformId: string;
  deploymentId: string;
  contextId: string;
  contextTitle?: string;
  resourceLinkId?: string;
}

/** Resource links whose classroom this process remembers; the oldest is forgotten first. */
const MAX_REMEMBERED_LINKS = 10_000;

/** Classrooms and their settings: the control plane's record of what a teacher set up. */
export class ClassroomService {
  /**
   * Which classroom a resource link opens. A link is attached to a classroom
   * once and for good, so this process remembers the answer and reads the
   * classroom by its id: a lookup by id is the cheapest read on every server
   * (FerretDB 1.x answers any other filter by scanning the collection).
   */
  private readonly linkedClassrooms = new Map<string, string>();
  /** Read by id on every launch: straight to the driver, as stored (what `.lean()` gives). */
  private readonly stored: ReturnType<typeof driverCollection<Classroom>>;

  constructor(
    private readonly models: Models,
    private readonly publicUrl: string,
    /** The operator switched recording on (AULA_RECORDING=on). */
    private readonly recordingOn = false,
  ) {
    this.stored = driverCollection<Classroom>(models.classrooms);
  }

  async create(
    placement: ClassroomPlacement,
    settings: { title: string; seatCap: number; lectureMode?: boolean },
    createdBy: string,
  ): Promise<Classroom> {
    const created = await this.models.classrooms.create({
      _id: randomId(12),
      ...placement,
      title: settings.title,
      seatCap: settings.seatCap,
      lectureMode: settings.lectureMode ?? false,
      createdBy,
    });
    return created.toObject();
  }

  async get(classroomId: string): Promise<Classroom> {
    const classroom = await this.models.classrooms.findById(classroomId).lean();
    if (!classroom)
      throw new NotFoundError('This classroom does not exist (any more).', 'CLASSROOM_NOT_FOUND');
    return classroom;
  }

  /** Titles and platforms of the given classrooms, for the operator's list of live lessons. */
  async summaries(classroomIds: string[]): Promise<Map<string, { title: string; platformId: string }>> {
    const found = await this.models.classrooms
      .find({ _id: { $in: classroomIds } }, { title: 1, platformId: 1 })
      .lean();
    return new Map(found.map((classroom) => [classroom._id, classroom]));
  }

  async find(classroomId: string): Promise<Classroom | undefined> {
    // The driver takes any value as a filter (mongoose cast it): only an id string may reach it.
    if (typeof classroomId !== 'string') return undefined;
    return (await this.stored().findOne({ _id: classroomId })) ?? undefined;
  }

  async findByResourceLink(platformId: string, resourceLinkId: string): Promise<Classroom | undefined> {
    const key = `${platformId}\n${resourceLinkId}`;
    const remembered = this.linkedClassrooms.get(key);
    if (remembered) {
      const classroom = await this.find(remembered);
      if (classroom && classroom.platformId === platformId && classroom.resourceLinkId === resourceLinkId)
        return classroom;
      this.linkedClassrooms.delete(key);
    }
    const classroom = await this.models.classrooms
      .findOne({ platformId, resourceLinkId })
      .sort({ createdAt: 1 })
      .lean();
    if (!classroom) return undefined;
    this.linkedClassrooms.set(key, classroom._id);
    if (this.linkedClassrooms.size > MAX_REMEMBERED_LINKS)
      this.linkedClassrooms.delete(this.linkedClassrooms.keys().next().value!);
    return classroom;
  }

  async listForContext(platformId: string, deploymentId: string, contextId: string): Promise<Classroom[]> {
    return this.models.classrooms
      .find({ platformId, deploymentId, contextId })
      .sort({ createdAt: -1 })
      .limit(100)
      .lean();
  }

  async attachResourceLink(classroomId: string, resourceLinkId: string): Promise<void> {
    await this.models.classrooms.updateOne(
      { _id: classroomId, resourceLinkId: { $exists: false } },
      { $set: { resourceLinkId } },
    );
  }

  async rememberServices(classroomId: string, services: Classroom['services']): Promise<void> {
    await this.models.classrooms.updateOne({ _id: classroomId }, { $set: { services } });
  }

  async update(classroomId: string, changes: ClassroomSettingsUpdate): Promise<Classroom> {
    const current = await this.get(classroomId);
    const seatCap = changes.seatCap ?? current.seatCap;
    const reservedSeats = changes.reservedSeats ?? current.reservedSeats;
    if (reservedSeats > seatCap) throw new BadRequestError('Reserved seats cannot exceed the seat cap');
    if ((changes.endToEndEncryption ?? current.endToEndEncryption) && seatCap > E2EE_MAX_SEATS) {
      throw new AppError(
        400,
        'ENCRYPTION_SEAT_LIMIT',
        `End-to-end encryption is for classrooms of up to ${E2EE_MAX_SEATS} seats`,
      );
    }
    const set: Record<string, unknown> = { updatedAt: new Date() };
    for (const [key, value] of Object.entries(changes)) {
      // Nested settings change field by field, so a partial update keeps the rest.
      if ((key === 'grading' || key === 'studentPermissions') && value && typeof value === 'object') {
        for (const [field, fieldValue] of Object.entries(value)) {
          if (fieldValue !== undefined) set[`${key}.${field}`] = fieldValue;
        }
      } else if (value !== undefined) {
        set[key] = value;
      }
    }
    await this.models.classrooms.updateOne({ _id: classroomId }, { $set: set });
    return this.get(classroomId);
  }

  /** Guest access as GuestAccess decided it; the password arrives hashed. */
  async setGuestAccess(
    classroomId: string,
    access: { enabled: boolean; linkName?: string; passwordHash?: string },
  ): Promise<void> {
    const set: Record<string, unknown> = { 'guestAccess.enabled': access.enabled, updatedAt: new Date() };
    if (access.linkName !== undefined) set['guestAccess.linkName'] = access.linkName;
    if (access.passwordHash !== undefined) {
      set['guestAccess.passwordHash'] = access.passwordHash;
      set['guestAccess.passwordChangedAt'] = new Date();
    }
    await this.models.classrooms.updateOne({ _id: classroomId }, { $set: set });
  }

  /** Erasure: classrooms a user created stay for the course, without naming their creator. */
  async forgetCreator(userKey: string): Promise<number> {
    return (
      await this.models.classrooms.updateMany({ createdBy: userKey }, { $set: { createdBy: 'deleted-user' } })
    ).modifiedCount;
  }

  view(classroom: Classroom): ClassroomView {
    const linkName = classroom.guestAccess?.enabled
      ? (classroom.guestAccess.linkName ?? undefined)
      : undefined;
    return {
      id: classroom._id,
      title: classroom.title,
      contextTitle: classroom.contextTitle ?? undefined,
      seatCap: classroom.seatCap,
      reservedSeats: classroom.reservedSeats,
      lobbyEnabled: classroom.lobbyEnabled,
      lectureMode: classroom.lectureMode,
      recordingAllowed: classroom.recordingAllowed ?? false,
      recordingAvailable: this.recordingOn,
      lateAfterMinutes: classroom.lateAfterMinutes,
      endToEndEncryption: classroom.endToEndEncryption,
      encryptedGuestsAllowed: classroom.encryptedGuestsAllowed,
      studentPermissions: {
        unmute: classroom.studentPermissions.unmute,
        camera: classroom.studentPermissions.camera,
        screenShare: classroom.studentPermissions.screenShare,
        chatPublic: classroom.studentPermissions.chatPublic,
        chatPrivate: classroom.studentPermissions.chatPrivate,
      },
      guestAccess: {
        enabled: Boolean(classroom.guestAccess?.enabled),
        ...(linkName ? { linkName, url: `${this.publicUrl}/join/${linkName}` } : {}),
      },
      grading: {
        enabled: classroom.grading?.enabled ?? false,
        thresholdMinutes: classroom.grading?.thresholdMinutes ?? 30,
        available: Boolean(classroom.services?.lineItemsUrl),
      },
    };
  }
}
