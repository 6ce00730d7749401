import { ensureDebianPackages } from './debianPackages.mjs';
import { log, SetupError } from './run.mjs';

/**
 * The network fault tests build namespaces (iproute2) and cut traffic inside
 * them (nftables). Without root they cannot run at all, so a missing tool only
 * skips those tests, with a line saying so.
 */
export function ensureNetworkTools() {
  try {
    ensureDebianPackages(['iproute2', 'nftables'], 'the network fault tests');
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    log('packages', `${error.message.split('\n')[0]}; the network fault tests will be skipped`);
  }
}
