// The zod schema is the single source of truth of what a valid event is; parseRawEvent's
// hand-written fast path must give the same answer (accept or reject) and the same event on a
// large random corpus of near-valid and broken inputs.

import {
  createEventGenerator,
  ecommerceEventSchema,
  parseRawEvent,
} from '@rt-lakehouse/kernel-helpers/events';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../kernel-helpers/src/events/createRandom.js';
import { parseEventFast } from '../../../kernel-helpers/src/events/parseEventFast.js';

const HOUR = 60 * 60 * 1000;
const now = Date.now();
const random = createRandom(20_250_301);

// Interesting values per field: valid spellings, near misses and wrong types.
const common: unknown[] = [
  undefined,
  null,
  '',
  ' ',
  0,
  -1,
  1.5,
  true,
  false,
  [],
  {},
  ['x'],
  { a: 1 },
  'null',
];
const pools: Record<string, unknown[]> = {
  event_id: [
    '0B7C1A2E-5D4F-4E3A-9B8C-7D6E5F4A3B2C',
    ' 0b7c1a2e-5d4f-4e3a-9b8c-7d6e5f4a3b2c ',
    '0b7c1a2e-5d4f-4e3a-9b8c-7d6e5f4a3b2',
    '0b7c1a2e5d4f4e3a9b8c7d6e5f4a3b2c',
    '0b7c1a2e-5d4f-4e3a-9b8c-7d6e5f4a3b2g',
    '00000000-0000-0000-0000-000000000000',
    '0b7c1a2e_5d4f_4e3a_9b8c_7d6e5f4a3b2c',
    'x0b7c1a2e-5d4f-4e3a-9b8c-7d6e5f4a3b2',
    12345,
  ],
  user_id: [
    'u',
    ' u ',
    '\tuser\n',
    'user_000001',
    42,
    '0',
    '\u00a0u\u00a0',
    '\u0001u',
    'u\u007f',
    '\ufeff',
    'é',
  ],
  event_type: ['page_view', 'PAGE_VIEW', ' purchase ', 'Add_To_Cart', 'refund', 'purchases', 'page view', 3],
  price: [
    0,
    -0,
    12.5,
    '12.50',
    ' 3 ',
    '1e3',
    '1e999',
    '-1',
    '-0',
    '0x10',
    'Infinity',
    'NaN',
    '12,50',
    '.5',
    '5.',
    1e308,
  ],
  quantity: [1, 2, '2', '2.0', ' 7 ', 0, -3, 1.5, '1.5', 2 ** 31 - 1, 2 ** 31, 2 ** 53, '1e2', 'two'],
  discount: [0, 2.5, '2.5', '-0.01', -0.01, 'none', '0'],
  currency: ['USD', 'usd', ' gbp', 'Cad', 'EUR', 'JPY', 'US D', 840],
  ts: [
    new Date(now - HOUR).toISOString(),
    new Date(now + 23 * HOUR).toISOString(),
    new Date(now + 25 * HOUR).toISOString(),
    now - HOUR,
    now + 48 * HOUR,
    String(now - HOUR),
    ` ${now - HOUR} `,
    '2025-03-01T18:30:00Z',
    '2025-03-01t18:30:00z',
    '2025-03-01 18:30:00',
    '2025-03-01T18:30',
    '2025-03-01T18:30:00.123456789+05:30',
    '2025-03-01T18:30:00,5-08',
    '2025-03-01T18:30:00+24:00',
    '2025-02-29T00:00:00Z',
    '2024-02-29T00:00:00Z',
    '2100-02-29T00:00:00Z',
    '2000-02-29T00:00:00Z',
    '2025-13-01T00:00:00Z',
    '2025-04-31T00:00:00Z',
    '2025-03-01T23:59:60Z',
    '2025-03-01',
    '1999-12-31T23:59:59.999Z',
    '2000-01-01T00:00:00.000Z',
    '0099-01-01T00:00:00Z',
    ' 2025-03-01T18:30:00.000Z ',
    'yesterday',
    1_740_853_800,
    1e20,
    -1,
  ],
  ua: ['', '  ', 'Mozilla/5.0', ' padded ', '\u2028x', 'x\u0001', '\u3000'],
  country: ['US', 'uk', 'GB', 'gbr', 'usa', 'JP', 'Narnia', 'U', 'U S', 826],
  device_type: ['desktop', 'Mobile', ' TABLET ', 'watch', 'mobile phone'],
  referrer: ['google', 'Google', ' direct ', 'x', 'https://example.com/A', '\u00a0bing', 'EMAIL'],
};

