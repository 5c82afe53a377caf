// The schema-less Thrift compact codec: exact bytes for each wire form, lossless round trips of
// hand-built trees, byte-exact re-encoding of the footers DuckDB writes, and clear errors.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { connectUtc, openDuckDb } from '@rt-lakehouse/kernel-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeThriftStruct,
  deleteField,
  encodeThriftStruct,
  getField,
  setField,
  CompactType as T,
  type ThriftField,
  type ThriftStruct,
  type ThriftValue,
} from '../../../kernel-helpers/src/delta/thriftCompact.js';
import { makeTempDir, removeDir } from '../../support/tempDir.js';

const struct = (...fields: [number, number, ThriftValue][]): ThriftStruct => ({
  kind: 'struct',
  fields: fields.map(([id, type, value]): ThriftField => ({ id, type: type as ThriftField['type'], value })),
});
const list = (elementType: number, elements: ThriftValue[]): ThriftValue => ({
  kind: 'list',
  elementType: elementType as ThriftField['type'],
  elements,
});
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const bytesOf = (text: string) => new TextEncoder().encode(text);

/** Decodes `bytes` expecting an error; returns its message. */
function decodeError(bytes: Uint8Array): string {
  try {
    decodeThriftStruct(bytes);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

describe('thrift compact encoding', () => {
  it.each<[string, ThriftStruct, string]>([
    ['i32 -1, short header', struct([1, T.I32, -1]), '150100'],
    ['field id delta 15 still takes the short header', struct([15, T.I32, 0]), 'f50000'],
    ['field id delta 19 takes the long header', struct([20, T.I64, 150n]), '0628ac0200'],
    [
      'a field id below the previous one takes the long header',
      struct([5, T.I8, 1], [3, T.I8, -1]),
      '53010306ff00',
    ],
    [
      'bool fields carry their value in the type',
      struct([1, T.BOOLEAN_TRUE, true], [2, T.BOOLEAN_TRUE, false]),
      '111200',
    ],
    ['double little endian', struct([1, T.DOUBLE, 1]), '17000000000000f03f00'],
    ['binary', struct([1, T.BINARY, bytesOf('ab')]), '1802616200'],
    ['list of 3 i8', struct([1, T.LIST, list(T.I8, [1, 2, -1])]), '19330102ff00'],
    [
      'list of 15 takes the long list header',
      struct([1, T.LIST, list(T.I8, Array(15).fill(0))]),
      `19f30f${'00'.repeat(15)}00`,
    ],
    ['list of bools', struct([1, T.LIST, list(T.BOOLEAN_TRUE, [true, false])]), '1921010200'],
    [
      'map binary to i32',
      struct([1, T.MAP, { kind: 'map', keyType: T.BINARY, valueType: T.I32, entries: [[bytesOf('a'), 1]] }]),
      '1b018501610200',
    ],
    ['empty map', struct([1, T.MAP, { kind: 'map', keyType: 0, valueType: 0, entries: [] }]), '1b0000'],
    ['i64 minimum', struct([1, T.I64, -(2n ** 63n)]), '16ffffffffffffffffff0100'],
  ])('%s', (_, tree, expected) => {
    expect(hex(encodeThriftStruct(tree))).toBe(expected);
    const decoded = decodeThriftStruct(Buffer.from(expected, 'hex'));
    expect(decoded.end).toBe(expected.length / 2);
    expect(hex(encodeThriftStruct(decoded.struct))).toBe(expected);
  });

  it('round-trips a tree with every wire type, long id deltas, negative ids and nesting', () => {
    const uuid = Uint8Array.from({ length: 16 }, (_, i) => i * 17);
    const tree = struct(
      [1, T.BOOLEAN_TRUE, true],
      [2, T.BOOLEAN_FALSE, false],
      [3, T.I8, -128],
      [4, T.I16, -32768],
      [5, T.I32, -2147483648],
      [6, T.I64, -(2n ** 63n)],
      [7, T.DOUBLE, -0.5],
      [8, T.BINARY, bytesOf('café')],
      [
        9,
        T.LIST,
        list(
          T.I32,
          Array.from({ length: 20 }, (_, i) => (i - 10) * 100_000),
        ),
      ],
      [10, T.SET, list(T.BINARY, [bytesOf(''), bytesOf('x'.repeat(300))])],
      [
        11,
        T.MAP,
        {
          kind: 'map',
          keyType: T.BINARY,
          valueType: T.I64,
          entries: [
            [bytesOf('max'), 2n ** 63n - 1n],
            [bytesOf('min'), -(2n ** 63n)],
          ],
        },
      ],
      [12, T.STRUCT, struct([1, T.I32, 7], [300, T.STRUCT, struct([2, T.BOOLEAN_TRUE, true])])],
      [13, T.UUID, uuid],
      [40, T.I64, 2n ** 53n + 1n],
      [41, T.I16, 32767],
      [30, T.I32, 2147483647],
      [-5, T.I8, 127],
      [
        1000,
        T.LIST,
        list(
          T.BOOLEAN_TRUE,
          Array.from({ length: 17 }, (_, i) => i % 3 === 0),
        ),
      ],
      [1001, T.LIST, list(T.LIST, [list(T.I64, [1n, -1n]), list(T.STRUCT, [])])],
      [1002, T.LIST, list(T.STRUCT, [struct(), struct([16, T.DOUBLE, Number.POSITIVE_INFINITY])])],
      [1003, T.MAP, { kind: 'map', keyType: 0, valueType: 0, entries: [] }],
      [
        1004,
        T.MAP,
        {
          kind: 'map',
          keyType: T.I32,
          valueType: T.BOOLEAN_TRUE,
          entries: [
            [-1, false],
            [1, true],
          ],
        },
      ],
    );
    const bytes = encodeThriftStruct(tree);
    const { struct: decoded, end } = decodeThriftStruct(bytes);
    expect(end).toBe(bytes.length);
    expect(decoded).toEqual(tree);
    expect(hex(encodeThriftStruct(decoded))).toBe(hex(bytes));
  });

  it('keeps bool elements written as 0 (the spec) and writes them back as 0', () => {
    const spec = Buffer.from('1921010000', 'hex'); // field 1: list<bool> [true, false] with false as 0
    const { struct: decoded } = decodeThriftStruct(spec);
    expect(getField(decoded, 1)!.value).toEqual({
      kind: 'list',
      elementType: T.BOOLEAN_TRUE,
      elements: [true, false],
      falseByte: 0,
    });
    expect(hex(encodeThriftStruct(decoded))).toBe('1921010000');
  });

  it('decodes a struct in the middle of a buffer and says where it ends', () => {
    const inner = encodeThriftStruct(struct([1, T.I32, 5]));
    const buffer = Uint8Array.from([9, 9, ...inner, 9]);
    expect(decodeThriftStruct(buffer, 2)).toEqual({ struct: struct([1, T.I32, 5]), end: 2 + inner.length });
  });

  it('gets, sets (in id order) and deletes fields', () => {
    const s = struct([1, T.I32, 1], [5, T.I32, 5]);
    setField(s, 3, T.I64, 3n);
    setField(s, 9, T.BINARY, bytesOf('z'));
    setField(s, 5, T.I32, 50);
    expect(s.fields.map((f) => f.id)).toEqual([1, 3, 5, 9]);
    expect(getField(s, 5)).toEqual({ id: 5, type: T.I32, value: 50 });
    expect(deleteField(s, 3)).toBe(true);
    expect(deleteField(s, 3)).toBe(false);
    expect(getField(s, 3)).toBeUndefined();
    expect(s.fields.map((f) => f.id)).toEqual([1, 5, 9]);
    const unordered = struct([5, T.I32, 5], [3, T.I32, 3]);
    setField(unordered, 3, T.I32, 30);
    expect(unordered).toEqual(struct([5, T.I32, 5], [3, T.I32, 30]));
  });

  it('refuses to encode values that do not match their type', () => {
    expect(() => encodeThriftStruct(struct([1, T.I64, 5]))).toThrow(
      'cannot encode thrift field 1: number is not a valid I64',
    );
    expect(() => encodeThriftStruct(struct([2, T.I32, 2 ** 31]))).toThrow(
      'field 2: number is not a valid I32',
    );
    expect(() => encodeThriftStruct(struct([3, T.LIST, list(T.I16, [1, 40000])]))).toThrow(
      'field 3[1]: number is not a valid I16',
    );
    expect(() => encodeThriftStruct(struct([4, T.BOOLEAN_TRUE, 1]))).toThrow(
      'field 4: number is not a valid BOOLEAN_TRUE',
    );
    expect(() => encodeThriftStruct(struct([5, T.STRUCT, bytesOf('x')]))).toThrow(
      'field 5: bytes is not a valid STRUCT',
    );
  });

  it('names the offset of invalid input', () => {
    expect(decodeError(Buffer.from('1e00', 'hex'))).toBe('invalid thrift: field type 14 at offset 0');
    expect(decodeError(Buffer.from('1500ffffffffff0f00', 'hex'))).toBe(
      'invalid thrift: field type 15 at offset 2',
    );
    expect(decodeError(Buffer.from('15ffffffff7f00', 'hex'))).toBe(
      'invalid thrift: i32 at offset 1 is not a 32-bit varint',
    );
    expect(decodeError(Buffer.from('1921030000', 'hex'))).toBe('invalid thrift: bool element 3 at offset 2');
    expect(decodeError(Buffer.from('192102000000', 'hex'))).toBe(
      'invalid thrift: bool element 0 at offset 3 mixes 0 and 2 for false',
    );
    expect(decodeError(Uint8Array.from([...Array(70).fill(0x1c), ...Array(71).fill(0)]))).toBe(
      'invalid thrift: nesting deeper than 64 at offset 65',
    );
  });
});

describe('DuckDB parquet footers', () => {
  let dir: string;
  const footers: Uint8Array[] = [];

  beforeAll(async () => {
    dir = await makeTempDir();
    const instance = await openDuckDb();
    const connection = await connectUtc(instance);
    const select = `SELECT i AS id, 'v' || (i % 7) AS cat, repeat('long text ', 20) || i AS txt, i % 3 = 0 AS flag,
        i * 0.25 AS d, TIMESTAMPTZ '2024-05-01 00:00:00+00' + to_seconds(i) AS ts,
        CASE WHEN i % 5 = 0 THEN NULL ELSE [i, i + 1] END AS xs, {'a': i, 'b': 'b' || (i % 2)} AS st,
        MAP {'k': i} AS m, (i % 4)::DECIMAL(10, 2) AS dec, DATE '2024-01-01' + (i % 30)::INTEGER AS day
      FROM range(5000) t(i)`;
    const options = [
      'ROW_GROUP_SIZE 2048',
      "ROW_GROUP_SIZE 1000, COMPRESSION zstd, KV_METADATA {owner: 'lake', note: 'x'}",
      'PARQUET_VERSION V2, WRITE_BLOOM_FILTER false',
      'COMPRESSION uncompressed',
    ];
    for (const [n, option] of options.entries()) {
      const file = path.join(dir, `f${n}.parquet`);
      await connection.run(`COPY (${select}) TO '${file}' (FORMAT parquet, ${option})`);
      const bytes = await fs.readFile(file);
      const length = bytes.readUInt32LE(bytes.length - 8);
      footers.push(new Uint8Array(bytes.subarray(bytes.length - 8 - length, bytes.length - 8)));
    }
    connection.closeSync();
    instance.closeSync();
  });
  afterAll(() => removeDir(dir));

  it('re-encodes every footer byte for byte', () => {
    expect(footers).toHaveLength(4);
    for (const footer of footers) {
      const { struct: decoded, end } = decodeThriftStruct(footer);
      expect(end).toBe(footer.length);
      expect(getField(decoded, 4)).toBeDefined(); // row groups: the footer was really read
      expect(Buffer.from(encodeThriftStruct(decoded)).equals(Buffer.from(footer))).toBe(true);
    }
  });

  it('throws naming the offset for every truncation of a footer', () => {
    const footer = footers[1]!;
    for (let length = 0; length < footer.length; length++) {
      expect(decodeError(footer.subarray(0, length))).toMatch(/^truncated thrift: .* at offset \d+/);
    }
  });
});
