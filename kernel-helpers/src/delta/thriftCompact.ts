// A schema-less Apache Thrift compact protocol codec for structs (the encoding of parquet
// footers). Decoding keeps every field's id, wire type and value in order, so a tree can be edited
// (a few fields changed) and written back with everything it does not know untouched. Encoding is
// canonical, as Apache Thrift writes (shortest varints, short headers where they fit), so
// encode(decode(b)) equals b for anything a Thrift library wrote; padded varints would not survive.
// Errors are LakehouseErrors (code THRIFT_INVALID) naming the byte offset. Pure.
import { LakehouseError } from '../errors.js';

/** Compact protocol type ids: field types, and element types of lists, sets and maps. */
export const CompactType = {
  BOOLEAN_TRUE: 1,
  BOOLEAN_FALSE: 2,
  I8: 3,
  I16: 4,
  I32: 5,
  I64: 6,
  DOUBLE: 7,
  BINARY: 8,
  LIST: 9,
  SET: 10,
  MAP: 11,
  STRUCT: 12,
  UUID: 13,
} as const;
export type CompactType = (typeof CompactType)[keyof typeof CompactType];

/**
 * A decoded value; its wire type is held by the field or container around it. Booleans are
 * `boolean`, i8/i16/i32 and double `number`, i64 `bigint`, binary and uuid `Uint8Array`.
 */
export type ThriftValue = boolean | number | bigint | Uint8Array | ThriftStruct | ThriftList | ThriftMap;

/** One struct field. A boolean field's value also decides its wire type (BOOLEAN_TRUE/FALSE). */
export interface ThriftField {
  id: number;
  type: CompactType;
  value: ThriftValue;
}

/** A struct (or union, or exception): its fields in wire order. */
export interface ThriftStruct {
  kind: 'struct';
  fields: ThriftField[];
}

/**
 * A list or set (the field or element type says which). `falseByte` is 0 when the writer sent
 * boolean elements' false as 0 (the spec's wording) instead of 2 (what Apache Thrift writes).
 */
export interface ThriftList {
  kind: 'list';
  elementType: CompactType;
  elements: ThriftValue[];
  falseByte?: 0;
}

/** A map; an empty map carries no key or value type on the wire, so they decode as 0. */
export interface ThriftMap {
  kind: 'map';
  keyType: CompactType | 0;
  valueType: CompactType | 0;
  entries: [ThriftValue, ThriftValue][];
  falseByte?: 0;
}

/** Nesting deeper than this is refused rather than risking the stack on hostile input. */
const MAX_DEPTH = 64;

function thriftError(message: string): LakehouseError {
  return new LakehouseError('THRIFT_INVALID', message);
}

/** Decodes the struct that starts at `offset`; returns it and the offset just after its stop byte. */
export function decodeThriftStruct(bytes: Uint8Array, offset = 0): { struct: ThriftStruct; end: number } {
  const reader = new Reader(bytes, offset);
  const struct = reader.struct(0);
  return { struct, end: reader.pos };
}

/** Encodes a struct canonically. Throws when a value does not match its declared type. */
export function encodeThriftStruct(struct: ThriftStruct): Uint8Array {
  const writer = new Writer();
  writer.struct(struct, 0);
  return writer.bytes();
}

/** The field with `id`, or undefined. */
export function getField(struct: ThriftStruct, id: number): ThriftField | undefined {
  return struct.fields.find((f) => f.id === id);
}

/** Replaces field `id` where it is, or adds it before the first field with a larger id. */
export function setField(struct: ThriftStruct, id: number, type: CompactType, value: ThriftValue): void {
  const field: ThriftField = { id, type, value };
  const existing = struct.fields.findIndex((f) => f.id === id);
  if (existing !== -1) {
    struct.fields[existing] = field;
    return;
  }
  const after = struct.fields.findIndex((f) => f.id > id);
  if (after === -1) struct.fields.push(field);
  else struct.fields.splice(after, 0, field);
}

