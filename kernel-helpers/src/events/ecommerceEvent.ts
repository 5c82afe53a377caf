// The commerce event of DESIGN.md: its vocabularies and the zod schema that decides what a
// valid event is, from the raw JSON object on the wire to the normalised event Silver stores.

import { z } from 'zod';
import { normalise } from './eventFieldNormalisers.js';

/** The event types, in funnel order. */
export const EVENT_TYPES = ['page_view', 'add_to_cart', 'purchase'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Currencies an event may be priced in. */
export const CURRENCIES = ['USD', 'GBP', 'CAD', 'EUR'] as const;
export type Currency = (typeof CURRENCIES)[number];

/** The countries the producer generates unless told otherwise (`UK`, not ISO's `GB`). */
export const DEFAULT_COUNTRIES = ['US', 'UK', 'CA', 'DE', 'FR'] as const;

export const DEVICE_TYPES = ['desktop', 'mobile', 'tablet'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

/** The traffic sources the producer generates; any non-empty referrer is valid. */
export const REFERRERS = ['google', 'direct', 'facebook', 'email', 'instagram', 'bing', 'affiliate'] as const;

/** The earliest valid event time: older ones are almost always epoch seconds read as milliseconds. */
export const EVENT_TS_MIN = Date.UTC(2000, 0, 1);

/** How far in the future (of the validating machine's clock) an event time may be. */
export const EVENT_TS_MAX_AHEAD_MS = 24 * 60 * 60 * 1000;

/** The largest quantity: the Delta column is a 32-bit `int`. */
export const QUANTITY_MAX = 2_147_483_647;

const identifier = z.preprocess(normalise.text, z.string().min(1));
const lowerEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess(normalise.lower, z.string().min(1).pipe(z.enum(values)));

/**
 * A valid event, from the parsed JSON object to the normalised event. Input is the wire form
 * (see eventToJson) or anything Silver accepts and normalises:
 * - every field is required except `discount` (missing or null → 0); null counts as missing;
 *   fields not listed are dropped;
 * - `event_id`: an 8-4-4-4-12 hex UUID (version bits not checked), stored lower-case;
 * - `user_id`, `session_id`, `product_id`, `category_id`: non-empty strings, trimmed;
 * - `event_type`, `device_type`: trimmed and lower-cased, then one of EVENT_TYPES / DEVICE_TYPES;
 * - `price` ≥ 0 and `discount` ≥ 0 (a currency amount), numbers or decimal strings ("12.50");
 * - `quantity`: an integer from 1 to QUANTITY_MAX (a page view has quantity 1), or such a string;
 * - `currency`: trimmed, upper-cased, one of CURRENCIES; `country`: trimmed, upper-cased,
 *   aliases mapped (`GB` → `UK`), then two letters (any country, not only DEFAULT_COUNTRIES);
 * - `ts`: ISO 8601 (UTC when it has no offset) or epoch milliseconds → Date, from EVENT_TS_MIN
 *   to EVENT_TS_MAX_AHEAD_MS past the current clock;
 * - `ua`: a string, trimmed, may be empty; `referrer`: non-empty, trimmed, lower-cased.
 * Discounts are not checked against price × quantity.
 */
export const ecommerceEventSchema = z.object({
  event_id: z.preprocess(normalise.lower, z.string().min(1).pipe(z.guid())),
  user_id: identifier,
  session_id: identifier,
  product_id: identifier,
  category_id: identifier,
  event_type: lowerEnum(EVENT_TYPES),
  price: z.preprocess(normalise.number, z.number().nonnegative()),
  quantity: z.preprocess(normalise.number, z.int().min(1).max(QUANTITY_MAX)),
  discount: z.preprocess(normalise.discount, z.number().nonnegative()),
  currency: z.preprocess(normalise.upper, z.string().min(1).pipe(z.enum(CURRENCIES))),
  ts: z.preprocess(
    normalise.timestamp,
    z
      .date()
      .min(new Date(EVENT_TS_MIN))
      .refine((ts) => ts.getTime() <= Date.now() + EVENT_TS_MAX_AHEAD_MS, {
        params: { code: 'invalid_value', rule: 'future' },
      }),
  ),
  ua: z.preprocess(normalise.text, z.string()),
  country: z.preprocess(
    normalise.country,
    z
      .string()
      .min(1)
      .regex(/^[A-Z]{2}$/),
  ),
  device_type: lowerEnum(DEVICE_TYPES),
  referrer: z.preprocess(normalise.lower, z.string().min(1)),
});

/** A valid, normalised event (`ts` a Date). */
export type EcommerceEvent = z.output<typeof ecommerceEventSchema>;
