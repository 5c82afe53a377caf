// The SQL engine over a real lakehouse in a temporary folder: views over Delta snapshots,
// refresh on new versions and new tables, row cap, time limit, and the guard against hostile SQL.
import { randomUUID } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DeltaTable,
  DuckDbSqlEngine,
  Lakehouse,
  QueryError,
  type QueryResult,
} from '@rt-lakehouse/kernel-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dir: string;
/** The engine's lakehouse, and a second one standing for a pipeline process that writes. */
let lakehouse: Lakehouse;
let writer: Lakehouse;
let engine: DuckDbSqlEngine;
const outside = path.join(os.tmpdir(), `rtl-guard-${randomUUID()}`);

const EVENTS_SQL = `SELECT i::INTEGER AS id, 'u' || (i % 3) AS user_id,
  CASE WHEN i % 4 = 0 THEN 'purchase' ELSE 'page_view' END AS event_type,
  (i * 1.25)::DOUBLE AS price, TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_minutes(i::BIGINT) AS ts
  FROM range(100) t(i)`;

function expectedEvent(i: number) {
  return {
    id: i,
    user_id: `u${i % 3}`,
    event_type: i % 4 === 0 ? 'purchase' : 'page_view',
    price: i * 1.25,
    ts: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
  };
}

async function write(name: string, sql: string, options: Parameters<DeltaTable['write']>[1] = {}) {
  return (await writer.table(name)).write({ sql }, options);
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rtl-engine-'));
  writer = await Lakehouse.open({ dir });
  await write('events', EVENTS_SQL);
  await write(
    'daily',
    "SELECT d AS day, n::BIGINT AS n FROM (VALUES ('2024-01-01', 1), ('2024-01-01', 2), ('2024-01-02', 3)) v(d, n)",
    { partitionBy: ['day'] },
  );
  lakehouse = await Lakehouse.open({ dir });
  engine = await DuckDbSqlEngine.create({ lakehouse, timeoutMs: 20_000 });
});

afterAll(async () => {
  await engine?.close();
  lakehouse?.close();
  writer?.close();
  await fs.rm(dir, { recursive: true, force: true });
  await fs.rm(outside, { recursive: true, force: true });
});

