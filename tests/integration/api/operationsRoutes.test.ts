// GET /health, /metrics and /api/pipelines: dependency checks (ok, degraded, down), Prometheus
// text with request counts and latencies by route and status, and the pipeline runner's status
// proxied from a real status server (503 with a clear body when it is not reachable).
import path from 'node:path';
import { DuckDbSqlEngine, Lakehouse } from '@rt-lakehouse/kernel-helpers';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelinesStatusClient } from '../../../services/src/assistant/pipelinesStatusClient.js';
import { ErrorBody, HealthResponse } from '../../../services/src/assistant/schemas.js';
import { type StatusServer, startStatusServer } from '../../../services/src/pipelines/statusServer.js';
import {
  call,
  type RunningApi,
  type SeededLakehouse,
  seededLakehouse,
  startApi,
  TOKEN,
} from './apiHarness.js';
import { createFakeAssistant } from './fakeAssistant.js';

let lake: SeededLakehouse;
let runner: StatusServer;
let api: RunningApi;
let down: RunningApi;
const runnerStatus = {
  pipelines: [
    { name: 'bronze', state: 'running', lag: 0, totals: { batches: 3, rowsIn: 1_500 } },
    { name: 'silver', state: 'running', lag: 2, totals: { batches: 3, rowsIn: 1_490 } },
  ],
};

beforeAll(async () => {
  lake = await seededLakehouse();
  runner = await startStatusServer({ port: 0, registry: new Registry(), status: () => runnerStatus });
  api = await startApi({
    lake,
    env: { API_TOKEN: TOKEN },
    pipelinesStatus: pipelinesStatusClient(`http://127.0.0.1:${runner.port}`, 2_000),
  });
  // A runner that is not there: a port that was free a moment ago.
  const gone = await startStatusServer({ port: 0, registry: new Registry(), status: () => ({}) });
  await gone.close();
  down = await startApi({
    lake,
    env: { PIPELINES_URL: `http://127.0.0.1:${gone.port}` },
    pipelinesStatus: pipelinesStatusClient(`http://127.0.0.1:${gone.port}`, 2_000),
  });
});

afterAll(async () => {
  await api?.stop();
  await down?.stop();
  await runner?.close();
  await lake?.close();
});

describe('GET /api/pipelines', () => {
  it("proxies the runner's status as it answered", async () => {
    const r = await call(api.base, '/api/pipelines');
    expect(r.status).toBe(200);
    expect(r.body).toEqual(runnerStatus);
  });

  it('answers 503 PIPELINES_UNREACHABLE with the URL and the reason when the runner is not there', async () => {
    const r = await call(down.base, '/api/pipelines');
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('5');
    const error = ErrorBody.parse(r.body).error;
    expect(error.code).toBe('PIPELINES_UNREACHABLE');
    expect(error.message).toMatch(
      /^the pipeline runner at http:\/\/127\.0\.0\.1:\d+ is not reachable: ECONNREFUSED$/,
    );
    expect(error['url']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const line = down.logs.find((l) => l['route'] === '/api/pipelines');
    expect(line).toMatchObject({ level: 'warn', status: 503, errorCode: 'PIPELINES_UNREACHABLE' });
  });
});

describe('GET /health', () => {
  it('is ok when the lakehouse, the engine and the runner answer (and needs no token)', async () => {
    const r = await call(api.base, '/health', { token: null });
    expect(r.status).toBe(200);
    const health = HealthResponse.parse(r.body);
    expect(health.status).toBe('ok');
    expect(health.checks.lakehouse).toEqual({ status: 'ok', dir: lake.lakehouse.dir });
    expect(health.checks.engine.status).toBe('ok');
    expect(health.checks.pipelines.status).toBe('ok');
    expect(health.checks.assistant).toMatchObject({
      status: 'ok',
      embedder: expect.any(String),
      vectorStore: expect.stringContaining('memory'),
      knowledge: { table: expect.any(Number), glossary: expect.any(Number), example: expect.any(Number) },
    });
  });

  it('is degraded, still 200, when the runner is unreachable', async () => {
    const r = await call(down.base, '/health');
    expect(r.status).toBe(200);
    const health = HealthResponse.parse(r.body);
    expect(health.status).toBe('degraded');
    expect(health.checks.pipelines).toEqual({ status: 'unreachable', reason: 'ECONNREFUSED' });
  });

  it('is down (503) when the engine is closed or the lakehouse folder is missing', async () => {
    const missing = await Lakehouse.open({ dir: path.join(lake.dir, 'missing') });
    const engine = await DuckDbSqlEngine.create({ lakehouse: missing });
    await engine.close();
    const broken = await startApi({
      lake: { ...lake, lakehouse: missing },
      engine,
      assistant: createFakeAssistant(engine),
    });
    try {
      const r = await call(broken.base, '/health');
      expect(r.status).toBe(503);
      const health = HealthResponse.parse(r.body);
      expect(health.status).toBe('down');
      expect(health.checks.lakehouse).toMatchObject({
        status: 'down',
        reason: 'the lakehouse folder is not readable (ENOENT)',
      });
      expect(health.checks.engine).toEqual({
        status: 'down',
        reason: 'ENGINE_CLOSED: the SQL engine is closed',
      });
      // Routes that need the engine say so with 503 too.
      const tables = await call(broken.base, '/api/tables');
      expect(tables.status).toBe(503);
      expect(ErrorBody.parse(tables.body).error.code).toBe('ENGINE_CLOSED');
    } finally {
      await broken.stop();
      missing.close();
    }
  });
});

describe('GET /metrics', () => {
  it('counts requests and their latency by method, route pattern and status', async () => {
    await call(api.base, '/api/tables/silver_events/history');
    await call(api.base, '/api/tables/nope/history');
    await call(api.base, '/no/such/route');
    const r = await call(api.base, '/metrics');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(r.text).toMatch(
      /^assistant_http_requests_total\{method="GET",route="\/api\/tables\/:name\/history",status="200"\} 1$/m,
    );
    expect(r.text).toMatch(
      /^assistant_http_requests_total\{method="GET",route="\/api\/tables\/:name\/history",status="404"\} 1$/m,
    );
    expect(r.text).toMatch(
      /^assistant_http_requests_total\{method="GET",route="unmatched",status="404"\} 1$/m,
    );
    expect(r.text).toMatch(
      /^assistant_http_request_duration_seconds_count\{method="GET",route="\/api\/tables\/:name\/history",status="200"\} 1$/m,
    );
    expect(r.text).toMatch(/^assistant_kpi_streams 0$/m);
  });

  it('needs the token when API_TOKEN is set', async () => {
    const r = await call(api.base, '/metrics', { token: null });
    expect(r.status).toBe(401);
  });
});
