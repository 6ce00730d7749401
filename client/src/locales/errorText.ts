import type { ErrorCode, ProtocolError } from '@protocol';
import { i18n, type MessageSchema } from './i18n';

/** Failures the page names itself: no answer, an answer that is not Aula's, no session, anything else. */
type PageErrorCode = 'ERROR' | 'NO_SESSION' | 'OFFLINE' | 'HTTP_ERROR';

/** A message under `errors` in the locale files. */
type ErrorMessage = keyof MessageSchema['errors'];

/**
 * The text for every code the server can send and every one the page names
 * itself. The compiler checks that each has a message, in en.json and, through
 * the i18n schema, in de.json; a code added to the protocol without words
 * fails the type check.
 */
const ERROR_MESSAGES: Record<ErrorCode | PageErrorCode, ErrorMessage> = {
  ERROR: 'ERROR',
  NO_SESSION: 'NO_SESSION',
  OFFLINE: 'OFFLINE',
  HTTP_ERROR: 'HTTP_ERROR',
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  NOTES_EMPTY: 'NOTES_EMPTY',
  CAPTIONS_UNAVAILABLE: 'CAPTIONS_UNAVAILABLE',
  RECORDING_OFF: 'RECORDING_OFF',
  RECORDING_RUNNING: 'RECORDING_RUNNING',
  RECORDING_NOT_RUNNING: 'RECORDING_NOT_RUNNING',
  RECORDING_NOT_YOURS: 'RECORDING_NOT_YOURS',
  CONSENT_FOR_OTHERS: 'CONSENT_FOR_OTHERS',
  CONSENT_PENDING: 'CONSENT_PENDING',
  RECORDER_UNAVAILABLE: 'RECORDER_UNAVAILABLE',
  UNKNOWN_RECORDING: 'UNKNOWN_RECORDING',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  RATE_LIMITED: 'RATE_LIMITED',
  UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL: 'INTERNAL',
  DATABASE_UNAVAILABLE: 'DATABASE_UNAVAILABLE',
  SWITCHED_OFF: 'SWITCHED_OFF',
  TOKEN_MISSING: 'TOKEN_MISSING',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  TOKEN_INVALID: 'TOKEN_INVALID',
  TEACHERS_ONLY: 'TEACHERS_ONLY',
  ADMIN_ONLY: 'ADMIN_ONLY',
  METRICS_TOKEN_REQUIRED: 'METRICS_TOKEN_REQUIRED',
  PERMISSION_DENIED: 'PERMISSION_DENIED',
  CLASSROOM_NOT_FOUND: 'CLASSROOM_NOT_FOUND',
  LINK_NAME_TAKEN: 'LINK_NAME_TAKEN',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  NO_LESSON: 'NO_LESSON',
  LESSON_STARTING: 'LESSON_STARTING',
  PLATFORM_NOT_FOUND: 'PLATFORM_NOT_FOUND',
  PLATFORM_EXISTS: 'PLATFORM_EXISTS',
  DEPLOYMENT_EXISTS: 'DEPLOYMENT_EXISTS',
  DEPLOYMENT_NOT_FOUND: 'DEPLOYMENT_NOT_FOUND',
  TICKET_INVALID: 'TICKET_INVALID',
  LINK_TYPE_NOT_ACCEPTED: 'LINK_TYPE_NOT_ACCEPTED',
  LAUNCH_REJECTED: 'LAUNCH_REJECTED',
  ALREADY_CHOSEN: 'ALREADY_CHOSEN',
  NOTHING_CHOSEN: 'NOTHING_CHOSEN',
  ROOM_ELSEWHERE: 'ROOM_ELSEWHERE',
  ROOM_MOVING: 'ROOM_MOVING',
  ROOM_CLOSING: 'ROOM_CLOSING',
  UNKNOWN_REQUEST: 'UNKNOWN_REQUEST',
  ALREADY_JOINED: 'ALREADY_JOINED',
  NOT_JOINED: 'NOT_JOINED',
  WRONG_STATE: 'WRONG_STATE',
  REMOVED: 'REMOVED',
  ROOM_LOCKED: 'ROOM_LOCKED',
  ROOM_FULL: 'ROOM_FULL',
  LESSON_NOT_STARTED: 'LESSON_NOT_STARTED',
  NOT_IN_LOBBY: 'NOT_IN_LOBBY',
  UNKNOWN_PARTICIPANT: 'UNKNOWN_PARTICIPANT',
  CANNOT_REMOVE_TEACHER: 'CANNOT_REMOVE_TEACHER',
  MEDIA_RECONNECTING: 'MEDIA_RECONNECTING',
  NO_MEDIA_WORKER: 'NO_MEDIA_WORKER',
  TRANSPORT_CONNECTED: 'TRANSPORT_CONNECTED',
  UNKNOWN_TRANSPORT: 'UNKNOWN_TRANSPORT',
  UNKNOWN_PRODUCER: 'UNKNOWN_PRODUCER',
  UNKNOWN_CONSUMER: 'UNKNOWN_CONSUMER',
  POLL_RUNNING: 'POLL_RUNNING',
  POLL_CLOSED: 'POLL_CLOSED',
  POLL_NOT_FOR_GUESTS: 'POLL_NOT_FOR_GUESTS',
  UNKNOWN_POLL: 'UNKNOWN_POLL',
  BREAKOUTS_OPEN: 'BREAKOUTS_OPEN',
  BREAKOUTS_CLOSED: 'BREAKOUTS_CLOSED',
  BREAKOUT_ASSIGNED: 'BREAKOUT_ASSIGNED',
  NOT_IN_BREAKOUT: 'NOT_IN_BREAKOUT',
  UNKNOWN_GROUP: 'UNKNOWN_GROUP',
  ENCRYPTION_REQUIRED: 'ENCRYPTION_REQUIRED',
  ENCRYPTION_SEAT_LIMIT: 'ENCRYPTION_SEAT_LIMIT',
  ENCRYPTION_NOT_FOR_GUESTS: 'ENCRYPTION_NOT_FOR_GUESTS',
  ENCRYPTION_OFF: 'ENCRYPTION_OFF',
  NOT_KEY_LEADER: 'NOT_KEY_LEADER',
  NO_MEMBER_KEY: 'NO_MEMBER_KEY',
  STALE_KEY: 'STALE_KEY',
  DOCUMENT_NOT_OPEN: 'DOCUMENT_NOT_OPEN',
  DOCUMENT_FULL: 'DOCUMENT_FULL',
  DOCUMENT_OUT_OF_SYNC: 'DOCUMENT_OUT_OF_SYNC',
  INVALID_UPDATE: 'INVALID_UPDATE',
  NOT_A_PDF: 'NOT_A_PDF',
  PDF_TOO_LARGE: 'PDF_TOO_LARGE',
  PDF_TOO_MANY_PAGES: 'PDF_TOO_MANY_PAGES',
  PDF_ENCRYPTED: 'PDF_ENCRYPTED',
  PDF_BROKEN: 'PDF_BROKEN',
  PDF_SCRIPTED: 'PDF_SCRIPTED',
  PDF_EMBEDDED_FILES: 'PDF_EMBEDDED_FILES',
  UNKNOWN_DECK: 'UNKNOWN_DECK',
  LINK_EXPIRED: 'LINK_EXPIRED',
};

