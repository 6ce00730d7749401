import fs from 'node:fs';
import { ensureDebianPackages, missingDebianPackages } from './debianPackages.mjs';
import { capture, log, SetupError } from './run.mjs';

/** Debian packages the load-balancer and TURN tests run, and the system services they bring. */
const PACKAGES = { haproxy: 'haproxy', coturn: 'coturn', openssl: undefined };

/**
 * The cluster tests put Debian's HAProxy in front of two Aula processes, and
 * the TURN test relays a browser's media through Debian's coturn. Both need
 * root to install (and the TURN test root for its network namespace);
 * without, those tests are skipped, with a line saying so. The tests start
 * their own haproxy and turnserver: a system service the install started on a
 * systemd machine is stopped and disabled again.
 */
export function ensureClusterTools() {
  const fresh = missingDebianPackages(Object.keys(PACKAGES));
  try {
    ensureDebianPackages(Object.keys(PACKAGES), 'the load-balancer and TURN tests');
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    log('packages', `${error.message.split('\n')[0]}; the load-balancer and TURN tests will be skipped`);
    return;
  }
  if (!fs.existsSync('/run/systemd/system')) return;
  for (const name of fresh) {
    const service = PACKAGES[name];
    if (!service) continue;
    if (capture('systemctl', ['disable', '--now', service]) !== undefined) {
      log('packages', `stopped the ${service} service the package started; the tests run their own`);
    }
  }
}
