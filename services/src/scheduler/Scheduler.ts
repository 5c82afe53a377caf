// The scheduler: keeps the schedules, fires them (cron, interval, or a new commit to a table),
// queues and dispatches runs under the concurrency policy and a global limit, runs each through
// the NotebookExecutor port, retries failures with exponential backoff, raises alerts, and keeps
// everything in a SchedulerStore so a restart resumes where it was (runs left `running` are
// marked `interrupted`; queued runs and pending retries still run).
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type Lakehouse, type Logger, newestVersions, readTableReads } from '@rt-lakehouse/kernel-helpers';
import type { z } from 'zod';
import type { AlertNotifier } from './AlertNotifier.js';
import type { NotebookExecutor, NotebookJobResult } from './NotebookExecutor.js';
import { nextFireTime } from './nextFireTime.js';
import { parseNotebookJson } from './notebookJson.js';
import type { ParameterDeclaration } from './notebookParameters.js';
import { declaredParameters, type PreparedNotebook, prepareNotebook } from './prepareNotebook.js';
import {
  assertTransition,
  isFinished,
  type RunCause,
  type RunError,
  type RunRecord,
  type RunStatus,
} from './RunRecord.js';
import type { SchedulerAlert } from './SchedulerAlert.js';
import { SchedulerError } from './SchedulerError.js';
import type { SchedulerStore } from './SchedulerStore.js';
import {
  type ParameterValue,
  RunNowInput,
  type Schedule,
  ScheduleInput,
  SchedulePatch,
  triggerKind,
} from './scheduleDefinition.js';
import { writeFileAtomic } from './writeFileAtomic.js';

export interface SchedulerOptions {
  store: SchedulerStore;
  /** Schedules name notebooks relative to this folder. */
  notebooksDir: string;
  executor: NotebookExecutor;
  notifier: AlertNotifier;
  logger: Logger;
  /**
   * Needed for commit triggers and for the table versions at a run's start; without it runs
   * record none of those (the versions the notebook read come from its kernel either way).
   */
  lakehouse?: Lakehouse | undefined;
  /** Runs executing at once, over all schedules (default 2). */
  maxConcurrentRuns?: number;
  /** Runs a `queue` schedule may have waiting (default 10); fires beyond are recorded as skipped. */
  maxQueuedPerSchedule?: number;
  /** Finished runs kept per schedule; older ones (and their outputs) are removed (default 200). */
  keepRunsPerSchedule?: number;
  /** How often commit triggers look for new commits (default 1000 ms). */
  commitPollMs?: number;
  /** Alerts kept (firing and resolved, newest) (default 200). */
  keepAlerts?: number;
  /** Added to every kernel's environment (e.g. LAKEHOUSE_DIR). */
  runEnv?: Record<string, string>;
  now?: () => number;
}

/** A run as lists show it inside a schedule. */
export interface RunSummary {
  id: string;
  status: RunStatus;
  attempt: number;
  queuedAt: string;
  startedAt: string | null;
  endedAt: string | null;
}

/** A schedule with what the panel shows next to it. */
export type ScheduleView = Schedule & { lastRun: RunSummary | null; activeRun: RunSummary | null };

const MAX_TIMER_MS = 2 ** 31 - 1;

/** In a run's folder: the table versions its notebook read, one JSON line each (see tableReadLog). */
const TABLE_READS_FILE = 'table-reads.jsonl';

