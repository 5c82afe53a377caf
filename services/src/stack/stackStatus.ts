// `lakehouse status`, stack part: the mode and each service's process and health, from the state
// file that `lakehouse up` keeps.
import type { StackConfig } from './stackConfig.js';
import { processAlive, processMatches, readStackState } from './stackState.js';
import { probe } from './waitForHealth.js';

export interface ServiceStatus {
  name: string;
  state: string;
  pid?: number;
  alive: boolean;
  /** HTTP status of the health URL, 'no answer', or 'n/a' for a service without one. */
  health: number | 'no answer' | 'n/a';
  url?: string;
  restarts: number;
  log: string;
}

export interface StackStatus {
  running: boolean;
  /** A state file remains from an `up` that did not stop cleanly (`lakehouse down` cleans up). */
  stale?: boolean;
  pid?: number;
  mode?: string;
  modeReason?: string;
  startedAt?: string;
  kafka?: { brokers: string; topic: string; local: boolean };
  services: ServiceStatus[];
}

export async function stackStatus(config: StackConfig): Promise<StackStatus> {
  const state = await readStackState(config.stateDir);
  if (!state) return { running: false, services: [] };
  if (!processAlive(state.pid)) return { running: false, stale: true, services: [] };
  const services = await Promise.all(
    state.services.map(async (s): Promise<ServiceStatus> => {
      const alive = processMatches(s.pid, s.commandMarker);
      const code = s.healthUrl ? await probe(s.healthUrl) : undefined;
      return {
        name: s.name,
        state: s.state,
        ...(s.pid !== undefined ? { pid: s.pid } : {}),
        alive,
        health: s.healthUrl ? (code ?? 'no answer') : 'n/a',
        ...(s.url ? { url: s.url } : {}),
        restarts: s.restarts,
        log: s.log,
      };
    }),
  );
  return {
    running: true,
    pid: state.pid,
    mode: state.mode,
    modeReason: state.modeReason,
    startedAt: state.startedAt,
    ...(state.kafka
      ? { kafka: { brokers: state.kafka.brokers, topic: state.kafka.topic, local: !!state.kafka.local } }
      : {}),
    services,
  };
}
