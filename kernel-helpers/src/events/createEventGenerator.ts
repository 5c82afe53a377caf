// Synthetic commerce traffic: a seeded population of users whose sessions walk the funnel
// (page views → add to cart → purchase) through a catalogue of products, with seasonal event
// time and bad data injected at exact rates. Pure computation: no clock beyond the default
// start, no I/O; the same options give byte-identical records.

import { ConfigError } from '../errors.js';
import {
  CATEGORIES,
  COUNTRY_SHARE,
  DEVICE_SHARE,
  REFERRER_SHARE,
  USD_RATE,
  USER_AGENTS,
} from './commerceCatalogue.js';
import { corruptEvent } from './corruptEvent.js';
import { createFaultSchedule } from './createFaultSchedule.js';
import { createRandom } from './createRandom.js';
import { createSeasonalClock } from './createSeasonalClock.js';
import type { EventGenerator } from './EventGenerator.js';
import type { EventGeneratorOptions, FaultRates } from './EventGeneratorOptions.js';
import {
  CURRENCIES,
  type Currency,
  DEFAULT_COUNTRIES,
  DEVICE_TYPES,
  type DeviceType,
  type EventType,
  REFERRERS,
} from './ecommerceEvent.js';
import type { EcommerceEventWire } from './eventToWire.js';
import type { FaultKind } from './FaultKind.js';
import type { GeneratedRecord } from './GeneratedRecord.js';
import { HOME_CURRENCY } from './HOME_CURRENCY.js';

// The funnel. A session views 1 + Geometric(mean VIEWS_MEAN_EXTRA) products; each view leads
// to an add-to-cart with CART_PER_VIEW; a session that carted something checks out with
// CHECKOUT, buying each carted line with BUY_LINE (at least one). Tuned so that about 2-5% of
// the users who view in a day buy, and 60-75% of cart adds are abandoned.
const VIEWS_MEAN_EXTRA = 4.5;
const CART_PER_VIEW = 0.011;
const CHECKOUT = 0.33;
const BUY_LINE = 0.9;
/** Share of a session's views inside the category it came for. */
const INTEREST_SHARE = 0.7;
/** Share of sessions on the user's usual device / through the user's usual referrer. */
const USUAL_DEVICE = 0.85;
const USUAL_REFERRER = 0.5;
/** Share of products on sale, and the discounts they get. */
const ON_SALE = 0.15;
const SALE_DISCOUNTS = [0.1, 0.15, 0.2, 0.25, 0.3];
/** Units per cart line: 1 (most), 2, 3, 4, 5. */
const QUANTITY_CUMULATIVE = [0.78, 0.92, 0.97, 0.99, 1];
/** Concurrent sessions: about SESSION_SECONDS of traffic, at most a quarter of the users. */
const SESSION_SECONDS = 30;
/** Duplicates repeat one of the last DUPLICATE_WINDOW valid records, preferring one this recent in event time. */
const DUPLICATE_WINDOW = 64;
const DUPLICATE_MAX_AGE_MS = 5 * 60_000;

const DEFAULTS = { seed: 42, eventsPerSecond: 10, users: 10_000, products: 500 };
const DEFAULT_LATE_MIN_MS = 2 * 60_000;
const DEFAULT_LATE_MAX_MS = 2 * 60 * 60_000;

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

const cumulative = (weights: readonly number[]): Float64Array => {
  const sums = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((weight, i) => {
    total += weight;
    sums[i] = total;
  });
  return sums;
};

const round2 = (value: number) => Math.round(value * 100) / 100;

/** A shop price: whole units minus a cent above 5, two decimals below. */
const shopPrice = (amount: number) =>
  amount >= 5 ? Math.round(amount) - 0.01 : round2(Math.max(amount, 0.5));

const padded = (prefix: string, n: number, width: number) => `${prefix}${String(n).padStart(width, '0')}`;

/**
 * JSON.stringify(wire), byte for byte, written out: about twice as fast, and the producer's
 * budget per event is a few microseconds. Safe because every string here comes from the
 * generator's own tables and ids, none with a character JSON escapes (checked below).
 */
const jsonOf = (w: EcommerceEventWire): string =>
  `{"event_id":"${w.event_id}","user_id":"${w.user_id}","session_id":"${w.session_id}","product_id":"${w.product_id}","category_id":"${w.category_id}","event_type":"${w.event_type}","price":${w.price},"quantity":${w.quantity},"discount":${w.discount},"currency":"${w.currency}","ts":"${w.ts}","ua":"${w.ua}","country":"${w.country}","device_type":"${w.device_type}","referrer":"${w.referrer}"}`;

