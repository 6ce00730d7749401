import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/** A lesson's recording: who started it, when, and who may watch it. */
const recordingSchema = new Schema(
  {
    _id: { type: String, required: true },
    classroomId: { type: String, required: true },
    lessonId: { type: String, required: true },
    startedBy: { type: String, required: true },
    startedAt: { type: Date, required: true },
    endedAt: { type: Date, default: null },
    /** Why it ended: the teacher, the lesson's end, a full disk, or the node going away (it goes on elsewhere). */
    endReason: { type: String, default: null },
    /** The teacher shows it to the class (watch); `downloadable` lets students download it too. */
    published: { type: Boolean, required: true, default: false },
    downloadable: { type: Boolean, required: true, default: false },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
recordingSchema.index({ classroomId: 1 });
recordingSchema.index({ lessonId: 1 });
recordingSchema.index({ expiresAt: 1 });

/** One WebM file of one track, and the wall-clock time its media starts and ends. */
const recordingSegmentSchema = new Schema(
  {
    _id: { type: String, required: true },
    recordingId: { type: String, required: true },
    /** Whose track: their user key (erasure finds it), participant id and role at the time. */
    userKey: { type: String, required: true },
    participantId: { type: String, required: true },
    role: { type: String, required: true },
    source: { type: String, enum: ['mic', 'camera', 'screen', 'screenAudio'], required: true },
    kind: { type: String, enum: ['audio', 'video'], required: true },
    file: { type: String, required: true },
    startedAt: { type: Date, default: null },
    endedAt: { type: Date, default: null },
    bytes: { type: Number, required: true, default: 0 },
    /** closed, crashed (ffmpeg restarted, a gap follows), diskFull, or lost (its node died); null while it records. */
    outcome: { type: String, default: null },
  },
  { versionKey: false },
);
recordingSegmentSchema.index({ recordingId: 1 });
recordingSegmentSchema.index({ userKey: 1 });

/** What else the manifest holds: the slides/board page changes and the gaps of a crashed recorder. */
const recordingEventSchema = new Schema(
  {
    _id: { type: String, required: true },
    recordingId: { type: String, required: true },
    at: { type: Date, required: true },
    type: { type: String, enum: ['stage', 'gap'], required: true },
    /** stage: mode, deckId, page, boardPage; gap: source, userKey, until. */
    data: { type: Schema.Types.Mixed, required: true },
  },
  { versionKey: false },
);
recordingEventSchema.index({ recordingId: 1 });

/** Each answer to "may we record you", with the version of the text the person saw; never overwritten. */
const recordingConsentSchema = new Schema(
  {
    _id: { type: String, required: true },
    recordingId: { type: String, required: true },
    classroomId: { type: String, required: true },
    userKey: { type: String, required: true },
    displayName: { type: String, required: true },
    role: { type: String, required: true },
    choice: { type: String, enum: ['cameraAndMic', 'micOnly', 'none'], required: true },
    textVersion: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
recordingConsentSchema.index({ recordingId: 1 });
recordingConsentSchema.index({ userKey: 1 });

export type RecordingRecord = InferSchemaType<typeof recordingSchema>;
export type RecordingSegmentRecord = InferSchemaType<typeof recordingSegmentSchema>;
export type RecordingEventRecord = InferSchemaType<typeof recordingEventSchema>;
export type RecordingConsentRecord = InferSchemaType<typeof recordingConsentSchema>;

export function recordingModels(connection: Connection) {
  return {
    recordings: connection.model('Recording', recordingSchema, 'recordings'),
    recordingSegments: connection.model('RecordingSegment', recordingSegmentSchema, 'recordingSegments'),
    recordingEvents: connection.model('RecordingEvent', recordingEventSchema, 'recordingEvents'),
    recordingConsents: connection.model('RecordingConsent', recordingConsentSchema, 'recordingConsents'),
  };
}
