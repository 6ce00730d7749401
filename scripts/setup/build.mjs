import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { log, run } from './run.mjs';

const INPUTS = ['src', 'client', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];

function hashTree(root) {
  const hash = crypto.createHash('sha256');
  const visit = (entry) => {
    const full = path.join(root, entry);
    if (!fs.existsSync(full)) return;
    const stat = fs.statSync(full);
    if (stat.isDirectory()) {
      for (const child of fs.readdirSync(full).sort()) {
        if (child !== 'node_modules' && child !== 'dist') visit(path.join(entry, child));
      }
    } else {
      hash.update(entry).update(fs.readFileSync(full));
    }
  };
  for (const input of INPUTS) visit(input);
  return hash.digest('hex');
}

/** Builds server and client unless dist/ already holds a build of exactly these sources. */
export function ensureBuild(root) {
  const stamp = path.join(root, 'dist', '.build-sha256');
  const wanted = hashTree(root);
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted) return;
  log('build', 'building server and client');
  fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  run('npm', ['run', '--silent', 'build'], { cwd: root });
  fs.writeFileSync(stamp, wanted);
}
