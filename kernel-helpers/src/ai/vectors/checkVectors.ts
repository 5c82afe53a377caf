// Argument checks shared by the vector store adapters, so every adapter refuses the same inputs.
import type { VectorFilter, VectorRecord } from './VectorStore.js';
import { VectorStoreError } from './VectorStoreError.js';

/** @throws VectorStoreError VECTORS_DIMENSION_MISMATCH or VECTORS_INVALID. */
export function checkRecords(records: readonly VectorRecord[], dimension: number): void {
  for (const record of records) {
    if (typeof record.id !== 'string' || record.id.length === 0)
      throw new VectorStoreError('VECTORS_INVALID', 'a vector record id must be a non-empty string');
    checkVector(record.vector, dimension);
    if (typeof record.payload !== 'object' || record.payload === null || Array.isArray(record.payload))
      throw new VectorStoreError('VECTORS_INVALID', `the payload of ${record.id} must be a JSON object`);
  }
}

/** @throws VectorStoreError VECTORS_DIMENSION_MISMATCH or VECTORS_INVALID (non-finite numbers). */
export function checkVector(vector: readonly number[], dimension: number): void {
  if (!Array.isArray(vector) || vector.length !== dimension)
    throw new VectorStoreError(
      'VECTORS_DIMENSION_MISMATCH',
      `a vector has ${Array.isArray(vector) ? vector.length : 'no'} numbers; this store holds ${dimension}`,
    );
  for (const x of vector)
    if (typeof x !== 'number' || !Number.isFinite(x))
      throw new VectorStoreError('VECTORS_INVALID', 'vectors must hold finite numbers');
}

/** @throws VectorStoreError VECTORS_INVALID unless `k` is a positive integer. */
export function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1)
    throw new VectorStoreError('VECTORS_INVALID', 'k must be a positive integer');
}

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** @throws VectorStoreError VECTORS_INVALID for field names that are not plain identifiers. */
export function checkFilter(filter: VectorFilter | undefined): void {
  if (filter === undefined) return;
  for (const [field, value] of Object.entries(filter)) {
    if (!FIELD.test(field))
      throw new VectorStoreError(
        'VECTORS_INVALID',
        `filter field ${JSON.stringify(field)} is not an identifier`,
      );
    const values = Array.isArray(value) ? value : [value];
    for (const v of values)
      if (!['string', 'number', 'boolean'].includes(typeof v))
        throw new VectorStoreError(
          'VECTORS_INVALID',
          `filter field ${field} must be a string, number or boolean`,
        );
  }
}

/** Whether `payload` matches `filter` (the reference semantics every adapter implements). */
export function matchesFilter(payload: Record<string, unknown>, filter: VectorFilter | undefined): boolean {
  if (filter === undefined) return true;
  for (const [field, value] of Object.entries(filter)) {
    const values: readonly unknown[] = Array.isArray(value) ? value : [value];
    if (!values.some((v) => payload[field] === v)) return false;
  }
  return true;
}
