// The scheduler's HTTP API as one express router with absolute paths (/api/schedules...,
// /api/runs..., /api/alerts, /api/notebooks/parameters), its own bearer-token check, JSON body
// parsing and error rendering, so it works alone (createSchedulerApp) or mounted into another
// app (`app.use(createSchedulerRouter(deps))`).
import { createHash, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import type { Logger } from '@rt-lakehouse/kernel-helpers';
import express, { type ErrorRequestHandler, type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import type { RunStatus } from './RunRecord.js';
import { declarationJson, type Scheduler } from './Scheduler.js';
import { SchedulerError, STATUS_BY_SCHEDULER_CODE } from './SchedulerError.js';
import { NotebookPath } from './scheduleDefinition.js';

export interface SchedulerRouterDeps {
  scheduler: Scheduler;
  logger: Logger;
  /** When set, every route needs `Authorization: Bearer <apiToken>`. */
  apiToken?: string | undefined;
  /** Largest JSON body accepted (default 256 kB). */
  bodyLimit?: string | number;
}

const RunsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(50),
    status: z.enum(['queued', 'running', 'succeeded', 'failed', 'interrupted', 'skipped']).optional(),
  })
  .strict();

const ParametersQuery = z.object({ path: NotebookPath }).strict();

/** Builds the router. Errors are `{ error: { code, message, ...details } }` with the status of the code. */
export function createSchedulerRouter(deps: SchedulerRouterDeps): Router {
  const { scheduler } = deps;
  const router = express.Router();
  router.use('/api/schedules', bearerAuth(deps.apiToken));
  router.use('/api/runs', bearerAuth(deps.apiToken));
  router.use('/api/alerts', bearerAuth(deps.apiToken));
  router.use('/api/notebooks/parameters', bearerAuth(deps.apiToken));
  const json = express.json({ limit: deps.bodyLimit ?? '256kb', strict: true, type: 'application/json' });

  router.post('/api/schedules', json, async (req, res) => {
    res.status(201).json({ schedule: await scheduler.create(req.body ?? {}) });
  });
  router.get('/api/schedules', (_req, res) => {
    res.json({ schedules: scheduler.list() });
  });
  router.get('/api/schedules/:id', (req, res) => {
    res.json({ schedule: scheduler.get(req.params['id']!) });
  });
  router.patch('/api/schedules/:id', json, async (req, res) => {
    res.json({ schedule: await scheduler.update(req.params['id']!, req.body ?? {}) });
  });
  router.delete('/api/schedules/:id', async (req, res) => {
    await scheduler.remove(req.params['id']!);
    res.status(204).end();
  });
  router.post('/api/schedules/:id/pause', async (req, res) => {
    res.json({ schedule: await scheduler.pause(req.params['id']!) });
  });
  router.post('/api/schedules/:id/resume', async (req, res) => {
    res.json({ schedule: await scheduler.resume(req.params['id']!) });
  });
  router.post('/api/schedules/:id/run', json, async (req, res) => {
    res.status(202).json({ run: await scheduler.runNow(req.params['id']!, req.body ?? {}) });
  });
  router.get('/api/schedules/:id/runs', (req, res) => {
    const query = parse(RunsQuery, req.query, 'query');
    const options: { limit: number; status?: RunStatus } = { limit: query.limit };
    if (query.status) options.status = query.status;
    res.json({ runs: scheduler.runsOf(req.params['id']!, options) });
  });
  router.get('/api/runs/:runId', (req, res) => {
    res.json({ run: scheduler.run(req.params['runId']!) });
  });
  router.get('/api/runs/:runId/output.ipynb', (req, res, next) => {
    const run = scheduler.run(req.params['runId']!);
    const file = scheduler.outputFile(run.id, 'ipynb');
    const name = `${path.basename(run.notebook, '.ipynb')}-${run.id}.ipynb`;
    res.setHeader('Content-Type', 'application/x-ipynb+json');
    res.setHeader('Content-Disposition', `inline; filename="${name.replace(/["\\]/g, '_')}"`);
    res.sendFile(file, (error) => error && next(error));
  });
  router.get('/api/runs/:runId/output.html', (req, res, next) => {
    const file = scheduler.outputFile(req.params['runId']!, 'html');
    // Notebook output is content of the notebook's authors: shown in its own sandboxed origin,
    // so its scripts cannot reach this API with the viewer's credentials.
    res.setHeader('Content-Security-Policy', 'sandbox allow-scripts allow-popups');
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.sendFile(file, (error) => error && next(error));
  });
  router.get('/api/alerts', (_req, res) => {
    res.json(scheduler.alertList());
  });
  router.get('/api/notebooks/parameters', async (req, res) => {
    const { path: notebook } = parse(ParametersQuery, req.query, 'query');
    const declarations = await scheduler.notebookParameters(notebook);
    res.json({
      notebook,
      hasParametersCell: declarations !== null,
      parameters: (declarations ?? []).map(declarationJson),
    });
  });
  router.use(schedulerErrorHandler(deps.logger));
  return router;
}