/** Text JSON writes as is (no quote, backslash or control character to escape). */
const isJsonSafe = (text: string) => JSON.stringify(text) === `"${text}"`;

const epochMs = (value: number | Date) => (typeof value === 'number' ? value : value.getTime());

// jsonOf relies on it: every string of the tables below JSON writes unchanged.
for (const text of [
  ...CATEGORIES.map((category) => category.id),
  ...Object.values(USER_AGENTS).flat(),
  ...REFERRERS,
  ...DEFAULT_COUNTRIES,
]) {
  if (!isJsonSafe(text)) throw new Error(`catalogue text needs JSON escaping: ${text}`);
}

interface Session {
  user: number;
  id: string;
  device: number;
  ua: string;
  referrer: string;
  interest: number;
  viewsLeft: number;
  /** A product viewed and about to be added to the cart, or -1. */
  pendingCart: number;
  cartProducts: number[];
  cartQuantities: number[];
  /** Index of the next cart line to buy while checking out, or -1 before checkout. */
  buying: number;
  buyLines: boolean[];
}

interface Step {
  type: EventType;
  product: number;
  quantity: number;
}

function validated(options: EventGeneratorOptions) {
  const problems: string[] = [];
  const seed = options.seed ?? DEFAULTS.seed;
  if (!Number.isSafeInteger(seed)) problems.push(`seed must be a safe integer, got ${seed}`);
  const requestedCountries = [...(options.countries ?? DEFAULT_COUNTRIES)].map((c) => c.trim().toUpperCase());
  for (const country of requestedCountries) {
    if (HOME_CURRENCY[country] === undefined) {
      problems.push(`unknown country ${country} (known: ${Object.keys(HOME_CURRENCY).join(', ')})`);
    }
  }
  const currencies = [...new Set(options.currencies ?? CURRENCIES)];
  for (const currency of currencies) {
    if (!(CURRENCIES as readonly string[]).includes(currency)) {
      problems.push(`unknown currency ${currency} (known: ${CURRENCIES.join(', ')})`);
    }
  }
  const countries = [...new Set(requestedCountries)].filter((country) => {
    const home = HOME_CURRENCY[country];
    return home !== undefined && currencies.includes(home);
  });
  if (countries.length === 0 && problems.length === 0) {
    problems.push('no country left: none of the countries has its home currency among the currencies');
  }
  const positiveInt = (name: string, value: number) => {
    if (!Number.isSafeInteger(value) || value < 1)
      problems.push(`${name} must be a positive integer, got ${value}`);
  };
  const users = options.users ?? DEFAULTS.users;
  const products = options.products ?? DEFAULTS.products;
  positiveInt('users', users);
  positiveInt('products', products);
  const eventsPerSecond = options.eventsPerSecond ?? DEFAULTS.eventsPerSecond;
  if (!(eventsPerSecond > 0 && Number.isFinite(eventsPerSecond))) {
    problems.push(`eventsPerSecond must be a positive number, got ${eventsPerSecond}`);
  }
  const start = options.start === undefined ? Date.now() : epochMs(options.start);
  const end = options.end === undefined ? undefined : epochMs(options.end);
  if (!Number.isFinite(start)) problems.push('start must be a valid time');
  if (end !== undefined && !(end >= start)) problems.push('end must be a valid time not before start');
  const count = options.count;
  if (count !== undefined) {
    if (!Number.isSafeInteger(count) || count < 0)
      problems.push(`count must be a non-negative integer, got ${count}`);
    if (options.start === undefined || options.end === undefined)
      problems.push('count needs both start and end');
  }
  const faults: FaultRates = options.faults ?? {};
  let total = 0;
  for (const key of [
    'malformedJson',
    'missingField',
    'wrongType',
    'unknownEventType',
    'duplicate',
    'late',
  ] as const) {
    const rate = faults[key] ?? 0;
    if (!(rate >= 0 && rate <= 1)) problems.push(`faults.${key} must be between 0 and 1, got ${rate}`);
    else total += rate;
  }
  if (total > 1) problems.push(`fault rates add up to ${Number(total.toFixed(6))}, more than 1`);
  const lateMinMs = faults.lateMinMs ?? DEFAULT_LATE_MIN_MS;
  const lateMaxMs = faults.lateMaxMs ?? Math.max(DEFAULT_LATE_MAX_MS, lateMinMs);
  if (!(lateMinMs >= 0 && lateMaxMs >= lateMinMs)) {
    problems.push(`lateness must satisfy 0 ≤ lateMinMs ≤ lateMaxMs, got ${lateMinMs} and ${lateMaxMs}`);
  }
  if (problems.length > 0) throw new ConfigError(`invalid event generator options: ${problems.join('; ')}`);
  return {
    seed,
    countries,
    currencies: currencies as Currency[],
    users,
    products,
    eventsPerSecond,
    start,
    end,
    count,
    seasonality: options.seasonality ?? true,
    faults: { ...faults, lateMinMs, lateMaxMs },
  };
}

