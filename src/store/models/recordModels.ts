import { Schema, type Connection, type InferSchemaType } from 'mongoose';

// Records with a retention period carry `expiresAt`; the retention sweeper
// deletes them. A TTL index would do the same on MongoDB, but FerretDB 1.x
// rejects TTL indexes and the sweeper works on both.

/** One connected interval of one participant in one lesson. */
const attendanceSchema = new Schema(
  {
    _id: { type: String, required: true },
    classroomId: { type: String, required: true },
    lessonId: { type: String, required: true },
    userKey: { type: String, required: true },
    lmsUserId: { type: String },
    displayName: { type: String, required: true },
    role: { type: String, enum: ['teacher', 'student', 'guest'], required: true },
    /** The breakout room of this interval; absent in the class's main room. */
    room: { type: String },
    joinedAt: { type: Date, required: true },
    leftAt: { type: Date },
    /** Renewed while connected: a crashed process's open intervals end here. */
    lastSeenAt: { type: Date, required: true },
    /** Times the connection dropped and came back within the grace period; not counted as present. */
    gaps: {
      type: [{ _id: false, from: { type: Date, required: true }, to: { type: Date, required: true } }],
      default: [],
    },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
attendanceSchema.index({ lessonId: 1, userKey: 1 });
attendanceSchema.index({ classroomId: 1 });
attendanceSchema.index({ expiresAt: 1 });

const chatMessageSchema = new Schema(
  {
    _id: { type: String, required: true },
    classroomId: { type: String, required: true },
    lessonId: { type: String, required: true },
    fromUserKey: { type: String, required: true },
    fromName: { type: String, required: true },
    toUserKey: { type: String },
    toName: { type: String },
    text: { type: String, required: true },
    sentAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
chatMessageSchema.index({ lessonId: 1, sentAt: 1 });
chatMessageSchema.index({ expiresAt: 1 });

const guestSchema = new Schema(
  {
    _id: { type: String, required: true },
    classroomId: { type: String, required: true },
    displayName: { type: String, required: true },
    /** SHA-256 of the random id the guest's browser keeps in a cookie: the same browser is the same guest. */
    browserKey: { type: String },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
guestSchema.index({ expiresAt: 1 });
guestSchema.index({ classroomId: 1, browserKey: 1 });

/** The course roster from the platform's Names and Roles service. */
const rosterSchema = new Schema(
  {
    _id: { type: String, required: true },
    members: [
      {
        _id: false,
        lmsUserId: { type: String, required: true },
        name: { type: String },
        role: { type: String, enum: ['teacher', 'student'], required: true },
        active: { type: Boolean, required: true },
      },
    ],
    fetchedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);

/** A one-time code that hands the result of a launch to the page that follows it. */
const ticketSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: ['launch', 'deepLink'], required: true },
    payload: { type: Schema.Types.Mixed, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
ticketSchema.index({ expiresAt: 1 });

/** id_token nonces already used: the unique _id makes a replay fail atomically. */
const nonceSchema = new Schema(
  {
    _id: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
nonceSchema.index({ expiresAt: 1 });

/** Attendance waiting to be published as grades; retried with back-off. */
const gradeJobSchema = new Schema(
  {
    _id: { type: String, required: true },
    classroomId: { type: String, required: true },
    lessonId: { type: String, required: true },
    status: { type: String, enum: ['pending', 'done', 'failed'], required: true },
    attempts: { type: Number, required: true, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    lastError: { type: String },
    /** Kept across retries, so a retry does not create a second grade column. */
    lineItemId: { type: String },
    published: { type: Number, default: 0 },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
gradeJobSchema.index({ status: 1, nextAttemptAt: 1 });

export type AttendanceRecord = Omit<InferSchemaType<typeof attendanceSchema>, 'gaps'> & {
  gaps?: Array<{ from: Date; to: Date }>;
};
export type ChatMessageRecord = InferSchemaType<typeof chatMessageSchema>;
export type RosterRecord = InferSchemaType<typeof rosterSchema>;
export type GradeJobRecord = InferSchemaType<typeof gradeJobSchema>;

export function recordModels(connection: Connection) {
  return {
    attendance: connection.model('Attendance', attendanceSchema, 'attendance'),
    chatMessages: connection.model('ChatMessage', chatMessageSchema, 'chatMessages'),
    guests: connection.model('Guest', guestSchema, 'guests'),
    rosters: connection.model('Roster', rosterSchema, 'rosters'),
    tickets: connection.model('Ticket', ticketSchema, 'tickets'),
    nonces: connection.model('Nonce', nonceSchema, 'ltiNonces'),
    gradeJobs: connection.model('GradeJob', gradeJobSchema, 'gradeJobs'),
  };
}

/**
 * A poll a teacher ran in a lesson. Named polls keep who answered what;
 * anonymous ones keep only a per-poll pseudonym per person, so one person
 * answers once but nobody can tell who chose what.
 */
const pollSchema = new Schema(
  {
    _id: { type: String, required: true },
    classroomId: { type: String, required: true },
    lessonId: { type: String, required: true },
    question: { type: String, required: true },
    kind: { type: String, enum: ['single', 'multiple', 'yesNo', 'scale'], required: true },
    options: { type: [String], required: true },
    anonymous: { type: Boolean, required: true },
    guestsMayAnswer: { type: Boolean, required: true },
    startedAt: { type: Date, required: true },
    endsAt: { type: Date },
    closedAt: { type: Date },
    answers: {
      type: [
        {
          _id: false,
          voter: { type: String, required: true },
          name: { type: String },
          choices: { type: [Number], required: true },
          answeredAt: { type: Date, required: true },
        },
      ],
      default: [],
    },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
pollSchema.index({ lessonId: 1, startedAt: 1 });
pollSchema.index({ expiresAt: 1 });

export type PollRecord = Omit<InferSchemaType<typeof pollSchema>, 'answers'> & {
  answers: Array<{ voter: string; name?: string | null; choices: number[]; answeredAt: Date }>;
};

/**
 * One person's answer to one poll, a document of its own (`<pollId>:<voter>`),
 * so answering writes only that answer. Polls written before answers had
 * their own documents keep theirs in the poll's `answers`.
 */
const pollAnswerSchema = new Schema(
  {
    _id: { type: String, required: true },
    pollId: { type: String, required: true },
    voter: { type: String, required: true },
    name: { type: String },
    choices: { type: [Number], required: true },
    answeredAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
pollAnswerSchema.index({ pollId: 1 });
pollAnswerSchema.index({ expiresAt: 1 });

export type PollAnswerRecord = InferSchemaType<typeof pollAnswerSchema>;

export function pollModels(connection: Connection) {
  return {
    polls: connection.model('Poll', pollSchema, 'polls'),
    pollAnswers: connection.model('PollAnswer', pollAnswerSchema, 'pollAnswers'),
  };
}
