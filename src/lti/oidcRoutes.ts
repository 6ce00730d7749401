import crypto from 'node:crypto';
import {
  Router,
  urlencoded,
  type CookieOptions,
  type NextFunction,
  type Request,
  type Response,
} from 'express';
import type { Provider } from 'ltijs';
import { z } from 'zod';
import { escapeHtml } from '../shared/html.js';
import { asyncRoute } from '../shared/asyncRoute.js';
import type { Logger } from '../shared/logger.js';
import { randomId } from '../shared/ids.js';
import type { IdTokenVerifier } from './IdTokenVerifier.js';
import { LaunchRejected } from './IdTokenVerifier.js';
import type { Launch } from './launchClaims.js';
import { dataAttributes, ltiPage, preferredLanguage } from './ltiPages.js';
import type { Deployment, Platform, PlatformRegistry } from './PlatformRegistry.js';
import type { Tickets } from './Tickets.js';
import type { UsedNonces } from './UsedNonces.js';
import { ltiRoutes } from './toolUrls.js';

const LOGIN_TTL_MS = 10 * 60_000;

const loginSchema = z.object({
  iss: z.url(),
  login_hint: z.string().min(1).max(2000),
  target_link_uri: z.url(),
  lti_message_hint: z.string().max(4000).optional(),
  client_id: z.string().min(1).max(255).optional(),
  lti_deployment_id: z.string().min(1).max(255).optional(),
  lti_storage_target: z.string().min(1).max(100).optional(),
});

const launchSchema = z.object({
  id_token: z.string().min(1).max(20_000),
  state: z.string().min(1).max(200),
  aula_storage_value: z.string().max(200).optional(),
});

interface LoginRecord {
  issuer: string;
  clientId: string;
  platformId: string;
  nonce: string;
  targetLinkUri: string;
  storage?: { target: string; key: string; value: string; platformOrigin: string };
}

/** What the launch guard established, for the launch handlers that run after ltijs. */
export interface VerifiedLaunch {
  launch: Launch;
  platform: Platform;
  deployment: Deployment;
}

export function verifiedLaunch(res: Response): VerifiedLaunch {
  return res.locals.aulaLaunch as VerifiedLaunch;
}

const texts = {
  en: {
    wait: 'Opening Aula…',
    blockedTitle: 'Your browser blocks Aula inside this page',
    blocked:
      'Your browser does not allow Aula to keep its sign-in inside your course page (third-party cookies are blocked). Open Aula in its own window instead:',
    newWindow: 'Open Aula in a new window',
    continue: 'Continue',
    relaunch:
      'Your browser blocked the sign-in inside your course page. Go back to your course and open the activity again, or allow cookies for this site.',
    switchedOff: 'Aula is switched off for your school. Please ask your school’s administrator.',
  },
  de: {
    wait: 'Aula wird geöffnet …',
    blockedTitle: 'Ihr Browser blockiert Aula in dieser Seite',
    blocked:
      'Ihr Browser erlaubt Aula nicht, die Anmeldung innerhalb Ihrer Kursseite zu behalten (Cookies von Drittanbietern sind blockiert). Öffnen Sie Aula stattdessen in einem eigenen Fenster:',
    newWindow: 'Aula in neuem Fenster öffnen',
    continue: 'Weiter',
    relaunch:
      'Ihr Browser hat die Anmeldung innerhalb Ihrer Kursseite blockiert. Gehen Sie zurück zum Kurs und öffnen Sie die Aktivität erneut, oder erlauben Sie Cookies für diese Seite.',
    switchedOff:
      'Aula ist für Ihre Schule ausgeschaltet. Bitte wenden Sie sich an die Administration Ihrer Schule.',
  },
};

/**
 * OIDC login initiation and the launch guard. Aula runs its own login (so it
 * can bind the state by cookie or by LTI platform storage, and say clearly
 * when a school switched Aula off) and checks every launch completely before
 * ltijs sees it, so a rejected launch stores nothing.
 */
