// `lakehouse up`: chooses the mode, starts the local broker when that mode needs it, starts every
// service as a supervised child, waits for their health, prints the URLs and a health summary,
// keeps the state file current, and on SIGINT/SIGTERM stops everything in order (producer first,
// so the pipelines commit its last sends; the broker last). Optional parts (scheduler,
// JupyterLab) never hold up the start.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { chooseMode, type ModeDecision } from './chooseMode.js';
import { kafkaLocal, type LocalBrokerSettings } from './localBroker.js';
import { dockerAvailable, javaMajorVersion, portOpen } from './probeEnvironment.js';
import { SupervisedProcess, signalGroup } from './SupervisedProcess.js';
import { type ServiceSpec, serviceSpecs } from './serviceSpecs.js';
import type { StackConfig } from './stackConfig.js';
import {
  processAlive,
  readStackState,
  removeStackState,
  type StackState,
  writeStackState,
} from './stackState.js';
import { stopStack } from './stopStack.js';
import { waitForHealth } from './waitForHealth.js';

/** How long optional services may take after the required ones before the summary is printed. */
const OPTIONAL_GRACE_MS = 60_000;

export interface RunStackOptions {
  config: StackConfig;
  /** Lines for the person at the terminal. */
  print?: (line: string) => void;
  /** Standard output is a terminal (a browser may open). */
  interactive?: boolean;
}

