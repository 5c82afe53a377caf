// `lakehouse down`: asks the `lakehouse up` process named in the state file to stop (SIGTERM:
// the same ordered stop as Ctrl-C) and waits for it; if that process is gone (killed), stops
// the services it left behind and the local broker it had started, by their recorded pids.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { kafkaLocal } from './localBroker.js';
import { signalGroup } from './SupervisedProcess.js';
import type { StackConfig } from './stackConfig.js';
import { processAlive, processMatches, readStackState, removeStackState } from './stackState.js';

export interface StopStackOptions {
  config: StackConfig;
  print?: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitGone(alive: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (alive()) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

/** Resolves with the exit code: 0 stopped (or nothing ran), 1 something would not stop. */
export async function stopStack(options: StopStackOptions): Promise<number> {
  const { config } = options;
  const print = options.print ?? ((line: string) => console.log(line));
  const state = await readStackState(config.stateDir);
  if (!state) {
    print(`lakehouse down: no stack runs on ${config.lakehouseDir}`);
    return 0;
  }
  if (state.mode === 'docker') {
    spawnSync('docker', ['compose', '-f', path.join(state.repoRoot, 'compose.yml'), 'down'], {
      stdio: 'inherit',
    });
  }
  if (state.pid !== process.pid && processAlive(state.pid)) {
    print(`stopping lakehouse up (pid ${state.pid}) ...`);
    process.kill(state.pid, 'SIGTERM');
    // Its own stop: each service's grace period in phases, then the broker.
    if (await waitGone(() => processAlive(state.pid), config.stopTimeoutMs * 3 + 60_000)) {
      print('stopped');
    } else print(`lakehouse up (pid ${state.pid}) is still running; stopping its services directly`);
  }
  let code = 0;
  for (const service of state.services) {
    if (!processMatches(service.pid, service.commandMarker)) continue;
    const pid = service.pid!;
    print(`stopping ${service.name} (pid ${pid}) left behind ...`);
    signalGroup(pid, 'SIGTERM');
    if (!(await waitGone(() => processMatches(pid, service.commandMarker), config.stopTimeoutMs))) {
      signalGroup(pid, 'SIGKILL');
      if (!(await waitGone(() => processMatches(pid, service.commandMarker), 5_000))) code = 1;
    }
  }
  const local = state.kafka?.local;
  if (local && !processAlive(state.pid)) {
    const settings = { repoRoot: state.repoRoot, ...local };
    if ((await kafkaLocal(settings, 'status')).code === 0) {
      const stopped = await kafkaLocal(settings, 'stop');
      print(stopped.output);
      if (stopped.code !== 0) code = 1;
    }
  }
  if (!processAlive(state.pid) || state.pid === process.pid) await removeStackState(config.stateDir);
  return code;
}
