import { Router, urlencoded, type CookieOptions, type Request, type Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';
import { asyncRoute } from '../shared/asyncRoute.js';
import { escapeHtml } from '../shared/html.js';
import { randomId } from '../shared/ids.js';
import type { NoteRefusal } from '../shared/refusalKinds.js';
import type { Logger } from '../shared/logger.js';
import { LaunchRejected } from './IdTokenVerifier.js';
import { launchTexts, languageOf, sendRejection, sendScriptPage } from './launchPages.js';
import { dataAttributes, sendMessagePage } from './ltiPages.js';
import { LOGIN_TTL_SECONDS, storageValueHash, type LoginState, type LoginStates } from './LoginStates.js';
import { enabledRegistration } from './platformAccess.js';
import type { PlatformRegistry } from './PlatformRegistry.js';
import { ltiRoutes } from './toolUrls.js';
import { STORAGE_ACCESS_FIELD, storageAccessSections } from './storageAccess.js';
import { sameOrigin } from './urlRules.js';

const loginSchema = z.object({
  iss: z.url(),
  login_hint: z.string().min(1).max(2000),
  target_link_uri: z.url(),
  lti_message_hint: z.string().max(4000).optional(),
  client_id: z.string().min(1).max(255).optional(),
  lti_deployment_id: z.string().min(1).max(255).optional(),
  lti_storage_target: z.string().min(1).max(100).optional(),
  /** The page asked for storage access and logs in again with it. */
  [STORAGE_ACCESS_FIELD]: z.literal('1').optional(),
});

/** The cookie that binds a login to the browser that started it (signed with the tool's key). */
export const loginCookie = (loginId: string) => `aula_login_${loginId}`;

export function loginCookieOptions(secure: boolean): CookieOptions {
  // Inside the LMS's iframe these cookies are third-party: SameSite=None requires Secure (HTTPS).
  // Partitioned (CHIPS): kept for the LMS's page alone, which browsers that block third-party
  // cookies still accept; a browser that does not know the attribute ignores it.
  return secure
    ? {
        secure: true,
        sameSite: 'none',
        partitioned: true,
        httpOnly: true,
        maxAge: LOGIN_TTL_SECONDS * 1000,
      }
    : { sameSite: 'lax', httpOnly: true, maxAge: LOGIN_TTL_SECONDS * 1000 };
}

/**
 * OIDC login initiation (third-party initiated login). Aula runs its own so it
 * can bind the state by cookie or by LTI platform storage, and say clearly
 * when a school switched Aula off. It stores nothing: the state is signed
 * (LoginStates). Logins are limited per address; the first refusal in each
 * window is logged, the rest are answered quietly.
 */
export function loginRoute(deps: {
  publicUrl: string;
  platforms: PlatformRegistry;
  states: LoginStates;
  loginsPerMinute: number;
  logger: Logger;
  /** Counts refusals for the operator's view. */
  noteRefusal?: NoteRefusal;
}): Router {
  const router = Router();
  const cookieOptions = loginCookieOptions(deps.publicUrl.startsWith('https://'));
  const limiter = new RateLimiterMemory({ points: deps.loginsPerMinute, duration: 60 });

  /** False when the address is over its limit; then the refusal has been sent. */
  const withinLimit = async (req: Request, res: Response): Promise<boolean> => {
    const address = req.ip ?? 'unknown';
    try {
      await limiter.consume(address);
      return true;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      deps.noteRefusal?.('loginLimit');
      if (rejection.consumedPoints === deps.loginsPerMinute + 1) {
        deps.logger.info({ address, limit: deps.loginsPerMinute }, 'login() | rate limit reached');
      }
      res.setHeader('Retry-After', String(Math.ceil(rejection.msBeforeNext / 1000)));
      sendMessagePage(req, res, { status: 429, message: launchTexts[languageOf(req)].tooMany });
      return false;
    }
  };

  router.all(
    ltiRoutes.login,
    urlencoded({ extended: false, limit: '16kb' }),
    asyncRoute(async (req, res) => {
      if (!(await withinLimit(req, res))) return;
      const lang = languageOf(req);
      try {
        const parsed = loginSchema.safeParse({
          ...req.query,
          ...(typeof req.body === 'object' ? req.body : {}),
        });
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new LaunchRejected(
            400,
            `login request invalid: ${issue?.path.join('.')} ${issue?.message}`,
            'This login request is incomplete.',
          );
        }
        const params = parsed.data;
        if (!sameOrigin(params.target_link_uri, deps.publicUrl)) {
          throw new LaunchRejected(
            400,
            'target_link_uri off host',
            'This link does not point to this Aula.',
            {
              targetLinkUri: params.target_link_uri,
            },
          );
        }
        const { platform, endpoints } = enabledRegistration(
          await deps.platforms.current(),
          { issuer: params.iss, clientId: params.client_id, deploymentId: params.lti_deployment_id },
          lang,
        );

        const loginId = randomId(12);
        const storageValue = params.lti_storage_target ? randomId(24) : undefined;
        const platformOrigin = new URL(endpoints.authenticationEndpoint).origin;
        const login: LoginState = {
          sid: loginId,
          iss: platform.issuer,
          cid: platform.clientId,
          pid: platform._id,
          nonce: randomId(24),
          tlu: params.target_link_uri,
          ...(params.lti_storage_target && storageValue
            ? {
                st: {
                  target: params.lti_storage_target,
                  hash: storageValueHash(storageValue),
                  origin: platformOrigin,
                },
              }
            : {}),
        };
        const state = await deps.states.sign(login);
        res.cookie(loginCookie(loginId), loginId, { ...cookieOptions, signed: true });
        res.cookie(`aula_probe_${loginId}`, '1', { ...cookieOptions, httpOnly: false });

        const auth = new URL(endpoints.authenticationEndpoint);
        const query: Record<string, string> = {
          scope: 'openid',
          response_type: 'id_token',
          response_mode: 'form_post',
          prompt: 'none',
          client_id: platform.clientId,
          redirect_uri: `${deps.publicUrl}${ltiRoutes.launch}`,
          login_hint: params.login_hint,
          state,
          nonce: login.nonce,
          ...(params.lti_message_hint ? { lti_message_hint: params.lti_message_hint } : {}),
          ...(params.lti_storage_target ? { lti_storage_target: params.lti_storage_target } : {}),
        };
        for (const [key, value] of Object.entries(query)) auth.searchParams.set(key, value);
        const again = new URL(`${deps.publicUrl}${ltiRoutes.login}`);
        for (const [key, value] of Object.entries(params)) {
          if (key !== 'lti_storage_target' && key !== STORAGE_ACCESS_FIELD && typeof value === 'string')
            again.searchParams.set(key, value);
        }
        // The same login once more from this frame, after it was given storage access.
        const withAccess = new URL(again);
        withAccess.searchParams.set(STORAGE_ACCESS_FIELD, '1');
        const t = launchTexts[lang];
        sendScriptPage(
          res,
          lang,
          'login.js',
          `<div id="aula-login" ${dataAttributes({
            authUrl: auth.toString(),
            loginId,
            storageTarget: params.lti_storage_target,
            storageKey: storageValue ? `aula_state_${loginId}` : undefined,
            storageValue,
            platformOrigin: storageValue ? platformOrigin : undefined,
            withAccessUrl: withAccess.toString(),
            getUrl: req.method === 'POST' ? again.toString() : undefined,
            accessTried: params[STORAGE_ACCESS_FIELD],
          })}></div>
<p id="aula-wait" data-step>${t.wait} <a id="aula-continue" href="${escapeHtml(auth.toString())}">${t.continue}</a></p>
${storageAccessSections(lang, again.toString())}
<section id="aula-blocked" data-step hidden><h1>${t.blockedTitle}</h1><p>${t.blocked}</p>
<p><a class="button" id="aula-new-window" href="${escapeHtml(again.toString())}" target="_blank" rel="noopener">${t.newWindow}</a></p></section>`,
        );
      } catch (error) {
        if (error instanceof LaunchRejected)
          return sendRejection(req, res, error, deps.logger, deps.noteRefusal);
        throw error;
      }
    }),
  );
  return router;
}
