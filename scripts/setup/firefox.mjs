import fs from 'node:fs';
import { ensureDebianPackages } from './debianPackages.mjs';
import { SetupError } from './run.mjs';

/**
 * The Firefox tests drive Debian's Firefox ESR over WebDriver BiDi; puppeteer's
 * own browser download needs the internet.
 */
export function ensureFirefox() {
  const explicit = process.env.AULA_FIREFOX_PATH;
  if (explicit) {
    if (!fs.existsSync(explicit)) throw new SetupError(`AULA_FIREFOX_PATH=${explicit} does not exist`);
    return explicit;
  }
  ensureDebianPackages(['firefox-esr'], 'the Firefox tests');
  if (!fs.existsSync('/usr/bin/firefox-esr')) {
    throw new SetupError(
      'Firefox is missing: install firefox-esr, or set AULA_FIREFOX_PATH to a Firefox binary',
    );
  }
  return '/usr/bin/firefox-esr';
}
