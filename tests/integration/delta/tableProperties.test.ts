// Table properties changed on a live table (Delta's ALTER TABLE … SET / UNSET TBLPROPERTIES):
// one commit with the new metaData that delta-rs reads too, nothing when nothing changes, a clear
// refusal and no commit for a bad property, and pipelines that keep their sinks' properties.
// Needs .venv with requirements-test.txt (scripts/setup-python.sh) for the delta-rs reads.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  DeltaError,
  DeltaTable,
  definePipeline,
  field,
  type KafkaRecord,
  MemoryStreamSource,
  noopLogger,
  PipelineRunner,
  partitionKey,
  struct,
  UnsupportedFeatureError,
} from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';
import { deltaWorkspace } from '../../support/deltaWorkspace.js';
import { lakehouseWorkspace } from '../../support/lakehouseWorkspace.js';
import { runDeltaRs } from './deltaRsProcess.js';

const ws = deltaWorkspace();
const lake = lakehouseWorkspace();
const schema = struct(field('id', 'long'));

interface DeltaRsMeta {
  version: number;
  rows: unknown[];
  protocol: { minWriterVersion: number; writerFeatures: string[] | null };
  metadata: { configuration: Record<string, string> };
}
const deltaRs = (dir: string, version?: number) =>
  runDeltaRs<DeltaRsMeta>({ command: 'inspect', path: dir, ...(version === undefined ? {} : { version }) });

async function refusedWith(work: Promise<unknown>): Promise<DeltaError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeltaError);
  return error as DeltaError;
}

