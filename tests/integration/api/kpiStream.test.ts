// GET /api/kpis/stream: the initial snapshot, a new event after a commit to gold_kpis,
// heartbeats, the stream limit, disconnects that free their slot and a clean end on shutdown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody, KpisResponse } from '../../../services/src/assistant/schemas.js';
import {
  call,
  eventually,
  type RunningApi,
  type SeededLakehouse,
  seededLakehouse,
  sseReader,
  startApi,
  TOKEN,
} from './apiHarness.js';

let lake: SeededLakehouse;
let api: RunningApi;

beforeAll(async () => {
  lake = await seededLakehouse();
  api = await startApi({
    lake,
    env: { API_TOKEN: TOKEN, KPI_POLL_MS: '50', SSE_HEARTBEAT_MS: '200', SSE_MAX_STREAMS: '2' },
  });
});

afterAll(async () => {
  await api?.stop();
  await lake?.close();
});

const open = (query = '', signal?: AbortSignal) =>
  fetch(`${api.base}/api/kpis/stream${query}`, {
    headers: { authorization: `Bearer ${TOKEN}`, accept: 'text/event-stream' },
    ...(signal ? { signal } : {}),
  });

/** Appends one window to gold_kpis (a new Delta version). */
async function commitWindow(start: Date): Promise<number> {
  const gold = await lake.lakehouse.table('gold_kpis');
  const result = await gold.write({
    rows: [
      {
        window_start: start,
        window_end: new Date(start.getTime() + 60_000),
        total_events: 1_000,
        page_views: 900,
        cart_adds: 80,
        orders: 20,
        gmv: 2_000,
        active_users: 500,
        view_users: 450,
        cart_users: 60,
        purchase_users: 18,
        conversion_rate: 0.04,
        avg_order_value: 100,
      },
    ],
  });
  return result.version;
}

describe('GET /api/kpis/stream', () => {
  it('sends a snapshot, then an event for a new gold_kpis version, with heartbeats between', async () => {
    const controller = new AbortController();
    const response = await open('?minutes=5', controller.signal);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
    const events = sseReader(response);
    expect(await events.next()).toMatchObject({ event: 'retry' });
    const first = await events.next();
    expect(first.event).toBe('kpis');
    const snapshot = KpisResponse.parse(JSON.parse(first.data));
    const version = (await (await lake.lakehouse.table('gold_kpis')).latest()).version;
    expect(snapshot.version).toBe(version);
    expect(first.id).toBe(String(version));
    expect(snapshot.totals.minutes).toBe(5);

    const heartbeat = await events.next();
    expect(heartbeat.event).toBe('comment');
    expect(heartbeat.data).toMatch(/^heartbeat /);

    const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 60_000);
    const written = await commitWindow(start);
    let next = await events.next();
    while (next.event === 'comment') next = await events.next();
    expect(next.event).toBe('kpis');
    expect(next.id).toBe(String(written));
    const updated = KpisResponse.parse(JSON.parse(next.data));
    expect(updated.version).toBe(written);
    expect(updated.latest).toMatchObject({
      window_start: start.toISOString(),
      total_events: 1_000,
      orders: 20,
    });

    controller.abort();
    await eventually(() => api.app.kpiStreams.size === 0);
  });

  it('refuses streams beyond SSE_MAX_STREAMS with 503 and frees a slot when a client leaves', async () => {
    const controllers = [new AbortController(), new AbortController()];
    const streams = await Promise.all(controllers.map((c) => open('', c.signal)));
    for (const s of streams) {
      expect(s.status).toBe(200);
      const reader = sseReader(s);
      await reader.next();
      await reader.next();
    }
    expect(api.app.kpiStreams.size).toBe(2);
    const refused = await call(api.base, '/api/kpis/stream');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(ErrorBody.parse(refused.body).error.code).toBe('STREAMS_EXHAUSTED');

    controllers[0]!.abort();
    await eventually(() => api.app.kpiStreams.size === 1);
    const again = new AbortController();
    const third = await open('', again.signal);
    expect(third.status).toBe(200);
    again.abort();
    controllers[1]!.abort();
    await eventually(() => api.app.kpiStreams.size === 0);
    const metrics = await call(api.base, '/metrics');
    expect(metrics.text).toMatch(/^assistant_kpi_streams 0$/m);
  });

  it('validates the query and needs the token like every /api route', async () => {
    const bad = await call(api.base, '/api/kpis/stream?minutes=-5');
    expect(bad.status).toBe(400);
    expect(ErrorBody.parse(bad.body).error.message).toBe(
      'query.minutes: Too small: expected number to be >=1',
    );
    const anonymous = await call(api.base, '/api/kpis/stream', { token: null });
    expect(anonymous.status).toBe(401);
  });

  it('ends open streams with a shutdown event when the service stops', async () => {
    const own = await startApi({ lake, env: { KPI_POLL_MS: '50' } });
    const response = await fetch(`${own.base}/api/kpis/stream`);
    const events = sseReader(response);
    await events.next();
    expect((await events.next()).event).toBe('kpis');
    own.app.endStreams();
    let next = await events.next();
    while (next.event === 'comment') next = await events.next();
    expect(next).toEqual({ event: 'shutdown', id: undefined, data: '{"reason":"the service is stopping"}' });
    await expect(events.next()).rejects.toThrow('the event stream ended');
    const refused = await call(own.base, '/api/kpis/stream');
    expect(refused.status).toBe(503);
    expect(ErrorBody.parse(refused.body).error.code).toBe('SHUTTING_DOWN');
    await own.stop();
  });
});