export class Scheduler {
  private readonly schedules = new Map<string, Schedule>();
  private readonly runs = new Map<string, RunRecord>();
  private readonly queued = new Set<string>();
  private readonly active = new Map<
    string,
    { run: RunRecord; controller: AbortController; done: Promise<void> }
  >();
  private alerts: SchedulerAlert[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private dispatchTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly now: () => number;
  private readonly logger: Logger;

  private constructor(private readonly options: SchedulerOptions) {
    this.now = options.now ?? Date.now;
    this.logger = options.logger;
  }

  /**
   * Loads the store, marks runs left `running` by a previous process as `interrupted` (retrying
   * or alerting as for any failure), re-arms every schedule from now and starts dispatching.
   */
  static async start(options: SchedulerOptions): Promise<Scheduler> {
    const scheduler = new Scheduler(options);
    await scheduler.recover();
    return scheduler;
  }

  // ------------------------------------------------------------ schedules

  /** Every schedule, oldest first. */
  list(): ScheduleView[] {
    return [...this.schedules.values()].map((s) => this.view(s));
  }

  /** @throws SchedulerError SCHEDULE_NOT_FOUND */
  get(id: string): ScheduleView {
    return this.view(this.scheduleOf(id));
  }

  /**
   * Creates a schedule from an API body. @throws SchedulerError VALIDATION_FAILED (the body),
   * NOTEBOOK_NOT_FOUND, NOTEBOOK_INVALID or PARAMETERS_INVALID (checked against the notebook's
   * parameters cell now, so a bad schedule is refused before it ever runs).
   */
  async create(body: unknown): Promise<ScheduleView> {
    this.assertRunning();
    const input = parseBody(ScheduleInput, body);
    this.assertTriggerUsable(input.trigger);
    await this.checkNotebook(input.notebook, input.parameters);
    const at = this.iso();
    const schedule: Schedule = {
      id: `sch_${randomBytes(6).toString('hex')}`,
      name: input.name ?? path.basename(input.notebook, '.ipynb'),
      notebook: input.notebook,
      trigger: input.trigger,
      parameters: input.parameters,
      timeoutSeconds: input.timeoutSeconds,
      retries: input.retries,
      concurrency: input.concurrency,
      enabled: input.enabled,
      createdAt: at,
      updatedAt: at,
      state: { nextFireAt: null, lastFireAt: null, lastSeenVersion: null },
    };
    await this.resetTriggerState(schedule);
    this.schedules.set(schedule.id, schedule);
    await this.saveSchedules();
    this.arm(schedule);
    this.logger.info('schedule created', {
      scheduleId: schedule.id,
      name: schedule.name,
      trigger: schedule.trigger,
    });
    return this.view(schedule);
  }

  /** Changes fields of a schedule (a new trigger starts from now). Same checks and errors as create. */
  async update(id: string, body: unknown): Promise<ScheduleView> {
    this.assertRunning();
    const schedule = this.scheduleOf(id);
    const patch = parseBody(SchedulePatch, body);
    const next: Schedule = {
      ...schedule,
      ...patch,
      retries: patch.retries ? { ...patch.retries } : schedule.retries,
      updatedAt: this.iso(),
    } as Schedule;
    if (patch.trigger) this.assertTriggerUsable(patch.trigger);
    if (patch.notebook !== undefined || patch.parameters !== undefined)
      await this.checkNotebook(next.notebook, next.parameters);
    const triggerChanged =
      patch.trigger !== undefined && JSON.stringify(patch.trigger) !== JSON.stringify(schedule.trigger);
    const enabledChanged = patch.enabled !== undefined && patch.enabled !== schedule.enabled;
    if (triggerChanged || enabledChanged) await this.resetTriggerState(next);
    this.schedules.set(id, next);
    await this.saveSchedules();
    this.arm(next);
    return this.view(next);
  }

  pause(id: string): Promise<ScheduleView> {
    return this.update(id, { enabled: false });
  }

  resume(id: string): Promise<ScheduleView> {
    return this.update(id, { enabled: true });
  }

  /**
   * Deletes a schedule with its history and alerts: a run in progress is stopped first, queued
   * runs are dropped. @throws SchedulerError SCHEDULE_NOT_FOUND
   */
  async remove(id: string): Promise<void> {
    this.assertRunning();
    const schedule = this.scheduleOf(id);
    this.schedules.delete(id);
    this.disarm(id);
    await this.saveSchedules();
    for (const entry of [...this.active.values()].filter((e) => e.run.scheduleId === id)) {
      entry.controller.abort();
      await entry.done;
    }
    for (const run of [...this.runs.values()].filter((r) => r.scheduleId === id)) {
      this.runs.delete(run.id);
      this.queued.delete(run.id);
      await this.options.store.removeRun(run.id);
    }
    this.alerts = this.alerts.filter((a) => a.scheduleId !== id);
    await this.options.store.saveAlerts(this.alerts);
    this.logger.info('schedule deleted', { scheduleId: id, name: schedule.name });
  }

  /**
   * Queues a run now, with `parameters` from the body over the schedule's own (checked against
   * the notebook); returns it as queued, or already running when a slot was free. @throws SchedulerError RUN_IN_PROGRESS when the schedule's policy is `skip`
   * and a run is queued or running, PARAMETERS_INVALID, SCHEDULE_NOT_FOUND.
   */
  async runNow(id: string, body: unknown): Promise<RunRecord> {
    this.assertRunning();
    const schedule = this.scheduleOf(id);
    const { parameters } = parseBody(RunNowInput, body ?? {});
    const merged = { ...schedule.parameters, ...parameters };
    await this.checkNotebook(schedule.notebook, merged);
    const busy = this.activeRunsOf(id);
    if (busy.length > 0 && schedule.concurrency === 'skip') {
      throw new SchedulerError(
        'RUN_IN_PROGRESS',
        `run ${busy[0]!.id} of this schedule is still ${busy[0]!.status}`,
        {
          details: { runId: busy[0]!.id },
        },
      );
    }
    const run = this.newRun(schedule, 'manual', { parameters: merged });
    await this.enqueue(run);
    return structuredClone(run);
  }

  /** The parameters a notebook declares (for the "Schedule this notebook" dialog). */
  async notebookParameters(notebook: string): Promise<ParameterDeclaration[] | null> {
    const parsed = await this.readNotebook(notebook);
    const declared = declaredParameters(parsed);
    if (!declared.success) throw new SchedulerError('NOTEBOOK_INVALID', declared.error);
    return declared.declarations;
  }

  // ------------------------------------------------------------ runs and alerts

  /** Runs of a schedule, newest first. @throws SchedulerError SCHEDULE_NOT_FOUND */
  runsOf(id: string, options: { limit?: number; status?: RunStatus } = {}): RunRecord[] {
    this.scheduleOf(id);
    const runs = [...this.runs.values()].filter(
      (r) => r.scheduleId === id && (!options.status || r.status === options.status),
    );
    return runs.reverse().slice(0, options.limit ?? 50);
  }

  /** @throws SchedulerError RUN_NOT_FOUND */
  run(runId: string): RunRecord {
    const run = this.runs.get(runId);
    if (!run) throw new SchedulerError('RUN_NOT_FOUND', `no run ${runId}`);
    return run;
  }

  /** The absolute path of a run's output. @throws SchedulerError RUN_NOT_FOUND, OUTPUT_NOT_FOUND */
  outputFile(runId: string, kind: 'ipynb' | 'html'): string {
    const run = this.run(runId);
    const relative = run.outputs[kind];
    if (!relative) {
      throw new SchedulerError(
        'OUTPUT_NOT_FOUND',
        `run ${runId} has no ${kind === 'ipynb' ? 'executed notebook' : 'HTML output'} (status ${run.status})`,
      );
    }
    return this.options.store.resolve(relative);
  }

  /** Firing alerts (newest first), then resolved ones (newest first). */
  alertList(): { active: SchedulerAlert[]; recent: SchedulerAlert[] } {
    const newest = [...this.alerts].reverse();
    return {
      active: newest.filter((a) => a.state === 'firing'),
      recent: newest.filter((a) => a.state === 'resolved'),
    };
  }

  /** Resolves when no run is executing or due (queued runs waiting for a later time do not count). */
  async idle(): Promise<void> {
    while (this.active.size > 0) await Promise.all([...this.active.values()].map((e) => e.done));
  }

  /**
   * Stops firing, stops runs in progress (they end `interrupted`, with a retry queued when one is
   * left, so a restart picks them up) and releases the store.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const id of [...this.timers.keys()]) this.disarm(id);
    clearTimeout(this.dispatchTimer);
    clearTimeout(this.pollTimer);
    await this.polling;
    for (const entry of this.active.values()) entry.controller.abort();
    await Promise.all([...this.active.values()].map((e) => e.done));
    await this.options.notifier.idle();
    await this.options.store.close();
  }

  // ------------------------------------------------------------ start-up

  private async recover(): Promise<void> {
    const { store } = this.options;
    const state = await store.load();
    for (const file of state.unreadable) this.logger.warn('unreadable run record skipped', { file });
    for (const s of state.schedules) this.schedules.set(s.id, s);
    for (const r of state.runs) {
      // Records written before the scheduler kept what a run read.
      r.tableReads ??= [];
      r.tableVersionsAtStart ??= {};
      this.runs.set(r.id, r);
    }
    this.alerts = state.alerts;
    const interrupted: RunRecord[] = [];
    for (const run of this.runs.values()) {
      if (run.status === 'queued') this.queued.add(run.id);
      if (run.status !== 'running') continue;
      run.status = 'interrupted';
      run.endedAt = this.iso();
      run.durationMs = null;
      run.error = {
        kind: 'interrupted',
        message:
          'the scheduler stopped while this run was going (its process ended); marked interrupted at restart',
      };
      run.outputs = await this.existingOutputs(run);
      await this.collectReads(run);
      await store.saveRun(run);
      interrupted.push(run);
      this.logger.warn('run interrupted by a scheduler restart', {
        runId: run.id,
        scheduleId: run.scheduleId,
      });
    }
    for (const run of interrupted) await this.afterFailure(run);
    for (const schedule of this.schedules.values()) {
      if (!schedule.enabled || triggerKind(schedule.trigger) === 'commit') continue;
      // Fires missed while the scheduler was down are not replayed: the next is the first one after now.
      const due = schedule.state.nextFireAt ? new Date(schedule.state.nextFireAt) : undefined;
      if (!due || due.getTime() < this.now())
        schedule.state.nextFireAt = this.nextFire(schedule, due ?? new Date(this.now()));
    }
    await this.saveSchedules();
    for (const schedule of this.schedules.values()) this.arm(schedule);
    this.logger.info('scheduler started', {
      schedules: this.schedules.size,
      queuedRuns: this.queued.size,
      interruptedRuns: interrupted.length,
      dir: store.dir,
    });
    this.schedulePoll();
    this.dispatch();
  }

  // ------------------------------------------------------------ triggers

  private arm(schedule: Schedule): void {
    this.disarm(schedule.id);
    if (this.stopped || !schedule.enabled || !schedule.state.nextFireAt) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, Date.parse(schedule.state.nextFireAt) - this.now()));
    const timer = setTimeout(() => void this.onTimer(schedule.id), wait);
    this.timers.set(schedule.id, timer);
  }

  private disarm(id: string): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }

  private async onTimer(id: string): Promise<void> {
    this.timers.delete(id);
    const schedule = this.schedules.get(id);
    if (this.stopped || !schedule?.enabled || !schedule.state.nextFireAt) return;
    const due = new Date(schedule.state.nextFireAt);
    if (due.getTime() > this.now() + 5) return this.arm(schedule); // a long wait cut by the timer limit
    schedule.state.lastFireAt = this.iso();
    schedule.state.nextFireAt = this.nextFire(schedule, due);
    this.arm(schedule);
    try {
      await this.saveSchedules();
      await this.fire(schedule, 'schedule', null);
    } catch (error) {
      this.logger.error('schedule fire failed', { scheduleId: id, error: error as Error });
    }
  }

  /** The next fire after now, on the grid of `anchor` for intervals. */
  private nextFire(schedule: Schedule, anchor: Date): string | null {
    const now = new Date(this.now());
    return nextFireTime(schedule.trigger, now, anchor)?.toISOString() ?? null;
  }

  /** Trigger state for a new, re-enabled or re-triggered schedule: timed ones count from now, commit ones from the table's current version. */
  private async resetTriggerState(schedule: Schedule): Promise<void> {
    const now = new Date(this.now());
    schedule.state.nextFireAt =
      schedule.enabled && triggerKind(schedule.trigger) !== 'commit'
        ? (nextFireTime(schedule.trigger, now, now)?.toISOString() ?? null)
        : null;
    schedule.state.lastSeenVersion =
      'onCommit' in schedule.trigger ? await this.tableVersion(schedule.trigger.onCommit) : null;
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    this.pollTimer = setTimeout(() => {
      this.polling = this.pollCommits().finally(() => this.schedulePoll());
    }, this.options.commitPollMs ?? 1000);
  }

  private async pollCommits(): Promise<void> {
    for (const schedule of [...this.schedules.values()]) {
      if (this.stopped) return;
      if (!schedule.enabled || !('onCommit' in schedule.trigger)) continue;
      let version: number;
      try {
        version = await this.tableVersion(schedule.trigger.onCommit);
      } catch (error) {
        this.logger.warn('commit trigger could not read its table', {
          scheduleId: schedule.id,
          table: schedule.trigger.onCommit,
          error: error as Error,
        });
        continue;
      }
      if (version === schedule.state.lastSeenVersion || version < 0) continue;
      schedule.state.lastSeenVersion = version;
      schedule.state.lastFireAt = this.iso();
      try {
        await this.saveSchedules();
        await this.fire(schedule, 'commit', version);
      } catch (error) {
        this.logger.error('schedule fire failed', { scheduleId: schedule.id, error: error as Error });
      }
    }
  }

  /** The latest version of a lakehouse table, -1 when it does not exist yet. */
  private async tableVersion(name: string): Promise<number> {
    const lakehouse = this.options.lakehouse;
    if (!lakehouse) return -1;
    const table = await lakehouse.table(name);
    if (!(await table.exists())) return -1;
    return (await table.latest()).version;
  }

  /** A fire of `schedule`: queued, or recorded as skipped under its concurrency policy. */
  private async fire(schedule: Schedule, cause: RunCause, commitVersion: number | null): Promise<void> {
    if (this.stopped) return;
    const busy = this.activeRunsOf(schedule.id);
    if (busy.length > 0) {
      const waiting = busy.filter((r) => r.status === 'queued').length;
      let reason: string | undefined;
      if (schedule.concurrency === 'skip') reason = `run ${busy[0]!.id} is still ${busy[0]!.status}`;
      else if (cause === 'commit' && waiting > 0) {
        // A queued run reads the table when it starts, so one waiting run covers every new commit.
        this.logger.debug('commit fire folded into the waiting run', {
          scheduleId: schedule.id,
          commitVersion,
        });
        return;
      } else if (waiting >= (this.options.maxQueuedPerSchedule ?? 10))
        reason = `${waiting} runs of this schedule are already waiting (the queue is full)`;
      if (reason) {
        const skipped = this.newRun(schedule, cause, { commitVersion });
        skipped.status = 'skipped';
        skipped.reason = reason;
        skipped.endedAt = skipped.queuedAt;
        this.runs.set(skipped.id, skipped);
        await this.options.store.saveRun(skipped);
        this.logger.info('fire skipped', { scheduleId: schedule.id, runId: skipped.id, reason });
        await this.prune(schedule.id);
        return;
      }
    }
    await this.enqueue(this.newRun(schedule, cause, { commitVersion }));
  }

  // ------------------------------------------------------------ dispatch and execution

  private newRun(
    schedule: Schedule,
    cause: RunCause,
    extra: { parameters?: Record<string, ParameterValue>; commitVersion?: number | null } = {},
  ): RunRecord {
    const at = this.now();
    return {
      id: runId(at),
      scheduleId: schedule.id,
      scheduleName: schedule.name,
      notebook: schedule.notebook,
      cause,
      status: 'queued',
      attempt: 1,
      maxAttempts: schedule.retries.count + 1,
      retryOf: null,
      queuedAt: new Date(at).toISOString(),
      notBefore: new Date(at).toISOString(),
      startedAt: null,
      endedAt: null,
      durationMs: null,
      parameters: extra.parameters ?? { ...schedule.parameters },
      tableVersions: {},
      tableReads: [],
      tableVersionsAtStart: {},
      commitVersion: extra.commitVersion ?? null,
      outputs: { ipynb: null, html: null },
      error: null,
      reason: null,
    };
  }

  private async enqueue(run: RunRecord): Promise<void> {
    this.runs.set(run.id, run);
    this.queued.add(run.id);
    await this.options.store.saveRun(run);
    this.logger.info('run queued', {
      runId: run.id,
      scheduleId: run.scheduleId,
      cause: run.cause,
      attempt: run.attempt,
    });
    this.dispatch();
  }

  /** Starts every due queued run the limits allow, oldest first; one run per schedule at a time. */
  private dispatch(): void {
    if (this.stopped) return;
    clearTimeout(this.dispatchTimer);
    const now = this.now();
    let earliest = Number.POSITIVE_INFINITY;
    const max = this.options.maxConcurrentRuns ?? 2;
    for (const id of [...this.queued]) {
      const run = this.runs.get(id);
      if (!run || run.status !== 'queued') {
        this.queued.delete(id);
        continue;
      }
      const at = Date.parse(run.notBefore);
      if (at > now) {
        earliest = Math.min(earliest, at);
        continue;
      }
      if (this.active.size >= max) continue;
      if ([...this.active.values()].some((e) => e.run.scheduleId === run.scheduleId)) continue;
      this.startRun(run);
    }
    if (earliest < Number.POSITIVE_INFINITY)
      this.dispatchTimer = setTimeout(
        () => this.dispatch(),
        Math.min(MAX_TIMER_MS, Math.max(0, earliest - now)),
      );
  }

  private startRun(run: RunRecord): void {
    this.queued.delete(run.id);
    const controller = new AbortController();
    assertTransition(run, 'running');
    run.status = 'running';
    run.startedAt = this.iso();
    const done = this.execute(run, controller.signal)
      .catch((error: unknown) =>
        this.logger.error('run bookkeeping failed', { runId: run.id, error: error as Error }),
      )
      .finally(() => {
        this.active.delete(run.id);
        this.dispatch();
      });
    this.active.set(run.id, { run, controller, done });
  }

  private async execute(run: RunRecord, signal: AbortSignal): Promise<void> {
    const { store } = this.options;
    const startedMs = Date.parse(run.startedAt!);
    run.tableVersionsAtStart = await this.tableVersions();
    await store.saveRun(run);
    this.logger.info('run started', { runId: run.id, scheduleId: run.scheduleId, attempt: run.attempt });

    const dir = store.runDir(run.id);
    const files = {
      input: path.join(dir, 'input.ipynb'),
      ipynb: path.join(dir, 'output.ipynb'),
      html: path.join(dir, 'output.html'),
      log: path.join(dir, 'runner.log'),
      reads: path.join(dir, TABLE_READS_FILE),
    };
    let result: NotebookJobResult;
    try {
      const prepared = await this.prepare(run);
      if (!prepared.success) {
        result = { status: 'failed', error: prepared.error, wrote: { ipynb: false, html: false } };
      } else {
        await writeFileAtomic(files.input, `${JSON.stringify(prepared.prepared.notebook, null, 1)}\n`);
        result = await this.executeNotebook(run, files, signal);
      }
    } catch (error) {
      this.logger.error('run could not be executed', { runId: run.id, error: error as Error });
      result = {
        status: 'failed',
        error: { kind: 'runner', message: `the run could not be executed: ${(error as Error).message}` },
        wrote: { ipynb: false, html: false },
      };
    }
    assertTransition(run, result.status);

    await this.collectReads(run);
    run.status = result.status;
    run.error = result.error;
    run.endedAt = this.iso();
    run.durationMs = Math.max(0, Date.parse(run.endedAt) - startedMs);
    run.outputs = {
      ipynb: result.wrote.ipynb ? store.relative(files.ipynb) : null,
      html: result.wrote.html ? store.relative(files.html) : null,
    };
    await store.saveRun(run);
    const fields = {
      runId: run.id,
      scheduleId: run.scheduleId,
      status: run.status,
      durationMs: run.durationMs,
    };
    if (run.status === 'succeeded') {
      this.logger.info('run succeeded', fields);
      await this.resolveAlerts(run);
    } else {
      this.logger.warn(`run ${run.status}`, { ...fields, attempt: run.attempt, error: run.error });
      await this.afterFailure(run);
    }
    await this.prune(run.scheduleId);
  }

  private executeNotebook(
    run: RunRecord,
    files: { input: string; ipynb: string; html: string; log: string; reads: string },
    signal: AbortSignal,
  ): Promise<NotebookJobResult> {
    const schedule = this.schedules.get(run.scheduleId);
    return this.options.executor.execute({
      input: files.input,
      outputIpynb: files.ipynb,
      outputHtml: files.html,
      cwd: path.dirname(this.notebookFile(run.notebook)),
      timeoutSeconds: schedule?.timeoutSeconds ?? 3_600,
      logFile: files.log,
      signal,
      env: {
        ...this.options.runEnv,
        RTLAKEHOUSE_SCHEDULE_ID: run.scheduleId,
        RTLAKEHOUSE_RUN_ID: run.id,
        RTLAKEHOUSE_TABLE_VERSIONS: JSON.stringify(run.tableVersionsAtStart),
        RTLAKEHOUSE_TABLE_READS_FILE: files.reads,
      },
    });
  }

  private async prepare(
    run: RunRecord,
  ): Promise<{ success: true; prepared: PreparedNotebook } | { success: false; error: RunError }> {
    let notebook: Awaited<ReturnType<Scheduler['readNotebook']>>;
    try {
      notebook = await this.readNotebook(run.notebook);
    } catch (error) {
      return { success: false, error: { kind: 'notebook', message: (error as Error).message } };
    }
    const prepared = prepareNotebook(notebook, run.parameters);
    if (prepared.success) return prepared;
    return {
      success: false,
      error: {
        kind: prepared.code === 'PARAMETERS_INVALID' ? 'parameters' : 'notebook',
        message:
          prepared.code === 'PARAMETERS_INVALID'
            ? `the parameters no longer match the notebook: ${prepared.message}`
            : prepared.message,
      },
    };
  }

  /** A failed or interrupted run: its retry when attempts are left, else an alert. */
  private async afterFailure(run: RunRecord): Promise<void> {
    const schedule = this.schedules.get(run.scheduleId);
    if (!schedule) return;
    if (run.attempt < run.maxAttempts) {
      const delayMs = schedule.retries.backoffSeconds * 1000 * 2 ** (run.attempt - 1);
      const retry = this.newRun(schedule, 'retry', {
        parameters: run.parameters,
        commitVersion: run.commitVersion,
      });
      retry.attempt = run.attempt + 1;
      retry.maxAttempts = run.maxAttempts;
      retry.retryOf = run.id;
      retry.notBefore = new Date(this.now() + delayMs).toISOString();
      this.logger.info('retry queued', {
        runId: retry.id,
        retryOf: run.id,
        attempt: retry.attempt,
        inMs: delayMs,
      });
      await this.enqueue(retry);
      return;
    }
    await this.raiseAlert(schedule, run);
  }

  private async raiseAlert(schedule: Schedule, run: RunRecord): Promise<void> {
    const attempts = run.attempt === 1 ? '' : ` after ${run.attempt} attempts`;
    const alert: SchedulerAlert = {
      id: `alert-${run.id}`,
      severity: 'critical',
      state: 'firing',
      message: `scheduled notebook "${schedule.name}" (${run.notebook}) ${run.status}${attempts}: ${run.error?.message ?? 'no detail'}`,
      since: this.iso(),
      source: 'scheduler',
      scheduleId: schedule.id,
      scheduleName: schedule.name,
      runId: run.id,
      notebook: run.notebook,
      links: {
        run: `/api/runs/${run.id}`,
        ipynb: run.outputs.ipynb ? `/api/runs/${run.id}/output.ipynb` : null,
        html: run.outputs.html ? `/api/runs/${run.id}/output.html` : null,
      },
    };
    this.alerts.push(alert);
    await this.saveAlerts();
    this.options.notifier.notify(alert);
  }

  private async resolveAlerts(run: RunRecord): Promise<void> {
    const firing = this.alerts.filter((a) => a.scheduleId === run.scheduleId && a.state === 'firing');
    if (firing.length === 0) return;
    const at = this.iso();
    this.alerts = this.alerts.map((a) =>
      firing.includes(a)
        ? { ...a, state: 'resolved', resolvedAt: at, message: `${a.message} — resolved by run ${run.id}` }
        : a,
    );
    await this.saveAlerts();
    for (const a of this.alerts)
      if (a.resolvedAt === at && firing.some((f) => f.id === a.id)) this.options.notifier.notify(a);
  }

  private async saveAlerts(): Promise<void> {
    const keep = this.options.keepAlerts ?? 200;
    if (this.alerts.length > keep) {
      // Resolved alerts go first; firing ones only when there are more of them than the limit.
      const excess = this.alerts.length - keep;
      const resolved = new Set(
        this.alerts
          .filter((a) => a.state === 'resolved')
          .slice(0, excess)
          .map((a) => a.id),
      );
      this.alerts = this.alerts.filter((a) => !resolved.has(a.id));
      if (this.alerts.length > keep) this.alerts = this.alerts.slice(this.alerts.length - keep);
    }
    await this.options.store.saveAlerts(this.alerts);
  }

  /** Removes the oldest finished runs of a schedule beyond the history limit. */
  private async prune(scheduleId: string): Promise<void> {
    const keep = this.options.keepRunsPerSchedule ?? 200;
    const finished = [...this.runs.values()].filter(
      (r) => r.scheduleId === scheduleId && isFinished(r.status),
    );
    for (const run of finished.slice(0, Math.max(0, finished.length - keep))) {
      if (this.alerts.some((a) => a.runId === run.id && a.state === 'firing')) continue;
      this.runs.delete(run.id);
      await this.options.store.removeRun(run.id);
    }
  }

  // ------------------------------------------------------------ helpers

  private view(schedule: Schedule): ScheduleView {
    let last: RunRecord | undefined;
    let active: RunRecord | undefined;
    for (const run of this.runs.values()) {
      if (run.scheduleId !== schedule.id) continue;
      if (run.status === 'running' || (run.status === 'queued' && !active)) active = run;
      if (isFinished(run.status) && run.status !== 'skipped') last = run;
    }
    return { ...schedule, lastRun: last ? summary(last) : null, activeRun: active ? summary(active) : null };
  }

  private activeRunsOf(scheduleId: string): RunRecord[] {
    const runs = [...this.active.values()].map((e) => e.run).filter((r) => r.scheduleId === scheduleId);
    for (const id of this.queued) {
      const run = this.runs.get(id);
      if (run?.scheduleId === scheduleId && run.status === 'queued') runs.push(run);
    }
    return runs;
  }

  private scheduleOf(id: string): Schedule {
    const schedule = this.schedules.get(id);
    if (!schedule) throw new SchedulerError('SCHEDULE_NOT_FOUND', `no schedule ${id}`);
    return schedule;
  }

  private assertRunning(): void {
    if (this.stopped) throw new SchedulerError('SCHEDULER_STOPPED', 'the scheduler is stopping');
  }

  private assertTriggerUsable(trigger: Schedule['trigger']): void {
    if ('onCommit' in trigger && !this.options.lakehouse)
      throw new SchedulerError('VALIDATION_FAILED', 'commit triggers need the lakehouse (LAKEHOUSE_DIR)');
  }

  private notebookFile(notebook: string): string {
    const root = path.resolve(this.options.notebooksDir);
    const file = path.resolve(root, notebook);
    if (file !== root && !file.startsWith(`${root}${path.sep}`))
      throw new SchedulerError('VALIDATION_FAILED', `notebook ${notebook} is outside the notebooks folder`);
    return file;
  }

  private async readNotebook(notebook: string) {
    const file = this.notebookFile(notebook);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new SchedulerError(
          'NOTEBOOK_NOT_FOUND',
          `no notebook ${notebook} in ${this.options.notebooksDir}`,
        );
      throw error;
    }
    const parsed = parseNotebookJson(text);
    if (!parsed.success) throw new SchedulerError('NOTEBOOK_INVALID', `${notebook}: ${parsed.error}`);
    return parsed.notebook;
  }

