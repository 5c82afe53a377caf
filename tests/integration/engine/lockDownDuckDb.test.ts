// What DuckDB itself enforces once lockDownDuckDb has run (below the guard): these are the
// facts the engine's second line of defence rests on, checked on the DuckDB version installed.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { lockDownDuckDb, lockedDuckDbStartConfig } from '@rt-lakehouse/kernel-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let root: string;
let allowed: string;
let outside: string;
let instance: DuckDBInstance;
let connection: DuckDBConnection;

async function error(sql: string): Promise<string> {
  try {
    await connection.run(sql);
  } catch (e) {
    return (e as Error).message.split('\n')[0]!;
  }
  return 'no error';
}

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'rtl-lock-'));
  allowed = path.join(root, 'lake');
  outside = path.join(root, 'outside');
  await fs.mkdir(allowed);
  await fs.mkdir(outside);
  instance = await DuckDBInstance.create(':memory:', { ...lockedDuckDbStartConfig });
  connection = await instance.connect();
  await connection.run(`COPY (SELECT 1 AS a) TO '${allowed}/in.parquet'`);
  await connection.run(`COPY (SELECT 2 AS a) TO '${outside}/out.parquet'`);
  await connection.run("SET GLOBAL TimeZone = 'UTC'");
  await lockDownDuckDb(connection, [`${allowed}/`]);
});

afterAll(async () => {
  connection?.closeSync();
  instance?.closeSync();
  await fs.rm(root, { recursive: true, force: true });
});

describe('a locked-down DuckDB', () => {
  it('reads files under the allowed directory only, without escapes through ..', async () => {
    const reader = await connection.runAndReadAll(`SELECT a FROM read_parquet('${allowed}/in.parquet')`);
    expect(reader.getRowsJS()).toEqual([[1]]);
    expect(await error(`SELECT * FROM read_parquet('${outside}/out.parquet')`)).toBe(
      `Permission Error: Cannot access file "${outside}/out.parquet" - file system operations are disabled by configuration`,
    );
    expect(await error(`SELECT * FROM read_parquet('${allowed}/../outside/out.parquet')`)).toMatch(
      /^Permission Error: Cannot access file/,
    );
    expect(await error("SELECT * FROM read_text('/etc/passwd')")).toMatch(/^Permission Error/);
    expect(await error("SELECT * FROM read_csv('http://127.0.0.1:1/x.csv')")).toMatch(/^Permission Error/);
  });

  it('refuses every configuration change, including undoing the lock', async () => {
    for (const sql of [
      'SET enable_external_access = true',
      'RESET enable_external_access',
      "SET allowed_directories = ['/']",
      'SET lock_configuration = false',
      "SET TimeZone = 'Europe/Paris'",
      'SET threads = 1',
    ]) {
      expect(await error(sql), sql).toMatch(
        /^Invalid Input Error: Cannot change configuration option ".+" - the configuration has been locked$/,
      );
    }
  });

  it('loads and installs no extensions', async () => {
    expect(await error('LOAD httpfs')).toBe(
      'Permission Error: Loading external extensions is disabled through configuration',
    );
    expect(await error('INSTALL httpfs')).toMatch(/^Permission Error/);
  });

  it('still creates and replaces views over allowed files (the engine refreshes views after locking)', async () => {
    await connection.run(`CREATE OR REPLACE VIEW v AS SELECT a FROM read_parquet(['${allowed}/in.parquet'])`);
    await connection.run(
      `CREATE OR REPLACE VIEW v AS SELECT a FROM read_parquet(['${allowed}/in.parquet']) UNION ALL SELECT 3`,
    );
    expect((await connection.runAndReadAll('SELECT a FROM v ORDER BY a')).getRowsJS()).toEqual([[1], [3]]);
    expect(
      await error(`CREATE OR REPLACE VIEW w AS SELECT * FROM read_parquet(['${outside}/out.parquet'])`),
    ).toMatch(/^Permission Error/);
  });

  it('gives new connections the global UTC time zone, though they cannot SET it', async () => {
    const other = await instance.connect();
    try {
      expect((await other.runAndReadAll("SELECT current_setting('TimeZone')")).getRowsJS()).toEqual([
        ['UTC'],
      ]);
    } finally {
      other.closeSync();
    }
  });

  it('does NOT stop writes inside the allowed directory: only the guard refuses COPY and ATTACH', async () => {
    await connection.run(`COPY (SELECT 1) TO '${allowed}/written.csv'`);
    await expect(fs.stat(path.join(allowed, 'written.csv'))).resolves.toBeTruthy();
  });
});
