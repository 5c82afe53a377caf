// Several processes appending to one table at once, and writers killed at random moments:
// optimistic commits keep versions contiguous, every row present once, and the table readable.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeltaTable } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';
import { deltaWorkspace } from '../../support/deltaWorkspace.js';
import { spawnTs, waitForExit } from '../../support/spawnTs.js';

const worker = path.join(path.dirname(fileURLToPath(import.meta.url)), 'appendWorker.ts');
const ws = deltaWorkspace();

async function commitCounts(table: DeltaTable): Promise<{ groups: Record<string, unknown>[] }> {
  const sql = await table.scanSql(await table.latest());
  const connection = await ws.duck.connect();
  try {
    const reader = await connection.runAndReadAll(
      `SELECT writer, seq, count(*)::BIGINT AS n, count(DISTINCT i)::BIGINT AS distinct_i, any_value(rows_in_commit) AS expected FROM (${sql}) GROUP BY ALL ORDER BY ALL`,
    );
    return { groups: reader.getRowObjectsJson() as Record<string, unknown>[] };
  } finally {
    connection.closeSync();
  }
}

describe('concurrent writers', () => {
  it('4 processes × 50 appends end with 200 contiguous data commits and every row', async () => {
    const root = path.join(ws.dir, 'concurrent');
    const table = await DeltaTable.forPath(root, { duck: ws.duck });
    await table.write({
      sql: "SELECT 'init' AS writer, 0::BIGINT AS seq, 0::BIGINT AS i, 1::BIGINT AS rows_in_commit",
    });
    const results = await Promise.all(
      ['w1', 'w2', 'w3', 'w4'].map((w) => waitForExit(spawnTs(worker, [root, w, '50', '10']))),
    );
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const versions = await table.log.commitVersions();
    expect(versions).toEqual(Array.from({ length: 201 }, (_, i) => i));
    const history = await table.history();
    expect(history.filter((h) => h.operation === 'WRITE')).toHaveLength(200);
    const { groups } = await commitCounts(table);
    expect(groups).toHaveLength(201);
    for (const g of groups) expect([g['n'], g['distinct_i']]).toEqual([g['expected'], g['expected']]);
    const contended = results
      .flatMap((r) => r.stdout.trim().split('\n'))
      .filter((l) => !l.endsWith('attempts=1'));
    expect(contended.length).toBeGreaterThan(0);
  });

  it('a writer killed with SIGKILL 20 times never leaves an unreadable table or a half-visible commit', async () => {
    const root = path.join(ws.dir, 'crash');
    const table = await DeltaTable.forPath(root, { duck: ws.duck });
    await table.write({
      sql: "SELECT 'init' AS writer, 0::BIGINT AS seq, 0::BIGINT AS i, 1::BIGINT AS rows_in_commit",
    });
    let lastVersion = 0;
    for (let round = 0; round < 20; round++) {
      const child = spawnTs(worker, [root, `crash${round}`, '1000', '500']);
      const exited = waitForExit(child);
      // Kill at a random moment of the writing: after its first commit (start-up takes from
      // one to many seconds, with the machine's load), within the next ~40 commits.
      await new Promise<void>((resolve) => {
        child.stdout?.once('data', () => resolve());
        child.once('exit', () => resolve());
      });
      await new Promise((r) => setTimeout(r, Math.random() * 1500));
      child.kill('SIGKILL');
      const { signal } = await exited;
      expect(signal).toBe('SIGKILL');
      const fresh = await DeltaTable.forPath(root, { duck: ws.duck });
      const snapshot = await fresh.latest();
      expect(snapshot.version).toBeGreaterThanOrEqual(lastVersion);
      lastVersion = snapshot.version;
      const { groups } = await commitCounts(fresh);
      for (const g of groups)
        expect([g['n'], g['distinct_i']], `commit ${g['writer']}/${g['seq']}`).toEqual([
          g['expected'],
          g['expected'],
        ]);
      expect(await fresh.log.commitVersions()).toEqual(
        Array.from({ length: snapshot.version + 1 }, (_, i) => i),
      );
    }
    expect(lastVersion).toBeGreaterThanOrEqual(20);
  });
});