describe('views over Delta snapshots', () => {
  it('shows exactly the rows written, with JSON-friendly values', async () => {
    const result = await engine.query('SELECT * FROM events ORDER BY id');
    expect(result.columns).toEqual([
      { name: 'id', type: 'INTEGER' },
      { name: 'user_id', type: 'VARCHAR' },
      { name: 'event_type', type: 'VARCHAR' },
      { name: 'price', type: 'DOUBLE' },
      { name: 'ts', type: 'TIMESTAMP WITH TIME ZONE' },
    ]);
    expect(result.rows).toEqual(Array.from({ length: 100 }, (_, i) => expectedEvent(i)));
    expect(result).toMatchObject({
      rowCount: 100,
      truncated: false,
      totalRows: 100,
      tableVersions: { events: 0 },
    });
    expect(result.elapsedMs).toBeGreaterThan(0);
  });

  it('reads partition values back as columns', async () => {
    const result = await engine.query('SELECT day, sum(n) AS n FROM daily GROUP BY day ORDER BY day');
    expect(result.rows).toEqual([
      { day: '2024-01-01', n: 3 },
      { day: '2024-01-02', n: 3 },
    ]);
  });

  it('lists the tables with versions, schemas and statistics', async () => {
    const tables = await engine.tables();
    expect(tables.map((t) => t.name)).toEqual(['daily', 'events']);
    expect(tables[1]).toEqual({
      name: 'events',
      version: 0,
      columns: [
        { name: 'id', type: 'integer', nullable: true },
        { name: 'user_id', type: 'string', nullable: true },
        { name: 'event_type', type: 'string', nullable: true },
        { name: 'price', type: 'double', nullable: true },
        { name: 'ts', type: 'timestamp', nullable: true },
      ],
      partitionColumns: [],
      numFiles: 1,
      rowCount: 100,
      sizeBytes: expect.any(Number),
    });
    expect(tables[0]).toMatchObject({ name: 'daily', partitionColumns: ['day'], numFiles: 2, rowCount: 3 });
  });

  it('sees a new version at the next query, and tables created after start', async () => {
    await write(
      'events',
      "SELECT 1000 AS id, 'u9' AS user_id, 'purchase' AS event_type, 9.5::DOUBLE AS price, TIMESTAMPTZ '2024-02-01 00:00:00+00' AS ts",
    );
    const after = await engine.query('SELECT count(*) AS n, max(id) AS top FROM events');
    expect(after.rows).toEqual([{ n: 101, top: 1000 }]);
    expect(after.tableVersions).toEqual({ events: 1 });

    // Refused while the table does not exist; the same text is judged again once it does.
    await expect(engine.query('SELECT * FROM late_table')).rejects.toMatchObject({
      code: 'SQL_UNKNOWN_TABLE',
    });
    await write('late_table', "SELECT 'x' AS k, 42 AS v");
    const late = await engine.query('SELECT * FROM late_table');
    expect(late.rows).toEqual([{ k: 'x', v: 42 }]);
    expect(late.tableVersions).toEqual({ late_table: 0 });
    expect((await engine.tables()).map((t) => t.name)).toEqual(['daily', 'events', 'late_table']);
  });

  it('drops the view of a table whose folder is deleted', async () => {
    await write('doomed', 'SELECT 1 AS x');
    expect((await engine.query('SELECT * FROM doomed')).rows).toEqual([{ x: 1 }]);
    await fs.rm(path.join(dir, 'delta', 'doomed'), { recursive: true });
    const refresh = await engine.refresh();
    expect(refresh.removed).toEqual(['doomed']);
    await expect(engine.query('SELECT * FROM doomed')).rejects.toMatchObject({ code: 'SQL_UNKNOWN_TABLE' });
  });

  it('keeps serving other tables when one table cannot be read', async () => {
    await fs.mkdir(path.join(dir, 'delta', 'broken', '_delta_log'), { recursive: true });
    await fs.writeFile(
      path.join(dir, 'delta', 'broken', '_delta_log', '00000000000000000000.json'),
      'not json\n',
    );
    const refresh = await engine.refresh();
    expect(refresh.failed.map((f) => f.table)).toEqual(['broken']);
    expect((await engine.query('SELECT count(*) AS n FROM daily')).rows).toEqual([{ n: 3 }]);
    await fs.rm(path.join(dir, 'delta', 'broken'), { recursive: true });
    expect((await engine.refresh()).failed).toEqual([]);
  });

  it('reports each result with the versions its views had, under concurrent writes', async () => {
    await write('counter', 'SELECT i::BIGINT AS n FROM range(10) t(i)');
    const pending: Promise<QueryResult>[] = [];
    for (let k = 0; k < 5; k++) {
      const appended = write('counter', 'SELECT i::BIGINT AS n FROM range(10) t(i)');
      for (let j = 0; j < 4; j++) pending.push(engine.query('SELECT count(*) AS c FROM counter'));
      await appended;
    }
    const results = await Promise.all(pending);
    for (const r of results) expect(r.rows[0]!['c']).toBe(10 * (r.tableVersions['counter']! + 1));
    expect((await engine.query('SELECT count(*) AS c FROM counter')).rows).toEqual([{ c: 60 }]);
  });

  it('runs a query again on the new version when its view is replaced while it runs', async () => {
    await write('ticker', 'SELECT 1::BIGINT AS n');
    const slow = 'SELECT count(*) AS c FROM ticker, range(150000000) r(i) WHERE i % 7 >= 0';
    const before = performance.now();
    await engine.query(slow);
    const took = performance.now() - before;
    // Started on version 0; version 1 is committed and its view created while it runs.
    const running = engine.query(slow);
    await new Promise((r) => setTimeout(r, 20));
    await write('ticker', 'SELECT 1::BIGINT AS n');
    expect((await engine.refresh()).updated).toEqual(['ticker']);
    const changedAt = performance.now() - before - took;
    const result = await running;
    // The result and the version it reports agree: the view it began with was replaced, so the
    // engine ran it again in a transaction that read the new view and its version.
    expect(result.tableVersions).toEqual({ ticker: 1 });
    expect(result.rows).toEqual([{ c: 2 * 150_000_000 }]);
    // The replacement happened inside the first run (or this test proves nothing).
    expect(changedAt).toBeLessThan(took);
    await fs.rm(path.join(dir, 'delta', 'ticker'), { recursive: true });
    expect((await engine.refresh()).removed).toEqual(['ticker']);
  });
});