  /** @throws SchedulerError NOTEBOOK_NOT_FOUND, NOTEBOOK_INVALID, PARAMETERS_INVALID */
  private async checkNotebook(notebook: string, parameters: Record<string, unknown>): Promise<void> {
    const prepared = prepareNotebook(await this.readNotebook(notebook), parameters);
    if (prepared.success) return;
    throw new SchedulerError(prepared.code, prepared.message, {
      details: {
        issues: prepared.issues,
        ...(prepared.declarations ? { declaredParameters: prepared.declarations.map(declarationJson) } : {}),
      },
    });
  }

  private async existingOutputs(run: RunRecord): Promise<RunRecord['outputs']> {
    const { store } = this.options;
    const at = (name: string) => path.join(store.runDir(run.id), name);
    const present = async (file: string) =>
      fs.access(file).then(
        () => store.relative(file),
        () => null,
      );
    return { ipynb: await present(at('output.ipynb')), html: await present(at('output.html')) };
  }

  /**
   * The table versions the run's notebook read, from the file its kernel helpers appended to
   * (RTLAKEHOUSE_TABLE_READS_FILE). Nothing reported (a notebook that reads no table, or reads
   * only by other means than the helpers) records no table.
   */
  private async collectReads(run: RunRecord): Promise<void> {
    try {
      run.tableReads = await readTableReads(path.join(this.options.store.runDir(run.id), TABLE_READS_FILE));
      run.tableVersions = newestVersions(run.tableReads);
    } catch (error) {
      this.logger.warn('the tables a run read could not be collected', {
        runId: run.id,
        error: error as Error,
      });
    }
  }

