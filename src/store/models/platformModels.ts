import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/** Aula's view of an LMS registration; ltijs keeps the keys and endpoints in its own collections. */
const platformSchema = new Schema(
  {
    _id: { type: String, required: true },
    issuer: { type: String, required: true },
    clientId: { type: String, required: true },
    name: { type: String, required: true },
    productFamily: { type: String },
    registeredVia: { type: String, enum: ['dynamic', 'manual'], required: true },
    enabled: { type: Boolean, required: true, default: true },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);
platformSchema.index({ issuer: 1, clientId: 1 }, { unique: true });

const deploymentSchema = new Schema(
  {
    _id: { type: String, required: true },
    platformId: { type: String, required: true },
    deploymentId: { type: String, required: true },
    enabled: { type: Boolean, required: true, default: true },
    seatTier: { type: Number, enum: [10, 25, 50], required: true },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);
deploymentSchema.index({ platformId: 1, deploymentId: 1 }, { unique: true });

/**
 * One document, `_id: 'registry'`, whose random `stamp` every change of a
 * platform or deployment replaces: each process keeps registrations in memory
 * and reloads them when the stamp it reads differs from the one it loaded.
 */
const registryStampSchema = new Schema(
  {
    _id: { type: String, required: true },
    stamp: { type: String, required: true },
  },
  { versionKey: false },
);

/** The secret in the dynamic registration URL (`_id: 'current'`): shown to the admin, rotated on use. */
const registrationSecretSchema = new Schema(
  {
    _id: { type: String, required: true },
    secret: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export type PlatformRecord = InferSchemaType<typeof platformSchema>;
export type DeploymentRecord = InferSchemaType<typeof deploymentSchema>;

// ltijs owns the collections `platforms`, `platformstatuses`, `nonces` and
// others in the same database; Aula's names must not collide with them.
export function platformModels(connection: Connection) {
  return {
    platforms: connection.model('Platform', platformSchema, 'lmsPlatforms'),
    deployments: connection.model('Deployment', deploymentSchema, 'lmsDeployments'),
    registryStamps: connection.model('RegistryStamp', registryStampSchema, 'lmsRegistryStamps'),
    registrationSecrets: connection.model(
      'RegistrationSecret',
      registrationSecretSchema,
      'lmsRegistrationSecrets',
    ),
  };
}
