import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/**
 * One caption line of a lesson whose teacher keeps a transcript (nothing is
 * written otherwise): who said or typed it (for erasure) and the text.
 */
const captionLineSchema = new Schema(
  {
    _id: { type: String, required: true },
    classroomId: { type: String, required: true },
    lessonId: { type: String, required: true },
    /** The breakout group it was said in; null for the main room. */
    groupId: { type: String, default: null },
    source: { type: String, enum: ['typed', 'automatic'], required: true },
    speakerUserKey: { type: String, default: null },
    speakerName: { type: String, default: null },
    text: { type: String, required: true },
    at: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
captionLineSchema.index({ lessonId: 1, at: 1 });
captionLineSchema.index({ speakerUserKey: 1 });
captionLineSchema.index({ expiresAt: 1 });

export type CaptionLineRecord = InferSchemaType<typeof captionLineSchema>;

export function captionModels(connection: Connection) {
  return {
    captionLines: connection.model('CaptionLine', captionLineSchema, 'captionLines'),
  };
}