function parse<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({
    path: [where, ...i.path.map(String)].join('.'),
    code: i.code,
    message: i.message,
  }));
  throw new SchedulerError('VALIDATION_FAILED', issues.map((i) => `${i.path}: ${i.message}`).join('; '), {
    details: { issues },
  });
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Bearer-token check (constant-time comparison); lets everything through without a token. */
function bearerAuth(token: string | undefined): RequestHandler {
  if (token === undefined) return (_req, _res, next) => next();
  const expected = digest(token);
  return (req, res, next) => {
    const header = req.get('authorization');
    const match = header ? /^Bearer[ ]+(\S+)\s*$/i.exec(header) : null;
    if (match && timingSafeEqual(digest(match[1]!), expected)) return next();
    res.setHeader('WWW-Authenticate', 'Bearer realm="rt-lakehouse"');
    next(
      header
        ? new SchedulerError('INVALID_TOKEN', 'the bearer token is not valid')
        : new SchedulerError(
            'UNAUTHORIZED',
            'this route needs a bearer token: Authorization: Bearer <API_TOKEN>',
          ),
    );
  };
}

/** Renders errors of the scheduler routes; unexpected ones are logged with their stack and answered 500. */
export function schedulerErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    let code: string;
    let message: string;
    let details: Record<string, unknown> = {};
    let status: number;
    const parserType = (error as { type?: unknown }).type;
    if (error instanceof SchedulerError) {
      ({ code, message, details } = error);
      status = STATUS_BY_SCHEDULER_CODE[code] ?? 500;
    } else if (parserType === 'entity.parse.failed') {
      [code, message, status] = [
        'INVALID_JSON',
        `the request body is not valid JSON: ${(error as Error).message}`,
        400,
      ];
    } else if (parserType === 'entity.too.large') {
      [code, message, status] = ['PAYLOAD_TOO_LARGE', 'the request body is too large', 413];
    } else if (clientErrorStatus(error) !== undefined) {
      // Other refusals of express and its body parser (a URL that does not decode, an unsupported
      // charset or encoding, an aborted upload): the client's fault, with the status they carry.
      status = clientErrorStatus(error)!;
      code = status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST';
      message = `the request cannot be handled: ${(error as Error).message}`;
    } else if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      [code, message, status] = ['OUTPUT_NOT_FOUND', 'the output file is missing', 404];
    } else {
      logger.error('scheduler request failed', {
        method: req.method,
        path: req.path,
        error: error instanceof Error ? error : String(error),
        stack: error instanceof Error ? error.stack : undefined,
      });
      [code, message, status] = [
        'INTERNAL_ERROR',
        'the scheduler failed to handle the request; see its log',
        500,
      ];
    }
    res.status(status).json({ error: { code, message, ...details } });
  };
}

/** The 4xx status an error of express or body-parser carries (`status`/`statusCode`), if any. */
function clientErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const value = typeof status === 'number' ? status : statusCode;
  return typeof value === 'number' && value >= 400 && value < 500 ? value : undefined;
}
