import { Router } from 'express';
import type { Registry } from 'prom-client';
import { asyncRoute } from '../shared/asyncRoute.js';
import { UnauthorizedError } from '../shared/errors.js';
import { requireBearerSecret } from './authentication.js';

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, boolean>;
}

/** Liveness and readiness: public, and they say nothing beyond up / ready and which check failed. */
export function healthRoutes(readiness: () => Promise<ReadinessReport>): Router {
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
  return router;
}

export interface MetricsAccess {
  registry: Registry;
  /** Scrapers send `Authorization: Bearer <token>` (Prometheus: `authorization: { credentials: … }`). */
  token?: string;
}

/** `/metrics` for Prometheus; behind the metrics token when one is configured. */
export function metricsRoutes({ registry, token }: MetricsAccess): Router {
  const router = Router();
  router.get(
    '/metrics',
    ...(token ? [requireMetricsToken(token)] : []),
    asyncRoute(async (_req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.type(registry.contentType).send(await registry.metrics());
    }),
  );
  return router;
}

function requireMetricsToken(token: string) {
  return requireBearerSecret(
    token,
    'metrics',
    () => new UnauthorizedError('Metrics token required', 'METRICS_TOKEN_REQUIRED'),
  );
}
