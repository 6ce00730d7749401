import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/**
 * One document per Aula node: where it is, how busy it is, and when it last
 * said so. A node whose heartbeat is older than the room lease counts as gone.
 */
const nodeSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** Tells this process apart from an earlier one that ran under the same node id. */
    instanceId: { type: String, required: true },
    publicUrl: { type: String, required: true },
    /** Where browsers send this node's media (the announced address, else the listen address). */
    mediaAddress: { type: String, required: true },
    /** Aula's and Node.js's versions on this node, for the operator's view. */
    version: { type: String },
    nodeVersion: { type: String },
    startedAt: { type: Date, required: true },
    heartbeatAt: { type: Date, required: true },
    /** Shutting down: it takes no new rooms and hands its rooms to other nodes. */
    draining: { type: Boolean, required: true, default: false },
    rooms: { type: Number, required: true, default: 0 },
    participants: { type: Number, required: true, default: 0 },
    /** Participants the node's media workers carry before a classroom spreads over workers. */
    capacity: { type: Number, required: true, default: 1 },
    workersAlive: { type: Number, required: true, default: 0 },
    /** The classrooms with a live lesson this node serves, and who is in each (breakout rooms included). */
    liveRooms: {
      type: [new Schema({ classroomId: String, participants: Number }, { _id: false })],
      default: undefined,
    },
  },
  { versionKey: false },
);

/**
 * Which node serves a classroom's live room. `_id` is the classroom id, so
 * at most one lease exists per classroom; taking one is an insert, which
 * MongoDB and FerretDB both make atomic through the unique `_id` (FerretDB
 * 1.x does not make conditional updates atomic). `token` changes with every
 * new owner, so a stale owner's renewal or release never touches a newer lease.
 */
const roomLeaseSchema = new Schema(
  {
    _id: { type: String, required: true },
    nodeId: { type: String, required: true },
    token: { type: String, required: true },
    acquiredAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
roomLeaseSchema.index({ nodeId: 1 });
roomLeaseSchema.index({ expiresAt: 1 });

export type NodeRecord = InferSchemaType<typeof nodeSchema>;
export type RoomLeaseRecord = InferSchemaType<typeof roomLeaseSchema>;

export function clusterModels(connection: Connection) {
  return {
    nodes: connection.model('Node', nodeSchema, 'nodes'),
    roomLeases: connection.model('RoomLease', roomLeaseSchema, 'roomLeases'),
  };
}
