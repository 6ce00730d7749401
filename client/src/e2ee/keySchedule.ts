// The media key's schedule: a random 32-byte secret per epoch; the AES-GCM
// key that encrypts frames derived from it with HKDF; and the ratchet that
// turns one epoch's secret into the next one's when someone joins (so the
// newcomer cannot read what was sent before, and nobody else needs a new key).

export const MEDIA_SECRET_BYTES = 32;
const SALT = new TextEncoder().encode('aula e2ee v1');
const FRAME_KEY_INFO = new TextEncoder().encode('aula e2ee frame key');
const RATCHET_INFO = new TextEncoder().encode('aula e2ee ratchet');

/** A fresh random media secret: the leader's, when the key changes because someone left. */
export function newMediaSecret(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(MEDIA_SECRET_BYTES));
}

async function hkdf(secret: Uint8Array<ArrayBuffer>, info: Uint8Array<ArrayBuffer>, bits: number) {
  const base = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveBits', 'deriveKey']);
  return { base, params: { name: 'HKDF', hash: 'SHA-256', salt: SALT, info }, bits };
}

/** The next epoch's secret from this one's; one way: the next cannot give back the last. */
export async function ratchet(secret: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const { base, params } = await hkdf(secret, RATCHET_INFO, 256);
  return new Uint8Array(await crypto.subtle.deriveBits(params, base, MEDIA_SECRET_BYTES * 8));
}

/** The AES-GCM key frames are sealed with, for one epoch's secret. Not extractable. */
export async function frameKey(secret: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const { base, params } = await hkdf(secret, FRAME_KEY_INFO, 128);
  return crypto.subtle.deriveKey(params, base, { name: 'AES-GCM', length: 128 }, false, [
    'encrypt',
    'decrypt',
  ]);
}
