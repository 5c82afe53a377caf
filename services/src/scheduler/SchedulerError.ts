// Errors the scheduler throws on purpose: a stable code (the API maps codes to HTTP statuses
// through STATUS_BY_SCHEDULER_CODE), a message for people and the details of the JSON body.
import { LakehouseError } from '@rt-lakehouse/kernel-helpers';

/** An expected failure of a scheduler operation (bad definition, unknown id, refused parameters ...). */
export class SchedulerError extends LakehouseError {
  /** Extra fields of the API error body (issues, the declared parameters ...). */
  readonly details: Record<string, unknown>;

  constructor(
    code: string,
    message: string,
    options: { details?: Record<string, unknown>; cause?: unknown; retriable?: boolean } = {},
  ) {
    super(code, message, {
      ...(options.cause !== undefined ? { cause: options.cause } : {}),
      retriable: options.retriable ?? false,
    });
    this.details = options.details ?? {};
  }
}

/** Scheduler error codes → HTTP status. Codes not listed are 500s. */
export const STATUS_BY_SCHEDULER_CODE: Readonly<Record<string, number>> = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  UNAUTHORIZED: 401,
  INVALID_TOKEN: 401,
  SCHEDULE_NOT_FOUND: 404,
  RUN_NOT_FOUND: 404,
  NOTEBOOK_NOT_FOUND: 404,
  OUTPUT_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  RUN_IN_PROGRESS: 409,
  PAYLOAD_TOO_LARGE: 413,
  NOTEBOOK_INVALID: 422,
  PARAMETERS_INVALID: 422,
  SCHEDULER_STOPPED: 503,
  SCHEDULER_LOCKED: 503,
};
