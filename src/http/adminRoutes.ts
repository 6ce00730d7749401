import { Router, json } from 'express';
import type { Connection } from 'mongoose';
import { z } from 'zod';
import { deleteUserData } from '../classroom/retention.js';
import type { PlatformRegistry } from '../lti/PlatformRegistry.js';
import { manualPlatformSchema } from '../lti/PlatformRegistry.js';
import type { ToolUrls } from '../lti/toolUrls.js';
import type { Logger } from '../shared/logger.js';
import type { Models } from '../store/models/index.js';
import { asyncRoute } from '../shared/asyncRoute.js';
import { requireAdmin } from './authentication.js';

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

/** The school admin's API (and the platform CLI's): registrations, the organisation switch, erasure. */
export function adminRoutes(deps: {
  adminToken: string;
  platforms: PlatformRegistry;
  urls: ToolUrls;
  defaultSeatTier: number;
  models: Models;
  connection: Connection;
  logger: Logger;
}): Router {
  const router = Router();
  const { platforms } = deps;
  router.use('/api/admin', requireAdmin(deps.adminToken), json({ limit: '32kb' }));

  router.get(
    '/api/admin/overview',
    asyncRoute(async (_req, res) => {
      res.json({ urls: deps.urls, defaultSeatTier: deps.defaultSeatTier, platforms: await platforms.list() });
    }),
  );

  router.post(
    '/api/admin/platforms',
    asyncRoute(async (req, res) => {
      const platform = await platforms.register(manualPlatformSchema.parse(req.body), 'manual');
      res.status(201).json({ id: platform._id });
    }),
  );

  router.patch(
    '/api/admin/platforms/:id',
    asyncRoute(async (req, res) => {
      await platforms.setEnabled(req.params.id!, platformChangeSchema.parse(req.body).enabled);
      res.json({ ok: true });
    }),
  );

  router.delete(
    '/api/admin/platforms/:id',
    asyncRoute(async (req, res) => {
      await platforms.remove(req.params.id!);
      res.json({ ok: true });
    }),
  );

  router.post(
    '/api/admin/platforms/:id/deployments',
    asyncRoute(async (req, res) => {
      const { deploymentId, seatTier } = deploymentSchema.parse(req.body);
      await platforms.addDeployment(req.params.id!, deploymentId, seatTier);
      res.status(201).json({ ok: true });
    }),
  );

  router.patch(
    '/api/admin/platforms/:id/deployments/:deploymentId',
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
    '/api/admin/platforms/:id/deployments/:deploymentId',
    asyncRoute(async (req, res) => {
      await platforms.removeDeployment(req.params.id!, req.params.deploymentId!);
      res.json({ ok: true });
    }),
  );

  router.post(
    '/api/admin/users/erase',
    asyncRoute(async (req, res) => {
      const { platformId, lmsUserId } = eraseSchema.parse(req.body);
      const platform = await platforms.get(platformId);
      const deleted = await deleteUserData(deps.models, deps.connection, {
        platformId,
        issuer: platform.issuer,
        lmsUserId,
      });
      deps.logger.info({ platformId, deleted }, 'erase() | user data deleted');
      res.json({ deleted });
    }),
  );
  return router;
}
