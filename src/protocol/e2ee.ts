// End-to-end encrypted lessons: what pages exchange through the server to
// agree on a media key. The server only relays: public keys in the clear (a
// public key is public), media keys wrapped with HPKE to one member's public
// key, which it cannot open.
import { z } from 'zod';
import { id } from './media.js';

/** Encrypted lessons are for classrooms up to this many seats: every page encrypts and decrypts every stream. */
export const E2EE_MAX_SEATS = 25;

/** An X25519 public key: 32 bytes, base64url without padding (43 characters). */
export const e2eePublicKey = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be 32 bytes in base64url');

/**
 * A media key wrapped with HPKE for one member: the encapsulated key (32
 * bytes) and the sealed key (32 bytes + 16 bytes tag), base64url. Nothing
 * else fits the size: a larger blob is refused.
 */
export const E2EE_MAX_BLOB_CHARS = 256;
export const e2eeBlob = z
  .string()
  .min(16)
  .max(E2EE_MAX_BLOB_CHARS)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');

/** A key's number in its group: it only grows. */
export const e2eeEpoch = z
  .number()
  .int()
  .min(1)
  .max(2 ** 31);

export const e2eeRequestSchemas = {
  /** A page in an encrypted lesson says its public key (once per join; again after a reconnect). */
  'e2ee:announce': z.object({ publicKey: e2eePublicKey }).strict(),
  /** The key leader hands one member the media key, wrapped to that member's public key. */
  'e2ee:sendKey': z.object({ to: id, epoch: e2eeEpoch, blob: e2eeBlob }).strict(),
  /** A page holds a new key: the senders it receives are asked for a keyframe it can decrypt. */
  requestKeyFrame: z.object({}).strict(),
} as const;

export interface E2eeResults {
  'e2ee:announce': { ok: true };
  'e2ee:sendKey': { ok: true };
  requestKeyFrame: { requested: number };
}

/** A member of an encrypted group as pages see it: their public key, in the order they announced it. */
export interface E2eeMember {
  participantId: string;
  publicKey: string;
}

export interface E2eeEvents {
  /**
   * Who holds a key in this group now, in the order they announced it, and
   * who creates and distributes the media key (the teacher present longest,
   * else the member present longest).
   */
  'e2ee:members': {
    members: E2eeMember[];
    leaderId: string | null;
    /** The newest epoch relayed in this group: a new leader's first key comes after it. */
    epoch: number;
  };
  /** A wrapped media key from the leader, for this page only. */
  'e2ee:key': { from: string; epoch: number; blob: string };
}
