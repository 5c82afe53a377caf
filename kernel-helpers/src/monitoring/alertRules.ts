// Alert rules over a snapshot of the platform's signals: the original design's thresholds
// (conversion rate below 2%, processing lag above 300 s, error rate above 5%, a service down for
// 60 s) as data, evaluated by a pure function.
import { z } from 'zod';

/** What the rules look at, gathered by the monitor each round. Absent signals are not judged. */
export interface AlertSignals {
  /** Purchasing users / viewing users over the recent period (undefined: too little traffic). */
  conversionRate?: number;
  /** Seconds between an event happening and its pipeline catching up (worst pipeline). */
  processingLagSeconds?: number;
  /** Failed / total requests or batches over the recent period. */
  errorRate?: number;
  /** Seconds each unhealthy service has been down, by name (healthy services absent). */
  downSeconds?: Record<string, number>;
}

/** Thresholds, parsed from the environment (ALERT_*). */
export const alertThresholdsSchema = z.object({
  ALERT_CONVERSION_RATE_MIN: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(0.02)
    .describe('Alert when the conversion rate falls below this'),
  ALERT_PROCESSING_LAG_MAX_S: z.coerce
    .number()
    .min(0)
    .default(300)
    .describe('Alert when processing lag exceeds this many seconds'),
  ALERT_ERROR_RATE_MAX: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(0.05)
    .describe('Alert when the error rate exceeds this share'),
  ALERT_SERVICE_DOWNTIME_MAX_S: z.coerce
    .number()
    .min(0)
    .default(60)
    .describe('Alert when a service has been down this long'),
});
export type AlertThresholds = z.infer<typeof alertThresholdsSchema>;

/** One rule's verdict. */
export interface AlertFinding {
  /** Stable id: `conversion_rate_low`, `processing_lag_high`, `error_rate_high`, `service_down:<name>`. */
  id: string;
  severity: 'warning' | 'critical';
  firing: boolean;
  value: number | undefined;
  threshold: number;
  message: string;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Evaluates every rule on `signals`; rules whose signal is absent are left out. */
export function evaluateAlertRules(signals: AlertSignals, t: AlertThresholds): AlertFinding[] {
  const out: AlertFinding[] = [];
  if (signals.conversionRate !== undefined) {
    const v = signals.conversionRate;
    out.push({
      id: 'conversion_rate_low',
      severity: 'warning',
      firing: v < t.ALERT_CONVERSION_RATE_MIN,
      value: v,
      threshold: t.ALERT_CONVERSION_RATE_MIN,
      message: `conversion rate ${pct(v)} ${v < t.ALERT_CONVERSION_RATE_MIN ? 'is below' : 'is at or above'} ${pct(t.ALERT_CONVERSION_RATE_MIN)}`,
    });
  }
  if (signals.processingLagSeconds !== undefined) {
    const v = signals.processingLagSeconds;
    out.push({
      id: 'processing_lag_high',
      severity: 'critical',
      firing: v > t.ALERT_PROCESSING_LAG_MAX_S,
      value: v,
      threshold: t.ALERT_PROCESSING_LAG_MAX_S,
      message: `processing lag ${v.toFixed(0)} s ${v > t.ALERT_PROCESSING_LAG_MAX_S ? 'exceeds' : 'is within'} ${t.ALERT_PROCESSING_LAG_MAX_S} s`,
    });
  }
  if (signals.errorRate !== undefined) {
    const v = signals.errorRate;
    out.push({
      id: 'error_rate_high',
      severity: 'critical',
      firing: v > t.ALERT_ERROR_RATE_MAX,
      value: v,
      threshold: t.ALERT_ERROR_RATE_MAX,
      message: `error rate ${pct(v)} ${v > t.ALERT_ERROR_RATE_MAX ? 'exceeds' : 'is within'} ${pct(t.ALERT_ERROR_RATE_MAX)}`,
    });
  }
  for (const [service, seconds] of Object.entries(signals.downSeconds ?? {})) {
    out.push({
      id: `service_down:${service}`,
      severity: 'critical',
      firing: seconds >= t.ALERT_SERVICE_DOWNTIME_MAX_S,
      value: seconds,
      threshold: t.ALERT_SERVICE_DOWNTIME_MAX_S,
      message: `${service} has been down for ${seconds.toFixed(0)} s`,
    });
  }
  return out;
}
