// The browser tests drive the system's browsers: Chromium through playwright-core,
// Firefox ESR through puppeteer-core over WebDriver BiDi. The libraries' own
// browser downloads need the internet, Debian's packages do not.
import { ensureDebianPackages } from './debianPackages.mjs';
import { SetupError } from './run.mjs';
import { hostSystem } from './system.mjs';

export const BROWSERS = {
  chromium: {
    label: 'Chromium',
    envVar: 'AULA_CHROMIUM_PATH',
    debianPackage: 'chromium',
    command: 'chromium',
    purpose: 'the browser tests',
  },
  firefox: {
    label: 'Firefox',
    envVar: 'AULA_FIREFOX_PATH',
    debianPackage: 'firefox-esr',
    command: 'firefox-esr',
    purpose: 'the Firefox tests',
  },
};

/**
 * The browser binary the tests use: the one the environment variable names
 * (which must exist), else the Debian package's command, installed first
 * when it is missing and the set-up runs as root. Throws a SetupError naming
 * the install command and the variable otherwise.
 */
export function ensureBrowser(name, env = process.env, system = hostSystem) {
  const browser = BROWSERS[name];
  const explicit = env[browser.envVar];
  if (explicit) {
    if (!system.exists(explicit)) throw new SetupError(`${browser.envVar}=${explicit} does not exist`);
    return explicit;
  }
  ensureDebianPackages([browser.debianPackage], browser.purpose, system);
  const found = system.which(browser.command);
  if (!found) {
    throw new SetupError(
      `${browser.label} is missing: install Debian's ${browser.debianPackage} ` +
        `(as root: apt-get install -y ${browser.debianPackage}), or set ${browser.envVar} to a ${browser.label} binary`,
    );
  }
  return found;
}
