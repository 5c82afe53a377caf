// Lossless concatenation of parquet files at the row-group level, for small-file compaction: the
// bytes between each input's "PAR1" and its footer are copied as they are, and one new footer
// lists every row group with its offsets moved to where its bytes now lie. Pages are never decoded.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LakehouseError } from '../errors.js';
import {
  CompactType,
  decodeThriftStruct,
  deleteField,
  encodeThriftStruct,
  getField,
  setField,
  type ThriftField,
  type ThriftStruct,
  type ThriftValue,
} from './thriftCompact.js';

/** What a parquet file's footer says about it. */
export interface ParquetFooterInfo {
  /** Rows in the file (FileMetaData.num_rows). */
  rows: number;
  rowGroups: number;
  rowGroupRows: number[];
  /** File size in bytes when the footer was read. */
  size: number;
  /** Equal for two files iff their schema (and column orders) are byte for byte the same. */
  schemaKey: string;
  /** Bytes of the thrift FileMetaData; it ends 8 bytes before the end of the file. */
  footerLength: number;
  /** The decoded FileMetaData. */
  metadata: ThriftStruct;
}

// parquet.thrift field ids.
const FILE = { schema: 2, numRows: 3, rowGroups: 4, columnOrders: 7, encryptionAlgorithm: 8 } as const;
const ROW_GROUP = { columns: 1, numRows: 3, fileOffset: 5, ordinal: 7 } as const;
const CHUNK = {
  filePath: 1,
  fileOffset: 2,
  metaData: 3,
  cryptoMetadata: 8,
  encryptedColumnMetadata: 9,
} as const;
/** offset_index_offset/length, column_index_offset/length: the page index. */
const PAGE_INDEX_FIELDS = [4, 5, 6, 7];
/** data_page_offset, index_page_offset, dictionary_page_offset, bloom_filter_offset. */
const COLUMN_OFFSET_FIELDS = [9, 10, 11, 14];

const MAGIC = 'PAR1';
const ENCRYPTED_MAGIC = 'PARE';
const COPY_CHUNK = 8 * 1024 * 1024;
/**
 * The output is flushed to disk every this many bytes. On a journaling file system (ext4's
 * ordered mode) one fsync at the end would flush the whole file inside a journal commit, and
 * every other process's fsync (the pipelines' Delta commits) would wait behind it.
 */
const SYNC_EVERY_BYTES = 8 * 1024 * 1024;

function parquetError(file: string, problem: string, cause?: unknown): LakehouseError {
  return new LakehouseError('PARQUET_INVALID', `parquet file ${file}: ${problem}`, { cause });
}

/**
 * Reads the footer of the parquet file at `file` (only the file's last bytes). Throws a
 * LakehouseError when the file is not parquet, has an encrypted footer, or the footer is corrupt.
 */
export async function readParquetFooter(file: string): Promise<ParquetFooterInfo> {
  const handle = await fs.open(file, 'r');
  try {
    return await readFooterOf(handle, file);
  } finally {
    await handle.close();
  }
}

async function readFooterOf(handle: fs.FileHandle, file: string): Promise<ParquetFooterInfo> {
  const { size } = await handle.stat();
  if (size < 12) throw parquetError(file, `${size} bytes is too short for parquet`);
  const head = await readAt(handle, 0, 4);
  const tail = await readAt(handle, size - 8, 8);
  const tailMagic = Buffer.from(tail.subarray(4)).toString('latin1');
  if (tailMagic === ENCRYPTED_MAGIC) throw parquetError(file, 'encrypted footers (PARE) are not supported');
  if (Buffer.from(head).toString('latin1') !== MAGIC || tailMagic !== MAGIC)
    throw parquetError(file, 'no PAR1 magic: not a parquet file');
  const footerLength = Buffer.from(tail).readUInt32LE(0);
  if (footerLength > size - 12)
    throw parquetError(file, `footer length ${footerLength} does not fit in ${size} bytes`);
  const footer = await readAt(handle, size - 8 - footerLength, footerLength);
  let decoded: { struct: ThriftStruct; end: number };
  try {
    decoded = decodeThriftStruct(footer);
  } catch (error) {
    throw parquetError(file, `corrupt footer: ${(error as Error).message}`, error);
  }
  if (decoded.end !== footerLength)
    throw parquetError(file, `corrupt footer: FileMetaData ends at byte ${decoded.end} of ${footerLength}`);
  const metadata = decoded.struct;
  const rowGroups = structList(metadata, FILE.rowGroups, file, 'row_groups');
  return {
    rows: Number(i64Field(metadata, FILE.numRows, file, 'num_rows')),
    rowGroups: rowGroups.length,
    rowGroupRows: rowGroups.map((g) => Number(i64Field(g, ROW_GROUP.numRows, file, 'RowGroup.num_rows'))),
    size,
    schemaKey: schemaKeyOf(metadata),
    footerLength,
    metadata,
  };
}