/**
 * Creates a deterministic generator of commerce records (see EventGeneratorOptions). Users have
 * a home country (currency = HOME_CURRENCY of it), a usual device with matching user agents and
 * a usual referrer; their sessions view products mostly in one category, add some to the cart
 * and sometimes buy. Event time follows the daily and weekly traffic curve: exactly `count`
 * records over [start, end] when `count` is given, else Poisson arrivals at `eventsPerSecond`.
 * @throws ConfigError when the options are invalid.
 */
export function createEventGenerator(options: EventGeneratorOptions = {}): EventGenerator {
  const settings = validated(options);
  const random = createRandom(settings.seed);

  // The catalogue.
  const productCount = settings.products;
  const productWidth = Math.max(4, String(productCount).length);
  const categoryOfProduct = new Uint8Array(productCount);
  const productIds: string[] = [];
  const saleRate = new Float64Array(productCount);
  const priceIn = new Map<Currency, Float64Array>(
    settings.currencies.map((c) => [c, new Float64Array(productCount)]),
  );
  const categoryCumulative = cumulative(CATEGORIES.map((category) => category.share));
  const productsInCategory: number[][] = CATEGORIES.map(() => []);
  for (let p = 0; p < productCount; p++) {
    const category = p < CATEGORIES.length ? p : random.weighted(categoryCumulative);
    categoryOfProduct[p] = category;
    productsInCategory[category]!.push(p);
    productIds.push(padded('prod_', p + 1, productWidth));
    const { minUsd, maxUsd } = CATEGORIES[category]!;
    const usd = minUsd * (maxUsd / minUsd) ** (random.float() ** 1.6); // log-scale, cheap items commoner
    for (const [currency, prices] of priceIn) prices[p] = shopPrice(usd * USD_RATE[currency]);
    saleRate[p] = random.chance(ON_SALE) ? SALE_DISCOUNTS[random.int(SALE_DISCOUNTS.length)]! : 0;
  }
  // Popularity: a few products draw most views (Zipf-like over a shuffled order).
  const popularity = Array.from({ length: productCount }, () => 0);
  const order = Array.from({ length: productCount }, (_, p) => p);
  for (let i = productCount - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  order.forEach((p, rank) => {
    popularity[p] = 1 / (rank + 1) ** 0.8;
  });
  const popularCumulative = cumulative(popularity);
  const categoryProductCumulative = productsInCategory.map((products) =>
    cumulative(products.map((p) => popularity[p]!)),
  );
  const liveCategories = CATEGORIES.map((_, c) => c).filter((c) => productsInCategory[c]!.length > 0);
  const liveCategoryCumulative = cumulative(liveCategories.map((c) => CATEGORIES[c]!.share));

  // The users.
  const userCount = settings.users;
  const userWidth = Math.max(6, String(userCount).length);
  const userCountry = new Uint8Array(userCount);
  const userDevice = new Uint8Array(userCount);
  const userAgent = new Uint8Array(userCount);
  const userReferrer = new Uint8Array(userCount);
  const userIds: string[] = [];
  const countryCumulative = cumulative(settings.countries.map((country) => COUNTRY_SHARE[country] ?? 0.1));
  const deviceCumulative = cumulative(DEVICE_TYPES.map((device) => DEVICE_SHARE[device]));
  const referrerCumulative = cumulative(REFERRER_SHARE);
  for (let u = 0; u < userCount; u++) {
    userIds.push(padded('user_', u + 1, userWidth));
    userCountry[u] = random.weighted(countryCumulative);
    const device = random.weighted(deviceCumulative);
    userDevice[u] = device;
    userAgent[u] = random.int(USER_AGENTS[DEVICE_TYPES[device]!].length);
    userReferrer[u] = random.weighted(referrerCumulative);
  }
  const currencyOfCountry = settings.countries.map((country) => HOME_CURRENCY[country]!);

  // Sessions in flight: picking one at random per record interleaves users as real traffic does.
  const sessionSlots = Math.max(
    1,
    Math.min(Math.ceil(settings.eventsPerSecond * SESSION_SECONDS), Math.floor(userCount / 4)),
  );
  const active = new Uint8Array(userCount);

  const hex32 = () => {
    const bits = random.uint32();
    return HEX[bits >>> 24]! + HEX[(bits >>> 16) & 255]! + HEX[(bits >>> 8) & 255]! + HEX[bits & 255]!;
  };
  const uuid = () => {
    const a = random.uint32();
    const b = random.uint32();
    const c = random.uint32();
    const d = random.uint32();
    // Version 4 in the high nibble of byte 6, variant 10 in the high bits of byte 8.
    return (
      HEX[a >>> 24]! +
      HEX[(a >>> 16) & 255]! +
      HEX[(a >>> 8) & 255]! +
      HEX[a & 255]! +
      '-' +
      HEX[b >>> 24]! +
      HEX[(b >>> 16) & 255]! +
      '-' +
      HEX[0x40 | ((b >>> 8) & 0x0f)]! +
      HEX[b & 255]! +
      '-' +
      HEX[0x80 | ((c >>> 24) & 0x3f)]! +
      HEX[(c >>> 16) & 255]! +
      '-' +
      HEX[(c >>> 8) & 255]! +
      HEX[c & 255]! +
      HEX[d >>> 24]! +
      HEX[(d >>> 16) & 255]! +
      HEX[(d >>> 8) & 255]! +
      HEX[d & 255]!
    );
  };

  const pickUser = (): number => {
    // Mildly skewed activity: low-numbered users come back more often.
    let user = 0;
    for (let attempt = 0; attempt < 8; attempt++) {
      user = Math.floor(userCount * random.float() ** 1.5);
      if (active[user] === 0) break;
    }
    return user;
  };

  const newSession = (): Session => {
    const user = pickUser();
    active[user] = 1;
    const device = random.chance(USUAL_DEVICE) ? userDevice[user]! : random.weighted(deviceCumulative);
    const agents = USER_AGENTS[DEVICE_TYPES[device]!];
    const ua = device === userDevice[user] ? agents[userAgent[user]!]! : agents[random.int(agents.length)]!;
    const referrer = REFERRERS[
      random.chance(USUAL_REFERRER) ? userReferrer[user]! : random.weighted(referrerCumulative)
    ] as string;
    return {
      user,
      id: `sess_${hex32()}${hex32()}`,
      device,
      ua,
      referrer,
      interest: liveCategories[random.weighted(liveCategoryCumulative)]!,
      viewsLeft: 1 + Math.floor(random.exponential() * VIEWS_MEAN_EXTRA),
      pendingCart: -1,
      cartProducts: [],
      cartQuantities: [],
      buying: -1,
      buyLines: [],
    };
  };

  const sessions: Session[] = Array.from({ length: sessionSlots }, newSession);

  const viewProduct = (session: Session): number => {
    if (random.chance(INTEREST_SHARE)) {
      const products = productsInCategory[session.interest]!;
      return products[random.weighted(categoryProductCumulative[session.interest]!)]!;
    }
    return random.weighted(popularCumulative);
  };

  /** The session's next step, or undefined when it has nothing left to do. */
  const step = (session: Session): Step | undefined => {
    if (session.pendingCart >= 0) {
      const product = session.pendingCart;
      const quantity = 1 + random.weighted(QUANTITY_CUMULATIVE);
      session.pendingCart = -1;
      session.cartProducts.push(product);
      session.cartQuantities.push(quantity);
      return { type: 'add_to_cart', product, quantity };
    }
    if (session.viewsLeft > 0) {
      session.viewsLeft--;
      const product = viewProduct(session);
      if (random.chance(CART_PER_VIEW)) session.pendingCart = product;
      return { type: 'page_view', product, quantity: 1 };
    }
    if (session.buying < 0) {
      if (session.cartProducts.length === 0 || !random.chance(CHECKOUT)) return undefined;
      session.buyLines = session.cartProducts.map(() => random.chance(BUY_LINE));
      if (!session.buyLines.includes(true)) session.buyLines[random.int(session.buyLines.length)] = true;
      session.buying = 0;
    }
    while (session.buying < session.cartProducts.length && !session.buyLines[session.buying])
      session.buying++;
    if (session.buying >= session.cartProducts.length) return undefined;
    const line = session.buying++;
    return {
      type: 'purchase',
      product: session.cartProducts[line]!,
      quantity: session.cartQuantities[line]!,
    };
  };

  /** The next funnel event as its wire object, stamped `ts`. */
  const nextEvent = (ts: number): EcommerceEventWire => {
    const slot = random.int(sessionSlots);
    let session = sessions[slot]!;
    let next = step(session);
    while (next === undefined) {
      active[session.user] = 0;
      session = newSession();
      sessions[slot] = session;
      next = step(session);
    }
    const country = userCountry[session.user]!;
    const currency = currencyOfCountry[country]!;
    const price = priceIn.get(currency)![next.product]!;
    const sale = saleRate[next.product]!;
    return {
      event_id: uuid(),
      user_id: userIds[session.user]!,
      session_id: session.id,
      product_id: productIds[next.product]!,
      category_id: CATEGORIES[categoryOfProduct[next.product]!]!.id,
      event_type: next.type,
      price,
      quantity: next.quantity,
      discount: sale > 0 ? round2(price * next.quantity * sale) : 0,
      currency,
      ts: new Date(ts).toISOString(),
      ua: session.ua,
      country: settings.countries[country]!,
      device_type: DEVICE_TYPES[session.device] as DeviceType,
      referrer: session.referrer,
    };
  };

  // Event time: work accrues along the traffic curve (see createSeasonalClock).
  const clock = createSeasonalClock(settings.start, settings.seasonality);
  const count = settings.count;
  const totalWork = count === undefined ? 0 : clock.workUntil(settings.end ?? settings.start);
  const meanGapWork = 1000 / settings.eventsPerSecond;
  // Event times draw from their own stream, so that stamping records from outside (live mode)
  // leaves their content as the seed decides.
  const timeRandom = createRandom(settings.seed, 1);
  let work = 0;
  // Exact mode: the i-th of `count` sorted uniform points, drawn one after the other (the
  // minimum of m uniforms on [x, 1) is x + (1 - x)(1 - V^(1/m))).
  let position = 0;

  const nextEventTime = (index: number): number => {
    if (count === undefined) {
      work += timeRandom.exponential() * meanGapWork;
    } else {
      const remaining = count - index;
      position += (1 - position) * -Math.expm1(Math.log(1 - timeRandom.float()) / remaining);
      work = position * totalWork;
    }
    return Math.floor(clock.timeAt(work));
  };

  const schedule = createFaultSchedule(settings.faults, random);
  const recent: GeneratedRecord[] = [];
  let recentNext = 0;
  let generated = 0;
  const lateSpan = settings.faults.lateMaxMs - settings.faults.lateMinMs;

  const next = (eventTime?: number): GeneratedRecord | undefined => {
    if (count !== undefined && generated >= count) return undefined;
    const ts = eventTime ?? nextEventTime(generated);
    if (settings.end !== undefined && ts > settings.end) return undefined;
    generated++;
    let fault: FaultKind | undefined = schedule.due();

    if (fault === 'duplicate') {
      if (recent.length > 0) {
        const newest = (recentNext - 1 + recent.length) % recent.length;
        const back = random.int(Math.min(recent.length, DUPLICATE_WINDOW));
        let original = recent[(newest - back + recent.length) % recent.length]!;
        if (original.ts < ts - DUPLICATE_MAX_AGE_MS) original = recent[newest]!;
        schedule.injected(fault);
        return { key: original.key, value: original.value, ts: original.ts, fault };
      }
      fault = undefined; // nothing to repeat yet: stays due for the next record
    }

    const wire = nextEvent(ts);
    if (fault === undefined) {
      const record: GeneratedRecord = { key: wire.user_id, value: jsonOf(wire), ts };
      if (recent.length < DUPLICATE_WINDOW) recent.push(record);
      else recent[recentNext] = record;
      recentNext = (recentNext + 1) % DUPLICATE_WINDOW;
      return record;
    }
    schedule.injected(fault);
    if (fault === 'late') {
      const lateTs = ts - settings.faults.lateMinMs - Math.floor(random.float() * lateSpan);
      wire.ts = new Date(lateTs).toISOString();
      return { key: wire.user_id, value: jsonOf(wire), ts: lateTs, fault };
    }
    return { key: wire.user_id, value: corruptEvent(fault, wire, JSON.stringify(wire), random), ts, fault };
  };

  return {
    next,
    take(n) {
      const records: GeneratedRecord[] = [];
      for (let i = 0; i < n; i++) {
        const record = next();
        if (record === undefined) break;
        records.push(record);
      }
      return records;
    },
    get generated() {
      return generated;
    },
    countries: settings.countries,
    currencies: settings.currencies,
    *[Symbol.iterator]() {
      for (let record = next(); record !== undefined; record = next()) yield record;
    },
  };
}
