import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createProvider, deployServerless } from '../../src/lti/ltiProvider.js';
import { LtiBrowser } from '../../test/support/ltiBrowser.js';
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
  await deployServerless(provider);
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
      const browser = new LtiBrowser(url, platform);
      let response = await browser.launch(spec);
      // ltijs answers the launch post with a redirect to its app route, which serves onConnect.
      for (let hops = 0; response.status >= 300 && response.status < 400 && hops < 3; hops += 1) {
        const next = new URL(response.headers.location!, url);
        response = await browser.agent.get(next.pathname + next.search);
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
