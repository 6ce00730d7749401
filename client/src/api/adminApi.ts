import type { ToolUrls } from '../../../src/lti/toolUrls';
import type { OperatorView } from '../../../src/operations/operatorSchemas';
import { api } from './http';

export type { OperatorView };

/** The school admin's API; every call carries the admin token. */

export type SeatTier = 10 | 25 | 50;

export interface AdminOverview {
  urls: ToolUrls;
  /** AULA_PUBLIC_URL is not set: the URLs are this machine's address. */
  publicUrlDerived: boolean;
  defaultSeatTier: number;
  platforms: Array<{
    id: string;
    issuer: string;
    clientId: string;
    name?: string;
    registeredVia: string;
    enabled: boolean;
    deployments: Array<{ deploymentId: string; enabled: boolean; seatTier: SeatTier }>;
  }>;
}

export interface DeploymentChange {
  enabled?: boolean;
  /** One of the seat tiers; the server refuses any other number. */
  seatTier?: number;
}

const platformPath = (platformId: string) => `/api/admin/platforms/${encodeURIComponent(platformId)}`;

export function getOverview(token: string): Promise<AdminOverview> {
  return api<AdminOverview>('/api/admin/overview', { token });
}

/** What is happening now on every node: live lessons, nodes, health, refusals, retention. */
export function getOperations(token: string): Promise<OperatorView> {
  return api<OperatorView>('/api/admin/operations', { token });
}

export async function setPlatformEnabled(token: string, platformId: string, enabled: boolean): Promise<void> {
  await api(platformPath(platformId), { method: 'PATCH', body: { enabled }, token });
}

export async function updateDeployment(
  token: string,
  platformId: string,
  deploymentId: string,
  change: DeploymentChange,
): Promise<void> {
  await api(`${platformPath(platformId)}/deployments/${encodeURIComponent(deploymentId)}`, {
    method: 'PATCH',
    body: change,
    token,
  });
}

export async function removePlatform(token: string, platformId: string): Promise<void> {
  await api(platformPath(platformId), { method: 'DELETE', token });
}

/** Deletes everything Aula keeps about one LMS user; answers how many records of each kind went. */
export async function eraseUser(
  token: string,
  user: { platformId: string; lmsUserId: string },
): Promise<Record<string, number>> {
  const result = await api<{ deleted: Record<string, number> }>('/api/admin/users/erase', {
    method: 'POST',
    body: user,
    token,
  });
  return result.deleted;
}

/** A new secret for the dynamic registration URL; the one shown so far stops working. */
export async function rotateRegistrationSecret(token: string): Promise<void> {
  await api('/api/admin/registration/rotate', { method: 'POST', token });
}
