import crypto from 'node:crypto';
import type { MediaSetup } from '../protocol/index.js';
import { randomId } from '../shared/ids.js';

export type IceServer = MediaSetup['iceServers'][number];

export interface TurnSettings {
  /** `turn:` and `turns:` URLs of the TURN servers sharing `secret` (coturn's `static-auth-secret`). */
  urls: string[];
  secret: string;
  ttlSeconds: number;
}

/**
 * Credentials in the TURN REST API's shared-secret scheme (coturn's
 * `use-auth-secret`): the username is the expiry as a Unix time and an id,
 * the password the base64 HMAC-SHA1 of the username under the shared secret.
 * The TURN server checks both without asking Aula; a credential copied out of
 * a page stops working when it expires.
 */
export function mintTurnCredentials(settings: TurnSettings, now = Date.now()): IceServer {
  const expiry = Math.floor(now / 1000) + settings.ttlSeconds;
  const username = `${expiry}:aula-${randomId(9)}`;
  const credential = crypto.createHmac('sha1', settings.secret).update(username).digest('base64');
  return { urls: settings.urls, username, credential };
}
