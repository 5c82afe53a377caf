// Settings of the producer service, parsed once from the environment (names follow the original
// RT-Lakehouse: PRODUCER_RATE, PRODUCER_COUNTRIES, PRODUCER_CURRENCIES). Kafka's own settings
// (KAFKA_BROKERS, KAFKA_TOPIC, KAFKA_PARTITIONS...) are read by kafkaConfigFromEnv.

import {
  ConfigError,
  CURRENCIES,
  type Currency,
  createEventGenerator,
  DEFAULT_COUNTRIES,
  type FaultRates,
} from '@rt-lakehouse/kernel-helpers';
import { z } from 'zod';

const list = z.string().transform((text) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== ''),
);
const rate = z.coerce.number().min(0).max(1).default(0);

/** The environment variables of the producer, with their defaults. */
export const producerEnvSchema = z.object({
  PRODUCER_RATE: z
    .union([z.literal('max'), z.coerce.number().positive()], {
      error: 'expected events per second (a positive number) or max',
    })
    .default(10)
    .describe('Events per second, or `max` for as fast as the machine and broker allow'),
  PRODUCER_DURATION_S: z.coerce
    .number()
    .min(0)
    .default(0)
    .describe('Stop after this many seconds (0: run until stopped)'),
  PRODUCER_MAX_EVENTS: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .describe('Stop after this many events (0: no limit)'),
  PRODUCER_SEED: z.coerce
    .number()
    .int()
    .refine(Number.isSafeInteger, 'must be a safe integer')
    .optional()
    .describe('Seed of the generator (default: from the clock, logged at start)'),
  PRODUCER_COUNTRIES: list.default([...DEFAULT_COUNTRIES]).describe('Home countries of the users'),
  PRODUCER_CURRENCIES: list.default([...CURRENCIES]).describe('Currencies in use'),
  PRODUCER_USERS: z.coerce.number().int().min(1).default(10_000).describe('Size of the user population'),
  PRODUCER_PRODUCTS: z.coerce.number().int().min(1).default(500).describe('Size of the product catalogue'),
  PRODUCER_FAULT_MALFORMED: rate.describe('Share of records that are not JSON'),
  PRODUCER_FAULT_MISSING: rate.describe('Share of records missing a required field'),
  PRODUCER_FAULT_WRONG_TYPE: rate.describe('Share of records with a field of the wrong type'),
  PRODUCER_FAULT_UNKNOWN_TYPE: rate.describe('Share of records with an unknown event_type'),
  PRODUCER_FAULT_DUPLICATE: rate.describe('Share of records repeating an earlier one (same event_id)'),
  PRODUCER_FAULT_LATE: rate.describe('Share of valid events backdated by minutes to hours'),
  PRODUCER_LATE_MIN_S: z.coerce.number().min(0).default(120).describe('Least lateness of late events'),
  PRODUCER_LATE_MAX_S: z.coerce.number().min(0).default(7_200).describe('Most lateness of late events'),
  PRODUCER_BATCH_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(1_000)
    .describe('Most messages per send'),
  PRODUCER_MAX_IN_FLIGHT: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(4)
    .describe('Sends awaiting acks at once'),
  PRODUCER_LINGER_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(60_000)
    .default(20)
    .describe('Longest wait to fill a batch before sending what is due'),
  PRODUCER_COMPRESSION: z.enum(['none', 'gzip']).default('none').describe('Batch compression'),
  PRODUCER_ACKS: z.enum(['all', '1', '0']).default('all').describe('Acknowledgements the broker waits for'),
  PRODUCER_STATS_INTERVAL_S: z.coerce
    .number()
    .min(0)
    .default(10)
    .describe('Seconds between stats lines (0: only the final one)'),
});

/** The producer's typed settings. */
export interface ProducerConfig {
  /** Events per second, or 'max'. */
  rate: number | 'max';
  /** 0: no time limit. */
  durationS: number;
  /** 0: no count limit. */
  maxEvents: number;
  seed: number;
  countries: string[];
  currencies: Currency[];
  users: number;
  products: number;
  faults: FaultRates;
  batchSize: number;
  maxInFlight: number;
  lingerMs: number;
  compression: 'none' | 'gzip';
  acks: -1 | 0 | 1;
  statsIntervalS: number;
}

/**
 * The producer's settings from `env` (blank variables count as unset). Without PRODUCER_SEED
 * the seed comes from the clock, so that two runs do not send the same event ids.
 * @throws ConfigError naming the variable that is wrong.
 */
export function producerConfigFromEnv(env: Record<string, string | undefined> = process.env): ProducerConfig {
  const set = Object.fromEntries(
    Object.entries(env).filter(([name, value]) => name.startsWith('PRODUCER_') && value?.trim()),
  ) as Record<string, string>;
  const parsed = producerEnvSchema.safeParse(set);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid producer settings: ${problems.join('; ')}`, { cause: parsed.error });
  }
  const e = parsed.data;
  const config: ProducerConfig = {
    rate: e.PRODUCER_RATE,
    durationS: e.PRODUCER_DURATION_S,
    maxEvents: e.PRODUCER_MAX_EVENTS,
    seed: e.PRODUCER_SEED ?? Date.now() % 2 ** 31,
    countries: e.PRODUCER_COUNTRIES.map((country) => country.toUpperCase()),
    currencies: e.PRODUCER_CURRENCIES.map((currency) => currency.toUpperCase()) as Currency[],
    users: e.PRODUCER_USERS,
    products: e.PRODUCER_PRODUCTS,
    faults: {
      malformedJson: e.PRODUCER_FAULT_MALFORMED,
      missingField: e.PRODUCER_FAULT_MISSING,
      wrongType: e.PRODUCER_FAULT_WRONG_TYPE,
      unknownEventType: e.PRODUCER_FAULT_UNKNOWN_TYPE,
      duplicate: e.PRODUCER_FAULT_DUPLICATE,
      late: e.PRODUCER_FAULT_LATE,
      lateMinMs: e.PRODUCER_LATE_MIN_S * 1000,
      lateMaxMs: e.PRODUCER_LATE_MAX_S * 1000,
    },
    batchSize: e.PRODUCER_BATCH_SIZE,
    maxInFlight: e.PRODUCER_MAX_IN_FLIGHT,
    lingerMs: e.PRODUCER_LINGER_MS,
    compression: e.PRODUCER_COMPRESSION,
    acks: e.PRODUCER_ACKS === 'all' ? -1 : e.PRODUCER_ACKS === '1' ? 1 : 0,
    statsIntervalS: e.PRODUCER_STATS_INTERVAL_S,
  };
  // The generator checks what only it knows (countries, currencies, rates adding up): ask it now,
  // so a bad setting stops the service before it connects.
  try {
    createEventGenerator({ ...generatorOptionsOf(config), users: 1, products: 1 });
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new ConfigError(`invalid producer settings: ${error.message.replace(/^[^:]*: /, '')}`, {
        cause: error,
      });
    }
    throw error;
  }
  return config;
}

/** The event generator options for `config`, starting at `start` (epoch ms). */
export function generatorOptionsOf(config: ProducerConfig, start = Date.now()) {
  return {
    seed: config.seed,
    countries: config.countries,
    currencies: config.currencies,
    users: config.users,
    products: config.products,
    faults: config.faults,
    start,
    // Only sizes the pool of concurrent sessions: the service stamps event times itself.
    eventsPerSecond: config.rate === 'max' ? 50_000 : config.rate,
  };
}
