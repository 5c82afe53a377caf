// Runs one pipeline definition: takes batches from its source, transforms them, and commits
// each sink's rows together with `txn` actions recording the source positions, so that a
// restart resumes exactly where the tables say and nothing is lost or written twice.
//
// Lifecycle (legal transitions):
//   created → starting → idle ⇄ running → committing → idle
//   any → stopping → stopped;  starting | running | committing → failed
import type { DuckDBConnection } from '@duckdb/node-api';
import { Registry } from 'prom-client';
import type { DeltaTable } from '../delta/DeltaTable.js';
import { CommitConflictError, LakehouseError } from '../errors.js';
import type { Logger } from '../logger.js';
import type {
  BatchContext,
  PipelineDefinition,
  PipelineEnv,
  SinkWrite,
  Trigger,
} from './PipelineDefinition.js';
import { pipelineMetrics } from './PipelineMetrics.js';
import { pipelineTxnAppId, pipelineTxnKey } from './pipelineTxn.js';
import type { StreamBatch } from './StreamBatch.js';
import type { StreamSource } from './StreamSource.js';

export type PipelineState =
  | 'created'
  | 'starting'
  | 'idle'
  | 'running'
  | 'committing'
  | 'stopping'
  | 'stopped'
  | 'failed';

const TRANSITIONS: Record<PipelineState, readonly PipelineState[]> = {
  created: ['starting', 'stopping'],
  starting: ['idle', 'failed', 'stopping'],
  idle: ['running', 'stopping'],
  running: ['committing', 'idle', 'failed', 'stopping'],
  committing: ['idle', 'failed', 'stopping'],
  stopping: ['stopped'],
  stopped: [],
  failed: ['stopping'],
};

/** Figures of one committed batch. */
export interface BatchReport {
  at: string;
  rowsIn: number;
  rowsOut: Record<string, number>;
  durationMs: number;
  /** Event time of the batch's oldest record to the end of its last commit. */
  freshnessMs: number | undefined;
  lag: number | undefined;
  counters: Record<string, number>;
  versions: Record<string, number>;
  /** Where the batch's time went: the transform, and each sink's write and commit. */
  timings: { transformMs: number; writeMs: Record<string, number> };
}

export interface PipelineStatus {
  name: string;
  description: string | undefined;
  state: PipelineState;
  startedAt: string | undefined;
  lastBatch: BatchReport | undefined;
  totals: {
    batches: number;
    rowsIn: number;
    rowsOut: Record<string, number>;
    conflicts: number;
    failures: number;
    counters: Record<string, number>;
  };
  lag: number | undefined;
  watermark: string | undefined;
  error: string | undefined;
}

export interface PipelineRunnerOptions {
  /** Prometheus registry for the runtime's metrics (a private one by default). */
  registry?: Registry;
  /** Pause after a failed batch before trying again (ms). */
  retryDelayMs?: number;
  /** Give up (state failed) after this many failures in a row. */
  maxConsecutiveFailures?: number;
}

const DEFAULT_TRIGGER: Trigger = { kind: 'continuous' };

/** Positions already written, per sink table and source key. */
type SinkPositions = Map<string, Map<string, number>>;

export class PipelineRunner<R> {
  private state: PipelineState = 'created';
  private source: StreamSource<R> | undefined;
  private loop: Promise<void> | undefined;
  private starting: Promise<void> | undefined;
  private readonly tables = new Map<string, DeltaTable>();
  private connection: DuckDBConnection | undefined;
  private positions: SinkPositions = new Map();
  private readonly logger: Logger;
  private readonly metrics;
  private startedAt: string | undefined;
  private lastBatch: BatchReport | undefined;
  private readonly totals: PipelineStatus['totals'] = {
    batches: 0,
    rowsIn: 0,
    rowsOut: {},
    conflicts: 0,
    failures: 0,
    counters: {},
  };
  private watermark: number | undefined;
  private lag: number | undefined;
  private error: string | undefined;
  private stopRequested = false;
  private readonly batchListeners = new Set<(report: BatchReport) => void>();

