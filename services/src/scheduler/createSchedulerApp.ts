// The scheduler service as an express app built from its dependencies (tests run it in
// process): GET /health, GET /metrics (Prometheus), the scheduler router, a JSON 404 for anything else.
import express, { type Express } from 'express';
import {
  createSchedulerRouter,
  type SchedulerRouterDeps,
  schedulerErrorHandler,
} from './createSchedulerRouter.js';
import { SchedulerError } from './SchedulerError.js';
import { createSchedulerMetrics } from './schedulerMetrics.js';

/** Builds the app: the router of createSchedulerRouter plus /health and /metrics (public) and a JSON 404. */
export function createSchedulerApp(deps: SchedulerRouterDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/health', (_req, res) => {
    const alerts = deps.scheduler.alertList().active.length;
    res.json({ status: 'ok', schedules: deps.scheduler.list().length, firingAlerts: alerts });
  });
  const metrics = createSchedulerMetrics(deps.scheduler);
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });
  app.use(createSchedulerRouter(deps));
  app.use((req) => {
    throw new SchedulerError('ROUTE_NOT_FOUND', `no route ${req.method} ${req.path}`);
  });
  app.use(schedulerErrorHandler(deps.logger));
  return app;
}