function messageFor(code: string): ErrorMessage | undefined {
  return Object.hasOwn(ERROR_MESSAGES, code)
    ? ERROR_MESSAGES[code as keyof typeof ERROR_MESSAGES]
    : undefined;
}

/** What the page knows of a failure: the server's typed error, or something of its own. */
export type Failure = Pick<ProtocolError, 'code'> & Partial<Pick<ProtocolError, 'details'>>;

/** Errors that carry a typed ProtocolError (ApiError, RequestError) expose it as `error`. */
export function failureOf(error: unknown): Failure {
  const typed = (error as { error?: Partial<ProtocolError> } | null)?.error;
  if (typed && typeof typed.code === 'string') return { code: typed.code, details: typed.details };
  const plain = error as Partial<Failure> | null;
  if (typeof plain?.code === 'string' && /^[A-Z_]+$/.test(plain.code))
    return { code: plain.code, details: plain.details };
  return { code: 'ERROR' };
}

/** The parameters a message may use, from the error's details; permissions by their translated name. */
function paramsOf(failure: Failure): Record<string, string | number> {
  const { t, te } = i18n.global;
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(failure.details ?? {})) {
    if (typeof value === 'number') params[name] = value;
    else if (typeof value === 'string') {
      const key = `permissionNames.${value}`;
      params[name] = name === 'permission' && te(key) ? t(key) : value;
    }
  }
  return params;
}

/**
 * A failure as a sentence in the page's language: by its code (with the
 * details as parameters); a code this page does not know (a newer server)
 * still gets a sentence, never the server's English message.
 */
export function errorText(error: unknown): string {
  const failure = failureOf(error);
  const { t } = i18n.global;
  const message = messageFor(failure.code);
  if (!message) return t('errors.unknown');
  const params = paramsOf(failure);
  // A message with a parameter the server did not send reads better without it.
  if (failure.code === 'PERMISSION_DENIED' && params.permission === undefined) return t('errors.notAllowed');
  if (failure.code === 'RATE_LIMITED' && params.retryAfterSeconds === undefined) return t('errors.tooFast');
  return t(`errors.${message}`, params);
}
