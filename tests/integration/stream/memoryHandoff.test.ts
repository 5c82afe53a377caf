// Silver and Gold take the rows Bronze and Silver appended in the same process from memory
// (DeltaTable.recentAppend) instead of decoding the files just written. Whatever they read
// from, the tables must be the same: the same Bronze versions run once through pipelines that
// read memory and once through pipelines that only see the files.
import { cp } from 'node:fs/promises';
import path from 'node:path';
import {
  type DeltaChange,
  Lakehouse,
  MemoryStreamSource,
  noopLogger,
  PipelineRunner,
} from '@rt-lakehouse/kernel-helpers';
import { goldPipeline, silverPipeline, TABLES } from '@rt-lakehouse/pipelines';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { faultyGenerator, inProcessMedallion } from '../../support/faultyStream.js';
import { query, scan, waitFor } from '../../support/medallionChecks.js';
import { makeTempDir, removeDir } from '../../support/tempDir.js';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(async () => {
  await removeDir(dir);
});

/** Silver (without ingestion times), Quarantine (without its times) and Gold, sorted. */
async function contents(lakehouse: Lakehouse) {
  const sorted = async (table: string, select: string, order: string) =>
    query(lakehouse, `SELECT ${select} FROM (${await scan(await lakehouse.table(table))}) ORDER BY ${order}`);
  return {
    silver: await sorted(TABLES.silver, '* EXCLUDE (ingested_at)', 'event_id'),
    quarantine: await sorted(
      TABLES.quarantine,
      'raw, reason, source_partition, source_offset',
      'source_partition, source_offset',
    ),
    gold: await sorted(TABLES.gold, '*', 'window_start'),
  };
}

async function runUntilDrained(runner: PipelineRunner<DeltaChange>): Promise<void> {
  await runner.start();
  await waitFor(
    async () => ['stopped', 'failed'].includes(runner.status().state),
    60_000,
    async () => JSON.stringify(runner.status()),
  );
  expect(runner.status().error).toBeUndefined();
}

describe('in-process hand-off between pipelines', () => {
  it('Silver and Gold read from memory write the same tables as read from the files', async () => {
    const generator = faultyGenerator(21, 20 * 60_000, 40);
    const records = generator.take(9_000);

    // One process: Bronze, Silver and Gold side by side, each reading what the other wrote.
    const live = await Lakehouse.open({ dir: path.join(dir, 'live') });
    const source = new MemoryStreamSource('handoff', 3);
    const runners = inProcessMedallion(live, source, {
      bronzeBatch: 700,
      silverBatch: 1_500,
      maxWaitMs: 20,
      sourcePartitions: 3,
    });
    // The table objects the pipelines share (the lakehouse opens each once): which versions
    // did their readers find in memory?
    const bronze = await live.table(TABLES.bronze);
    const silver = await live.table(TABLES.silver);
    const gold = await live.table(TABLES.gold);
    const lookups = [bronze, silver].map((table) => vi.spyOn(table, 'recentAppend'));
    for (const r of runners) await r.start();
    // Values that are not UTF-8 too: Bronze keeps the bytes, Silver reads their text.
    const notUtf8 = (i: number) => ({ key: `bad-${i}`, value: Buffer.from([0x7b, 0xff, 0x30 + i, 0xc3]) });
    for (let i = 0; i < records.length; i += 1_000) {
      source.push([
        ...records.slice(i, i + 1_000).map((r) => ({ key: r.key, value: r.value, timestamp: r.ts })),
        notUtf8(i / 1_000),
      ]);
      await new Promise((r) => setTimeout(r, 20));
    }
    await waitFor(
      async () => {
        const b = await bronze.latest();
        const s = await silver.latest();
        return (
          b.numRecords() === records.length + 9 &&
          s.txn(`silver:${TABLES.bronze}`)?.version === b.version &&
          (await gold.latest()).txn(`gold:${TABLES.silver}`)?.version === s.version
        );
      },
      60_000,
      async () => JSON.stringify(runners.map((r) => r.status())),
    );
    for (const r of runners) await r.stop();
    // The hand-off happened: every append Silver and Gold read came from memory (one reader
    // each, never rewound), and what they took was let go at once rather than kept for a budget.
    for (const [i, table] of [bronze, silver].entries()) {
      const found = lookups[i]!.mock.results.filter((r) => r.value !== undefined).length;
      const appends = (await table.history()).filter(
        (h) => Number(h.operationMetrics?.['numOutputRows'] ?? 0) > 0,
      );
      expect(found, table.name).toBe(appends.length);
      const last = appends[0]!;
      const paths = (await table.log.readCommits([last.version]))[0]!.actions.flatMap((a) =>
        a.kind === 'add' ? [a.add.path] : [],
      );
      expect(table.recentAppend(last.version, paths), `${table.name} v${last.version}`).toBeUndefined();
    }

    // The same Bronze versions, read by pipelines that never wrote them: from the files only.
    await cp(path.join(live.dir, 'delta', TABLES.bronze), path.join(dir, 'files', 'delta', TABLES.bronze), {
      recursive: true,
    });
    const filesSilver = await Lakehouse.open({ dir: path.join(dir, 'files') });
    await runUntilDrained(
      new PipelineRunner(silverPipeline({ trigger: { kind: 'availableNow', maxBatchRecords: 1_500 } }), {
        lakehouse: filesSilver,
        logger: noopLogger,
      }),
    );
    filesSilver.close();
    // A fresh Lakehouse again, so that Gold reads Silver's files rather than its memory.
    const filesGold = await Lakehouse.open({ dir: path.join(dir, 'files') });
    await runUntilDrained(
      new PipelineRunner(goldPipeline({ trigger: { kind: 'availableNow' }, sourcePartitions: 3 }), {
        lakehouse: filesGold,
        logger: noopLogger,
      }),
    );

    const fromMemory = await contents(live);
    const fromFiles = await contents(filesGold);
    expect(fromMemory.silver.length).toBeGreaterThan(8_000);
    expect(fromMemory.quarantine.length).toBeGreaterThan(500);
    const undecodable = fromMemory.quarantine.filter((q) => String(q['raw']).startsWith('{\uFFFD'));
    expect(undecodable.map((q) => String(q['raw'])).sort()).toEqual(
      Array.from({ length: 9 }, (_, i) => `{\uFFFD${i}\uFFFD`).sort(),
    );
    expect(fromFiles.silver).toEqual(fromMemory.silver);
    expect(fromFiles.quarantine).toEqual(fromMemory.quarantine);
    expect(fromFiles.gold).toEqual(fromMemory.gold);
    live.close();
    filesGold.close();
  }, 180_000);
});
