import net from 'node:net';
import path from 'node:path';
import { environmentSchema, type Environment } from './environment.js';

/** Raised before anything starts, naming every variable that is unknown or invalid. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface Config extends Omit<Environment, 'AULA_PUBLIC_URL'> {
  /** Where browsers and LMSs reach Aula: AULA_PUBLIC_URL, else this machine's address on the served port. */
  AULA_PUBLIC_URL: string;
  /** AULA_PUBLIC_URL was not set: the address is derived (servedUrl), and `npm start` says so. */
  publicUrlDerived: boolean;
  /** AULA_DATA_DIR resolved against the working directory. */
  dataDir: string;
}

/**
 * The address Aula serves on when AULA_PUBLIC_URL is not set: the listening
 * host (localhost when it listens on every interface) and port. With port 0
 * the port is only known once bound; startAula derives it again then.
 */
export function servedUrl(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' ? 'localhost' : net.isIPv6(host) ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

const knownNames = new Set(Object.keys(environmentSchema.shape));

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const problems: string[] = [];
  // A typo such as AULA_PUBLIC_ULR would otherwise be ignored silently.
  for (const name of Object.keys(env)) {
    if (name.startsWith('AULA_') && !knownNames.has(name)) problems.push(`${name}: unknown variable`);
  }
  const relevant = Object.fromEntries(
    Object.entries(env).filter(
      ([name, value]) => knownNames.has(name) && value !== undefined && value !== '',
    ),
  );
  const parsed = environmentSchema.safeParse(relevant);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? 'environment');
      const value = relevant[name];
      const shown = value === undefined || /SECRET|TOKEN|URI/.test(name) ? '' : ` (got "${value}")`;
      problems.push(`${name}: ${issue.message}${shown}`);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const { AULA_PUBLIC_URL, AULA_HOST, AULA_PORT } = parsed.data;
  return {
    ...parsed.data,
    AULA_PUBLIC_URL: AULA_PUBLIC_URL ?? servedUrl(AULA_HOST, AULA_PORT),
    publicUrlDerived: AULA_PUBLIC_URL === undefined,
    dataDir: path.resolve(parsed.data.AULA_DATA_DIR),
  };
}
