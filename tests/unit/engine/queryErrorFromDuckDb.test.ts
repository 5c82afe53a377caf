import { QueryError, queryErrorFromDuckDb } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';

describe('queryErrorFromDuckDb', () => {
  it.each([
    ['Parser Error: syntax error at or near "x"', 'SQL_SYNTAX_ERROR'],
    ['Binder Error: Referenced column "x" not found', 'SQL_BIND_ERROR'],
    ['Catalog Error: Table with name x does not exist!', 'SQL_BIND_ERROR'],
    ['Permission Error: Cannot access file "/etc/passwd"', 'SQL_PERMISSION_DENIED'],
    ['INTERRUPT Error: Interrupted!', 'QUERY_INTERRUPTED'],
    ['Out of Memory Error: failed to allocate', 'QUERY_OUT_OF_MEMORY'],
    ["Conversion Error: Could not convert string 'a' to INT32", 'QUERY_FAILED'],
    ['something else entirely', 'QUERY_FAILED'],
  ])('%s → %s', (message, code) => {
    const cause = new Error(message);
    const error = queryErrorFromDuckDb(cause, 'select 1');
    expect(error).toBeInstanceOf(QueryError);
    expect(error).toMatchObject({ code, message, sql: 'select 1', cause, retriable: false });
  });
});
