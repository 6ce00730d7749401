import { cachedActivation, type ActivationCheck } from '../classroom/activation.js';
import type { NoteRefusal } from '../shared/refusalKinds.js';
import type { DatabaseHealth } from '../store/DatabaseHealth.js';
import type { PlatformRegistry } from './PlatformRegistry.js';

/**
 * The per-platform and per-deployment switch, as the classroom asks it
 * before a page, a join or a lesson start. Switched off means switched off
 * explicitly: a registration record that is gone is not a switch. Each
 * "switched off" answer is counted for the operator's view.
 */
export function platformSwitch(
  platforms: PlatformRegistry,
  databaseHealth: DatabaseHealth,
  noteRefusal: NoteRefusal,
  cacheMs: number,
): ActivationCheck {
  const activation = cachedActivation(
    ({ platformId, deploymentId }) =>
      databaseHealth.guard(async () => {
        const registrations = await platforms.current();
        if (registrations.platform(platformId)?.enabled === false) return false;
        return registrations.deployment(platformId, deploymentId)?.enabled !== false;
      }),
    cacheMs,
  );
  return async (classroom) => {
    const active = await activation(classroom);
    if (!active) noteRefusal('switchedOff', classroom.platformId);
    return active;
  };
}