/** Runs the stack until SIGINT/SIGTERM; resolves with the exit code. */
export async function runStack(options: RunStackOptions): Promise<number> {
  const { config } = options;
  const print = options.print ?? ((line: string) => console.log(line));
  mkdirSync(config.stateDir, { recursive: true });

  const previous = await readStackState(config.stateDir);
  if (previous && processAlive(previous.pid) && previous.pid !== process.pid) {
    print(
      `lakehouse up: the stack already runs (pid ${previous.pid}, mode ${previous.mode}, started ${previous.startedAt}).`,
    );
    print('  `lakehouse status` shows it, `lakehouse down` stops it.');
    return 1;
  }
  if (previous) {
    print('lakehouse up: cleaning up after a stack that did not stop cleanly');
    await stopStack({ config, print: (line) => print(`  ${line}`) });
  }

  let decision: ModeDecision;
  try {
    const needJava =
      !config.kafkaBrokers && config.localKafka && config.mode !== 'embedded' && config.mode !== 'docker';
    decision = chooseMode({
      requested: config.mode,
      dockerAvailable:
        config.mode === 'auto' || config.mode === 'docker' ? dockerAvailable(config.repoRoot) : false,
      kafkaBrokers: config.kafkaBrokers,
      javaAvailable: needJava ? (javaMajorVersion() ?? 0) >= 17 : false,
      localKafkaAllowed: config.localKafka,
    });
  } catch (error) {
    print(`lakehouse up: ${(error as Error).message}`);
    return 2;
  }
  if (decision.mode === 'docker') return runDocker(config, decision, print);

  let brokers = config.kafkaBrokers;
  let localBroker: LocalBrokerSettings | undefined;
  if (decision.startLocalBroker) {
    const settings: LocalBrokerSettings = {
      repoRoot: config.repoRoot,
      port: config.kafkaPort,
      controllerPort: config.kafkaControllerPort,
      dataDir: path.join(config.lakehouseDir, 'kafka'),
    };
    print(`Starting the local Kafka broker on 127.0.0.1:${settings.port} (data in ${settings.dataDir}) ...`);
    const running = (await kafkaLocal(settings, 'status')).code === 0;
    const started = running ? { code: 0, output: 'already running' } : await kafkaLocal(settings, 'start');
    if (started.code === 0) {
      brokers = `127.0.0.1:${settings.port}`;
      if (!running) localBroker = settings;
    } else {
      print(
        `  the local broker did not start, so the stack runs embedded:\n    ${started.output.split('\n').slice(-3).join('\n    ')}`,
      );
      decision = {
        mode: 'embedded',
        startLocalBroker: false,
        reason: 'the local Kafka broker did not start',
      };
    }
  }
  const mode = decision.mode as 'kafka' | 'embedded';
  print(`Mode: ${mode} — ${decision.reason}`);

  const jupyterToken = config.jupyterToken ?? randomBytes(24).toString('hex');
  const specs = serviceSpecs({
    config,
    mode,
    brokers,
    jupyterToken,
    openBrowser: !config.noBrowser && options.interactive === true,
  });
  const runnable: ServiceSpec[] = [];
  for (const spec of specs) {
    const port = spec.healthUrl ? Number(new URL(spec.healthUrl).port) : undefined;
    if (port !== undefined && (await portOpen(port))) {
      const variable =
        { jupyter: 'JUPYTER_PORT', scheduler: 'SCHEDULER_PORT', assistant: 'ASSISTANT_PORT' }[
          spec.name as string
        ] ?? 'PIPELINES_PORT';
      const message = `port ${port} on 127.0.0.1 is in use by another program (set ${variable})`;
      if (!spec.optional) {
        print(`lakehouse up: ${spec.name}: ${message}`);
        if (localBroker) await kafkaLocal(localBroker, 'stop');
        return 1;
      }
      print(`  ${spec.name} is left out: ${message}`);
      continue;
    }
    runnable.push(spec);
  }

  const startedAt = new Date().toISOString();
  const services: SupervisedProcess[] = [];
  let writing = Promise.resolve();
  let finalState = false;
  const saveState = () => {
    if (finalState) return;
    const state: StackState = {
      version: 1,
      pid: process.pid,
      startedAt,
      mode,
      modeReason: decision.reason,
      repoRoot: config.repoRoot,
      lakehouseDir: config.lakehouseDir,
      ...(mode === 'kafka' && brokers
        ? {
            kafka: {
              brokers,
              topic: config.kafkaTopic,
              ...(localBroker
                ? {
                    local: {
                      port: localBroker.port,
                      controllerPort: localBroker.controllerPort,
                      dataDir: localBroker.dataDir,
                    },
                  }
                : {}),
            },
          }
        : {}),
      services: services.map((s) => ({ ...s.state })),
    };
    writing = writing.then(() => writeStackState(config.stateDir, state)).catch(() => {});
  };

  let stopRequested: ((signal: string) => void) | undefined;
  const stopSignal = new Promise<string>((resolve) => {
    stopRequested = resolve;
  });
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals === 1) stopRequested?.(signal);
    else if (signals === 2)
      print('Still stopping (services are committing their last batches); press Ctrl-C again to kill them.');
    else {
      for (const s of services) if (s.pid) signalGroup(s.pid, 'SIGKILL');
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  const logDir = path.join(config.stateDir, 'logs');
  for (const spec of runnable) {
    const service = new SupervisedProcess(
      spec,
      path.join(logDir, `${spec.name}.log`),
      config.repoRoot,
      (s) => {
        if (s.state.state === 'restarting')
          print(`  ${s.spec.name} exited (${s.state.lastExit}); restarting`);
        saveState();
      },
    );
    services.push(service);
  }
  for (const service of services) service.start();
  saveState();

  print(`Starting ${services.map((s) => s.spec.name).join(', ')} (logs in ${logDir}) ...`);
  const deadline = Date.now() + config.startTimeoutMs;
  let stopEarly = false;
  void stopSignal.then(() => {
    stopEarly = true;
  });
  const healthy = async (s: SupervisedProcess, until: number) => {
    const ok = s.spec.healthUrl
      ? await waitForHealth(s.spec.healthUrl, until, () => stopEarly)
      : await new Promise<boolean>((resolve) =>
          setTimeout(() => resolve(s.alive || s.state.state === 'finished'), 2_000),
        );
    if (ok) s.markRunning();
    return ok;
  };
  // The required services get the whole start timeout; optional ones (scheduler, JupyterLab)
  // only a short while after them, then they are reported later when they come up.
  const required = await Promise.all(services.map((s) => (s.spec.optional ? true : healthy(s, deadline))));
  const optionalDeadline = Math.min(deadline, Date.now() + OPTIONAL_GRACE_MS);
  const health = await Promise.all(
    services.map(async (s, i) => (s.spec.optional ? healthy(s, optionalDeadline) : required[i]!)),
  );
  services.forEach((s, i) => {
    if (health[i] || !s.spec.optional || !s.spec.healthUrl) return;
    void healthy(s, Date.now() + config.startTimeoutMs).then((ok) => {
      if (ok && !stopEarly) print(`  ${s.spec.name.padEnd(10)} ok    ${s.spec.url ?? ''}  (ready now)`);
    });
  });

  let code = 0;
  if (!stopEarly) {
    const failedRequired = services.filter((s, i) => !health[i] && !s.spec.optional);
    print('');
    print(`RT-Lakehouse (${mode}) — lakehouse ${config.lakehouseDir}`);
    if (brokers && mode === 'kafka')
      print(
        `  ${'kafka'.padEnd(10)} ok    ${brokers} topic ${config.kafkaTopic}${localBroker ? ' (local broker)' : ''}`,
      );
    services.forEach((s, i) => {
      const status = health[i] ? 'ok' : s.spec.optional ? 'wait' : 'FAILED';
      print(
        `  ${s.spec.name.padEnd(10)} ${status.padEnd(5)} ${s.spec.url ?? ''}${s.pid ? `  (pid ${s.pid})` : ''}`,
      );
    });
    for (const [i, s] of services.entries())
      if (!health[i]) print(`    ${s.spec.name}: not healthy yet; see ${s.logFile}`);
    const runner = services.find((s) => s.spec.name === 'pipelines' || s.spec.name === 'embedded');
    if (runner?.spec.url) print(await pipelinesLine(runner.spec.url));
    if (failedRequired.length > 0) {
      print(`lakehouse up: ${failedRequired.map((s) => s.spec.name).join(', ')} did not start; stopping.`);
      code = 1;
      stopRequested?.('start-up failure');
    } else {
      const jupyter = services.find((s) => s.spec.name === 'jupyter');
      print('');
      if (jupyter) print(`Open ${jupyter.spec.url}`);
      print(
        'Stop: Ctrl-C here, or `npm run -s lakehouse -- down` from another terminal. Status: `npm run -s lakehouse -- status`.',
      );
    }
  }

  const signal = await stopSignal;
  print(`Stopping (${signal}) ...`);
  for (const phase of [...new Set(services.map((s) => s.spec.stopPhase))].sort((a, b) => a - b)) {
    await Promise.all(
      services.filter((s) => s.spec.stopPhase === phase).map((s) => s.stop(config.stopTimeoutMs)),
    );
  }
  for (const s of services)
    print(`  ${s.spec.name.padEnd(10)} ${s.state.state} (${s.state.lastExit ?? 'not running'})`);
  if (localBroker) {
    const stopped = await kafkaLocal(localBroker, 'stop');
    print(`  ${'kafka'.padEnd(10)} ${stopped.code === 0 ? 'stopped' : `stop failed: ${stopped.output}`}`);
  }
  finalState = true;
  await writing;
  await removeStackState(config.stateDir);
  print('Stopped.');
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.off('SIGHUP', onSignal);
  return code;
}

