import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/** A PDF a teacher uploaded to a classroom: what pages show; its bytes live in a slide store. */
const slideDeckSchema = new Schema(
  {
    _id: { type: String, required: true },
    classroomId: { type: String, required: true },
    name: { type: String, required: true },
    pages: { type: Number, required: true },
    /** Each page's size in PDF points, as shown (objects: FerretDB keeps no nested arrays). */
    sizes: {
      type: [{ _id: false, w: { type: Number, required: true }, h: { type: Number, required: true } }],
      required: true,
    },
    bytes: { type: Number, required: true },
    /** Where its bytes are: `database` (chunks by _id) or `directory` (AULA_DATA_DIR). */
    store: { type: String, enum: ['database', 'directory'], required: true },
    chunks: { type: Number, required: true },
    uploadedBy: { type: String },
    uploadedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
slideDeckSchema.index({ classroomId: 1 });
slideDeckSchema.index({ uploadedBy: 1 });
slideDeckSchema.index({ expiresAt: 1 });

/** A part of a PDF's bytes, found by `_id` (`${deckId}:${n}`): FerretDB reads these without a scan. */
const slideChunkSchema = new Schema(
  {
    _id: { type: String, required: true },
    data: { type: Buffer, required: true },
  },
  { versionKey: false },
);

/** A classroom's board settings, by `_id` = classroom id: what the class sees and who may draw. */
const boardSettingsSchema = new Schema(
  {
    _id: { type: String, required: true },
    mode: { type: String, enum: ['cameras', 'board', 'slides'], required: true },
    deckId: { type: String, default: null },
    page: { type: Number, required: true },
    boardPage: { type: String, required: true },
    drawing: { type: String, enum: ['teachers', 'everyone', 'chosen'], required: true },
    /** User keys of the students the teacher gave the pen. */
    chosen: { type: [String], default: [] },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export type SlideDeckRecord = InferSchemaType<typeof slideDeckSchema>;

export function slideModels(connection: Connection) {
  return {
    slideDecks: connection.model('SlideDeck', slideDeckSchema, 'slideDecks'),
    slideChunks: connection.model('SlideChunk', slideChunkSchema, 'slideChunks'),
    boardSettings: connection.model('BoardSettings', boardSettingsSchema, 'boardSettings'),
  };
}
