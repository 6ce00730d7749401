import type { Config } from '../config/index.js';
import type { WorkerPool } from '../media/WorkerPool.js';
import type { Logger } from '../shared/logger.js';
import type { NoteRefusal } from '../shared/refusalKinds.js';
import { aulaVersion } from '../shared/version.js';
import type { Database } from '../store/Database.js';
import type { DatabaseHealth } from '../store/DatabaseHealth.js';
import type { SharedLimits } from '../store/SharedLimits.js';
import type { WriteBehind } from '../store/WriteBehind.js';
import type { ActivationCheck } from './activation.js';
import crypto from 'node:crypto';
import path from 'node:path';
import { DocumentStore } from '../collab/DocumentStore.js';
import { SnapshotStore } from '../collab/SnapshotStore.js';
import { NotebookStore } from './notes/NotebookStore.js';
import { BoardSettings } from './board/BoardSettings.js';
import { SlideDecks } from './slides/SlideDecks.js';
import { DatabaseSlideFiles, DirectorySlideFiles } from './slides/slideFiles.js';
import { AttendanceService } from './AttendanceService.js';
import { createSpeechCaptioning } from '../captions/createSpeechCaptioning.js';
import { CaptionTranscripts } from './CaptionTranscripts.js';
import { ChatLog } from './ChatLog.js';
import { ClassroomService } from './ClassroomService.js';
import { GuestAccess } from './GuestAccess.js';
import type { GuestAttemptLimits } from './GuestAttemptLimiter.js';
import { JoinTokens } from './joinToken.js';
import { LessonService, type Lesson } from './LessonService.js';
import { PollStore } from './PollStore.js';
import { RoomMedia } from '../media/RoomMedia.js';
import { RoomRegistry } from './live/RoomRegistry.js';
import { ClusterNode } from './placement/ClusterNode.js';
import { NodeDirectory } from './placement/NodeDirectory.js';
import { RoomLeases } from './placement/RoomLeases.js';
import { RoomPlacement } from './placement/RoomPlacement.js';
import { SeatLedger } from './SeatLedger.js';
import { DirectoryRecordingFiles } from '../recording/RecordingFiles.js';
import { RecordingStore } from '../recording/RecordingStore.js';
import { mintTurnCredentials, type IceServer } from './turnCredentials.js';

const DAY_MS = 24 * 60 * 60_000;

export type ClassroomServices = ReturnType<typeof createClassroomServices>;

