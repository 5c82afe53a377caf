// Filling one DuckDB data-chunk vector from a column of JavaScript values in bulk, for the types
// the hot paths write (strings, integers, doubles, booleans, timestamps held as epoch millis or
// micros). @duckdb/node-api's generic path boxes every timestamp in a value object and a BigInt,
// keeps a per-item cache and crosses into native code once per string; here the fixed-width
// values are laid out in one typed array and copied in with one call, strings of up to 12 ASCII
// characters are written inline (DuckDB's string_t keeps those in the vector itself), and a long
// string that repeats within the chunk is stored once and its slot copied. Bytes (a Buffer or
// Uint8Array) in a string column stand for their UTF-8 text and are copied in as they are: a
// Kafka value goes to Bronze without ever becoming a JavaScript string.
//
// A filler returns false when it meets a value its fast path does not take (a Date string, a
// number in a string column, ...); the caller then converts that column chunk the generic way,
// which also names the row and column of a value that does not fit.
import { Buffer, isUtf8 } from 'node:buffer';
import duckdb from '@duckdb/node-bindings';
import type { DataType } from './schema.js';

/** Writes values[start .. start + n) into rows 0 .. n of `vector`; false leaves it untouched. */
export type VectorFill = (
  vector: duckdb.Vector,
  values: readonly unknown[],
  start: number,
  n: number,
) => boolean;

const TWO_POW_32 = 4294967296;
/** Bytes of a duckdb_string_t slot; strings of up to 12 bytes live inside it. */
const SLOT_BYTES = 16;
const INLINE_BYTES = 12;

/** Marks rows whose value is null or undefined as NULL; does nothing when every row has one. */
function writeValidity(vector: duckdb.Vector, values: readonly unknown[], start: number, n: number): void {
  let mask: Uint32Array<ArrayBuffer> | undefined;
  for (let i = 0; i < n; i++) {
    const v = values[start + i];
    if (v === null || v === undefined) {
      mask ??= new Uint32Array(Math.ceil(n / 64) * 2).fill(0xffffffff);
      mask[i >>> 5]! &= ~(1 << (i & 31));
    }
  }
  if (!mask) return;
  duckdb.vector_ensure_validity_writable(vector);
  duckdb.copy_data_to_vector_validity(vector, 0, mask.buffer, 0, mask.byteLength);
}

function copyIn(vector: duckdb.Vector, data: ArrayBufferView): void {
  duckdb.copy_data_to_vector(vector, 0, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
}

/** Writes `value`, an integral double, as a little-endian int64 at words [2i, 2i + 1]. */
function setInt64(words: Int32Array, i: number, value: number): void {
  const hi = Math.floor(value / TWO_POW_32);
  words[2 * i] = (value - hi * TWO_POW_32) | 0;
  words[2 * i + 1] = hi;
}

function fillLong(vector: duckdb.Vector, values: readonly unknown[], start: number, n: number): boolean {
  const out = new BigInt64Array(n);
  const words = new Int32Array(out.buffer);
  for (let i = 0; i < n; i++) {
    const v = values[start + i];
    if (typeof v === 'bigint') out[i] = v;
    else if (typeof v === 'number' && Number.isInteger(v)) setInt64(words, i, v);
    else if (v !== null && v !== undefined) return false;
  }
  copyIn(vector, out);
  writeValidity(vector, values, start, n);
  return true;
}

/** Timestamps as microseconds since the epoch, from epoch millis, bigint micros or a Date. */
function fillTimestamp(vector: duckdb.Vector, values: readonly unknown[], start: number, n: number): boolean {
  const out = new BigInt64Array(n);
  const words = new Int32Array(out.buffer);
  for (let i = 0; i < n; i++) {
    const v = values[start + i];
    let ms: number;
    if (typeof v === 'number') ms = v;
    else if (v instanceof Date) ms = v.getTime();
    else if (typeof v === 'bigint') {
      out[i] = v;
      continue;
    } else if (v === null || v === undefined) continue;
    else return false;
    if (!Number.isFinite(ms)) return false;
    setInt64(words, i, Math.round(ms * 1000));
  }
  copyIn(vector, out);
  writeValidity(vector, values, start, n);
  return true;
}

type NumberArray = Int8Array | Int16Array | Int32Array | Float32Array | Float64Array | Uint8Array;

function fillNumbers(make: (n: number) => NumberArray): VectorFill {
  return (vector, values, start, n) => {
    const out = make(n);
    for (let i = 0; i < n; i++) {
      const v = values[start + i];
      if (typeof v === 'number') out[i] = v;
      else if (v !== null && v !== undefined) return false;
    }
    copyIn(vector, out);
    writeValidity(vector, values, start, n);
    return true;
  };
}

function fillBoolean(vector: duckdb.Vector, values: readonly unknown[], start: number, n: number): boolean {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[start + i];
    if (typeof v === 'boolean') out[i] = v ? 1 : 0;
    else if (v !== null && v !== undefined) return false;
  }
  copyIn(vector, out);
  writeValidity(vector, values, start, n);
  return true;
}

