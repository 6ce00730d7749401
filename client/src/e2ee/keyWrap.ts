// Media secrets wrapped for one member with HPKE (RFC 9180: DHKEM X25519,
// HKDF-SHA256, AES-128-GCM), bound to who sent it, to whom and for which
// epoch: a blob replayed to someone else, or as another epoch, does not open.
import { Aes128Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';

const suite = new CipherSuite({
  kem: new DhkemX25519HkdfSha256(),
  kdf: new HkdfSha256(),
  aead: new Aes128Gcm(),
});

/** X25519 public keys and HPKE's encapsulated keys are 32 bytes. */
const ENC_BYTES = 32;

/** This page's key pair for one join: the private half never leaves the page. */
export interface Identity {
  keyPair: CryptoKeyPair;
  /** The public key as the protocol carries it (base64url). */
  publicKey: string;
}

export interface WrapContext {
  from: string;
  to: string;
  epoch: number;
}

const info = (context: WrapContext) =>
  new TextEncoder().encode(`aula e2ee key v1|${context.from}|${context.to}|${context.epoch}`);

export async function createIdentity(): Promise<Identity> {
  const keyPair = await suite.kem.generateKeyPair();
  return { keyPair, publicKey: toBase64Url(await suite.kem.serializePublicKey(keyPair.publicKey)) };
}

/** The secret sealed to the recipient's public key: encapsulated key and ciphertext, base64url. */
export async function wrapSecret(
  recipientPublicKey: string,
  secret: Uint8Array<ArrayBuffer>,
  context: WrapContext,
): Promise<string> {
  const recipientPublicKeyObject = await suite.kem.deserializePublicKey(fromBase64Url(recipientPublicKey));
  const { enc, ct } = await suite.seal(
    { recipientPublicKey: recipientPublicKeyObject, info: info(context) },
    secret,
  );
  const blob = new Uint8Array(enc.byteLength + ct.byteLength);
  blob.set(new Uint8Array(enc), 0);
  blob.set(new Uint8Array(ct), enc.byteLength);
  return toBase64Url(blob);
}

/** The secret a blob holds for us; throws when it was not sealed to us, by that sender, for that epoch. */
export async function unwrapSecret(
  identity: Identity,
  blob: string,
  context: WrapContext,
): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = fromBase64Url(blob);
  if (bytes.length <= ENC_BYTES) throw new Error('wrapped key too short');
  const opened = await suite.open(
    { recipientKey: identity.keyPair, enc: bytes.slice(0, ENC_BYTES), info: info(context) },
    bytes.slice(ENC_BYTES),
  );
  return new Uint8Array(opened);
}

// Bytes as base64url without padding: how keys and wrapped keys travel in the protocol.
export function toBase64Url(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = '';
  for (const byte of view) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
