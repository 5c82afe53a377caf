import { UnsupportedFeatureError } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';
import { assertReadable, assertWritable } from '../../../kernel-helpers/src/delta/tableFeatures.js';

const metadata = {
  id: 'x',
  format: { provider: 'parquet' },
  schemaString: '{"type":"struct","fields":[]}',
  partitionColumns: [],
};

describe('table features', () => {
  it('reads reader versions 1-3 with supported features', () => {
    expect(() => assertReadable('t', 0, { minReaderVersion: 1, minWriterVersion: 2 })).not.toThrow();
    expect(() => assertReadable('t', 0, { minReaderVersion: 2, minWriterVersion: 5 })).not.toThrow();
    expect(() =>
      assertReadable('t', 0, {
        minReaderVersion: 3,
        minWriterVersion: 7,
        readerFeatures: ['columnMapping', 'timestampNtz'],
      }),
    ).not.toThrow();
  });

  it('refuses unsupported reader features by name', () => {
    const check = () =>
      assertReadable('events', 4, {
        minReaderVersion: 3,
        minWriterVersion: 7,
        readerFeatures: ['variantType'],
      });
    expect(check).toThrow(UnsupportedFeatureError);
    expect(check).toThrow("Delta table events at version 4: unsupported Delta feature 'variantType'");
    expect(() =>
      assertReadable('e', 0, { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['quantumLayout'] }),
    ).toThrow("unsupported Delta feature 'quantumLayout' (unknown reader feature)");
    expect(() => assertReadable('e', 0, { minReaderVersion: 4, minWriterVersion: 7 })).toThrow(
      "unsupported Delta feature 'readerVersion 4'",
    );
  });

  it('refuses writes this writer cannot honour', () => {
    expect(() =>
      assertWritable('e', 0, { minReaderVersion: 1, minWriterVersion: 2 }, metadata),
    ).not.toThrow();
    expect(() => assertWritable('e', 0, { minReaderVersion: 1, minWriterVersion: 4 }, metadata)).toThrow(
      "'changeDataFeed'",
    );
    expect(() =>
      assertWritable(
        'e',
        0,
        { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: [], writerFeatures: ['rowTracking'] },
        metadata,
      ),
    ).toThrow("unsupported Delta feature 'rowTracking'");
    const withInvariant = {
      ...metadata,
      schemaString:
        '{"type":"struct","fields":[{"name":"a","type":"long","nullable":true,"metadata":{"delta.invariants":"a > 0"}}]}',
    };
    expect(() => assertWritable('e', 0, { minReaderVersion: 1, minWriterVersion: 2 }, withInvariant)).toThrow(
      "'invariants'",
    );
  });
});