/** The classroom capability, wired from configuration: control plane services and the live room registry. */
export function createClassroomServices(deps: {
  config: Config;
  database: Database;
  workerPool: WorkerPool;
  joinTokenKey: Uint8Array;
  databaseHealth: DatabaseHealth;
  writes: WriteBehind;
  logger: Logger;
  onLessonEnded: (lesson: Lesson) => Promise<void>;
  /** Whether a classroom's school still has Aula switched on. */
  isActive: ActivationCheck;
  /** Rate limits every node shares (guest password attempts). */
  sharedLimits: SharedLimits;
  /** Overrides of the guest password-attempt limits (tests); the defaults are documented in the README. */
  guestAttemptLimits?: Partial<GuestAttemptLimits>;
  /** Counts refusals (guest password limits) for the operator's view. */
  noteRefusal?: NoteRefusal;
}) {
  const { writes } = deps;
  const { config, database, logger } = deps;
  const { models } = database;
  const leaseMs = config.AULA_SEAT_LEASE_SECONDS * 1000;
  const seats = new SeatLedger(models, { leaseMs, graceMs: config.AULA_SEAT_GRACE_SECONDS * 1000 });
  const attendance = new AttendanceService(models, writes, {
    retentionMs: config.AULA_RETENTION_ATTENDANCE_DAYS * DAY_MS,
    staleAfterMs: leaseMs,
  });
  const lessons = new LessonService(models, writes, seats, attendance, logger, deps.onLessonEnded);
  const classrooms = new ClassroomService(models, config.AULA_PUBLIC_URL, config.AULA_RECORDING === 'on');
  const chat = new ChatLog(models, writes, config.AULA_RETENTION_CHAT_DAYS * DAY_MS);
  const guests = new GuestAccess(
    models,
    classrooms,
    {
      retentionMs: config.AULA_RETENTION_GUEST_DAYS * DAY_MS,
      sharedLimits: deps.sharedLimits,
      attemptLimits: deps.guestAttemptLimits,
      noteRefusal: deps.noteRefusal,
    },
    logger,
  );
  const tokens = new JoinTokens(deps.joinTokenKey, config.AULA_JOIN_TOKEN_TTL_SECONDS);
  const polls = new PollStore(models, writes, config.AULA_RETENTION_ATTENDANCE_DAYS * DAY_MS);
  const boardRetentionMs = config.AULA_RETENTION_BOARD_DAYS * DAY_MS;
  const notesRetentionMs = config.AULA_RETENTION_NOTES_DAYS * DAY_MS;
  const documents = new DocumentStore(models, boardRetentionMs, { notes: notesRetentionMs });
  const notebooks = new NotebookStore(models, writes, notesRetentionMs);
  const snapshots = new SnapshotStore(models, notesRetentionMs);
  const slideStores = {
    database: new DatabaseSlideFiles(models),
    directory: new DirectorySlideFiles(path.join(config.dataDir, 'slides')),
  };
  const slides = new SlideDecks(
    models,
    { current: slideStores[config.AULA_SLIDE_STORE], all: slideStores },
    crypto.createHmac('sha256', deps.joinTokenKey).update('slides').digest(),
    boardRetentionMs,
    logger,
  );
  const boardSettings = new BoardSettings(models, writes);
  const transcripts = new CaptionTranscripts(models, writes, config.AULA_RETENTION_CAPTIONS_DAYS * DAY_MS);
  const speech = createSpeechCaptioning(
    {
      engine: config.AULA_CAPTIONS_ENGINE,
      modelDir: config.AULA_CAPTIONS_MODEL_DIR,
      language: config.AULA_CAPTIONS_LANGUAGE,
      ffmpegPath: config.AULA_CAPTIONS_FFMPEG,
      python: config.AULA_CAPTIONS_PYTHON,
    },
    logger,
  );
  const recordings = new RecordingStore(
    models,
    new DirectoryRecordingFiles(config.AULA_RECORDING_DIR ?? path.join(config.dataDir, 'recordings')),
    config.AULA_RECORDING_RETENTION_DAYS * DAY_MS,
  );
  const recordingOn = config.AULA_RECORDING === 'on';
  const turn =
    config.AULA_TURN_URLS && config.AULA_TURN_SECRET
      ? {
          urls: config.AULA_TURN_URLS,
          secret: config.AULA_TURN_SECRET,
          ttlSeconds: config.AULA_TURN_CREDENTIAL_TTL_SECONDS,
        }
      : undefined;

  // This process as one node of several on the database: rooms are placed and leased per node.
  const roomLeaseMs = config.AULA_ROOM_LEASE_SECONDS * 1000;
  const directory = new NodeDirectory(
    models,
    {
      id: config.AULA_NODE_ID,
      publicUrl: config.AULA_PUBLIC_URL,
      mediaAddress: config.AULA_RTC_ANNOUNCED_ADDRESS ?? config.AULA_RTC_LISTEN_IP.join(','),
      version: aulaVersion(),
      nodeVersion: process.versions.node,
    },
    { staleAfterMs: roomLeaseMs },
    logger,
  );
  const roomLeases = new RoomLeases(models, { leaseMs: roomLeaseMs });
  const cluster = new ClusterNode(
    directory,
    roomLeases,
    new RoomPlacement(directory, roomLeases, logger),
    // The heartbeat carries the live rooms too: every node's /admin shows every node's lessons.
    async () => ({ ...(await rooms.load()), liveRooms: await rooms.liveRooms() }),
    // Four renewals per lease: a slow database write or two does not cost a node its rooms.
    { beatMs: Math.floor(roomLeaseMs / 4) },
    logger,
  );
  const rooms: RoomRegistry = new RoomRegistry(
    {
      classrooms,
      lessons,
      seats,
      attendance,
      chat,
      workerPool: deps.workerPool,
      maxPerRouter: config.AULA_ROOM_MAX_PER_WORKER,
      openMedia: (logger) =>
        RoomMedia.create({
          workerPool: deps.workerPool,
          maxPerRouter: config.AULA_ROOM_MAX_PER_WORKER,
          logger,
        }),
      // Read whenever a page's media is set up: each page gets TURN credentials of its own.
      get iceServers(): IceServer[] {
        return turn ? [...config.AULA_TURN_SERVERS, mintTurnCredentials(turn)] : config.AULA_TURN_SERVERS;
      },
      databaseHealth: deps.databaseHealth,
      writes,
      graceMs: config.AULA_SEAT_GRACE_SECONDS * 1000,
      isActive: deps.isActive,
      guests,
      polls,
      documents,
      notebooks,
      snapshots,
      slides,
      boardSettings,
      captions: { transcripts, speech },
      ...(recordingOn ? { recording: { store: recordings, ffmpegPath: config.AULA_FFMPEG_PATH } } : {}),
      logger,
    },
    {
      heartbeatMs: Math.max(1000, Math.floor(leaseMs / 3)),
      idleLessonMs: config.AULA_LESSON_IDLE_MINUTES * 60_000,
      vacantRoomMs: config.AULA_SEAT_GRACE_SECONDS * 1000,
    },
    logger,
    cluster,
  );
  /** Collections with a retention period, each swept by its owner. */
  const expiring = {
    attendance: (now: Date) => attendance.deleteExpired(now),
    chatMessages: (now: Date) => chat.deleteExpired(now),
    guests: (now: Date) => guests.deleteExpired(now),
    polls: (now: Date) => polls.deleteExpired(now),
    collabDocuments: (now: Date) => documents.deleteExpired(now),
    slideDecks: (now: Date) => slides.deleteExpired(now),
    notebooks: (now: Date) => notebooks.deleteExpired(now),
    captionLines: (now: Date) => transcripts.deleteExpired(now),
    documentSnapshots: (now: Date) => snapshots.deleteExpired(now),
    roomLeases: (now: Date) => roomLeases.deleteExpired(now),
    nodes: (now: Date) => directory.deleteDeparted(now),
    recordings: (now: Date) => recordings.deleteExpired(now),
  };
  return {
    seats,
    attendance,
    lessons,
    classrooms,
    chat,
    guests,
    tokens,
    rooms,
    recordings,
    expiring,
    writes,
    polls,
    documents,
    notebooks,
    snapshots,
    slides,
    boardSettings,
    transcripts,
    isActive: deps.isActive,
  };
}
