import { Router, json, type RequestHandler } from 'express';
import { requireAdmin } from './authentication.js';

/** `/api/admin`: every feature's admin routes behind the admin token, with small JSON bodies. */
export function adminApi(adminToken: string, features: RequestHandler[]): Router {
  const router = Router();
  router.use('/api/admin', requireAdmin(adminToken), json({ limit: '32kb' }), ...features);
  return router;
}
