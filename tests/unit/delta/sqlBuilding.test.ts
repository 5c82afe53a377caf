import { buildScanSql, field, predicateToSql, struct, where } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';
import {
  partitionPathSegment,
  partitionValueSql,
} from '../../../kernel-helpers/src/delta/partitionValues.js';

describe('SQL building', () => {
  it('renders predicates', () => {
    expect(
      predicateToSql(
        where.and(
          where.ge('ts', new Date('2024-01-01T00:00:00Z')),
          where.in('country', ["D'E", 'FR']),
          where.isNull('x'),
        ),
      ),
    ).toMatchInlineSnapshot(
      `"(("ts" >= TIMESTAMPTZ '2024-01-01T00:00:00.000Z') AND ("country" IN ('D''E', 'FR')) AND ("x" IS NULL))"`,
    );
    expect(predicateToSql(where.or())).toBe('FALSE');
    expect(predicateToSql(where.not(where.ne('a', 1)))).toBe('(NOT ("a" <> 1))');
  });

  it('renders partition values as typed literals', () => {
    expect(partitionValueSql('2021-09-08 11:11:11', 'timestamp')).toBe(
      "timezone('UTC', CAST('2021-09-08 11:11:11' AS TIMESTAMP))",
    );
    expect(partitionValueSql('2021-09-08T11:11:11Z', 'timestamp')).toBe(
      "CAST('2021-09-08T11:11:11Z' AS TIMESTAMPTZ)",
    );
    expect(partitionValueSql('', 'integer')).toBe('CAST(NULL AS INTEGER)');
    expect(partitionValueSql('', 'string')).toBe("CAST('' AS VARCHAR)");
    expect(partitionValueSql(null, 'date')).toBe('CAST(NULL AS DATE)');
    expect(partitionPathSegment('city', 'a=b/c')).toBe('city=a%3Db%2Fc');
    expect(partitionPathSegment('city', null)).toBe('city=__HIVE_DEFAULT_PARTITION__');
  });

  it('builds a scan with partition literals and columns missing from older files', () => {
    const sql = buildScanSql({
      schema: struct(field('id', 'long'), field('added_later', 'string'), field('day', 'date')),
      partitionColumns: ['day'],
      columnMapping: 'none',
      groups: [
        {
          partitionValues: { day: '2024-01-01' },
          urls: ['/t/day=2024-01-01/a.parquet'],
          presentColumns: new Set(['id']),
        },
        {
          partitionValues: { day: null },
          urls: ['/t/day=__HIVE_DEFAULT_PARTITION__/b.parquet'],
          presentColumns: new Set(['id', 'added_later']),
        },
      ],
    });
    expect(sql).toMatchInlineSnapshot(`
      "SELECT * EXCLUDE ("__branch") FROM (
      SELECT 0 AS "__branch", CAST("id" AS BIGINT) AS "id", CAST(NULL AS VARCHAR) AS "added_later", CAST('2024-01-01' AS DATE) AS "day" FROM read_parquet(['/t/day=2024-01-01/a.parquet'])
      UNION ALL
      SELECT 0 AS "__branch", CAST("id" AS BIGINT) AS "id", CAST("added_later" AS VARCHAR) AS "added_later", CAST(NULL AS DATE) AS "day" FROM read_parquet(['/t/day=__HIVE_DEFAULT_PARTITION__/b.parquet'])
      )"
    `);
  });

  it('names the union’s leading constant after no column of the table', () => {
    const group = (k: string) => ({
      partitionValues: { k },
      urls: [`/t/k=${k}/a.parquet`],
      presentColumns: new Set(['__branch']),
    });
    const sql = buildScanSql({
      schema: struct(field('__branch', 'long'), field('k', 'string')),
      partitionColumns: ['k'],
      columnMapping: 'none',
      groups: [group('a'), group('b')],
    });
    expect(sql.startsWith('SELECT * EXCLUDE ("__branch2") FROM (')).toBe(true);
    expect(sql).toContain('SELECT 0 AS "__branch2", CAST("__branch" AS BIGINT) AS "__branch"');
  });

  it('yields typed columns and no rows for an empty table', () => {
    expect(
      buildScanSql({
        schema: struct(field('id', 'long')),
        partitionColumns: [],
        columnMapping: 'none',
        groups: [],
      }),
    ).toBe('SELECT CAST(NULL AS BIGINT) AS "id" WHERE false');
  });
});
