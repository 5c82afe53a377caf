// The outcome of parsing one raw record: the event, or why it goes to quarantine.

import type { EcommerceEvent } from './ecommerceEvent.js';
import type { RejectionCode } from './RejectionCode.js';

/**
 * `{ success: true, event }` for a valid record; otherwise `code` groups the failure and
 * `reason` says what was wrong in words ("missing required field: user_id").
 */
export type RawEventParseResult =
  | { success: true; event: EcommerceEvent }
  | { success: false; code: RejectionCode; reason: string };
