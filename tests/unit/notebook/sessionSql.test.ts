// sql() of a notebook session on a real lakehouse (a temporary folder, seeded twice through the
// medallion pipelines): time travel with `asOf`, and the readable errors a failed cell shows.
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
import { seedLakehouse } from '@rt-lakehouse/pipelines';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dir: string;
let session: NotebookSession;
const shown: MimeBundle[] = [];
/** silver_events' version after the first seed, its rows then, and its rows at the end. */
let first: { version: number; rows: number; at: string };
let latestRows: number;

const count = (r: { rows: Record<string, unknown>[] }) => Number(r.rows[0]?.['n']);

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rtl-session-sql-'));
  const lakehouse = await Lakehouse.open({ dir });
  try {
    const seeded = await seedLakehouse({ lakehouse, events: 300, days: 1, seed: 1 });
    const silver = await lakehouse.table('silver_events');
    first = {
      version: (await silver.snapshot()).version,
      rows: seeded.silverRows,
      at: new Date().toISOString(),
    };
    await new Promise((r) => setTimeout(r, 20));
    const again = await seedLakehouse({ lakehouse, events: 200, days: 1, seed: 2 });
    latestRows = seeded.silverRows + again.silverRows;
  } finally {
    lakehouse.close();
  }
  session = createNotebookSession({
    env: { LAKEHOUSE_DIR: dir, KAFKA_BROKERS: '' },
    display: { kind: 'memory', send: (b) => void shown.push(b) },
  });
}, 60_000);

afterAll(async () => {
  await session?.reset();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('sql() with asOf', () => {
  const query = 'SELECT count(*) AS n FROM silver_events';

  it('reads the latest version without asOf', async () => {
    expect(first.rows).toBeGreaterThan(0);
    expect(latestRows).toBeGreaterThan(first.rows);
    expect(count(await session.sql(query))).toBe(latestRows);
  });

  it('reads a named table at a version, and says which version in the output', async () => {
    const result = await session.sql(query, { asOf: { silver_events: first.version } });
    expect(count(result)).toBe(first.rows);
    expect(result.tableVersions).toEqual({ silver_events: first.version });
    expect(shown.at(-1)?.['text/plain']).toContain(`silver_events@v${first.version}`);
  });

  it('reads every table as of an instant; tables not named in a version map stay at their latest', async () => {
    expect(count(await session.sql(query, { asOf: first.at, display: false }))).toBe(first.rows);
    const joined = await session.sql(
      'SELECT (SELECT count(*) FROM silver_events) AS n, (SELECT count(*) FROM bronze_events) AS b',
      { asOf: { silver_events: first.version }, display: false },
    );
    expect(count(joined)).toBe(first.rows);
    expect(Number(joined.rows[0]?.['b'])).toBeGreaterThan(first.rows);
  });
});

describe('sql() errors a cell shows', () => {
  it('an unknown table: what failed, the query, the code and what to do', async () => {
    const error = await session.sql('SELECT * FROM silver_evnts').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotebookError);
    const text = inspect(error);
    expect(text).toMatch(/^✖ Query failed in sql\(\)$/m);
    expect(text).toContain('on:   query: SELECT * FROM silver_evnts');
    expect(text).toMatch(/why: {2}SQL_UNKNOWN_TABLE: /);
    expect(text).toContain('lakehouse.tables()');
  });

  it('a write is refused with the guard code, with asOf too', async () => {
    for (const asOf of [undefined, { silver_events: 0 }]) {
      const error = (await session
        .sql('DELETE FROM silver_events', asOf ? { asOf } : {})
        .catch((e: unknown) => e)) as NotebookError;
      expect(error).toBeInstanceOf(NotebookError);
      expect(error.code).toMatch(/^SQL_/);
      expect(error.description.on).toBe('query: DELETE FROM silver_events');
    }
  });

  it('a version that does not exist names the table', async () => {
    const error = (await session
      .sql('SELECT count(*) FROM silver_events', { asOf: { silver_events: 9999 } })
      .catch((e: unknown) => e)) as NotebookError;
    expect(error).toBeInstanceOf(NotebookError);
    expect(error.code).toMatch(/^DELTA_/);
    expect(inspect(error)).toContain('silver_events');
  });
});
