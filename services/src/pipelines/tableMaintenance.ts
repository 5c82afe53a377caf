// Small-file compaction off the hot path: every so often, OPTIMIZE each table whose small
// files piled up. Commits of the streams go on meanwhile; a conflict just waits for next time.
import type { Lakehouse, Logger } from '@rt-lakehouse/kernel-helpers';

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
}

export interface TableMaintenance {
  /** Runs one round now (also what the timer calls). */
  runOnce(): Promise<{ table: string; filesRemoved: number; filesAdded: number }[]>;
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
  const round = () => {
    running = running.then(runOnce);
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
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running.catch(() => {});
    },
  };
}
