import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { withClientInput } from '../../media/clientInput.js';
import { decideLayers } from '../../media/layerPolicy.js';
import type { ParticipantMedia } from '../../media/ParticipantMedia.js';
import { RoomMedia } from '../../media/RoomMedia.js';
import type { WorkerPool } from '../../media/WorkerPool.js';
import type { ClassroomSettingsUpdate } from '../../http/apiSchemas.js';
import {
  MAX_VISIBLE_VIDEO_TILES,
  type ChatMessage,
  type JoinResult,
  type LobbyEntry,
  type MediaSetup,
  type MediaSourceName,
  type RoomState,
  type ServerEventName,
  type ServerEvents,
  type TransportInfo,
} from '../../signaling/protocol.js';
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ServiceUnavailableError,
} from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import { SerialQueue } from '../../shared/SerialQueue.js';
import type { AttendanceService } from '../AttendanceService.js';
import type { ChatLog, StoredChatMessage } from '../ChatLog.js';
import type { Classroom, ClassroomService } from '../ClassroomService.js';
import type { EndReason, Lesson, LessonService } from '../LessonService.js';
import { Permission, SOURCE_PERMISSION, permissionsOf } from '../permissions.js';
import type { SeatLedger } from '../SeatLedger.js';
import type { Participant } from './Participant.js';
import { permissionsView } from './roomViews.js';

export interface RoomServices {
  classrooms: ClassroomService;
  lessons: LessonService;
  seats: SeatLedger;
  attendance: AttendanceService;
  chat: ChatLog;
  workerPool: WorkerPool;
  maxPerRouter: number;
  iceServers: MediaSetup['iceServers'];
  logger: Logger;
}

type RoomEvents = {
  /** Nobody is connected any more: the registry may drop the room. */
  vacant: [];
};

const SOURCE_KIND: Record<MediaSourceName, types.MediaKind> = {
  mic: 'audio',
  camera: 'video',
  screen: 'video',
  screenAudio: 'audio',
};

/** Tiles a client gets video for until it reports what it shows. */
const DEFAULT_VISIBLE = 8;

/**
 * One classroom's live session in this process: who is in the lobby and who
 * has joined, the lesson, hands, spotlight, and the media plane. Participants
 * only report what happens; the room decides policy.
 */
export class Room extends EventEmitter<RoomEvents> {
  /** Every connection bound to this room, whatever its state: the room lives while any exists. */
  private readonly connections = new Set<Participant>();
  private readonly joined = new Map<string, Participant>();
  private readonly lobby = new Map<
    string,
    { participant: Participant; reason: 'not-started' | 'waiting-room' }
  >();
  /** Users admitted during this lesson: a reconnect does not send them back to the lobby. */
  private readonly admittedKeys = new Set<string>();
  private readonly pendingConsumers = new Set<string>();
  private readonly membership = new SerialQueue();
  private pinnedId: string | null = null;
  private activeSpeakerId: string | null = null;
  private media: RoomMedia | undefined;
  private lesson: Lesson | undefined;
  private closed = false;

  private constructor(
    private classroom: Classroom,
    private readonly services: RoomServices,
  ) {
    super();
  }

  static async create(classroomId: string, services: RoomServices): Promise<Room> {
    const room = new Room(await services.classrooms.get(classroomId), services);
    room.lesson = await services.lessons.live(classroomId);
    return room;
  }

  get classroomId(): string {
    return this.classroom._id;
  }

  get lessonId(): string | undefined {
    return this.lesson?._id;
  }

  get participantCount(): number {
    return this.joined.size;
  }

  get isVacant(): boolean {
    return this.connections.size === 0;
  }

  /** A connection for this classroom arrived; it may join, wait or just hold the room open. */
  attach(participant: Participant): void {
    if (this.closed)
      throw new ServiceUnavailableError('This classroom is closing, try again', 'ROOM_CLOSING');
    this.connections.add(participant);
  }

  // ---------------------------------------------------------------- membership

  join(participant: Participant): Promise<JoinResult> {
    return this.membership.run(() => this.joinNow(participant));
  }

  leave(participant: Participant): Promise<void> {
    return this.membership.run(() => this.leaveNow(participant, { keepSeat: true }));
  }

  admit(teacher: Participant, participantId: string): Promise<void> {
    return this.membership.run(async () => {
      this.requireModerator(teacher);
      const waiting = this.lobby.get(participantId);
      if (!waiting) throw new NotFoundError('Nobody with this id is waiting in the lobby', 'NOT_IN_LOBBY');
      if (!this.lesson)
        throw new ConflictError('Start the lesson before admitting anyone', 'LESSON_NOT_STARTED');
      const result = await this.enter(waiting.participant);
      waiting.participant.emit('lobby:admitted', result);
    });
  }