/** Removes field `id`; returns whether it was there. */
export function deleteField(struct: ThriftStruct, id: number): boolean {
  const at = struct.fields.findIndex((f) => f.id === id);
  if (at !== -1) struct.fields.splice(at, 1);
  return at !== -1;
}

class Reader {
  private readonly view: DataView;

  constructor(
    private readonly buf: Uint8Array,
    public pos: number,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  private need(n: number, what: string): void {
    if (this.pos + n > this.buf.length)
      throw thriftError(
        `truncated thrift: ${what} at offset ${this.pos} needs ${n} bytes, ${this.buf.length - this.pos} left`,
      );
  }

  private byte(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }

  /** An unsigned LEB128 of at most 32 bits. */
  private varint32(what: string): number {
    const start = this.pos;
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.byte(what);
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) {
        if (result > 0xffffffff) break;
        return result;
      }
    }
    throw thriftError(`invalid thrift: ${what} at offset ${start} is not a 32-bit varint`);
  }

  private varint64(what: string): bigint {
    const start = this.pos;
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const b = this.byte(what);
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) {
        if (result > 0xffffffffffffffffn) break;
        return result;
      }
    }
    throw thriftError(`invalid thrift: ${what} at offset ${start} is not a 64-bit varint`);
  }

  private zigzag32(what: string): number {
    const n = this.varint32(what);
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  private size(what: string): number {
    const start = this.pos;
    const n = this.varint32(what);
    // Every element takes at least one byte: a larger count cannot be honest.
    if (n > this.buf.length - this.pos)
      throw thriftError(
        `truncated thrift: ${what} ${n} at offset ${start} exceeds the ${this.buf.length - this.pos} bytes left`,
      );
    return n;
  }

  struct(depth: number): ThriftStruct {
    if (depth > MAX_DEPTH)
      throw thriftError(`invalid thrift: nesting deeper than ${MAX_DEPTH} at offset ${this.pos}`);
    const fields: ThriftField[] = [];
    let lastId = 0;
    for (;;) {
      const at = this.pos;
      const header = this.byte('field header');
      if (header === 0) return { kind: 'struct', fields };
      const type = header & 0x0f;
      const delta = header >> 4;
      const id = delta === 0 ? this.zigzag32('field id') : lastId + delta;
      if (id < -32768 || id > 32767)
        throw thriftError(`invalid thrift: field id ${id} at offset ${at} is not an i16`);
      if (!isCompactType(type)) throw thriftError(`invalid thrift: field type ${type} at offset ${at}`);
      const value =
        type === CompactType.BOOLEAN_TRUE || type === CompactType.BOOLEAN_FALSE
          ? type === CompactType.BOOLEAN_TRUE
          : this.value(type, depth, undefined);
      fields.push({ id, type, value });
      lastId = id;
    }
  }

  /** A value of `type`; `bools` collects how a container's boolean elements spell false. */
  private value(type: CompactType, depth: number, bools: { falseByte?: 0 | 2 } | undefined): ThriftValue {
    const at = this.pos;
    switch (type) {
      case CompactType.BOOLEAN_TRUE:
      case CompactType.BOOLEAN_FALSE: {
        const b = this.byte('bool element');
        if (b === 1) return true;
        if ((b !== 0 && b !== 2) || !bools)
          throw thriftError(`invalid thrift: bool element ${b} at offset ${at}`);
        if (bools.falseByte !== undefined && bools.falseByte !== b)
          throw thriftError(`invalid thrift: bool element ${b} at offset ${at} mixes 0 and 2 for false`);
        bools.falseByte = b;
        return false;
      }
      case CompactType.I8: {
        this.need(1, 'i8');
        return this.view.getInt8(this.pos++);
      }
      case CompactType.I16: {
        const n = this.zigzag32('i16');
        if (n < -32768 || n > 32767)
          throw thriftError(`invalid thrift: i16 ${n} at offset ${at} is out of range`);
        return n;
      }
      case CompactType.I32:
        return this.zigzag32('i32');
      case CompactType.I64: {
        const n = this.varint64('i64');
        return (n >> 1n) ^ -(n & 1n);
      }
      case CompactType.DOUBLE: {
        this.need(8, 'double');
        const d = this.view.getFloat64(this.pos, true);
        this.pos += 8;
        return d;
      }
      case CompactType.BINARY: {
        const n = this.varint32('binary length');
        this.need(n, 'binary');
        const out = this.buf.slice(this.pos, this.pos + n);
        this.pos += n;
        return out;
      }
      case CompactType.UUID: {
        this.need(16, 'uuid');
        const out = this.buf.slice(this.pos, this.pos + 16);
        this.pos += 16;
        return out;
      }
      case CompactType.LIST:
      case CompactType.SET: {
        const header = this.byte('list header');
        const elementType = header & 0x0f;
        if (!isCompactType(elementType))
          throw thriftError(`invalid thrift: element type ${elementType} at offset ${at}`);
        const count = header >> 4 === 15 ? this.size('list size') : header >> 4;
        const seen: { falseByte?: 0 | 2 } = {};
        const elements: ThriftValue[] = [];
        for (let i = 0; i < count; i++) elements.push(this.value(elementType, depth + 1, seen));
        const list: ThriftList = { kind: 'list', elementType, elements };
        if (seen.falseByte === 0) list.falseByte = 0;
        return list;
      }
      case CompactType.MAP: {
        const count = this.size('map size');
        if (count === 0) return { kind: 'map', keyType: 0, valueType: 0, entries: [] };
        const types = this.byte('map types');
        const keyType = types >> 4;
        const valueType = types & 0x0f;
        if (!isCompactType(keyType) || !isCompactType(valueType))
          throw thriftError(`invalid thrift: map types ${keyType}/${valueType} at offset ${at}`);
        const seen: { falseByte?: 0 | 2 } = {};
        const entries: [ThriftValue, ThriftValue][] = [];
        for (let i = 0; i < count; i++)
          entries.push([this.value(keyType, depth + 1, seen), this.value(valueType, depth + 1, seen)]);
        const map: ThriftMap = { kind: 'map', keyType, valueType, entries };
        if (seen.falseByte === 0) map.falseByte = 0;
        return map;
      }
      case CompactType.STRUCT:
        return this.struct(depth + 1);
    }
  }
}

