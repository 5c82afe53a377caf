// The producer's settings from the environment: defaults, every variable, clear refusals.

import { ConfigError } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';
import { producerConfigFromEnv } from '../../../services/src/producer/producerConfigFromEnv.js';

describe('producerConfigFromEnv', () => {
  it('has defaults for everything, the seed from the clock', () => {
    const config = producerConfigFromEnv({});
    expect(Number.isSafeInteger(config.seed)).toBe(true);
    expect({ ...config, seed: 0 }).toMatchInlineSnapshot(`
      {
        "acks": -1,
        "batchSize": 1000,
        "compression": "none",
        "countries": [
          "US",
          "UK",
          "CA",
          "DE",
          "FR",
        ],
        "currencies": [
          "USD",
          "GBP",
          "CAD",
          "EUR",
        ],
        "durationS": 0,
        "faults": {
          "duplicate": 0,
          "late": 0,
          "lateMaxMs": 7200000,
          "lateMinMs": 120000,
          "malformedJson": 0,
          "missingField": 0,
          "unknownEventType": 0,
          "wrongType": 0,
        },
        "lingerMs": 20,
        "maxEvents": 0,
        "maxInFlight": 4,
        "products": 500,
        "rate": 10,
        "seed": 0,
        "statsIntervalS": 10,
        "users": 10000,
      }
    `);
  });

  it('reads every variable', () => {
    const config = producerConfigFromEnv({
      PRODUCER_RATE: '50000',
      PRODUCER_DURATION_S: '60',
      PRODUCER_MAX_EVENTS: '1000000',
      PRODUCER_SEED: '42',
      PRODUCER_COUNTRIES: 'us, uk',
      PRODUCER_CURRENCIES: 'USD,GBP',
      PRODUCER_USERS: '500',
      PRODUCER_PRODUCTS: '50',
      PRODUCER_FAULT_MALFORMED: '0.01',
      PRODUCER_FAULT_MISSING: '0.02',
      PRODUCER_FAULT_WRONG_TYPE: '0.03',
      PRODUCER_FAULT_UNKNOWN_TYPE: '0.04',
      PRODUCER_FAULT_DUPLICATE: '0.05',
      PRODUCER_FAULT_LATE: '0.06',
      PRODUCER_LATE_MIN_S: '60',
      PRODUCER_LATE_MAX_S: '600',
      PRODUCER_BATCH_SIZE: '2000',
      PRODUCER_MAX_IN_FLIGHT: '8',
      PRODUCER_LINGER_MS: '5',
      PRODUCER_COMPRESSION: 'gzip',
      PRODUCER_ACKS: '1',
      PRODUCER_STATS_INTERVAL_S: '0',
      UNRELATED: 'x',
    });
    expect(config).toMatchInlineSnapshot(`
      {
        "acks": 1,
        "batchSize": 2000,
        "compression": "gzip",
        "countries": [
          "US",
          "UK",
        ],
        "currencies": [
          "USD",
          "GBP",
        ],
        "durationS": 60,
        "faults": {
          "duplicate": 0.05,
          "late": 0.06,
          "lateMaxMs": 600000,
          "lateMinMs": 60000,
          "malformedJson": 0.01,
          "missingField": 0.02,
          "unknownEventType": 0.04,
          "wrongType": 0.03,
        },
        "lingerMs": 5,
        "maxEvents": 1000000,
        "maxInFlight": 8,
        "products": 50,
        "rate": 50000,
        "seed": 42,
        "statsIntervalS": 0,
        "users": 500,
      }
    `);
  });

  it('takes `max` as the rate and ignores blank variables', () => {
    expect(producerConfigFromEnv({ PRODUCER_RATE: 'max', PRODUCER_SEED: ' ' }).rate).toBe('max');
  });

  it('names every invalid variable', () => {
    expect(() =>
      producerConfigFromEnv({
        PRODUCER_RATE: 'fast',
        PRODUCER_FAULT_LATE: '2',
        PRODUCER_COMPRESSION: 'zstd',
        PRODUCER_BATCH_SIZE: '0',
      }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ConfigError: invalid producer settings: PRODUCER_RATE: expected events per second (a positive number) or max; PRODUCER_FAULT_LATE: Too big: expected number to be <=1; PRODUCER_BATCH_SIZE: Too small: expected number to be >=1; PRODUCER_COMPRESSION: Invalid option: expected one of "none"|"gzip"]`,
    );
  });

  it('refuses settings the generator cannot honour', () => {
    expect(() => producerConfigFromEnv({ PRODUCER_COUNTRIES: 'US,JP' })).toThrow(ConfigError);
    expect(() =>
      producerConfigFromEnv({ PRODUCER_COUNTRIES: 'UK', PRODUCER_CURRENCIES: 'USD' }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ConfigError: invalid producer settings: no country left: none of the countries has its home currency among the currencies]`,
    );
    expect(() =>
      producerConfigFromEnv({ PRODUCER_FAULT_DUPLICATE: '0.6', PRODUCER_FAULT_LATE: '0.6' }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ConfigError: invalid producer settings: fault rates add up to 1.2, more than 1]`,
    );
  });
});
