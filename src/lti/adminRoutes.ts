import { Router } from 'express';
import { z } from 'zod';
import { asyncRoute } from '../shared/asyncRoute.js';
import type { Logger } from '../shared/logger.js';
import type { PlatformRegistry } from './PlatformRegistry.js';
import { manualPlatformSchema } from './PlatformRegistry.js';
import type { RegistrationSecrets } from './RegistrationSecrets.js';
import type { ToolUrls } from './toolUrls.js';
import type { ErasedUser } from './userErasure.js';

const seatTierSchema = z.union([z.literal(10), z.literal(25), z.literal(50)]);
const deploymentSchema = z
  .object({ deploymentId: z.string().min(1).max(255), seatTier: seatTierSchema.optional() })
  .strict();
const deploymentChangeSchema = z
  .object({ enabled: z.boolean().optional(), seatTier: seatTierSchema.optional() })
  .strict();
const platformChangeSchema = z.object({ enabled: z.boolean() }).strict();
const eraseSchema = z
  .object({ platformId: z.string().min(1).max(64), lmsUserId: z.string().min(1).max(255) })
  .strict();

/**
 * The school admin's API (and the platform CLI's): registrations, the
 * organisation switch, erasure. Mounted behind the admin token by the HTTP
 * layer under `/api/admin`.
 */
export function adminRoutes(deps: {
  platforms: PlatformRegistry;
  registrationSecrets: RegistrationSecrets;
  allowHttpPlatforms: boolean;
  urls: ToolUrls;
  /** The URLs are this machine's address because AULA_PUBLIC_URL is not set. */
  publicUrlDerived: boolean;
  defaultSeatTier: number;
  eraseUser: (user: ErasedUser) => Promise<Record<string, number>>;
  logger: Logger;
}): Router {
  const router = Router();
  const { platforms } = deps;
  const platformSchema = manualPlatformSchema(deps.allowHttpPlatforms);
  /** The dynamic registration URL carries the current secret: only admins see it. */
  const registrationUrl = async (secret?: string) =>
    `${deps.urls.registration}/${secret ?? (await deps.registrationSecrets.current())}`;

  router.get(
    '/overview',
    asyncRoute(async (_req, res) => {
      res.json({
        urls: { ...deps.urls, registration: await registrationUrl() },
        publicUrlDerived: deps.publicUrlDerived,
        defaultSeatTier: deps.defaultSeatTier,
        platforms: await platforms.list(),
      });
    }),
  );

  router.post(
    '/registration/rotate',
    asyncRoute(async (_req, res) => {
      res.json({ registration: await registrationUrl(await deps.registrationSecrets.rotate('admin')) });
    }),
  );

  router.post(
    '/platforms',
    asyncRoute(async (req, res) => {
      const platform = await platforms.register(platformSchema.parse(req.body), 'manual');
      res.status(201).json({ id: platform._id });
    }),
  );

  router.patch(
    '/platforms/:id',
    asyncRoute(async (req, res) => {
      await platforms.setEnabled(req.params.id!, platformChangeSchema.parse(req.body).enabled);
      res.json({ ok: true });
    }),
  );

  router.delete(
    '/platforms/:id',
    asyncRoute(async (req, res) => {
      await platforms.remove(req.params.id!);
      res.json({ ok: true });
    }),
  );

  router.post(
    '/platforms/:id/deployments',
    asyncRoute(async (req, res) => {
      const { deploymentId, seatTier } = deploymentSchema.parse(req.body);
      await platforms.addDeployment(req.params.id!, deploymentId, seatTier);
      res.status(201).json({ ok: true });
    }),
  );

  router.patch(
    '/platforms/:id/deployments/:deploymentId',
    asyncRoute(async (req, res) => {
      await platforms.updateDeployment(
        req.params.id!,
        req.params.deploymentId!,
        deploymentChangeSchema.parse(req.body),
      );
      res.json({ ok: true });
    }),
  );

  router.delete(
    '/platforms/:id/deployments/:deploymentId',
    asyncRoute(async (req, res) => {
      await platforms.removeDeployment(req.params.id!, req.params.deploymentId!);
      res.json({ ok: true });
    }),
  );

  router.post(
    '/users/erase',
    asyncRoute(async (req, res) => {
      const { platformId, lmsUserId } = eraseSchema.parse(req.body);
      const platform = await platforms.get(platformId);
      const deleted = await deps.eraseUser({ platformId, issuer: platform.issuer, lmsUserId });
      deps.logger.info({ platformId, deleted }, 'erase() | user data deleted');
      res.json({ deleted });
    }),
  );
  return router;
}