export function oidcRoutes(deps: {
  publicUrl: string;
  provider: Provider;
  platforms: PlatformRegistry;
  tickets: Tickets;
  nonces: UsedNonces;
  verifier: IdTokenVerifier;
  logger: Logger;
}): Router {
  const router = Router();
  const secure = deps.publicUrl.startsWith('https://');
  const ownOrigin = new URL(deps.publicUrl).origin;
  // Inside the LMS's iframe these cookies are third-party: SameSite=None requires Secure (HTTPS).
  const cookieOptions: CookieOptions = secure
    ? { secure: true, sameSite: 'none', httpOnly: true, maxAge: LOGIN_TTL_MS }
    : { sameSite: 'lax', httpOnly: true, maxAge: LOGIN_TTL_MS };

  const reject = (req: Request, res: Response, error: LaunchRejected) => {
    deps.logger.info({ path: req.path, status: error.status, reason: error.reason }, 'launch() | rejected');
    const lang = preferredLanguage(req.headers['accept-language']);
    res
      .status(error.status)
      .type('html')
      .send(
        ltiPage({
          lang,
          title: 'Aula',
          body: `<h1>Aula</h1><p>${escapeHtml(error.message)}</p>`,
        }),
      );
  };

  const enabledPlatform = async (
    issuer: string,
    clientId: string | undefined,
    deploymentId: string | undefined,
    lang: 'de' | 'en',
  ): Promise<{ platform: Platform; deployment?: Deployment }> => {
    const platform = await deps.platforms.find(issuer, clientId);
    if (!platform)
      throw new LaunchRejected(
        400,
        `unregistered platform ${issuer}`,
        'This learning platform is not registered with Aula.',
      );
    if (!platform.enabled) throw new LaunchRejected(403, 'platform switched off', texts[lang].switchedOff);
    if (!deploymentId) return { platform };
    const deployment = await deps.platforms.deployment(platform._id, deploymentId);
    if (!deployment) {
      throw new LaunchRejected(
        403,
        `unknown deployment ${deploymentId}`,
        'This deployment of Aula is not registered. Please ask your administrator.',
      );
    }
    if (!deployment.enabled)
      throw new LaunchRejected(403, 'deployment switched off', texts[lang].switchedOff);
    return { platform, deployment };
  };

  /** ltijs's own record of a platform Aula knows; both are written together at registration. */
  const ltijsPlatform = async (issuer: string, clientId: string) => {
    const found = await deps.provider.getPlatform(issuer, clientId);
    if (!found)
      throw new LaunchRejected(
        400,
        'platform missing in ltijs',
        'This learning platform is not registered with Aula.',
      );
    return found;
  };

  const onOwnHost = (uri: string) => {
    try {
      return new URL(uri).origin === ownOrigin;
    } catch {
      return false;
    }
  };

  // --- OIDC login initiation (third-party initiated login)
  router.all(
    ltiRoutes.login,
    urlencoded({ extended: false, limit: '16kb' }),
    asyncRoute(async (req, res) => {
      const lang = preferredLanguage(req.headers['accept-language']);
      const parsed = loginSchema.safeParse({
        ...req.query,
        ...(typeof req.body === 'object' ? req.body : {}),
      });
      try {
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new LaunchRejected(
            400,
            `login request invalid: ${issue?.path.join('.')} ${issue?.message}`,
            'This login request is incomplete.',
          );
        }
        const params = parsed.data;
        if (!onOwnHost(params.target_link_uri)) {
          throw new LaunchRejected(
            400,
            `target_link_uri off host: ${params.target_link_uri}`,
            'This link does not point to this Aula.',
          );
        }
        const { platform } = await enabledPlatform(
          params.iss,
          params.client_id,
          params.lti_deployment_id,
          lang,
        );
        const ltiPlatform = await ltijsPlatform(platform.issuer, platform.clientId);
        const authEndpoint = await ltiPlatform.platformAuthEndpoint();

        const state = randomId(24);
        const nonce = randomId(24);
        const record: LoginRecord = {
          issuer: platform.issuer,
          clientId: platform.clientId,
          platformId: platform._id,
          nonce,
          targetLinkUri: params.target_link_uri,
          ...(params.lti_storage_target
            ? {
                storage: {
                  target: params.lti_storage_target,
                  key: `aula_state_${state}`,
                  value: randomId(24),
                  platformOrigin: new URL(authEndpoint).origin,
                },
              }
            : {}),
        };
        await deps.tickets.issue('login', record, LOGIN_TTL_MS, state);

        // The signed state cookie is the one ltijs checks again after Aula's guard.
        res.cookie(`state${state}`, platform.issuer, { ...cookieOptions, signed: true });
        res.cookie(`aula_probe_${state}`, '1', { ...cookieOptions, httpOnly: false });

        const auth = new URL(authEndpoint);
        const query: Record<string, string> = {
          scope: 'openid',
          response_type: 'id_token',
          response_mode: 'form_post',
          prompt: 'none',
          client_id: platform.clientId,
          redirect_uri: `${deps.publicUrl}${ltiRoutes.launch}`,
          login_hint: params.login_hint,
          state,
          nonce,
          ...(params.lti_message_hint ? { lti_message_hint: params.lti_message_hint } : {}),
          ...(params.lti_storage_target ? { lti_storage_target: params.lti_storage_target } : {}),
        };
        for (const [key, value] of Object.entries(query)) auth.searchParams.set(key, value);
        const again = new URL(`${deps.publicUrl}${ltiRoutes.login}`);
        for (const [key, value] of Object.entries(params)) {
          if (key !== 'lti_storage_target' && typeof value === 'string') again.searchParams.set(key, value);
        }
        const t = texts[lang];
        res.setHeader('Cache-Control', 'no-store');
        res.type('html').send(
          ltiPage({
            lang,
            title: 'Aula',
            script: 'login.js',
            body: `<div id="aula-login" ${dataAttributes({
              authUrl: auth.toString(),
              state,
              storageTarget: record.storage?.target,
              storageKey: record.storage?.key,
              storageValue: record.storage?.value,
              platformOrigin: record.storage?.platformOrigin,
            })}></div>
<p id="aula-wait">${t.wait} <a id="aula-continue" href="${escapeHtml(auth.toString())}">${t.continue}</a></p>
<section id="aula-blocked" hidden><h1>${t.blockedTitle}</h1><p>${t.blocked}</p>
<p><a class="button" id="aula-new-window" href="${escapeHtml(again.toString())}" target="_blank" rel="noopener">${t.newWindow}</a></p></section>`,
          }),
        );
      } catch (error) {
        if (error instanceof LaunchRejected) return reject(req, res, error);
        throw error;
      }
    }),
  );

  // --- Launch guard: everything the LTI security framework asks, before ltijs stores anything
  router.post(
    ltiRoutes.launch,
    urlencoded({ extended: false, limit: '64kb' }),
    asyncRoute(async (req: Request, res: Response, next: NextFunction) => {
      const lang = preferredLanguage(req.headers['accept-language']);
      try {
        const parsed = launchSchema.safeParse(req.body);
        if (!parsed.success)
          throw new LaunchRejected(
            400,
            'launch without id_token or state',
            'This launch is incomplete. Please open Aula again from your course.',
          );
        const { id_token: idToken, state, aula_storage_value: storageValue } = parsed.data;

        const record = await deps.tickets.peek<LoginRecord>('login', state);
        if (!record) {
          throw new LaunchRejected(
            401,
            'unknown, expired or used state',
            'This launch has expired or was already used. Please open Aula again from your course.',
          );
        }
        const cookieIssuer = (req.signedCookies as Record<string, string | false | undefined>)[
          `state${state}`
        ];
        if (cookieIssuer !== record.issuer) {
          if (cookieIssuer === undefined && record.storage && storageValue === undefined) {
            // No cookie in this frame: read the value the login page left in the platform's storage.
            return sendStorageVerification(res, lang, idToken, state, record.storage);
          }
          const fromStorage =
            record.storage !== undefined &&
            storageValue !== undefined &&
            crypto.timingSafeEqual(
              crypto.createHash('sha256').update(storageValue).digest(),
              crypto.createHash('sha256').update(record.storage.value).digest(),
            );
          if (!fromStorage) {
            await deps.tickets.redeem('login', state);
            throw new LaunchRejected(401, 'state not bound to this browser', texts[lang].relaunch);
          }
        }
        // Single use from here on: a replay of this id_token and state finds nothing.
        if ((await deps.tickets.redeem<LoginRecord>('login', state)) === undefined) {
          throw new LaunchRejected(
            401,
            'state already used',
            'This launch was already used. Please open Aula again from your course.',
          );
        }

        const ltiPlatform = await ltijsPlatform(record.issuer, record.clientId);
        const keyset = await ltiPlatform.platformAuthConfig();
        if (keyset.method !== 'JWK_SET')
          throw new LaunchRejected(
            400,
            `unsupported key method ${keyset.method}`,
            'This learning platform is registered without a keyset URL.',
          );
        const launch = await deps.verifier.verify(idToken, {
          issuer: record.issuer,
          clientId: record.clientId,
          keysetUrl: keyset.key,
          nonce: record.nonce,
        });
        if (launch.targetLinkUri !== undefined && !onOwnHost(launch.targetLinkUri)) {
          throw new LaunchRejected(
            400,
            `target_link_uri off host: ${launch.targetLinkUri}`,
            'This link does not point to this Aula.',
          );
        }
        const { platform, deployment } = await enabledPlatform(
          record.issuer,
          record.clientId,
          launch.deploymentId,
          lang,
        );

        if (!(await deps.nonces.use(record.issuer, record.nonce))) {
          throw new LaunchRejected(401, 'nonce replayed', 'This launch was already used.');
        }
        // The platform-storage path has no cookie; ltijs's own check reads this one.
        (req.signedCookies as Record<string, string>)[`state${state}`] = record.issuer;
        res.locals.aulaLaunch = { launch, platform, deployment: deployment! } satisfies VerifiedLaunch;
        next();
      } catch (error) {
        if (error instanceof LaunchRejected) return reject(req, res, error);
        throw error;
      }
    }),
  );

  return router;
}

function sendStorageVerification(
  res: Response,
  lang: 'de' | 'en',
  idToken: string,
  state: string,
  storage: NonNullable<LoginRecord['storage']>,
): void {
  const t = texts[lang];
  res.setHeader('Cache-Control', 'no-store');
  res.type('html').send(
    ltiPage({
      lang,
      title: 'Aula',
      script: 'launch-verify.js',
      body: `<form id="aula-verify" method="post" action="${ltiRoutes.launch}" ${dataAttributes({
        storageTarget: storage.target,
        storageKey: storage.key,
        platformOrigin: storage.platformOrigin,
      })}><input type="hidden" name="id_token" value="${escapeHtml(idToken)}"><input type="hidden" name="state" value="${escapeHtml(state)}"><input type="hidden" name="aula_storage_value" value=""></form>
<p id="aula-wait">${t.wait}</p><section id="aula-blocked" hidden><h1>${t.blockedTitle}</h1><p>${t.relaunch}</p></section>`,
    }),
  );
}