describe('table properties', () => {
  it('are set and unset in one commit each, which delta-rs reads; the same again commits nothing', async () => {
    const dir = path.join(ws.dir, 'props');
    const t = await DeltaTable.forPath(dir, { duck: ws.duck, name: 'props' });
    await t.create({
      schema,
      properties: { owner: 'team-a', 'delta.logRetentionDuration': 'interval 30 days' },
    });
    await t.write({ rows: [{ id: 1 }] }); // v1

    const set = await t.setProperties({
      'delta.logRetentionDuration': 'interval 1 day',
      'Delta.DeletedFileRetentionDuration': 'interval 2 days',
    });
    expect(set).toEqual({
      version: 2,
      changed: true,
      properties: {
        owner: 'team-a',
        'delta.logRetentionDuration': 'interval 1 day',
        'delta.deletedFileRetentionDuration': 'interval 2 days',
      },
    });
    const [entry] = await t.history(1);
    expect(entry).toMatchObject({ version: 2, operation: 'SET TBLPROPERTIES' });
    expect(JSON.parse(String(entry!.operationParameters?.['properties']))).toEqual({
      'delta.logRetentionDuration': 'interval 1 day',
      'delta.deletedFileRetentionDuration': 'interval 2 days',
    });

    // Already so: no commit.
    expect(await t.setProperties({ 'delta.logRetentionDuration': 'interval 1 day' })).toMatchObject({
      version: 2,
      changed: false,
    });

    const unset = await t.setProperties({}, { unset: ['owner', 'not-there'] });
    expect(unset).toMatchObject({ version: 3, changed: true });
    expect(unset.properties).toEqual({
      'delta.logRetentionDuration': 'interval 1 day',
      'delta.deletedFileRetentionDuration': 'interval 2 days',
    });
    expect((await t.history(1))[0]).toMatchObject({ version: 3, operation: 'UNSET TBLPROPERTIES' });

    // Our reader, a fresh one, time travel and delta-rs all agree; the rows are untouched.
    const fresh = await DeltaTable.forPath(dir, { duck: ws.duck });
    expect((await fresh.latest()).properties).toEqual(unset.properties);
    expect((await fresh.snapshot({ version: 1 })).properties).toEqual({
      owner: 'team-a',
      'delta.logRetentionDuration': 'interval 30 days',
    });
    const theirs = await deltaRs(dir);
    expect(theirs.version).toBe(3);
    expect(theirs.metadata.configuration).toEqual(unset.properties);
    expect(theirs.rows).toHaveLength(1);
    expect((await deltaRs(dir, 2)).metadata.configuration).toEqual(set.properties);
  });

  it('are refused with a reason and no commit when bad; a new table with one is not created', async () => {
    const dir = path.join(ws.dir, 'bad');
    const t = await DeltaTable.forPath(dir, { duck: ws.duck, name: 'bad' });
    await t.create({ schema });
    const unknown = await refusedWith(t.setProperties({ 'delta.logRetention': 'interval 1 day' }));
    expect(unknown.code).toBe('DELTA_UNKNOWN_TABLE_PROPERTY');
    const value = await refusedWith(t.setProperties({ 'delta.checkpointInterval': 'often' }));
    expect(value.message).toBe(
      "Delta table bad at version 0: table property delta.checkpointInterval = 'often': expected a whole number of at least 1",
    );
    expect(await refusedWith(t.setProperties({ 'delta.enableDeletionVectors': 'true' }))).toBeInstanceOf(
      UnsupportedFeatureError,
    );
    expect((await refusedWith(t.setProperties({ 'rtlakehouse.sortBy': 'nope' }))).code).toBe(
      'DELTA_INVALID_LAYOUT',
    );
    const both = await refusedWith(t.setProperties({ owner: 'x' }, { unset: ['owner'] }));
    expect(both.message).toContain('both set and unset');
    expect((await t.latest()).version).toBe(0);

    const never = await DeltaTable.forPath(path.join(ws.dir, 'never'), { duck: ws.duck });
    const refused = await refusedWith(never.create({ schema, properties: { 'delta.appendonly': 'maybe' } }));
    expect(refused.code).toBe('DELTA_INVALID_TABLE_PROPERTY');
    expect(await never.exists()).toBe(false);
  });

  it('make a table append-only, listing the writer feature where the protocol names features', async () => {
    const dir = path.join(ws.dir, 'ntz');
    const t = await DeltaTable.forPath(dir, { duck: ws.duck, name: 'ntz' });
    await t.create({ schema: struct(field('id', 'long'), field('at', 'timestamp_ntz')) });
    await t.write({ rows: [{ id: 1, at: new Date(0) }] });
    expect((await t.latest()).protocol.writerFeatures).toEqual(['timestampNtz']);

    await t.setProperties({ 'delta.appendOnly': 'true' });
    expect((await t.latest()).protocol.writerFeatures).toEqual(['timestampNtz', 'appendOnly']);
    const overwrite = await refusedWith(
      t.write({ rows: [{ id: 2, at: new Date(0) }] }, { mode: 'overwrite' }),
    );
    expect(overwrite.code).toBe('DELTA_APPEND_ONLY');
    await t.write({ rows: [{ id: 2, at: new Date(0) }] }); // appends still go
    const theirs = await deltaRs(dir);
    expect(theirs.protocol).toMatchObject({
      minWriterVersion: 7,
      writerFeatures: ['timestampNtz', 'appendOnly'],
    });
    expect(theirs.metadata.configuration).toEqual({ 'delta.appendOnly': 'true' });
    expect(theirs.rows).toHaveLength(2);

    // Created append-only: the same protocol from the start.
    const born = await DeltaTable.forPath(path.join(ws.dir, 'born'), { duck: ws.duck, name: 'born' });
    await born.create({
      schema: struct(field('id', 'long'), field('at', 'timestamp_ntz')),
      properties: { 'delta.appendOnly': 'true' },
    });
    expect((await born.latest()).protocol.writerFeatures).toEqual(['timestampNtz', 'appendOnly']);
    expect((await deltaRs(path.join(ws.dir, 'born'))).protocol.writerFeatures).toEqual([
      'timestampNtz',
      'appendOnly',
    ]);

    // A writer version 1 table (another engine's) goes to version 2, which has appendOnly.
    const v1 = path.join(ws.dir, 'v1');
    await fs.mkdir(path.join(v1, '_delta_log'), { recursive: true });
    const actions = [
      { protocol: { minReaderVersion: 1, minWriterVersion: 1 } },
      {
        metaData: {
          id: 'a6f5e4d3-0000-4000-8000-000000000001',
          format: { provider: 'parquet', options: {} },
          schemaString: JSON.stringify(schema),
          partitionColumns: [],
          configuration: { 'delta.APPENDONLY': 'false', Owner: 'them' },
          createdTime: 0,
        },
      },
    ];
    await fs.writeFile(
      path.join(v1, '_delta_log', `${'0'.repeat(20)}.json`),
      `${actions.map((a) => JSON.stringify(a)).join('\n')}\n`,
    );
    const old = await DeltaTable.forPath(v1, { duck: ws.duck, name: 'v1' });
    await old.setProperties({ 'delta.appendOnly': 'true' });
    expect((await old.latest()).protocol).toEqual({ minReaderVersion: 1, minWriterVersion: 2 });
    // Its key in another case is the same property (replaced); a key outside delta.* keeps its case.
    expect((await old.latest()).properties).toEqual({ 'delta.appendOnly': 'true', Owner: 'them' });
    expect((await deltaRs(v1)).protocol.minWriterVersion).toBe(2);
  });

  it("are kept by a pipeline's sink: set at start on a table made before they were declared", async () => {
    const old = await lake.lakehouse.table('kept_props');
    await old.create({
      schema,
      properties: { owner: 'me', 'delta.logRetentionDuration': 'interval 30 days' },
    });
    await old.write({ rows: [{ id: 0 }] });
    const source = new MemoryStreamSource('props', 1);
    source.push([{ key: 'a', value: '1' }]);
    const runner = new PipelineRunner(
      definePipeline<KafkaRecord>({
        name: 'props',
        source: () => source,
        positionOf: (r) => ({ key: partitionKey(r.topic, r.partition), position: Number(r.offset) }),
        sinks: [
          { table: 'kept_props', schema, properties: { 'delta.logRetentionDuration': 'interval 1 day' } },
        ],
        trigger: { kind: 'availableNow' },
        async transform(batch) {
          const rows = batch.records.map((r) => ({ id: Number(r.value!.toString()) }));
          return { writes: [{ table: 'kept_props', source: { rows } }], rowsIn: rows.length };
        },
      }),
      { lakehouse: lake.lakehouse, logger: noopLogger },
    );
    await runner.start();
    await runner.done();
    expect(runner.status().state).toBe('stopped');
    const after = await (await lake.lakehouse.table('kept_props')).latest();
    // The property it declares changed; the one it does not name stayed; the batch went on top.
    expect(after.properties).toEqual({ owner: 'me', 'delta.logRetentionDuration': 'interval 1 day' });
    expect((await after.numRecords()) ?? 0).toBe(2);
    const history = await (await lake.lakehouse.table('kept_props')).history();
    expect(history.map((h) => h.operation)).toEqual([
      'STREAMING UPDATE',
      'SET TBLPROPERTIES',
      'WRITE',
      'CREATE TABLE',
    ]);
  });
});
