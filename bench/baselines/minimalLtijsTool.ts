import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { createProvider } from '../../src/lti/ltiProvider.js';
import type { LaunchSpec, PlatformSimulator } from '../../test/support/platformSimulator.js';

/**
 * The launch-storm baseline: ltijs as its README sets it up, with one
 * onConnect that answers a small page, in this process and on the same
 * database server as Aula. Whatever Aula adds to a launch (its own guard,
 * seats, attendance, tickets, the classroom page) shows as the ratio to this.
 */
export async function startMinimalLtijsTool(mongoUri: string, platform: PlatformSimulator) {
  const provider = createProvider();
  provider.setup(
    crypto.randomBytes(16).toString('hex'),
    { url: mongoUri },
    {
      appRoute: '/lti/launch',
      loginRoute: '/lti/login',
      cookies: { secure: false, sameSite: 'Lax' },
      cors: false,
    },
  );
  provider.onConnect((token, _req, res) => {
    res.type('html').send(`<!doctype html><title>Launched</title><p>Hello ${token.user}</p>`);
  });
  const sigint = new Set(process.listeners('SIGINT'));
  await provider.deploy({ serverless: true, silent: true });
  for (const listener of process.listeners('SIGINT')) {
    if (!sigint.has(listener)) process.removeListener('SIGINT', listener);
  }
  platform.clientId = 'minimal-ltijs';
  await provider.registerPlatform({
    url: platform.issuer,
    name: 'Test platform',
    clientId: platform.clientId,
    authenticationEndpoint: `${platform.url}/auth`,
    accesstokenEndpoint: `${platform.url}/token`,
    authConfig: { method: 'JWK_SET', key: `${platform.url}/jwks` },
  });
  const app = express();
  app.use(provider.app);
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    /** The same steps as an Aula launch: OIDC login, the platform's id_token, the launch post, the page. */
    async launch(spec: LaunchSpec): Promise<void> {
      const agent = request.agent(url);
      const login = await agent.get('/lti/login').query({
        iss: platform.issuer,
        login_hint: platform.defineLaunch(spec),
        target_link_uri: `${url}/lti/launch`,
        lti_message_hint: 'hint',
        client_id: platform.clientId,
        lti_deployment_id: platform.deploymentId,
      });
      if (login.status !== 302) throw new Error(`ltijs login answered ${login.status}`);
      const authorized = await fetch(login.headers.location!, { headers: { Accept: 'application/json' } });
      if (!authorized.ok) throw new Error(`platform refused: ${authorized.status}`);
      const { id_token: idToken, state } = (await authorized.json()) as { id_token: string; state: string };
      let response = await agent.post('/lti/launch').type('form').send({ id_token: idToken, state });
      for (let hops = 0; response.status >= 300 && response.status < 400 && hops < 3; hops += 1) {
        const next = new URL(response.headers.location!, url);
        response = await agent.get(next.pathname + next.search);
      }
      if (response.status !== 200) throw new Error(`ltijs launch answered ${response.status}`);
    },
    async close(): Promise<void> {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await provider.close({ silent: true });
    },
  };
}