describe('refresh interval', () => {
  it('checks versions at most every minRefreshIntervalMs, and always on refresh()', async () => {
    const lazy = await DuckDbSqlEngine.create({ lakehouse, minRefreshIntervalMs: 60_000 });
    try {
      expect((await lazy.query('SELECT count(*) AS n FROM late_table')).rows).toEqual([{ n: 1 }]);
      await write('late_table', "SELECT 'y' AS k, 43 AS v");
      expect((await lazy.query('SELECT count(*) AS n FROM late_table')).rows).toEqual([{ n: 1 }]);
      await lazy.refresh();
      expect((await lazy.query('SELECT count(*) AS n FROM late_table')).rows).toEqual([{ n: 2 }]);
    } finally {
      await lazy.close();
    }
  });
});

describe('results', () => {
  it('caps rows at 10,000 by default and says the result was truncated', async () => {
    const result = await engine.query('SELECT * FROM range(25000) t(x)');
    expect(result).toMatchObject({ rowCount: 10_000, truncated: true, totalRows: undefined });
    expect(result.rows.at(-1)).toEqual({ x: 9_999 });
  });

  it('counts all rows only when asked', async () => {
    const result = await engine.query('SELECT * FROM events ORDER BY id DESC;', {
      maxRows: 3,
      countTotal: true,
    });
    expect(result.rows.map((r) => r['id'])).toEqual([1000, 99, 98]);
    expect(result).toMatchObject({ rowCount: 3, truncated: true, totalRows: 101 });
  });

  it('binds positional, named and Date parameters', async () => {
    const positional = await engine.query('SELECT count(*) AS n FROM events WHERE user_id = $1 AND id < $2', {
      params: ['u1', 10],
    });
    expect(positional.rows).toEqual([{ n: 3 }]);
    const named = await engine.query('SELECT id FROM events WHERE ts >= $since ORDER BY id LIMIT 2', {
      params: { since: new Date('2024-01-01T01:38:00Z') },
    });
    expect(named.rows).toEqual([{ id: 98 }, { id: 99 }]);
  });

  it('reports binder errors against the query as written', async () => {
    const outcome = await engine.safeQuery('SELECT nope FROM events');
    expect(outcome.success).toBe(false);
    if (outcome.success) return;
    expect(outcome.error.code).toBe('SQL_BIND_ERROR');
    expect(outcome.error.message).toContain('LINE 1: SELECT nope FROM events');
  });

  it('validates without running', async () => {
    expect(await engine.validate('SELECT id, ts FROM events')).toEqual({
      success: true,
      data: {
        columns: [
          { name: 'id', type: 'INTEGER' },
          { name: 'ts', type: 'TIMESTAMP WITH TIME ZONE' },
        ],
        tables: ['events'],
      },
    });
    expect(await engine.validate('DROP VIEW events')).toMatchObject({
      success: false,
      error: { code: 'SQL_NOT_SELECT' },
    });
  });

  it('streams and stops at the cap when the query cannot be wrapped in a LIMIT', async () => {
    // A leading ';' parses alone but not inside a subquery: the engine streams the original.
    const result = await engine.query(';SELECT * FROM range(5000) t(x)', { maxRows: 10, countTotal: true });
    expect(result).toMatchObject({ rowCount: 10, truncated: true, totalRows: 5000 });
    expect(result.rows[9]).toEqual({ x: 9 });
  });

  it('refuses over-long SQL before parsing it', async () => {
    const small = await DuckDbSqlEngine.create({ lakehouse, maxSqlLength: 20 });
    try {
      await expect(small.query('SELECT 1 AS a, 2 AS b, 3 AS c')).rejects.toMatchObject({
        code: 'SQL_TOO_LONG',
        message: 'the query is 29 characters long; the limit is 20',
      });
    } finally {
      await small.close();
    }
  });

  it('refuses bad options', async () => {
    await expect(DuckDbSqlEngine.create({ lakehouse, maxRows: -1 })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: 'SQL engine option maxRows must be an integer from 1 to 1000000',
    });
    await expect(engine.query('SELECT 1', { maxRows: 0 })).rejects.toMatchObject({
      code: 'QUERY_INVALID_OPTIONS',
      message: 'maxRows must be an integer from 1 to 1000000',
    });
    await expect(engine.query('SELECT 1', { timeoutMs: 1.5 })).rejects.toMatchObject({
      code: 'QUERY_INVALID_OPTIONS',
    });
  });
});

