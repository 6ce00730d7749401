import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import {
  SignJWT,
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  type CryptoKey,
  type JWK,
} from 'jose';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';

export interface LaunchSpec {
  sub?: string | null;
  name?: string;
  roles?: string[] | null;
  messageType?: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
  resourceLinkId?: string;
  resourceLinkTitle?: string;
  context?: { id: string; title?: string } | null;
  custom?: Record<string, string>;
  deploymentId?: string;
  targetLinkUri?: string;
  /** Last word on the claims, after the defaults: tests break launches here. */
  mutate?: (claims: Record<string, unknown>) => void;
  /** Sign differently: another key, another algorithm, another kid. */
  sign?: (claims: Record<string, unknown>) => Promise<string>;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface Membership {
  user_id: string;
  name?: string;
  roles: string[];
  status?: string;
}

/**
 * A stand-in LMS that speaks LTI 1.3 over HTTP: OpenID configuration and
 * dynamic registration, an OIDC authorization endpoint that signs id_tokens
 * with its own RS256 keys, a JWKS endpoint, an OAuth2 token endpoint that
 * checks the tool's client assertion, and NRPS and AGS endpoints.
 */
export class PlatformSimulator {
  readonly launches = new Map<string, LaunchSpec>();
  readonly memberships: Membership[] = [];
  readonly lineItems: Array<{ id: string; body: Record<string, unknown> }> = [];
  readonly scores: Array<{ lineItemId: string; body: Record<string, unknown> }> = [];
  readonly membershipPageRequests: string[] = [];
  readonly registrations: Array<Record<string, unknown>> = [];
  /** Deep-linking responses (the JWT form field) the tool posted back. */
  readonly deepLinkResponses: string[] = [];
  clientId = '';
  deploymentId = 'deployment-1';
  registrationToken = crypto.randomBytes(12).toString('hex');
  /** How often a tool fetched the keyset: each fetch is a round trip to the school's LMS. */
  keysetRequests = 0;
  /** How often a tool asked for the OpenID configuration (the first step of a dynamic registration). */
  configurationRequests = 0;
  /** Access tokens the tool fetched at the token endpoint, and the scope of each. */
  tokenRequests = 0;
  readonly tokenScopes: string[] = [];
  /** An issuer for the OpenID configuration to claim instead of the simulator's own (attacks). */
  configurationIssuer: string | undefined;
  /** Requests to fail with a 500 before succeeding, per endpoint. */
  failures = { lineItems: 0, scores: 0 };
  private keys: SigningKey[] = [];
  private readonly accessTokens = new Set<string>();
  private server!: http.Server;
  url = '';

  static async start(): Promise<PlatformSimulator> {
    const simulator = new PlatformSimulator();
    await simulator.rotateKey();
    await simulator.listen();
    return simulator;
  }

  get issuer(): string {
    return this.url;
  }

  get currentKey(): SigningKey {
    return this.keys[this.keys.length - 1]!;
  }

  /** A new signing key; the keyset keeps the old one, as platforms do during rotation. */
  async rotateKey(): Promise<SigningKey> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = crypto.randomBytes(8).toString('hex');
    const key = {
      kid,
      privateKey,
      publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
    };
    this.keys.push(key);
    return key;
  }

  defineLaunch(spec: LaunchSpec): string {
    const hint = crypto.randomBytes(8).toString('hex');
    this.launches.set(hint, spec);
    return hint;
  }

