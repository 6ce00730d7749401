// Messages of the signalling protocol: what a page sends without an
// acknowledgement. The server validates them like requests (rate, size,
// schema, state) and answers only a refusal, as an event.
import type { z } from 'zod';
import { COLLAB_REQUEST_BYTES, collabMessageSchemas } from './collab.js';

export const messageSchemas = {
  ...collabMessageSchemas,
} as const;

export type MessageName = keyof typeof messageSchemas;
export type MessagePayload<N extends MessageName> = z.infer<(typeof messageSchemas)[N]>;

/** The largest payload a message may have (binary counted as its length). */
export const MAX_MESSAGE_BYTES = COLLAB_REQUEST_BYTES;

export function isMessageName(name: unknown): name is MessageName {
  return typeof name === 'string' && Object.hasOwn(messageSchemas, name);
}