describe('time limit', () => {
  it('interrupts a long query, says so, and the engine carries on', async () => {
    const started = performance.now();
    const outcome = await engine.safeQuery('SELECT count(*) FROM range(1000000000) a, range(1000000000) b', {
      timeoutMs: 300,
    });
    const elapsed = performance.now() - started;
    expect(outcome).toMatchObject({
      success: false,
      error: { code: 'QUERY_TIMEOUT', message: 'the query was stopped at its time limit of 300 ms' },
    });
    expect(elapsed).toBeLessThan(5_000);
    expect((await engine.query('SELECT count(*) AS n FROM daily')).rows).toEqual([{ n: 3 }]);
  });
});

// ------------------------------------------------------------------ the guard

const LH = '<LAKEHOUSE>';
const OUT = '<OUTSIDE>';
const NOT_SELECT = (kw: string) =>
  `only SELECT queries are allowed; ${kw} statements are refused (the lakehouse SQL engine is read-only)`;
const TABLES = 'counter, daily, events, late_table';
const FILE_FN = (fn: string) =>
  `table function ${fn}() reads files and is not allowed; query the lakehouse tables: ${TABLES}`;
const TABLE_FN = (fn: string) =>
  `table function ${fn}() is not allowed; allowed table functions: range, generate_series, unnest, json_each, json_tree`;
const TIMEOUT = 'the query was stopped at its time limit of 1000 ms';
const MULTI = 'only one statement per query is allowed; found 2';

