import crypto from 'node:crypto';
import { SignJWT } from 'jose';
import type { Provider } from 'ltijs';
import { randomId } from '../shared/ids.js';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
const LTI_DL = 'https://purl.imsglobal.org/spec/lti-dl/claim/';

/** Long enough for the form post to reach the platform; it is signed when the teacher presses Continue. */
const RESPONSE_LIFETIME_SECONDS = 5 * 60;

export interface DeepLinkingRequestSettings {
  issuer: string;
  clientId: string;
  deploymentId: string;
  acceptTypes: string[];
  acceptMultiple: boolean;
  /** Whatever JSON value the platform sent as `data` (null included); the key is absent when it sent none. */
  data?: unknown;
}

/**
 * The LtiDeepLinkingResponse JWT, signed with the key ltijs generated for
 * this registration (the one the platform fetches from Aula's keyset). Aula
 * signs it itself rather than through ltijs's DeepLinking service because
 * the platform's `data` must come back unchanged whatever JSON value it is
 * (ltijs drops falsy values) and the message is signed on the teacher's
 * Continue, not when the classroom was chosen.
 */
export async function signDeepLinkingResponse(
  provider: Provider,
  settings: DeepLinkingRequestSettings,
  items: Array<{ type: string } & Record<string, unknown>>,
  message: string,
): Promise<string> {
  const registration = await provider.getPlatform(settings.issuer, settings.clientId);
  if (!registration) throw new Error('the platform of this deep-linking request is no longer registered');
  const key = crypto.createPrivateKey(await registration.platformPrivateKey());
  const accepted = items.filter((item) => settings.acceptTypes.includes(item.type));
  return new SignJWT({
    nonce: randomId(18),
    [`${LTI}deployment_id`]: settings.deploymentId,
    [`${LTI}message_type`]: 'LtiDeepLinkingResponse',
    [`${LTI}version`]: '1.3.0',
    [`${LTI_DL}msg`]: message,
    [`${LTI_DL}content_items`]: settings.acceptMultiple ? accepted : accepted.slice(0, 1),
    ...('data' in settings ? { [`${LTI_DL}data`]: settings.data } : {}),
  })
    .setProtectedHeader({ alg: 'RS256', kid: await registration.platformKid(), typ: 'JWT' })
    .setIssuer(settings.clientId)
    .setAudience(settings.issuer)
    .setIssuedAt()
    .setExpirationTime(`${RESPONSE_LIFETIME_SECONDS}s`)
    .sign(key);
}
