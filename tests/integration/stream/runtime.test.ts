// The streaming runtime on its own: triggers, expectations, and bounded memory on a fast source.
import {
  definePipeline,
  field,
  type KafkaRecord,
  KafkaStreamSource,
  MemoryStreamSource,
  noopLogger,
  PipelineRunner,
  partitionKey,
  struct,
  type Trigger,
} from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';
import { produceRecords, testKafkaClient, uniqueTopic } from '../../support/kafkaTestEnv.js';
import { lakehouseWorkspace } from '../../support/lakehouseWorkspace.js';
import { query, scan } from '../../support/medallionChecks.js';

const ws = lakehouseWorkspace();

/** Copies `n` (a number in the record value) into table `table`, with optional expectations. */
function numbersPipeline(table: string, source: MemoryStreamSource, trigger: Trigger, expectations = false) {
  return definePipeline<KafkaRecord>({
    name: `numbers-${table}`,
    source: () => source,
    positionOf: (r) => ({ key: partitionKey(r.topic, r.partition), position: Number(r.offset) }),
    sinks: [{ table, schema: struct(field('n', 'long')) }],
    trigger,
    ...(expectations
      ? {
          expectations: [
            { name: 'positive', table, sql: 'n > 0', onViolation: 'drop' as const },
            { name: 'small', table, sql: 'n < 1000', onViolation: 'warn' as const },
          ],
        }
      : {}),
    async transform(batch) {
      const values = batch.records.map((r) => Number(r.value!.toString()));
      return {
        writes: [
          {
            table,
            source: {
              sql:
                values.length === 0
                  ? 'SELECT NULL::BIGINT AS n WHERE false'
                  : `SELECT unnest([${values.join(',')}])::BIGINT AS n`,
            },
          },
        ],
        rowsIn: values.length,
      };
    },
  });
}

const push = (source: MemoryStreamSource, values: number[]) =>
  source.push(values.map((v) => ({ key: `k${v}`, value: String(v) })));

describe('triggers', () => {
  it('availableNow drains what is there and stops', async () => {
    const source = new MemoryStreamSource('once', 2);
    push(source, [1, 2, 3, 4, 5, 6, 7]);
    const runner = new PipelineRunner(
      numbersPipeline('once_t', source, { kind: 'availableNow', maxBatchRecords: 3 }),
      { lakehouse: ws.lakehouse, logger: noopLogger },
    );
    await runner.start();
    await runner.done();
    expect(runner.status().state).toBe('stopped');
    expect(runner.status().totals).toMatchObject({ rowsIn: 7, batches: 3 });
    const rows = await query(
      ws.lakehouse,
      `SELECT n FROM (${await scan(await ws.lakehouse.table('once_t'))}) ORDER BY n`,
    );
    expect(rows.map((r) => r['n'])).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('interval runs batches no more often than asked', async () => {
    const source = new MemoryStreamSource('every', 1);
    const runner = new PipelineRunner(
      numbersPipeline('every_t', source, { kind: 'interval', everyMs: 400, maxBatchRecords: 2 }),
      { lakehouse: ws.lakehouse, logger: noopLogger },
    );
    const times: number[] = [];
    runner.onBatch(() => times.push(Date.now()));
    push(source, [1, 2, 3, 4, 5, 6]);
    await runner.start();
    while (runner.status().totals.rowsIn < 6) await new Promise((r) => setTimeout(r, 50));
    await runner.stop();
    expect(times).toHaveLength(3);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(380);
  });
});

describe('expectations', () => {
  it('drop leaves bad rows out and counts them; warn counts and keeps', async () => {
    const source = new MemoryStreamSource('expect', 1);
    push(source, [-1, 5, 2_000, 0, 7]);
    const runner = new PipelineRunner(numbersPipeline('expect_t', source, { kind: 'availableNow' }, true), {
      lakehouse: ws.lakehouse,
      logger: noopLogger,
    });
    await runner.start();
    await runner.done();
    const rows = await query(
      ws.lakehouse,
      `SELECT n FROM (${await scan(await ws.lakehouse.table('expect_t'))}) ORDER BY n`,
    );
    expect(rows.map((r) => r['n'])).toEqual([5, 7, 2_000]);
    expect(runner.status().totals.counters).toEqual({ expectation_positive: 2, expectation_small: 1 });
  });
});

describe('backpressure', () => {
  it('a Kafka source holds at most its buffer, however much is waiting', async () => {
    const client = testKafkaClient();
    const topic = uniqueTopic('backpressure');
    await client.admin.ensureTopic(topic, 3);
    await produceRecords(
      client,
      topic,
      Array.from({ length: 30_000 }, (_, i) => ({
        key: `u${i % 97}`,
        value: JSON.stringify({ i, pad: 'x'.repeat(200) }),
        ts: Date.now(),
      })),
    );
    const source = new KafkaStreamSource(client, {
      topic,
      groupId: `${topic}-g`,
      maxBufferedRecords: 2_000,
      maxBytesPerPartition: 64 * 1024,
    });
    await source.start(async (keys) => new Map(keys.map((k) => [k, undefined])));
    let peak = 0;
    let taken = 0;
    const started = Date.now();
    while (taken < 30_000 && Date.now() - started < 60_000) {
      // A slow consumer: the source must stop fetching rather than hold the whole backlog.
      await new Promise((r) => setTimeout(r, 20));
      peak = Math.max(peak, source.buffered);
      const batch = await source.next(500, 100);
      taken += batch?.records.length ?? 0;
    }
    await source.stop();
    await client.disconnect();
    expect(taken).toBe(30_000);
    // The buffer plus at most one fetch per partition (64 KiB ≈ 280 records each).
    expect(peak).toBeLessThanOrEqual(2_000 + 3 * 300);
    // ... and it did run ahead of the consumer up to that bound.
    expect(peak).toBeGreaterThan(1_500);
  }, 120_000);
});