/**
 * The text of UTF-8 `bytes` as a string column stores it: as Buffer#toString gives it (U+FFFD
 * for invalid sequences). A reader of such bytes (Silver reading Bronze's values from memory)
 * decodes them with this to get what the table holds.
 */
export function utf8Text(bytes: Uint8Array): string {
  return (
    Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  ).toString('utf8');
}

/** Writes `s` into slot i when it is at most 12 ASCII characters; false otherwise. */
function writeInline(slots: Uint8Array, words: Int32Array, i: number, s: string): boolean {
  const length = s.length;
  if (length > INLINE_BYTES) return false;
  const base = i * SLOT_BYTES + 4;
  for (let k = 0; k < length; k++) {
    const code = s.charCodeAt(k);
    if (code > 0x7f) {
      slots.fill(0, base, base + length);
      return false;
    }
    slots[base + k] = code;
  }
  words[i * 4] = length;
  return true;
}

/**
 * A string filler for one staging run. It remembers, per column, whether long strings repeat
 * within a chunk (user agents, topics) or not (ids), and stops looking them up when they do not.
 */
function stringFill(): VectorFill {
  let lookups = 0;
  let hits = 0;
  return (vector, values, start, n) => {
    for (let i = 0; i < n; i++) {
      const v = values[start + i];
      if (typeof v !== 'string' && v !== null && v !== undefined && !(v instanceof Uint8Array)) return false;
    }
    const slots = new Uint8Array(n * SLOT_BYTES);
    const words = new Int32Array(slots.buffer);
    const long: number[] = [];
    const bytes: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = values[start + i];
      if (typeof v === 'string') {
        if (!writeInline(slots, words, i, v)) long.push(i);
      } else if (v instanceof Uint8Array) bytes.push(i);
    }
    copyIn(vector, slots);
    for (const i of bytes) {
      // DuckDB would store invalid UTF-8 as NULL: such bytes are decoded as Buffer#toString
      // decodes them (U+FFFD for each bad sequence).
      const v = values[start + i] as Uint8Array;
      if (isUtf8(v)) duckdb.vector_assign_string_element_len(vector, i, v);
      else duckdb.vector_assign_string_element(vector, i, utf8Text(v));
    }
    const lookUp = lookups < 256 || hits * 4 >= lookups;
    const first = lookUp ? new Map<string, number>() : undefined;
    const repeats: number[] = [];
    for (const i of long) {
      const s = values[start + i] as string;
      if (first) {
        lookups++;
        const at = first.get(s);
        if (at !== undefined) {
          hits++;
          repeats.push(i, at);
          continue;
        }
        first.set(s, i);
      }
      duckdb.vector_assign_string_element(vector, i, s);
    }
    if (repeats.length > 0) {
      // A repeat's slot points at the string its first occurrence stored in the vector.
      const data = duckdb.vector_get_data(vector, n * SLOT_BYTES);
      const copied = new Int32Array(data.buffer, data.byteOffset, n * 4);
      for (let r = 0; r < repeats.length; r += 2) {
        const to = repeats[r]! * 4;
        const from = repeats[r + 1]! * 4;
        copied[to] = copied[from]!;
        copied[to + 1] = copied[from + 1]!;
        copied[to + 2] = copied[from + 2]!;
        copied[to + 3] = copied[from + 3]!;
      }
      copyIn(vector, data);
    }
    writeValidity(vector, values, start, n);
    return true;
  };
}

/**
 * A filler for a column of Delta type `type` for one staging run, or undefined when the type has
 * no fast path (dates, binary, decimals, nested types).
 */
export function vectorFillFor(type: DataType): VectorFill | undefined {
  switch (type) {
    case 'string':
      return stringFill();
    case 'long':
      return fillLong;
    case 'integer':
      return fillNumbers((n) => new Int32Array(n));
    case 'short':
      return fillNumbers((n) => new Int16Array(n));
    case 'byte':
      return fillNumbers((n) => new Int8Array(n));
    case 'double':
      return fillNumbers((n) => new Float64Array(n));
    case 'float':
      return fillNumbers((n) => new Float32Array(n));
    case 'boolean':
      return fillBoolean;
    case 'timestamp':
    case 'timestamp_ntz':
      return fillTimestamp;
    default:
      return undefined;
  }
}
