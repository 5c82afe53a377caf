// The logging port of the library: libraries never print, they log through an injected Logger;
// services decide where the lines go (structured JSON on stdout, a test's array, nothing).

/**
 * A structured logger. `msg` is a short human sentence; `fields` carry the machine-readable
 * context (ids, offsets, durations) and must be JSON-serialisable. Implementations must not
 * throw.
 */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}
