// The reconstructed state of a Delta table at one version, and the pure log replay that
// produces it from a checkpoint's actions and the commits after it.
import { DeltaError } from '../errors.js';
import type {
  Action,
  AddAction,
  DomainMetadataAction,
  MetadataAction,
  ProtocolAction,
  RemoveAction,
  TxnAction,
} from './actions.js';
import { resolveDataFilePath } from './dataFilePath.js';
import { parseSchemaString, type StructType } from './schema.js';

/** Everything a reader or writer needs to know about one version of a table. */
export interface TableState {
  version: number;
  protocol: ProtocolAction;
  metadata: MetadataAction;
  schema: StructType;
  /**
   * Live data files keyed by canonical location (plus deletion vector id when present).
   * Removed files (tombstones) are not held here: they matter only to checkpoints and VACUUM,
   * which read them from the log (DeltaLog.tombstoneSource), so a snapshot's memory and the
   * cost of advancing it stay with the live files however long the table has been written.
   */
  files: Map<string, AddAction>;
  /** Latest `txn` version per application id (streaming offsets live here). */
  txns: Map<string, TxnAction>;
  domains: Map<string, DomainMetadataAction>;
}

/** A replay input: the actions of one commit. */
export interface CommitActions {
  version: number;
  actions: readonly Action[];
}

function dvKey(dv: AddAction['deletionVector']): string {
  return dv ? `#${dv.storageType}${dv.pathOrInlineDv}@${dv.offset ?? ''}` : '';
}

/** The key a file has in `TableState.files`: canonical path plus deletion vector id. */
export function fileKey(tableRoot: string, action: AddAction | RemoveAction): string {
  return resolveDataFilePath(tableRoot, action.path) + dvKey(action.deletionVector);
}

/** Mutable accumulator used while replaying. */
interface Accumulator {
  protocol: ProtocolAction | undefined;
  metadata: MetadataAction | undefined;
  files: Map<string, AddAction>;
  txns: Map<string, TxnAction>;
  domains: Map<string, DomainMetadataAction>;
}

function apply(acc: Accumulator, tableRoot: string, actions: readonly Action[]): void {
  for (const action of actions) {
    switch (action.kind) {
      case 'add': {
        const key = fileKey(tableRoot, action.add);
        acc.files.set(key, action.add);
        break;
      }
      case 'remove': {
        acc.files.delete(fileKey(tableRoot, action.remove));
        break;
      }
      case 'protocol':
        acc.protocol = action.protocol;
        break;
      case 'metaData':
        acc.metadata = action.metaData;
        break;
      case 'txn':
        acc.txns.set(action.txn.appId, action.txn);
        break;
      case 'domainMetadata':
        if (action.domainMetadata.removed) acc.domains.delete(action.domainMetadata.domain);
        else acc.domains.set(action.domainMetadata.domain, action.domainMetadata);
        break;
      default:
        // commitInfo, cdc, checkpointMetadata and sidecar do not change the table state.
        break;
    }
  }
}

function finish(acc: Accumulator, table: string, version: number): TableState {
  if (!acc.protocol) {
    throw new DeltaError(
      'DELTA_MISSING_PROTOCOL',
      table,
      version,
      'no protocol action in the log (table state is invalid)',
    );
  }
  if (!acc.metadata) {
    throw new DeltaError(
      'DELTA_MISSING_METADATA',
      table,
      version,
      'no metaData action in the log (table state is invalid)',
    );
  }
  const schema = parseSchemaString(acc.metadata.schemaString);
  if (!schema.success) throw new DeltaError('DELTA_INVALID_SCHEMA', table, version, schema.error);
  return {
    version,
    protocol: acc.protocol,
    metadata: acc.metadata,
    schema: schema.data,
    files: acc.files,
    txns: acc.txns,
    domains: acc.domains,
  };
}

/**
 * Replays a checkpoint's actions (may be empty) and the commits after it into the table
 * state at the last commit's version (or the checkpoint's when there are no commits).
 * Throws DeltaError when the result lacks a protocol, a metaData or a valid schema.
 */
export function replayLog(
  table: string,
  tableRoot: string,
  checkpoint: { version: number; actions: readonly Action[] } | undefined,
  commits: readonly CommitActions[],
): TableState {
  const acc: Accumulator = {
    protocol: undefined,
    metadata: undefined,
    files: new Map(),
    txns: new Map(),
    domains: new Map(),
  };
  if (checkpoint) apply(acc, tableRoot, checkpoint.actions);
  let version = checkpoint?.version ?? -1;
  for (const commit of commits) {
    apply(acc, tableRoot, commit.actions);
    version = commit.version;
  }
  return finish(acc, table, version);
}

/**
 * The state after applying further commits to `state`; `state` itself is left unchanged.
 * Used to advance a snapshot by the commits written since it was loaded.
 */
export function advanceState(
  table: string,
  tableRoot: string,
  state: TableState,
  commits: readonly CommitActions[],
): TableState {
  const acc: Accumulator = {
    protocol: state.protocol,
    metadata: state.metadata,
    files: new Map(state.files),
    txns: new Map(state.txns),
    domains: new Map(state.domains),
  };
  let version = state.version;
  for (const commit of commits) {
    apply(acc, tableRoot, commit.actions);
    version = commit.version;
  }
  return finish(acc, table, version);
}
