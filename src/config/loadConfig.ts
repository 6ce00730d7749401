import path from 'node:path';
import { environmentSchema, type Environment } from './environment.js';

/** Raised before anything starts, naming every variable that is unknown or invalid. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface Config extends Environment {
  /** AULA_DATA_DIR resolved against the working directory. */
  dataDir: string;
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
  return { ...parsed.data, dataDir: path.resolve(parsed.data.AULA_DATA_DIR) };
}
