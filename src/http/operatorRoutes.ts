import { Router } from 'express';
import { operatorViewSchema, type OperatorView } from '../operations/operatorSchemas.js';
import { asyncRoute } from '../shared/asyncRoute.js';

/** The database guard lets this one through: the view reports the database's state itself. */
export const OPERATIONS_PATH = '/operations';

/** `GET /api/admin/operations`: what is happening now, on every node. Mounted behind the admin token. */
export function operatorRoutes(view: () => Promise<OperatorView>): Router {
  const router = Router();
  router.get(
    OPERATIONS_PATH,
    asyncRoute(async (_req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json(operatorViewSchema.parse(await view()));
    }),
  );
  return router;
}
