import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { log, run } from './run.mjs';

function hashOf(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Runs `npm ci` when node_modules is missing or was installed from another lockfile. */
export function ensureNodeModules(root) {
  const lock = path.join(root, 'package-lock.json');
  const stamp = path.join(root, 'node_modules', '.aula-lock-sha256');
  const wanted = hashOf(lock);
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted) return;
  log('deps', 'installing Node dependencies (npm ci)');
  // .npmrc sets ignore-scripts: mediasoup's postinstall would fetch from GitHub.
  run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root });
  fs.writeFileSync(stamp, wanted);
}
