import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { createLogger } from '../../src/shared/logger.js';
import { randomId } from '../../src/shared/ids.js';
import type { StoredChatMessage } from '../../src/classroom/ChatLog.js';
import type { Classroom as ClassroomRecord } from '../../src/classroom/ClassroomService.js';
import type { Lesson } from '../../src/classroom/LessonService.js';
import type { Poll, PollAnswer } from '../../src/classroom/PollStore.js';
import { DEFAULT_STUDENT_PERMISSIONS } from '../../src/protocol/index.js';
import type { MediaSourceName, ServerEventName, ServerEvents } from '../../src/protocol/index.js';
import type { RoomServices } from '../../src/classroom/live/ClassroomContext.js';
import { Classroom } from '../../src/classroom/live/Classroom.js';
import type { Participant, ParticipantChannel } from '../../src/classroom/live/Participant.js';
import { LayerDemand } from '../../src/media/LayerDemand.js';
import type { MediaPlane } from '../../src/media/MediaPlane.js';
import { ParticipantMedia } from '../../src/media/ParticipantMedia.js';
import { MemoryDocumentStore } from './memoryDocumentStore.js';
import { MemoryNotebooks, MemorySnapshots } from './memoryNotesStores.js';
import { DEFAULT_BOARD_SETUP } from '../../src/classroom/board/BoardSettings.js';
import { NotFoundError } from '../../src/shared/errors.js';

// A live classroom over in-memory services: the classroom's rules (who gets
// in, who waits, groups, hands, chat, polls) run exactly as in Aula, without
// a database, a mediasoup worker or a socket. Media stops at placing people
// on a router; what flows is the full-stack tests' (test/media, test/browser).

/** The media plane without mediasoup: participants get a place, nothing is sent. */
export class FakeMediaPlane extends EventEmitter implements MediaPlane {
  readonly rtpCapabilities: types.RtpCapabilities = { codecs: [], headerExtensions: [] };
  readonly demand = new LayerDemand();
  readonly placed = new Set<string>();
  closed = false;

  async attach(participantId: string): Promise<ParticipantMedia> {
    this.placed.add(participantId);
    return new ParticipantMedia(participantId);
  }

  detach(media: ParticipantMedia): void {
    this.placed.delete(media.participantId);
    media.close();
  }

  createTransport(): Promise<types.WebRtcTransport> {
    throw new Error('No transports without a worker: use a full-stack test');
  }

  produce(): Promise<types.Producer> {
    throw new Error('No producers without a worker: use a full-stack test');
  }

  /** Nothing to consume without a worker; a rules test answers for the plane where it needs consumers. */
  async consume(
    _viewer: ParticipantMedia,
    _producerId: string,
    _meta: { ownerId: string; source: MediaSourceName },
  ): Promise<types.Consumer | undefined> {
    return undefined;
  }

  producerRouter(): undefined {
    return undefined;
  }

  ownerOf(): string | undefined {
    return undefined;
  }

  close(): void {
    this.closed = true;
  }
}

/** What the page of one participant received, as its socket would. */
export class RecordingChannel implements ParticipantChannel {
  readonly received: Array<{ event: ServerEventName; payload: unknown }> = [];
  disconnected: string | undefined;

  emit<E extends ServerEventName>(event: E, payload: ServerEvents[E]): void {
    this.received.push({ event, payload });
  }

  disconnect(reason: string): void {
    this.disconnected = reason;
  }

  /** Every payload of one event, in order. */
  all<E extends ServerEventName>(event: E): Array<ServerEvents[E]> {
    return this.received.filter((r) => r.event === event).map((r) => r.payload as ServerEvents[E]);
  }

  last<E extends ServerEventName>(event: E): ServerEvents[E] | undefined {
    return this.all(event).at(-1);
  }
}

/** Everything the fake services recorded, for tests to read. */
export interface FakeRecords {
  lessons: Lesson[];
  seats: Map<string, Set<string>>;
  attendance: Array<{ id: string; userKey: string; room?: string; closedAt?: Date; gaps: number }>;
  heartbeats: Array<{ lessonId: string; holders: string[]; intervals: string[] }>;
  polls: Map<string, Poll>;
  pollAnswers: Array<{ pollId: string; answer: PollAnswer }>;
  chat: StoredChatMessage[];
  media: FakeMediaPlane[];
  guestPasswords: number;
}

