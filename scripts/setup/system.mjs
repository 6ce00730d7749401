// The machine as the set-up sees it: who runs it, what is on PATH, what commands
// answer. The set-up's decisions take this as an argument, so tests hand them a
// recorded machine instead (test/setup/).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { log, query, which } from './run.mjs';

export const hostSystem = {
  isRoot: () => typeof process.getuid === 'function' && process.getuid() === 0,
  which: (command) => which(command),
  exists: (file) => fs.existsSync(file),
  /** A quiet command: { status, stdout, stderr }, status null when it could not start. */
  query: (command, args) => query(command, args),
  /** A command whose output the person at the terminal sees; answers its exit status (null: did not start). */
  run: (command, args, options = {}) =>
    spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options }).status,
  log,
};
