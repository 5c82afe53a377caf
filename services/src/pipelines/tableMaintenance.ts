// Table upkeep off the hot path: every so often, OPTIMIZE each table whose small files piled
// up; less often, delete its expired log files and VACUUM the files it no longer needs. Commits
// of the streams go on meanwhile; a conflict just waits for next time.
import type { Lakehouse, Logger } from '@rt-lakehouse/kernel-helpers';
// The Delta and stream entries alone: the compactor process loads this module (see
// compactorRun.ts); the stream entry adds ~40 ms to its start.
import { type DeltaTable, deletedFileRetentionHours } from '@rt-lakehouse/kernel-helpers/delta';
import { txnPositionKey } from '@rt-lakehouse/kernel-helpers/stream';

/** How often the compactor cleans up expired log files and VACUUMs by default: hourly. */
export const DEFAULT_CLEANUP_EVERY_MS = 3_600_000;

export interface TableMaintenanceOptions {
  lakehouse: Lakehouse;
  tables: readonly string[];
  logger: Logger;
  /** Time between rounds (ms). */
  everyMs?: number;
  /** Time to the first round (ms; default everyMs). */
  firstRoundInMs?: number;
  /** Compact a table once it has at least this many files below `smallFileBytes`. */
  minSmallFiles?: number;
  smallFileBytes?: number;
  targetFileBytes?: number;
  /**
   * Time between cleanups (ms; 0: none): each table's expired log files (its
   * `delta.logRetentionDuration`) and a VACUUM (its `delta.deletedFileRetentionDuration`). The
   * first runs with the first round. Default 1 hour.
   */
  cleanupEveryMs?: number;
}

/** What one table's cleanup did. */
export interface TableCleanup {
  table: string;
  /** Log files deleted, and the oldest version left when the log was cut. */
  logFilesDeleted: number;
  oldestVersion: number | undefined;
  /** Data files VACUUM deleted; undefined when VACUUM waited for a lagging reader. */
  filesVacuumed: number | undefined;
}

export interface TableMaintenance {
  /** Runs one round now (also what the timer calls). */
  runOnce(): Promise<{ table: string; filesRemoved: number; filesAdded: number }[]>;
  /** Runs one cleanup now (also what the rounds do every cleanupEveryMs). */
  cleanupOnce(): Promise<TableCleanup[]>;
  stop(): Promise<void>;
}

export function startTableMaintenance(options: TableMaintenanceOptions): TableMaintenance {
  const small = options.smallFileBytes ?? 16 * 1024 * 1024;
  const minSmall = options.minSmallFiles ?? 20;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const runOnce = async () => {
    const results: { table: string; filesRemoved: number; filesAdded: number }[] = [];
    for (const name of options.tables) {
      if (stopped) break;
      try {
        const table = await options.lakehouse.table(name);
        if (!(await table.exists())) continue;
        const snapshot = await table.latest();
        const smallFiles = snapshot.files().filter((f) => f.add.size < small).length;
        if (smallFiles < minSmall) continue;
        const result = await table.optimize({
          minFileBytes: small,
          targetFileBytes: options.targetFileBytes ?? 128 * 1024 * 1024,
        });
        results.push({ table: name, filesRemoved: result.filesRemoved, filesAdded: result.filesAdded });
        options.logger.info('compacted small files', { table: name, ...result });
      } catch (error) {
        options.logger.warn('compaction skipped', { table: name, error: (error as Error).message });
      }
    }
    return results;
  };
  const cleanupOnce = async () => {
    const results: TableCleanup[] = [];
    const tables = new Map<string, DeltaTable>();
    for (const name of options.tables) {
      const table = await options.lakehouse.table(name);
      if (await table.exists()) tables.set(name, table);
    }
    const readers = await streamPositions(tables);
    for (const [name, table] of tables) {
      if (stopped) break;
      try {
        results.push(await cleanUp(name, table, readers.get(name) ?? [], options.logger));
      } catch (error) {
        options.logger.warn('cleanup skipped', { table: name, error: (error as Error).message });
      }
    }
    return results;
  };
  const cleanupEveryMs = options.cleanupEveryMs ?? DEFAULT_CLEANUP_EVERY_MS;
  let lastCleanup = Number.NEGATIVE_INFINITY;
  const round = () => {
    running = running.then(runOnce).then(async () => {
      if (cleanupEveryMs <= 0 || stopped || Date.now() - lastCleanup < cleanupEveryMs) return;
      lastCleanup = Date.now();
      await cleanupOnce();
    });
  };
  let timer: NodeJS.Timeout | undefined;
  const first = setTimeout(
    () => {
      round();
      timer = setInterval(round, options.everyMs ?? 60_000);
      timer.unref();
    },
    options.firstRoundInMs ?? options.everyMs ?? 60_000,
  );
  first.unref();
  return {
    runOnce: () => {
      const round = running.then(runOnce);
      running = round;
      return round;
    },
    cleanupOnce: () => {
      const cleanup = running.then(cleanupOnce);
      running = cleanup;
      return cleanup;
    },
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running.catch(() => {});
    },
  };
}

/**
 * How far the streams reading each table got: a pipeline records the last version of table T it
 * read as a `txn` with app id `<pipeline>:T` (pipelineTxnAppId) in each of its sinks (Silver's `silver:bronze_events`
 * in silver_events and quarantine_events). Table name → those versions.
 */
async function streamPositions(tables: ReadonlyMap<string, DeltaTable>): Promise<Map<string, number[]>> {
  const positions = new Map<string, number[]>();
  for (const table of tables.values()) {
    for (const [appId, txn] of (await table.latest()).state.txns) {
      const source = txnPositionKey(appId);
      if (source !== undefined && tables.has(source))
        positions.set(source, [...(positions.get(source) ?? []), txn.version]);
    }
  }
  return positions;
}

/**
 * One table's cleanup. Never takes away what a stream still has to read: the log is not cut
 * above the oldest version a reader needs next, and VACUUM waits while a reader is so far behind
 * that the files of its next version may be past the retention.
 */
async function cleanUp(name: string, table: DeltaTable, readers: readonly number[], logger: Logger) {
  const snapshot = await table.latest();
  const next = readers.length > 0 ? Math.min(...readers) + 1 : undefined;
  const log = await table.cleanupLog(next === undefined ? {} : { keepFrom: next });
  let filesVacuumed: number | undefined;
  const lagging =
    next !== undefined &&
    next <= snapshot.version &&
    (await table.log.commitTimestamp(next)) <
      Date.now() - deletedFileRetentionHours(snapshot.properties) * 3_600_000;
  if (lagging) {
    logger.warn('vacuum waits for a stream that is behind the retention', { table: name, nextVersion: next });
  } else {
    filesVacuumed = (await table.vacuum({ dryRun: false })).files.length;
  }
  const result = { table: name, logFilesDeleted: log.filesDeleted, oldestVersion: log.cutAt, filesVacuumed };
  if (log.filesDeleted > 0 || (filesVacuumed ?? 0) > 0) logger.info('cleaned up', { ...result });
  return result;
}
