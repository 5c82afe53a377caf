// The kinds of bad data the generator injects, and what Silver makes of each.

import type { RejectionCode } from './RejectionCode.js';

/**
 * Bad-data kinds: `malformed_json` (not JSON: truncated, single-quoted, trailing brace),
 * `missing_field` (a required field absent or null), `wrong_type` (one field of the wrong JSON
 * type), `unknown_event_type` (an event_type outside EVENT_TYPES), `duplicate` (an earlier
 * record's exact JSON again, same event_id) and `late` (a valid new event whose ts lies minutes
 * to hours before the other events').
 */
export const FAULT_KINDS = [
  'malformed_json',
  'missing_field',
  'wrong_type',
  'unknown_event_type',
  'duplicate',
  'late',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * The code parseRawEvent rejects each fault kind with; duplicates and late events are valid
 * records (Silver deduplicates the former and the watermark handles the latter).
 */
export const FAULT_REJECTION_CODE: Readonly<Record<FaultKind, RejectionCode | undefined>> = {
  malformed_json: 'malformed_json',
  missing_field: 'missing_field',
  wrong_type: 'invalid_type',
  unknown_event_type: 'unknown_event_type',
  duplicate: undefined,
  late: undefined,
};
