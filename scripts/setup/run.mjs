import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

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
  const answer = query(command, args, options);
  return answer.status === 0 ? answer.stdout.trim() : undefined;
}

/** Runs a command quietly and returns what it answered: exit status (null when it could not start) and output. */
export function query(command, args, options = {}) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
  if (result.error) return { status: null, stdout: '', stderr: result.error.message };
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The full path of an executable on PATH (as the shell would find it), or undefined. */
export function which(command, searchPath = process.env.PATH ?? '') {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function commandExists(command) {
  return which(command) !== undefined;
}
