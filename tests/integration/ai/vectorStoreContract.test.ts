// One contract suite for every VectorStore adapter (the contract is written on the port in
// kernel-helpers/src/ai/vectors/VectorStore.ts): DuckDB always, in memory and in a file; Qdrant
// when QDRANT_URL points at a reachable server — otherwise its cases are reported as skipped.
import path from 'node:path';
import {
  DuckDbVectorStore,
  QdrantVectorStore,
  type VectorStore,
  VectorStoreError,
} from '@rt-lakehouse/kernel-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../../support/tempDir.js';

const DIM = 8;
const QDRANT_URL = process.env['QDRANT_URL']?.trim() || undefined;

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('rtl-vectors-');
});
afterAll(async () => {
  await removeDir(dir);
});

interface Adapter {
  name: string;
  /** Why the adapter cannot run here, or undefined when it can. */
  skip: string | undefined;
  open(dimension?: number): Promise<VectorStore>;
}

let fileCounter = 0;
const adapters: Adapter[] = [
  {
    name: 'DuckDbVectorStore (memory)',
    skip: undefined,
    open: (d = DIM) => DuckDbVectorStore.open({ dimension: d }),
  },
  {
    name: 'DuckDbVectorStore (file)',
    skip: undefined,
    open: (d = DIM) =>
      DuckDbVectorStore.open({ dimension: d, path: path.join(dir, `v${fileCounter++}.duckdb`) }),
  },
  {
    name: 'QdrantVectorStore',
    skip: QDRANT_URL ? undefined : 'QDRANT_URL is not set: no Qdrant server to test against',
    open: async (d = DIM) =>
      new QdrantVectorStore({
        url: QDRANT_URL!,
        ...(process.env['QDRANT_API_KEY'] ? { apiKey: process.env['QDRANT_API_KEY'] } : {}),
        collection: `rtl_contract_${Date.now()}_${fileCounter++}`,
        dimension: d,
      }),
  },
];

/** A unit vector along axis `i`, plus a little of axis `j`. */
function vec(i: number, j = i, w = 0): number[] {
  const v = new Array(DIM).fill(0);
  v[i] = 1;
  v[j] += w;
  return v;
}