/** [sql, code, message]; `<LAKEHOUSE>` and `<OUTSIDE>` stand for the lakehouse folder and a path outside it. */
const HOSTILE: [string, string, string][] = [
  // several statements, however disguised
  ['select 1; drop view events', 'SQL_MULTIPLE_STATEMENTS', MULTI],
  ['sElEcT 1; dRoP vIeW events', 'SQL_MULTIPLE_STATEMENTS', MULTI],
  ['select * from events; -- x\n drop view events', 'SQL_MULTIPLE_STATEMENTS', MULTI],
  ["select 'a' || 'b'; drop view events", 'SQL_MULTIPLE_STATEMENTS', MULTI],
  // DDL and DML
  ['drop view events', 'SQL_NOT_SELECT', NOT_SELECT('DROP')],
  ['drop table events', 'SQL_NOT_SELECT', NOT_SELECT('DROP')],
  ['create table x as select 1', 'SQL_NOT_SELECT', NOT_SELECT('CREATE')],
  ['create or replace view events as select 1 as id', 'SQL_NOT_SELECT', NOT_SELECT('CREATE')],
  ['alter view events rename to e2', 'SQL_NOT_SELECT', NOT_SELECT('ALTER')],
  ["insert into events values (1, 'x')", 'SQL_NOT_SELECT', NOT_SELECT('INSERT')],
  ["update events set user_id = 'x'", 'SQL_NOT_SELECT', NOT_SELECT('UPDATE')],
  ['delete from events', 'SQL_NOT_SELECT', NOT_SELECT('DELETE')],
  ['truncate events', 'SQL_NOT_SELECT', NOT_SELECT('TRUNCATE')],
  ['create macro m() as 1', 'SQL_NOT_SELECT', NOT_SELECT('CREATE')],
  ['create secret s (type s3)', 'SQL_NOT_SELECT', NOT_SELECT('CREATE')],
  // files, databases, extensions, settings
  [`copy (select * from events) to '${LH}/delta/events/evil.parquet'`, 'SQL_NOT_SELECT', NOT_SELECT('COPY')],
  [`copy events to '${OUT}/evil.csv'`, 'SQL_NOT_SELECT', NOT_SELECT('COPY')],
  [`export database '${LH}/export'`, 'SQL_NOT_SELECT', NOT_SELECT('EXPORT')],
  [`import database '${OUT}'`, 'SQL_NOT_SELECT', NOT_SELECT('IMPORT')],
  [`attach '${LH}/delta/evil.db' as evil`, 'SQL_NOT_SELECT', NOT_SELECT('ATTACH')],
  ['detach memory', 'SQL_NOT_SELECT', NOT_SELECT('DETACH')],
  ['use system', 'SQL_NOT_SELECT', NOT_SELECT('USE')],
  ['install httpfs', 'SQL_NOT_SELECT', NOT_SELECT('INSTALL')],
  ['load httpfs', 'SQL_NOT_SELECT', NOT_SELECT('LOAD')],
  [`load '${OUT}/evil.duckdb_extension'`, 'SQL_NOT_SELECT', NOT_SELECT('LOAD')],
  ['pragma show_tables', 'SQL_NOT_SELECT', NOT_SELECT('PRAGMA')],
  ['pragma enable_profiling', 'SQL_NOT_SELECT', NOT_SELECT('PRAGMA')],
  ['set enable_external_access = true', 'SQL_NOT_SELECT', NOT_SELECT('SET')],
  ['set lock_configuration = false', 'SQL_NOT_SELECT', NOT_SELECT('SET')],
  ['reset allowed_directories', 'SQL_NOT_SELECT', NOT_SELECT('RESET')],
  ['set variable x = 1', 'SQL_NOT_SELECT', NOT_SELECT('SET')],
  ['call duckdb_settings()', 'SQL_NOT_SELECT', NOT_SELECT('CALL')],
  ['checkpoint', 'SQL_NOT_SELECT', NOT_SELECT('CHECKPOINT')],
  ['vacuum', 'SQL_NOT_SELECT', NOT_SELECT('VACUUM')],
  ['begin transaction', 'SQL_NOT_SELECT', NOT_SELECT('BEGIN')],
  ['prepare p as select 1', 'SQL_NOT_SELECT', NOT_SELECT('PREPARE')],
  // reading files and URLs, inside the lakehouse or out
  ["select * from read_csv('/etc/passwd')", 'SQL_FILE_ACCESS_REFUSED', FILE_FN('read_csv')],
  ["select * from read_text('/etc/passwd')", 'SQL_FILE_ACCESS_REFUSED', FILE_FN('read_text')],
  [`select * from read_parquet('${OUT}/x.parquet')`, 'SQL_FILE_ACCESS_REFUSED', FILE_FN('read_parquet')],
  [
    `select * from read_parquet('${LH}/delta/events/*.parquet')`,
    'SQL_FILE_ACCESS_REFUSED',
    FILE_FN('read_parquet'),
  ],
  ["select * from glob('/*')", 'SQL_FILE_ACCESS_REFUSED', FILE_FN('glob')],
  [
    "select * from read_json_auto('http://127.0.0.1:1/x')",
    'SQL_FILE_ACCESS_REFUSED',
    FILE_FN('read_json_auto'),
  ],
  ["select * from sniff_csv('/etc/passwd')", 'SQL_FILE_ACCESS_REFUSED', FILE_FN('sniff_csv')],
  [
    `select * from parquet_metadata('${OUT}/x.parquet')`,
    'SQL_FILE_ACCESS_REFUSED',
    FILE_FN('parquet_metadata'),
  ],
  [
    "from '/etc/passwd'",
    'SQL_FILE_ACCESS_REFUSED',
    `reading files is not allowed ("/etc/passwd"); query the lakehouse tables: ${TABLES}`,
  ],
  ["select * from read_csv('/etc/' || 'passwd')", 'SQL_FILE_ACCESS_REFUSED', FILE_FN('read_csv')],
  ["select * from read_csv(concat('/etc/', 'passwd'))", 'SQL_FILE_ACCESS_REFUSED', FILE_FN('read_csv')],
  [
    "select * from events where user_id in (select * from read_text('/etc/passwd'))",
    'SQL_FILE_ACCESS_REFUSED',
    FILE_FN('read_text'),
  ],
  [
    "with t as (select * from read_csv('/etc/passwd')) select * from t",
    'SQL_FILE_ACCESS_REFUSED',
    FILE_FN('read_csv'),
  ],
  ["describe select * from read_text('/etc/passwd')", 'SQL_FILE_ACCESS_REFUSED', FILE_FN('read_text')],
  // SQL run from strings, catalog and settings
  ["select * from query('drop view events')", 'SQL_TABLE_FUNCTION_REFUSED', TABLE_FN('query')],
  ["select * from query_table('events')", 'SQL_TABLE_FUNCTION_REFUSED', TABLE_FN('query_table')],
  ['select * from duckdb_settings()', 'SQL_TABLE_FUNCTION_REFUSED', TABLE_FN('duckdb_settings')],
  ['select * from system.main.duckdb_secrets()', 'SQL_TABLE_FUNCTION_REFUSED', TABLE_FN('duckdb_secrets')],
  ["select * from reаd_csv('/etc/passwd')", 'SQL_TABLE_FUNCTION_REFUSED', TABLE_FN('reаd_csv')],
  [
    "select current_setting('allowed_directories')",
    'SQL_FUNCTION_REFUSED',
    'function current_setting() is not allowed: it reveals the engine configuration',
  ],
  [
    "select getenv('HOME')",
    'SQL_FUNCTION_REFUSED',
    'function getenv() is not allowed: it reveals the process environment',
  ],
  [
    "select write_log('x')",
    'SQL_FUNCTION_REFUSED',
    'function write_log() is not allowed: queries may not write to the log',
  ],
  [
    'select sleep_ms(60000)',
    'SQL_FUNCTION_REFUSED',
    'function sleep_ms() is not allowed: queries may not sleep',
  ],
  [
    'select * from information_schema.tables',
    'SQL_UNKNOWN_TABLE',
    `unknown table information_schema.tables; the lakehouse tables are: ${TABLES}`,
  ],
  [
    'select * from _rtl_engine.table_versions',
    'SQL_UNKNOWN_TABLE',
    `unknown table _rtl_engine.table_versions; the lakehouse tables are: ${TABLES}`,
  ],
  [
    'describe _rtl_engine.table_versions',
    'SQL_UNKNOWN_TABLE',
    `unknown table _rtl_engine.table_versions; the lakehouse tables are: ${TABLES}`,
  ],
  [
    'show databases',
    'SQL_STATEMENT_REFUSED',
    'this SHOW form is not allowed; use SHOW TABLES or DESCRIBE <table>',
  ],
  // comments, quoting and look-alike characters
  ['select 1 -- \n drop view events', 'SQL_SYNTAX_ERROR', 'syntax error at or near "drop" (at character 15)'],
  ['ＳＥＬＥＣＴ 1', 'SQL_SYNTAX_ERROR', 'syntax error at or near "ＳＥＬＥＣＴ" (at character 1)'],
  ['select 1; ｄrop view events', 'SQL_SYNTAX_ERROR', 'syntax error at or near "ｄrop" (at character 11)'],
  ['select 1 into evil', 'SQL_SYNTAX_ERROR', 'cannot parse the query: SELECT INTO not supported!'],
  [
    'with x as (delete from events returning *) select * from x',
    'SQL_SYNTAX_ERROR',
    'cannot parse the query: A CTE needs a SELECT',
  ],
  // work without end
  ['select count(*) from range(1000000000) a, range(1000000000) b', 'QUERY_TIMEOUT', TIMEOUT],
  ['select max(x) from generate_series(1, 100000000000) t(x)', 'QUERY_TIMEOUT', TIMEOUT],
  [
    'with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r',
    'QUERY_TIMEOUT',
    TIMEOUT,
  ],
];

