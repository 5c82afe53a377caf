// What `lakehouse up` starts in each mode: one spec per child process, in start order. Pure:
// builds commands, environments and health URLs from the settings.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PIPELINE_RUNNER_NODE_FLAGS } from '../pipelines/runnerNodeFlags.js';
import type { StackMode } from './chooseMode.js';
import type { StackConfig } from './stackConfig.js';

export interface ServiceSpec {
  name: 'producer' | 'pipelines' | 'embedded' | 'assistant' | 'scheduler' | 'jupyter';
  command: string;
  args: string[];
  env: Record<string, string | undefined>;
  /** Answers 200 when the service is up (none: alive is healthy). */
  healthUrl?: string;
  /** What a person opens. */
  url?: string;
  /** A failure does not stop the stack (the scheduler, JupyterLab). */
  optional: boolean;
  /** Exit code 0 means done, not crashed (the producer after PRODUCER_MAX_EVENTS). */
  mayFinish: boolean;
  /** Stop order: lower first. The producer stops before the pipelines so they see its last sends. */
  stopPhase: number;
  commandMarker: string;
}

export interface SpecContext {
  config: StackConfig;
  mode: Exclude<StackMode, 'docker'>;
  /** Kafka bootstrap servers in kafka mode. */
  brokers: string | undefined;
  jupyterToken: string;
  openBrowser: boolean;
  /** The environment the children inherit (default process.env). */
  baseEnv?: Record<string, string | undefined>;
}

const tsEntry = (config: StackConfig, file: string, nodeFlags: readonly string[] = []) => ({
  command: process.execPath,
  args: [...nodeFlags, '--conditions=source', '--import', 'tsx', path.join(config.repoRoot, file)],
  commandMarker: path.join(config.repoRoot, file),
});

/** The environment every child shares: where the lakehouse is and where the other services are. */
export function sharedEnv(ctx: SpecContext): Record<string, string | undefined> {
  const { config } = ctx;
  const env: Record<string, string | undefined> = {
    ...(ctx.baseEnv ?? process.env),
    LAKEHOUSE_DIR: config.lakehouseDir,
    KAFKA_TOPIC: config.kafkaTopic,
    PIPELINES_URL: `http://127.0.0.1:${config.ports.pipelines}`,
    SCHEDULER_URL: `http://127.0.0.1:${config.ports.scheduler}`,
    ASSISTANT_URL: `http://127.0.0.1:${config.ports.assistant}`,
    RTL_ASSISTANT_URL: `http://127.0.0.1:${config.ports.assistant}`,
    NOTEBOOKS_DIR: path.join(config.repoRoot, 'notebooks'),
    // Children are not terminals: keep their output free of colour codes in the log files.
    FORCE_COLOR: '0',
  };
  // Embedded: no broker anywhere, so notebooks' producer and pipelines use the in-process source too.
  if (ctx.mode === 'kafka') env['KAFKA_BROKERS'] = ctx.brokers;
  else delete env['KAFKA_BROKERS'];
  if (config.apiToken && !env['RTL_API_TOKEN']) env['RTL_API_TOKEN'] = config.apiToken;
  return env;
}

export function serviceSpecs(ctx: SpecContext): ServiceSpec[] {
  const { config } = ctx;
  const env = sharedEnv(ctx);
  const pipelinesHealth = `http://127.0.0.1:${config.ports.pipelines}/health`;
  const specs: ServiceSpec[] = [];
  if (ctx.mode === 'kafka') {
    specs.push({
      name: 'pipelines',
      ...tsEntry(config, 'services/src/pipelines/main.ts', PIPELINE_RUNNER_NODE_FLAGS),
      env: { ...env, PIPELINES_PORT: String(config.ports.pipelines) },
      healthUrl: pipelinesHealth,
      url: `http://127.0.0.1:${config.ports.pipelines}/status`,
      optional: false,
      mayFinish: false,
      stopPhase: 1,
    });
    specs.push({
      name: 'producer',
      ...tsEntry(config, 'services/src/producer/main.ts'),
      env,
      optional: false,
      mayFinish: true,
      stopPhase: 0,
    });
  } else {
    specs.push({
      name: 'embedded',
      ...tsEntry(config, 'services/src/stack/embeddedMain.ts', PIPELINE_RUNNER_NODE_FLAGS),
      env: { ...env, PIPELINES_PORT: String(config.ports.pipelines) },
      healthUrl: pipelinesHealth,
      url: `http://127.0.0.1:${config.ports.pipelines}/status`,
      optional: false,
      mayFinish: false,
      stopPhase: 1,
    });
  }
  specs.push({
    name: 'assistant',
    ...tsEntry(config, 'services/src/assistant/main.ts'),
    env: { ...env, ASSISTANT_PORT: String(config.ports.assistant) },
    healthUrl: `http://127.0.0.1:${config.ports.assistant}/health`,
    url: `http://127.0.0.1:${config.ports.assistant}/docs`,
    optional: false,
    mayFinish: false,
    stopPhase: 2,
  });
  if (config.scheduler && existsSync(path.join(config.repoRoot, 'services/src/scheduler/main.ts'))) {
    specs.push({
      name: 'scheduler',
      ...tsEntry(config, 'services/src/scheduler/main.ts'),
      env: {
        ...env,
        SCHEDULER_PORT: String(config.ports.scheduler),
        SCHEDULER_PYTHON: path.join(config.venvDir, 'bin', 'python'),
      },
      healthUrl: `http://127.0.0.1:${config.ports.scheduler}/health`,
      url: `http://127.0.0.1:${config.ports.scheduler}`,
      optional: true,
      mayFinish: false,
      stopPhase: 2,
    });
  }
  const jupyter = path.join(config.venvDir, 'bin', 'jupyter');
  if (config.jupyter && existsSync(jupyter)) {
    const base = `http://127.0.0.1:${config.ports.jupyter}`;
    specs.push({
      name: 'jupyter',
      command: jupyter,
      args: [
        'lab',
        `--ServerApp.ip=127.0.0.1`,
        `--ServerApp.port=${config.ports.jupyter}`,
        '--ServerApp.port_retries=0',
        `--ServerApp.root_dir=${path.join(config.repoRoot, 'notebooks')}`,
        '--ServerApp.default_url=/lab/tree/01_quick_start.ipynb',
        ...(ctx.openBrowser ? [] : ['--no-browser']),
        // Containers and CI run as root; JupyterLab refuses that unless told.
        ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
      ],
      env: {
        ...env,
        JUPYTER_TOKEN: ctx.jupyterToken,
        // The kernels are started from here: tslab and the library come from this checkout.
        PATH: `${path.join(config.venvDir, 'bin')}${path.delimiter}${env['PATH'] ?? ''}`,
      },
      healthUrl: `${base}/api`,
      url: `${base}/lab/tree/01_quick_start.ipynb?token=${ctx.jupyterToken}`,
      optional: true,
      mayFinish: false,
      stopPhase: 2,
      commandMarker: 'jupyter',
    });
  }
  return specs;
}
