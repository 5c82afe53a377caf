// The sidebar's model: service health, pipeline status, tables, quarantine counts and
// schedules, polled while the sidebar is visible. Each part keeps its own error, so one
// service that is down does not blank the others.
import { type ISignal, Signal } from '@lumino/signaling';
import { AiService } from './AiService';
import type { Alerts, Health, HistoryEntry, PipelinesStatus, Schedule, TableInfo } from './contract';
import type { SettingsModel } from './SettingsModel';

/** A value that was fetched, or the reason it could not be. */
export type Fetched<T> = { ok: true; value: T } | { ok: false; error: string; code: string };

/** One pipeline's figures for the sidebar. */
export interface PipelineRow {
  name: string;
  state: string;
  lag: number | null;
  rowsPerSecond: number | null;
  freshnessMs: number | null;
  lastBatchAt: string | null;
  error: string | null;
}

export interface LakehouseState {
  health?: Fetched<Health>;
  pipelines?: Fetched<PipelineRow[]>;
  tables?: Fetched<TableInfo[]>;
  quarantine?: Fetched<{ reason: string; count: number }[]>;
  schedules?: Fetched<Schedule[]>;
  alerts?: Fetched<Alerts>;
  updatedAt?: string;
}

const QUARANTINE_SQL =
  'SELECT reason, count(*) AS count FROM quarantine_events GROUP BY reason ORDER BY count DESC, reason LIMIT 20';

export class LakehouseModel {
  private stateValue: LakehouseState = {};
  private readonly changedSignal = new Signal<this, LakehouseState>(this);
  private timer: number | undefined;
  private refreshing: Promise<void> | undefined;
  private readonly lastRowsIn = new Map<string, { rowsIn: number; at: number }>();
  private quarantineVersion: number | undefined;
  private readonly histories = new Map<string, Fetched<HistoryEntry[]>>();

  constructor(private readonly settings: SettingsModel) {
    settings.changed.connect(() => {
      if (this.timer !== undefined) this.start();
    });
  }

  get changed(): ISignal<this, LakehouseState> {
    return this.changedSignal;
  }

  get state(): LakehouseState {
    return this.stateValue;
  }

  /** Starts polling (refreshes now). */
  start(): void {
    this.stop();
    void this.refresh();
    this.timer = window.setInterval(
      () => void this.refresh(),
      this.settings.value.sidebarRefreshSeconds * 1000,
    );
  }

  /** Stops polling. */
  stop(): void {
    window.clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Fetches everything once (concurrent calls share one refresh). */
  refresh(): Promise<void> {
    this.refreshing ??= this.fetchAll().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** A table's Delta history (cached until `reloadHistory`). */
  history(name: string): Fetched<HistoryEntry[]> | undefined {
    return this.histories.get(name);
  }

  async reloadHistory(name: string): Promise<void> {
    this.histories.set(name, await fetched(() => AiService.tableHistory(name, 20)));
    this.changedSignal.emit(this.stateValue);
  }

  private async fetchAll(): Promise<void> {
    const [health, pipelines, tables, schedules, alerts] = await Promise.all([
      fetched(() => AiService.health()),
      fetched(() => AiService.pipelines()),
      fetched(() => AiService.tables()),
      fetched(() => AiService.schedules()),
      fetched(() => AiService.alerts()),
    ]);
    const next: LakehouseState = {
      health,
      pipelines: pipelines.ok ? { ok: true, value: this.pipelineRows(pipelines.value) } : pipelines,
      tables,
      schedules,
      alerts,
      quarantine: this.stateValue.quarantine,
      updatedAt: new Date().toISOString(),
    };
    const quarantineTable = tables.ok ? tables.value.find((t) => t.name === 'quarantine_events') : undefined;
    if (!quarantineTable) {
      next.quarantine = tables.ok ? { ok: true, value: [] } : undefined;
    } else if (quarantineTable.version !== this.quarantineVersion || !next.quarantine) {
      next.quarantine = await fetched(async () => {
        const answer = await AiService.sql({ sql: QUARANTINE_SQL });
        return answer.rows.map((r) => ({ reason: String(r['reason']), count: Number(r['count']) }));
      });
      if (next.quarantine.ok) this.quarantineVersion = quarantineTable.version;
    }
    this.stateValue = next;
    this.changedSignal.emit(next);
  }

  private pipelineRows(status: PipelinesStatus): PipelineRow[] {
    const list = Array.isArray(status) ? status : Array.isArray(status.pipelines) ? status.pipelines : [];
    const now = Date.now();
    return list.map((p) => {
      const item = p as Record<string, unknown>;
      const name = String(item['name'] ?? '?');
      const totals = (item['totals'] ?? {}) as Record<string, unknown>;
      const lastBatch = (item['lastBatch'] ?? null) as Record<string, unknown> | null;
      const rowsIn = typeof totals['rowsIn'] === 'number' ? totals['rowsIn'] : null;
      let rowsPerSecond: number | null = null;
      const previous = this.lastRowsIn.get(name);
      if (rowsIn !== null) {
        if (previous && now > previous.at)
          rowsPerSecond = ((rowsIn - previous.rowsIn) * 1000) / (now - previous.at);
        this.lastRowsIn.set(name, { rowsIn, at: now });
      }
      const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
      return {
        name,
        state: String(item['state'] ?? 'unknown'),
        lag: num(item['lag']),
        rowsPerSecond: rowsPerSecond === null ? null : Math.max(0, rowsPerSecond),
        freshnessMs: num(lastBatch?.['freshnessMs']),
        lastBatchAt: typeof lastBatch?.['at'] === 'string' ? (lastBatch['at'] as string) : null,
        error: typeof item['error'] === 'string' ? (item['error'] as string) : null,
      };
    });
  }
}

async function fetched<T>(call: () => Promise<T>): Promise<Fetched<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    const e = error as AiService.ApiError;
    return { ok: false, error: e.message, code: e.code ?? 'ERROR' };
  }
}
