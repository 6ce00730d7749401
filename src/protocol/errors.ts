// Every error code Aula answers with, over HTTP and over the socket: one list,
// so the server cannot send a code the client has no words for (the client's
// texts are a Record<ErrorCode, …>, checked by the compiler).

export const ERROR_CODES = [
  // Any request
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'INTERNAL',
  'DATABASE_UNAVAILABLE',
  'SWITCHED_OFF',
  // Tokens and who may call what
  'TOKEN_MISSING',
  'TOKEN_EXPIRED',
  'TOKEN_INVALID',
  'TEACHERS_ONLY',
  'ADMIN_ONLY',
  'METRICS_TOKEN_REQUIRED',
  'PERMISSION_DENIED',
  // Classrooms, guests, lessons over HTTP
  'CLASSROOM_NOT_FOUND',
  'LINK_NAME_TAKEN',
  'INVALID_CREDENTIALS',
  'NO_LESSON',
  'LESSON_STARTING',
  // LTI and the admin API
  'PLATFORM_NOT_FOUND',
  'PLATFORM_EXISTS',
  'DEPLOYMENT_EXISTS',
  'DEPLOYMENT_NOT_FOUND',
  'TICKET_INVALID',
  'LINK_TYPE_NOT_ACCEPTED',
  'LAUNCH_REJECTED',
  'ALREADY_CHOSEN',
  'NOTHING_CHOSEN',
  // Where a classroom lives
  'ROOM_ELSEWHERE',
  'ROOM_MOVING',
  'ROOM_CLOSING',
  // The socket's requests
  'UNKNOWN_REQUEST',
  'ALREADY_JOINED',
  'NOT_JOINED',
  'WRONG_STATE',
  'REMOVED',
  'ROOM_LOCKED',
  'ROOM_FULL',
  'LESSON_NOT_STARTED',
  'NOT_IN_LOBBY',
  'UNKNOWN_PARTICIPANT',
  'CANNOT_REMOVE_TEACHER',
  // Media
  'MEDIA_RECONNECTING',
  'NO_MEDIA_WORKER',
  'TRANSPORT_CONNECTED',
  'UNKNOWN_TRANSPORT',
  'UNKNOWN_PRODUCER',
  'UNKNOWN_CONSUMER',
  // End-to-end encrypted lessons
  'ENCRYPTION_REQUIRED',
  'ENCRYPTION_SEAT_LIMIT',
  'ENCRYPTION_NOT_FOR_GUESTS',
  'ENCRYPTION_OFF',
  'NOT_KEY_LEADER',
  'NO_MEMBER_KEY',
  'STALE_KEY',
  // Polls and breakout rooms
  'POLL_RUNNING',
  'POLL_CLOSED',
  'POLL_NOT_FOR_GUESTS',
  'UNKNOWN_POLL',
  'BREAKOUTS_OPEN',
  'BREAKOUTS_CLOSED',
  'BREAKOUT_ASSIGNED',
  'NOT_IN_BREAKOUT',
  'UNKNOWN_GROUP',
  // Shared documents (the whiteboard)
  'DOCUMENT_NOT_OPEN',
  'DOCUMENT_FULL',
  'DOCUMENT_OUT_OF_SYNC',
  'INVALID_UPDATE',
  // Slides
  'NOT_A_PDF',
  'PDF_TOO_LARGE',
  'PDF_TOO_MANY_PAGES',
  'PDF_ENCRYPTED',
  'PDF_BROKEN',
  'PDF_SCRIPTED',
  'PDF_EMBEDDED_FILES',
  'UNKNOWN_DECK',
  'LINK_EXPIRED',
  // Shared notes
  'NOTES_EMPTY',
  // Captions
  'CAPTIONS_UNAVAILABLE',
  // Recording
  'RECORDING_OFF',
  'RECORDING_RUNNING',
  'RECORDING_NOT_RUNNING',
  'RECORDING_NOT_YOURS',
  'CONSENT_FOR_OTHERS',
  'CONSENT_PENDING',
  'RECORDER_UNAVAILABLE',
  'UNKNOWN_RECORDING',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * A refusal as the client receives it: HTTP body `{ error }`, or a socket
 * acknowledgement. The server only sends an ErrorCode; a page reads `code` as
 * text, since a server newer than the page may send one it does not know yet.
 */
export interface ProtocolError {
  status: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** Every acknowledgement has this shape. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ProtocolError };
