// The producer's metrics and status server: values read from its stats at each scrape, served
// over HTTP on 127.0.0.1 with /health following the producer's state.
import { ConfigError } from '@rt-lakehouse/kernel-helpers';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { type StatusServer, startStatusServer } from '../../../services/src/pipelines/statusServer.js';
import type { ProducerStats } from '../../../services/src/producer/ProducerStats.js';
import {
  producerServerConfigFromEnv,
  registerProducerMetrics,
} from '../../../services/src/producer/producerMetrics.js';

function statsOf(overrides: Partial<ProducerStats> = {}): ProducerStats {
  return {
    state: 'running',
    topic: 'ecommerce_events',
    seed: 1,
    targetRate: 10,
    elapsedS: 2,
    generated: 25,
    sent: 20,
    failed: 3,
    inFlight: 2,
    bytes: 4_096,
    ratePerS: 10,
    cpuS: 0.1,
    faults: { malformedJson: 1, missingField: 0, wrongType: 2, unknownEventType: 0, duplicate: 0, late: 4 },
    errors: 1,
    ...overrides,
  } as ProducerStats;
}

describe('producer metrics', () => {
  let server: StatusServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('reads the counters from the stats at each scrape', async () => {
    const registry = new Registry();
    let stats = statsOf();
    registerProducerMetrics(registry, () => stats);
    const first = await registry.metrics();
    expect(first).toContain('producer_events_sent_total 20');
    expect(first).toContain('producer_events_failed_total 3');
    expect(first).toContain('producer_bytes_sent_total 4096');
    expect(first).toContain('producer_faults_sent_total{fault="late"} 4');
    expect(first).toContain('producer_in_flight_events 2');
    expect(first).toContain('producer_state{state="running"} 1');
    expect(first).toContain('producer_state{state="failed"} 0');
    stats = statsOf({ sent: 35, state: 'stopped' });
    const second = await registry.metrics();
    expect(second).toContain('producer_events_sent_total 35');
    expect(second).toContain('producer_state{state="stopped"} 1');
    expect(second).toContain('producer_state{state="running"} 0');
  });

  it('serves /metrics, /status and /health over HTTP, unhealthy once failed', async () => {
    const registry = new Registry();
    let stats = statsOf();
    registerProducerMetrics(registry, () => stats);
    server = await startStatusServer({
      port: 0,
      registry,
      status: () => stats,
      healthy: () => !['failed', 'stopped'].includes(stats.state),
    });
    const base = `http://127.0.0.1:${server.port}`;
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('producer_events_sent_total 20');
    expect(await (await fetch(`${base}/status`)).json()).toMatchObject({ sent: 20, state: 'running' });
    expect((await fetch(`${base}/health`)).status).toBe(200);
    stats = statsOf({ state: 'failed' });
    expect((await fetch(`${base}/health`)).status).toBe(503);
  });

  it('has the server off by default and names a wrong setting', () => {
    expect(producerServerConfigFromEnv({})).toEqual({ PRODUCER_PORT: 0, PRODUCER_HOST: '127.0.0.1' });
    expect(producerServerConfigFromEnv({ PRODUCER_PORT: '8030', PRODUCER_HOST: '0.0.0.0' })).toEqual({
      PRODUCER_PORT: 8030,
      PRODUCER_HOST: '0.0.0.0',
    });
    expect(() => producerServerConfigFromEnv({ PRODUCER_PORT: '70000' })).toThrow(ConfigError);
    expect(() => producerServerConfigFromEnv({ PRODUCER_PORT: 'x' })).toThrow(/PRODUCER_PORT/);
  });
});
