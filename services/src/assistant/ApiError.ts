// The error an API route throws on purpose: a stable code, a message for people and the
// details that belong in the JSON body; the error handler picks the HTTP status from the code.

/** An expected failure of a request, rendered as `{ error: { code, message, ...details } }`. */
export class ApiError extends Error {
  readonly code: string;
  /** Status to use when the code is not in the status tables (e.g. 422 for unanswerable questions). */
  readonly fallbackStatus: number | undefined;
  /** Extra fields of the error body (suggestions, issues, the SQL ...). */
  readonly details: Record<string, unknown>;
  /** Response headers that go with the error (Allow, WWW-Authenticate, Retry-After ...). */
  readonly headers: Record<string, string>;

  constructor(
    code: string,
    message: string,
    options: {
      fallbackStatus?: number;
      details?: Record<string, unknown>;
      headers?: Record<string, string>;
      cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiError';
    this.code = code;
    this.fallbackStatus = options.fallbackStatus;
    this.details = options.details ?? {};
    this.headers = options.headers ?? {};
  }
}
