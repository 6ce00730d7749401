import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/**
 * One shared document (a whiteboard) as a Yjs snapshot, found by `_id`
 * (`${classroomId}/${kind}/${group|class}`). `authors` ties each Yjs client
 * id that wrote to it to the user who did, so a user's strokes can be
 * erased; `rev` counts writes, so two nodes never overwrite each other's
 * changes (a write merges what is stored first).
 */
const collabDocumentSchema = new Schema(
  {
    _id: { type: String, required: true },
    classroomId: { type: String, required: true },
    kind: { type: String, required: true },
    /** The breakout group; null for the class's own document. */
    group: { type: String, default: null },
    /** What the history shows of it: the group's name, the lesson it belonged to. */
    label: { type: String },
    lessonId: { type: String },
    state: { type: Buffer, required: true },
    authors: {
      type: [
        { _id: false, client: { type: Number, required: true }, userKey: { type: String, required: true } },
      ],
      default: [],
    },
    bytes: { type: Number, required: true },
    rev: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
collabDocumentSchema.index({ classroomId: 1 });
collabDocumentSchema.index({ 'authors.userKey': 1 });
collabDocumentSchema.index({ expiresAt: 1 });

export type CollabDocumentRecord = InferSchemaType<typeof collabDocumentSchema>;

/**
 * A named snapshot of one shared document (the class's notes at the end of
 * a lesson), found by `_id` and listed by classroom. `authors` as in the
 * document; `contributors` names who wrote up to then, so an erasure can
 * take a name out and leave the text; `meta` is what the kind keeps beside
 * the text (the notes' pages).
 */
const documentSnapshotSchema = new Schema(
  {
    _id: { type: String, required: true },
    documentId: { type: String, required: true },
    classroomId: { type: String, required: true },
    kind: { type: String, required: true },
    group: { type: String, default: null },
    name: { type: String, default: null },
    reason: { type: String, required: true },
    lessonId: { type: String, default: null },
    takenAt: { type: Date, required: true },
    state: { type: Buffer, required: true },
    vector: { type: Buffer, required: true },
    authors: {
      type: [
        { _id: false, client: { type: Number, required: true }, userKey: { type: String, required: true } },
      ],
      default: [],
    },
    contributors: {
      type: [
        { _id: false, userKey: { type: String, required: true }, name: { type: String, required: true } },
      ],
      default: [],
    },
    meta: { type: Schema.Types.Mixed, default: null },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
documentSnapshotSchema.index({ classroomId: 1 });
documentSnapshotSchema.index({ 'authors.userKey': 1 });
documentSnapshotSchema.index({ 'contributors.userKey': 1 });
documentSnapshotSchema.index({ expiresAt: 1 });

export type DocumentSnapshotRecord = InferSchemaType<typeof documentSnapshotSchema>;

export function collabModels(connection: Connection) {
  return {
    collabDocuments: connection.model('CollabDocument', collabDocumentSchema, 'collabDocuments'),
    documentSnapshots: connection.model('DocumentSnapshot', documentSnapshotSchema, 'documentSnapshots'),
  };
}
