// The real services behind the extension, for the end-to-end tests: a lakehouse seeded through
// the medallion code (`lakehouse seed`), the assistant API on it, and for live data a Kafka
// broker (KAFKA_BROKERS, else one started by scripts/kafka-local.sh), the pipeline runner and
// the producer.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';
import { freePort, type Started, startProcess, waitForHttp } from './processes.js';

const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

function tsxArgs(script: string, ...args: string[]): string[] {
  return ['--conditions=source', join(REPO_ROOT, script), ...args];
}

/** A temporary folder for one test file's lakehouse and logs. */
export function makeWorkDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `rtl-e2e-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Seeds a lakehouse with synthetic history through the medallion pipelines. */
export function seedLakehouse(dir: string, events = 20_000, days = 2): void {
  execFileSync(
    TSX,
    tsxArgs(
      'services/src/cli/lakehouse.ts',
      '--dir',
      dir,
      'seed',
      '--events',
      String(events),
      '--days',
      String(days),
    ),
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 300_000,
    },
  );
}

export interface Service {
  url: string;
  port: number;
  log(): string;
  stop(): Promise<void>;
  isRunning(): boolean;
}

function serviceOf(started: Started, url: string, port: number): Service {
  return {
    url,
    port,
    log: () => started.log(),
    stop: () => started.stop(),
    isRunning: () => started.process.exitCode === null && started.process.signalCode === null,
  };
}

/** Starts the assistant API (services/src/assistant/main.ts) on a lakehouse; resolves when /health answers. */
export async function startAssistant(options: {
  lakehouseDir: string;
  logDir: string;
  token: string;
  port?: number;
  pipelinesUrl?: string;
  /** More environment for the service (e.g. OPENAI_BASE_URL for the LLM path, CORS_ORIGINS). */
  env?: Record<string, string>;
}): Promise<Service> {
  const port = options.port ?? (await freePort());
  const started = startProcess(TSX, tsxArgs('services/src/assistant/main.ts'), {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      LAKEHOUSE_DIR: options.lakehouseDir,
      ASSISTANT_PORT: String(port),
      ASSISTANT_HOST: '127.0.0.1',
      API_TOKEN: options.token,
      PIPELINES_URL: options.pipelinesUrl ?? `http://127.0.0.1:${await freePort()}`,
      KPI_POLL_MS: '500',
      SSE_HEARTBEAT_MS: '2000',
      SHUTDOWN_GRACE_MS: '2000',
      RATE_LIMIT_PER_MIN: '0',
      OPENAI_API_KEY: '',
      ...options.env,
    },
    logFile: join(options.logDir, `assistant-${port}.log`),
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/health`, {
      timeoutMs: 120_000,
      ok: (s) => s === 200 || s === 503,
      alive: () => started.process.exitCode === null,
    });
  } catch (error) {
    await started.stop();
    throw new Error(
      `the assistant did not start: ${(error as Error).message}\n${started.log().slice(-3000)}`,
    );
  }
  return serviceOf(started, url, port);
}

/** A Kafka broker: the one in KAFKA_BROKERS, else a fresh one from scripts/kafka-local.sh. */
export async function ensureKafka(logDir: string): Promise<{ brokers: string; stop(): Promise<void> }> {
  const given = process.env['KAFKA_BROKERS'];
  if (given) return { brokers: given, stop: async () => {} };
  const port = await freePort();
  const controller = await freePort();
  const dataDir = join(logDir, 'kafka');
  const env = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controller),
    KAFKA_DATA_DIR: dataDir,
  };
  execFileSync('bash', [join(REPO_ROOT, 'scripts', 'kafka-local.sh'), 'start'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 600_000,
  });
  return {
    brokers: `127.0.0.1:${port}`,
    stop: async () => {
      execFileSync('bash', [join(REPO_ROOT, 'scripts', 'kafka-local.sh'), 'stop'], {
        cwd: REPO_ROOT,
        env,
        stdio: 'ignore',
        timeout: 120_000,
      });
    },
  };
}

/** Starts the pipeline runner (bronze, silver, gold) on a topic; resolves when its /health answers. */
export async function startPipelines(options: {
  lakehouseDir: string;
  logDir: string;
  brokers: string;
  topic: string;
}): Promise<Service> {
  const port = await freePort();
  const started = startProcess(TSX, tsxArgs('services/src/pipelines/main.ts'), {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      LAKEHOUSE_DIR: options.lakehouseDir,
      KAFKA_BROKERS: options.brokers,
      KAFKA_TOPIC: options.topic,
      PIPELINE_GROUP_ID: `e2e-${options.topic}`,
      PIPELINES_PORT: String(port),
    },
    logFile: join(options.logDir, 'pipelines.log'),
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/health`, {
      timeoutMs: 120_000,
      ok: (s) => s === 200,
      alive: () => started.process.exitCode === null,
    });
  } catch (error) {
    await started.stop();
    throw new Error(
      `the pipeline runner did not start: ${(error as Error).message}\n${started.log().slice(-3000)}`,
    );
  }
  return serviceOf(started, url, port);
}

/** Starts the producer at `rate` events per second on a topic. */
export function startProducer(options: {
  logDir: string;
  brokers: string;
  topic: string;
  rate: number;
}): Service {
  const started = startProcess(TSX, tsxArgs('services/src/producer/main.ts'), {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      KAFKA_BROKERS: options.brokers,
      KAFKA_TOPIC: options.topic,
      PRODUCER_RATE: String(options.rate),
    },
    logFile: join(options.logDir, 'producer.log'),
  });
  return serviceOf(started, '', 0);
}

/**
 * Starts the scheduler service (services/src/scheduler/main.ts) over a notebooks folder (for
 * the extension: JupyterLab's root) and a lakehouse; resolves when its /health answers.
 */
export async function startSchedulerService(options: {
  notebooksDir: string;
  lakehouseDir: string;
  logDir: string;
  token?: string;
  port?: number;
}): Promise<Service> {
  const port = options.port ?? (await freePort());
  const started = startProcess(TSX, tsxArgs('services/src/scheduler/main.ts'), {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      LAKEHOUSE_DIR: options.lakehouseDir,
      NOTEBOOKS_DIR: options.notebooksDir,
      SCHEDULER_PORT: String(port),
      SCHEDULER_HOST: '127.0.0.1',
      API_TOKEN: options.token ?? '',
    },
    logFile: join(options.logDir, `scheduler-${port}.log`),
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/health`, {
      timeoutMs: 120_000,
      ok: (s) => s === 200,
      alive: () => started.process.exitCode === null,
    });
  } catch (error) {
    await started.stop();
    throw new Error(
      `the scheduler did not start: ${(error as Error).message}\n${started.log().slice(-3000)}`,
    );
  }
  return serviceOf(started, url, port);
}