  admitAll(teacher: Participant): Promise<number> {
    return this.membership.run(async () => {
      this.requireModerator(teacher);
      if (!this.lesson)
        throw new ConflictError('Start the lesson before admitting anyone', 'LESSON_NOT_STARTED');
      let admitted = 0;
      let full = false;
      for (const { participant } of [...this.lobby.values()]) {
        try {
          const result = await this.enter(participant);
          participant.emit('lobby:admitted', result);
          admitted += 1;
        } catch (error) {
          if (error instanceof ConflictError && error.code === 'ROOM_FULL') full = true;
          else throw error;
        }
      }
      if (full && admitted === 0) throw new ConflictError('All seats are taken', 'ROOM_FULL');
      return admitted;
    });
  }

  deny(teacher: Participant, participantId: string): Promise<void> {
    return this.membership.run(async () => {
      this.requireModerator(teacher);
      const waiting = this.lobby.get(participantId);
      if (!waiting) throw new NotFoundError('Nobody with this id is waiting in the lobby', 'NOT_IN_LOBBY');
      waiting.participant.emit('lobby:denied', { reason: 'The teacher did not let you in.' });
      await this.leaveNow(waiting.participant, { keepSeat: false });
      waiting.participant.channel.disconnect('denied');
    });
  }

  private async joinNow(participant: Participant): Promise<JoinResult> {
    if (this.closed)
      throw new ServiceUnavailableError('This classroom is closing, try again', 'ROOM_CLOSING');
    if (participant.state !== 'connected') throw new ConflictError('Already joined', 'ALREADY_JOINED');
    const lesson = this.lesson;
    if (lesson?.removedUserKeys.includes(participant.userKey)) {
      throw new ForbiddenError('The teacher removed you from this lesson.', 'REMOVED');
    }
    if (!lesson) return this.putInLobby(participant, 'not-started');
    if (lesson.locked && !participant.isTeacher && !this.admittedKeys.has(participant.userKey)) {
      throw new ForbiddenError('The teacher has locked this lesson; nobody new can join.', 'ROOM_LOCKED');
    }
    const mustWait =
      !participant.isTeacher &&
      (participant.role === 'guest' || this.classroom.lobbyEnabled) &&
      !this.admittedKeys.has(participant.userKey);
    if (mustWait) return this.putInLobby(participant, 'waiting-room');
    return this.enter(participant);
  }

  private putInLobby(participant: Participant, reason: 'not-started' | 'waiting-room'): JoinResult {
    participant.state = 'lobby';
    participant.waitingSince = Date.now();
    this.lobby.set(participant.id, { participant, reason });
    this.notifyLobbyChanged();
    return { status: 'lobby', self: participant.info(), reason, classroomTitle: this.classroom.title };
  }

  /** Seat, attendance, media: in this order, undone in reverse if a later step fails. */
  private async enter(participant: Participant): Promise<JoinResult> {
    const lesson = this.lesson!;
    const media = await this.ensureMedia();
    if (!participant.isTeacher) {
      const seat = await this.services.seats.take({
        lessonId: lesson._id,
        userKey: participant.userKey,
        kind: participant.role === 'guest' ? 'guest' : 'enrolled',
        seatCap: this.classroom.seatCap,
        reservedSeats: this.classroom.reservedSeats,
      });
      if (!seat.granted) {
        throw new ConflictError(
          'All seats in this classroom are taken. Try again in a moment.',
          'ROOM_FULL',
          {
            seatCap: this.classroom.seatCap,
            retryAfterSeconds: 10,
          },
        );
      }
    }
    try {
      participant.media = await media.attach(participant.id);
      participant.attendanceId = await this.services.attendance.open(this.classroomId, lesson._id, {
        userKey: participant.userKey,
        lmsUserId: participant.identity.lmsUserId,
        displayName: participant.displayName,
        role: participant.role,
      });
    } catch (error) {
      if (participant.media) media.detach(participant.media);
      participant.media = undefined;
      if (!participant.isTeacher && !this.hasOtherTab(participant)) {
        await this.services.seats.releaseNow(lesson._id, participant.userKey);
      }
      throw error;
    }
    const wasWaiting = this.lobby.delete(participant.id);
    this.admittedKeys.add(participant.userKey);
    participant.state = 'joined';
    this.joined.set(participant.id, participant);
    this.broadcast('participantJoined', participant.info(), participant);
    if (wasWaiting) this.notifyLobbyChanged();
    this.services.logger.info(
      { classroomId: this.classroomId, participantId: participant.id, role: participant.role },
      'enter() | participant joined',
    );
    void this.applyPolicyToAll();
    return this.joinedResult(participant);
  }

