import type { types } from 'mediasoup';
import {
  CONSENT_TEXT_VERSION,
  type ConsentChoice,
  type MediaSourceName,
  type RecordingView,
  type RequestPayload,
  type StageView,
} from '../../../protocol/index.js';
import type { Recording } from '../../../recording/RecordingStore.js';
import { checkRecorder } from '../../../recording/recorderCheck.js';
import type { RecordingServices } from '../../../recording/RecordingServices.js';
import type { SegmentResult } from '../../../recording/TrackSegment.js';
import { ConflictError, ForbiddenError } from '../../../shared/errors.js';
import { SerialQueue } from '../../../shared/SerialQueue.js';
import type { ClassroomContext } from '../ClassroomContext.js';
import type { Groups } from '../groups/Groups.js';
import type { Participant } from '../Participant.js';
import { RecordingConsents } from './RecordingConsents.js';
import type { MediaSession } from '../media/MediaSession.js';
import {
  recordableSources,
  recorderWatches,
  startRecordedTrack,
  type RecordedTrack,
} from './recordingRules.js';

/**
 * A lesson's recording, consent first. The operator switched recording on
 * (RoomServices.recording) and the teacher allowed it for the classroom;
 * a teacher starts and stops it. Everyone is asked; a track is consumed by
 * the recorder only while its sender's answer covers it (a teacher who
 * started it: all they send). Only the main room is recorded.
 */
export class LessonRecording {
  private current: { recording: Recording; tracks: Map<string, RecordedTrack> } | undefined;
  private readonly consents = new RecordingConsents(() => this.services);
  private readonly queue = new SerialQueue();

  constructor(
    private readonly ctx: ClassroomContext,
    private readonly groups: Groups,
  ) {}

  private get services(): RecordingServices | undefined {
    return this.ctx.services.recording;
  }

  /**
   * Allowed twice: by the operator and by the classroom's teacher; never in an end-to-end
   * encrypted lesson, whose media the SFU forwards without being able to decode it.
   */
  get available(): boolean {
    const { recordingAllowed, endToEndEncryption } = this.ctx.classroom;
    return Boolean(this.services) && recordingAllowed === true && !endToEndEncryption;
  }

  get active(): boolean {
    return this.current !== undefined;
  }

  view(viewer: Participant): RecordingView {
    const recording = this.current?.recording;
    return {
      available: this.available,
      active: Boolean(recording),
      startedAt: recording ? recording.startedAt.getTime() : null,
      mine: recording ? (this.consents.choiceOf(viewer) ?? null) : null,
      textVersion: CONSENT_TEXT_VERSION,
      ...(viewer.isTeacher && recording
        ? { consents: this.consents.summary(this.ctx.roster.inLesson()) }
        : {}),
    };
  }

  start(teacher: Participant): Promise<RecordingView> {
    return this.queue.run(async () => {
      const services = this.require();
      if (this.current) throw new ConflictError('A recording is already running', 'RECORDING_RUNNING');
      const lesson = this.ctx.lesson;
      if (!lesson) throw new ConflictError('The lesson has not started', 'LESSON_NOT_STARTED');
      await checkRecorder(services.ffmpegPath, this.ctx.logger);
      const recording = await services.store.create({
        classroomId: this.ctx.classroomId,
        lessonId: lesson._id,
        startedBy: teacher.userKey,
      });
      this.current = { recording, tracks: new Map() };
      this.consents.clear();
      await this.answer(teacher, 'cameraAndMic', 'started-by-teacher');
      this.ctx.logger.info({ recordingId: recording._id }, 'start() | recording started');
      await this.reconcileAll();
      this.broadcast();
      return this.view(teacher);
    });
  }

  stop(participant: Participant): Promise<RecordingView> {
    return this.queue.run(async () => {
      const current = this.current;
      if (!current) throw new ConflictError('No recording is running', 'RECORDING_NOT_RUNNING');
      if (current.recording.startedBy !== participant.userKey)
        throw new ForbiddenError(
          'Only the teacher who started the recording stops it',
          'RECORDING_NOT_YOURS',
        );
      await this.finish('teacher');
      this.broadcast();
      return this.view(participant);
    });
  }

  /** Someone's own answer; anyone may change theirs at any time. */
  consent(participant: Participant, payload: RequestPayload<'recording:consent'>): Promise<RecordingView> {
    return this.queue.run(async () => {
      if (payload.participantId !== undefined && payload.participantId !== participant.id)
        throw new ForbiddenError('Everyone answers for themselves only', 'CONSENT_FOR_OTHERS');
      if (!this.current) throw new ConflictError('No recording is running', 'RECORDING_NOT_RUNNING');
      await this.answer(participant, payload.choice, payload.textVersion);
      await this.reconcile(participant);
      this.broadcast();
      return this.view(participant);
    });
  }

  /**
   * Asked before their media starts: while a recording runs, someone who has not
   * answered yet sends nothing into the recorded main room (their page asks first).
   */
  mayProduce(participant: Participant): void {
    if (!this.current || this.groups.of(participant) !== this.groups.main) return;
    if (!this.consents.answered(participant))
      throw new ConflictError('Answer whether you may be recorded first', 'CONSENT_PENDING');
  }

  /** A participant's sources changed (sending, stopped, moved groups): the recorder follows. */
  sourcesChanged(owner: Participant): void {
    if (!this.current) return;
    void this.queue.run(() => this.reconcile(owner)).catch((error: unknown) => this.failed(error));
  }

