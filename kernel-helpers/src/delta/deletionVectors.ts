// Deletion vectors (PROTOCOL.md "Deletion Vectors", "Deletion Vector Format"): where a DV lives
// (inline Z85, a UUID-named file under the table, or an absolute path), and decoding the 64-bit
// portable Roaring bitmap it holds into the deleted row indexes of one data file. Pure.
import { DeltaError } from '../errors.js';
import type { DeletionVector } from './actions.js';
import { joinPath, resolveDataFilePath } from './dataFilePath.js';

const Z85 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#';
const Z85_VALUE = new Map([...Z85].map((c, i) => [c, i]));
const DV_MAGIC = 1681511377;
const SERIAL_COOKIE_NO_RUNCONTAINER = 12346;
const SERIAL_COOKIE = 12347;
const NO_OFFSET_THRESHOLD = 4;

/** Decodes Z85 text (length a multiple of 5) into bytes. Throws on a character outside the alphabet. */
export function z85Decode(text: string): Uint8Array {
  if (text.length % 5 !== 0) throw new RangeError(`Z85 text length ${text.length} is not a multiple of 5`);
  const out = new Uint8Array((text.length / 5) * 4);
  for (let i = 0, o = 0; i < text.length; i += 5, o += 4) {
    let value = 0;
    for (let j = 0; j < 5; j++) {
      const digit = Z85_VALUE.get(text[i + j]!);
      if (digit === undefined) throw new RangeError(`'${text[i + j]}' is not a Z85 character`);
      value = value * 85 + digit;
    }
    out[o] = (value >>> 24) & 0xff;
    out[o + 1] = (value >>> 16) & 0xff;
    out[o + 2] = (value >>> 8) & 0xff;
    out[o + 3] = value & 0xff;
  }
  return out;
}

/** The canonical text form of a 16-byte UUID. */
function uuidFromBytes(bytes: Uint8Array): string {
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Where a deletion vector's bytes are: inline bytes, or a file and the offset of its entry. */
export type DeletionVectorSource = { inline: Uint8Array } | { file: string; offset: number };

/** Resolves a DV descriptor against the table root. Throws DeltaError for an unknown storage type. */
export function deletionVectorSource(
  table: string,
  tableRoot: string,
  dv: DeletionVector,
): DeletionVectorSource {
  switch (dv.storageType) {
    case 'i':
      return {
        inline: z85Decode(dv.pathOrInlineDv.slice(0, Math.ceil(dv.sizeInBytes / 4) * 5)).subarray(
          0,
          dv.sizeInBytes,
        ),
      };
    case 'u': {
      const encoded = dv.pathOrInlineDv;
      if (encoded.length < 20)
        throw new DeltaError(
          'DELTA_INVALID_DELETION_VECTOR',
          table,
          undefined,
          `bad deletion vector path ${encoded}`,
        );
      const prefix = encoded.slice(0, -20);
      const uuid = uuidFromBytes(z85Decode(encoded.slice(-20)));
      const name = `deletion_vector_${uuid}.bin`;
      return { file: joinPath(tableRoot, prefix ? `${prefix}/${name}` : name), offset: dv.offset ?? 1 };
    }
    case 'p':
      return { file: resolveDataFilePath(tableRoot, dv.pathOrInlineDv), offset: dv.offset ?? 1 };
    default:
      throw new DeltaError(
        'DELTA_INVALID_DELETION_VECTOR',
        table,
        undefined,
        `unknown deletion vector storage type '${dv.storageType}'`,
      );
  }
}

/**
 * The bitmap bytes of the DV entry at `offset` of a DV file: a 4-byte big-endian size, the
 * data, then a CRC-32 of it (checked).
 */
export function deletionVectorFromFile(file: Uint8Array, offset: number, sizeInBytes: number): Uint8Array {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (offset + 4 > file.byteLength)
    throw new RangeError(`deletion vector offset ${offset} is past the end of the file`);
  const size = view.getUint32(offset, false);
  if (size !== sizeInBytes)
    throw new RangeError(`deletion vector size ${size} does not match the descriptor's ${sizeInBytes}`);
  const data = file.subarray(offset + 4, offset + 4 + size);
  if (data.byteLength !== size) throw new RangeError('deletion vector data is truncated');
  const expected = view.getUint32(offset + 4 + size, false);
  if (crc32(data) !== expected) throw new RangeError('deletion vector checksum does not match');
  return data;
}

let crcTable: Uint32Array | undefined;
function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const b of data) crc = crcTable[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Appends the values of one 32-bit portable Roaring bitmap at `pos` (plus `high`); returns the end position. */
function readRoaring32(view: DataView, start: number, high: number, out: number[]): number {
  let pos = start;
  const cookie = view.getUint32(pos, true);
  pos += 4;
  let size: number;
  let runFlags: Uint8Array | undefined;
  if ((cookie & 0xffff) === SERIAL_COOKIE) {
    size = (cookie >>> 16) + 1;
    const flagBytes = Math.ceil(size / 8);
    runFlags = new Uint8Array(view.buffer, view.byteOffset + pos, flagBytes);
    pos += flagBytes;
  } else if (cookie === SERIAL_COOKIE_NO_RUNCONTAINER) {
    size = view.getUint32(pos, true);
    pos += 4;
  } else {
    throw new RangeError(`not a portable Roaring bitmap (cookie ${cookie})`);
  }
  const keys: number[] = [];
  const cardinalities: number[] = [];
  for (let i = 0; i < size; i++) {
    keys.push(view.getUint16(pos, true));
    cardinalities.push(view.getUint16(pos + 2, true) + 1);
    pos += 4;
  }
  if (!runFlags || size >= NO_OFFSET_THRESHOLD) pos += 4 * size; // offset header
  for (let i = 0; i < size; i++) {
    const base = high + keys[i]! * 65536;
    const isRun = runFlags !== undefined && (runFlags[i >>> 3]! & (1 << (i & 7))) !== 0;
    if (isRun) {
      const runs = view.getUint16(pos, true);
      pos += 2;
      for (let r = 0; r < runs; r++) {
        const from = view.getUint16(pos, true);
        const length = view.getUint16(pos + 2, true);
        pos += 4;
        for (let v = from; v <= from + length; v++) out.push(base + v);
      }
    } else if (cardinalities[i]! <= 4096) {
      for (let c = 0; c < cardinalities[i]!; c++, pos += 2) out.push(base + view.getUint16(pos, true));
    } else {
      for (let word = 0; word < 1024; word++, pos += 8) {
        const lo = view.getUint32(pos, true);
        const hi = view.getUint32(pos + 4, true);
        for (let bit = 0; bit < 32; bit++) if (lo & (1 << bit)) out.push(base + word * 64 + bit);
        for (let bit = 0; bit < 32; bit++) if (hi & (1 << bit)) out.push(base + word * 64 + 32 + bit);
      }
    }
  }
  return pos;
}

/** Decodes a DV's bitmap data (magic number + 64-bit portable Roaring) into sorted row indexes. */
export function decodeDeletionVector(data: Uint8Array): number[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (view.getUint32(0, true) !== DV_MAGIC)
    throw new RangeError('deletion vector has the wrong magic number');
  let pos = 4;
  const buckets = Number(view.getBigUint64(pos, true));
  pos += 8;
  const out: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const high = view.getUint32(pos, true) * 2 ** 32;
    pos += 4;
    pos = readRoaring32(view, pos, high, out);
  }
  return out;
}
