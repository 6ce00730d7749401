// Installs Debian packages the set-up needs, or explains which ones to install.
import { capture, log, run, SetupError, commandExists } from './run.mjs';

/** The packages of the list that are not installed (all of them where dpkg is unknown). */
export function missingDebianPackages(packages) {
  if (!commandExists('dpkg-query')) return [];
  return missing(packages);
}

function missing(packages) {
  return packages.filter((name) => {
    // `${Status}` ends in "installed" for "not-installed" too; only the exact state counts.
    const status = capture('dpkg-query', ['-W', '-f=${db:Status-Status}', name]);
    return status !== 'installed';
  });
}

export function ensureDebianPackages(packages, purpose) {
  if (!commandExists('dpkg-query')) {
    log(
      'packages',
      `not a Debian system; make sure these (or their equivalents) are installed for ${purpose}: ${packages.join(' ')}`,
    );
    return;
  }
  const absent = missing(packages);
  if (absent.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new SetupError(
      `${purpose} needs these Debian packages: ${absent.join(' ')}\n` +
        `  install them with: sudo apt-get install -y ${absent.join(' ')}`,
    );
  }
  log('packages', `installing ${absent.join(' ')} for ${purpose}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = ['install', '-y', '--no-install-recommends', ...absent];
  try {
    run('apt-get', install, { env });
  } catch {
    // A fresh machine often has empty package lists.
    run('apt-get', ['update'], { env });
    run('apt-get', install, { env });
  }
}