export interface FakeClassroomOptions {
  seatCap?: number;
  lobbyEnabled?: boolean;
  lectureMode?: boolean;
  active?: () => boolean;
  graceMs?: number;
  /** Shared-document snapshots; a fresh in-memory store unless given (to restart a classroom on it). */
  documents?: MemoryDocumentStore;
  /** The notes' pages and snapshots; fresh in memory unless given (to restart a classroom on them). */
  notebooks?: MemoryNotebooks;
  snapshots?: MemorySnapshots;
}

/** A classroom record as the database would hold it. */
export function classroomRecord(options: FakeClassroomOptions = {}): ClassroomRecord {
  const now = new Date();
  return {
    _id: randomId(12),
    platformId: 'platform',
    deploymentId: 'deployment',
    contextId: 'course',
    title: 'Biologie 9b',
    seatCap: options.seatCap ?? 25,
    reservedSeats: 0,
    lobbyEnabled: options.lobbyEnabled ?? false,
    lectureMode: options.lectureMode ?? false,
    lateAfterMinutes: 5,
    studentPermissions: { ...DEFAULT_STUDENT_PERMISSIONS },
    guestAccess: { enabled: false },
    services: {},
    grading: { enabled: false, thresholdMinutes: 30 },
    createdBy: 'creator',
    createdAt: now,
    updatedAt: now,
  } as ClassroomRecord;
}