/** A digest of the encoded schema and column orders: equal digests, equal bytes. */
function schemaKeyOf(metadata: ThriftStruct): string {
  const fields = [getField(metadata, FILE.schema), getField(metadata, FILE.columnOrders)];
  const bytes = encodeThriftStruct({
    kind: 'struct',
    fields: fields.filter((f): f is ThriftField => f !== undefined),
  });
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Writes `output` as one parquet file holding the row groups of `inputs` in order, the data
 * copied byte for byte. The inputs must share one schema (same schemaKey); the footer is the
 * first input's with rows summed, row groups merged and page index references dropped (the
 * copied page indexes hold the old offsets; readers do without them). The output is fsynced
 * before this resolves and removed if writing fails. Throws a LakehouseError for an empty list,
 * an input that is not plain parquet, differing schemas, or `output` being one of the inputs.
 */
export async function concatParquetFiles(
  inputs: readonly string[],
  output: string,
  /** The inputs' footers when the caller has read them already (readParquetFooter). */
  known?: readonly ParquetFooterInfo[],
): Promise<{ rows: number; size: number; rowGroups: number }> {
  if (inputs.length === 0)
    throw new LakehouseError('PARQUET_CONCAT_EMPTY', 'concatParquetFiles needs at least one input');
  if (inputs.some((f) => path.resolve(f) === path.resolve(output)))
    throw new LakehouseError('PARQUET_CONCAT_OUTPUT', `output ${output} is also an input`);
  const footers: ParquetFooterInfo[] = [];
  for (const [i, file] of inputs.entries()) {
    const info = known?.[i] ?? (await readParquetFooter(file));
    checkPlain(info.metadata, file);
    if (footers.length > 0 && info.schemaKey !== footers[0]!.schemaKey)
      throw new LakehouseError(
        'PARQUET_SCHEMA_MISMATCH',
        `parquet file ${file} has a different schema than ${inputs[0]}; only files of one schema can be concatenated`,
      );
    footers.push(info);
  }

  const rowGroups: ThriftValue[] = [];
  let rows = 0;
  let position = MAGIC.length;
  for (const [i, info] of footers.entries()) {
    const shift = BigInt(position - MAGIC.length);
    for (const group of structList(info.metadata, FILE.rowGroups, inputs[i]!, 'row_groups'))
      rowGroups.push(movedRowGroup(group, shift, rowGroups.length, inputs[i]!));
    rows += info.rows;
    position += dataLength(info);
  }
  const metadata: ThriftStruct = { kind: 'struct', fields: footers[0]!.metadata.fields.slice() };
  setField(metadata, FILE.numRows, CompactType.I64, BigInt(rows));
  setField(metadata, FILE.rowGroups, CompactType.LIST, {
    kind: 'list',
    elementType: CompactType.STRUCT,
    elements: rowGroups,
  });
  const footer = encodeThriftStruct(metadata);

  const out = await fs.open(output, 'w');
  try {
    await writeAll(out, Buffer.from(MAGIC, 'latin1'));
    const buffer = Buffer.allocUnsafe(COPY_CHUNK);
    const progress = syncEvery(out, SYNC_EVERY_BYTES);
    for (const [i, info] of footers.entries()) await copyData(inputs[i]!, info, out, buffer, progress);
    const tail = Buffer.alloc(8);
    tail.writeUInt32LE(footer.length, 0);
    tail.write(MAGIC, 4, 'latin1');
    await writeAll(out, footer);
    await writeAll(out, tail);
    await out.sync();
    await out.close();
  } catch (error) {
    await out.close().catch(() => undefined);
    // The half-written output is useless; the write error is the one to report.
    await fs.rm(output, { force: true }).catch(() => undefined);
    throw error;
  }
  return { rows, size: position + footer.length + 8, rowGroups: rowGroups.length };
}

/** The length of the bytes between the leading magic and the footer. */
function dataLength(info: ParquetFooterInfo): number {
  return info.size - 8 - info.footerLength - MAGIC.length;
}

/** Refuses files whose columns are encrypted (plaintext footer mode) or live in other files. */
function checkPlain(metadata: ThriftStruct, file: string): void {
  if (getField(metadata, FILE.encryptionAlgorithm))
    throw parquetError(file, 'encrypted columns are not supported');
  for (const group of structList(metadata, FILE.rowGroups, file, 'row_groups'))
    for (const chunk of structList(group, ROW_GROUP.columns, file, 'RowGroup.columns')) {
      if (getField(chunk, CHUNK.cryptoMetadata) || getField(chunk, CHUNK.encryptedColumnMetadata))
        throw parquetError(file, 'encrypted columns are not supported');
      if (getField(chunk, CHUNK.filePath))
        throw parquetError(file, 'column chunks stored in other files are not supported');
    }
}

