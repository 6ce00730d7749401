import { ensureDebianPackages } from './debianPackages.mjs';
import { SetupError } from './run.mjs';
import { hostSystem } from './system.mjs';

/** Debian packages the load-balancer and TURN tests run, and the system services they bring. */
const PACKAGES = { haproxy: 'haproxy', coturn: 'coturn', openssl: undefined };

/**
 * The cluster tests put Debian's HAProxy in front of two Aula processes, and
 * the TURN test relays a browser's media through Debian's coturn. Both need
 * root to install (and the TURN test root for its network namespace);
 * without, those tests are skipped, with a line naming the install command.
 * The tests start their own haproxy and turnserver: a system service the
 * install started on a systemd machine is stopped and disabled again.
 */
export function ensureClusterTools(system = hostSystem) {
  let installed;
  try {
    installed = ensureDebianPackages(Object.keys(PACKAGES), 'the load-balancer and TURN tests', system);
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    system.log('packages', `${error.message}\n  until then the load-balancer and TURN tests are skipped`);
    return;
  }
  if (!system.exists('/run/systemd/system')) return;
  for (const name of installed) {
    const service = PACKAGES[name];
    if (!service) continue;
    if (system.query('systemctl', ['disable', '--now', service]).status === 0) {
      system.log('packages', `stopped the ${service} service the package started; the tests run their own`);
    }
  }
}
