// The lakehouse catalog: the Delta tables under `<dir>/delta/<name>`, listed and opened by
// name, all sharing one DeltaDuckDb for their parquet I/O.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DeltaDuckDb } from '../delta/DeltaDuckDb.js';
import { LOG_DIR } from '../delta/DeltaLog.js';
import { DeltaTable } from '../delta/DeltaTable.js';
import { LakehouseError } from '../errors.js';
import type { Logger } from '../logger.js';
import { noopLogger } from '../noopLogger.js';
import { lakehouseConfigFromEnv } from './lakehouseConfigFromEnv.js';

/** Table names the catalog exposes: plain SQL identifiers, so each can be a DuckDB view. */
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface LakehouseOptions {
  /** The lakehouse folder; `LAKEHOUSE_DIR` (default `./data`) when omitted. */
  dir?: string;
  /** The DuckDB instance for Delta I/O; created (and closed by `close()`) when omitted. */
  duck?: DeltaDuckDb;
  logger?: Logger;
}

export class Lakehouse {
  /** Absolute path of the lakehouse folder (symbolic links resolved when it exists). */
  readonly dir: string;
  /** Absolute path of the folder holding one sub-folder per Delta table. */
  readonly deltaDir: string;
  readonly duck: DeltaDuckDb;
  private readonly ownsDuck: boolean;
  private readonly logger: Logger;
  private readonly opened = new Map<string, DeltaTable>();

  private constructor(dir: string, duck: DeltaDuckDb, ownsDuck: boolean, logger: Logger) {
    this.dir = dir;
    this.deltaDir = path.join(dir, 'delta');
    this.duck = duck;
    this.ownsDuck = ownsDuck;
    this.logger = logger;
  }

  /** Opens the lakehouse at `options.dir` or `LAKEHOUSE_DIR`. The folder need not exist yet. */
  static async open(options: LakehouseOptions = {}): Promise<Lakehouse> {
    const dir = await realDir(path.resolve(options.dir ?? lakehouseConfigFromEnv().dir));
    const duck = options.duck ?? (await DeltaDuckDb.create());
    return new Lakehouse(dir, duck, options.duck === undefined, options.logger ?? noopLogger);
  }

  /** Whether `name` can name a lakehouse table (a plain SQL identifier). */
  static isTableName(name: string): boolean {
    return TABLE_NAME.test(name);
  }

  /**
   * The folder of table `name`.
   * @throws LakehouseError LAKEHOUSE_INVALID_TABLE_NAME when `name` is not a plain identifier.
   */
  tablePath(name: string): string {
    if (!Lakehouse.isTableName(name)) {
      throw new LakehouseError(
        'LAKEHOUSE_INVALID_TABLE_NAME',
        `invalid table name ${JSON.stringify(name)}: use letters, digits and underscores, not starting with a digit`,
      );
    }
    return path.join(this.deltaDir, name);
  }

  /**
   * Names of the Delta tables (folders under `delta/` holding a `_delta_log` folder), sorted.
   * Folders whose names are not plain identifiers, or that differ from an earlier name only by
   * case, are skipped with a warning. A missing lakehouse folder has no tables.
   */
  async tableNames(): Promise<string[]> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(this.deltaDir, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const names: string[] = [];
    const seen = new Set<string>();
    const folders = entries
      .filter((entry) => entry.isDirectory())
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // The log-folder checks are independent: run them at once (the engine lists before each query).
    const hasLog = await Promise.all(
      folders.map((entry) => isDirectory(path.join(this.deltaDir, entry.name, LOG_DIR))),
    );
    for (const [i, entry] of folders.entries()) {
      if (!hasLog[i]) continue;
      if (!Lakehouse.isTableName(entry.name)) {
        this.logger.warn('skipping a Delta table whose folder name is not a SQL identifier', {
          folder: entry.name,
        });
        continue;
      }
      if (seen.has(entry.name.toLowerCase())) {
        this.logger.warn('skipping a Delta table whose name differs from another only by case', {
          folder: entry.name,
        });
        continue;
      }
      seen.add(entry.name.toLowerCase());
      names.push(entry.name);
    }
    return names;
  }

  /**
   * The Delta table `name` (opened once and cached; it need not exist yet, so writers can
   * create it). @throws LakehouseError LAKEHOUSE_INVALID_TABLE_NAME for a bad name.
   */
  async table(name: string): Promise<DeltaTable> {
    const location = this.tablePath(name);
    let table = this.opened.get(name);
    if (!table) {
      table = await DeltaTable.forPath(location, { duck: this.duck, name, logger: this.logger });
      this.opened.set(name, table);
    }
    return table;
  }

  /** Drops the cached DeltaTable of `name` (after the table was deleted, so a new one starts afresh). */
  forget(name: string): void {
    this.opened.delete(name);
  }

  /** Closes the DuckDB instance of Delta I/O when this lakehouse created it. */
  close(): void {
    if (this.ownsDuck) this.duck.close();
  }
}

async function isDirectory(location: string): Promise<boolean> {
  try {
    return (await fs.stat(location)).isDirectory();
  } catch {
    return false;
  }
}

/** The real path of `dir` when it exists (DuckDB compares allowed directories textually). */
async function realDir(dir: string): Promise<string> {
  try {
    return await fs.realpath(dir);
  } catch {
    return dir;
  }
}
