// A Logger that drops everything: the default where a caller injects none.
import type { Logger } from './logger.js';

/** Discards every line. */
export const noopLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
