// Prometheus metrics of the scheduler, read from its state at scrape time: schedules (enabled
// or paused), kept runs by status, firing alerts and the duration of the latest finished run
// per schedule, plus Node's process metrics. Nothing is counted on the hot path.
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { RunStatus } from './RunRecord.js';
import type { Scheduler } from './Scheduler.js';

const RUN_STATUSES: readonly RunStatus[] = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'interrupted',
  'skipped',
];
const ALL = { limit: Number.MAX_SAFE_INTEGER };

/** A registry whose gauges read `scheduler` whenever /metrics is scraped. */
export function createSchedulerMetrics(scheduler: Scheduler): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'scheduler_schedules',
    help: 'Schedules by state (enabled, paused)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const schedules = scheduler.list();
      const enabled = schedules.filter((s) => s.enabled).length;
      this.set({ state: 'enabled' }, enabled);
      this.set({ state: 'paused' }, schedules.length - enabled);
    },
  });
  new Gauge({
    name: 'scheduler_runs',
    help: 'Runs kept in the history, by status (finished runs beyond SCHEDULER_KEEP_RUNS are dropped)',
    labelNames: ['status'],
    registers: [registry],
    collect() {
      const counts = new Map<string, number>(RUN_STATUSES.map((s) => [s, 0]));
      for (const schedule of scheduler.list())
        for (const run of scheduler.runsOf(schedule.id, ALL))
          counts.set(run.status, (counts.get(run.status) ?? 0) + 1);
      for (const [status, n] of counts) this.set({ status }, n);
    },
  });
  new Gauge({
    name: 'scheduler_last_run_duration_seconds',
    help: 'Duration of the latest finished run of each schedule',
    labelNames: ['schedule'],
    registers: [registry],
    collect() {
      this.reset();
      for (const schedule of scheduler.list()) {
        const last = scheduler
          .runsOf(schedule.id, ALL)
          .find((r) => r.durationMs !== null && r.status !== 'skipped');
        if (last?.durationMs != null) this.set({ schedule: schedule.id }, last.durationMs / 1000);
      }
    },
  });
  new Gauge({
    name: 'scheduler_alerts_firing',
    help: 'Alerts of failed runs that are firing',
    registers: [registry],
    collect() {
      this.set(scheduler.alertList().active.length);
    },
  });
  return registry;
}
