import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
} from 'jose';
import type { RefusalKind } from '../shared/refusalKinds.js';
import { AppError } from '../shared/errors.js';
import { ltiMessageSchema, toLaunch, type Launch } from './launchClaims.js';

/** A launch that must not proceed: a 4xx with a message for the person, a reason (and ids) for the log. */
export class LaunchRejected extends AppError {
  constructor(
    status: 400 | 401 | 403 | 404 | 429,
    readonly reason: string,
    message: string,
    readonly context: Record<string, string | number | undefined> = {},
    /** A refusal the operator's view counts (a switched-off or unknown platform). */
    readonly refusal?: { kind: RefusalKind; subject: string },
  ) {
    super(status, 'LAUNCH_REJECTED', message);
  }
}

/** Least time between two fetches of one platform's keyset, so unknown kids cannot make Aula hammer it. */
const KEYSET_COOLDOWN_MS = 1000;

const INVALID = 'This launch could not be verified. Please open Aula again from your course.';

export interface ExpectedLaunch {
  issuer: string;
  clientId: string;
  keysetUrl: string;
  nonce: string;
}

/**
 * Verifies platform id_tokens: RS256 only, the key chosen by `kid` from the
 * platform's keyset (cached; an unknown kid refetches it, so a rotated key
 * works without restart), then issuer, audience, authorised party, expiry,
 * age and nonce, then the LTI claims.
 */
export class IdTokenVerifier {
  private readonly keysets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

  private keyset(url: string): ReturnType<typeof createRemoteJWKSet> {
    let keyset = this.keysets.get(url);
    if (!keyset) {
      keyset = createRemoteJWKSet(new URL(url), {
        cooldownDuration: KEYSET_COOLDOWN_MS,
        cacheMaxAge: 10 * 60_000,
        timeoutDuration: 5000,
      });
      this.keysets.set(url, keyset);
    }
    return keyset;
  }

  async verify(idToken: string, expected: ExpectedLaunch): Promise<Launch> {
    let header;
    try {
      header = decodeProtectedHeader(idToken);
    } catch {
      throw new LaunchRejected(400, 'id_token is not a JWT', INVALID);
    }
    if (header.alg !== 'RS256')
      throw new LaunchRejected(401, `alg ${String(header.alg)} is not RS256`, INVALID);
    if (typeof header.kid !== 'string' || header.kid.length === 0) {
      throw new LaunchRejected(401, 'id_token header has no kid', INVALID);
    }

    const keyset = this.keyset(expected.keysetUrl);
    const check = () =>
      jwtVerify(idToken, keyset, {
        algorithms: ['RS256'],
        issuer: expected.issuer,
        audience: expected.clientId,
        requiredClaims: ['iat', 'exp', 'nonce'],
        maxTokenAge: '5 minutes',
        clockTolerance: 30,
      });
    let payload: JWTPayload;
    try {
      try {
        ({ payload } = await check());
      } catch (error) {
        // A key rotated just after the keyset was fetched: the refetch waits out the cooldown
        // instead of failing the launch, and the platform still sees at most one fetch a second.
        if (!(error instanceof joseErrors.JWKSNoMatchingKey) || !keyset.coolingDown) throw error;
        await new Promise((resolve) => setTimeout(resolve, KEYSET_COOLDOWN_MS));
        ({ payload } = await check());
      }
    } catch (error) {
      throw new LaunchRejected(401, `id_token rejected: ${describe(error)}`, INVALID);
    }

    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (payload.azp !== undefined && payload.azp !== expected.clientId) {
      throw new LaunchRejected(401, "azp is not Aula's client id", INVALID);
    }
    if (audiences.length > 1 && payload.azp === undefined) {
      throw new LaunchRejected(401, 'several audiences but no azp', INVALID);
    }
    if (payload.nonce !== expected.nonce)
      throw new LaunchRejected(401, 'nonce does not match the login', INVALID);

    const parsed = ltiMessageSchema.safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new LaunchRejected(
        400,
        `not a valid LTI 1.3 message: ${issue?.path.join('.')} ${issue?.message}`,
        INVALID,
      );
    }
    return toLaunch(parsed.data, expected.issuer, expected.clientId);
  }
}

function describe(error: unknown): string {
  if (error instanceof joseErrors.JOSEError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