function isCompactType(t: number): t is CompactType {
  return t >= CompactType.BOOLEAN_TRUE && t <= CompactType.UUID;
}

class Writer {
  private buf = new Uint8Array(1024);
  private view = new DataView(this.buf.buffer);
  private pos = 0;

  bytes(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  private byte(b: number): void {
    this.reserve(1);
    this.buf[this.pos++] = b;
  }

  private varint(n: number): void {
    this.reserve(5);
    while (n >= 0x80) {
      this.buf[this.pos++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.pos++] = n;
  }

  private zigzag32(n: number): void {
    this.varint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  private raw(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  struct(struct: ThriftStruct, depth: number): void {
    if (depth > MAX_DEPTH) throw thriftError(`cannot encode thrift: nesting deeper than ${MAX_DEPTH}`);
    let lastId = 0;
    for (const { id, type, value } of struct.fields) {
      if (!Number.isInteger(id) || id < -32768 || id > 32767)
        throw thriftError(`cannot encode thrift field id ${id}`);
      const isBool = type === CompactType.BOOLEAN_TRUE || type === CompactType.BOOLEAN_FALSE;
      if (isBool && typeof value !== 'boolean') throw mismatch(id, type, value);
      const wireType = isBool ? (value ? CompactType.BOOLEAN_TRUE : CompactType.BOOLEAN_FALSE) : type;
      const delta = id - lastId;
      if (delta > 0 && delta <= 15) this.byte((delta << 4) | wireType);
      else {
        this.byte(wireType);
        this.zigzag32(id);
      }
      lastId = id;
      if (!isBool) this.value(type, value, depth, `field ${id}`, undefined);
    }
    this.byte(0);
  }

  private value(
    type: CompactType,
    value: ThriftValue,
    depth: number,
    where: string,
    falseByte: 0 | undefined,
  ): void {
    switch (type) {
      case CompactType.BOOLEAN_TRUE:
      case CompactType.BOOLEAN_FALSE:
        if (typeof value !== 'boolean') throw mismatch(where, type, value);
        this.byte(value ? 1 : (falseByte ?? 2));
        return;
      case CompactType.I8:
        if (!isIntIn(value, -128, 127)) throw mismatch(where, type, value);
        this.byte(value & 0xff);
        return;
      case CompactType.I16:
        if (!isIntIn(value, -32768, 32767)) throw mismatch(where, type, value);
        this.zigzag32(value);
        return;
      case CompactType.I32:
        if (!isIntIn(value, -2147483648, 2147483647)) throw mismatch(where, type, value);
        this.zigzag32(value);
        return;
      case CompactType.I64: {
        if (typeof value !== 'bigint' || BigInt.asIntN(64, value) !== value)
          throw mismatch(where, type, value);
        let n = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
        this.reserve(10);
        while (n >= 0x80n) {
          this.buf[this.pos++] = Number(n & 0x7fn) | 0x80;
          n >>= 7n;
        }
        this.buf[this.pos++] = Number(n);
        return;
      }
      case CompactType.DOUBLE:
        if (typeof value !== 'number') throw mismatch(where, type, value);
        this.reserve(8);
        this.view.setFloat64(this.pos, value, true);
        this.pos += 8;
        return;
      case CompactType.BINARY:
        if (!(value instanceof Uint8Array)) throw mismatch(where, type, value);
        this.varint(value.length);
        this.raw(value);
        return;
      case CompactType.UUID:
        if (!(value instanceof Uint8Array) || value.length !== 16) throw mismatch(where, type, value);
        this.raw(value);
        return;
      case CompactType.LIST:
      case CompactType.SET: {
        if (!isKind(value, 'list')) throw mismatch(where, type, value);
        const n = value.elements.length;
        if (n < 15) this.byte((n << 4) | value.elementType);
        else {
          this.byte(0xf0 | value.elementType);
          this.varint(n);
        }
        for (const [i, e] of value.elements.entries())
          this.value(value.elementType, e, depth + 1, `${where}[${i}]`, value.falseByte);
        return;
      }
      case CompactType.MAP: {
        if (!isKind(value, 'map')) throw mismatch(where, type, value);
        this.varint(value.entries.length);
        if (value.entries.length === 0) return;
        if (value.keyType === 0 || value.valueType === 0)
          throw thriftError(`cannot encode thrift ${where}: a non-empty map needs key and value types`);
        this.byte((value.keyType << 4) | value.valueType);
        for (const [i, [k, v]] of value.entries.entries()) {
          this.value(value.keyType, k, depth + 1, `${where} key ${i}`, value.falseByte);
          this.value(value.valueType, v, depth + 1, `${where} value ${i}`, value.falseByte);
        }
        return;
      }
      case CompactType.STRUCT:
        if (!isKind(value, 'struct')) throw mismatch(where, type, value);
        this.struct(value, depth + 1);
        return;
      default:
        throw thriftError(`cannot encode thrift ${where}: unknown type ${String(type)}`);
    }
  }
}

function isIntIn(value: ThriftValue, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function isKind<K extends 'struct' | 'list' | 'map'>(
  value: ThriftValue,
  kind: K,
): value is Extract<ThriftValue, { kind: K }> {
  return typeof value === 'object' && !(value instanceof Uint8Array) && value.kind === kind;
}

function mismatch(where: string | number, type: CompactType, value: ThriftValue): LakehouseError {
  const shown =
    typeof value === 'object' ? (value instanceof Uint8Array ? 'bytes' : value.kind) : typeof value;
  const name = Object.entries(CompactType).find(([, t]) => t === type)?.[0] ?? String(type);
  return thriftError(
    `cannot encode thrift ${typeof where === 'number' ? `field ${where}` : where}: ${shown} is not a valid ${name}`,
  );
}
