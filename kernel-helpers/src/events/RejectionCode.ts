// Why Silver rejected a raw record: stable codes to group quarantined records by.

/**
 * The rejection codes of parseRawEvent, stable across releases (dashboards group by them):
 * - `empty_value`: the record or a required text field is empty;
 * - `malformed_json`: the value is not JSON;
 * - `missing_field`: a required field is absent or null;
 * - `invalid_type`: a field (or the whole value) has the wrong JSON type;
 * - `unknown_event_type`: `event_type` is not one of EVENT_TYPES;
 * - `invalid_value`: the type is right but the value is not allowed (negative price, unknown
 *   currency, unparseable or implausible timestamp, malformed UUID...).
 */
export const REJECTION_CODES = [
  'empty_value',
  'malformed_json',
  'missing_field',
  'invalid_type',
  'unknown_event_type',
  'invalid_value',
] as const;

export type RejectionCode = (typeof REJECTION_CODES)[number];
