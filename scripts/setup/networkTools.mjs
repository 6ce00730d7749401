import { ensureDebianPackages } from './debianPackages.mjs';
import { SetupError } from './run.mjs';
import { hostSystem } from './system.mjs';

/**
 * The network fault tests build namespaces (iproute2) and cut traffic inside
 * them (nftables). Without root they cannot run at all, so a missing tool only
 * skips those tests, with a line naming the install command.
 */
export function ensureNetworkTools(system = hostSystem) {
  try {
    ensureDebianPackages(['iproute2', 'nftables'], 'the network fault tests', system);
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    system.log('packages', `${error.message}\n  until then the network fault tests are skipped`);
  }
}
