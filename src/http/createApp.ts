import express, { type Express, type RequestHandler } from 'express';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../shared/logger.js';
import type { DatabaseHealth } from '../store/DatabaseHealth.js';
import { databaseGuard } from './databaseGuard.js';
import { errorHandler, notFoundHandler } from './errorHandler.js';
import { OPERATIONS_PATH } from './operatorRoutes.js';
import { healthRoutes, metricsRoutes, type MetricsAccess, type ReadinessReport } from './healthRoutes.js';
import { securityHeaders } from './securityHeaders.js';

export interface AppDependencies {
  logger: Logger;
  trustProxy: boolean | number;
  readiness: () => Promise<ReadinessReport>;
  /** `/metrics` on this app; absent when metrics have their own listener or are switched off. */
  metrics?: MetricsAccess;
  /** Origins allowed to frame Aula and receive its form posts (registered LMSs). */
  platformOrigins: () => string[];
  /** Built Vue client; absent in API-only tests. */
  clientDir?: string;
  /** Feature routers (LTI, classroom API, guests, admin), mounted in order before the client. */
  features: RequestHandler[];
  /** Whether the database answers; requests that need it are refused quickly while it does not. */
  databaseHealth?: DatabaseHealth;
}

/** The HTTP application, without a listening socket: tests drive it with supertest. */
export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  // First, so every answer carries them: health probes, 404s, errors, LTI pages.
  app.use(securityHeaders(deps.platformOrigins));
  app.use(healthRoutes(deps.readiness));
  if (deps.metrics) app.use(metricsRoutes(deps.metrics));
  if (deps.databaseHealth) {
    // The operator's view reports the database's state itself, so it answers while the database is away.
    const exempt = [`/admin${OPERATIONS_PATH}`];
    app.use(['/lti', '/api'], databaseGuard(deps.databaseHealth, deps.logger, exempt));
  }
  for (const feature of deps.features) app.use(feature);
  if (deps.clientDir && fs.existsSync(path.join(deps.clientDir, 'index.html'))) {
    app.use(clientRoutes(deps.clientDir));
  }
  app.use(notFoundHandler());
  app.use(errorHandler(deps.logger));
  return app;
}

/** `/metrics` alone, for a listener of its own (AULA_METRICS_PORT) that only the scraper reaches. */
export function createMetricsApp(deps: { logger: Logger; metrics: MetricsAccess }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders(() => []));
  app.use(metricsRoutes(deps.metrics));
  app.use(notFoundHandler());
  app.use(errorHandler(deps.logger));
  return app;
}

/** Static assets plus the single-page routes the client renders. */
function clientRoutes(clientDir: string): express.Router {
  const router = express.Router();
  // Read once: the built client does not change while Aula runs. The pages come first, so the page
  // every launch opens costs no look-up of a file of that name on disk.
  const indexHtml = fs.readFileSync(path.join(clientDir, 'index.html'), 'utf8');
  router.get(['/', '/classroom/:id', '/join/:link', '/admin', '/deep-link'], (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(indexHtml);
  });
  router.use(
    '/assets',
    express.static(path.join(clientDir, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }),
  );
  router.use(express.static(clientDir, { index: false }));
  return router;
}
