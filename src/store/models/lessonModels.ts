import { Schema, type Connection, type InferSchemaType } from 'mongoose';

const lessonSchema = new Schema(
  {
    _id: { type: String, required: true },
    classroomId: { type: String, required: true },
    status: { type: String, enum: ['live', 'ended'], required: true },
    startedAt: { type: Date, required: true },
    startedBy: { type: String, required: true },
    endedAt: { type: Date },
    endedReason: { type: String, enum: ['teacher', 'idle', 'admin'] },
    /** Last moment anyone was connected; the idle sweeper ends lessons that stay empty. */
    lastActivityAt: { type: Date, required: true },
    locked: { type: Boolean, required: true, default: false },
    /** The teacher chose "admit everyone": waiting people come in as seats free. */
    autoAdmit: { type: Boolean, required: true, default: false },
    /** Participants a teacher removed: they cannot rejoin this lesson. */
    removedUserKeys: { type: [String], required: true, default: [] },
    /** Users let in during this lesson: after a reconnect or a server restart they skip the waiting room. */
    admittedUserKeys: { type: [String], required: true, default: [] },
    /** Whom a teacher made a captioner in this lesson: the role survives a restart or a move to another node. */
    captionerUserKeys: { type: [String], required: true, default: [] },
    /** The teacher keeps a transcript of this lesson's captions (captionLines). */
    keepTranscript: { type: Boolean, required: true, default: false },
  },
  { versionKey: false },
);
lessonSchema.index({ classroomId: 1, startedAt: -1 });
lessonSchema.index({ status: 1, lastActivityAt: 1 });

/**
 * One document per classroom with a live lesson: inserting it is how a lesson
 * starts, so two teachers pressing "start" at once cannot open two lessons.
 */
const liveLessonSchema = new Schema(
  {
    _id: { type: String, required: true },
    lessonId: { type: String, required: true },
  },
  { versionKey: false },
);

/**
 * A seat is a slot number in a lesson: `_id` is `${lessonId}:${slot}`, so the
 * unique _id caps a lesson at seatCap documents whatever the number of Aula
 * processes. FerretDB and MongoDB both enforce unique indexes atomically, which
 * a conditional counter update on FerretDB does not.
 */
const seatSchema = new Schema(
  {
    _id: { type: String, required: true },
    lessonId: { type: String, required: true },
    slot: { type: Number, required: true },
    userKey: { type: String, required: true },
    kind: { type: String, enum: ['enrolled', 'guest'], required: true },
    /** Lease: renewed while connected; grace after the last disconnect; expiry frees the seat. */
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
seatSchema.index({ lessonId: 1, userKey: 1 }, { unique: true });

export type LessonRecord = InferSchemaType<typeof lessonSchema>;
export type SeatRecord = InferSchemaType<typeof seatSchema>;

export function lessonModels(connection: Connection) {
  return {
    lessons: connection.model('Lesson', lessonSchema, 'lessons'),
    liveLessons: connection.model('LiveLesson', liveLessonSchema, 'liveLessons'),
    seats: connection.model('Seat', seatSchema, 'seats'),
  };
}
