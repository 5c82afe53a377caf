// Opening DuckDB the way every part of RT-Lakehouse uses it: in process, UTC session time zone.
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export interface DuckDbOptions {
  /** Database file; in memory when omitted. */
  path?: string;
  threads?: number;
  memoryLimit?: string;
  /** Extra DuckDB configuration options applied at start-up. */
  config?: Record<string, string>;
}

/** Creates a DuckDB instance whose sessions all run with TimeZone='UTC'. */
export async function openDuckDb(options: DuckDbOptions = {}): Promise<DuckDBInstance> {
  const config: Record<string, string> = { ...options.config };
  if (options.threads !== undefined) config['threads'] = String(options.threads);
  if (options.memoryLimit !== undefined) config['memory_limit'] = options.memoryLimit;
  const instance = await DuckDBInstance.create(options.path ?? ':memory:', config);
  // TimeZone needs the ICU extension, which loads with the first connection, not at create.
  const first = await instance.connect();
  await first.run("SET GLOBAL TimeZone = 'UTC'");
  first.closeSync();
  return instance;
}

/** A connection of `instance` with the UTC time zone set for its session. */
export async function connectUtc(instance: DuckDBInstance): Promise<DuckDBConnection> {
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  return connection;
}
