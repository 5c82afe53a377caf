// The assistant API as an express app built from its dependencies, so tests run it in process:
// middlewares (request id, access log and metrics, CORS), the routes of the registry (each with
// its guards and zod validation), 404 for unknown paths, and the one error handler.
import {
  type AskOptions,
  type Assistant,
  alertThresholdsSchema,
  type Lakehouse,
  type Logger,
  type SqlEngine,
  type TableInfo,
  type Unanswerable,
} from '@rt-lakehouse/kernel-helpers';
import express, { type Express } from 'express';
import { rateLimit } from 'express-rate-limit';
import { Gauge, type Registry } from 'prom-client';
import { z } from 'zod';
import type { AlertService } from './AlertService.js';
import { ApiError } from './ApiError.js';
import { addAlertRoutes } from './addAlertRoutes.js';
import { addDocsRoutes } from './addDocsRoutes.js';
import { answerJson } from './answerJson.js';
import type { AssistantServiceConfig } from './assistantServiceConfig.js';
import { bearerAuth } from './bearerAuth.js';
import { checkHealth } from './checkHealth.js';
import { corsAllowList } from './corsAllowList.js';
import { errorHandler, notFound } from './errorHandler.js';
import { KpiSnapshotCache } from './KpiSnapshotCache.js';
import { KpiStreamHub } from './KpiStreamHub.js';
import { createHttpMetrics, observeRequests } from './observeRequests.js';
import { openApiDocument } from './openApiDocument.js';
import { unreachableReason } from './pipelinesStatusClient.js';
import { type RegisteredRoute, RouteRegistry } from './RouteRegistry.js';
import { goldKpisVersion, readKpis } from './readKpis.js';
import { requestId, requestIdOf } from './requestId.js';
import {
  Answer,
  ConversationParams,
  ConversationResponse,
  ErrorBody,
  ExampleRequest,
  ExampleResponse,
  ExamplesResponse,
  FeedbackRequest,
  HealthResponse,
  HistoryQuery,
  HistoryResponse,
  KpisQuery,
  KpisResponse,
  PipelinesResponse,
  QueryRequest,
  SqlRequest,
  TableParams,
  TablesResponse,
} from './schemas.js';

export interface AssistantAppDeps {
  assistant: Assistant;
  engine: SqlEngine;
  lakehouse: Lakehouse;
  /** The pipeline runner's status; rejects when the runner is unreachable. */
  pipelinesStatus: () => Promise<unknown>;
  config: AssistantServiceConfig;
  logger: Logger;
  /** Prometheus registry for the HTTP metrics (served at /metrics with whatever else it holds). */
  registry: Registry;
  /** Written into the OpenAPI document's info. */
  version?: string;
  /** The alert monitor behind GET /api/alerts (absent: the route answers `enabled: false`). */
  alerts?: AlertService | undefined;
}

export interface AssistantApp extends Express {
  /** The declared routes (the OpenAPI document and route-wide tests are built from them). */
  readonly routes: readonly RegisteredRoute[];
  /** The OpenAPI 3.1 document served at /openapi.json. */
  readonly openApi: Record<string, unknown>;
  readonly kpiStreams: KpiStreamHub;
  /** Ends the KPI streams (with a `shutdown` event) and refuses new ones: call before server.close(). */
  endStreams(): void;
}

const error = (description: string) => ({ description, schema: ErrorBody });