function mutated(base: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = { ...base };
  const changes = 1 + random.int(3);
  for (let i = 0; i < changes; i++) {
    const fields = Object.keys(pools);
    const field = fields[random.int(fields.length)]!;
    const pool = random.chance(0.75) ? (pools[field] ?? common) : common;
    const value = pool[random.int(pool.length)];
    if (value === undefined) delete input[field];
    else input[field] = value;
  }
  if (random.chance(0.05)) input['extra'] = { nested: true };
  return input;
}

describe('fast path and zod schema', () => {
  const base = createEventGenerator({ seed: 5, start: now - 2 * HOUR, eventsPerSecond: 5 })
    .take(500)
    .map((record) => JSON.parse(record.value) as Record<string, unknown>);

  it('agree on 30,000 mutated events', () => {
    let accepted = 0;
    const disagreements: string[] = [];
    for (let i = 0; i < 30_000; i++) {
      const input = mutated(base[i % base.length]!);
      const fast = parseEventFast(input, Date.now());
      const checked = ecommerceEventSchema.safeParse(input);
      if ((fast !== undefined) !== checked.success) {
        disagreements.push(`${JSON.stringify(input)}: fast ${fast !== undefined}, zod ${checked.success}`);
      } else if (fast !== undefined && checked.success) {
        accepted++;
        expect(fast).toEqual(checked.data);
      }
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
    // The corpus exercises both answers in earnest.
    expect(accepted).toBeGreaterThan(3_000);
    expect(accepted).toBeLessThan(27_000);
  });

  it('agree on every generated event, unmodified', () => {
    for (const input of base) {
      const checked = ecommerceEventSchema.safeParse(input);
      expect(checked.success).toBe(true);
      expect(parseEventFast(input, Date.now())).toEqual(checked.success ? checked.data : undefined);
    }
  });

  it('agree on non-objects', () => {
    for (const input of [null, 0, 'x', [], [{}], true]) {
      expect(parseEventFast(input, now)).toBeUndefined();
      expect(ecommerceEventSchema.safeParse(input).success).toBe(false);
    }
  });

  it('parseRawEvent accepts exactly what JSON.parse + the schema accept, on character-level damage', () => {
    const texts = base.map((event) => JSON.stringify(event));
    const damage = ['"', '{', '}', ',', ':', ' ', '\\', '0', 'a', '\n', '\u0000', 'é'];
    for (let i = 0; i < 10_000; i++) {
      let text = texts[i % texts.length]!;
      const at = random.int(text.length);
      const kind = random.int(3);
      const piece = damage[random.int(damage.length)]!;
      if (kind === 0) text = text.slice(0, at) + text.slice(at + 1);
      else if (kind === 1) text = text.slice(0, at) + piece + text.slice(at);
      else text = text.slice(0, at) + piece + text.slice(at + 1);
      let reference: boolean;
      try {
        reference = ecommerceEventSchema.safeParse(JSON.parse(text)).success;
      } catch {
        reference = false;
      }
      const result = parseRawEvent(text);
      expect(result.success, text).toBe(reference);
      if (!result.success && !reference) {
        expect(result.code).toMatch(
          /^(malformed_json|missing_field|invalid_type|unknown_event_type|invalid_value|empty_value)$/,
        );
      }
    }
  });
});
