// Settings of the pipeline runner service, parsed once from the environment.
import { ConfigError } from '@rt-lakehouse/kernel-helpers';
import { z } from 'zod';
import { DEFAULT_CLEANUP_EVERY_MS } from './tableMaintenance.js';

const list = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

export const pipelineServiceEnvSchema = z.object({
  LAKEHOUSE_DIR: z
    .string()
    .default('./data')
    .describe('Folder of the lakehouse; Delta tables live in <dir>/delta/<name>'),
  KAFKA_BROKERS: z
    .string()
    .optional()
    .describe('Kafka bootstrap servers; without it the service has no Kafka source'),
  KAFKA_TOPIC: z.string().default('ecommerce_events').describe('Topic Bronze reads'),
  PIPELINES: list
    .default(['bronze', 'silver', 'gold'])
    .describe('Which medallion pipelines this runner runs'),
  PIPELINE_GROUP_ID: z
    .string()
    .default('rt-lakehouse-bronze')
    .describe('Consumer group shared by Bronze runners'),
  PIPELINE_SESSION_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(6_000)
    .default(30_000)
    .describe("How long the group waits before moving a silent runner's partitions"),
  PIPELINE_MAX_BATCH_RECORDS: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Most records per batch (default: each pipeline its own)'),
  PIPELINES_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(8010)
    .describe('HTTP port for /health, /status, /metrics (0: none)'),
  PIPELINES_HOST: z
    .string()
    .default('127.0.0.1')
    .describe('Interface the status server listens on (0.0.0.0 in containers)'),
  COMPACT_EVERY_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(60_000)
    .describe('Small-file compaction period (0: off)'),
  CLEANUP_EVERY_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(DEFAULT_CLEANUP_EVERY_MS)
    .describe('Period of the cleanup of expired log files and VACUUM, run by the compactor (0: off)'),
});

export type PipelineServiceConfig = z.infer<typeof pipelineServiceEnvSchema>;

/** The runner's settings. Throws ConfigError naming the variable that is wrong. */
export function pipelineServiceConfigFromEnv(
  env: Record<string, string | undefined> = process.env,
): PipelineServiceConfig {
  const blankless = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const parsed = pipelineServiceEnvSchema.safeParse(blankless);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`invalid setting ${issue.path.join('.')}: ${issue.message}`, {
      cause: parsed.error,
    });
  }
  const unknown = parsed.data.PIPELINES.filter((p) => !['bronze', 'silver', 'gold'].includes(p));
  if (unknown.length > 0)
    throw new ConfigError(
      `invalid setting PIPELINES: unknown pipeline ${unknown.join(', ')} (use bronze, silver, gold)`,
    );
  return parsed.data;
}
