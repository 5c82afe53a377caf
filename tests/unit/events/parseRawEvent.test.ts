// Silver's parse step: every coercion and normalisation rule, every rejection code and its text.

import {
  type EcommerceEvent,
  ecommerceEventSchema,
  eventToJson,
  parseRawEvent,
  type RawEventParseResult,
} from '@rt-lakehouse/kernel-helpers/events';
import { describe, expect, it } from 'vitest';

const wire = {
  event_id: '0b7c1a2e-5d4f-4e3a-9b8c-7d6e5f4a3b2c',
  user_id: 'user_000042',
  session_id: 'sess_00ff00ff00ff00ff',
  product_id: 'prod_0007',
  category_id: 'books',
  event_type: 'add_to_cart',
  price: 12.5,
  quantity: 2,
  discount: 2.5,
  currency: 'GBP',
  ts: '2025-03-01T18:30:00.250Z',
  ua: 'Mozilla/5.0 (X11; Linux x86_64)',
  country: 'UK',
  device_type: 'desktop',
  referrer: 'google',
};

const expected: EcommerceEvent = { ...wire, ts: new Date('2025-03-01T18:30:00.250Z') } as EcommerceEvent;

const parse = (fields: Record<string, unknown>) => parseRawEvent(JSON.stringify({ ...wire, ...fields }));

const without = (field: string) => {
  const copy: Record<string, unknown> = { ...wire };
  delete copy[field];
  return JSON.stringify(copy);
};

const eventOf = (result: RawEventParseResult): EcommerceEvent => {
  if (!result.success) throw new Error(`rejected: ${result.reason}`);
  return result.event;
};

describe('parseRawEvent: valid events', () => {
  it('parses the wire format into the typed event, from a string or a Buffer', () => {
    expect(eventOf(parseRawEvent(JSON.stringify(wire)))).toEqual(expected);
    expect(eventOf(parseRawEvent(Buffer.from(JSON.stringify(wire))))).toEqual(expected);
  });

  it('round-trips through eventToJson byte for byte', () => {
    const json = eventToJson(expected);
    expect(json).toBe(JSON.stringify(wire));
    expect(eventOf(parseRawEvent(json))).toEqual(expected);
  });

  it('drops fields that are not part of the event', () => {
    expect(eventOf(parse({ campaign: 'spring', nested: { a: [1] } }))).toEqual(expected);
  });

  it('accepts unicode text and a zero price', () => {
    const event = eventOf(parse({ ua: 'Navigateur « spécial » 🚀', price: 0, discount: 0 }));
    expect(event.ua).toBe('Navigateur « spécial » 🚀');
    expect(event.price).toBe(0);
  });
});

describe('parseRawEvent: coercion and normalisation', () => {
  it.each([
    ['numeric string price', { price: '12.50' }, { price: 12.5 }],
    ['padded numeric string price', { price: ' 7 ' }, { price: 7 }],
    ['exponent price', { price: '1.25e2' }, { price: 125 }],
    ['quantity as a string', { quantity: '2' }, { quantity: 2 }],
    ['quantity written 3.0', { quantity: 3.0 }, { quantity: 3 }],
    ['discount as a string', { discount: '0.99' }, { discount: 0.99 }],
    ['missing discount', { discount: undefined }, { discount: 0 }],
    ['null discount', { discount: null }, { discount: 0 }],
    ['lower-case currency', { currency: 'usd' }, { currency: 'USD' }],
    ['padded currency', { currency: ' eur ' }, { currency: 'EUR' }],
    ['lower-case country', { country: 'de' }, { country: 'DE' }],
    ['ISO GB for the UK', { country: 'GB' }, { country: 'UK' }],
    ['gb for the UK', { country: 'gb' }, { country: 'UK' }],
    ['USA for the US', { country: 'USA' }, { country: 'US' }],
    ['any two-letter country', { country: 'jp' }, { country: 'JP' }],
    ['capitalised event type with a space', { event_type: 'Purchase ' }, { event_type: 'purchase' }],
    ['upper-case event type', { event_type: 'PAGE_VIEW' }, { event_type: 'page_view' }],
    ['capitalised device type', { device_type: ' Mobile' }, { device_type: 'mobile' }],
    ['capitalised referrer', { referrer: 'Facebook' }, { referrer: 'facebook' }],
    ['upper-case event id', { event_id: wire.event_id.toUpperCase() }, { event_id: wire.event_id }],
    ['padded ids', { user_id: ' user_000042 ', product_id: 'prod_0007\t' }, {}],
    ['ts as epoch milliseconds', { ts: Date.parse(wire.ts) }, {}],
    ['ts as a string of epoch milliseconds', { ts: String(Date.parse(wire.ts)) }, {}],
    ['ts without an offset (UTC)', { ts: '2025-03-01T18:30:00.250' }, {}],
    ['ts with a space separator', { ts: '2025-03-01 18:30:00.250Z' }, {}],
    ['ts with an offset', { ts: '2025-03-01T19:30:00.250+01:00' }, {}],
    ['ts with a compact offset', { ts: '2025-03-01T13:30:00.250-0500' }, {}],
    ['ts with microseconds', { ts: '2025-03-01T18:30:00.250999Z' }, {}],
    ['ts without seconds', { ts: '2025-03-01T18:30Z' }, { ts: new Date('2025-03-01T18:30:00Z') }],
    ['ts on a leap day', { ts: '2024-02-29T00:00:00Z' }, { ts: new Date('2024-02-29T00:00:00Z') }],
    ['empty user agent', { ua: '' }, { ua: '' }],
  ])('%s', (_name, fields, changes) => {
    expect(eventOf(parse(fields))).toEqual({ ...expected, ...changes });
  });

  it('agrees with the zod schema on every rule above', () => {
    const input = {
      ...wire,
      price: '12.50',
      currency: 'usd',
      country: 'gb',
      event_type: 'Purchase ',
      ts: Date.parse(wire.ts),
    };
    const checked = ecommerceEventSchema.safeParse(input);
    expect(checked.success && checked.data).toEqual(eventOf(parseRawEvent(JSON.stringify(input))));
  });
});

