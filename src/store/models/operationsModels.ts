import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/**
 * Refusals worth an operator's look, counted per hour, node, kind and subject
 * (a platform id, a limit's name): `_id` is `${hour}|${nodeId}|${kind}|${subject}`,
 * so each node adds to its own documents only and counts stay exact on
 * FerretDB too. No addresses or user ids: subjects are platforms and limits.
 */
const refusalSchema = new Schema(
  {
    _id: { type: String, required: true },
    hour: { type: Date, required: true },
    nodeId: { type: String, required: true },
    kind: { type: String, required: true },
    subject: { type: String, required: true, default: '' },
    count: { type: Number, required: true, default: 0 },
    lastAt: { type: Date, required: true },
  },
  { versionKey: false },
);
refusalSchema.index({ hour: -1 });

export type RefusalRecord = InferSchemaType<typeof refusalSchema>;

export function operationsModels(connection: Connection) {
  return {
    refusals: connection.model('Refusal', refusalSchema, 'refusals'),
  };
}
