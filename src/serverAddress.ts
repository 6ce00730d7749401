import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { servedUrl, type Config } from './config/index.js';
import { freePort } from './shared/freePort.js';

// Where Aula listens, and the addresses it hands out when AULA_PUBLIC_URL is not set.

/** The configuration with its public URL on the port Aula will listen on, picked now for port 0. */
export async function withServedPort(config: Config): Promise<Config> {
  const port = config.AULA_PORT === 0 ? await freePort() : config.AULA_PORT;
  return { ...config, AULA_PORT: port, AULA_PUBLIC_URL: servedUrl(config.AULA_HOST, port) };
}

/** Listens and answers the bound port (the one asked for, or the one picked for port 0). */
export async function listen(server: http.Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}