  claimsFor(spec: LaunchSpec, nonce: string, toolLaunchUrl: string): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    const messageType = spec.messageType ?? 'LtiResourceLinkRequest';
    const claims: Record<string, unknown> = {
      iss: this.issuer,
      aud: this.clientId,
      sub: spec.sub === undefined ? 'user-1' : spec.sub,
      iat: now,
      exp: now + 300,
      nonce,
      name: spec.name,
      [`${LTI}version`]: '1.3.0',
      [`${LTI}message_type`]: messageType,
      [`${LTI}deployment_id`]: spec.deploymentId ?? this.deploymentId,
      [`${LTI}roles`]:
        spec.roles === undefined ? ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'] : spec.roles,
      [`${LTI}target_link_uri`]: spec.targetLinkUri ?? toolLaunchUrl,
      [`${LTI}tool_platform`]: { guid: 'simulator', product_family_code: 'simulator' },
      [`${LTI}custom`]: spec.custom ?? {},
      [`${LTI}launch_presentation`]: { document_target: 'iframe', locale: 'en' },
    };
    if (spec.context !== null) {
      claims[`${LTI}context`] = spec.context ?? { id: 'course-1', title: 'Biology 7b' };
      claims['https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice'] = {
        context_memberships_url: `${this.url}/nrps/${(spec.context ?? { id: 'course-1' }).id}`,
        service_versions: ['2.0'],
      };
      claims['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint'] = {
        lineitems: `${this.url}/ags/${(spec.context ?? { id: 'course-1' }).id}/lineitems`,
        scope: [
          'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
          'https://purl.imsglobal.org/spec/lti-ags/scope/score',
        ],
      };
    }
    if (messageType === 'LtiResourceLinkRequest') {
      claims[`${LTI}resource_link`] = {
        id: spec.resourceLinkId ?? 'link-1',
        title: spec.resourceLinkTitle ?? 'Live lesson',
      };
    } else {
      claims['https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings'] = {
        deep_link_return_url: `${this.url}/deep-link-return`,
        accept_types: ['ltiResourceLink'],
        accept_presentation_document_targets: ['iframe', 'window'],
        accept_multiple: false,
        data: 'opaque-platform-data',
      };
    }
    spec.mutate?.(claims);
    return claims;
  }

  async sign(claims: Record<string, unknown>, key: SigningKey = this.currentKey): Promise<string> {
    return new SignJWT(claims as Record<string, unknown>)
      .setProtectedHeader({ alg: 'RS256', kid: key.kid })
      .sign(key.privateKey);
  }

  private async listen(): Promise<void> {
    const app = express();
    app.use((req, res, next) => (this.pages ? this.pages(req, res, next) : next()));
    app.use(express.urlencoded({ extended: false }));
    app.use(express.json({ type: ['application/json', 'application/*+json'] }));

    // Where a course page would show the newly added activity, as an LMS checks it: signed by the
    // tool's key, addressed to this platform, not expired.
    app.post('/deep-link-return', (req, res) => {
      const jwt = (req.body as Record<string, string>).JWT;
      if (!jwt) return res.status(400).send('JWT missing');
      jwtVerify(jwt, createRemoteJWKSet(new URL(this.toolKeysetUrl)), {
        issuer: this.clientId,
        audience: this.issuer,
        algorithms: ['RS256'],
      }).then(
        () => {
          this.deepLinkResponses.push(jwt);
          res.type('html').send('<!doctype html><title>Course</title><p id="added">Activity added</p>');
        },
        (error: Error) =>
          res.status(400).type('text').send(`The tool's response was refused: ${error.message}`),
      );
    });

    app.get('/.well-known/openid-configuration', (_req, res) => {
      this.configurationRequests += 1;
      res.json({
        issuer: this.configurationIssuer ?? this.issuer,
        authorization_endpoint: `${this.url}/auth`,
        token_endpoint: `${this.url}/token`,
        jwks_uri: `${this.url}/jwks`,
        registration_endpoint: `${this.url}/register`,
        scopes_supported: [
          'openid',
          'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
          'https://purl.imsglobal.org/spec/lti-ags/scope/score',
          'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
        ],
        claims_supported: ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'],
        'https://purl.imsglobal.org/spec/lti-platform-configuration': {
          product_family_code: 'simulator',
          version: '1.0',
        },
      });
    });

    app.post('/register', (req, res) => {
      if (req.headers.authorization !== `Bearer ${this.registrationToken}`)
        return res.status(401).json({ error: 'bad token' });
      this.registrations.push(req.body as Record<string, unknown>);
      this.toolKeysetUrl = String(req.body.jwks_uri);
      this.clientId = `client-${crypto.randomBytes(4).toString('hex')}`;
      res.json({
        ...req.body,
        client_id: this.clientId,
        'https://purl.imsglobal.org/spec/lti-tool-configuration': {
          ...(req.body['https://purl.imsglobal.org/spec/lti-tool-configuration'] as object),
          deployment_id: this.deploymentId,
        },
      });
    });

    app.get('/jwks', (_req, res) => {
      this.keysetRequests += 1;
      res.json({ keys: this.keys.map((key) => key.publicJwk) });
    });

    app.get('/auth', (req, res) => {
      const query = req.query as Record<string, string>;
      const spec = this.launches.get(query.login_hint ?? '');
      const problems = [
        query.scope !== 'openid' && 'scope',
        query.response_type !== 'id_token' && 'response_type',
        query.response_mode !== 'form_post' && 'response_mode',
        query.client_id !== this.clientId && 'client_id',
        !query.redirect_uri?.endsWith('/lti/launch') && 'redirect_uri',
        !query.nonce && 'nonce',
        !query.state && 'state',
        !spec && 'login_hint',
      ].filter(Boolean);
      if (problems.length > 0) return res.status(400).json({ error: `invalid ${problems.join(', ')}` });
      const claims = this.claimsFor(spec!, query.nonce!, query.redirect_uri!);
      const sign = spec!.sign ?? ((c: Record<string, unknown>) => this.sign(c));
      void sign(claims).then((idToken) => {
        if (req.accepts(['json', 'html']) === 'html') {
          // What a browser gets: the form_post response, submitted by script.
          res.type('html').send(`<!doctype html><form id="f" method="post" action="${query.redirect_uri}">
<input type="hidden" name="id_token" value="${idToken}"><input type="hidden" name="state" value="${query.state}"></form>
<script>document.getElementById('f').submit()</script>`);
        } else {
          res.json({ id_token: idToken, state: query.state, action: query.redirect_uri });
        }
      });
    });

    app.post('/token', (req, res) => {
      this.tokenRequests += 1;
      const body = req.body as Record<string, string>;
      this.tokenScopes.push(String(body.scope));
      if (body.grant_type !== 'client_credentials' || !body.client_assertion)
        return res.status(400).json({ error: 'invalid_request' });
      const toolKeys = createRemoteJWKSet(new URL(this.toolKeysetUrl));
      jwtVerify(body.client_assertion, toolKeys, {
        issuer: this.clientId,
        subject: this.clientId,
        audience: `${this.url}/token`,
      }).then(
        () => {
          const token = crypto.randomBytes(16).toString('hex');
          this.accessTokens.add(token);
          res.json({ access_token: token, token_type: 'bearer', expires_in: 3600, scope: body.scope });
        },
        (error: Error) => res.status(401).json({ error: 'invalid_client', error_description: error.message }),
      );
    });

    const authorised: express.RequestHandler = (req, res, next) => {
      const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (!token || !this.accessTokens.has(token)) return res.status(401).json({ error: 'unauthorised' });
      next();
    };

    app.get('/nrps/:context', authorised, (req, res) => {
      this.membershipPageRequests.push(req.originalUrl);
      const limit = Math.min(Number(req.query.limit ?? 10), 10);
      const offset = Number(req.query.offset ?? 0);
      const page = this.memberships.slice(offset, offset + limit);
      if (offset + limit < this.memberships.length) {
        res.setHeader(
          'Link',
          `<${this.url}/nrps/${req.params.context}?limit=${limit}&offset=${offset + limit}>; rel="next"`,
        );
      }
      res
        .type('application/vnd.ims.lti-nrps.v2.membershipcontainer+json')
        .send(JSON.stringify({ id: req.originalUrl, context: { id: req.params.context }, members: page }));
    });

    app.post('/ags/:context/lineitems', authorised, (req, res) => {
      if (this.failures.lineItems > 0) {
        this.failures.lineItems -= 1;
        return res.status(500).json({ error: 'temporarily unavailable' });
      }
      const id = `${this.url}/ags/${req.params.context}/lineitems/${this.lineItems.length + 1}`;
      this.lineItems.push({ id, body: req.body as Record<string, unknown> });
      res.status(201).json({ id, ...(req.body as object) });
    });

    app.post('/ags/:context/lineitems/:item/scores', authorised, (req, res) => {
      if (this.failures.scores > 0) {
        this.failures.scores -= 1;
        return res.status(503).json({ error: 'temporarily unavailable' });
      }
      this.scores.push({
        lineItemId: `${this.url}/ags/${req.params.context}/lineitems/${req.params.item}`,
        body: req.body as Record<string, unknown>,
      });
      res.status(200).json({});
    });

    this.server = http.createServer(app);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.localUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.url = this.localUrl;
  }

  /** Where this machine reaches the simulator; `url` is where browsers do (behind HTTPS, on a name of its own). */
  localUrl = '';
  /** The LMS's own pages (a course page framing the tool), served before the LTI endpoints. */
  pages: express.RequestHandler | undefined;

  /** Every access token handed out stops working, as when an LMS admin revokes them. */
  revokeAccessTokens(): void {
    this.accessTokens.clear();
  }

  /** Where the tool publishes its keys (the simulator checks client assertions against it). */
  toolKeysetUrl = '';

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
