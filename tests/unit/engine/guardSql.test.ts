import { DuckDBInstance } from '@duckdb/node-api';
import { guardSql, leadingKeyword, type SqlGuardResult } from '@rt-lakehouse/kernel-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The guard is pure; its inputs are DuckDB's real parse trees, produced here by an in-memory
// DuckDB exactly as the engine produces them.
let instance: DuckDBInstance;
const TABLES = ['silver_events', 'gold_kpis', 'Bronze_Events'];

async function guard(sql: string, tables: readonly string[] = TABLES): Promise<SqlGuardResult> {
  const connection = await instance.connect();
  try {
    let statementCount: number | undefined;
    try {
      statementCount = (await connection.extractStatements(sql)).count;
    } catch {
      statementCount = undefined;
    }
    const reader = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql]);
    const tree = JSON.parse(String(reader.getColumns()[0]![0]));
    return guardSql({ sql, statementCount, tree }, { tables });
  } finally {
    connection.closeSync();
  }
}

async function refusal(sql: string): Promise<{ code: string; message: string }> {
  const result = await guard(sql);
  if (result.success) throw new Error(`expected ${JSON.stringify(sql)} to be refused`);
  return { code: result.error.code, message: result.error.message };
}

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
});
afterAll(() => instance.closeSync());

describe('guardSql accepts read-only queries over lakehouse tables', () => {
  const accepted: [string, string[]][] = [
    ['select 1', []],
    ['SELECT count(*) FROM silver_events', ['silver_events']],
    ['sElEcT * fRoM SILVER_EVENTS', ['silver_events']],
    ['select * from main.gold_kpis', ['gold_kpis']],
    ['select * from memory.main.gold_kpis', ['gold_kpis']],
    ['select * from bronze_events', ['Bronze_Events']],
    ['from silver_events select event_type, count(*) group by all', ['silver_events']],
    ['select 1;', []],
    ['select 1 /* ; drop view silver_events */', []],
    ['with w as (select * from gold_kpis) select * from w', ['gold_kpis']],
    ['with a as (select 1 x), b as (select * from a) select * from b', []],
    ['with recursive r(n) as (select 1 union all select n + 1 from r where n < 5) select * from r', []],
    ['select * from silver_events union all select * from silver_events', ['silver_events']],
    ['select * from silver_events s join gold_kpis g on true', ['gold_kpis', 'silver_events']],
    [
      'select * from (select * from silver_events) t where t.price > (select avg(price) from silver_events)',
      ['silver_events'],
    ],
    ['select * from range(10)', []],
    ['select * from generate_series(1, 3) t(x), unnest([1, 2]) u(y)', []],
    ['select * from json_each(\'{"a":1}\')', []],
    ['values (1), (2)', []],
    ['describe silver_events', ['silver_events']],
    ['summarize gold_kpis', ['gold_kpis']],
    ['describe select 1 as x', []],
    ['show tables', []],
    ['select $1::int + $2', []],
    ['select $name', []],
    ['from silver_events unpivot (v for k in (price, quantity))', ['silver_events']],
    ['select list_transform([1, 2], x -> x + 1), {"a": 1}', []],
    ['select now(), version()', []],
  ];
  it.each(accepted)('%s', async (sql, tables) => {
    expect(await guard(sql)).toEqual({ success: true, data: { tables } });
  });
});

