import type { Request, Response } from 'express';
import { z } from 'zod';
import { AppError, BadRequestError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { preferredLanguage, sendMessagePage } from './ltiPages.js';
import type { PlatformRegistry } from './PlatformRegistry.js';
import type { RegistrationSecrets } from './RegistrationSecrets.js';
import type { ToolUrls } from './toolUrls.js';
import { issuerSchema, platformUrlSchema, sameOrigin } from './urlRules.js';

const SCOPES = [
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
];

/** The platform's OpenID configuration; every URL in it follows urlRules (https, or http on this machine). */
function openIdConfigurationSchema(allowHttp: boolean) {
  const url = platformUrlSchema(allowHttp);
  return z.looseObject({
    issuer: issuerSchema(allowHttp),
    authorization_endpoint: url,
    token_endpoint: url,
    jwks_uri: url,
    registration_endpoint: url,
    authorization_server: z.string().optional(),
    scopes_supported: z.array(z.string()).optional(),
    'https://purl.imsglobal.org/spec/lti-platform-configuration': z
      .looseObject({ product_family_code: z.string().optional(), version: z.string().optional() })
      .optional(),
  });
}

const registrationResponseSchema = z.looseObject({
  client_id: z.string().min(1),
  'https://purl.imsglobal.org/spec/lti-tool-configuration': z
    .looseObject({ deployment_id: z.string().min(1).optional() })
    .optional(),
});

function requestSchema(allowHttp: boolean) {
  return z.object({
    openid_configuration: platformUrlSchema(allowHttp),
    registration_token: z.string().max(10_000).optional(),
  });
}

async function fetchJson(url: string, init: RequestInit = {}): Promise<unknown> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000), redirect: 'error' });
  const text = await response.text();
  if (!response.ok) throw new BadRequestError(`${url} answered ${response.status}: ${text.slice(0, 200)}`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BadRequestError(`${url} did not answer with JSON`);
  }
}

/** The registration Aula sends: its URLs, name, icon, messages with labels, custom parameters, scopes. */
export function toolRegistration(urls: ToolUrls, supportedScopes?: string[]) {
  const domain = new URL(urls.tool).host;
  const scopes = supportedScopes ? SCOPES.filter((scope) => supportedScopes.includes(scope)) : SCOPES;
  return {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: urls.login,
    redirect_uris: [urls.launch],
    client_name: 'Aula',
    'client_name#de': 'Aula',
    jwks_uri: urls.keyset,
    logo_uri: urls.icon,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: scopes.join(' '),
    'https://purl.imsglobal.org/spec/lti-tool-configuration': {
      domain,
      target_link_uri: urls.launch,
      description: 'Live video classrooms for up to 50 participants, hosted by your school.',
      'description#de': 'Live-Videounterricht für bis zu 50 Teilnehmende, betrieben von Ihrer Schule.',
      custom_parameters: { aula_timezone: '$Person.address.timezone' },
      // Names only: Aula needs no e-mail address.
      claims: ['iss', 'sub', 'name', 'given_name', 'family_name'],
      messages: [
        {
          type: 'LtiDeepLinkingRequest',
          target_link_uri: urls.launch,
          label: 'Add an Aula classroom',
          'label#de': 'Aula-Klassenraum hinzufügen',
          icon_uri: urls.icon,
          placements: ['ContentArea'],
          supported_types: ['ltiResourceLink'],
        },
        {
          type: 'LtiResourceLinkRequest',
          target_link_uri: urls.launch,
          label: 'Aula classroom',
          'label#de': 'Aula-Klassenraum',
          icon_uri: urls.icon,
        },
      ],
    },
  };
}

/**
 * LTI Advantage Dynamic Registration: the admin pastes one URL into the LMS,
 * which opens it with its OpenID configuration. The URL carries Aula's
 * registration secret; without it nothing is fetched or stored. The
 * configuration must come from its issuer's origin. Aula registers itself,
 * stores the platform (in ltijs) and its deployment (in Aula), both switched
 * on, and uses the secret up.
 */
