import { LaunchRejected } from './IdTokenVerifier.js';
import { launchTexts, type Language } from './launchPages.js';
import type { Deployment, Platform, PlatformEndpoints, Registrations } from './PlatformRegistry.js';

export interface EnabledRegistration {
  platform: Platform;
  endpoints: PlatformEndpoints;
  /** Present when the request named a deployment. */
  deployment?: Deployment;
}

/**
 * The registration a login or launch belongs to, switched on for Aula: the
 * platform (one, even without a client id), its endpoints, and the named
 * deployment. Every refusal names issuer and client id in the log.
 */
export function enabledRegistration(
  registrations: Registrations,
  request: { issuer: string; clientId?: string; deploymentId?: string },
  lang: Language,
): EnabledRegistration {
  const t = launchTexts[lang];
  const context = { issuer: request.issuer, clientId: request.clientId, deploymentId: request.deploymentId };
  const candidates = registrations.matching(request.issuer, request.clientId);
  if (candidates.length > 1) {
    throw new LaunchRejected(
      400,
      `issuer has ${candidates.length} registrations and the login names no client_id`,
      t.ambiguous,
      context,
    );
  }
  const platform = candidates[0];
  if (!platform) {
    throw new LaunchRejected(400, 'unregistered platform', t.notRegistered, context, {
      kind: 'unknownPlatform',
      subject: request.issuer,
    });
  }
  const endpoints = registrations.endpoints(platform._id);
  if (!endpoints) throw new LaunchRejected(400, 'platform missing in ltijs', t.notRegistered, context);
  const ids = { ...context, platformId: platform._id };
  const switchedOff = { kind: 'switchedOff', subject: platform._id } as const;
  if (!platform.enabled)
    throw new LaunchRejected(403, 'platform switched off', t.switchedOff, ids, switchedOff);
  if (request.deploymentId === undefined) return { platform, endpoints };
  const deployment = registrations.deployment(platform._id, request.deploymentId);
  if (!deployment) throw new LaunchRejected(403, 'unknown deployment', t.unknownDeployment, ids);
  if (!deployment.enabled)
    throw new LaunchRejected(403, 'deployment switched off', t.switchedOff, ids, switchedOff);
  return { platform, endpoints, deployment };
}