  /** The latest version of every lakehouse table (for a run's `tableVersionsAtStart`). */
  private async tableVersions(): Promise<Record<string, number>> {
    const lakehouse = this.options.lakehouse;
    if (!lakehouse) return {};
    const versions: Record<string, number> = {};
    try {
      for (const name of await lakehouse.tableNames()) {
        try {
          versions[name] = (await (await lakehouse.table(name)).latest()).version;
        } catch (error) {
          this.logger.warn('table version unavailable for a run record', {
            table: name,
            error: error as Error,
          });
        }
      }
    } catch (error) {
      this.logger.warn('lakehouse tables unavailable for a run record', { error: error as Error });
    }
    return versions;
  }

  private saveSchedules(): Promise<void> {
    return this.options.store.saveSchedules([...this.schedules.values()]);
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }
}

/** A declared parameter as the API shows it. */
export function declarationJson(d: ParameterDeclaration) {
  return {
    name: d.name,
    type: d.type,
    declaration: d.declaration,
    annotation: d.annotation,
    default: d.default ?? null,
    description: d.description,
  };
}

function summary(run: RunRecord): RunSummary {
  return {
    id: run.id,
    status: run.status,
    attempt: run.attempt,
    queuedAt: run.queuedAt,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
  };
}

/** A run id that sorts by creation time: `20261127T234159123Z-3fa2c1`. */
function runId(at: number): string {
  return `${new Date(at).toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
}

/** `schema.parse(body)` as a SchedulerError VALIDATION_FAILED listing every issue. */
function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({
    path: i.path.map(String).join('.'),
    code: i.code,
    message: i.message,
  }));
  throw new SchedulerError(
    'VALIDATION_FAILED',
    issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '),
    { details: { issues } },
  );
}
