import { Schema, type Connection } from 'mongoose';

/**
 * Shared rate limits: every consumption is a document of its own, counted
 * over the key's window, so no update can lose another node's count; a
 * limiter's consumptions are numbered per key (`_id` is `${key}#${seq}`, see
 * DatabaseRateLimiter), attempts in flight carry no number. Expired ones are
 * swept by the retention sweeper.
 */
const rateLimitSchema = new Schema(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
    seq: { type: Number },
    points: { type: Number, required: true },
    expire: { type: Date, required: true },
  },
  { versionKey: false },
);
rateLimitSchema.index({ key: 1, expire: 1 });
rateLimitSchema.index({ expire: 1 });

/** Turns handed out in order on one key: `_id` is `${key}|${seq}`, so each turn is taken once. */
const rateLimitTurnSchema = new Schema(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
    seq: { type: Number, required: true },
    at: { type: Date, required: true },
    expire: { type: Date, required: true },
  },
  { versionKey: false },
);
rateLimitTurnSchema.index({ key: 1, seq: -1 });
rateLimitTurnSchema.index({ expire: 1 });

export function limitModels(connection: Connection) {
  return {
    rateLimits: connection.model('RateLimit', rateLimitSchema, 'rateLimits'),
    rateLimitTurns: connection.model('RateLimitTurn', rateLimitTurnSchema, 'rateLimitTurns'),
  };
}
