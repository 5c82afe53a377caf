// GET /api/tables, /api/tables/:name/history and /api/kpis over a seeded lakehouse: exact
// shapes, values that agree with the tables, query validation and 404s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ErrorBody,
  HistoryResponse,
  KpisResponse,
  TablesResponse,
} from '../../../services/src/assistant/schemas.js';
import { call, type RunningApi, type SeededLakehouse, seededLakehouse, startApi } from './apiHarness.js';

let lake: SeededLakehouse;
let api: RunningApi;

beforeAll(async () => {
  lake = await seededLakehouse();
  api = await startApi({ lake });
});

afterAll(async () => {
  await api?.stop();
  await lake?.close();
});

describe('GET /api/tables', () => {
  it('lists the medallion tables with versions, columns, partition columns, files, rows and sizes', async () => {
    const r = await call(api.base, '/api/tables');
    expect(r.status).toBe(200);
    const { tables } = TablesResponse.parse(r.body);
    expect(tables.map((t) => t.name)).toEqual([
      'bronze_events',
      'gold_kpis',
      'quarantine_events',
      'silver_events',
    ]);
    const bronze = tables.find((t) => t.name === 'bronze_events')!;
    expect(bronze.rowCount).toBe(20_000);
    expect(bronze.columns.map((c) => c.name)).toEqual([
      'key',
      'value',
      'topic',
      'kafka_partition',
      'kafka_offset',
      'kafka_ts',
      'ingested_at',
    ]);
    expect(bronze.columns[3]).toEqual({ name: 'kafka_partition', type: 'integer', nullable: true });
    for (const t of tables) {
      const snapshot = await (await lake.lakehouse.table(t.name)).latest();
      expect(t.version).toBe(snapshot.version);
      expect(t.numFiles).toBe(snapshot.numFiles);
      expect(t.partitionColumns).toEqual([...snapshot.partitionColumns]);
      expect(t.sizeBytes).toBeGreaterThan(0);
    }
  });
});

describe('GET /api/tables/:name/history', () => {
  it("returns a table's commits newest first, at most `limit`", async () => {
    const r = await call(api.base, '/api/tables/silver_events/history?limit=2');
    expect(r.status).toBe(200);
    const body = HistoryResponse.parse(r.body);
    expect(body.table).toBe('silver_events');
    const latest = (await (await lake.lakehouse.table('silver_events')).latest()).version;
    expect(body.history.map((h) => h.version)).toEqual(
      [latest, latest - 1].filter((v) => v >= 0).slice(0, 2),
    );
    expect(body.history[0]!.operation).toBeTypeOf('string');
    expect(Number.isNaN(Date.parse(body.history[0]!.timestamp))).toBe(false);
  });

  it('finds a table whatever the case of its name', async () => {
    const r = await call<{ table: string }>(api.base, '/api/tables/GOLD_KPIS/history');
    expect(r.status).toBe(200);
    expect(r.body.table).toBe('gold_kpis');
  });

  it('answers 404 for an unknown table and 400 for a bad name or limit', async () => {
    const unknown = await call(api.base, '/api/tables/no_such_table/history');
    expect(unknown.status).toBe(404);
    expect(ErrorBody.parse(unknown.body).error).toMatchObject({
      code: 'TABLE_NOT_FOUND',
      message: 'no table no_such_table in the lakehouse',
    });
    const bad = await call(api.base, `/api/tables/${encodeURIComponent('../etc')}/history?limit=0`);
    expect(bad.status).toBe(400);
    expect(ErrorBody.parse(bad.body).error.issues).toEqual([
      {
        path: 'params.name',
        code: 'invalid_format',
        message: 'must be a table name: letters, digits and underscores',
      },
      { path: 'query.limit', code: 'too_small', message: 'Too small: expected number to be >=1' },
    ]);
  });
});

describe('GET /api/kpis', () => {
  it('returns the newest window and totals over the last N minutes that agree with gold_kpis', async () => {
    const r = await call(api.base, '/api/kpis?minutes=120&series=true');
    expect(r.status).toBe(200);
    const kpis = KpisResponse.parse(r.body);
    const gold = await (await lake.lakehouse.table('gold_kpis')).latest();
    expect(kpis.version).toBe(gold.version);
    expect(kpis.totals.minutes).toBe(120);
    expect(Date.parse(kpis.totals.to) - Date.parse(kpis.totals.from)).toBe(120 * 60_000);
    const expected = await lake.engine.query(
      `SELECT count(*) AS windows, sum(total_events) AS events, sum(orders) AS orders, max(window_start) AS newest
       FROM gold_kpis WHERE window_start >= $1`,
      { params: [new Date(kpis.totals.from)] },
    );
    const row = expected.rows[0]!;
    expect(kpis.totals.windows).toBe(row['windows']);
    expect(kpis.totals.total_events).toBe(row['events']);
    expect(kpis.totals.orders).toBe(row['orders']);
    expect(kpis.series).toHaveLength(kpis.totals.windows);
    expect(kpis.latest!.window_start).toBe(row['newest']);
    expect(kpis.totals.avg_order_value).toBe(
      kpis.totals.orders === 0 ? null : kpis.totals.gmv / kpis.totals.orders,
    );
  });

  it('defaults to the last 60 minutes without the series', async () => {
    const r = await call<Record<string, unknown>>(api.base, '/api/kpis');
    expect(r.status).toBe(200);
    expect(KpisResponse.parse(r.body).totals.minutes).toBe(60);
    expect(r.body).not.toHaveProperty('series');
  });

  it.each([
    ['minutes=0', 'query.minutes: Too small: expected number to be >=1'],
    ['minutes=10081', 'query.minutes: Too big: expected number to be <=10080'],
    ['minutes=abc', 'query.minutes: Invalid input: expected number, received NaN'],
    ['series=maybe', 'query.series: Invalid option: expected one of "0"|"1"|"true"|"false"'],
    ['window=5', 'query: Unrecognized key: "window"'],
  ])('refuses ?%s with 400', async (query, message) => {
    const r = await call(api.base, `/api/kpis?${query}`);
    expect(r.status).toBe(400);
    expect(ErrorBody.parse(r.body).error).toMatchObject({ code: 'VALIDATION_FAILED', message });
  });
});