export function dynamicRegistrationHandler(deps: {
  platforms: PlatformRegistry;
  secrets: RegistrationSecrets;
  urls: ToolUrls;
  allowHttp: boolean;
  logger: Logger;
}) {
  const configurationSchema = openIdConfigurationSchema(deps.allowHttp);
  const registrationRequestSchema = requestSchema(deps.allowHttp);
  return async (req: Request, res: Response): Promise<void> => {
    const lang = preferredLanguage(req.headers['accept-language']);
    const page = (status: number, title: string, message: string, script?: string) =>
      sendMessagePage(req, res, { status, title, message, ...(script ? { script } : {}) });
    const secret = req.params.secret;
    if (!(await deps.secrets.matches(secret))) {
      deps.logger.info({ withSecret: Boolean(secret) }, 'register() | refused: no valid registration secret');
      page(
        403,
        lang === 'de' ? 'Aula-Registrierung' : 'Aula registration',
        lang === 'de'
          ? 'Dieser Registrierungslink ist nicht (mehr) gültig. Kopieren Sie den aktuellen Link von der Admin-Seite von Aula (/admin) oder aus der Startausgabe von Aula.'
          : 'This registration link is not valid (any more). Copy the current one from Aula’s admin page (/admin) or from what Aula printed at start.',
      );
      return;
    }
    try {
      const request = registrationRequestSchema.safeParse(req.query);
      if (!request.success) {
        const bad = request.error.issues.find((issue) => issue.path[0] === 'openid_configuration');
        page(
          400,
          'Aula registration',
          bad && req.query.openid_configuration !== undefined
            ? `The LMS's configuration URL ${bad.message}.`
            : 'Paste this URL into your LMS as the tool URL for dynamic registration (in Moodle: Manage tools > Tool URL > Add LTI Advantage). It cannot be opened directly.',
        );
        return;
      }
      const configurationUrl = request.data.openid_configuration;
      const configuration = configurationSchema.parse(await fetchJson(configurationUrl));
      // The configuration must come from the issuer it names, or anyone could register as any LMS.
      if (!sameOrigin(configurationUrl, configuration.issuer)) {
        throw new BadRequestError(
          `The configuration URL ${configurationUrl} is not on the origin of its issuer ${configuration.issuer}`,
        );
      }
      const registration = registrationResponseSchema.parse(
        await fetchJson(configuration.registration_endpoint, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            ...(request.data.registration_token
              ? { Authorization: `Bearer ${request.data.registration_token}` }
              : {}),
          },
          body: JSON.stringify(toolRegistration(deps.urls, configuration.scopes_supported)),
        }),
      );
      const product =
        configuration['https://purl.imsglobal.org/spec/lti-platform-configuration']?.product_family_code;
      const deploymentId =
        registration['https://purl.imsglobal.org/spec/lti-tool-configuration']?.deployment_id;
      const platform = await deps.platforms.register(
        {
          issuer: configuration.issuer,
          clientId: registration.client_id,
          name: product
            ? `${product} (${new URL(configuration.issuer).host})`
            : new URL(configuration.issuer).host,
          productFamily: product,
          authenticationEndpoint: configuration.authorization_endpoint,
          accessTokenEndpoint: configuration.token_endpoint,
          authorizationServer: configuration.authorization_server,
          keysetUrl: configuration.jwks_uri,
          deployments: deploymentId ? [deploymentId] : [],
        },
        'dynamic',
      );
      await deps.secrets.consume(secret!);
      deps.logger.info(
        { platformId: platform._id, deploymentId },
        'register() | dynamic registration complete',
      );
      page(
        200,
        lang === 'de' ? 'Aula ist registriert' : 'Aula is registered',
        lang === 'de'
          ? 'Die Registrierung ist abgeschlossen. Sie können dieses Fenster schließen und Aula in Kursen verwenden.'
          : 'Registration is complete. You can close this window and use Aula in your courses.',
        'registered.js',
      );
    } catch (error) {
      const message =
        error instanceof AppError || error instanceof z.ZodError
          ? summarize(error)
          : 'The LMS could not be reached.';
      // The LMS's or the admin's mistake, not Aula's: one line at warn, with the reason.
      deps.logger.warn(
        { reason: error instanceof Error ? error.message.slice(0, 300) : String(error) },
        'register() | dynamic registration failed',
      );
      page(
        error instanceof AppError && error.status === 409 ? 409 : 400,
        'Aula registration failed',
        message,
      );
    }
  };
}

function summarize(error: AppError | z.ZodError): string {
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    return `The LMS sent an unexpected answer (${issue?.path.join('.')}: ${issue?.message}).`;
  }
  return error.message;
}
