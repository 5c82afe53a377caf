// Settings of the alert monitor the assistant service runs: the rule thresholds (ALERT_*, with
// the original design's defaults), how often the rules are evaluated, where alerts are posted,
// and which services' health is watched for the "service down" rule.
import { alertThresholdsSchema, ConfigError } from '@rt-lakehouse/kernel-helpers';
import { z } from 'zod';

const url = z.url({ protocol: /^https?$/ });

export const alertServiceEnvSchema = alertThresholdsSchema.extend({
  ALERT_EVAL_INTERVAL_S: z.coerce
    .number()
    .min(0)
    .max(3_600)
    .default(15)
    .describe('Seconds between two evaluations of the alert rules (0: alerts off)'),
  ALERT_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_440)
    .default(15)
    .describe('Recent period (minutes of gold_kpis) the conversion rate is judged over'),
  ALERT_WEBHOOK_URL: url
    .optional()
    .describe('POSTed {"type":"rt-lakehouse.alert","alert":{...}} when an alert fires or resolves'),
  ALERT_WATCH_SERVICES: z
    .string()
    .default('pipelines,scheduler')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== '' && x !== 'none'),
    )
    .pipe(z.array(z.enum(['pipelines', 'scheduler'])))
    .describe(
      'Services whose /health the service-down rule watches (pipelines, scheduler; none: no service)',
    ),
  SCHEDULER_URL: url
    .default('http://127.0.0.1:8020')
    .describe('The scheduler service (its /health is watched by the service-down rule)'),
});

export type AlertServiceConfig = z.infer<typeof alertServiceEnvSchema>;

/** The alert settings (blank variables count as unset). @throws ConfigError naming the variable. */
export function alertServiceConfigFromEnv(
  env: Record<string, string | undefined> = process.env,
): AlertServiceConfig {
  const blankless = Object.fromEntries(
    Object.entries(env).filter(([name, v]) => name in alertServiceEnvSchema.shape && v?.trim()),
  );
  const parsed = alertServiceEnvSchema.safeParse(blankless);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`invalid setting ${issue.path.join('.')}: ${issue.message}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}