  constructor(
    readonly definition: PipelineDefinition<R>,
    private readonly env: PipelineEnv,
    private readonly options: PipelineRunnerOptions = {},
  ) {
    this.logger = env.logger;
    this.metrics = pipelineMetrics(options.registry ?? new Registry());
  }

  private transition(next: PipelineState): void {
    if (!TRANSITIONS[this.state].includes(next)) {
      throw new LakehouseError(
        'PIPELINE_BAD_TRANSITION',
        `pipeline ${this.definition.name}: cannot go from ${this.state} to ${next}`,
      );
    }
    this.state = next;
  }

  /** The pipeline's state, totals, last batch and lag. */
  status(): PipelineStatus {
    return {
      name: this.definition.name,
      description: this.definition.description,
      state: this.state,
      startedAt: this.startedAt,
      lastBatch: this.lastBatch,
      totals: structuredClone(this.totals),
      lag: this.lag,
      watermark: this.watermark === undefined ? undefined : new Date(this.watermark).toISOString(),
      error: this.error,
    };
  }

  /** Calls `listener` after every committed batch. Returns an unsubscribe function. */
  onBatch(listener: (report: BatchReport) => void): () => void {
    this.batchListeners.add(listener);
    return () => this.batchListeners.delete(listener);
  }

  /**
   * Creates missing sink tables, rebuilds state, starts the source and runs batches in the
   * background until `stop()` (or, for `availableNow`, until the source is drained).
   * Resolves once running; `done()` resolves when the loop ends.
   */
  async start(): Promise<void> {
    this.transition('starting');
    this.startedAt = new Date().toISOString();
    // A retriable failure (a broker not up yet) is retried until it works or stop() is called.
    for (let attempt = 1; ; attempt++) {
      this.starting = this.startUp();
      try {
        await this.starting;
        break;
      } catch (error) {
        if (this.stopRequested) return;
        const retriable = error instanceof LakehouseError && error.retriable;
        if (!retriable) {
          this.fail(error);
          throw error;
        }
        this.error = (error as Error).message;
        this.logger.warn('pipeline start failed; retrying', {
          pipeline: this.definition.name,
          attempt,
          error: this.error,
        });
        await this.source?.stop().catch(() => {});
        this.source = undefined;
        this.connection?.closeSync();
        this.connection = undefined;
        await new Promise((r) => setTimeout(r, Math.min(30_000, 1_000 * 2 ** Math.min(attempt, 5))));
        if (this.stopRequested) return;
      }
    }
    if (this.stopRequested) return;
    this.error = undefined;
    this.transition('idle');
    this.loop = this.run();
  }

  private async startUp(): Promise<void> {
    for (const sink of this.definition.sinks) {
      const table = await this.env.lakehouse.table(sink.table);
      await table.create({
        schema: sink.schema,
        ifNotExists: true,
        ...(sink.partitionBy ? { partitionColumns: sink.partitionBy } : {}),
        ...(sink.properties ? { properties: sink.properties } : {}),
      });
      if (sink.properties) await this.keepProperties(table, sink.properties);
      this.tables.set(sink.table, table);
    }
    this.connection = await this.env.lakehouse.duck.connect();
    await this.refreshPositions();
    await this.definition.init?.(this.context());
    if (this.stopRequested) return;
    this.source = await this.definition.source(this.env);
    await this.source.start(async (keys) => {
      await this.refreshPositions();
      return new Map(keys.map((k) => [k, this.minPosition(k)]));
    });
  }