describe('guardSql refuses everything else with a code and a clear message', () => {
  const refused: [string, string][] = [
    ['', 'SQL_EMPTY'],
    ['  -- only a comment', 'SQL_EMPTY'],
    ['select 1; select 2', 'SQL_MULTIPLE_STATEMENTS'],
    ['select 1; drop view silver_events', 'SQL_MULTIPLE_STATEMENTS'],
    ['drop view silver_events', 'SQL_NOT_SELECT'],
    ['create table x as select 1', 'SQL_NOT_SELECT'],
    ["copy silver_events to '/tmp/x.csv'", 'SQL_NOT_SELECT'],
    ['pragma version', 'SQL_NOT_SELECT'],
    ['explain select 1', 'SQL_NOT_SELECT'],
    ['select 1 -- \n drop view x', 'SQL_SYNTAX_ERROR'],
    ['select 1 into x', 'SQL_SYNTAX_ERROR'],
    ['with x as (delete from silver_events returning *) select * from x', 'SQL_SYNTAX_ERROR'],
    ["select * from read_csv('/etc/passwd')", 'SQL_FILE_ACCESS_REFUSED'],
    ["select * from read_xlsx('/tmp/a.xlsx')", 'SQL_FILE_ACCESS_REFUSED'],
    ["from 'x.parquet'", 'SQL_FILE_ACCESS_REFUSED'],
    ['select * from "/etc/passwd"', 'SQL_FILE_ACCESS_REFUSED'],
    ["select * from query('select 1')", 'SQL_TABLE_FUNCTION_REFUSED'],
    ['select * from duckdb_settings()', 'SQL_TABLE_FUNCTION_REFUSED'],
    ['select * from system.main.duckdb_tables()', 'SQL_TABLE_FUNCTION_REFUSED'],
    ["select current_setting('threads')", 'SQL_FUNCTION_REFUSED'],
    ["select getvariable('x')", 'SQL_FUNCTION_REFUSED'],
    ['select sleep_ms(100000)', 'SQL_FUNCTION_REFUSED'],
    ['select * from passwd', 'SQL_UNKNOWN_TABLE'],
    ['select * from information_schema.tables', 'SQL_UNKNOWN_TABLE'],
    ['select * from _rtl_engine.table_versions', 'SQL_UNKNOWN_TABLE'],
    ['select * from other.main.silver_events', 'SQL_UNKNOWN_TABLE'],
    ['show databases', 'SQL_STATEMENT_REFUSED'],
    ['show all tables', 'SQL_STATEMENT_REFUSED'],
    ['describe passwd', 'SQL_UNKNOWN_TABLE'],
    ["summarize select * from read_text('/etc/passwd')", 'SQL_FILE_ACCESS_REFUSED'],
  ];
  it.each(refused)('%s → %s', async (sql, code) => {
    expect((await refusal(sql)).code).toBe(code);
  });

  it('finds refused items however deeply they are nested', async () => {
    for (const sql of [
      "select * from silver_events where user_id in (select * from read_text('/etc/passwd'))",
      "select (select count(*) from glob('/*'))",
      "select list_transform([1], x -> (select count(*) from read_blob('/etc/passwd')))",
      "with t as (select * from read_csv('/etc/passwd')) select * from t",
      "select * from (values (1)) v(a), lateral read_text('/etc/passwd')",
      "select * from silver_events union all select * from read_parquet('/tmp/x.parquet')",
    ]) {
      expect((await refusal(sql)).code, sql).toBe('SQL_FILE_ACCESS_REFUSED');
    }
  });

  it('scopes CTE names: a name outside its WITH is a table reference, not a CTE', async () => {
    expect(await refusal('select * from (with w as (select 1) select * from w), w')).toEqual({
      code: 'SQL_UNKNOWN_TABLE',
      message: 'unknown table w; the lakehouse tables are: Bronze_Events, gold_kpis, silver_events',
    });
    // A CTE sees earlier CTEs only, and itself only when recursive.
    expect((await refusal('with a as (select * from b), b as (select 1) select * from a')).code).toBe(
      'SQL_UNKNOWN_TABLE',
    );
    expect((await refusal('with a as (select * from a) select * from a')).code).toBe('SQL_UNKNOWN_TABLE');
    // A CTE named like a file is still refused as file access.
    expect((await refusal('with "x.csv" as (select 1) select * from "x.csv"')).code).toBe(
      'SQL_FILE_ACCESS_REFUSED',
    );
  });

  it('explains each refusal', async () => {
    expect(await refusal('select 1; drop view silver_events')).toMatchInlineSnapshot(`
      {
        "code": "SQL_MULTIPLE_STATEMENTS",
        "message": "only one statement per query is allowed; found 2",
      }
    `);
    expect(await refusal('/* hi */ DROP VIEW silver_events')).toMatchInlineSnapshot(`
      {
        "code": "SQL_NOT_SELECT",
        "message": "only SELECT queries are allowed; DROP statements are refused (the lakehouse SQL engine is read-only)",
      }
    `);
    expect(await refusal('select 1 -- \n drop view x')).toMatchInlineSnapshot(`
      {
        "code": "SQL_SYNTAX_ERROR",
        "message": "syntax error at or near "drop" (at character 15)",
      }
    `);
    expect(await refusal("select * from read_csv('/etc/passwd')")).toMatchInlineSnapshot(`
      {
        "code": "SQL_FILE_ACCESS_REFUSED",
        "message": "table function read_csv() reads files and is not allowed; query the lakehouse tables: Bronze_Events, gold_kpis, silver_events",
      }
    `);
    expect(await refusal('select * from duckdb_settings()')).toMatchInlineSnapshot(`
      {
        "code": "SQL_TABLE_FUNCTION_REFUSED",
        "message": "table function duckdb_settings() is not allowed; allowed table functions: range, generate_series, unnest, json_each, json_tree",
      }
    `);
    expect(await refusal("select current_setting('allowed_directories')")).toMatchInlineSnapshot(`
      {
        "code": "SQL_FUNCTION_REFUSED",
        "message": "function current_setting() is not allowed: it reveals the engine configuration",
      }
    `);
    expect(await refusal('show databases')).toMatchInlineSnapshot(`
      {
        "code": "SQL_STATEMENT_REFUSED",
        "message": "this SHOW form is not allowed; use SHOW TABLES or DESCRIBE <table>",
      }
    `);
  });

  it('reports every issue, the first as the error', async () => {
    const result = await guard("select current_setting('x') from read_csv('/etc/passwd'), nope");
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.issues.map((i) => i.code)).toEqual([
      'SQL_FUNCTION_REFUSED',
      'SQL_FILE_ACCESS_REFUSED',
      'SQL_UNKNOWN_TABLE',
    ]);
    expect(result.error.code).toBe('SQL_FUNCTION_REFUSED');
  });

  it('says when there are no tables yet', async () => {
    const result = await guard('select * from silver_events', []);
    expect(result).toMatchObject({
      success: false,
      error: { message: 'unknown table silver_events; the lakehouse tables are: (none yet)' },
    });
  });
});

