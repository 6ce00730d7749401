import ltijs, { type Provider } from 'ltijs';

/**
 * ltijs exports one Provider instance and allows setup() once per instance. A
 * fresh instance per Aula start lets tests start and stop Aula repeatedly in
 * one process; the constructor is the exported instance's own class.
 */
export function createProvider(): Provider {
  const ProviderClass = Object.getPrototypeOf(ltijs.Provider).constructor as new () => Provider;
  return new ProviderClass();
}