  private async leaveNow(participant: Participant, options: { keepSeat: boolean }): Promise<void> {
    this.connections.delete(participant);
    if (participant.state === 'left') {
      if (this.isVacant) this.emit('vacant');
      return;
    }
    const wasJoined = participant.state === 'joined';
    participant.state = 'left';
    const wasWaiting = this.lobby.delete(participant.id);
    this.joined.delete(participant.id);
    if (this.pinnedId === participant.id) this.pinnedId = null;
    if (this.activeSpeakerId === participant.id) this.activeSpeakerId = null;
    if (participant.media) {
      this.media?.detach(participant.media);
      participant.media = undefined;
    }
    if (participant.attendanceId) {
      await this.services.attendance.close(participant.attendanceId);
      participant.attendanceId = undefined;
    }
    const lessonId = this.lesson?._id;
    if (wasJoined && lessonId && !participant.isTeacher && !this.hasOtherTab(participant)) {
      if (options.keepSeat) await this.services.seats.releaseAfterGrace(lessonId, participant.userKey);
      else await this.services.seats.releaseNow(lessonId, participant.userKey);
    }
    if (wasJoined) {
      this.broadcast('participantLeft', { participantId: participant.id });
      void this.applyPolicyToAll();
    }
    if (wasWaiting) this.notifyLobbyChanged();
    if (this.isVacant) this.emit('vacant');
  }

  private hasOtherTab(participant: Participant): boolean {
    for (const other of this.joined.values()) {
      if (other !== participant && other.userKey === participant.userKey) return true;
    }
    return false;
  }

  // ------------------------------------------------------------------- lesson

  startLesson(teacher: Participant): Promise<Lesson> {
    return this.membership.run(async () => {
      this.requireModerator(teacher);
      if (this.lesson) return this.lesson;
      const { lesson } = await this.services.lessons.start(this.classroomId, teacher.userKey);
      this.lesson = lesson;
      this.admittedKeys.clear();
      // Everyone who waited for the start comes in, teachers first; guests still need admission.
      const waiting = [...this.lobby.values()].sort(
        (a, b) => Number(b.participant.isTeacher) - Number(a.participant.isTeacher),
      );
      for (const { participant, reason } of waiting) {
        if (participant.role === 'guest') {
          this.lobby.set(participant.id, { participant, reason: 'waiting-room' });
          continue;
        }
        if (reason !== 'not-started') continue;
        try {
          participant.emit('lesson:started', await this.enter(participant));
        } catch (error) {
          this.lobby.set(participant.id, { participant, reason: 'waiting-room' });
          this.services.logger.warn(
            { classroomId: this.classroomId, participantId: participant.id, err: error },
            'startLesson() | could not bring a waiting participant in',
          );
        }
      }
      this.notifyLobbyChanged();
      return lesson;
    });
  }

  endLesson(teacher: Participant | undefined, reason: EndReason): Promise<void> {
    return this.membership.run(async () => {
      if (teacher) this.requireModerator(teacher);
      const lesson = this.lesson;
      if (!lesson) return;
      this.lesson = undefined;
      for (const participant of this.joined.values()) {
        if (participant.media) this.media?.detach(participant.media);
        participant.media = undefined;
        participant.attendanceId = undefined;
        participant.handRaisedAt = null;
        participant.hasFloor = false;
        participant.state = 'lobby';
        this.lobby.set(participant.id, { participant, reason: 'not-started' });
      }
      this.joined.clear();
      for (const entry of this.lobby.values()) entry.reason = 'not-started';
      this.media?.close();
      this.media = undefined;
      this.pinnedId = null;
      this.activeSpeakerId = null;
      this.admittedKeys.clear();
      await this.services.lessons.end(lesson._id, reason);
      for (const { participant } of this.lobby.values()) participant.emit('lesson:ended', { reason });
      this.notifyLobbyChanged();
    });
  }

  /** Seats, attendance and lesson activity stay fresh while people are connected. */
  async heartbeat(): Promise<void> {
    const lesson = this.lesson;
    if (!lesson || this.joined.size === 0) return;
    const participants = [...this.joined.values()];
    const students = [...new Set(participants.filter((p) => !p.isTeacher).map((p) => p.userKey))];
    await this.services.seats.renew(lesson._id, students);
    await this.services.attendance.heartbeat(
      participants.flatMap((p) => (p.attendanceId ? [p.attendanceId] : [])),
    );
    await this.services.lessons.touch(lesson._id);
  }

  /** Another process (or the idle sweeper) ended the lesson: reflect it here. */
  async lessonEndedElsewhere(lessonId: string): Promise<void> {
    if (this.lesson?._id === lessonId) await this.endLesson(undefined, 'idle');
  }

  // ------------------------------------------------------------------- media

  private async ensureMedia(): Promise<RoomMedia> {
    if (this.media) return this.media;
    const media = await RoomMedia.create({
      workerPool: this.services.workerPool,
      maxPerRouter: this.services.maxPerRouter,
      logger: this.services.logger,
    });
    media.on('dominantSpeaker', (participantId) => this.speakerChanged(participantId));
    media.on('routerClosed', () => void this.recoverMedia(media));
    this.media = media;
    return media;
  }