/** A copy of `group` with its absolute offsets moved by `shift` and the page index dropped. */
function movedRowGroup(group: ThriftStruct, shift: bigint, ordinal: number, file: string): ThriftStruct {
  const moved: ThriftStruct = { kind: 'struct', fields: group.fields.slice() };
  shiftField(moved, ROW_GROUP.fileOffset, shift);
  if (getField(moved, ROW_GROUP.ordinal)) setField(moved, ROW_GROUP.ordinal, CompactType.I16, ordinal);
  const columns = structList(group, ROW_GROUP.columns, file, 'RowGroup.columns').map((chunk) => {
    const c: ThriftStruct = { kind: 'struct', fields: chunk.fields.slice() };
    // DuckDB writes ColumnChunk.file_offset 0 for "not set"; moving it would invent a position.
    if (getField(c, CHUNK.fileOffset)?.value !== 0n) shiftField(c, CHUNK.fileOffset, shift);
    for (const id of PAGE_INDEX_FIELDS) deleteField(c, id);
    const meta = getField(c, CHUNK.metaData)?.value;
    if (isStruct(meta)) {
      const m: ThriftStruct = { kind: 'struct', fields: meta.fields.slice() };
      for (const id of COLUMN_OFFSET_FIELDS) shiftField(m, id, shift);
      setField(c, CHUNK.metaData, CompactType.STRUCT, m);
    }
    return c;
  });
  setField(moved, ROW_GROUP.columns, CompactType.LIST, {
    kind: 'list',
    elementType: CompactType.STRUCT,
    elements: columns,
  });
  return moved;
}

function shiftField(struct: ThriftStruct, id: number, shift: bigint): void {
  const field = getField(struct, id);
  if (field && typeof field.value === 'bigint') setField(struct, id, field.type, field.value + shift);
}

/** Copies the input's data block to the end of `out`, checking the file is still the one read. */
async function copyData(
  file: string,
  info: ParquetFooterInfo,
  out: fs.FileHandle,
  buffer: Buffer,
  progress: { wrote(bytes: number): Promise<void> },
): Promise<void> {
  const input = await fs.open(file, 'r');
  try {
    const { size } = await input.stat();
    if (size !== info.size)
      throw parquetError(file, `changed size from ${info.size} to ${size} while concatenating`);
    const end = MAGIC.length + dataLength(info);
    for (let at = MAGIC.length; at < end; ) {
      const { bytesRead } = await input.read(buffer, 0, Math.min(buffer.length, end - at), at);
      if (bytesRead === 0) throw parquetError(file, `ended at ${at} while copying`);
      await writeAll(out, buffer.subarray(0, bytesRead));
      at += bytesRead;
      await progress.wrote(bytesRead);
    }
  } finally {
    await input.close();
  }
}

/** Calls datasync on `out` each time another `every` bytes have been written to it. */
function syncEvery(out: fs.FileHandle, every: number): { wrote(bytes: number): Promise<void> } {
  let pending = 0;
  return {
    async wrote(bytes) {
      pending += bytes;
      if (pending < every) return;
      pending = 0;
      await out.datasync();
    },
  };
}

/** Writes all of `bytes` at the current position (a single write may take only part). */
async function writeAll(out: fs.FileHandle, bytes: Uint8Array): Promise<void> {
  for (let done = 0; done < bytes.length; ) {
    const { bytesWritten } = await out.write(bytes, done, bytes.length - done);
    done += bytesWritten;
  }
}

async function readAt(handle: fs.FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buffer = Buffer.alloc(length);
  for (let done = 0; done < length; ) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) throw new Error(`unexpected end of file at ${position + done}`);
    done += bytesRead;
  }
  return buffer;
}

function isStruct(value: ThriftValue | undefined): value is ThriftStruct {
  return typeof value === 'object' && !(value instanceof Uint8Array) && value.kind === 'struct';
}

function i64Field(struct: ThriftStruct, id: number, file: string, name: string): bigint {
  const value = getField(struct, id)?.value;
  if (typeof value !== 'bigint') throw parquetError(file, `${name} is missing or not an i64`);
  return value;
}

function structList(struct: ThriftStruct, id: number, file: string, name: string): ThriftStruct[] {
  const field: ThriftField | undefined = getField(struct, id);
  const value = field?.value;
  if (
    typeof value !== 'object' ||
    value instanceof Uint8Array ||
    value.kind !== 'list' ||
    !value.elements.every(isStruct)
  )
    throw parquetError(file, `${name} is missing or not a list of structs`);
  return value.elements as ThriftStruct[];
}
