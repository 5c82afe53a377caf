// What the Schedules panel shows: the schedules, the firing and recent alerts, and the run
// history of the schedules opened in the panel; polled while the panel is visible.
import { Signal } from '@lumino/signaling';
import type { AiService } from '../AiService';
import { SchedulerApi } from './schedulerApi';
import type { RunRecord, SchedulerAlert, ScheduleView } from './schedulerContract';

export interface SchedulesState {
  schedules: ScheduleView[] | null;
  alerts: { active: SchedulerAlert[]; recent: SchedulerAlert[] } | null;
  /** Run histories of the schedules opened in the panel. */
  runs: Map<string, RunRecord[]>;
  /** Why the last refresh failed (the scheduler is down, ...), or null. */
  error: { code: string; message: string } | null;
  updatedAt: number | null;
}

export class SchedulesModel {
  readonly changed = new Signal<this, void>(this);
  readonly opened = new Set<string>();
  private current: SchedulesState = {
    schedules: null,
    alerts: null,
    runs: new Map(),
    error: null,
    updatedAt: null,
  };
  private timer: number | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(private readonly everyMs = 3_000) {}

  get state(): SchedulesState {
    return this.current;
  }

  /** Starts polling (idempotent). */
  start(): void {
    if (this.timer !== undefined) return;
    void this.refresh();
    this.timer = window.setInterval(() => void this.refresh(), this.everyMs);
  }

  stop(): void {
    window.clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Shows or hides a schedule's history (and loads it now). */
  toggle(scheduleId: string): void {
    if (this.opened.has(scheduleId)) this.opened.delete(scheduleId);
    else this.opened.add(scheduleId);
    this.changed.emit();
    void this.refresh();
  }

  /** Loads everything again; one refresh at a time. */
  refresh(): Promise<void> {
    this.inFlight ??= this.load().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async load(): Promise<void> {
    try {
      const [schedules, alerts] = await Promise.all([SchedulerApi.list(), SchedulerApi.alerts()]);
      const runs = new Map<string, RunRecord[]>();
      const known = new Set(schedules.map((s) => s.id));
      for (const id of [...this.opened]) if (!known.has(id)) this.opened.delete(id);
      await Promise.all(
        [...this.opened].map(async (id) => {
          runs.set(id, await SchedulerApi.runs(id));
        }),
      );
      this.current = { schedules, alerts, runs, error: null, updatedAt: Date.now() };
    } catch (error) {
      const e = error as AiService.ApiError;
      this.current = {
        ...this.current,
        error: { code: e.code ?? 'ERROR', message: e.message },
        updatedAt: Date.now(),
      };
    }
    this.changed.emit();
  }
}
