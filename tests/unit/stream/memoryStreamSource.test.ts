// The in-process source keeps only what the sinks do not hold yet, and still rewinds exactly.
import { MemoryStreamSource } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';

const messages = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({ key: null, value: `v${from + i}`, timestamp: 0 }));

/** A sink's committed positions, as the runner's resume callback reports them. */
function fakeSink() {
  const held = new Map<string, number>();
  return {
    held,
    resume: async (keys: readonly string[]) => new Map(keys.map((k) => [k, held.get(k)] as const)),
  };
}

describe('MemoryStreamSource retention', () => {
  it('drops records every sink holds, so memory stays flat over a long stream', async () => {
    const source = new MemoryStreamSource('retention', 2);
    const sink = fakeSink();
    await source.start(sink.resume);
    let delivered = 0;
    let maxRetained = 0;
    for (let round = 0; round < 50; round++) {
      source.push(messages(round * 10_000, 10_000));
      for (;;) {
        const batch = await source.next(5_000, 0);
        if (!batch) break;
        delivered += batch.records.length;
        for (const [key, range] of batch.ranges) sink.held.set(key, range.last);
        maxRetained = Math.max(maxRetained, source.retained);
      }
    }
    expect(delivered).toBe(500_000);
    // Retained: what was delivered since the last trim (20,000) plus one push, never the stream.
    expect(maxRetained).toBeLessThanOrEqual(40_000);
    // Offsets keep counting across dropped records.
    source.push(messages(500_000, 2));
    const last = await source.next(10, 0);
    expect(last!.records.map((r) => [r.partition, r.offset, r.value?.toString()])).toEqual([
      [0, 250_000n, 'v500000'],
      [1, 250_000n, 'v500001'],
    ]);
  });

  it('keeps what was delivered but not written, and a rewind delivers it again', async () => {
    const source = new MemoryStreamSource('rewind', 1);
    const sink = fakeSink();
    await source.start(sink.resume);
    source.push(messages(0, 30_000));
    const first = await source.next(25_000, 0);
    sink.held.set('rewind:0', first!.ranges.get('rewind:0')!.last - 5_000); // 20,000 written of 25,000
    const second = await source.next(5_000, 0); // trims records 0..19,999
    expect(second!.ranges.get('rewind:0')).toEqual({ first: 25_000, last: 29_999 });
    expect(source.retained).toBe(10_000);
    await source.rewind();
    const again = await source.next(100_000, 0);
    expect(again!.ranges.get('rewind:0')).toEqual({ first: 20_000, last: 29_999 });
    expect(again!.records[0]!.value?.toString()).toBe('v20000');
  });

  it('refuses to restart before records it dropped, with a clear error', async () => {
    const source = new MemoryStreamSource('gone', 1);
    const sink = fakeSink();
    await source.start(sink.resume);
    source.push(messages(0, 25_000));
    const batch = await source.next(25_000, 0);
    sink.held.set('gone:0', batch!.ranges.get('gone:0')!.last);
    await source.next(1, 0); // trims all 25,000
    sink.held.delete('gone:0'); // the table was emptied behind the source's back
    await expect(source.rewind()).rejects.toThrow(
      'memory source gone: partition 0 must restart at offset 0, but records before 25000 were dropped once the sinks held them',
    );
  });
});
