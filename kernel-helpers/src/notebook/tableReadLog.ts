// Which table versions a notebook read, told to whoever runs it. The scheduler sets
// RTLAKEHOUSE_TABLE_READS_FILE for the kernels of its runs; the session's reading helpers (sql,
// ask, kpis, table().rows/at/schema) then append one JSON line per table and version they read,
// `{"table":"orders","version":3}`, the first time they read it, and the scheduler collects the
// file into the run record when the run ends (also when it failed). Unset, nothing is written.
import { appendFileSync, promises as fs } from 'node:fs';
import type { Logger } from '../logger.js';

/** One table version a notebook read. */
export interface TableRead {
  table: string;
  version: number;
}

export interface TableReadLog {
  /** Notes that the notebook read these tables at these versions (a query result's `tableVersions`). */
  record(versions: Readonly<Record<string, number>>): void;
}

/**
 * A log appending to the file `file()` names (read at each call: the session's settings can be
 * reset), each table and version once. Appends synchronously, so a line is on disk before the
 * cell that read the table ends; a failure to write is logged, never thrown into the notebook.
 */
export function createTableReadLog(file: () => string | undefined, logger: Logger): TableReadLog {
  const written = new Set<string>();
  return {
    record(versions) {
      const target = file();
      if (!target) return;
      const lines: string[] = [];
      for (const [table, version] of Object.entries(versions)) {
        const key = JSON.stringify([target, table, version]);
        if (!Number.isInteger(version) || version < 0 || written.has(key)) continue;
        written.add(key);
        lines.push(`${JSON.stringify({ table, version } satisfies TableRead)}\n`);
      }
      if (lines.length === 0) return;
      try {
        appendFileSync(target, lines.join(''));
      } catch (error) {
        logger.warn('could not record the tables a notebook read', { file: target, error: error as Error });
      }
    },
  };
}

/**
 * The distinct table versions in a read log, in the order they were first read (at most `limit`;
 * lines that are not a read, such as one cut short by a killed kernel, are skipped). A missing
 * file reads as no reads.
 */
export async function readTableReads(file: string, limit = 1000): Promise<TableRead[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const seen = new Set<string>();
  const reads: TableRead[] = [];
  for (const line of text.split('\n')) {
    if (reads.length >= limit) break;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue;
    }
    const { table, version } = (parsed ?? {}) as Partial<TableRead>;
    if (typeof table !== 'string' || table === '' || !Number.isInteger(version) || version! < 0) continue;
    const key = JSON.stringify([table, version]);
    if (seen.has(key)) continue;
    seen.add(key);
    reads.push({ table, version: version! });
  }
  return reads;
}

/** Each table with the newest version read of it. */
export function newestVersions(reads: readonly TableRead[]): Record<string, number> {
  const versions: Record<string, number> = {};
  for (const { table, version } of reads) versions[table] = Math.max(versions[table] ?? -1, version);
  return versions;
}
