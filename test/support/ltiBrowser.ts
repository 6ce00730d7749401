import request from 'supertest';
import type { LaunchHandoff } from '../../src/lti/launchHandlers.js';
import { PlatformSimulator, type LaunchSpec } from './platformSimulator.js';
import { startTestAula, type TestAula } from './testAula.js';

function unescapeHtml(text: string): string {
  return text.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_, entity: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[entity]!,
  );
}

export function attribute(html: string, name: string): string | undefined {
  const match = new RegExp(`data-${name}="([^"]*)"`).exec(html);
  return match ? unescapeHtml(match[1]!) : undefined;
}

export interface LoginResult {
  status: number;
  html: string;
  /** Aula's login page carries the platform's authorization URL; a plain ltijs tool redirects to it. */
  authUrl?: string;
  state?: string;
}

/**
 * A browser without JavaScript, driving the LTI flow over HTTP: it keeps
 * Aula's cookies, follows the login page to the platform's authorization
 * endpoint, and posts the id_token back as the platform's form would.
 */
export class LtiBrowser {
  readonly agent: ReturnType<typeof request.agent>;

  constructor(
    readonly aulaUrl: string,
    readonly platform: PlatformSimulator,
  ) {
    this.agent = request.agent(aulaUrl);
  }

  /** Extra parameters override the defaults; an empty string leaves a parameter out. */
  async login(loginHint: string, extra: Record<string, string> = {}): Promise<LoginResult> {
    const query = Object.fromEntries(
      Object.entries({
        iss: this.platform.issuer,
        login_hint: loginHint,
        target_link_uri: `${this.aulaUrl}/lti/launch`,
        lti_message_hint: 'hint',
        client_id: this.platform.clientId,
        lti_deployment_id: this.platform.deploymentId,
        ...extra,
      }).filter(([, value]) => value !== ''),
    );
    const response = await this.agent.get('/lti/login').query(query);
    return {
      status: response.status,
      html: response.text,
      authUrl: attribute(response.text, 'auth-url') ?? response.headers.location,
      state: attribute(response.text, 'state'),
    };
  }

  async authorize(authUrl: string): Promise<{ id_token: string; state: string }> {
    const response = await fetch(authUrl, { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`platform refused: ${response.status} ${await response.text()}`);
    return (await response.json()) as { id_token: string; state: string };
  }

  postLaunch(idToken: string, state: string) {
    return this.agent.post('/lti/launch').type('form').send({ id_token: idToken, state });
  }

  /** The whole launch: login, platform authorization, id_token post. */
  async launch(spec: LaunchSpec) {
    const login = await this.login(this.platform.defineLaunch(spec));
    if (!login.authUrl) throw new Error(`login failed with ${login.status}: ${login.html.slice(0, 300)}`);
    const { id_token: idToken, state } = await this.authorize(login.authUrl);
    return this.postLaunch(idToken, state);
  }

  /** Launches and redeems the ticket the classroom page would redeem. */
  async enterClassroom(spec: LaunchSpec): Promise<LaunchHandoff> {
    const response = await this.launch(spec);
    const ticket = /#ticket=([^&]+)/.exec(response.headers.location ?? '')?.[1];
    if (response.status !== 303 || !ticket)
      throw new Error(`launch failed with ${response.status}: ${response.text?.slice(0, 300)}`);
    const redeemed = await this.agent.post('/api/launch/redeem').send({ ticket });
    if (redeemed.status !== 200) throw new Error(`redeem failed: ${redeemed.status}`);
    return redeemed.body as LaunchHandoff;
  }
}

/**
 * Registers a platform simulator with Aula the way an admin does: the one
 * registration URL (with its secret, as /admin shows it) opened by the LMS,
 * sent to Aula's own address when its public one is not this machine's.
 */
export async function registerDynamically(
  aula: { url?: string; lti: { registrationUrl(): Promise<string> } },
  platform: PlatformSimulator,
): Promise<request.Response> {
  const url = new URL(await aula.lti.registrationUrl());
  return request(aula.url ?? url.origin)
    .get(url.pathname)
    .query({
      openid_configuration: `${platform.url}/.well-known/openid-configuration`,
      registration_token: platform.registrationToken,
    });
}

/** Aula with a test platform registered the way an admin does it: how most LTI tests begin. */
export async function startWithPlatform(
  ...args: Parameters<typeof startTestAula>
): Promise<{ aula: TestAula; platform: PlatformSimulator }> {
  const aula = await startTestAula(...args);
  const platform = await PlatformSimulator.start();
  const registered = await registerDynamically(aula, platform);
  if (registered.status !== 200) throw new Error(`registration answered ${registered.status}`);
  return { aula, platform };
}
