import { Router, urlencoded, type Request, type Response } from 'express';
import { z } from 'zod';
import { asyncRoute } from '../shared/asyncRoute.js';
import type { NoteRefusal } from '../shared/refusalKinds.js';
import type { Logger } from '../shared/logger.js';
import { LaunchRejected, type IdTokenVerifier } from './IdTokenVerifier.js';
import type { Launch } from './launchClaims.js';
import { launchTexts, languageOf, sendRejection, sendStorageVerification } from './launchPages.js';
import { loginCookie, loginCookieOptions } from './loginRoute.js';
import { matchesStorageValue, type LoginState, type LoginStates } from './LoginStates.js';
import { enabledRegistration } from './platformAccess.js';
import type { Deployment, Platform, PlatformRegistry } from './PlatformRegistry.js';
import { STORAGE_ACCESS_FIELD, sendStorageAccessVerification } from './storageAccess.js';
import { ltiRoutes } from './toolUrls.js';
import type { UsedNonces } from './UsedNonces.js';
import { sameOrigin } from './urlRules.js';

const launchSchema = z.object({
  id_token: z.string().min(1).max(20_000),
  state: z.string().min(1).max(2_000),
  aula_storage_value: z.string().max(200).optional(),
  [STORAGE_ACCESS_FIELD]: z.literal('1').optional(),
});

const EXPIRED = 'This launch has expired or was already used. Please open Aula again from your course.';

/** What the launch guard established, for the handler of the message type. */
export interface VerifiedLaunch {
  launch: Launch;
  platform: Platform;
  deployment: Deployment;
}

export type LaunchHandler = (verified: VerifiedLaunch, req: Request, res: Response) => Promise<void>;

/**
 * The launch: every check of the LTI security framework, once, then the
 * handler for the message type. The state must be Aula's own and bound to
 * this browser (login cookie, or the platform-storage value); the id_token is
 * verified against the platform's cached keyset (IdTokenVerifier); the target
 * must be this Aula, the platform and deployment switched on; the nonce is
 * recorded last, so a refused launch stores nothing.
 */
export function launchRoute(deps: {
  publicUrl: string;
  platforms: PlatformRegistry;
  states: LoginStates;
  nonces: UsedNonces;
  verifier: IdTokenVerifier;
  handlers: { resourceLink: LaunchHandler; deepLinking: LaunchHandler };
  logger: Logger;
  /** Counts refusals for the operator's view. */
  noteRefusal?: NoteRefusal;
}): Router {
  const router = Router();
  const ownOrigin = new URL(deps.publicUrl).origin;
  const secure = deps.publicUrl.startsWith('https://');

  /** Plain http and a post from another site: SameSite=Lax kept the login cookie back, whatever the browser. */
  const crossSiteOverHttp = (req: Request) => {
    if (secure) return false;
    const site = req.get('sec-fetch-site');
    if (site !== undefined) return site === 'cross-site';
    const origin = req.get('origin');
    return origin !== undefined && origin !== 'null' && origin !== ownOrigin;
  };

  /** The login cookie, or else the value the login page left in the platform's storage, proves the browser. */
  const boundToBrowser = (req: Request, login: LoginState, storageValue: string | undefined) => {
    const cookies = req.signedCookies as Record<string, string | false | undefined>;
    if (cookies[loginCookie(login.sid)] === login.sid) return true;
    return (
      login.st !== undefined && storageValue !== undefined && matchesStorageValue(storageValue, login.st.hash)
    );
  };

  router.post(
    ltiRoutes.launch,
    urlencoded({ extended: false, limit: '64kb' }),
    asyncRoute(async (req, res) => {
      const lang = languageOf(req);
      const t = launchTexts[lang];
      try {
        const parsed = launchSchema.safeParse(req.body);
        if (!parsed.success)
          throw new LaunchRejected(
            400,
            'launch without id_token or state',
            'This launch is incomplete. Please open Aula again from your course.',
          );
        const {
          id_token: idToken,
          state,
          aula_storage_value: storageValue,
          [STORAGE_ACCESS_FIELD]: accessTried,
        } = parsed.data;
        const login = await deps.states.verify(state);
        if (!login) throw new LaunchRejected(401, 'unknown, altered or expired state', EXPIRED);
        const ids = { issuer: login.iss, clientId: login.cid, platformId: login.pid };

        if (!boundToBrowser(req, login, storageValue)) {
          if (login.st && storageValue === undefined) {
            // No cookie in this frame: read the value the login page left in the platform's storage.
            return sendStorageVerification(
              res,
              lang,
              { idToken, state },
              { target: login.st.target, key: `aula_state_${login.sid}`, platformOrigin: login.st.origin },
            );
          }
          if (crossSiteOverHttp(req)) {
            throw new LaunchRejected(
              401,
              'login cookie withheld: plain http and a cross-site post',
              t.insecure,
              {
                ...ids,
                publicUrl: deps.publicUrl,
              },
            );
          }
          if (secure && !accessTried) {
            // A frame given storage access sends the cookie once the page activates the grant.
            return sendStorageAccessVerification(res, lang, { idToken, state });
          }
          throw new LaunchRejected(401, 'state not bound to this browser', t.relaunch, ids);
        }

        // One view of the registrations for the whole launch: one stamp read, shared with concurrent launches.
        const registrations = await deps.platforms.current();
        const { endpoints } = enabledRegistration(
          registrations,
          { issuer: login.iss, clientId: login.cid },
          lang,
        );
        if (endpoints.keyMethod !== 'JWK_SET' || !endpoints.keysetUrl)
          throw new LaunchRejected(
            400,
            `unsupported key method ${endpoints.keyMethod}`,
            'This learning platform is registered without a keyset URL.',
            ids,
          );
        const launch = await deps.verifier.verify(idToken, {
          issuer: login.iss,
          clientId: login.cid,
          keysetUrl: endpoints.keysetUrl,
          nonce: login.nonce,
        });
        const targetLinkUri = launch.targetLinkUri ?? login.tlu;
        if (!sameOrigin(targetLinkUri, deps.publicUrl)) {
          throw new LaunchRejected(
            400,
            'target_link_uri off host',
            'This link does not point to this Aula.',
            {
              ...ids,
              targetLinkUri,
            },
          );
        }
        const { platform, deployment } = enabledRegistration(
          registrations,
          { issuer: login.iss, clientId: login.cid, deploymentId: launch.deploymentId },
          lang,
        );
        if (!(await deps.nonces.use(login.iss, login.nonce))) {
          throw new LaunchRejected(401, 'nonce replayed', 'This launch was already used.', ids);
        }
        const { maxAge: _maxAge, ...cookieScope } = loginCookieOptions(secure);
        res.clearCookie(loginCookie(login.sid), cookieScope);
        const verified: VerifiedLaunch = { launch, platform, deployment: deployment! };
        const handle =
          launch.messageType === 'LtiDeepLinkingRequest'
            ? deps.handlers.deepLinking
            : deps.handlers.resourceLink;
        await handle(verified, req, res);
      } catch (error) {
        if (error instanceof LaunchRejected)
          return sendRejection(req, res, error, deps.logger, deps.noteRefusal);
        throw error;
      }
    }),
  );
  return router;
}
