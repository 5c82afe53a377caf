// A StreamSource over a Delta table: each record is one committed version's new data files
// (adds with dataChange=true). The position of the single key (the table name) is a version.

import type { DeltaTable } from '../delta/DeltaTable.js';
import { resolveDataFilePath } from '../delta/dataFilePath.js';
import type { RecentAppend, RecentAppendsReader } from '../delta/RecentAppends.js';
import type { DataFile } from '../delta/Snapshot.js';
import { DeltaError } from '../errors.js';
import type { PositionRange, StreamBatch } from './StreamBatch.js';
import type { ResumePositions, StreamSource } from './StreamSource.js';

/** The data one version of the source table added. */
export interface DeltaChange {
  version: number;
  files: DataFile[];
  /** Rows added, from the files' statistics (0 when unknown). */
  rows: number;
  /**
   * The same rows from memory, when this process committed the version through the same
   * DeltaTable object and still remembers it (the writer's column arrays, before the cast to
   * the table's types); otherwise read `files`.
   */
  append?: RecentAppend;
}

export interface DeltaStreamSourceOptions {
  /** How often to look for commits made by other processes (ms). */
  pollIntervalMs?: number;
  /** Accept versions that remove data (dataChange=true removes); by default they stop the stream. */
  ignoreDeletes?: boolean;
  /**
   * Rows of the table's latest appends made in this process to keep in memory for this reader
   * (default 250,000; 0: always read the files). An append this reader has taken is let go
   * (when no other reader of the same table object still waits for it).
   */
  memoryRows?: number;
}

function rowsOf(stats: string | undefined): number {
  const m = stats ? /"numRecords"\s*:\s*(\d+)/.exec(stats) : null;
  return m ? Number(m[1]) : 0;
}

export class DeltaStreamSource implements StreamSource<DeltaChange> {
  readonly id: string;
  readonly key: string;
  private nextVersion = 0;
  private resume: ResumePositions | undefined;
  private stopped = false;
  private wakeUp: (() => void) | undefined;
  private readonly unsubscribe: () => void;
  private readonly appends: RecentAppendsReader | undefined;

  constructor(
    private readonly table: DeltaTable,
    private readonly tableName: string,
    private readonly options: DeltaStreamSourceOptions = {},
  ) {
    this.id = `delta:${tableName}`;
    this.key = tableName;
    this.unsubscribe = table.onCommit(() => this.wakeUp?.());
    const memoryRows = options.memoryRows ?? 250_000;
    if (memoryRows > 0) this.appends = table.keepRecentAppends(memoryRows);
  }

  private async resolvePosition(): Promise<void> {
    const positions = await this.resume!([this.key]);
    const last = positions.get(this.key);
    this.nextVersion = last === undefined ? 0 : last + 1;
  }

  async start(resume: ResumePositions): Promise<void> {
    this.resume = resume;
    await this.resolvePosition();
  }

  private async latestVersion(): Promise<number> {
    if (!(await this.table.exists())) return -1;
    return (await this.table.latest()).version;
  }

  private async waitForCommit(maxWaitMs: number): Promise<void> {
    const poll = this.options.pollIntervalMs ?? 200;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.min(maxWaitMs, poll));
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
    this.wakeUp = undefined;
  }

  async next(maxRecords: number, maxWaitMs: number): Promise<StreamBatch<DeltaChange> | undefined> {
    const deadline = Date.now() + maxWaitMs;
    let latest = await this.latestVersion();
    while (latest < this.nextVersion && !this.stopped && Date.now() < deadline) {
      await this.waitForCommit(deadline - Date.now());
      latest = await this.latestVersion();
    }
    if (latest < this.nextVersion || this.stopped) return undefined;
    const changes: DeltaChange[] = [];
    let rows = 0;
    // Read commits in small groups until the batch holds enough rows.
    for (let v = this.nextVersion; v <= latest && rows < maxRecords; ) {
      const group = [];
      for (let i = 0; i < 16 && v <= latest; i++, v++) group.push(v);
      for (const { version, actions } of await this.table.log.readCommits(group)) {
        if (rows >= maxRecords) break;
        const files: DataFile[] = [];
        let added = 0;
        for (const a of actions) {
          if (a.kind === 'add' && a.add.dataChange) {
            files.push({ url: resolveDataFilePath(this.table.store.root, a.add.path), add: a.add });
            added += rowsOf(a.add.stats);
          } else if (a.kind === 'remove' && a.remove.dataChange && !this.options.ignoreDeletes) {
            throw new DeltaError(
              'DELTA_SOURCE_CHANGED',
              this.tableName,
              version,
              'the streaming source removed data; a stream reads appends only (set ignoreDeletes to go on)',
            );
          }
        }
        const append = this.table.recentAppend(
          version,
          files.map((f) => f.add.path),
        );
        changes.push({ version, files, rows: added, ...(append ? { append } : {}) });
        rows += added;
      }
    }
    const first = changes[0]!.version;
    const last = changes[changes.length - 1]!.version;
    this.nextVersion = last + 1;
    // The batch holds what it took; a rewind after a failed batch reads those versions' files.
    this.appends?.taken(last);
    const ranges = new Map<string, PositionRange>([[this.key, { first, last }]]);
    return { records: changes, ranges, polledAt: Date.now(), lag: latest - last };
  }

  async rewind(): Promise<void> {
    await this.resolvePosition();
  }

  async lag(): Promise<number | undefined> {
    return Math.max(0, (await this.latestVersion()) - this.nextVersion + 1);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    this.appends?.close();
    this.wakeUp?.();
  }
}