/** Builds the app. Registers its metrics in `deps.registry` (once per registry). */
export function createApp(deps: AssistantAppDeps): AssistantApp {
  const { assistant, engine, lakehouse, config, logger } = deps;
  const startedAt = Date.now();
  const registry = new RouteRegistry();
  const metrics = createHttpMetrics(deps.registry);
  const streamsGauge = new Gauge({
    name: 'assistant_kpi_streams',
    help: 'Open KPI event streams',
    registers: [deps.registry],
  });
  const kpiCache = new KpiSnapshotCache({
    read: (range) => readKpis(engine, lakehouse, range),
    version: () => goldKpisVersion(lakehouse),
    ttlMs: config.KPI_CACHE_MS,
  });

  const kpiStreams = new KpiStreamHub({
    version: () => goldKpisVersion(lakehouse),
    snapshot: (range) => kpiCache.get(range),
    pollMs: config.KPI_POLL_MS,
    heartbeatMs: config.SSE_HEARTBEAT_MS,
    maxStreams: config.SSE_MAX_STREAMS,
    logger,
    onCount: (n) => streamsGauge.set(n),
  });

  // ------------------------------------------------------------ assistant

  registry.add({
    method: 'post',
    path: '/api/query',
    operationId: 'query',
    summary: 'Answer a question in English: SQL, rows, a chart and an explanation',
    description:
      'Follow-ups pass the `conversationId` of an earlier answer. A question the assistant cannot ' +
      'answer gives 422 with `error.suggestions`.',
    tags: ['assistant'],
    body: QueryRequest,
    responses: {
      200: { description: 'The answer', schema: Answer },
      422: error('The question could not be answered (UNANSWERABLE, LLM_*, QUERY_*): see suggestions'),
      503: error('The engine is closed or out of memory'),
      504: error('The query ran past its time limit (QUERY_TIMEOUT)'),
    },
    handler: async ({ body }) => {
      const options: AskOptions = {
        maxRows: body.maxRows ?? config.DEFAULT_MAX_ROWS,
        timeoutMs: body.timeoutMs ?? config.QUERY_TIMEOUT_MS,
        ...(body.conversationId !== undefined ? { conversationId: body.conversationId } : {}),
        ...(body.path !== undefined ? { path: body.path } : {}),
      };
      if (body.asOf !== undefined) options.asOfVersions = await versionsAsOf(lakehouse, body.asOf);
      const result = await assistant.ask(body.question, options);
      if (!result.success) throw unanswerable(result.error, 422);
      return answerJson(result.answer);
    },
  });

  registry.add({
    method: 'post',
    path: '/api/sql',
    operationId: 'sql',
    summary: 'Run a SELECT over the lakehouse tables, with a chart',
    description:
      'The SQL goes through the same guard as the assistant: one read-only SELECT over the ' +
      'lakehouse views. Refused or invalid SQL gives 400 with the guard code (SQL_*).',
    tags: ['assistant'],
    body: SqlRequest,
    responses: {
      200: { description: 'The result', schema: Answer },
      400: error('The SQL was refused or does not parse or bind (SQL_*), or the body did not validate'),
      422: error('The query failed while running (QUERY_FAILED ...)'),
      503: error('The engine is closed or out of memory'),
      504: error('The query ran past its time limit (QUERY_TIMEOUT)'),
    },
    handler: async ({ body }) => {
      const result = await assistant.sql(body.sql, {
        maxRows: body.maxRows ?? config.DEFAULT_MAX_ROWS,
        timeoutMs: body.timeoutMs ?? config.QUERY_TIMEOUT_MS,
        ...(body.conversationId !== undefined ? { conversationId: body.conversationId } : {}),
        ...(body.question !== undefined ? { question: body.question } : {}),
        ...(body.asOf !== undefined ? { asOfVersions: await versionsAsOf(lakehouse, body.asOf) } : {}),
      });
      if (!result.success) throw unanswerable(result.error);
      return answerJson(result.answer);
    },
  });

  registry.add({
    method: 'get',
    path: '/api/conversations/:id',
    operationId: 'conversation',
    summary: 'The turns of a conversation so far',
    tags: ['assistant'],
    params: ConversationParams,
    responses: {
      200: { description: 'The turns, oldest first', schema: ConversationResponse },
      404: error('No such conversation (CONVERSATION_NOT_FOUND)'),
    },
    handler: ({ params }) => {
      const turns = assistant.conversation(params.id);
      if (!turns) throw new ApiError('CONVERSATION_NOT_FOUND', `no conversation ${params.id}`);
      return { conversationId: params.id, turns: turns.map(answerJson) };
    },
  });

  registry.add({
    method: 'post',
    path: '/api/feedback',
    operationId: 'feedback',
    summary: 'Mark an answer correct: its question and SQL become a verified example',
    tags: ['assistant'],
    body: FeedbackRequest,
    status: 201,
    responses: {
      201: { description: 'The verified example', schema: ExampleResponse },
      404: error('No such turn'),
    },
    handler: async ({ body }) => ({ example: await assistant.markCorrect(body.turnId) }),
  });

  registry.add({
    method: 'get',
    path: '/api/examples',
    operationId: 'examples',
    summary: 'The verified question → SQL examples of the knowledge base',
    tags: ['assistant'],
    responses: { 200: { description: 'The examples', schema: ExamplesResponse } },
    handler: async () => ({ examples: await assistant.examples() }),
  });

  registry.add({
    method: 'post',
    path: '/api/examples',
    operationId: 'addExample',
    summary: 'Add a verified question → SQL example',
    tags: ['assistant'],
    body: ExampleRequest,
    status: 201,
    responses: {
      201: { description: 'The example as stored', schema: ExampleResponse },
      400: error('The SQL was refused by the guard (SQL_*) or the body did not validate'),
    },
    handler: async ({ body }) => ({ example: await assistant.addExample(body) }),
  });

  // ------------------------------------------------------------ lakehouse

  registry.add({
    method: 'get',
    path: '/api/tables',
    operationId: 'tables',
    summary: 'The lakehouse tables: versions, columns, partition columns, files, rows, sizes',
    tags: ['lakehouse'],
    responses: { 200: { description: 'The tables, by name', schema: TablesResponse } },
    handler: async () => ({ tables: (await engine.tables()).map(tableJson) }),
  });

  registry.add({
    method: 'get',
    path: '/api/tables/:name/history',
    operationId: 'tableHistory',
    summary: "A table's Delta commit history, newest first",
    tags: ['lakehouse'],
    params: TableParams,
    query: HistoryQuery,
    responses: {
      200: { description: 'The commits', schema: HistoryResponse },
      404: error('No such table (TABLE_NOT_FOUND)'),
    },
    handler: async ({ params, query }) => {
      const name = (await lakehouse.tableNames()).find((n) => n.toLowerCase() === params.name.toLowerCase());
      if (name === undefined)
        throw new ApiError('TABLE_NOT_FOUND', `no table ${params.name} in the lakehouse`);
      const history = await (await lakehouse.table(name)).history(query.limit);
      return {
        table: name,
        history: history.map((h) => ({
          version: h.version,
          timestamp: h.timestamp.toISOString(),
          operation: h.operation ?? null,
          operationParameters: (h.operationParameters as Record<string, unknown> | undefined) ?? null,
          operationMetrics: (h.operationMetrics as Record<string, unknown> | undefined) ?? null,
          readVersion: h.readVersion ?? null,
          isBlindAppend: h.isBlindAppend ?? null,
          engineInfo: h.engineInfo ?? null,
        })),
      };
    },
  });

  registry.add({
    method: 'get',
    path: '/api/kpis',
    operationId: 'kpis',
    summary: 'Latest KPIs from gold_kpis: the newest window and totals over the last N minutes',
    tags: ['kpis'],
    query: KpisQuery,
    responses: { 200: { description: 'The KPI snapshot', schema: KpisResponse } },
    handler: ({ query }) => kpiCache.get(query),
  });

  registry.add({
    method: 'get',
    path: '/api/kpis/stream',
    operationId: 'kpisStream',
    summary: 'KPI snapshots as server-sent events: one now, then one per gold_kpis version',
    description:
      'Events: `kpis` (data: the same JSON as GET /api/kpis, id: the gold_kpis version), `error` ' +
      '(data: {code, message}) and `shutdown`; comment lines (`: heartbeat`) keep idle streams open.',
    tags: ['kpis'],
    query: KpisQuery,
    responses: {
      200: { description: 'The event stream', contentType: 'text/event-stream', schema: z.string() },
      503: error('Too many open streams (STREAMS_EXHAUSTED) or the service is stopping'),
    },
    handler: ({ query, req, res }) => kpiStreams.open(req, res, query, requestIdOf(res)),
  });

  registry.add({
    method: 'get',
    path: '/api/pipelines',
    operationId: 'pipelines',
    summary: "The pipeline runner's status (state, lag, batches, freshness per pipeline)",
    tags: ['pipelines'],
    responses: {
      200: { description: "The runner's GET /status", schema: PipelinesResponse },
      503: error('The pipeline runner is not reachable (PIPELINES_UNREACHABLE)'),
    },
    handler: async () => {
      try {
        return await deps.pipelinesStatus();
      } catch (cause) {
        throw new ApiError(
          'PIPELINES_UNREACHABLE',
          `the pipeline runner at ${config.PIPELINES_URL} is not reachable: ${unreachableReason(cause)}`,
          { details: { url: config.PIPELINES_URL }, headers: { 'Retry-After': '5' }, cause },
        );
      }
    },
  });

  // ------------------------------------------------------------ operations

  addAlertRoutes(registry, deps.alerts, alertThresholdsSchema.parse({}));

  registry.add({
    method: 'get',
    path: '/health',
    operationId: 'health',
    summary: 'Dependency checks: lakehouse folder, SQL engine, assistant, pipeline runner',
    tags: ['operations'],
    public: true,
    responses: {
      200: { description: 'ok, or degraded (the pipeline runner is unreachable)', schema: HealthResponse },
      503: { description: 'down: the lakehouse or the engine fails', schema: HealthResponse },
    },
    handler: async ({ res }) => {
      const status = (assistant as { status?: unknown }).status;
      const health = await checkHealth({
        ...deps,
        startedAt,
        assistantStatus: typeof status === 'function' ? () => status.call(assistant) : undefined,
      });
      res.status(health.status === 'down' ? 503 : 200).json(health);
    },
  });

  registry.add({
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    summary: 'Prometheus metrics: requests and latency by route and status, open KPI streams',
    tags: ['operations'],
    responses: { 200: { description: 'Prometheus text format', contentType: 'text/plain' } },
    handler: async ({ res }) => {
      res.setHeader('Content-Type', deps.registry.contentType);
      res.send(await deps.registry.metrics());
    },
  });

  let document: Record<string, unknown> | undefined;
  addDocsRoutes(registry, () => document);
  document = openApiDocument(
    registry.routes,
    {
      title: 'RT-Lakehouse assistant API',
      version: deps.version ?? '0.1.0',
      description:
        'Ask the lakehouse in English, run guarded SQL, read tables, KPIs and pipeline status. ' +
        'Errors are JSON: `{"error": {"code", "message", "requestId", ...}}`.',
    },
    { bearerAuth: config.API_TOKEN !== undefined },
  );

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);
  app.use(requestId(), observeRequests(logger, metrics), corsAllowList({ origins: config.CORS_ORIGINS }));
  const router = express.Router();
  const limit = config.RATE_LIMIT_PER_MIN;
  registry.mount(router, {
    authenticate: bearerAuth(config.API_TOKEN),
    rateLimit:
      limit === 0
        ? (_req, _res, next) => next()
        : rateLimit({
            windowMs: 60_000,
            limit,
            standardHeaders: 'draft-7',
            legacyHeaders: false,
            handler: (_req, _res, next) =>
              next(
                new ApiError('RATE_LIMITED', `more than ${limit} requests a minute from this client`, {
                  details: { limitPerMinute: limit },
                }),
              ),
          }),
    parseJson: express.json({ limit: config.BODY_LIMIT_BYTES, strict: true, type: 'application/json' }),
  });
  app.use(router);
  app.use(notFound);
  app.use(errorHandler(logger));

  return Object.assign(app, {
    routes: registry.routes,
    openApi: document,
    kpiStreams,
    endStreams: () => kpiStreams.close(),
  });
}

