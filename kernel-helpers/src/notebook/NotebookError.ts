// The error every notebook helper throws: a LakehouseError whose printed form (what tslab
// shows under a failed cell) is the readable account of describeError, not a stack trace.
import { inspect } from 'node:util';
import { LakehouseError } from '../errors.js';
import { describeError, type ErrorContext, type ErrorDescription, hintFor } from './describeError.js';

/** The text a failed cell shows. */
export function formatErrorDescription(d: ErrorDescription): string {
  return [
    `✖ ${d.what}`,
    ...(d.on ? [`  on:   ${d.on}`] : []),
    `  why:  ${d.code}: ${d.why}`,
    `  next: ${d.hint}`,
  ].join('\n');
}

export class NotebookError extends LakehouseError {
  readonly description: ErrorDescription;

  constructor(description: ErrorDescription, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(description.code, `${description.what}: ${description.why}`, options);
    this.description = description;
  }

  /** Wraps anything a helper caught (a NotebookError passes through unchanged). */
  static from(error: unknown, context: ErrorContext): NotebookError {
    if (error instanceof NotebookError) return error;
    return new NotebookError(describeError(error, context), {
      cause: error,
      retriable: error instanceof LakehouseError ? error.retriable : false,
    });
  }

  /** A helper's own failure (no library error underneath). */
  static of(
    code: string,
    what: string,
    why: string,
    options: { on?: string; hint?: string; cause?: unknown } = {},
  ): NotebookError {
    return new NotebookError(
      { code, what, on: options.on, why, hint: options.hint ?? hintFor(code) },
      options.cause === undefined ? {} : { cause: options.cause },
    );
  }

  override toString(): string {
    return formatErrorDescription(this.description);
  }

  [inspect.custom](): string {
    return formatErrorDescription(this.description);
  }
}
