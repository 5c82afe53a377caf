// Logical conflict detection for optimistic commits (PROTOCOL.md "Optimistic Concurrency"):
// after losing the race for a version, a writer compares what it read and changed with what
// the winning commits did. Pure.
import type { Action } from './actions.js';
import { fileMayMatch } from './dataSkipping.js';
import type { Predicate } from './predicate.js';
import type { StructType } from './schema.js';
import { fileKey } from './TableState.js';

/** What a transaction read and changed, for conflict checks. */
export interface TransactionFootprint {
  /** Keys (see fileKey) of files this transaction removes. */
  removedFiles: ReadonlySet<string>;
  /** Rows this transaction's result depends on: none (blind append), a predicate, or all. */
  readPredicate: Predicate | 'all' | undefined;
  /** Application ids whose `txn` this transaction sets. */
  appIds: ReadonlySet<string>;
  schema: StructType;
  partitionColumns: readonly string[];
}

/** Why a winning commit conflicts with ours, or undefined when ours can go on top of it. */
export function findConflict(
  tableRoot: string,
  ours: TransactionFootprint,
  winner: readonly Action[],
): { code: string; problem: string } | undefined {
  for (const action of winner) {
    switch (action.kind) {
      case 'protocol':
        return { code: 'DELTA_PROTOCOL_CHANGED', problem: 'a concurrent commit changed the protocol' };
      case 'metaData':
        return {
          code: 'DELTA_METADATA_CHANGED',
          problem: 'a concurrent commit changed the table metadata or schema',
        };
      case 'txn':
        if (ours.appIds.has(action.txn.appId)) {
          return {
            code: 'DELTA_CONCURRENT_TRANSACTION',
            problem: `a concurrent commit already wrote txn '${action.txn.appId}' (version ${action.txn.version})`,
          };
        }
        break;
      case 'remove':
        if (ours.removedFiles.has(fileKey(tableRoot, action.remove))) {
          return {
            code: 'DELTA_CONCURRENT_DELETE_DELETE',
            problem: `file ${action.remove.path} was removed by a concurrent commit`,
          };
        }
        break;
      case 'add': {
        if (!action.add.dataChange || ours.readPredicate === undefined) break;
        if (
          ours.readPredicate === 'all' ||
          fileMayMatch(action.add, ours.readPredicate, ours.schema, ours.partitionColumns)
        ) {
          return {
            code: 'DELTA_CONCURRENT_APPEND',
            problem: `file ${action.add.path} added by a concurrent commit may hold rows this operation read`,
          };
        }
        break;
      }
      default:
        break;
    }
  }
  return undefined;
}
