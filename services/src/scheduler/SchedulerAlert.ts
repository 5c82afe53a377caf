// An alert about a scheduled notebook: raised when a run fails for good (no retry left),
// resolved when a later run of the same schedule succeeds. Same shape as the monitor's alerts
// (id, severity, state, message, since, source) plus the schedule and run it is about.

export interface SchedulerAlert {
  id: string;
  severity: 'warning' | 'critical';
  state: 'firing' | 'resolved';
  message: string;
  since: string;
  resolvedAt?: string;
  source: 'scheduler';
  scheduleId: string;
  scheduleName: string;
  runId: string;
  notebook: string;
  /** Relative API paths of the failed run and its executed notebook. */
  links: { run: string; ipynb: string | null; html: string | null };
}
