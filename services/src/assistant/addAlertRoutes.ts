// GET /api/alerts: the alerts firing now and the recently resolved ones, with the thresholds and
// the signals of the last round. Without a monitor (ALERT_EVAL_INTERVAL_S=0, or an app built
// without one) it answers `enabled: false` and empty lists.
import { z } from 'zod';
import type { AlertService } from './AlertService.js';
import type { RouteRegistry } from './RouteRegistry.js';

export const AlertJson = z
  .strictObject({
    id: z
      .string()
      .describe('conversion_rate_low, processing_lag_high, error_rate_high, service_down:<service>'),
    severity: z.enum(['warning', 'critical']),
    state: z.enum(['firing', 'resolved']),
    message: z.string(),
    value: z.number().nullable().describe('The signal when last judged'),
    threshold: z.number(),
    since: z.iso.datetime().describe('When it started firing'),
    resolvedAt: z.iso.datetime().optional(),
    source: z.string().describe("`rules` for the monitor's rules"),
  })
  .meta({ id: 'Alert' });

export const AlertsResponse = z
  .strictObject({
    enabled: z.boolean().describe('Whether the rules are evaluated'),
    evaluatedAt: z.iso.datetime().nullable().describe('End of the last round'),
    everySeconds: z.number().describe('Seconds between rounds'),
    thresholds: z.strictObject({
      ALERT_CONVERSION_RATE_MIN: z.number(),
      ALERT_PROCESSING_LAG_MAX_S: z.number(),
      ALERT_ERROR_RATE_MAX: z.number(),
      ALERT_SERVICE_DOWNTIME_MAX_S: z.number(),
    }),
    signals: z.strictObject({
      conversionRate: z.number().nullable(),
      processingLagSeconds: z.number().nullable(),
      errorRate: z.number().nullable(),
      downSeconds: z.record(z.string(), z.number()).describe('Unhealthy watched services and for how long'),
    }),
    active: z.array(AlertJson).describe('Firing now, newest first'),
    recent: z.array(AlertJson).describe('Resolved, newest first'),
  })
  .meta({ id: 'Alerts' });

export function addAlertRoutes(
  registry: RouteRegistry,
  alerts: AlertService | undefined,
  thresholds: z.infer<typeof AlertsResponse>['thresholds'],
): void {
  registry.add({
    method: 'get',
    path: '/api/alerts',
    operationId: 'alerts',
    summary: 'Alerts firing now and recently resolved, with the thresholds and the latest signals',
    description:
      'Rules (thresholds from ALERT_*): conversion rate below ALERT_CONVERSION_RATE_MIN, processing lag ' +
      'above ALERT_PROCESSING_LAG_MAX_S, error rate above ALERT_ERROR_RATE_MAX, a watched service down ' +
      'for ALERT_SERVICE_DOWNTIME_MAX_S. Changes are also posted to ALERT_WEBHOOK_URL.',
    tags: ['operations'],
    responses: { 200: { description: 'The alerts', schema: AlertsResponse } },
    handler: () => {
      const snapshot = alerts?.snapshot() ?? {
        enabled: false,
        evaluatedAt: null,
        everySeconds: 0,
        thresholds,
        signals: { conversionRate: null, processingLagSeconds: null, errorRate: null, downSeconds: {} },
        active: [],
        recent: [],
      };
      const json = (a: (typeof snapshot.active)[number]) => ({ ...a, value: a.value ?? null });
      return { ...snapshot, active: snapshot.active.map(json), recent: snapshot.recent.map(json) };
    },
  });
}
