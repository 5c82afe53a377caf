// Errors of the vector stores: a code (VECTORS_*) and whether a retry may succeed.
import { LakehouseError, type LakehouseErrorOptions } from '../../errors.js';

/**
 * A vector store operation failed. Codes: VECTORS_DIMENSION_MISMATCH (a vector of the wrong
 * length), VECTORS_INVALID (bad id, k or filter), VECTORS_LOCKED (another process holds the
 * database file), VECTORS_UNAVAILABLE (the server did not answer; retriable), VECTORS_FAILED,
 * VECTORS_CLOSED.
 */
export class VectorStoreError extends LakehouseError {
  constructor(code: string, message: string, options: LakehouseErrorOptions = {}) {
    super(code, message, options);
  }
}
