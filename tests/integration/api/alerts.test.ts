// Alerts in the assistant service: the monitor's rules over real signals (gold_kpis of a seeded
// lakehouse, the runner's status, a watched service's /health), GET /api/alerts, the Prometheus
// metrics, and the webhook, received by a real HTTP server on 127.0.0.1.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { alertThresholdsSchema, ConfigError } from '@rt-lakehouse/kernel-helpers';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertService } from '../../../services/src/assistant/AlertService.js';
import { alertServiceConfigFromEnv } from '../../../services/src/assistant/alertServiceConfig.js';
import { createSignalGatherer, healthProbe } from '../../../services/src/assistant/alertSignals.js';
import { createJsonLogger } from '../../../services/src/jsonLogger.js';
import {
  call,
  eventually,
  type RunningApi,
  type SeededLakehouse,
  seededLakehouse,
  startApi,
} from './apiHarness.js';

interface Received {
  path: string;
  body: { type: string; alert: { id: string; state: string; severity: string; value: number } };
}

/** A webhook receiver: records each POSTed JSON body. */
async function webhookServer(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(text) as Received['body'] });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/alerts`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on (for now). */
async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('alerts in the assistant service', () => {
  let lake: SeededLakehouse;
  let api: RunningApi;
  let hook: Awaited<ReturnType<typeof webhookServer>>;
  let alerts: AlertService;
  let schedulerPort: number;
  let scheduler: http.Server | undefined;
  const now = Date.now();
  const status = {
    pipelines: [
      {
        name: 'bronze',
        state: 'running',
        lag: 1_200,
        startedAt: new Date(now - 3_600_000).toISOString(),
        lastBatch: { at: new Date(now - 600_000).toISOString(), freshnessMs: 2_000 },
        totals: { batches: 0, failures: 0 },
      },
      {
        name: 'gold',
        state: 'running',
        lag: 0,
        lastBatch: { at: new Date(now - 1_000).toISOString(), freshnessMs: 1_500 },
        totals: { batches: 0, failures: 0 },
      },
    ],
  };

  beforeAll(async () => {
    lake = await seededLakehouse();
    hook = await webhookServer();
    schedulerPort = await freePort();
    const registry = new Registry();
    const config = alertServiceConfigFromEnv({
      ALERT_CONVERSION_RATE_MIN: '0.99',
      ALERT_SERVICE_DOWNTIME_MAX_S: '0',
      ALERT_WINDOW_MINUTES: '1440',
      ALERT_WEBHOOK_URL: hook.url,
      SCHEDULER_URL: `http://127.0.0.1:${schedulerPort}`,
    });
    const pipelinesStatus = async () => structuredClone(status);
    alerts = new AlertService({
      thresholds: config,
      everySeconds: 3_600,
      webhookUrl: config.ALERT_WEBHOOK_URL,
      logger: createJsonLogger({ service: 'assistant', write: () => {} }),
      registry,
      now: () => now,
      gather: createSignalGatherer({
        engine: lake.engine,
        lakehouse: lake.lakehouse,
        pipelinesStatus,
        registry,
        windowMinutes: config.ALERT_WINDOW_MINUTES,
        probes: { scheduler: healthProbe(config.SCHEDULER_URL, 500) },
        now: () => now,
      }).gather,
    });
    api = await startApi({ lake, registry, alerts, pipelinesStatus });
  });

  afterAll(async () => {
    await alerts?.stop();
    await api?.stop();
    await hook?.close();
    await new Promise<void>((resolve) => (scheduler ? scheduler.close(() => resolve()) : resolve()));
    await lake?.close();
  });

  it('fires the rules whose signals cross their thresholds, lists them and posts them to the webhook', async () => {
    await alerts.evaluate();
    // The second round sees 25 more batches, 15 of them failed: a 60% error rate.
    status.pipelines[0]!.totals = { batches: 10, failures: 15 };
    await alerts.evaluate();

    const expected = await lake.engine.query(
      'SELECT sum(purchase_users) / sum(view_users) AS rate FROM gold_kpis WHERE window_start >= $1',
      { params: [new Date(now - 1440 * 60_000)] },
    );
    const conversion = Number(expected.rows[0]!['rate']);
    expect(conversion).toBeGreaterThan(0);
    expect(conversion).toBeLessThan(0.99);

    const r = await call<{
      enabled: boolean;
      thresholds: Record<string, number>;
      signals: Record<string, unknown>;
      active: {
        id: string;
        state: string;
        severity: string;
        value: number | null;
        threshold: number;
        source: string;
      }[];
      recent: unknown[];
    }>(api.base, '/api/alerts');
    expect(r.status).toBe(200);
    expect(r.body.enabled).toBe(true);
    expect(r.body.thresholds).toEqual({
      ALERT_CONVERSION_RATE_MIN: 0.99,
      ALERT_PROCESSING_LAG_MAX_S: 300,
      ALERT_ERROR_RATE_MAX: 0.05,
      ALERT_SERVICE_DOWNTIME_MAX_S: 0,
    });
    const byId = Object.fromEntries(r.body.active.map((a) => [a.id, a]));
    expect(Object.keys(byId).sort()).toEqual([
      'conversion_rate_low',
      'error_rate_high',
      'processing_lag_high',
      'service_down:scheduler',
    ]);
    expect(byId['conversion_rate_low']).toMatchObject({
      state: 'firing',
      severity: 'warning',
      threshold: 0.99,
    });
    expect(byId['conversion_rate_low']!.value).toBeCloseTo(conversion, 9);
    // bronze: 2 s freshness + 600 s since its last batch with records waiting.
    expect(byId['processing_lag_high']).toMatchObject({ value: 602, threshold: 300, source: 'rules' });
    expect(byId['error_rate_high']).toMatchObject({ value: 0.6, threshold: 0.05 });
    expect(byId['service_down:scheduler']).toMatchObject({ value: 0, severity: 'critical' });
    expect(r.body.signals).toMatchObject({
      processingLagSeconds: 602,
      errorRate: 0.6,
      downSeconds: { scheduler: 0 },
    });
    expect(r.body.recent).toEqual([]);

    await eventually(() => hook.received.length >= 4);
    expect(hook.received.map((h) => h.path)).toEqual(Array(4).fill('/hooks/alerts'));
    expect(
      hook.received.map((h) => `${h.body.type} ${h.body.alert.id} ${h.body.alert.state}`).sort(),
    ).toEqual([
      'rt-lakehouse.alert conversion_rate_low firing',
      'rt-lakehouse.alert error_rate_high firing',
      'rt-lakehouse.alert processing_lag_high firing',
      'rt-lakehouse.alert service_down:scheduler firing',
    ]);
  });

  it('resolves alerts whose signals recover, keeps them in the history and posts the change', async () => {
    status.pipelines[0]!.lag = 0;
    scheduler = http.createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
    );
    await new Promise<void>((resolve) => scheduler!.listen(schedulerPort, '127.0.0.1', resolve));
    await alerts.evaluate();

    const r = await call<{
      active: { id: string }[];
      recent: { id: string; state: string; resolvedAt: string }[];
    }>(api.base, '/api/alerts');
    expect(r.body.active.map((a) => a.id).sort()).toEqual(['conversion_rate_low', 'error_rate_high']);
    expect(r.body.recent.map((a) => `${a.id} ${a.state}`).sort()).toEqual([
      'processing_lag_high resolved',
      'service_down:scheduler resolved',
    ]);
    expect(r.body.recent[0]!.resolvedAt).toBe(new Date(now).toISOString());
    await eventually(() => hook.received.length >= 6);
    expect(
      hook.received
        .slice(4)
        .map((h) => `${h.body.alert.id} ${h.body.alert.state}`)
        .sort(),
    ).toEqual(['processing_lag_high resolved', 'service_down:scheduler resolved']);
  });

  it('exports the alerts and their signals as Prometheus metrics', async () => {
    const text = (await call<string>(api.base, '/metrics')).text;
    expect(text).toContain('assistant_alert_active{alert="conversion_rate_low",severity="warning"} 1');
    expect(text).toContain('assistant_alert_active{alert="processing_lag_high",severity="critical"} 0');
    expect(text).toContain('assistant_alert_transitions_total{alert="processing_lag_high",state="firing"} 1');
    expect(text).toContain(
      'assistant_alert_transitions_total{alert="processing_lag_high",state="resolved"} 1',
    );
    expect(text).toContain('assistant_alert_evaluations_total{outcome="ok"} 3');
    // Round 3 counted the one earlier GET /api/alerts too: 15 failures out of 26.
    expect(text).toContain(`assistant_alert_signal{signal="error_rate"} ${15 / 26}`);
    expect(text).not.toContain('signal="down_seconds:scheduler"');
  });
});

