import { randomUUID } from 'node:crypto';
import { DedupState, EventIdSet } from '@rt-lakehouse/pipelines';
import { describe, expect, it } from 'vitest';
import { uuidWords } from '../../../pipelines/src/EventIdSet.js';

describe('uuidWords', () => {
  it('reads a canonical lower-case UUID as four 32-bit words', () => {
    const out = new Uint32Array(4);
    expect(uuidWords('0123abcd-ef01-4567-89ab-cdef01234567', out)).toBe(true);
    expect([...out].map((w) => w.toString(16).padStart(8, '0'))).toEqual([
      '0123abcd',
      'ef014567',
      '89abcdef',
      '01234567',
    ]);
  });

  it('refuses anything else', () => {
    const out = new Uint32Array(4);
    for (const id of [
      '0123ABCD-ef01-4567-89ab-cdef01234567',
      '0123abcd-ef01-4567-89ab-cdef0123456',
      '0123abcd_ef01-4567-89ab-cdef01234567',
      '0123abcdef01-4567-89ab-cdef012345678',
      'g123abcd-ef01-4567-89ab-cdef01234567',
      'evt-1',
    ])
      expect(uuidWords(id, out), id).toBe(false);
  });
});

describe('EventIdSet', () => {
  it('answers exactly as a Set of strings, for random, time-ordered and non-UUID ids', () => {
    const ids = new EventIdSet(16);
    const reference = new Set<string>();
    const timeOrdered = (i: number) =>
      `0190${i.toString(16).padStart(4, '0')}-0000-7000-8000-${(i % 7).toString(16).padStart(12, '0')}`;
    const all = [
      ...Array.from({ length: 60_000 }, () => randomUUID()),
      ...Array.from({ length: 60_000 }, (_, i) => timeOrdered(i)),
      ...Array.from({ length: 1_000 }, (_, i) => `legacy-${i}`),
    ];
    for (const [i, id] of all.entries()) {
      if (i % 3 === 0) continue; // a third never added
      expect(ids.add(id)).toBe(!reference.has(id));
      reference.add(id);
    }
    // Adding again says "already there".
    for (const id of all.slice(1, 2_000)) if (reference.has(id)) expect(ids.add(id)).toBe(false);
    for (const id of all) expect(ids.has(id)).toBe(reference.has(id));
    expect(ids.size).toBe(reference.size);
    expect(ids.has(randomUUID())).toBe(false);
  });
});

describe('DedupState', () => {
  const minute = 60_000;

  it('sizes a new minute for the newest one’s ids, so that it does not grow; an older minute starts small', () => {
    const dedup = new DedupState(10 * minute); // buckets of one minute
    const base = 100 * minute;
    for (let i = 0; i < 10_000; i++) dedup.add(randomUUID(), base + i, 0);
    const one = dedup.capacity;
    expect(one).toBeGreaterThanOrEqual(20_000);
    dedup.add(randomUUID(), base + minute, 0); // the next minute
    const two = dedup.capacity;
    expect(two - one).toBeGreaterThanOrEqual(25_000);
    for (let i = 1; i < 12_000; i++) dedup.add(randomUUID(), base + minute + i, 0);
    expect(dedup.capacity).toBe(two); // 12,000 ids without growing
    dedup.add(randomUUID(), base - minute, 0); // a late event, a minute before the first
    expect(dedup.capacity - two).toBeLessThanOrEqual(64);
    expect(dedup.size).toBe(22_001);
  });

  it('remembers ids within the window and forgets them once the watermark passes', () => {
    const dedup = new DedupState(10 * minute);
    const id = randomUUID();
    dedup.add(id, 0, 0);
    expect(dedup.has(id)).toBe(true);
    dedup.add(randomUUID(), 9 * minute, 0);
    expect(dedup.has(id)).toBe(true);
    // Newest event 11.5 minutes after the first: its bucket [0, 1 min) is behind the watermark.
    dedup.add(randomUUID(), 11.5 * minute, 0);
    expect(dedup.watermark).toBe(1.5 * minute);
    expect(dedup.has(id)).toBe(false);
    expect(dedup.size).toBe(2);
  });

  it('a lagging partition holds the watermark back, and an event already behind it is not remembered', () => {
    const dedup = new DedupState(10 * minute);
    const early = randomUUID();
    dedup.add(early, 0, 0);
    dedup.add(randomUUID(), 30 * minute, 1);
    expect(dedup.watermark).toBe(-10 * minute);
    expect(dedup.has(early)).toBe(true);
    dedup.add(randomUUID(), 30 * minute, 0);
    expect(dedup.watermark).toBe(20 * minute);
    // Buckets are dropped when a new one starts, or on evict().
    expect(dedup.has(early)).toBe(true);
    dedup.evict();
    expect(dedup.has(early)).toBe(false);
    const late = randomUUID();
    dedup.add(late, 5 * minute, 0);
    expect(dedup.has(late)).toBe(false);
  });

  it('adds an id `has` just found absent without looking it up again, and never holds an id twice', () => {
    const dedup = new DedupState(10 * minute);
    for (let m = 0; m < 5; m++) dedup.add(randomUUID(), m * minute, 0); // five buckets
    const probes = { n: 0 };
    const hasUuid = EventIdSet.prototype.hasUuid;
    EventIdSet.prototype.hasUuid = function (this: EventIdSet, ...args: Parameters<typeof hasUuid>) {
      probes.n++;
      return hasUuid.apply(this, args);
    };
    try {
      const a = randomUUID();
      const b = randomUUID();
      expect(dedup.has(a)).toBe(false);
      expect(probes.n).toBe(5);
      dedup.add(a, 4 * minute, 0);
      expect(probes.n).toBe(5);
      // Another id in between: `a` is looked up again, and found.
      expect(dedup.has(b)).toBe(false);
      dedup.add(a, 4 * minute, 0);
      expect(probes.n).toBeGreaterThan(10);
      dedup.add(b, 4 * minute, 0);
      dedup.add(b, 4 * minute, 0);
      expect(dedup.size).toBe(7);
      expect(dedup.has(a) && dedup.has(b)).toBe(true);
    } finally {
      EventIdSet.prototype.hasUuid = hasUuid;
    }
  });

  it('keeps ids that are not UUIDs too, and clear forgets everything', () => {
    const dedup = new DedupState(10 * minute);
    dedup.add('evt-1', 0, 0);
    dedup.add('evt-1', 1_000, 0);
    expect(dedup.has('evt-1')).toBe(true);
    expect(dedup.size).toBe(1);
    dedup.clear();
    expect(dedup.has('evt-1')).toBe(false);
    expect(dedup.watermark).toBe(Number.NEGATIVE_INFINITY);
  });
});
