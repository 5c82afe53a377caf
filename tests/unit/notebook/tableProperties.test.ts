// table(name).properties() and setProperties() from a notebook: the table's properties shown as
// a table, a change committed once, and a bad property explained, not thrown raw.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import {
  createNotebookSession,
  Lakehouse,
  type MimeBundle,
  NotebookError,
  type NotebookSession,
} from '@rt-lakehouse/kernel-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dir: string;
let session: NotebookSession;
const shown: MimeBundle[] = [];
const lastText = () => String(shown.at(-1)?.['text/plain'] ?? '');

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rtl-nb-props-'));
  const lakehouse = await Lakehouse.open({ dir: path.join(dir, 'lake') });
  try {
    await (await lakehouse.table('orders')).write({ sql: 'SELECT 1::BIGINT AS id' });
  } finally {
    lakehouse.close();
  }
  session = createNotebookSession({
    env: { LAKEHOUSE_DIR: path.join(dir, 'lake'), KAFKA_BROKERS: '' },
    display: { kind: 'memory', send: (b) => void shown.push(b) },
  });
}, 60_000);

afterAll(async () => {
  await session?.reset();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('table properties from a notebook', () => {
  it('shows them, sets them in one commit, and says when nothing changed', async () => {
    await expect(session.table('orders').properties()).resolves.toEqual({});
    expect(lastText()).toContain('Properties of orders (version 0)');

    const set = await session
      .table('orders')
      .setProperties({ 'delta.logRetentionDuration': 'interval 3 days' });
    expect(set).toMatchObject({
      version: 1,
      changed: true,
      properties: { 'delta.logRetentionDuration': 'interval 3 days' },
    });
    expect(lastText()).toContain('delta.logRetentionDuration');
    expect(lastText()).toContain('interval 3 days');
    expect(lastText()).toContain('committed as version 1');

    await session.table('orders').setProperties({ 'delta.logRetentionDuration': 'interval 3 days' });
    expect(lastText()).toContain('unchanged: the table already had these');
    await expect(session.table('orders').properties()).resolves.toEqual({
      'delta.logRetentionDuration': 'interval 3 days',
    });
    expect((await session.table('orders').history(5)).map((h) => h.operation)).toEqual([
      'SET TBLPROPERTIES',
      'CREATE TABLE AS SELECT',
    ]);
  });

  it('explains a bad property in the notebook error', async () => {
    const error = await session
      .table('orders')
      .setProperties({ 'delta.logRetentionDuration': 'a month' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotebookError);
    expect(inspect(error)).toContain('DELTA_INVALID_TABLE_PROPERTY');
    expect(inspect(error)).toContain("table('orders').setProperties()");
    expect(inspect(error)).toContain("expected an interval such as 'interval 7 days'");
  });
});