describe('parseRawEvent: rejections', () => {
  const rejection = (result: RawEventParseResult) =>
    result.success ? 'accepted' : `${result.code}: ${result.reason}`;

  it('names the code and the offending field', () => {
    const cases = {
      'null value': parseRawEvent(null),
      'empty value': parseRawEvent(''),
      'empty Buffer': parseRawEvent(Buffer.alloc(0)),
      truncated: parseRawEvent(JSON.stringify(wire).slice(0, 40)),
      'not JSON': parseRawEvent('user_000042 viewed prod_0007'),
      'single quotes': parseRawEvent(JSON.stringify(wire).replaceAll('"', "'")),
      'trailing brace': parseRawEvent(`${JSON.stringify(wire)}}`),
      'JSON array': parseRawEvent('[1, 2]'),
      'JSON string': parseRawEvent('"page_view"'),
      'JSON null': parseRawEvent('null'),
      'missing user_id': parseRawEvent(without('user_id')),
      'null session_id': parse({ session_id: null }),
      'missing ts': parseRawEvent(without('ts')),
      'price not a number': parse({ price: 'abc' }),
      'price a boolean': parse({ price: true }),
      'quantity a fraction': parse({ quantity: 1.5 }),
      'quantity in words': parse({ quantity: 'two' }),
      'user_id a number': parse({ user_id: 40213 }),
      'session_id an object': parse({ session_id: { id: 7 } }),
      'currency a number': parse({ currency: 840 }),
      'ts a boolean': parse({ ts: true }),
      'ua a number': parse({ ua: 42 }),
      'discount a word': parse({ discount: 'none' }),
      'unknown event type': parse({ event_type: 'refund' }),
      'unknown event type, capitalised': parse({ event_type: 'Wishlist_Add' }),
      'negative price': parse({ price: -5 }),
      'negative discount string': parse({ discount: '-1' }),
      'zero quantity': parse({ quantity: 0 }),
      'quantity beyond int32': parse({ quantity: 2 ** 31 }),
      'unsupported currency': parse({ currency: 'jpy' }),
      'unknown device type': parse({ device_type: 'watch' }),
      'bad country': parse({ country: 'Narnia' }),
      'bad UUID': parse({ event_id: 'evt-123' }),
      'unparseable ts': parse({ ts: 'yesterday' }),
      'impossible date': parse({ ts: '2025-02-30T10:00:00Z' }),
      'hour 24': parse({ ts: '2025-03-01T24:00:00Z' }),
      'epoch seconds for milliseconds': parse({ ts: 1_740_853_800 }),
      'year 0050': parse({ ts: '0050-01-01T00:00:00Z' }),
      'empty user_id': parse({ user_id: '' }),
      'blank product_id': parse({ product_id: '   ' }),
      'empty event_type': parse({ event_type: ' ' }),
      'empty referrer': parse({ referrer: '' }),
      'several problems': parse({ user_id: '', price: -1, quantity: 'x', currency: 'XXX', country: 1 }),
    };
    expect(
      Object.fromEntries(Object.entries(cases).map(([name, result]) => [name, rejection(result)])),
    ).toMatchInlineSnapshot(`
        {
          "JSON array": "invalid_type: expected a JSON object, got an array",
          "JSON null": "invalid_type: expected a JSON object, got null",
          "JSON string": "invalid_type: expected a JSON object, got "page_view"",
          "bad UUID": "invalid_value: field event_id: not a UUID: "evt-123"",
          "bad country": "invalid_value: field country: not a two-letter country code: "Narnia"",
          "blank product_id": "empty_value: field product_id: empty string",
          "currency a number": "invalid_type: field currency: expected a string, got 840",
          "discount a word": "invalid_type: field discount: expected a number, got "none"",
          "empty Buffer": "empty_value: empty record: the value is null or zero-length",
          "empty event_type": "empty_value: field event_type: empty string",
          "empty referrer": "empty_value: field referrer: empty string",
          "empty user_id": "empty_value: field user_id: empty string",
          "empty value": "empty_value: empty record: the value is null or zero-length",
          "epoch seconds for milliseconds": "invalid_value: field ts: 1970-01-21T03:34:13.800Z is before 2000-01-01 (epoch seconds instead of milliseconds?)",
          "hour 24": "invalid_value: field ts: unparseable timestamp "2025-03-01T24:00:00Z"",
          "impossible date": "invalid_value: field ts: unparseable timestamp "2025-02-30T10:00:00Z"",
          "missing ts": "missing_field: missing required field: ts",
          "missing user_id": "missing_field: missing required field: user_id",
          "negative discount string": "invalid_value: field discount: must be ≥ 0, got "-1"",
          "negative price": "invalid_value: field price: must be ≥ 0, got -5",
          "not JSON": "malformed_json: malformed JSON: Unexpected token 'u', "user_00004"... is not valid JSON",
          "null session_id": "missing_field: missing required field: session_id",
          "null value": "empty_value: empty record: the value is null or zero-length",
          "price a boolean": "invalid_type: field price: expected a number, got true",
          "price not a number": "invalid_type: field price: expected a number, got "abc"",
          "quantity a fraction": "invalid_type: field quantity: expected an integer, got 1.5",
          "quantity beyond int32": "invalid_value: field quantity: must be ≤ 2147483647, got 2147483648",
          "quantity in words": "invalid_type: field quantity: expected an integer, got "two"",
          "session_id an object": "invalid_type: field session_id: expected a string, got an object",
          "several problems": "empty_value: field user_id: empty string; field price: must be ≥ 0, got -1; field quantity: expected an integer, got "x"; and 2 more",
          "single quotes": "malformed_json: malformed JSON: Expected property name or '}' in JSON at position 1",
          "trailing brace": "malformed_json: malformed JSON: Unexpected non-whitespace character after JSON at position 374",
          "truncated": "malformed_json: malformed JSON: Unterminated string in JSON at position 40",
          "ts a boolean": "invalid_type: field ts: expected an ISO 8601 timestamp or epoch milliseconds, got true",
          "ua a number": "invalid_type: field ua: expected a string, got 42",
          "unknown device type": "invalid_value: field device_type: unknown device type "watch" (expected one of desktop, mobile, tablet)",
          "unknown event type": "unknown_event_type: unknown event_type: refund",
          "unknown event type, capitalised": "unknown_event_type: unknown event_type: wishlist_add",
          "unparseable ts": "invalid_value: field ts: unparseable timestamp "yesterday"",
          "unsupported currency": "invalid_value: field currency: unsupported currency "JPY" (expected one of USD, GBP, CAD, EUR)",
          "user_id a number": "invalid_type: field user_id: expected a string, got 40213",
          "year 0050": "invalid_value: field ts: 0050-01-01T00:00:00.000Z is before 2000-01-01",
          "zero quantity": "invalid_value: field quantity: must be ≥ 1, got 0",
        }
      `);
  });

  it('rejects event times more than a day ahead of the clock, not less', () => {
    const result = parse({ ts: new Date(Date.now() + 25 * 60 * 60 * 1000).toISOString() });
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.code).toBe('invalid_value');
      expect(result.reason).toMatch(/^field ts: \d{4}-.*Z is more than 1 day in the future$/);
    }
    expect(parse({ ts: new Date(Date.now() + 23 * 60 * 60 * 1000).toISOString() }).success).toBe(true);
  });

  it('quotes long values shortened', () => {
    const result = parse({ price: 'x'.repeat(100) });
    expect(rejection(result)).toMatchInlineSnapshot(
      `"invalid_type: field price: expected a number, got "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…""`,
    );
  });
});
