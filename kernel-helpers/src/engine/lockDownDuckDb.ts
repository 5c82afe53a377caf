// Locking a DuckDB instance down for untrusted SQL: no extension installs or loads, file access
// only under the allowed directories, and the configuration locked so no statement can undo it.
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../delta/schema.js';
import { QueryError } from '../errors.js';

/** Options the instance must be created with (they cannot be changed at run time). */
export const lockedDuckDbStartConfig: Readonly<Record<string, string>> = {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
  allow_community_extensions: 'false',
  allow_unsigned_extensions: 'false',
};

/** The settings `lockDownDuckDb` leaves in force, as `current_setting` reports them. */
const EXPECTED: Record<string, unknown> = {
  enable_external_access: false,
  lock_configuration: true,
  autoinstall_known_extensions: false,
  autoload_known_extensions: false,
  allow_community_extensions: false,
  allow_unsigned_extensions: false,
};

/**
 * Confines the instance of `connection` (created with `lockedDuckDbStartConfig`): files and URLs
 * are readable and writable only under `allowedDirectories` (each ending with `/`), then the
 * configuration is locked. Views can still be created and replaced afterwards; SET, RESET and
 * new connections' `SET TimeZone` fail (set global options before calling this).
 * @throws QueryError ENGINE_LOCK_FAILED when DuckDB does not report the expected settings.
 */
export async function lockDownDuckDb(
  connection: DuckDBConnection,
  allowedDirectories: readonly string[],
): Promise<void> {
  await connection.run(
    `SET GLOBAL allowed_directories = [${allowedDirectories.map(quoteLiteral).join(', ')}]`,
  );
  await connection.run('SET GLOBAL enable_external_access = false');
  await connection.run('SET GLOBAL lock_configuration = true');
  const names = Object.keys(EXPECTED);
  const reader = await connection.runAndReadAll(
    `SELECT ${names.map((n) => `current_setting(${quoteLiteral(n)})`).join(', ')}`,
  );
  const values = reader.getRowsJS()[0]!;
  const wrong = names.filter((n, i) => values[i] !== EXPECTED[n]);
  if (wrong.length > 0) {
    throw new QueryError(
      'ENGINE_LOCK_FAILED',
      `DuckDB did not accept the settings that lock the SQL engine: ${wrong.join(', ')}`,
    );
  }
}