  /**
   * Sets the sink's declared properties on a table that holds other values (one made before
   * they were declared, or changed since). A runner starting beside this one may set them
   * first: its commit makes ours conflict, and the second look finds nothing left to do.
   */
  private async keepProperties(table: DeltaTable, properties: Record<string, string>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await table.setProperties(properties); // logs what it changes
        return;
      } catch (error) {
        if (!(error instanceof CommitConflictError) || attempt >= 3) throw error;
      }
    }
  }

  /** Resolves when the batch loop has ended (stopped, drained or failed). */
  async done(): Promise<void> {
    await this.loop;
  }

  /** Stops after the batch in progress (its commits complete) and releases the source. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.stopRequested = true;
    if (this.state === 'starting') {
      // Unblock a source still joining its group, then let start-up unwind.
      await this.source?.stop();
      await Promise.race([this.starting?.catch(() => {}), new Promise((r) => setTimeout(r, 10_000).unref())]);
    }
    await this.loop?.catch(() => {});
    if (this.state !== 'stopping') this.transition('stopping');
    await this.source?.stop();
    this.connection?.closeSync();
    this.connection = undefined;
    this.transition('stopped');
  }

  private fail(error: unknown): void {
    this.error = (error as Error).message;
    this.logger.error('pipeline failed', { pipeline: this.definition.name, error: this.error });
    if (this.state !== 'failed') this.transition('failed');
  }

  private async refreshPositions(): Promise<void> {
    const positions: SinkPositions = new Map();
    for (const [name, table] of this.tables) {
      const snapshot = await table.latest();
      const byKey = new Map<string, number>();
      for (const [appId, txn] of snapshot.state.txns) {
        const key = pipelineTxnKey(this.definition.name, appId);
        if (key !== undefined) byKey.set(key, txn.version);
      }
      positions.set(name, byKey);
    }
    this.positions = positions;
  }

  /** The position every sink has reached for `key` (undefined when some sink has none). */
  private minPosition(key: string): number | undefined {
    let min: number | undefined;
    for (const sink of this.definition.sinks) {
      const p = this.positions.get(sink.table)?.get(key);
      if (p === undefined) return undefined;
      min = min === undefined ? p : Math.min(min, p);
    }
    return min;
  }

  private context(): BatchContext {
    return {
      env: this.env,
      pipeline: this.definition.name,
      connection: this.connection!,
      sinkPosition: (table, key) => this.positions.get(table)?.get(key),
      isWritten: (table, key, position) => {
        const p = this.positions.get(table)?.get(key);
        return p !== undefined && position <= p;
      },
    };
  }

  private async run(): Promise<void> {
    const trigger = this.definition.trigger ?? DEFAULT_TRIGGER;
    const maxRecords = trigger.maxBatchRecords ?? 50_000;
    const waitMs =
      trigger.kind === 'continuous' ? (trigger.maxWaitMs ?? 250) : trigger.kind === 'interval' ? 0 : 1_000;
    let consecutiveFailures = 0;
    while (!this.stopRequested) {
      const tickStart = Date.now();
      try {
        const batch = await this.source!.next(maxRecords, waitMs);
        if (this.stopRequested) break;
        if (!batch) {
          this.lag = await this.source!.lag();
          this.metrics.lag.set({ pipeline: this.definition.name }, this.lag ?? 0);
          if (trigger.kind === 'availableNow' && (this.lag ?? 0) === 0) break;
          // Never spin: a source that answers at once must still let timers and I/O run.
          await new Promise((r) => setTimeout(r, trigger.kind === 'continuous' ? 10 : 0));
        } else {
          this.transition('running');
          await this.process(batch);
          if (this.state === 'running' || this.state === 'committing') this.transition('idle');
        }
        consecutiveFailures = 0;
      } catch (error) {
        if (this.state === 'running' || this.state === 'committing') this.transition('idle');
        if (error instanceof CommitConflictError) {
          // Another writer moved a sink on: start again from what the tables hold.
          this.totals.conflicts++;
          this.metrics.conflicts.inc({ pipeline: this.definition.name });
          this.logger.warn('batch abandoned after a commit conflict', {
            pipeline: this.definition.name,
            error: error.message,
          });
          await this.recover();
          continue;
        }
        consecutiveFailures++;
        this.totals.failures++;
        this.metrics.failures.inc({ pipeline: this.definition.name });
        this.error = (error as Error).message;
        this.logger.error('batch failed', {
          pipeline: this.definition.name,
          error: this.error,
          attempt: consecutiveFailures,
        });
        const fatal =
          error instanceof LakehouseError &&
          !error.retriable &&
          error.code.startsWith('PIPELINE_EXPECTATION');
        if (fatal || consecutiveFailures >= (this.options.maxConsecutiveFailures ?? 20)) {
          this.fail(error);
          return;
        }
        await new Promise((r) =>
          setTimeout(r, (this.options.retryDelayMs ?? 1_000) * Math.min(consecutiveFailures, 10)),
        );
        await this.recover().catch((e: unknown) =>
          this.logger.warn('recovery failed', { error: (e as Error).message }),
        );
        continue;
      }
      if (trigger.kind === 'interval') {
        const rest = trigger.everyMs - (Date.now() - tickStart);
        if (rest > 0) await new Promise((r) => setTimeout(r, rest));
      }
    }
    if (!this.stopRequested && this.state === 'idle') {
      // Drained (availableNow).
      this.transition('stopping');
      await this.source!.stop();
      this.connection?.closeSync();
      this.connection = undefined;
      this.transition('stopped');
    }
  }

  private async recover(): Promise<void> {
    await this.refreshPositions();
    await this.definition.init?.(this.context());
    await this.source!.rewind();
  }

  private async process(batch: StreamBatch<R>): Promise<void> {
    const started = Date.now();
    const name = this.definition.name;
    await this.refreshPositions();
    // A batch that starts after a gap in some sink is stale (a rebalance or crash moved the
    // sinks): go back to the positions the tables hold.
    for (const [key, range] of batch.ranges) {
      for (const sink of this.definition.sinks) {
        const p = this.positions.get(sink.table)?.get(key);
        if (p !== undefined && p < range.first - 1) {
          this.logger.warn('stale batch: a sink is behind its first record', {
            pipeline: name,
            key,
            sink: sink.table,
            position: p,
            first: range.first,
          });
          await this.source!.rewind();
          return;
        }
      }
    }
    // Records every sink already has are left out; a sink further ahead is told per record.
    const records = batch.records.filter((r) => {
      const { key, position } = this.definition.positionOf(r);
      const min = this.minPosition(key);
      return min === undefined || position > min;
    });
    const needsWrite = (table: string) =>
      [...batch.ranges].some(([key, range]) => {
        const p = this.positions.get(table)?.get(key);
        return p === undefined || p < range.last;
      });
    if (!this.definition.sinks.some((s) => needsWrite(s.table))) return;
    const transformStarted = Date.now();
    const result = await this.definition.transform({ ...batch, records }, this.context());
    const transformMs = Date.now() - transformStarted;
    const writeMs: Record<string, number> = {};
    this.transition('committing');
    const writes = new Map<string, SinkWrite>();
    for (const w of result.writes) writes.set(w.table, w);
    const rowsOut: Record<string, number> = {};
    const versions: Record<string, number> = {};
    for (const sink of this.definition.sinks) {
      if (!needsWrite(sink.table)) continue;
      const txns = [...batch.ranges]
        .filter(([key, range]) => {
          const p = this.positions.get(sink.table)?.get(key);
          return p === undefined || p < range.last;
        })
        .map(([key, range]) => ({ key, appId: pipelineTxnAppId(name, key), version: range.last }));
      const write = writes.get(sink.table) ?? { table: sink.table, source: { rows: [] } };
      const source = await this.applyExpectations(sink.table, write);
      const table = this.tables.get(sink.table)!;
      const writeStarted = Date.now();
      const committed = await table.write(source, {
        ...(write.mode ? { mode: write.mode } : {}),
        ...(write.replaceWhere ? { replaceWhere: write.replaceWhere } : {}),
        txns: txns.map(({ appId, version }) => ({ appId, version })),
        operation: 'STREAMING UPDATE',
        operationParameters: { pipeline: name, outputMode: write.replaceWhere ? 'Update' : 'Append' },
      });
      writeMs[sink.table] = Date.now() - writeStarted;
      rowsOut[sink.table] = committed.rowsWritten;
      versions[sink.table] = committed.version;
      const byKey = this.positions.get(sink.table) ?? new Map<string, number>();
      for (const t of txns) byKey.set(t.key, t.version);
      this.positions.set(sink.table, byKey);
    }
    const ended = Date.now();
    this.lag = batch.lag;
    if (result.watermark !== undefined) this.watermark = result.watermark;
    const report: BatchReport = {
      at: new Date(ended).toISOString(),
      rowsIn: result.rowsIn,
      rowsOut,
      durationMs: ended - started,
      freshnessMs: result.eventTime ? ended - result.eventTime.min : undefined,
      lag: batch.lag,
      counters: result.counters ?? {},
      versions,
      timings: { transformMs, writeMs },
    };
    this.record(report);
  }

  /** Applies the sink's expectations to a SQL write (rows writes are checked through SQL too). */
  private async applyExpectations(table: string, write: SinkWrite): Promise<SinkWrite['source']> {
    const expectations = (this.definition.expectations ?? []).filter((e) => e.table === table);
    if (expectations.length === 0) return write.source;
    if (!('sql' in write.source)) {
      throw new LakehouseError(
        'PIPELINE_EXPECTATION_UNSUPPORTED',
        `expectations on ${table} need a SQL write, not rows`,
      );
    }
    let sql = write.source.sql;
    const counts = await this.connection!.runAndReadAll(
      `SELECT ${expectations.map((e, i) => `count(*) FILTER (WHERE NOT coalesce((${e.sql}), FALSE)) AS v${i}`).join(', ')} FROM (${sql})`,
    );
    const row = counts.getRows()[0]!;
    expectations.forEach((e, i) => {
      const violations = Number(row[i]);
      if (violations === 0) return;
      this.bump(`expectation_${e.name}`, violations);
      if (e.onViolation === 'fail') {
        throw new LakehouseError(
          'PIPELINE_EXPECTATION_FAILED',
          `expectation '${e.name}' (${e.sql}) failed for ${violations} rows of ${table}`,
        );
      }
      this.logger.warn('expectation violated', {
        pipeline: this.definition.name,
        expectation: e.name,
        rows: violations,
        action: e.onViolation,
      });
      if (e.onViolation === 'drop') sql = `SELECT * FROM (${sql}) WHERE coalesce((${e.sql}), FALSE)`;
    });
    return { ...write.source, sql };
  }

  private bump(counter: string, n: number): void {
    this.totals.counters[counter] = (this.totals.counters[counter] ?? 0) + n;
    this.metrics.counters.inc({ pipeline: this.definition.name, counter }, n);
  }

  private record(report: BatchReport): void {
    const name = this.definition.name;
    this.lastBatch = report;
    this.totals.batches++;
    this.totals.rowsIn += report.rowsIn;
    this.metrics.batches.inc({ pipeline: name });
    this.metrics.rowsIn.inc({ pipeline: name }, report.rowsIn);
    for (const [table, n] of Object.entries(report.rowsOut)) {
      this.totals.rowsOut[table] = (this.totals.rowsOut[table] ?? 0) + n;
      this.metrics.rowsOut.inc({ pipeline: name, table }, n);
    }
    for (const [counter, n] of Object.entries(report.counters)) if (n > 0) this.bump(counter, n);
    this.metrics.batchSeconds.observe({ pipeline: name }, report.durationMs / 1000);
    if (report.freshnessMs !== undefined)
      this.metrics.freshnessSeconds.observe({ pipeline: name }, report.freshnessMs / 1000);
    this.metrics.lag.set({ pipeline: name }, report.lag ?? 0);
    if (this.watermark !== undefined) this.metrics.watermark.set({ pipeline: name }, this.watermark / 1000);
    for (const listener of this.batchListeners) listener(report);
  }
}