  private mediaSetup(): MediaSetup {
    return {
      routerRtpCapabilities: this.media!.rtpCapabilities as unknown as Record<string, unknown>,
      iceServers: this.services.iceServers,
    };
  }

  /**
   * The worker under this room died. Everyone keeps their seat and place;
   * their media moves to a router on a live worker and clients reconnect it.
   */
  private recoverMedia(lost: RoomMedia): Promise<void> {
    return this.membership.run(async () => {
      if (this.media !== lost) return;
      lost.close();
      this.media = undefined;
      for (const participant of this.joined.values()) participant.media = undefined;
      if (!this.lesson) return;
      const deadline = Date.now() + 15_000;
      for (;;) {
        try {
          await this.ensureMedia();
          break;
        } catch (error) {
          if (Date.now() > deadline) {
            this.services.logger.error(
              { classroomId: this.classroomId, err: error },
              'recoverMedia() | no worker came back',
            );
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
      for (const participant of this.joined.values()) {
        participant.media = await this.media!.attach(participant.id);
        participant.emit('media:reconnect', this.mediaSetup());
      }
      this.broadcastRoomState();
      this.services.logger.info(
        { classroomId: this.classroomId, participants: this.joined.size },
        'recoverMedia() | media moved to a live worker',
      );
    });
  }

  private mediaOf(participant: Participant): ParticipantMedia {
    if (participant.state !== 'joined') {
      throw new ConflictError('Join the lesson before sending or receiving media', 'NOT_JOINED');
    }
    if (!participant.media) throw new ConflictError('Media is reconnecting, try again', 'MEDIA_RECONNECTING');
    return participant.media;
  }

  async setCapabilities(participant: Participant, rtpCapabilities: types.RtpCapabilities): Promise<void> {
    const media = this.mediaOf(participant);
    if (!Array.isArray((rtpCapabilities as { codecs?: unknown }).codecs)) {
      throw new BadRequestError('rtpCapabilities.codecs must be an array');
    }
    media.rtpCapabilities = rtpCapabilities;
    await this.ensureConsumers(participant);
  }

  async createTransport(
    participant: Participant,
    direction: 'send' | 'recv',
    forceTcp = false,
  ): Promise<TransportInfo> {
    const media = this.mediaOf(participant);
    const existing = [...media.transports.values()].find((t) => t.appData.direction === direction);
    existing?.close();
    const transport = await this.media!.createTransport(media, direction, {
      forceTcp,
      maxIncomingBitrate: participant.isTeacher ? 3_000_000 : 1_500_000,
    });
    if (direction === 'recv') void this.ensureConsumers(participant);
    return {
      id: transport.id,
      iceParameters: transport.iceParameters as unknown as Record<string, unknown>,
      iceCandidates: transport.iceCandidates as unknown as Record<string, unknown>[],
      dtlsParameters: transport.dtlsParameters as unknown as Record<string, unknown>,
    };
  }

  async connectTransport(
    participant: Participant,
    transportId: string,
    dtlsParameters: types.DtlsParameters,
  ): Promise<void> {
    const transport = this.mediaOf(participant).transport(transportId);
    await withClientInput('DTLS parameters', () => transport.connect({ dtlsParameters }));
  }

  async restartIce(participant: Participant, transportId: string): Promise<Record<string, unknown>> {
    const iceParameters = await this.mediaOf(participant).transport(transportId).restartIce();
    return iceParameters as unknown as Record<string, unknown>;
  }

  async produce(
    participant: Participant,
    request: {
      transportId: string;
      kind: types.MediaKind;
      rtpParameters: types.RtpParameters;
      source: MediaSourceName;
    },
  ): Promise<string> {
    const media = this.mediaOf(participant);
    this.requirePermission(participant, SOURCE_PERMISSION[request.source]);
    if (SOURCE_KIND[request.source] !== request.kind) {
      throw new BadRequestError(`A ${request.source} producer must be ${SOURCE_KIND[request.source]}`);
    }
    const transport = media.transport(request.transportId);
    if (transport.appData.direction !== 'send') throw new BadRequestError('Produce on the send transport');
    media.producers.get(request.source)?.close();
    const producer = await withClientInput('RTP parameters', () =>
      this.media!.produce(media, transport, request),
    );
    producer.on('transportclose', () => this.broadcast('participantUpdated', participant.info()));
    this.broadcast('participantUpdated', participant.info());
    for (const viewer of this.joined.values()) {
      if (viewer !== participant) void this.ensureConsumers(viewer);
    }
    return producer.id;
  }

  closeProducer(participant: Participant, producerId: string): void {
    const { producer } = this.mediaOf(participant).producerById(producerId);
    producer.close();
    this.broadcast('participantUpdated', participant.info());
  }

  async setProducerPaused(participant: Participant, producerId: string, paused: boolean): Promise<void> {
    const { source, producer } = this.mediaOf(participant).producerById(producerId);
    if (!paused) this.requirePermission(participant, SOURCE_PERMISSION[source]);
    if (paused) await producer.pause();
    else await producer.resume();
    this.broadcast('participantUpdated', participant.info());
  }

  async resumeConsumer(participant: Participant, consumerId: string): Promise<void> {
    const entry = this.mediaOf(participant).consumer(consumerId);
    entry.clientReady = true;
    await this.applyPolicy(participant);
  }

  async setVisibleTiles(
    participant: Participant,
    visible: string[],
    focus: string | null | undefined,
  ): Promise<void> {
    this.mediaOf(participant);
    participant.visible = new Set(visible.slice(0, MAX_VISIBLE_VIDEO_TILES));
    participant.focus = focus ?? null;
    await this.applyPolicy(participant);
  }

  private shouldConsume(viewer: Participant, owner: Participant, source: MediaSourceName): boolean {
    if (viewer === owner) return false;
    // Lecture mode: student cameras only reach teachers.
    if (this.classroom.lectureMode && source === 'camera' && !owner.isTeacher && !viewer.isTeacher)
      return false;
    return true;
  }

  private async ensureConsumers(viewer: Participant): Promise<void> {
    const media = viewer.media;
    if (!media?.rtpCapabilities || viewer.state !== 'joined') return;
    const consuming = new Set([...media.consumers.values()].map((entry) => entry.consumer.producerId));
    for (const owner of this.joined.values()) {
      for (const [source, producer] of owner.media?.producers ?? []) {
        if (consuming.has(producer.id) || !this.shouldConsume(viewer, owner, source)) continue;
        const key = `${viewer.id}:${producer.id}`;
        if (this.pendingConsumers.has(key)) continue;
        this.pendingConsumers.add(key);
        try {
          await this.createConsumer(viewer, owner, source, producer);
        } catch (error) {
          if (!producer.closed && !media.isClosed) {
            this.services.logger.warn(
              { err: error, viewer: viewer.id, producerId: producer.id },
              'ensureConsumers() | consume failed',
            );
          }
        } finally {
          this.pendingConsumers.delete(key);
        }
      }
    }
  }

  private async createConsumer(
    viewer: Participant,
    owner: Participant,
    source: MediaSourceName,
    producer: types.Producer,
  ): Promise<void> {
    const consumer = await this.media?.consume(viewer.media!, producer.id, { ownerId: owner.id, source });
    if (!consumer) return;
    consumer.on('producerclose', () => viewer.emit('consumerClosed', { consumerId: consumer.id }));
    consumer.on('layerschange', (layers) =>
      viewer.emit('consumerLayers', {
        consumerId: consumer.id,
        spatialLayer: layers?.spatialLayer ?? null,
        temporalLayer: layers?.temporalLayer ?? null,
      }),
    );
    viewer.emit('newConsumer', {
      consumerId: consumer.id,
      producerId: producer.id,
      participantId: owner.id,
      kind: consumer.kind,
      source,
      rtpParameters: consumer.rtpParameters as unknown as Record<string, unknown>,
      producerPaused: consumer.producerPaused,
    });
  }

  private closeConsumersWhere(
    viewer: Participant,
    predicate: (ownerId: string, source: MediaSourceName) => boolean,
  ): void {
    for (const [consumerId, entry] of viewer.media?.consumers ?? []) {
      if (!predicate(entry.ownerId, entry.source)) continue;
      entry.consumer.close();
      viewer.emit('consumerClosed', { consumerId });
    }
  }

  private spotlightId(): string | null {
    if (this.pinnedId && this.joined.has(this.pinnedId)) return this.pinnedId;
    if (this.activeSpeakerId && this.joined.has(this.activeSpeakerId)) return this.activeSpeakerId;
    for (const participant of this.joined.values()) if (participant.isTeacher) return participant.id;
    return null;
  }

  /**
   * What the viewer shows large: its own choice, else the room's spotlight;
   * a viewer who is the spotlight itself (speaking) sees the teacher instead.
   */
  private focusFor(viewer: Participant): string | null {
    if (viewer.focus) return viewer.focus;
    const spotlight = this.spotlightId();
    if (spotlight !== viewer.id) return spotlight;
    for (const participant of this.joined.values()) {
      if (participant !== viewer && participant.isTeacher) return participant.id;
    }
    return null;
  }

  private visibleFor(viewer: Participant): Set<string> {
    const focus = this.focusFor(viewer);
    const visible = new Set(viewer.visible ?? []);
    if (!viewer.visible) {
      for (const participant of this.joined.values()) {
        if (visible.size >= DEFAULT_VISIBLE) break;
        if (participant !== viewer) visible.add(participant.id);
      }
    }
    if (focus) visible.add(focus);
    return visible;
  }

  private async applyPolicy(viewer: Participant): Promise<void> {
    const media = viewer.media;
    if (!media) return;
    const visible = this.visibleFor(viewer);
    const focus = this.focusFor(viewer);
    for (const entry of media.consumers.values()) {
      if (!entry.clientReady || entry.consumer.closed) continue;
      const encodings = entry.consumer.rtpParameters.encodings ?? [];
      const decision = decideLayers({
        source: entry.source,
        participantsPresent: this.joined.size,
        visible: visible.has(entry.ownerId),
        focused: entry.ownerId === focus,
        maxSpatialLayer:
          entry.consumer.type === 'simulcast' ? Math.max(0, this.producerLayers(entry.consumer) - 1) : 0,
      });
      try {
        if (decision.paused && !entry.consumer.paused) await entry.consumer.pause();
        if (!decision.paused) {
          if (entry.consumer.type === 'simulcast' || encodings.some((e) => e.scalabilityMode)) {
            await entry.consumer.setPreferredLayers({
              spatialLayer: decision.spatialLayer,
              temporalLayer: decision.temporalLayer,
            });
          }
          if (entry.consumer.paused) await entry.consumer.resume();
        }
      } catch (error) {
        if (!entry.consumer.closed) {
          this.services.logger.warn(
            { err: error, consumerId: entry.consumer.id },
            'applyPolicy() | could not apply layers',
          );
        }
      }
    }
  }

  private producerLayers(consumer: types.Consumer): number {
    for (const participant of this.joined.values()) {
      for (const producer of participant.media?.producers.values() ?? []) {
        if (producer.id === consumer.producerId) return producer.rtpParameters.encodings?.length ?? 1;
      }
    }
    return 1;
  }

  private async applyPolicyToAll(): Promise<void> {
    for (const viewer of this.joined.values()) await this.applyPolicy(viewer);
  }

  private speakerChanged(participantId: string): void {
    if (this.activeSpeakerId === participantId || !this.joined.has(participantId)) return;
    this.activeSpeakerId = participantId;
    this.broadcast('activeSpeaker', { participantId });
    if (!this.pinnedId) void this.applyPolicyToAll();
  }

  // --------------------------------------------------------------- moderation

  private requireModerator(participant: Participant): void {
    this.requirePermission(participant, Permission.MODERATE);
  }

  private requirePermission(participant: Participant, permission: Permission): void {
    if (!this.permissionsFor(participant).has(permission)) {
      throw new ForbiddenError(`You are not allowed to do this (${permission}).`, 'PERMISSION_DENIED');
    }
  }

  permissionsFor(participant: Participant): Set<Permission> {
    return permissionsOf(participant, this.classroom.studentPermissions);
  }

  private target(participantId: string): Participant {
    const target = this.joined.get(participantId);
    if (!target) throw new NotFoundError('This participant is not in the lesson', 'UNKNOWN_PARTICIPANT');
    return target;
  }

  async mute(teacher: Participant, participantId: string, source: MediaSourceName): Promise<void> {
    this.requireModerator(teacher);
    const target = this.target(participantId);
    const producer = target.media?.producers.get(source);
    if (!producer) return;
    if (source === 'mic') {
      await producer.pause();
      target.emit('mod:muted', { source });
    } else {
      producer.close();
      target.emit('producerClosed', { producerId: producer.id, source, reason: 'moderator' });
    }
    this.broadcast('participantUpdated', target.info());
  }

  async muteAll(teacher: Participant): Promise<number> {
    this.requireModerator(teacher);
    let muted = 0;
    for (const participant of this.joined.values()) {
      const mic = participant.media?.producers.get('mic');
      if (participant.isTeacher || !mic || mic.paused) continue;
      await mic.pause();
      participant.emit('mod:muted', { source: 'mic' });
      this.broadcast('participantUpdated', participant.info());
      muted += 1;
    }
    return muted;
  }

  /** Removes a participant (all their tabs) and keeps them out for the rest of the lesson. */
  remove(teacher: Participant, participantId: string): Promise<void> {
    return this.membership.run(async () => {
      this.requireModerator(teacher);
      const target = this.joined.get(participantId) ?? this.lobby.get(participantId)?.participant;
      if (!target) throw new NotFoundError('This participant is not here', 'UNKNOWN_PARTICIPANT');
      if (target.isTeacher) throw new ForbiddenError('Teachers cannot be removed', 'CANNOT_REMOVE_TEACHER');
      const lesson = this.lesson;
      if (lesson) {
        lesson.removedUserKeys.push(target.userKey);
        await this.services.lessons.removeUser(lesson._id, target.userKey);
      }
      const tabs = [
        ...this.joined.values(),
        ...[...this.lobby.values()].map((entry) => entry.participant),
      ].filter((participant) => participant.userKey === target.userKey);
      for (const tab of tabs) {
        tab.emit('removed', { reason: 'The teacher removed you from this lesson.' });
        await this.leaveNow(tab, { keepSeat: false });
        tab.channel.disconnect('removed');
      }
      this.services.logger.info(
        { classroomId: this.classroomId, participantId },
        'remove() | participant removed',
      );
    });
  }

  async setLocked(teacher: Participant, locked: boolean): Promise<void> {
    this.requireModerator(teacher);
    if (!this.lesson) throw new ConflictError('No lesson is running', 'LESSON_NOT_STARTED');
    await this.services.lessons.setLocked(this.lesson._id, locked);
    this.lesson.locked = locked;
    this.broadcastRoomState();
  }

  async pin(teacher: Participant, participantId: string | null): Promise<void> {
    this.requireModerator(teacher);
    if (participantId !== null) this.target(participantId);
    this.pinnedId = participantId;
    this.broadcastRoomState();
    await this.applyPolicyToAll();
  }

  raiseHand(participant: Participant): string[] {
    this.mediaOf(participant);
    this.requirePermission(participant, Permission.RAISE_HAND);
    participant.handRaisedAt ??= Date.now();
    this.broadcast('participantUpdated', participant.info());
    return this.handQueue();
  }

  lowerHand(participant: Participant, participantId?: string): string[] {
    const target =
      participantId && participantId !== participant.id ? this.target(participantId) : participant;
    if (target !== participant) this.requireModerator(participant);
    target.handRaisedAt = null;
    this.broadcast('participantUpdated', target.info());
    return this.handQueue();
  }

  lowerAllHands(teacher: Participant): void {
    this.requireModerator(teacher);
    for (const participant of this.joined.values()) {
      if (participant.handRaisedAt === null) continue;
      participant.handRaisedAt = null;
      this.broadcast('participantUpdated', participant.info());
    }
  }

  /** The seeds' advice: tell the next speakers in advance so they are ready when their turn comes. */
  callNext(teacher: Participant, count: number): string[] {
    this.requireModerator(teacher);
    const called = this.handQueue().slice(0, count);
    for (const id of called) this.joined.get(id)?.emit('hand:called', { byName: teacher.displayName });
    return called;
  }

  async giveFloor(teacher: Participant, participantId: string | null): Promise<void> {
    this.requireModerator(teacher);
    const next = participantId === null ? undefined : this.target(participantId);
    for (const participant of this.joined.values()) {
      if (!participant.hasFloor || participant === next) continue;
      participant.hasFloor = false;
      await this.enforcePermissions(participant);
      this.broadcast('participantUpdated', participant.info());
    }
    if (next) {
      next.hasFloor = true;
      next.handRaisedAt = null;
      next.emit('permissionsChanged', permissionsView(this.permissionsFor(next)));
      this.broadcast('participantUpdated', next.info());
    }
  }

  handQueue(): string[] {
    return [...this.joined.values()]
      .filter((participant) => participant.handRaisedAt !== null)
      .sort((a, b) => a.handRaisedAt! - b.handRaisedAt!)
      .map((participant) => participant.id);
  }

  /** Settings changed (here or through the HTTP API): take them in and enforce them on everyone. */
  async applySettings(teacher: Participant | undefined, changes: ClassroomSettingsUpdate): Promise<void> {
    if (teacher) this.requireModerator(teacher);
    const before = this.classroom;
    this.classroom = Object.keys(changes).length
      ? await this.services.classrooms.update(this.classroomId, changes)
      : await this.services.classrooms.get(this.classroomId);
    for (const participant of this.joined.values()) await this.enforcePermissions(participant);
    if (before.lectureMode !== this.classroom.lectureMode) {
      for (const viewer of this.joined.values()) {
        if (viewer.isTeacher) continue;
        if (this.classroom.lectureMode) {
          this.closeConsumersWhere(viewer, (ownerId, source) => {
            const owner = this.joined.get(ownerId);
            return source === 'camera' && owner !== undefined && !owner.isTeacher;
          });
        } else {
          await this.ensureConsumers(viewer);
        }
      }
    }
    this.broadcastRoomState();
  }

  private async enforcePermissions(participant: Participant): Promise<void> {
    const granted = this.permissionsFor(participant);
    participant.emit('permissionsChanged', permissionsView(granted));
    const producers = participant.media?.producers;
    if (!producers) return;
    const mic = producers.get('mic');
    if (mic && !mic.paused && !granted.has(Permission.UNMUTE)) {
      await mic.pause();
      participant.emit('mod:muted', { source: 'mic' });
    }
    for (const source of ['camera', 'screen', 'screenAudio'] as const) {
      const producer = producers.get(source);
      if (producer && !granted.has(SOURCE_PERMISSION[source])) {
        producer.close();
        participant.emit('producerClosed', { producerId: producer.id, source, reason: 'permission' });
      }
    }
    this.broadcast('participantUpdated', participant.info());
  }

  // ------------------------------------------------------------------- chat

  async sendChat(sender: Participant, text: string, toId?: string): Promise<ChatMessage> {
    this.mediaOf(sender);
    const lesson = this.lesson!;
    const recipient = toId ? this.target(toId) : undefined;
    if (recipient) {
      // Anyone may write privately to a teacher; otherwise private chat needs the permission.
      if (!recipient.isTeacher) this.requirePermission(sender, Permission.CHAT_PRIVATE);
    } else {
      this.requirePermission(sender, Permission.CHAT_PUBLIC);
    }
    const stored = await this.services.chat.append(this.classroomId, lesson._id, {
      fromUserKey: sender.userKey,
      fromName: sender.displayName,
      toUserKey: recipient?.userKey,
      text,
    });
    const message: ChatMessage = {
      id: stored.id,
      from: { id: sender.id, displayName: sender.displayName },
      ...(recipient ? { to: { id: recipient.id, displayName: recipient.displayName } } : {}),
      text,
      sentAt: stored.sentAt.getTime(),
    };
    if (recipient) {
      recipient.emit('chat:message', message);
      if (recipient !== sender) sender.emit('chat:message', message);
    } else {
      this.broadcast('chat:message', message);
    }
    return message;
  }

  private chatView(stored: StoredChatMessage): ChatMessage {
    const current = (userKey: string) =>
      [...this.joined.values()].find((p) => p.userKey === userKey)?.id ?? '';
    return {
      id: stored.id,
      from: { id: current(stored.fromUserKey), displayName: stored.fromName },
      ...(stored.toUserKey
        ? { to: { id: current(stored.toUserKey), displayName: this.nameOf(stored.toUserKey) ?? '' } }
        : {}),
      text: stored.text,
      sentAt: stored.sentAt.getTime(),
    };
  }

  private nameOf(userKey: string): string | undefined {
    return [...this.joined.values()].find((p) => p.userKey === userKey)?.displayName;
  }

  // ------------------------------------------------------------ state views

  state(viewer: Participant): RoomState {
    return {
      classroomId: this.classroomId,
      title: this.classroom.title,
      lesson: this.lesson
        ? { id: this.lesson._id, startedAt: this.lesson.startedAt.getTime(), locked: this.lesson.locked }
        : null,
      lectureMode: this.classroom.lectureMode,
      lobbyEnabled: this.classroom.lobbyEnabled,
      seatCap: this.classroom.seatCap,
      spotlightId: this.spotlightId(),
      pinnedId: this.pinnedId,
      activeSpeakerId: this.activeSpeakerId,
      participants: [...this.joined.values()].map((participant) => participant.info()),
      handQueue: this.handQueue(),
      lobby: viewer.isTeacher ? this.lobbyEntries() : [],
    };
  }

  private lobbyEntries(): LobbyEntry[] {
    return [...this.lobby.values()]
      .filter(({ participant }) => !participant.isTeacher)
      .map(({ participant }) => ({
        id: participant.id,
        displayName: participant.displayName,
        role: participant.role,
        waitingSince: participant.waitingSince,
      }));
  }

  private async joinedResult(participant: Participant): Promise<JoinResult> {
    const history = await this.services.chat.history(this.lesson!._id, participant.userKey);
    return {
      status: 'joined',
      self: participant.info(),
      permissions: permissionsView(this.permissionsFor(participant)),
      room: this.state(participant),
      media: this.mediaSetup(),
      chat: history.map((stored) => this.chatView(stored)),
    };
  }

  private broadcast<E extends ServerEventName>(
    event: E,
    payload: ServerEvents[E],
    except?: Participant,
  ): void {
    for (const participant of this.joined.values()) {
      if (participant !== except) participant.emit(event, payload);
    }
  }

  private broadcastRoomState(): void {
    for (const participant of this.joined.values()) participant.emit('roomUpdated', this.state(participant));
  }

  private notifyLobbyChanged(): void {
    const lobby = this.lobbyEntries();
    for (const participant of this.joined.values()) {
      if (participant.isTeacher) participant.emit('lobby:changed', { lobby });
    }
  }

  /**
   * Shutdown: everyone leaves as on a disconnect, so attendance closes now and
   * seats wait out the grace period for a reconnect to another process.
   */
  closeGracefully(): Promise<void> {
    return this.membership.run(async () => {
      const everyone = [
        ...this.joined.values(),
        ...[...this.lobby.values()].map((entry) => entry.participant),
      ];
      for (const participant of everyone) {
        await this.leaveNow(participant, { keepSeat: true });
        participant.channel.disconnect('server shutting down');
      }
      this.close();
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.media?.close();
    this.media = undefined;
    this.joined.clear();
    this.lobby.clear();
    this.connections.clear();
  }
}