const PipelinesStatus = z.object({
  pipelines: z.array(z.object({ name: z.string(), state: z.string(), lag: z.number().optional() })),
});

/** One line on the pipelines from the runner's /status: each one's state and lag. */
async function pipelinesLine(url: string): Promise<string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    const { pipelines } = PipelinesStatus.parse(await response.json());
    return `  pipelines: ${pipelines.map((p) => `${p.name} ${p.state}${p.lag === undefined ? '' : ` (lag ${p.lag})`}`).join(', ')}`;
  } catch (error) {
    return `  pipelines: no status (${(error as Error).message})`;
  }
}

/** Docker mode: `docker compose up -d`, then `docker compose stop` on SIGINT/SIGTERM. */
async function runDocker(
  config: StackConfig,
  decision: ModeDecision,
  print: (line: string) => void,
): Promise<number> {
  print(`Mode: docker — ${decision.reason}`);
  const compose = (args: string[]) =>
    new Promise<number | null>((resolve) => {
      const child = spawn('docker', ['compose', '-f', path.join(config.repoRoot, 'compose.yml'), ...args], {
        cwd: config.repoRoot,
        stdio: 'inherit',
      });
      child.on('error', () => resolve(null));
      child.on('close', resolve);
    });
  if ((await compose(['up', '-d'])) !== 0) return 1;
  await writeStackState(config.stateDir, {
    version: 1,
    pid: process.pid,
    startedAt: new Date().toISOString(),
    mode: 'docker',
    modeReason: decision.reason,
    repoRoot: config.repoRoot,
    lakehouseDir: config.lakehouseDir,
    services: [],
  });
  await compose(['ps']);
  print(
    `JupyterLab http://127.0.0.1:${config.ports.jupyter}  ·  assistant http://127.0.0.1:${config.ports.assistant}/docs`,
  );
  print('Stop: Ctrl-C here, or `npm run -s lakehouse -- down`.');
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  print(`Stopping (${signal}) ...`);
  const code = await compose(['stop']);
  await removeStackState(config.stateDir);
  return code === 0 ? 0 : 1;
}
