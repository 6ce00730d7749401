import { Router } from 'express';
import type { Registry } from 'prom-client';
import { asyncRoute } from '../shared/asyncRoute.js';

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, boolean>;
}

export function healthRoutes(readiness: () => Promise<ReadinessReport>, metrics: Registry): Router {
  const router = Router();
  // Liveness: the process answers. Restarting it would not fix a missing database.
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get(
    '/readyz',
    asyncRoute(async (_req, res) => {
      const report = await readiness();
      res.status(report.ready ? 200 : 503).json(report);
    }),
  );
  router.get(
    '/metrics',
    asyncRoute(async (_req, res) => {
      res.type(metrics.contentType).send(await metrics.metrics());
    }),
  );
  return router;
}
