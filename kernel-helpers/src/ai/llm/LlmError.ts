// Errors of the LLM path, with codes a caller can act on and `retriable` for the retry loop.
import { LakehouseError, type LakehouseErrorOptions } from '../../errors.js';

/**
 * Codes: LLM_TIMEOUT, LLM_RATE_LIMITED (429), LLM_SERVER_ERROR (5xx), LLM_NETWORK (no answer),
 * — all retriable — and LLM_AUTH (401/403), LLM_BAD_REQUEST (other 4xx), LLM_EMPTY_REPLY,
 * LLM_CIRCUIT_OPEN (the breaker stopped calling), LLM_ABORTED (the caller cancelled),
 * LLM_NOT_CONFIGURED, LLM_FAILED.
 */
export class LlmError extends LakehouseError {
  /** The HTTP status, when the server answered. */
  readonly status: number | undefined;
  /** How long the server asked us to wait (Retry-After), in ms. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: string,
    message: string,
    options: LakehouseErrorOptions & { status?: number; retryAfterMs?: number } = {},
  ) {
    super(code, message, options);
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** HTTP status → code and whether a retry may help (statuses not listed: 4xx bad request, 5xx server error). */
const CODE_BY_STATUS: Readonly<Record<number, { code: string; retriable: boolean }>> = {
  401: { code: 'LLM_AUTH', retriable: false },
  403: { code: 'LLM_AUTH', retriable: false },
  408: { code: 'LLM_TIMEOUT', retriable: true },
  409: { code: 'LLM_SERVER_ERROR', retriable: true },
  429: { code: 'LLM_RATE_LIMITED', retriable: true },
};

/** The code and retriability of an HTTP error status. */
export function llmCodeForStatus(status: number): { code: string; retriable: boolean } {
  return (
    CODE_BY_STATUS[status] ??
    (status >= 500
      ? { code: 'LLM_SERVER_ERROR', retriable: true }
      : { code: 'LLM_BAD_REQUEST', retriable: false })
  );
}
