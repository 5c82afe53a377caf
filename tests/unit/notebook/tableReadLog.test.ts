// The read log a scheduled run collects: a session with RTLAKEHOUSE_TABLE_READS_FILE set notes
// each table version its reading helpers read, once; listing tables is not a read; the reader
// skips what is not a read line.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createNotebookSession,
  Lakehouse,
  type NotebookSession,
  newestVersions,
  readTableReads,
} from '@rt-lakehouse/kernel-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dir: string;
let readsFile: string;
let session: NotebookSession;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rtl-table-reads-'));
  readsFile = path.join(dir, 'reads.jsonl');
  const lakehouse = await Lakehouse.open({ dir: path.join(dir, 'lake') });
  try {
    const orders = await lakehouse.table('orders');
    await orders.write({ sql: 'SELECT 1::BIGINT AS id' });
    await orders.write({ sql: 'SELECT 2::BIGINT AS id' });
    await (await lakehouse.table('customers')).write({ sql: 'SELECT 7::BIGINT AS id' });
  } finally {
    lakehouse.close();
  }
  session = createNotebookSession({
    env: {
      LAKEHOUSE_DIR: path.join(dir, 'lake'),
      KAFKA_BROKERS: '',
      RTLAKEHOUSE_TABLE_READS_FILE: readsFile,
    },
    display: { kind: 'memory', send: () => undefined },
  });
}, 60_000);

afterAll(async () => {
  await session?.reset();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('the table read log', () => {
  it('notes each table version a helper read, once, in the order read', async () => {
    await session.tables();
    await expect(readTableReads(readsFile)).resolves.toEqual([]);
    await session.sql('SELECT count(*) AS n FROM orders');
    await session.sql('SELECT max(id) AS m FROM orders', { display: false });
    await session.table('orders').at({ version: 0 }).rows();
    await session.table('customers').schema();
    const reads = await readTableReads(readsFile);
    expect(reads).toEqual([
      { table: 'orders', version: 1 },
      { table: 'orders', version: 0 },
      { table: 'customers', version: 0 },
    ]);
    expect((await fs.readFile(readsFile, 'utf8')).trim().split('\n')).toHaveLength(3);
    expect(newestVersions(reads)).toEqual({ orders: 1, customers: 0 });
  });

  it('reads a missing file as no reads and skips lines that are not reads', async () => {
    await expect(readTableReads(path.join(dir, 'none.jsonl'))).resolves.toEqual([]);
    const file = path.join(dir, 'mixed.jsonl');
    await fs.writeFile(
      file,
      '{"table":"a","version":2}\nnot json\n{"table":"b"}\n{"table":"a","version":2}\n{"table":"c","version":-1}\n{"table":"b","version":0}\n{"table":"a","ver',
    );
    await expect(readTableReads(file)).resolves.toEqual([
      { table: 'a', version: 2 },
      { table: 'b', version: 0 },
    ]);
  });
});
