// A run of a scheduled notebook (one attempt) and the legal moves of its life:
// queued → running → succeeded | failed | interrupted, queued → skipped | interrupted,
// and skipped as a record of a fire that did not run.
import type { TableRead } from '@rt-lakehouse/kernel-helpers';
import type { ParameterValue } from './scheduleDefinition.js';

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'interrupted' | 'skipped';

/** What started a run. */
export type RunCause = 'schedule' | 'commit' | 'manual' | 'retry';

/** The legal transitions; anything else is a bug (assertTransition throws). */
export const RUN_TRANSITIONS: Readonly<Record<RunStatus, readonly RunStatus[]>> = {
  queued: ['running', 'skipped', 'interrupted'],
  running: ['succeeded', 'failed', 'interrupted'],
  succeeded: [],
  failed: [],
  interrupted: [],
  skipped: [],
};

export interface RunError {
  message: string;
  /** Index of the cell that failed (in the executed notebook), when one did. */
  cell?: number;
  /** What kind of failure: the notebook raised, the run timed out, the kernel died, ... */
  kind: 'cell' | 'timeout' | 'kernel' | 'parameters' | 'notebook' | 'interrupted' | 'runner';
}

export interface RunRecord {
  id: string;
  scheduleId: string;
  scheduleName: string;
  /** The notebook path (relative to the notebooks root) as it was when the run was queued. */
  notebook: string;
  cause: RunCause;
  status: RunStatus;
  /** 1 for the first try; retries count up to maxAttempts. */
  attempt: number;
  maxAttempts: number;
  /** The attempt this one retries. */
  retryOf: string | null;
  queuedAt: string;
  /** Not started before this instant (retries wait out their backoff). */
  notBefore: string;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  /** The values the scheduler set (the notebook's own defaults hold for the others). */
  parameters: Record<string, ParameterValue>;
  /**
   * The Delta version of each table the notebook read, as the kernel helpers reported it (the
   * newest when it read several versions of one table); `{}` when nothing was reported.
   */
  tableVersions: Record<string, number>;
  /** Every table version the notebook read, in the order first read (time travel included). */
  tableReads: TableRead[];
  /** The latest version of every lakehouse table when the run started (RTLAKEHOUSE_TABLE_VERSIONS). */
  tableVersionsAtStart: Record<string, number>;
  /** Commit triggers: the version of the trigger table that fired the run. */
  commitVersion: number | null;
  /** Paths relative to the scheduler folder; null until written. */
  outputs: { ipynb: string | null; html: string | null };
  error: RunError | null;
  /** Why a fire was skipped. */
  reason: string | null;
}

/** Whether a run has finished (no further transition is legal). */
export function isFinished(status: RunStatus): boolean {
  return RUN_TRANSITIONS[status].length === 0;
}

/** @throws Error when `from → to` is not a legal move (a bug in the scheduler). */
export function assertTransition(run: RunRecord, to: RunStatus): void {
  if (!RUN_TRANSITIONS[run.status].includes(to))
    throw new Error(`run ${run.id}: illegal transition ${run.status} → ${to}`);
}
