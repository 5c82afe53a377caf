import http from 'node:http';
import {
  AlertMonitor,
  type AlertSignals,
  alertThresholdsSchema,
  evaluateAlertRules,
} from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';

const defaults = alertThresholdsSchema.parse({});

describe('alert rules', () => {
  it('uses the original thresholds by default', () => {
    expect(defaults).toEqual({
      ALERT_CONVERSION_RATE_MIN: 0.02,
      ALERT_PROCESSING_LAG_MAX_S: 300,
      ALERT_ERROR_RATE_MAX: 0.05,
      ALERT_SERVICE_DOWNTIME_MAX_S: 60,
    });
    expect(
      alertThresholdsSchema.parse({ ALERT_PROCESSING_LAG_MAX_S: '120' }).ALERT_PROCESSING_LAG_MAX_S,
    ).toBe(120);
    expect(alertThresholdsSchema.safeParse({ ALERT_ERROR_RATE_MAX: '7' }).success).toBe(false);
  });

  it('fires each rule past its threshold and not before', () => {
    const quiet = evaluateAlertRules(
      { conversionRate: 0.03, processingLagSeconds: 12, errorRate: 0.01, downSeconds: { scheduler: 20 } },
      defaults,
    );
    expect(quiet.map((f) => [f.id, f.firing])).toEqual([
      ['conversion_rate_low', false],
      ['processing_lag_high', false],
      ['error_rate_high', false],
      ['service_down:scheduler', false],
    ]);
    const loud = evaluateAlertRules(
      { conversionRate: 0.015, processingLagSeconds: 301, errorRate: 0.06, downSeconds: { scheduler: 60 } },
      defaults,
    );
    expect(loud.every((f) => f.firing)).toBe(true);
    expect(loud.map((f) => f.message)).toEqual([
      'conversion rate 1.5% is below 2.0%',
      'processing lag 301 s exceeds 300 s',
      'error rate 6.0% exceeds 5.0%',
      'scheduler has been down for 60 s',
    ]);
  });

  it('judges only the signals it was given', () => {
    expect(evaluateAlertRules({}, defaults)).toEqual([]);
  });
});

describe('AlertMonitor', () => {
  it('tracks firing and resolution, keeps history and posts to the webhook', async () => {
    const posted: unknown[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        posted.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    let signals: AlertSignals = { conversionRate: 0.01, downSeconds: { assistant: 90 } };
    let clock = Date.UTC(2026, 0, 1);
    const monitor = new AlertMonitor({
      thresholds: defaults,
      gather: async () => signals,
      webhookUrl: `http://127.0.0.1:${port}/hook`,
      now: () => clock,
    });
    await monitor.evaluate();
    expect(monitor.alerts().active.map((a) => [a.id, a.state])).toEqual([
      ['conversion_rate_low', 'firing'],
      ['service_down:assistant', 'firing'],
    ]);
    clock += 60_000;
    signals = { conversionRate: 0.04 }; // assistant healthy again: absent from downSeconds
    await monitor.evaluate();
    expect(monitor.alerts().active).toEqual([]);
    expect(monitor.alerts().recent.map((a) => [a.id, a.state, a.resolvedAt])).toEqual([
      ['service_down:assistant', 'resolved', '2026-01-01T00:01:00.000Z'],
      ['conversion_rate_low', 'resolved', '2026-01-01T00:01:00.000Z'],
    ]);
    monitor.report(
      {
        id: 'schedule_failed:daily',
        severity: 'critical',
        firing: true,
        value: undefined,
        threshold: 0,
        message: 'run 7 failed',
      },
      'scheduler',
    );
    expect(monitor.alerts().active).toMatchObject([{ id: 'schedule_failed:daily', source: 'scheduler' }]);
    for (let i = 0; i < 50 && posted.length < 5; i++) await new Promise((r) => setTimeout(r, 20));
    server.close();
    expect(posted).toHaveLength(5);
    expect(posted[0]).toMatchObject({
      type: 'rt-lakehouse.alert',
      alert: { id: 'conversion_rate_low', state: 'firing' },
    });
  });

  it('survives a failing signal source', async () => {
    const monitor = new AlertMonitor({
      thresholds: defaults,
      gather: async () => {
        throw new Error('lakehouse unreadable');
      },
    });
    await expect(monitor.evaluate()).resolves.toBeUndefined();
    expect(monitor.alerts()).toEqual({ active: [], recent: [] });
  });
});
