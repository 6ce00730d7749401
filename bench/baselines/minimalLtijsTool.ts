import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Provider } from 'ltijs';
import { createProvider, deployServerless } from '../../src/lti/ltiProvider.js';

/**
 * The launch-storm baseline: ltijs as its README sets it up, with one
 * onConnect that answers a small page, in the benchmark's process and on the
 * same database server as Aula. Whatever Aula adds to a launch (its own
 * guard, the classroom, the join token and its hand-over) shows as the ratio.
 */
export async function startMinimalLtijsTool(
  mongoUri: string,
  platform: { issuer: string; url: string },
): Promise<{ url: string; clientId: string; provider: Provider; close(): Promise<void> }> {
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
  const clientId = 'minimal-ltijs';
  await provider.registerPlatform({
    url: platform.issuer,
    name: 'Test platform',
    clientId,
    authenticationEndpoint: `${platform.url}/auth`,
    accesstokenEndpoint: `${platform.url}/token`,
    authConfig: { method: 'JWK_SET', key: `${platform.url}/jwks` },
  });
  const app = express();
  app.use(provider.app);
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    clientId,
    provider,
    async close(): Promise<void> {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await provider.close({ silent: true });
    },
  };
}