/** In-memory services of one classroom, with what they recorded. */
export function fakeServices(
  classroom: ClassroomRecord,
  options: FakeClassroomOptions = {},
): { services: RoomServices; records: FakeRecords } {
  const records: FakeRecords = {
    lessons: [],
    seats: new Map(),
    attendance: [],
    heartbeats: [],
    polls: new Map(),
    pollAnswers: [],
    chat: [],
    media: [],
    guestPasswords: 0,
  };
  const lessonOf = (lessonId: string) => records.lessons.find((lesson) => lesson._id === lessonId)!;
  const seatsOf = (lessonId: string) => records.seats.get(lessonId) ?? new Set<string>();
  const services: RoomServices = {
    classrooms: {
      get: async () => classroom,
      update: async (_id, changes) => {
        const { studentPermissions, grading, ...rest } = changes;
        Object.assign(classroom, rest);
        if (studentPermissions) Object.assign(classroom.studentPermissions, studentPermissions);
        if (grading) classroom.grading = { ...classroom.grading!, ...grading };
        return classroom;
      },
    },
    lessons: {
      live: async () => records.lessons.find((lesson) => lesson.status === 'live'),
      start: async (classroomId, teacherKey) => {
        const now = new Date();
        const lesson = {
          _id: randomId(12),
          classroomId,
          status: 'live',
          startedAt: now,
          startedBy: teacherKey,
          lastActivityAt: now,
          locked: false,
          autoAdmit: false,
          removedUserKeys: [],
          admittedUserKeys: [],
          captionerUserKeys: [],
          keepTranscript: false,
        } as Lesson;
        records.lessons.push(lesson);
        return { lesson: structuredClone(lesson), started: true };
      },
      end: async (lessonId, reason) => {
        const lesson = lessonOf(lessonId);
        Object.assign(lesson, { status: 'ended', endedAt: new Date(), endedReason: reason });
        return lesson;
      },
      touch: async () => undefined,
      setLocked: (lessonId, locked) => void (lessonOf(lessonId).locked = locked),
      setAutoAdmit: (lessonId, autoAdmit) => void (lessonOf(lessonId).autoAdmit = autoAdmit),
      removeUser: (lessonId, userKey) => {
        lessonOf(lessonId).removedUserKeys.push(userKey);
        seatsOf(lessonId).delete(userKey);
      },
      admit: (lessonId, userKey) => void lessonOf(lessonId).admittedUserKeys.push(userKey),
      setCaptioner: (lessonId, userKey, allowed) => {
        const lesson = lessonOf(lessonId);
        lesson.captionerUserKeys = allowed
          ? [...new Set([...lesson.captionerUserKeys, userKey])]
          : lesson.captionerUserKeys.filter((key) => key !== userKey);
      },
      setKeepTranscript: (lessonId, keep) => void (lessonOf(lessonId).keepTranscript = keep),
    },
    seats: {
      take: async ({ lessonId, userKey, seatCap }) => {
        const held = seatsOf(lessonId);
        records.seats.set(lessonId, held);
        if (held.has(userKey)) return { granted: true, slot: [...held].indexOf(userKey) };
        if (held.size >= seatCap) return { granted: false };
        held.add(userKey);
        return { granted: true, slot: held.size - 1 };
      },
      renew: async () => undefined,
      releaseNow: async (lessonId, userKey) => void seatsOf(lessonId).delete(userKey),
      releaseAfterGrace: async () => undefined,
    },
    attendance: {
      open: (_classroomId, _lessonId, who) => {
        const id = randomId(8);
        records.attendance.push({
          id,
          userKey: who.userKey,
          ...(who.room ? { room: who.room } : {}),
          gaps: 0,
        });
        return id;
      },
      close: (id, at = new Date()) => {
        const interval = records.attendance.find((entry) => entry.id === id)!;
        interval.closedAt ??= at;
      },
      heartbeat: async () => undefined,
      recordGap: (id) => void (records.attendance.find((entry) => entry.id === id)!.gaps += 1),
    },
    chat: {
      append: (_classroomId, _lessonId, message) => {
        const stored: StoredChatMessage = { id: randomId(8), ...message, sentAt: new Date() };
        records.chat.push(stored);
        return stored;
      },
      history: async () => [],
    },
    openMedia: async () => {
      const plane = new FakeMediaPlane();
      records.media.push(plane);
      return plane;
    },
    workerPool: { aliveCount: 1 },
    maxPerRouter: 50,
    iceServers: [],
    databaseHealth: { isAvailable: true, guard: (operation) => operation() },
    writes: {
      enqueue: (_label, write) => void write(),
      settled: async () => undefined,
    },
    graceMs: options.graceMs ?? 30_000,
    isActive: async () => options.active?.() ?? true,
    guests: {
      configure: async () => {
        records.guestPasswords += 1;
        return { enabled: true, password: `NewPass${records.guestPasswords}Word` };
      },
    },
    polls: {
      save: (poll) => void records.polls.set(poll._id, structuredClone(poll)),
      saveAnswer: (poll, answer) => void records.pollAnswers.push({ pollId: poll._id, answer }),
      open: async () => undefined,
    },
    documents: options.documents ?? new MemoryDocumentStore(),
    notebooks: options.notebooks ?? new MemoryNotebooks(),
    snapshots: options.snapshots ?? new MemorySnapshots(),
    slides: {
      get: async () => {
        throw new NotFoundError('No such slides here', 'UNKNOWN_DECK');
      },
      view: () => {
        throw new Error('no slides in a fake classroom');
      },
      used: async () => undefined,
    },
    boardSettings: { load: async () => ({ ...DEFAULT_BOARD_SETUP }), save: () => undefined },
    captions: { transcripts: { append: () => undefined } },
    logger: createLogger({ level: process.env.AULA_TEST_LOG_LEVEL ?? 'silent' }),
  };
  return { services, records };
}

export interface Tab {
  participant: Participant;
  channel: RecordingChannel;
}

/** A live classroom over fake services, and a way to open tabs in it. */
export async function fakeClassroom(options: FakeClassroomOptions = {}) {
  const record = classroomRecord(options);
  const { services, records } = fakeServices(record, options);
  const classroom = await Classroom.create(record._id, services);
  let counter = 0;
  return {
    classroom,
    records,
    record,
    /** A tab attached to the classroom (not joined yet). */
    open(name: string, role: 'teacher' | 'student' | 'guest' = 'student', userKey?: string): Tab {
      counter += 1;
      const channel = new RecordingChannel();
      const participant = classroom.attach(
        { userKey: userKey ?? `${role}:${name}`, displayName: name, role, restricted: false },
        channel,
      );
      void counter;
      return { participant, channel };
    },
  };
}

/** Lets queued microtasks (notices, automatic admission) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}
