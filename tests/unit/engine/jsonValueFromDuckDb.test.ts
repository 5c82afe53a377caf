import { DuckDBInstance } from '@duckdb/node-api';
import { jsonValueFromDuckDb } from '@rt-lakehouse/kernel-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let instance: DuckDBInstance;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run("SET GLOBAL TimeZone = 'UTC'");
  connection.closeSync();
});
afterAll(() => instance.closeSync());

async function convert(expression: string): Promise<unknown> {
  const connection = await instance.connect();
  try {
    const result = await connection.run(`SELECT ${expression}`);
    const chunk = await result.fetchChunk();
    return chunk!.convertRows(jsonValueFromDuckDb)[0]![0];
  } finally {
    connection.closeSync();
  }
}

describe('jsonValueFromDuckDb', () => {
  it.each([
    ['42::INTEGER', 42],
    ['42::BIGINT', 42],
    ['9007199254740991::BIGINT', 9_007_199_254_740_991],
    ['9007199254740993::BIGINT', '9007199254740993'],
    ['(-9007199254740993)::BIGINT', '-9007199254740993'],
    ['170141183460469231731687303715884105727::HUGEINT', '170141183460469231731687303715884105727'],
    ['12.34::DECIMAL(10,2)', 12.34],
    ['count(*) FROM range(3)', 3],
    ['1.5::DOUBLE', 1.5],
    ["'NaN'::DOUBLE", 'NaN'],
    ['true', true],
    ["'héllo'", 'héllo'],
    ['NULL', null],
    ["TIMESTAMPTZ '2024-05-01 12:34:56.789+02'", '2024-05-01T10:34:56.789Z'],
    ["TIMESTAMPTZ '1969-12-31 23:59:59.9995+00'", '1969-12-31T23:59:59.999Z'],
    ["TIMESTAMP '2024-05-01 12:34:56'", '2024-05-01T12:34:56.000'],
    ["'infinity'::TIMESTAMPTZ", 'infinity'],
    ["DATE '2024-05-01'", '2024-05-01'],
    ["INTERVAL '90 minutes'", '01:30:00'],
    ["'6ba7b810-9dad-11d1-80b4-00c04fd430c8'::UUID", '6ba7b810-9dad-11d1-80b4-00c04fd430c8'],
    ['[1, 2, NULL]::BIGINT[]', [1, 2, null]],
    ["{'a': 1::BIGINT, 'b': [DATE '2024-01-02']}", { a: 1, b: ['2024-01-02'] }],
    ["MAP {'k': 2.5::DECIMAL(4,1)}", [{ key: 'k', value: 2.5 }]],
  ])('%s → %j', async (expression, expected) => {
    expect(await convert(expression)).toEqual(expected);
  });

  it('produces values JSON.stringify renders without loss', async () => {
    const value = await convert("{'n': 9007199254740993::BIGINT, 't': TIMESTAMPTZ '2024-01-01 00:00:00+00'}");
    expect(JSON.parse(JSON.stringify(value))).toEqual(value);
  });
});
