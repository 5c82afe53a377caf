// Damaged or unsupported tables: every problem surfaces as an error naming the table, the
// version and what is wrong; nothing is skipped silently.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DeltaError, DeltaTable, UnsupportedFeatureError } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';
import { deltaWorkspace } from '../../support/deltaWorkspace.js';

const ws = deltaWorkspace();
let n = 0;

/** A table with versions 0..2 (three appends), opened under a short name. */
async function threeVersions(): Promise<{ table: DeltaTable; log: (v: number) => string }> {
  const root = path.join(ws.dir, `bad${++n}`);
  const writer = await DeltaTable.forPath(root, { duck: ws.duck });
  for (let v = 0; v < 3; v++) await writer.write({ sql: `SELECT ${v}::BIGINT AS id` });
  const table = await DeltaTable.forPath(root, { duck: ws.duck, name: 'events' });
  return { table, log: (v) => path.join(root, '_delta_log', `${String(v).padStart(20, '0')}.json`) };
}

async function expectDeltaError(p: Promise<unknown>, code: string, message: RegExp | string) {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeltaError);
  expect((error as DeltaError).code).toBe(code);
  expect((error as Error).message).toMatch(message);
}

describe('damaged tables', () => {
  it('a truncated commit file names the table, version and line', async () => {
    const { table, log } = await threeVersions();
    const text = await fs.readFile(log(2), 'utf8');
    await fs.writeFile(log(2), text.slice(0, text.length - 30));
    await expectDeltaError(
      table.latest(),
      'DELTA_CORRUPT_COMMIT',
      /^Delta table events at version 2: commit file line \d+ is not valid JSON \(corrupt or truncated file\)/,
    );
    // Earlier versions stay readable.
    expect((await table.readRows({ snapshot: await table.snapshot({ version: 1 }) })).length).toBe(2);
  });

  it('a corrupt (binary garbage) commit file is an error, not an empty commit', async () => {
    const { table, log } = await threeVersions();
    await fs.writeFile(log(1), Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0a]));
    await expectDeltaError(
      table.latest(),
      'DELTA_CORRUPT_COMMIT',
      /^Delta table events at version 1: commit file line 1 is not valid JSON/,
    );
  });

  it('an empty commit file is an error', async () => {
    const { table, log } = await threeVersions();
    await fs.writeFile(log(2), '');
    await expectDeltaError(
      table.latest(),
      'DELTA_CORRUPT_COMMIT',
      'Delta table events at version 2: commit file is empty',
    );
  });

  it('a missing commit in the middle of the log is an error', async () => {
    const { table, log } = await threeVersions();
    await fs.rm(log(1));
    await expectDeltaError(
      table.latest(),
      'DELTA_VERSIONS_NOT_CONTIGUOUS',
      'Delta table events at version 2: commit 1 is missing from _delta_log/',
    );
  });

  it('an unknown action is refused, naming it', async () => {
    const { table, log } = await threeVersions();
    await fs.appendFile(log(2), '{"teleport":{"to":"mars"}}\n');
    await expectDeltaError(
      table.latest(),
      'DELTA_UNKNOWN_ACTION',
      "Delta table events at version 2: line 3: unknown action 'teleport'",
    );
  });

  it('a malformed action is refused, naming the field', async () => {
    const { table, log } = await threeVersions();
    await fs.appendFile(
      log(2),
      '{"add":{"path":"x.parquet","size":"big","modificationTime":1,"dataChange":true}}\n',
    );
    await expectDeltaError(
      table.latest(),
      'DELTA_INVALID_ACTION',
      /^Delta table events at version 2: line 3: invalid 'add' action, field size/,
    );
  });

  it('an unsupported reader feature is refused, naming the feature', async () => {
    const { table, log } = await threeVersions();
    await fs.appendFile(
      log(2),
      '{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["variantType"],"writerFeatures":["variantType"]}}\n',
    );
    const error = await table.latest().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedFeatureError);
    expect(error).toMatchObject({ feature: 'variantType', table: 'events', version: 2 });
    expect((error as Error).message).toMatch(
      "Delta table events at version 2: unsupported Delta feature 'variantType'",
    );
  });

  it('an unsupported writer feature stops writes but not reads', async () => {
    const { table, log } = await threeVersions();
    await fs.appendFile(
      log(2),
      '{"protocol":{"minReaderVersion":1,"minWriterVersion":7,"readerFeatures":[],"writerFeatures":["rowTracking"]}}\n',
    );
    expect((await table.readRows()).length).toBe(3);
    await expect(table.write({ sql: 'SELECT 9::BIGINT AS id' })).rejects.toThrow(
      "Delta table events at version 2: unsupported Delta feature 'rowTracking' (writer feature is not supported for writes)",
    );
  });

  it('a missing data file is reported when reading, with the table and file', async () => {
    const { table } = await threeVersions();
    const snapshot = await table.latest();
    const victim = snapshot.files()[1]!.url;
    await fs.rm(victim);
    await expectDeltaError(
      table.readRows(),
      'DELTA_DATA_FILE_MISSING',
      `Delta table events: data file ${victim} is missing`,
    );
  });

  it('a truncated data file is reported, not read as fewer rows', async () => {
    const { table } = await threeVersions();
    const victim = (await table.latest()).files()[0]!.url;
    const bytes = await fs.readFile(victim);
    await fs.writeFile(victim, bytes.subarray(0, bytes.length / 2));
    await expectDeltaError(
      table.readRows(),
      'DELTA_DATA_FILE_UNREADABLE',
      `Delta table events: data file ${victim} is unreadable: `,
    );
  });

  it('a folder without a Delta log is not a table', async () => {
    const table = await DeltaTable.forPath(path.join(ws.dir, 'nothing-here'), {
      duck: ws.duck,
      name: 'ghost',
    });
    await expectDeltaError(
      table.latest(),
      'DELTA_TABLE_NOT_FOUND',
      'Delta table ghost: no Delta log: _delta_log/ has no commit or checkpoint',
    );
  });

  it('a corrupt checkpoint falls back to the commits when they exist', async () => {
    const root = path.join(ws.dir, `ckpt${++n}`);
    const table = await DeltaTable.forPath(root, { duck: ws.duck });
    for (let v = 0; v < 11; v++) await table.write({ sql: `SELECT ${v}::BIGINT AS id` });
    await table.whenIdle();
    await fs.writeFile(path.join(root, '_delta_log', '00000000000000000010.checkpoint.parquet'), 'garbage');
    const fresh = await DeltaTable.forPath(root, { duck: ws.duck, name: 'events' });
    expect((await fresh.readRows()).length).toBe(11);
    // Without the commits the checkpoint replaced, the damage is reported.
    await fs.rm(path.join(root, '_delta_log', '00000000000000000000.json'));
    const again = await DeltaTable.forPath(root, { duck: ws.duck, name: 'events' });
    await expectDeltaError(
      again.latest(),
      'DELTA_CORRUPT_CHECKPOINT',
      /^Delta table events at version 10: checkpoint 00000000000000000010\.checkpoint\.parquet is unreadable/,
    );
  });
});
