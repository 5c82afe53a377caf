// The ObjectStore contract, run against the local-folder adapter.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  FileAlreadyExistsError,
  LocalObjectStore,
  NotFoundError,
  type ObjectStore,
} from '@rt-lakehouse/kernel-helpers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

function objectStoreContract(
  name: string,
  make: () => Promise<{ store: ObjectStore; cleanup: () => Promise<void> }>,
) {
  describe(`ObjectStore contract: ${name}`, () => {
    let store: ObjectStore;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ store, cleanup } = await make());
    });
    afterEach(async () => cleanup());

    it('puts, gets, heads and deletes objects', async () => {
      await store.put('a/b.txt', 'hello');
      expect(Buffer.from(await store.get('a/b.txt')).toString()).toBe('hello');
      expect(await store.head('a/b.txt')).toMatchObject({ key: 'a/b.txt', size: 5 });
      await store.delete('a/b.txt');
      expect(await store.head('a/b.txt')).toBeUndefined();
      await store.delete('a/b.txt');
      await expect(store.get('a/b.txt')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('lists keys sorted, recursively or not, after a start key', async () => {
      for (const k of [
        '_delta_log/2.json',
        '_delta_log/0.json',
        '_delta_log/1.json',
        '_delta_log/_sidecars/s.parquet',
        'x.parquet',
      ]) {
        await store.put(k, k);
      }
      expect(await store.list('_delta_log/', { recursive: false })).toEqual([
        '_delta_log/0.json',
        '_delta_log/1.json',
        '_delta_log/2.json',
      ]);
      expect(await store.list('_delta_log/')).toContain('_delta_log/_sidecars/s.parquet');
      expect(await store.list('_delta_log/', { recursive: false, startAfter: '_delta_log/0.json' })).toEqual([
        '_delta_log/1.json',
        '_delta_log/2.json',
      ]);
      expect(await store.list('missing/')).toEqual([]);
    });

    it('putIfAbsent lets exactly one of many concurrent writers win, whole', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) =>
          store.putIfAbsent('_delta_log/00000000000000000001.json', `writer ${i}\n`.repeat(1000)),
        ),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      for (const r of results)
        if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(FileAlreadyExistsError);
      const body = Buffer.from(await store.get('_delta_log/00000000000000000001.json')).toString();
      expect(new Set(body.trim().split('\n')).size).toBe(1);
      expect(body.length).toBe(results.findIndex((r) => r.status === 'fulfilled') < 10 ? 9000 : 10000);
      expect(await store.list('_delta_log/', { recursive: false })).toEqual([
        '_delta_log/00000000000000000001.json',
      ]);
    });
  });
}

objectStoreContract('LocalObjectStore', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rtl-store-'));
  return { store: new LocalObjectStore(dir), cleanup: () => fs.rm(dir, { recursive: true, force: true }) };
});

describe('LocalObjectStore', () => {
  it('never exposes temporary files in listings', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rtl-store-'));
    await fs.writeFile(path.join(dir, '.tmp-abc'), 'partial');
    expect(await new LocalObjectStore(dir).list('')).toEqual([]);
    await fs.rm(dir, { recursive: true });
  });
});
