import { field, parseCommitFile, struct, where } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';
import { findConflict, type TransactionFootprint } from '../../../kernel-helpers/src/delta/conflicts.js';

const schema = struct(field('window_start', 'timestamp'), field('n', 'long'));
const root = '/lake/gold';
const ours = (extra: Partial<TransactionFootprint> = {}): TransactionFootprint => ({
  removedFiles: new Set(),
  readPredicate: undefined,
  appIds: new Set(),
  schema,
  partitionColumns: [],
  ...extra,
});
const winner = (...lines: string[]) => parseCommitFile(lines.join('\n'), 'gold', 7);
const addWithWindow = (path: string, iso: string) =>
  `{"add":{"path":"${path}","partitionValues":{},"size":1,"modificationTime":1,"dataChange":true,"stats":${JSON.stringify(
    JSON.stringify({
      numRecords: 1,
      minValues: { window_start: iso },
      maxValues: { window_start: iso },
      nullCount: { window_start: 0 },
    }),
  )}}}`;

describe('findConflict', () => {
  it('lets blind appends through concurrent appends', () => {
    expect(
      findConflict(root, ours(), winner(addWithWindow('a', '2024-01-01T00:00:00.000Z'))),
    ).toBeUndefined();
  });

  it('conflicts on metadata or protocol changes', () => {
    expect(
      findConflict(root, ours(), winner('{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}'))?.code,
    ).toBe('DELTA_PROTOCOL_CHANGED');
  });

  it('conflicts when another writer set the same txn app id (exactly-once streaming)', () => {
    const w = winner('{"txn":{"appId":"bronze-ecommerce_events-0","version":41}}');
    expect(findConflict(root, ours({ appIds: new Set(['bronze-ecommerce_events-0']) }), w)).toEqual({
      code: 'DELTA_CONCURRENT_TRANSACTION',
      problem: "a concurrent commit already wrote txn 'bronze-ecommerce_events-0' (version 41)",
    });
    expect(findConflict(root, ours({ appIds: new Set(['bronze-ecommerce_events-1']) }), w)).toBeUndefined();
  });

  it('conflicts when both remove the same file', () => {
    const w = winner('{"remove":{"path":"part-1.parquet","deletionTimestamp":1,"dataChange":false}}');
    expect(findConflict(root, ours({ removedFiles: new Set(['/lake/gold/part-1.parquet']) }), w)?.code).toBe(
      'DELTA_CONCURRENT_DELETE_DELETE',
    );
  });

  it('conflicts when a concurrent add may hold rows a replace-where read', () => {
    const read = where.ge('window_start', new Date('2024-01-01T00:10:00Z'));
    expect(
      findConflict(
        root,
        ours({ readPredicate: read }),
        winner(addWithWindow('a', '2024-01-01T00:12:00.000Z')),
      )?.code,
    ).toBe('DELTA_CONCURRENT_APPEND');
    expect(
      findConflict(
        root,
        ours({ readPredicate: read }),
        winner(addWithWindow('a', '2024-01-01T00:01:00.000Z')),
      ),
    ).toBeUndefined();
    expect(
      findConflict(
        root,
        ours({ readPredicate: 'all' }),
        winner(addWithWindow('a', '2024-01-01T00:01:00.000Z')),
      )?.code,
    ).toBe('DELTA_CONCURRENT_APPEND');
  });
});
