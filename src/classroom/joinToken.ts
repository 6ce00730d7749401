import type { webcrypto } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { z } from 'zod';
import { UnauthorizedError } from '../shared/errors.js';

/** Who may enter which classroom, as minted at an LTI launch or a guest join. */
export const joinClaimsSchema = z.object({
  sub: z.string().min(1).max(300),
  cid: z.string().min(1).max(64),
  role: z.enum(['teacher', 'student', 'guest']),
  name: z.string().min(1).max(100),
  /** The LMS's user id (`sub` of the id_token), for rosters and grades. Absent for guests. */
  lms: z.string().max(255).optional(),
  rst: z.boolean().optional(),
});

export type JoinClaims = z.infer<typeof joinClaimsSchema>;

const ISSUER = 'aula';
const AUDIENCE = 'aula-classroom';

export class JoinTokens {
  /** Imported once: jose imports a raw key anew on every sign and verify. */
  private readonly key: Promise<webcrypto.CryptoKey>;

  constructor(
    secret: Uint8Array,
    private readonly ttlSeconds: number,
  ) {
    this.key = crypto.subtle.importKey(
      'raw',
      new Uint8Array(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
  }

  async mint(claims: JoinClaims): Promise<{ token: string; expiresAt: number }> {
    const expiresAt = Math.floor(Date.now() / 1000) + this.ttlSeconds;
    const { sub, ...rest } = joinClaimsSchema.parse(claims);
    const token = await new SignJWT(rest)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(expiresAt)
      .sign(await this.key);
    return { token, expiresAt };
  }

  async verify(token: unknown): Promise<JoinClaims> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
      throw new UnauthorizedError('A join token is required', 'TOKEN_MISSING');
    }
    try {
      const { payload } = await jwtVerify(token, await this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
      });
      return joinClaimsSchema.parse(payload);
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) {
        throw new UnauthorizedError(
          'Your session has expired; open the classroom again from your course',
          'TOKEN_EXPIRED',
        );
      }
      throw new UnauthorizedError('The join token is not valid', 'TOKEN_INVALID');
    }
  }
}