  /** What the class sees changed: a manifest event. */
  stageChanged(view: StageView): void {
    const recordingId = this.current?.recording._id;
    if (!recordingId || !this.services) return;
    const data = {
      mode: view.mode,
      deckId: view.deck?.id ?? null,
      page: view.page,
      boardPage: view.boardPage,
    };
    void this.services.store
      .addEvent(recordingId, 'stage', data)
      .catch((error: unknown) => this.failed(error));
  }

  /** A new node took the classroom over mid-lesson: the lesson's recording goes on here. */
  async restore(): Promise<void> {
    const services = this.services;
    const lesson = this.ctx.lesson;
    if (!services || !lesson) return;
    const recording = await services.store.resumable(lesson._id);
    if (!recording) return;
    await services.store.reopen(recording._id);
    // A node that died mid-recording left its segments open: they end where their files end.
    const orphans = await services.store.closeOrphanedSegments(recording._id);
    this.current = { recording: { ...recording, endedAt: null }, tracks: new Map() };
    await this.consents.restore(recording._id);
    this.ctx.logger.info(
      { recordingId: recording._id, orphans },
      'restore() | recording goes on on this node',
    );
  }

  /** The lesson ended (`lesson`), or this node lets the classroom go (`moved`): segments close cleanly. */
  end(reason: 'lesson' | 'moved'): Promise<void> {
    return this.queue.run(async () => {
      if (this.current) await this.finish(reason);
    });
  }

  private require(): RecordingServices {
    const services = this.services;
    if (!services || !this.available)
      throw new ForbiddenError('Recording is not enabled for this classroom', 'RECORDING_OFF');
    return services;
  }

  private async answer(participant: Participant, choice: ConsentChoice, textVersion: string): Promise<void> {
    const { recording } = this.current!;
    await this.consents.record(recording._id, this.ctx.classroomId, participant, { choice, textVersion });
  }

  private async reconcileAll(): Promise<void> {
    for (const participant of this.ctx.roster.inLesson()) await this.reconcile(participant);
  }

  /** Starts what may be recorded of someone and is not yet, stops what is and may not be (any more). */
  private async reconcile(owner: Participant): Promise<void> {
    const current = this.current;
    if (!current) return;
    const group = this.groups.of(owner);
    const inMain = group === this.groups.main && owner.state === 'joined';
    const allowed = recordableSources(this.consents.choiceOf(owner));
    const wanted = new Map<string, [MediaSourceName, types.Producer]>();
    for (const [source, producer] of (inMain ? group.media.find(owner)?.producers() : undefined) ?? []) {
      if (allowed.has(source) && !producer.closed) wanted.set(producer.id, [source, producer]);
    }
    for (const track of [...current.tracks.values()]) {
      if (track.owner === owner && !wanted.has(track.producerId)) await this.stopTrack(track);
    }
    for (const [producerId, [source, producer]] of wanted) {
      if (group && !current.tracks.has(producerId))
        await this.startTrack(owner, source, producer, group.media);
    }
  }

  private async startTrack(
    owner: Participant,
    source: MediaSourceName,
    producer: types.Producer,
    media: MediaSession,
  ): Promise<void> {
    const { recording, tracks } = this.current!;
    const what = { owner, source, producer, media };
    const track = await startRecordedTrack(this.services!, recording._id, what, this.ctx.logger);
    if (!track) return;
    tracks.set(producer.id, track);
    track.segment.on('producerClosed', () => this.sourcesChanged(owner));
    track.segment.on('ended', (result) => {
      void this.queue
        .run(() => this.segmentEnded(track, result))
        .catch((error: unknown) => this.failed(error));
    });
  }

  private async stopTrack(track: RecordedTrack): Promise<void> {
    this.current?.tracks.delete(track.producerId);
    // The file first: ffmpeg finishes it (duration, index) at the next packet, and a sender told
    // that nobody wants its top layer any more stops sending the very packets it waits for.
    const result = await track.segment.stop();
    recorderWatches(track, false);
    await this.services!.store.closeSegment(track.segmentId, result);
  }

  /** ffmpeg went away by itself: a full disk stops the recording; a crash leaves a gap and starts anew. */
  private async segmentEnded(track: RecordedTrack, result: SegmentResult): Promise<void> {
    const current = this.current;
    if (!current || current.tracks.get(track.producerId) !== track) return;
    current.tracks.delete(track.producerId);
    recorderWatches(track, false);
    const store = this.services!.store;
    await store.closeSegment(track.segmentId, result);
    if (result.outcome === 'diskFull') {
      this.ctx.logger.warn(
        { recordingId: current.recording._id },
        'segmentEnded() | disk full, recording stopped',
      );
      await this.finish('diskFull');
      for (const teacher of this.ctx.roster.inLesson().filter((p) => p.isTeacher))
        teacher.emit('recording:failed', { reason: 'diskFull' });
      this.broadcast();
      return;
    }
    await store.addEvent(current.recording._id, 'gap', {
      participantId: track.owner.id,
      source: track.source,
      from: result.endedAt,
    });
    await this.reconcile(track.owner);
  }

  private async finish(reason: string): Promise<void> {
    const current = this.current!;
    this.current = undefined;
    // All at once: each file waits for its next packet to close.
    await Promise.all([...current.tracks.values()].map((track) => this.stopTrack(track)));
    await this.services!.store.end(current.recording._id, reason);
    this.ctx.logger.info({ recordingId: current.recording._id, reason }, 'finish() | recording ended');
  }

  private broadcast(): void {
    for (const participant of this.ctx.roster.joined())
      participant.emit('recording:state', this.view(participant));
  }

  private failed(error: unknown): void {
    this.ctx.logger.warn({ err: error }, 'LessonRecording() | recorder step failed');
  }
}