/** The ApiError of a failed ask/sql: the assistant's code, reason and suggestions. */
function unanswerable(error: Unanswerable, fallbackStatus?: number): ApiError {
  return new ApiError(error.code, error.reason, {
    ...(fallbackStatus !== undefined ? { fallbackStatus } : {}),
    details: {
      suggestions: error.suggestions,
      conversationId: error.conversationId,
      question: error.question,
      ...(error.sql !== undefined ? { sql: error.sql } : {}),
    },
  });
}

/** A table as /api/tables lists it (null, not a missing key, for unknown row counts). */
function tableJson(t: TableInfo) {
  return {
    name: t.name,
    version: t.version,
    columns: t.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })),
    partitionColumns: t.partitionColumns,
    numFiles: t.numFiles,
    rowCount: t.rowCount ?? null,
    sizeBytes: t.sizeBytes,
    ...(t.error !== undefined ? { error: t.error } : {}),
  };
}

/**
 * The versions of the tables to read for `asOf`: as given, or for an instant, each table's last
 * version committed at or before it. @throws DeltaError DELTA_TIMESTAMP_TOO_EARLY (422) when a
 * table has no commit that early.
 */
async function versionsAsOf(lakehouse: Lakehouse, asOf: string | Record<string, number>) {
  if (typeof asOf !== 'string') return asOf;
  const versions: Record<string, number> = {};
  for (const name of await lakehouse.tableNames())
    versions[name] = await (await lakehouse.table(name)).versionAtTimestamp(asOf);
  return versions;
}
