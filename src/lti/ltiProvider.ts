import ltijs, { type Provider } from 'ltijs';
import { generateKeysOffTheEventLoop } from './platformKeyPairs.js';

/**
 * ltijs exports one Provider instance and allows setup() once per instance. A
 * fresh instance per Aula start lets tests start and stop Aula repeatedly in
 * one process; the constructor is the exported instance's own class.
 */
export function createProvider(): Provider {
  generateKeysOffTheEventLoop();
  const ProviderClass = Object.getPrototypeOf(ltijs.Provider).constructor as new () => Provider;
  return new ProviderClass();
}

/**
 * Starts ltijs without a server of its own (the caller mounts provider.app).
 * deploy() installs a SIGINT handler that calls process.exit(); the process
 * shuts down in order itself, so that handler is removed again.
 */
export async function deployServerless(provider: Provider): Promise<void> {
  const before = new Set(process.listeners('SIGINT'));
  await provider.deploy({ serverless: true, silent: true });
  for (const listener of process.listeners('SIGINT')) {
    if (!before.has(listener)) process.removeListener('SIGINT', listener);
  }
}
