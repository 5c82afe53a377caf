// Settings of `lakehouse up` / `down` / `status`, parsed once from the environment with zod.
// Everything the stack's children need beyond these (PRODUCER_*, API_TOKEN, OPENAI_*, QDRANT_URL
// ...) passes through to them unchanged.
import path from 'node:path';
import { ConfigError } from '@rt-lakehouse/kernel-helpers';
import { z } from 'zod';

const flag = (fallback: boolean) =>
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
    .default(fallback ? '1' : '0')
    .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));
const port = (fallback: number) => z.coerce.number().int().min(1).max(65_535).default(fallback);

export const STACK_MODES = ['auto', 'docker', 'kafka', 'embedded'] as const;
export type RequestedMode = (typeof STACK_MODES)[number];

export const stackEnvSchema = z.object({
  LAKEHOUSE_DIR: z
    .string()
    .default('./data')
    .describe('Folder of the lakehouse: tables, offsets, stack state, logs'),
  LAKEHOUSE_MODE: z
    .enum(STACK_MODES)
    .default('auto')
    .describe(
      'auto (Docker when an engine answers, else Kafka when there is one, else embedded), docker, kafka, embedded',
    ),
  LAKEHOUSE_LOCAL_KAFKA: flag(true).describe(
    'In auto/kafka mode without KAFKA_BROKERS: start the local broker (scripts/kafka-local.sh) when Java 17+ is present',
  ),
  KAFKA_BROKERS: z.string().optional().describe('An existing Kafka cluster: kafka mode, no local broker'),
  KAFKA_TOPIC: z.string().default('ecommerce_events').describe('The events topic'),
  KAFKA_PORT: port(9092).describe('Port of the local broker that `up` starts'),
  KAFKA_CONTROLLER_PORT: port(9093).describe('Controller port of the local broker that `up` starts'),
  ASSISTANT_PORT: port(8000).describe('Assistant API port'),
  PIPELINES_PORT: port(8010).describe('Pipeline runner status port'),
  SCHEDULER_PORT: port(8020).describe('Scheduler API port'),
  JUPYTER_PORT: port(8888).describe('JupyterLab port'),
  JUPYTER_TOKEN: z.string().optional().describe('JupyterLab token (default: a random one per start)'),
  LAKEHOUSE_JUPYTER: flag(true).describe('Start JupyterLab'),
  LAKEHOUSE_SCHEDULER: flag(true).describe('Start the scheduler'),
  LAKEHOUSE_NO_BROWSER: flag(false).describe(
    'Never open a browser (also when standard output is not a terminal)',
  ),
  LAKEHOUSE_START_TIMEOUT_S: z.coerce.number().min(1).default(180).describe('How long `up` waits for health'),
  LAKEHOUSE_STOP_TIMEOUT_S: z.coerce.number().min(1).default(30).describe('Grace per service before SIGKILL'),
  VENV_DIR: z.string().optional().describe('The Python venv with JupyterLab (default <repo>/.venv)'),
  API_TOKEN: z
    .string()
    .optional()
    .describe('Bearer token of the assistant API (passed to the extension too)'),
});

export interface StackConfig {
  repoRoot: string;
  lakehouseDir: string;
  /** <lakehouseDir>/.lakehouse: state file and logs. */
  stateDir: string;
  mode: RequestedMode;
  localKafka: boolean;
  kafkaBrokers: string | undefined;
  kafkaTopic: string;
  kafkaPort: number;
  kafkaControllerPort: number;
  ports: { assistant: number; pipelines: number; scheduler: number; jupyter: number };
  jupyterToken: string | undefined;
  jupyter: boolean;
  scheduler: boolean;
  noBrowser: boolean;
  startTimeoutMs: number;
  stopTimeoutMs: number;
  venvDir: string;
  apiToken: string | undefined;
}

/** The repository this module belongs to (services/src/stack → three levels up). */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..', '..');

/** The stack's settings; relative paths resolve against `cwd`. @throws ConfigError naming the variable. */
export function stackConfigFromEnv(
  env: Record<string, string | undefined> = process.env,
  cwd: string = process.cwd(),
): StackConfig {
  const blankless = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const parsed = stackEnvSchema.safeParse(blankless);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`invalid setting ${issue.path.join('.')}: ${issue.message}`, {
      cause: parsed.error,
    });
  }
  const e = parsed.data;
  const lakehouseDir = path.resolve(cwd, e.LAKEHOUSE_DIR);
  return {
    repoRoot: REPO_ROOT,
    lakehouseDir,
    stateDir: path.join(lakehouseDir, '.lakehouse'),
    mode: e.LAKEHOUSE_MODE,
    localKafka: e.LAKEHOUSE_LOCAL_KAFKA,
    kafkaBrokers: e.KAFKA_BROKERS?.trim(),
    kafkaTopic: e.KAFKA_TOPIC,
    kafkaPort: e.KAFKA_PORT,
    kafkaControllerPort: e.KAFKA_CONTROLLER_PORT,
    ports: {
      assistant: e.ASSISTANT_PORT,
      pipelines: e.PIPELINES_PORT,
      scheduler: e.SCHEDULER_PORT,
      jupyter: e.JUPYTER_PORT,
    },
    jupyterToken: e.JUPYTER_TOKEN,
    jupyter: e.LAKEHOUSE_JUPYTER,
    scheduler: e.LAKEHOUSE_SCHEDULER,
    noBrowser: e.LAKEHOUSE_NO_BROWSER,
    startTimeoutMs: e.LAKEHOUSE_START_TIMEOUT_S * 1000,
    stopTimeoutMs: e.LAKEHOUSE_STOP_TIMEOUT_S * 1000,
    venvDir: path.resolve(cwd, e.VENV_DIR ?? path.join(REPO_ROOT, '.venv')),
    apiToken: e.API_TOKEN,
  };
}