describe('guardSql on trees it does not expect', () => {
  it('refuses a tree that is not a parse result', () => {
    expect(guardSql({ sql: 'x', statementCount: 1, tree: 'nonsense' }, { tables: [] })).toMatchObject({
      success: false,
      error: { code: 'SQL_SYNTAX_ERROR' },
    });
  });

  it('refuses unknown query node and FROM item types', () => {
    const node = (from: unknown, type = 'SELECT_NODE') => ({
      error: false,
      statements: [
        { node: { type, modifiers: [], cte_map: { map: [] }, select_list: [], from_table: from } },
      ],
    });
    expect(
      guardSql({ sql: 'x', statementCount: 1, tree: node(null, 'INSERT_NODE') }, { tables: [] }),
    ).toMatchObject({ success: false, error: { code: 'SQL_STATEMENT_REFUSED' } });
    expect(
      guardSql(
        {
          sql: 'x',
          statementCount: 1,
          tree: node({ type: 'COLUMN_DATA', alias: '', sample: null, query_location: 0 }),
        },
        { tables: [] },
      ),
    ).toMatchObject({
      success: false,
      error: { code: 'SQL_STATEMENT_REFUSED', message: 'FROM-clause item COLUMN_DATA is not allowed' },
    });
  });

  it('refuses when the parser counted more statements than the tree holds', () => {
    const tree = {
      error: false,
      statements: [{ node: { type: 'SELECT_NODE', modifiers: [], cte_map: { map: [] }, select_list: [] } }],
    };
    expect(guardSql({ sql: 'x', statementCount: 2, tree }, { tables: [] })).toMatchObject({
      success: false,
      error: { code: 'SQL_MULTIPLE_STATEMENTS' },
    });
  });

  it('refuses trees nested beyond the depth limit', () => {
    let expr: unknown = { class: 'CONSTANT', type: 'VALUE_CONSTANT', value: 1 };
    for (let i = 0; i < 5_000; i++) expr = { class: 'FUNCTION', function_name: 'abs', children: [expr] };
    const tree = {
      error: false,
      statements: [
        { node: { type: 'SELECT_NODE', modifiers: [], cte_map: { map: [] }, select_list: [expr] } },
      ],
    };
    expect(guardSql({ sql: 'x', statementCount: 1, tree }, { tables: [] })).toMatchObject({
      success: false,
      error: { code: 'SQL_TOO_COMPLEX' },
    });
  });
});

describe('leadingKeyword', () => {
  it.each([
    ['drop view x', 'DROP'],
    ['  -- c\n /* d */ (Insert into t values (1))', 'INSERT'],
    [';;copy t to x', 'COPY'],
    ['/* unterminated', undefined],
    ['', undefined],
  ])('%j → %s', (sql, keyword) => {
    expect(leadingKeyword(sql)).toBe(keyword);
  });
});
