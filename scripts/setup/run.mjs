import { spawnSync } from 'node:child_process';

export function log(step, message) {
  process.stderr.write(`[aula:${step}] ${message}\n`);
}

export class SetupError extends Error {}

/** Runs a command with inherited output; throws a SetupError naming it when it fails. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.error) throw new SetupError(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0) {
    throw new SetupError(`${command} ${args.join(' ')} failed with exit code ${result.status}`);
  }
}

/** Runs a command quietly and returns its trimmed stdout, or undefined when it fails. */
export function capture(command, args, options = {}) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
  if (result.error || result.status !== 0) return undefined;
  return result.stdout.trim();
}

export function commandExists(command) {
  return capture('sh', ['-c', `command -v ${command}`]) !== undefined;
}