/** Harmless look-alikes: they run, return what they say, and change nothing either. */
const HARMLESS: [string, Record<string, unknown>[]][] = [
  ['select 1 /* ; drop view events */ as one', [{ one: 1 }]],
  ["select ';drop view events' as s", [{ s: ';drop view events' }]],
  ['select 1 as "; drop view events"', [{ '; drop view events': 1 }]],
  ['select $$; drop view events$$ as s', [{ s: '; drop view events' }]],
];

async function listFiles(root: string): Promise<string[]> {
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    const full = path.join(e.parentPath, e.name);
    out.push(`${path.relative(root, full)}${e.isFile() ? `:${(await fs.stat(full)).size}` : '/'}`);
  }
  return out.sort();
}

/** Everything a hostile query could change: files, table versions, view contents. */
async function fingerprint() {
  const versions: Record<string, number> = {};
  for (const name of await writer.tableNames()) {
    const fresh = await DeltaTable.forPath(path.join(dir, 'delta', name), { duck: writer.duck });
    versions[name] = (await fresh.latest()).version;
  }
  const contents: Record<string, unknown> = {};
  for (const t of await engine.tables())
    contents[t.name] = (await engine.query(`SELECT * FROM ${t.name} ORDER BY ALL`)).rows;
  return { files: await listFiles(dir), versions, contents, outside: existsSync(outside) };
}

