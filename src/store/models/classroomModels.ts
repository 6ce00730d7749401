import { Schema, type Connection, type InferSchemaType } from 'mongoose';
import {
  DEFAULT_STUDENT_PERMISSIONS,
  STUDENT_PERMISSION_KEYS,
  type StudentPermissions,
} from '../../protocol/index.js';

const studentPermissionsSchema = new Schema<StudentPermissions>(
  Object.fromEntries(
    STUDENT_PERMISSION_KEYS.map((key) => [
      key,
      { type: Boolean, required: true, default: DEFAULT_STUDENT_PERMISSIONS[key] },
    ]),
  ),
  { _id: false },
);

const classroomSchema = new Schema(
  {
    _id: { type: String, required: true },
    platformId: { type: String, required: true },
    deploymentId: { type: String, required: true },
    contextId: { type: String, required: true },
    contextTitle: { type: String },
    resourceLinkId: { type: String },
    title: { type: String, required: true },
    seatCap: { type: Number, required: true, min: 1, max: 50 },
    /** Seats only enrolled (LMS) students may take, so guests cannot crowd them out. */
    reservedSeats: { type: Number, required: true, default: 0, min: 0, max: 50 },
    lobbyEnabled: { type: Boolean, required: true, default: true },
    lectureMode: { type: Boolean, required: true, default: false },
    /** The teacher's switch: lessons of this classroom may be recorded (if the operator allows recording). */
    recordingAllowed: { type: Boolean, required: true, default: false },
    lateAfterMinutes: { type: Number, required: true, default: 5, min: 0, max: 240 },
    /** End-to-end encrypted lessons: pages encrypt all media; the server relays keys it cannot open. */
    endToEndEncryption: { type: Boolean, required: true, default: false },
    encryptedGuestsAllowed: { type: Boolean, required: true, default: false },
    studentPermissions: { type: studentPermissionsSchema, required: true, default: () => ({}) },
    guestAccess: {
      enabled: { type: Boolean, required: true, default: false },
      linkName: { type: String },
      passwordHash: { type: String },
      passwordChangedAt: { type: Date },
    },
    /** Platform service endpoints from the latest teacher launch: used after class, outside any launch. */
    services: {
      membershipsUrl: { type: String },
      lineItemsUrl: { type: String },
      lineItemUrl: { type: String },
      agsScopes: { type: [String], default: undefined },
    },
    grading: {
      enabled: { type: Boolean, required: true, default: false },
      thresholdMinutes: { type: Number, required: true, default: 30, min: 1, max: 600 },
    },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true, default: () => new Date() },
    updatedAt: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);
classroomSchema.index({ platformId: 1, deploymentId: 1, contextId: 1 });
classroomSchema.index({ platformId: 1, resourceLinkId: 1 }, { sparse: true });

/** A guest link name points to one classroom; the unique _id makes names unique without a partial index. */
const guestLinkSchema = new Schema(
  {
    _id: { type: String, required: true },
    classroomId: { type: String, required: true },
  },
  { versionKey: false },
);
guestLinkSchema.index({ classroomId: 1 });

export type ClassroomRecord = Omit<InferSchemaType<typeof classroomSchema>, 'studentPermissions'> & {
  studentPermissions: StudentPermissions;
};

export function classroomModels(connection: Connection) {
  return {
    classrooms: connection.model('Classroom', classroomSchema, 'classrooms'),
    guestLinks: connection.model('GuestLink', guestLinkSchema, 'guestLinks'),
  };
}
