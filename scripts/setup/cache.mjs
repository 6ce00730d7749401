// Where expensive, version-keyed artefacts (the mediasoup worker, the database
// server, build tools) live: outside the clone, so a fresh clone reuses them.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';

export function cacheDir(...parts) {
  const base =
    process.env.AULA_CACHE_DIR ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'aula');
  const dir = path.join(base, ...parts);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export function platformKey() {
  return `${os.platform()}-${os.arch()}`;
}

/** Moves a finished file into place in one step so a half-written binary is never found. */
export function installFile(from, to) {
  const tmp = `${to}.${process.pid}.tmp`;
  fs.copyFileSync(from, tmp);
  fs.chmodSync(tmp, 0o755);
  fs.renameSync(tmp, to);
}
