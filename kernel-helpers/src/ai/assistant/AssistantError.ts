// Errors the assistant throws (expected failures of ask and sql come back as results instead).
import { LakehouseError, type LakehouseErrorOptions } from '../../errors.js';

/**
 * Codes: ASSISTANT_TURN_NOT_FOUND (markCorrect of an unknown or forgotten turn),
 * ASSISTANT_INVALID_EXAMPLE (an empty or oversized example), ASSISTANT_CLOSED.
 */
export class AssistantError extends LakehouseError {
  constructor(code: string, message: string, options: LakehouseErrorOptions = {}) {
    super(code, message, options);
  }
}
