// Reading the query out of model replies of every shape seen in practice.
import { extractSql } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';

describe('extractSql', () => {
  it.each([
    ['a ```sql fence', '```sql\nSELECT 1 AS x;\n```\nExplanation: one.', 'SELECT 1 AS x', 'one.'],
    [
      'an upper-case tag and prose around',
      'Sure!\n```SQL\nSELECT a\nFROM t\n```\n**Explanation:** counts a.',
      'SELECT a\nFROM t',
      'counts a.',
    ],
    [
      'a duckdb tag',
      '```duckdb\nWITH x AS (SELECT 1) SELECT * FROM x\n```',
      'WITH x AS (SELECT 1) SELECT * FROM x',
      undefined,
    ],
    ['an untagged fence holding a query', 'Query:\n```\nselect 2\n```', 'select 2', undefined],
    ['a bare query with a label', 'SQL: SELECT 3 AS y;\nExplanation: three', 'SELECT 3 AS y', 'three'],
    [
      'a bare multi-line query ended by a blank line',
      'SELECT a,\n  b\nFROM t\n\nThis returns a and b.',
      'SELECT a,\n  b\nFROM t',
      undefined,
    ],
    [
      'a reasoning block first',
      '<think>maybe SELECT wrong</think>\n```sql\nSELECT right_one\n```',
      'SELECT right_one',
      undefined,
    ],
    ['Windows line ends', '```sql\r\nSELECT 4\r\n```', 'SELECT 4', undefined],
  ])('reads %s', (_name, reply, sql, explanation) => {
    expect(extractSql(reply)).toEqual({ success: true, sql, explanation });
  });

  it('prefers the sql-tagged fence over other fences', () => {
    const reply = '```text\nnot this\n```\n```sql\nSELECT 5\n```';
    expect(extractSql(reply)).toMatchObject({ success: true, sql: 'SELECT 5' });
  });

  it('reports refusals and replies without SQL', () => {
    expect(extractSql('CANNOT_ANSWER: there is no weather table')).toEqual({
      success: false,
      code: 'LLM_CANNOT_ANSWER',
      reason: 'there is no weather table',
    });
    expect(extractSql('I am not sure what you mean.')).toEqual({
      success: false,
      code: 'LLM_NO_SQL',
      reason: 'the reply holds no SQL query',
    });
    expect(extractSql('')).toMatchObject({ success: false, code: 'LLM_NO_SQL' });
  });
});
