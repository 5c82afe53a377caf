// The notebook session's settings, read once from the kernel's environment.
import path from 'node:path';
import { z } from 'zod';
import { lakehouseConfigFromEnv } from '../engine/lakehouseConfigFromEnv.js';
import { ConfigError } from '../errors.js';

type Env = Record<string, string | undefined>;

export interface NotebookConfig {
  /** Absolute path of the lakehouse folder (LAKEHOUSE_DIR, default ./data). */
  lakehouseDir: string;
  /** Bootstrap servers (KAFKA_BROKERS): set, the producer and Bronze use Kafka; unset, the embedded stream. */
  kafkaBrokers: string | undefined;
  /** The events topic (KAFKA_TOPIC, default ecommerce_events). */
  kafkaTopic: string;
  /** The pipeline runner service's status endpoint (PIPELINES_URL, default http://127.0.0.1:8010). */
  pipelinesUrl: string;
  /** The scheduler service (SCHEDULER_URL, default http://127.0.0.1:8020). */
  schedulerUrl: string;
  /** The assistant service `ask` goes through (ASSISTANT_URL); unset: the embedded planner answers. */
  assistantUrl: string | undefined;
  /** Rows a query returns at most unless the call says otherwise (NOTEBOOK_MAX_ROWS, default 10,000). */
  maxRows: number;
  /** Bearer token for the services when they require one (API_TOKEN); never printed. */
  apiToken: string | undefined;
  /**
   * Where the reading helpers append the table versions they read (RTLAKEHOUSE_TABLE_READS_FILE,
   * set by the scheduler for its runs; unset: not recorded).
   */
  tableReadsFile: string | undefined;
}

const url = z.url({ protocol: /^https?$/ });
const schema = z.object({
  KAFKA_BROKERS: z.string().optional(),
  KAFKA_TOPIC: z.string().default('ecommerce_events'),
  PIPELINES_URL: url.default('http://127.0.0.1:8010'),
  SCHEDULER_URL: url.default('http://127.0.0.1:8020'),
  ASSISTANT_URL: url.optional(),
  NOTEBOOK_MAX_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  API_TOKEN: z.string().optional(),
  RTLAKEHOUSE_TABLE_READS_FILE: z.string().optional(),
});

/**
 * Reads LAKEHOUSE_DIR, KAFKA_BROKERS, KAFKA_TOPIC, PIPELINES_URL, SCHEDULER_URL, ASSISTANT_URL,
 * NOTEBOOK_MAX_ROWS, API_TOKEN and RTLAKEHOUSE_TABLE_READS_FILE (blank counts as unset). @throws ConfigError naming the bad variable.
 */
export function notebookConfigFromEnv(env: Env = process.env, cwd: string = process.cwd()): NotebookConfig {
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = schema.safeParse(set);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`invalid notebook setting ${issue.path.join('.')}: ${issue.message}`, {
      cause: parsed.error,
    });
  }
  const c = parsed.data;
  return {
    lakehouseDir: lakehouseConfigFromEnv(env, cwd).dir,
    kafkaBrokers: c.KAFKA_BROKERS?.trim(),
    kafkaTopic: c.KAFKA_TOPIC.trim(),
    pipelinesUrl: c.PIPELINES_URL.replace(/\/+$/, ''),
    schedulerUrl: c.SCHEDULER_URL.replace(/\/+$/, ''),
    assistantUrl: c.ASSISTANT_URL?.replace(/\/+$/, ''),
    maxRows: c.NOTEBOOK_MAX_ROWS,
    apiToken: c.API_TOKEN?.trim(),
    tableReadsFile: c.RTLAKEHOUSE_TABLE_READS_FILE
      ? path.resolve(cwd, c.RTLAKEHOUSE_TABLE_READS_FILE.trim())
      : undefined,
  };
}
