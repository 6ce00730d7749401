import fs from 'node:fs';
import { ensureDebianPackages } from './debianPackages.mjs';
import { SetupError } from './run.mjs';

/** Browser tests drive the system's Chromium: playwright's own download needs the internet. */
export function ensureChromium() {
  const explicit = process.env.AULA_CHROMIUM_PATH;
  if (explicit) {
    if (!fs.existsSync(explicit)) throw new SetupError(`AULA_CHROMIUM_PATH=${explicit} does not exist`);
    return explicit;
  }
  ensureDebianPackages(['chromium'], 'the browser tests');
  if (!fs.existsSync('/usr/bin/chromium')) {
    throw new SetupError(
      'Chromium is missing: install it, or set AULA_CHROMIUM_PATH to a Chromium or Chrome binary',
    );
  }
  return '/usr/bin/chromium';
}
