// The runner's status server: /health with its dependency checks (503 when one is down), and
// the plain form without checks.
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type HealthCheck,
  type StatusServer,
  startStatusServer,
} from '../../../services/src/pipelines/statusServer.js';

describe('status server /health', () => {
  let server: StatusServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('lists the checks and answers 503 when one is down', async () => {
    let checks: Record<string, HealthCheck> = {
      lakehouse: { status: 'ok', dir: '/data' },
      bronze: { status: 'ok', state: 'running', lag: 0 },
    };
    server = await startStatusServer({
      port: 0,
      registry: new Registry(),
      status: () => ({}),
      checks: async () => checks,
    });
    const url = `http://127.0.0.1:${server.port}/health`;
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: 'ok', checks });
    checks = { ...checks, bronze: { status: 'down', state: 'failed', reason: 'broker unreachable' } };
    const down = await fetch(url);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: 'degraded', checks });
  });

  it('answers the plain form without checks', async () => {
    server = await startStatusServer({
      port: 0,
      registry: new Registry(),
      status: () => ({}),
      healthy: () => false,
    });
    const r = await fetch(`http://127.0.0.1:${server.port}/health`);
    expect(r.status).toBe(503);
    expect(await r.json()).toEqual({ status: 'degraded' });
  });
});
