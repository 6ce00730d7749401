import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/**
 * A classroom's notebook, found by `_id` (the classroom's id): the pages of
 * its shared notes (their text is the notes document's, in collabDocuments),
 * who may write besides teachers, and which breakout groups' notes were
 * merged. Kept while the notes are used.
 */
const notebookSchema = new Schema(
  {
    _id: { type: String, required: true },
    pages: {
      type: [
        {
          _id: false,
          id: { type: String, required: true },
          title: { type: String, required: true },
          lessonId: { type: String, default: null },
          createdAt: { type: Date, required: true },
        },
      ],
      default: [],
    },
    writers: { type: String, enum: ['teachers', 'everyone', 'chosen'], default: 'teachers' },
    /** User keys of the students chosen to write. */
    chosen: { type: [String], default: [] },
    merged: {
      type: [{ _id: false, group: { type: String, required: true }, at: { type: Date, required: true } }],
      default: [],
    },
    updatedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
notebookSchema.index({ chosen: 1 });
notebookSchema.index({ expiresAt: 1 });

export type NotebookRecord = InferSchemaType<typeof notebookSchema>;

export function notesModels(connection: Connection) {
  return { notebooks: connection.model('Notebook', notebookSchema, 'notebooks') };
}