describe('the guard', () => {
  it(`refuses or stops ${HOSTILE.length} hostile queries with a clear message, and nothing changes`, async () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(40);
    const before = await fingerprint();
    const failures: string[] = [];
    for (const [template, code, message] of HOSTILE) {
      const sql = template.replaceAll(LH, lakehouse.dir).replaceAll(OUT, outside);
      const outcome = await engine.safeQuery(sql, { timeoutMs: 1_000 });
      if (outcome.success) failures.push(`${template}: ran`);
      else {
        expect(outcome.error).toBeInstanceOf(QueryError);
        expect(outcome.error.sql).toBe(sql);
        if (outcome.error.code !== code || outcome.error.message !== message)
          failures.push(`${template}: ${outcome.error.code} ${JSON.stringify(outcome.error.message)}`);
      }
    }
    expect(failures).toEqual([]);
    for (const [sql, rows] of HARMLESS) expect((await engine.query(sql)).rows, sql).toEqual(rows);
    expect(await fingerprint()).toEqual(before);
  });

  it('caps a huge generate_series instead of producing it', async () => {
    const started = performance.now();
    const result = await engine.query('select * from generate_series(1, 100000000000)', { maxRows: 100 });
    expect(result).toMatchObject({ rowCount: 100, truncated: true });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('allows SHOW TABLES and DESCRIBE of a lakehouse table', async () => {
    expect((await engine.query('SHOW TABLES')).rows).toEqual([
      { name: 'counter' },
      { name: 'daily' },
      { name: 'events' },
      { name: 'late_table' },
    ]);
    expect(
      (await engine.query('DESCRIBE events')).rows.map((r) => [r['column_name'], r['column_type']]),
    ).toEqual([
      ['id', 'INTEGER'],
      ['user_id', 'VARCHAR'],
      ['event_type', 'VARCHAR'],
      ['price', 'DOUBLE'],
      ['ts', 'TIMESTAMP WITH TIME ZONE'],
    ]);
  });
});

describe('lifecycle', () => {
  it('close() interrupts running queries and refuses new ones', async () => {
    const own = await DuckDbSqlEngine.create({ lakehouse });
    const running = own.safeQuery('SELECT count(*) FROM range(1000000000) a, range(1000000000) b');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = performance.now();
    await own.close();
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await running).toMatchObject({ success: false, error: { code: 'QUERY_INTERRUPTED' } });
    await expect(own.query('SELECT 1')).rejects.toMatchObject({ code: 'ENGINE_CLOSED' });
    await own.close();
  });
});

describe('time travel', () => {
  it('reads tables as of Delta versions, other tables at their latest', async () => {
    await write('travel', 'SELECT range AS id FROM range(3)');
    await write('travel', 'SELECT range AS id FROM range(3, 5)');
    const latest = await engine.query('SELECT count(*) AS n FROM travel');
    expect(latest.rows).toEqual([{ n: 5 }]);
    const old = await engine.query(
      'WITH x AS (SELECT id FROM travel) SELECT count(*) AS n, max(id) AS top FROM x',
      {
        asOfVersions: { travel: 0 },
      },
    );
    expect(old.rows).toEqual([{ n: 3, top: 2 }]);
    expect(old.tableVersions).toEqual({ travel: 0 });
    await expect(engine.query('SELECT * FROM travel', { asOfVersions: { travel: 9 } })).rejects.toMatchObject(
      {
        code: 'QUERY_TIME_TRAVEL',
        message: expect.stringMatching(/^cannot read travel as of version 9: .*version does not exist/),
      },
    );
    await expect(engine.query('SELECT 1', { asOfVersions: { nope: 0 } })).rejects.toMatchObject({
      code: 'QUERY_TIME_TRAVEL',
      message: 'cannot read nope as of a version: no such lakehouse table',
    });
    // Leave the catalogue as the other tests expect it.
    await fs.rm(writer.tablePath('travel'), { recursive: true, force: true });
    await engine.refresh();
  });
});
