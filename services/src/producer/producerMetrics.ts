// The producer's Prometheus metrics, read from its stats when scraped, and the settings of the
// small HTTP server that serves them (/health, /status, /metrics; off unless PRODUCER_PORT is set).
import { ConfigError } from '@rt-lakehouse/kernel-helpers';
import { Counter, Gauge, type Registry } from 'prom-client';
import { z } from 'zod';
import type { ProducerStats } from './ProducerStats.js';

export const producerServerEnvSchema = z.object({
  PRODUCER_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65_535)
    .default(0)
    .describe('HTTP port for /health, /status and /metrics (0: no server)'),
  PRODUCER_HOST: z
    .string()
    .default('127.0.0.1')
    .describe('Interface that server listens on (0.0.0.0 in containers)'),
});

export type ProducerServerConfig = z.infer<typeof producerServerEnvSchema>;

/** The server settings (blank counts as unset). @throws ConfigError naming the variable. */
export function producerServerConfigFromEnv(
  env: Record<string, string | undefined> = process.env,
): ProducerServerConfig {
  const set = Object.fromEntries(
    Object.entries(env).filter(([name, v]) => name in producerServerEnvSchema.shape && v?.trim()),
  );
  const parsed = producerServerEnvSchema.safeParse(set);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`invalid producer settings: ${issue.path.join('.')}: ${issue.message}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

const STATES = ['idle', 'starting', 'running', 'stopping', 'stopped', 'failed'] as const;

/** Registers the producer's metrics in `registry`; their values come from `stats()` at each scrape. */
export function registerProducerMetrics(registry: Registry, stats: () => ProducerStats): void {
  const registers = [registry];
  const total = (name: string, help: string, value: (s: ProducerStats) => number) =>
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(value(stats()));
      },
    });
  total('producer_events_generated_total', 'Records handed to the Kafka client', (s) => s.generated);
  total('producer_events_sent_total', 'Records the broker acknowledged', (s) => s.sent);
  total('producer_events_failed_total', 'Records of sends that failed after retries', (s) => s.failed);
  total('producer_bytes_sent_total', 'Bytes of acknowledged values', (s) => s.bytes);
  total('producer_send_errors_total', 'Failed sends', (s) => s.errors);
  new Counter({
    name: 'producer_faults_sent_total',
    help: 'Acknowledged records with an injected fault, by kind',
    labelNames: ['fault'],
    registers,
    collect() {
      this.reset();
      for (const [fault, n] of Object.entries(stats().faults)) this.inc({ fault }, n);
    },
  });
  new Gauge({
    name: 'producer_in_flight_events',
    help: 'Records in sends not settled yet',
    registers,
    collect() {
      this.set(stats().inFlight);
    },
  });
  new Gauge({
    name: 'producer_rate_events_per_second',
    help: 'Acknowledged records per second since the start',
    registers,
    collect() {
      this.set(stats().ratePerS);
    },
  });
  new Gauge({
    name: 'producer_state',
    help: 'The producer state (1 for the current one)',
    labelNames: ['state'],
    registers,
    collect() {
      const current = stats().state;
      for (const state of STATES) this.set({ state }, state === current ? 1 : 0);
    },
  });
}
