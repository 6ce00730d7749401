import type { IdToken } from 'ltijs';
import type { Connection } from 'mongoose';
import type { Logger } from '../shared/logger.js';
import { forgetAccessTokens } from './ltijsRecords.js';

export interface ServicePlatform {
  _id: string;
  issuer: string;
  clientId: string;
}

/**
 * ltijs's services (NRPS, AGS) take an id-token-shaped object; outside a
 * launch only the platform and the service endpoints in its context matter.
 */
export function serviceIdToken(platform: ServicePlatform, context: IdToken['platformContext']): IdToken {
  return {
    iss: platform.issuer,
    clientId: platform.clientId,
    user: '',
    deploymentId: '',
    platformContext: context,
  };
}

/** The HTTP status of a failed service call (ltijs uses got, whose errors carry the response). */
function statusOf(error: unknown): number | undefined {
  const response = (error as { response?: { statusCode?: unknown } } | null)?.response;
  return typeof response?.statusCode === 'number' ? response.statusCode : undefined;
}

/**
 * Calls to a platform's services with one recovery: when the platform answers
 * 401 to the cached access token, the token is dropped, ltijs fetches a new
 * one, and the call is tried once more. Anything else is the caller's to
 * handle (the grade queue retries with back-off).
 */
export class PlatformServices {
  constructor(
    private readonly connection: Connection,
    private readonly logger: Logger,
  ) {}

  async call<T>(platform: ServicePlatform, what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (statusOf(error) !== 401) throw error;
      const dropped = await forgetAccessTokens(this.connection, platform);
      this.logger.info(
        { platformId: platform._id, what, dropped },
        'call() | the platform refused its access token; trying once with a new one',
      );
      return call();
    }
  }
}
