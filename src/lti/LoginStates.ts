import crypto from 'node:crypto';
import { SignJWT, jwtVerify, type CryptoKey } from 'jose';
import { z } from 'zod';

/** Long enough for the platform's sign-in and the platform-storage round trip, short for a stolen state. */
export const LOGIN_TTL_SECONDS = 5 * 60;

const claimsSchema = z.object({
  /** Binds the state to this browser: the login cookie's and the platform-storage key's name. */
  sid: z.string().min(1).max(64),
  iss: z.string(),
  cid: z.string(),
  pid: z.string(),
  nonce: z.string(),
  tlu: z.string(),
  /** Platform storage, when the platform offered it: target frame, the value's hash, the platform's origin. */
  st: z.object({ target: z.string(), hash: z.string(), origin: z.string() }).optional(),
});

/** What the OIDC login decided, carried through the platform and back in `state`. */
export type LoginState = z.infer<typeof claimsSchema>;

const AUDIENCE = 'aula-lti-launch';

/**
 * The OIDC `state` as a signed token instead of a database record: a login
 * stores nothing, so strangers cannot fill the database by starting logins,
 * and a launch needs no read to find its login. Single use comes from the
 * nonce inside, which the launch records once (UsedNonces). The platform-
 * storage value is in here only as a hash: whoever sees the state cannot
 * answer for the browser that started it.
 */
export class LoginStates {
  /** Imported once: jose would import raw key bytes again on every sign and verify. */
  private readonly key: Promise<CryptoKey>;

  constructor(secret: string) {
    const raw = new Uint8Array(crypto.hkdfSync('sha256', secret, 'aula', 'lti-login-state', 32));
    this.key = crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
  }

  async sign(state: LoginState): Promise<string> {
    return new SignJWT(state)
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${LOGIN_TTL_SECONDS}s`)
      .sign(await this.key);
  }

  /** The login this state came from, or undefined when it is forged, altered or expired. */
  async verify(token: string): Promise<LoginState | undefined> {
    try {
      const { payload } = await jwtVerify(token, await this.key, {
        algorithms: ['HS256'],
        audience: AUDIENCE,
      });
      const parsed = claimsSchema.safeParse(payload);
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}

export function storageValueHash(value: string): string {
  return crypto.createHash('sha256').update(value).digest('base64url');
}

/** Constant-time comparison of a value the browser sent with the hash the state carries. */
export function matchesStorageValue(value: string, hash: string): boolean {
  const actual = Buffer.from(storageValueHash(value));
  const expected = Buffer.from(hash);
  return actual.length === expected.length && crypto.timingSafeEqual(actual, expected);
}
