// The synthetic commerce generator: determinism, realistic distributions, seasonality and
// bad data at exact rates, each bad record rejected by parseRawEvent with the expected code.

import {
  createEventGenerator,
  type EcommerceEvent,
  eventToJson,
  FAULT_KINDS,
  FAULT_REJECTION_CODE,
  type FaultKind,
  type GeneratedRecord,
  HOME_CURRENCY,
  historyPlan,
  parseRawEvent,
} from '@rt-lakehouse/kernel-helpers/events';
import { beforeAll, describe, expect, it } from 'vitest';

const DAY = 24 * 60 * 60 * 1000;
// A Monday at midnight UTC, a week before "now" for the parser's future check.
const monday = Date.UTC(2025, 2, 3);

const eventOf = (record: GeneratedRecord): EcommerceEvent => {
  const parsed = parseRawEvent(record.value);
  if (!parsed.success) throw new Error(`generated record rejected: ${parsed.reason}\n${record.value}`);
  return parsed.event;
};

const distinct = <T>(values: Iterable<T>) => new Set(values).size;

describe('createEventGenerator: determinism', () => {
  const options = {
    seed: 11,
    start: monday,
    faults: { malformedJson: 0.02, missingField: 0.02, wrongType: 0.02, duplicate: 0.02, late: 0.02 },
  };

  it('gives byte-identical records for the same seed', () => {
    const first = createEventGenerator(options).take(5_000);
    const second = createEventGenerator(options).take(5_000);
    expect(second).toEqual(first);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it('gives different records for another seed', () => {
    const a = createEventGenerator(options).take(1_000);
    const b = createEventGenerator({ ...options, seed: 12 }).take(1_000);
    const shared = new Set(a.map((record) => record.value));
    expect(b.filter((record) => shared.has(record.value))).toEqual([]);
  });

  it('keeps the content when the caller stamps event times (live mode)', () => {
    const own = createEventGenerator({ seed: 3, start: monday }).take(200);
    const live = createEventGenerator({ seed: 3, start: monday });
    const stamped = own.map((_, i) => live.next(monday + i * 1_000)!);
    const withoutTs = (record: GeneratedRecord) => record.value.replace(/"ts":"[^"]*"/, '');
    expect(stamped.map(withoutTs)).toEqual(own.map(withoutTs));
    expect(stamped.map((record) => record.ts)).toEqual(own.map((_, i) => monday + i * 1_000));
  });

  it('prints a sample record in the wire format', () => {
    const [record] = createEventGenerator({ seed: 1, start: monday }).take(1);
    expect(JSON.parse(record!.value)).toMatchInlineSnapshot(`
      {
        "category_id": "books",
        "country": "FR",
        "currency": "EUR",
        "device_type": "mobile",
        "discount": 0,
        "event_id": "893cd5be-87ef-43c6-b7d4-e90347cd7c21",
        "event_type": "page_view",
        "price": 27.99,
        "product_id": "prod_0262",
        "quantity": 1,
        "referrer": "google",
        "session_id": "sess_c9ec2ae8793aca2b",
        "ts": "2025-03-03T00:00:00.200Z",
        "ua": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
        "user_id": "user_008920",
      }
    `);
  });
});

describe('createEventGenerator: 100,000 events look like a shop', () => {
  let records: GeneratedRecord[];
  let events: EcommerceEvent[];

  beforeAll(() => {
    records = createEventGenerator({ seed: 2025, start: monday, eventsPerSecond: 10 }).take(100_000);
    events = records.map(eventOf);
  });

  it('every record is valid, keyed by its user and in event-time order', () => {
    expect(records.every((record) => record.fault === undefined)).toBe(true);
    const wrong = records.filter(
      (record, i) =>
        record.key !== events[i]!.user_id ||
        record.ts !== events[i]!.ts.getTime() ||
        (i > 0 && record.ts < records[i - 1]!.ts),
    );
    expect(wrong).toEqual([]);
    expect(distinct(events.map((event) => event.event_id))).toBe(events.length);
    // The wire text is exactly what JSON.stringify writes, and what eventToJson writes.
    const notCanonical = records.filter(
      (record, i) =>
        record.value !== JSON.stringify(JSON.parse(record.value)) || record.value !== eventToJson(events[i]!),
    );
    expect(notCanonical).toEqual([]);
  });

  it('walks the funnel: many views, fewer carts, fewer purchases', () => {
    const count = (type: string) => events.filter((event) => event.event_type === type).length;
    const views = count('page_view');
    const carts = count('add_to_cart');
    const purchases = count('purchase');
    expect(views).toBeGreaterThan(20 * carts);
    expect(carts).toBeGreaterThan(purchases);
    expect(purchases).toBeGreaterThan(100);
    // Cart abandonment = 1 - purchases / cart adds.
    const abandonment = 1 - purchases / carts;
    expect(abandonment).toBeGreaterThan(0.6);
    expect(abandonment).toBeLessThan(0.75);
  });

  it('converts 2-5% of viewing users', () => {
    const viewers = new Set(events.filter((e) => e.event_type === 'page_view').map((e) => e.user_id));
    const buyers = new Set(events.filter((e) => e.event_type === 'purchase').map((e) => e.user_id));
    const conversion = buyers.size / viewers.size;
    expect(conversion).toBeGreaterThan(0.02);
    expect(conversion).toBeLessThan(0.05);
    for (const buyer of buyers) expect(viewers.has(buyer)).toBe(true);
  });

  it('buys only what a session put in its cart, at the price it was carted', () => {
    const carted = new Map<string, EcommerceEvent>();
    for (const event of events) {
      const line = `${event.session_id}/${event.product_id}`;
      if (event.event_type === 'add_to_cart') carted.set(line, event);
      if (event.event_type === 'purchase') {
        const cart = carted.get(line);
        expect(cart).toBeDefined();
        expect([event.price, event.quantity, event.currency]).toEqual([
          cart!.price,
          cart!.quantity,
          cart!.currency,
        ]);
        expect(event.ts.getTime()).toBeGreaterThanOrEqual(cart!.ts.getTime());
      }
    }
  });

  it('prices every user in the currency of the home country, one country per user', () => {
    const countryOf = new Map<string, string>();
    const wrong = events.filter((event) => {
      const known = countryOf.get(event.user_id) ?? event.country;
      countryOf.set(event.user_id, event.country);
      return event.currency !== HOME_CURRENCY[event.country] || known !== event.country;
    });
    expect(wrong).toEqual([]);
    const share = (country: string) => events.filter((e) => e.country === country).length / events.length;
    expect(share('US')).toBeGreaterThan(0.3);
    expect(share('US')).toBeLessThan(0.55);
    for (const country of ['UK', 'CA', 'DE', 'FR']) expect(share(country)).toBeGreaterThan(0.05);
  });

  it('matches user agents to devices, and mixes devices and referrers', () => {
    const fits: Record<string, (ua: string) => boolean> = {
      tablet: (ua) => ua.includes('iPad') || (ua.includes('Android') && !ua.includes('Mobile')),
      mobile: (ua) => /(iPhone|Android).*Mobile/.test(ua),
      desktop: (ua) => /Windows|Macintosh|X11/.test(ua),
    };
    expect(events.filter((event) => !fits[event.device_type]!(event.ua))).toEqual([]);
    const share = (device: string) => events.filter((e) => e.device_type === device).length / events.length;
    expect(share('mobile')).toBeGreaterThan(share('desktop'));
    expect(share('desktop')).toBeGreaterThan(share('tablet'));
    expect(share('tablet')).toBeGreaterThan(0.03);
    const referrers = new Set(events.map((e) => e.referrer));
    expect([...referrers].sort()).toEqual([
      'affiliate',
      'bing',
      'direct',
      'email',
      'facebook',
      'google',
      'instagram',
    ]);
  });

  it('spreads views over a catalogue of about 500 products in 20 categories, some discounted', () => {
    expect(distinct(events.map((e) => e.product_id))).toBeGreaterThan(450);
    expect(distinct(events.map((e) => e.category_id))).toBe(20);
    const discounted = events.filter((e) => e.discount > 0);
    expect(discounted.length / events.length).toBeGreaterThan(0.05);
    expect(discounted.filter((e) => e.discount > e.price * e.quantity * 0.3 + 0.01)).toEqual([]);
    // Prices follow the category: computers cost more than books.
    const medianPrice = (category: string) => {
      const prices = events
        .filter((e) => e.category_id === category && e.currency === 'USD')
        .map((e) => e.price);
      return prices.sort((a, b) => a - b)[Math.floor(prices.length / 2)]!;
    };
    expect(medianPrice('computers')).toBeGreaterThan(5 * medianPrice('books'));
  });

  it('groups events into sessions of one user, device and referrer', () => {
    const sessions = new Map<string, EcommerceEvent>();
    const wrong = events.filter((event) => {
      const first = sessions.get(event.session_id) ?? event;
      sessions.set(event.session_id, first);
      return (
        event.user_id !== first.user_id ||
        event.device_type !== first.device_type ||
        event.referrer !== first.referrer ||
        event.ua !== first.ua
      );
    });
    expect(wrong).toEqual([]);
    const perSession = events.length / sessions.size;
    expect(perSession).toBeGreaterThan(3);
    expect(perSession).toBeLessThan(10);
  });
});

describe('createEventGenerator: event time', () => {
  it('runs at the asked rate on average', () => {
    const records = createEventGenerator({
      seed: 4,
      start: monday,
      eventsPerSecond: 100,
      seasonality: false,
    }).take(50_000);
    const seconds = (records.at(-1)!.ts - monday) / 1000;
    expect(50_000 / seconds).toBeGreaterThan(95);
    expect(50_000 / seconds).toBeLessThan(105);
  });

  it('stops at end', () => {
    const generator = createEventGenerator({
      seed: 4,
      start: monday,
      end: monday + 60_000,
      eventsPerSecond: 10,
      seasonality: false,
    });
    const records = [...generator];
    expect(records.length).toBeGreaterThan(450);
    expect(records.length).toBeLessThan(750);
    expect(records.every((record) => record.ts >= monday && record.ts <= monday + 60_000)).toBe(true);
    expect(generator.next()).toBeUndefined();
  });

  it('follows the day: evenings busier than nights, weekends unlike weekdays', () => {
    const records = createEventGenerator({
      seed: 9,
      start: monday,
      end: monday + 14 * DAY,
      count: 100_000,
    }).take(200_000);
    expect(records).toHaveLength(100_000);
    const byHour = new Array<number>(24).fill(0);
    const weekdayHours = new Array<number>(24).fill(0);
    const weekendHours = new Array<number>(24).fill(0);
    for (const record of records) {
      const date = new Date(record.ts);
      byHour[date.getUTCHours()]!++;
      const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
      (weekend ? weekendHours : weekdayHours)[date.getUTCHours()]!++;
    }
    const evening = byHour[19]! + byHour[20]! + byHour[21]!;
    const night = byHour[2]! + byHour[3]! + byHour[4]!;
    expect(evening).toBeGreaterThan(4 * night);
    // At weekends the morning is quieter and the afternoon busier than on weekdays (per day).
    const perDay = (hours: number[], from: number, to: number, days: number) =>
      hours.slice(from, to).reduce((a, b) => a + b, 0) / days;
    expect(perDay(weekendHours, 11, 17, 4)).toBeGreaterThan(1.15 * perDay(weekdayHours, 11, 17, 10));
    expect(perDay(weekendHours, 6, 9, 4)).toBeLessThan(perDay(weekdayHours, 6, 9, 10));
  });
});

describe('createEventGenerator: bad data', () => {
  const rates = {
    malformedJson: 0.01,
    missingField: 0.02,
    wrongType: 0.015,
    unknownEventType: 0.005,
    duplicate: 0.03,
    late: 0.01,
  };
  const start = Date.now() - 3 * DAY;
  let records: GeneratedRecord[];

  beforeAll(() => {
    records = createEventGenerator({ seed: 77, start, eventsPerSecond: 20, faults: rates }).take(100_000);
  });

  it('injects each kind at its rate, exact to one record', () => {
    const counts = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
    for (const record of records) if (record.fault !== undefined) counts[record.fault]++;
    expect(counts).toEqual({
      malformed_json: expect.toSatisfy((n: number) => Math.abs(n - 1_000) <= 1),
      missing_field: expect.toSatisfy((n: number) => Math.abs(n - 2_000) <= 1),
      wrong_type: expect.toSatisfy((n: number) => Math.abs(n - 1_500) <= 1),
      unknown_event_type: expect.toSatisfy((n: number) => Math.abs(n - 500) <= 1),
      duplicate: expect.toSatisfy((n: number) => Math.abs(n - 3_000) <= 1),
      late: expect.toSatisfy((n: number) => Math.abs(n - 1_000) <= 1),
    });
  });

  it('places faults at random, not on a fixed stride', () => {
    const positions = records.flatMap((record, i) => (record.fault === 'malformed_json' ? [i] : []));
    const gaps = new Set(positions.slice(1).map((position, i) => position - positions[i]!));
    expect(gaps.size).toBeGreaterThan(50);
  });

  it('makes every bad record fail parseRawEvent with the expected code', () => {
    const wrong = records.flatMap((record) => {
      const parsed = parseRawEvent(record.value);
      const outcome = parsed.success ? 'accepted' : parsed.code;
      const expected = (record.fault && FAULT_REJECTION_CODE[record.fault]) ?? 'accepted';
      return outcome === expected ? [] : [`${record.fault}: ${outcome} ${record.value}`];
    });
    expect(wrong).toEqual([]);
  });

  it('repeats an earlier, recent record exactly for a duplicate', () => {
    const seen = new Map<string, number>();
    records.forEach((record, i) => {
      if (record.fault === undefined) seen.set(record.value, i);
      if (record.fault === 'duplicate') {
        const original = seen.get(record.value);
        expect(original).toBeDefined();
        expect(i - original!).toBeLessThanOrEqual(64 + 64);
        const event = eventOf(record);
        expect(record.ts).toBe(event.ts.getTime());
        expect(record.key).toBe(event.user_id);
      }
    });
  });

  it('backdates late events by minutes to hours, with fresh event ids', () => {
    const idsOf = (fault: FaultKind | undefined) =>
      records
        .filter((r) => r.fault === fault)
        .map((r) => (JSON.parse(r.value) as { event_id: string }).event_id);
    const valid = new Set(idsOf(undefined));
    expect(idsOf('late').filter((id) => valid.has(id))).toEqual([]);
    let previous = start;
    for (const record of records) {
      if (record.fault === 'late') {
        const lateness = previous - record.ts;
        expect(lateness).toBeGreaterThanOrEqual(2 * 60_000 - 1_000);
        expect(lateness).toBeLessThanOrEqual(2 * 60 * 60_000);
        expect(eventOf(record).ts.getTime()).toBe(record.ts);
      } else if (record.fault === undefined) {
        previous = record.ts;
      }
    }
  });

  it('keys bad records by the user of the event they were made from', () => {
    expect(records.filter((record) => !/^user_\d{6}$/.test(record.key))).toEqual([]);
  });

  it('honours a custom lateness window', () => {
    const late = createEventGenerator({
      seed: 1,
      start,
      faults: { late: 0.5, lateMinMs: 60_000, lateMaxMs: 61_000 },
    })
      .take(2_000)
      .filter((record) => record.fault === 'late');
    expect(late.length).toBe(1_000);
  });
});

describe('createEventGenerator: options', () => {
  it('filters countries and currencies together', () => {
    const generator = createEventGenerator({ seed: 1, start: monday, currencies: ['EUR', 'USD'] });
    expect(generator.countries).toEqual(['US', 'DE', 'FR']);
    const events = generator.take(3_000).map(eventOf);
    expect(new Set(events.map((e) => e.currency))).toEqual(new Set(['EUR', 'USD']));
    const onlyUk = createEventGenerator({ seed: 1, start: monday, countries: ['uk'] });
    expect(new Set(onlyUk.take(500).map((r) => eventOf(r).country))).toEqual(new Set(['UK']));
  });

  it('sizes the population and the catalogue', () => {
    const events = createEventGenerator({ seed: 1, start: monday, users: 50, products: 30 })
      .take(5_000)
      .map(eventOf);
    expect(distinct(events.map((e) => e.user_id))).toBeLessThanOrEqual(50);
    expect(distinct(events.map((e) => e.product_id))).toBeLessThanOrEqual(30);
  });

  it('refuses invalid options with every problem named', () => {
    expect(() =>
      createEventGenerator({
        seed: 1.5,
        countries: ['US', 'JP'],
        currencies: ['USD', 'XYZ' as 'USD'],
        users: 0,
        eventsPerSecond: -1,
        count: 10,
        faults: { malformedJson: 0.7, duplicate: 0.6, late: 2 },
      }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ConfigError: invalid event generator options: seed must be a safe integer, got 1.5; unknown country JP (known: US, UK, CA, DE, FR); unknown currency XYZ (known: USD, GBP, CAD, EUR); users must be a positive integer, got 0; eventsPerSecond must be a positive number, got -1; count needs both start and end; faults.late must be between 0 and 1, got 2; fault rates add up to 1.3, more than 1]`,
    );
    expect(() =>
      createEventGenerator({ countries: ['UK'], currencies: ['USD'] }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ConfigError: invalid event generator options: no country left: none of the countries has its home currency among the currencies]`,
    );
  });
});

describe('historyPlan', () => {
  const end = Date.UTC(2025, 2, 10, 12, 0, 0);

  it('spreads exactly N events over the last D days, in event-time order', () => {
    const records = [...createEventGenerator(historyPlan({ events: 20_000, days: 3, seed: 5, end }))];
    expect(records).toHaveLength(20_000);
    expect(records[0]!.ts).toBeGreaterThanOrEqual(end - 3 * DAY);
    expect(records.at(-1)!.ts).toBeLessThanOrEqual(end);
    // The history covers its whole span, not just one end of it.
    expect(records[0]!.ts).toBeLessThan(end - 3 * DAY + 60 * 60_000);
    expect(records.at(-1)!.ts).toBeGreaterThan(end - 60 * 60_000);
    expect(records.filter((record, i) => i > 0 && record.ts < records[i - 1]!.ts)).toEqual([]);
    records.forEach(eventOf);
  });

  it('is deterministic for a seed and an end', () => {
    const a = createEventGenerator(historyPlan({ events: 2_000, days: 7, seed: 5, end })).take(2_000);
    const b = createEventGenerator(historyPlan({ events: 2_000, days: 7, seed: 5, end })).take(2_000);
    expect(b).toEqual(a);
  });

  it('ends now by default and scales the users with the history', () => {
    const before = Date.now();
    const plan = historyPlan({ events: 1_000_000, days: 30, seed: 1 });
    expect(plan.end).toBeGreaterThanOrEqual(before);
    expect(plan.start).toBe((plan.end as number) - 30 * DAY);
    expect(plan.users).toBe(100_000);
    expect(historyPlan({ events: 10, days: 1, users: 7 }).users).toBe(7);
  });
});