for (const adapter of adapters) {
  describe(`VectorStore contract: ${adapter.name}`, () => {
    const test = it.skipIf(adapter.skip !== undefined);
    if (adapter.skip) it.skip(`skipped — ${adapter.skip}`, () => {});

    const withStore = async (fn: (store: VectorStore) => Promise<void>) => {
      const store = await adapter.open();
      try {
        await store.clear();
        await fn(store);
      } finally {
        await store.close();
      }
    };

    test('finds the nearest records by cosine, best first, with payloads as written', () =>
      withStore(async (store) => {
        await store.upsertMany([
          {
            id: 'a',
            vector: vec(0),
            payload: { kind: 'example', n: 1, ok: true, text: 'revenue by country' },
          },
          {
            id: 'b',
            vector: vec(0, 1, 1),
            payload: { kind: 'example', n: 2, ok: false, nested: { x: [1, 'y'] } },
          },
          { id: 'c', vector: vec(1), payload: { kind: 'table', n: 3, ok: true } },
        ]);
        const hits = await store.search(vec(0), 3);
        expect(hits.map((h) => h.id)).toEqual(['a', 'b', 'c']);
        expect(hits[0]!.score).toBeCloseTo(1, 5);
        expect(hits[1]!.score).toBeCloseTo(Math.SQRT1_2, 5);
        expect(hits[2]!.score).toBeCloseTo(0, 5);
        expect(hits[1]!.payload).toEqual({ kind: 'example', n: 2, ok: false, nested: { x: [1, 'y'] } });
        expect((await store.search(vec(0), 1)).map((h) => h.id)).toEqual(['a']);
      }));

    test('filters on payload fields: equality, any-of, several fields at once', () =>
      withStore(async (store) => {
        await store.upsertMany([
          { id: 'a', vector: vec(0), payload: { kind: 'example', source: 'seed', n: 1, ok: true } },
          {
            id: 'b',
            vector: vec(0, 1, 1),
            payload: { kind: 'example', source: 'feedback', n: 2, ok: false },
          },
          { id: 'c', vector: vec(1), payload: { kind: 'table', source: 'schema', n: 3, ok: true } },
        ]);
        expect((await store.search(vec(0), 5, { kind: 'table' })).map((h) => h.id)).toEqual(['c']);
        expect((await store.search(vec(0), 5, { source: ['seed', 'feedback'] })).map((h) => h.id)).toEqual([
          'a',
          'b',
        ]);
        expect((await store.search(vec(0), 5, { kind: 'example', ok: true })).map((h) => h.id)).toEqual([
          'a',
        ]);
        expect((await store.search(vec(0), 5, { n: 3 })).map((h) => h.id)).toEqual(['c']);
        expect(await store.search(vec(0), 5, { source: [] })).toEqual([]);
        expect(await store.count({ kind: 'example' })).toBe(2);
        expect(await store.count()).toBe(3);
        expect((await store.list({ kind: 'example' })).map((r) => r.id)).toEqual(['a', 'b']);
        expect(await store.list({ kind: 'none' })).toEqual([]);
      }));

    test('answers several searches with one vector at once', () =>
      withStore(async (store) => {
        await store.upsertMany([
          { id: 'a', vector: vec(0), payload: { kind: 'example' } },
          { id: 'b', vector: vec(0, 1, 1), payload: { kind: 'table' } },
          { id: 'c', vector: vec(1), payload: { kind: 'table' } },
        ]);
        const [examples, tables, none, all] = await store.searchMany(vec(0), [
          { k: 5, filter: { kind: 'example' } },
          { k: 1, filter: { kind: 'table' } },
          { k: 5, filter: { kind: [] } },
          { k: 2 },
        ]);
        expect(examples!.map((h) => h.id)).toEqual(['a']);
        expect(tables!.map((h) => h.id)).toEqual(['b']);
        expect(none).toEqual([]);
        expect(all!.map((h) => h.id)).toEqual(['a', 'b']);
        expect(await store.searchMany(vec(0), [])).toEqual([]);
      }));

    test('upsert replaces by id; delete removes (unknown ids are a no-op); clear empties', () =>
      withStore(async (store) => {
        await store.upsert('a', vec(0), { v: 1 });
        await store.upsert('a', vec(1), { v: 2 });
        expect(await store.count()).toBe(1);
        const [hit] = await store.search(vec(1), 1);
        expect(hit).toMatchObject({ id: 'a', payload: { v: 2 } });
        expect(hit!.score).toBeCloseTo(1, 5);
        await store.upsert('b:with/odd chars é', vec(2), { v: 3 });
        expect((await store.list()).map((r) => r.id)).toEqual(['a', 'b:with/odd chars é']);
        await store.delete(['a', 'missing']);
        expect((await store.list()).map((r) => r.id)).toEqual(['b:with/odd chars é']);
        await store.clear();
        expect(await store.count()).toBe(0);
        expect(await store.search(vec(0), 3)).toEqual([]);
      }));

    test('orders ties by ascending id', () =>
      withStore(async (store) => {
        await store.upsertMany(['d', 'b', 'c', 'a'].map((id) => ({ id, vector: vec(3), payload: {} })));
        expect((await store.search(vec(3), 3)).map((h) => h.id)).toEqual(['a', 'b', 'c']);
      }));

    test('refuses vectors of the wrong length and bad arguments, writing nothing', () =>
      withStore(async (store) => {
        await expect(
          store.upsertMany([
            { id: 'ok', vector: vec(0), payload: {} },
            { id: 'short', vector: [1, 0], payload: {} },
          ]),
        ).rejects.toMatchObject({ code: 'VECTORS_DIMENSION_MISMATCH' });
        expect(await store.count()).toBe(0);
        await expect(store.search([1], 1)).rejects.toBeInstanceOf(VectorStoreError);
        await expect(store.search(vec(0), 0)).rejects.toMatchObject({ code: 'VECTORS_INVALID' });
        await expect(store.search(vec(0), 1, { 'bad field': 'x' })).rejects.toMatchObject({
          code: 'VECTORS_INVALID',
        });
        await expect(store.upsert('', vec(0), {})).rejects.toMatchObject({ code: 'VECTORS_INVALID' });
      }));

    test('is closed after close()', async () => {
      const store = await adapter.open();
      await store.close();
      await store.close();
      await expect(store.count()).rejects.toMatchObject({ code: 'VECTORS_CLOSED' });
    });
  });
}

describe('DuckDbVectorStore persistence', () => {
  it('keeps records across reopening the same file', async () => {
    const file = path.join(dir, 'persist.duckdb');
    const first = await DuckDbVectorStore.open({ dimension: DIM, path: file });
    await first.upsert('kept', vec(4), { question: 'orders today' });
    await first.close();
    const second = await DuckDbVectorStore.open({ dimension: DIM, path: file });
    try {
      expect(await second.list()).toEqual([{ id: 'kept', payload: { question: 'orders today' } }]);
      expect((await second.search(vec(4), 1))[0]!.score).toBeCloseTo(1, 5);
    } finally {
      await second.close();
    }
  });
});
