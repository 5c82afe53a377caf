// What the scheduler service's API sends and takes (services/src/scheduler, docs/scheduler.md),
// as the JupyterLab extension uses it.

export type ParameterValue = string | number | boolean | (string | number | boolean)[];

export type ScheduleTrigger =
  | { cron: string; timezone?: string }
  | { everySeconds: number }
  | { onCommit: string };

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'interrupted' | 'skipped';

/** A run as a schedule's summary shows it. */
export interface RunSummary {
  id: string;
  status: RunStatus;
  attempt: number;
  queuedAt: string;
  startedAt: string | null;
  endedAt: string | null;
}

/** A schedule as GET /api/schedules lists it. */
export interface ScheduleView {
  id: string;
  name: string;
  notebook: string;
  trigger: ScheduleTrigger;
  parameters: Record<string, ParameterValue>;
  timeoutSeconds: number;
  retries: { count: number; backoffSeconds: number };
  concurrency: 'skip' | 'queue';
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  state: { nextFireAt: string | null; lastFireAt: string | null; lastSeenVersion: number | null };
  lastRun: RunSummary | null;
  activeRun: RunSummary | null;
}

/** The body of POST /api/schedules. */
export interface ScheduleInput {
  name?: string;
  notebook: string;
  trigger: ScheduleTrigger;
  parameters?: Record<string, ParameterValue>;
  timeoutSeconds?: number;
  retries?: { count: number; backoffSeconds?: number };
  concurrency?: 'skip' | 'queue';
  enabled?: boolean;
}

/** One run (an attempt) of a scheduled notebook. */
export interface RunRecord extends RunSummary {
  scheduleId: string;
  scheduleName: string;
  notebook: string;
  cause: 'schedule' | 'commit' | 'manual' | 'retry';
  maxAttempts: number;
  retryOf: string | null;
  notBefore: string;
  durationMs: number | null;
  parameters: Record<string, ParameterValue>;
  tableVersions: Record<string, number>;
  commitVersion: number | null;
  outputs: { ipynb: string | null; html: string | null };
  error: { kind: string; message: string; cell?: number } | null;
  reason: string | null;
}

export interface SchedulerAlert {
  id: string;
  severity: 'warning' | 'critical';
  state: 'firing' | 'resolved';
  message: string;
  since: string;
  resolvedAt?: string;
  scheduleId: string;
  scheduleName: string;
  runId: string;
  notebook: string;
}

export type ParameterType =
  | { kind: 'string' }
  | { kind: 'number' }
  | { kind: 'boolean' }
  | { kind: 'array'; element: 'string' | 'number' | 'boolean' }
  | { kind: 'enum'; values: (string | number)[] }
  | { kind: 'unsupported'; text: string };

/** A parameter the notebook's `parameters` cell declares. */
export interface ParameterDeclaration {
  name: string;
  declaration: 'const' | 'let' | 'var';
  type: ParameterType;
  annotation: string | null;
  default: ParameterValue | null;
  description: string | null;
}

export interface NotebookParameters {
  notebook: string;
  hasParametersCell: boolean;
  parameters: ParameterDeclaration[];
}