describe('GET /api/alerts without a monitor', () => {
  let lake: SeededLakehouse;
  let api: RunningApi;
  beforeAll(async () => {
    lake = await seededLakehouse();
    api = await startApi({ lake });
  });
  afterAll(async () => {
    await api?.stop();
    await lake?.close();
  });

  it('answers enabled: false with the default thresholds and no alerts; needs the token', async () => {
    const r = await call(api.base, '/api/alerts');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      enabled: false,
      evaluatedAt: null,
      everySeconds: 0,
      thresholds: alertThresholdsSchema.parse({}),
      signals: { conversionRate: null, processingLagSeconds: null, errorRate: null, downSeconds: {} },
      active: [],
      recent: [],
    });
    const doc = (await call<{ paths: Record<string, unknown> }>(api.base, '/openapi.json', { token: null }))
      .body;
    expect(Object.keys(doc.paths)).toContain('/api/alerts');
  });
});

describe('alertServiceConfigFromEnv', () => {
  it('has the original thresholds and watches the runner and the scheduler by default', () => {
    expect(alertServiceConfigFromEnv({})).toEqual({
      ALERT_CONVERSION_RATE_MIN: 0.02,
      ALERT_PROCESSING_LAG_MAX_S: 300,
      ALERT_ERROR_RATE_MAX: 0.05,
      ALERT_SERVICE_DOWNTIME_MAX_S: 60,
      ALERT_EVAL_INTERVAL_S: 15,
      ALERT_WINDOW_MINUTES: 15,
      ALERT_WATCH_SERVICES: ['pipelines', 'scheduler'],
      SCHEDULER_URL: 'http://127.0.0.1:8020',
    });
    expect(alertServiceConfigFromEnv({ ALERT_WATCH_SERVICES: 'none' }).ALERT_WATCH_SERVICES).toEqual([]);
  });

  it('names the variable that is wrong', () => {
    expect(() => alertServiceConfigFromEnv({ ALERT_WEBHOOK_URL: 'ftp://x' })).toThrow(ConfigError);
    expect(() => alertServiceConfigFromEnv({ ALERT_ERROR_RATE_MAX: '5' })).toThrow(/ALERT_ERROR_RATE_MAX/);
    expect(() => alertServiceConfigFromEnv({ ALERT_WATCH_SERVICES: 'producer' })).toThrow(
      /ALERT_WATCH_SERVICES/,
    );
  });
});
