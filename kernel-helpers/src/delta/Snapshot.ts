// A consistent, immutable view of a Delta table at one version.
import type { AddAction, MetadataAction, ProtocolAction, TxnAction } from './actions.js';
import { resolveDataFilePath } from './dataFilePath.js';
import { fileMayMatch } from './dataSkipping.js';
import type { Predicate } from './predicate.js';
import type { ColumnMappingMode, StructType } from './schema.js';
import type { TableState } from './TableState.js';

/** A live data file with its resolved location. */
export interface DataFile {
  /** Location DuckDB reads: absolute local path or URL. */
  url: string;
  add: AddAction;
}

export class Snapshot {
  /** The table's name as used in messages (catalog name or path). */
  readonly table: string;
  /** The table root location (absolute path or URL). */
  readonly root: string;
  readonly state: TableState;

  constructor(table: string, root: string, state: TableState) {
    this.table = table;
    this.root = root;
    this.state = state;
  }

  get version(): number {
    return this.state.version;
  }

  get protocol(): ProtocolAction {
    return this.state.protocol;
  }

  get metadata(): MetadataAction {
    return this.state.metadata;
  }

  get schema(): StructType {
    return this.state.schema;
  }

  get partitionColumns(): string[] {
    return this.state.metadata.partitionColumns;
  }

  /** Table properties (`delta.*` and user properties). */
  get properties(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.state.metadata.configuration ?? {})) if (v !== null) out[k] = v;
    return out;
  }

  get columnMapping(): ColumnMappingMode {
    const mode = this.state.metadata.configuration?.['delta.columnMapping.mode'];
    return mode === 'name' || mode === 'id' ? mode : 'none';
  }

  /** Number of live data files. */
  get numFiles(): number {
    return this.state.files.size;
  }

  /** Live data files, optionally only those that may hold rows matching `predicate`. */
  files(predicate?: Predicate): DataFile[] {
    const out: DataFile[] = [];
    for (const add of this.state.files.values()) {
      if (predicate && !fileMayMatch(add, predicate, this.schema, this.partitionColumns)) continue;
      out.push({ url: resolveDataFilePath(this.root, add.path), add });
    }
    return out;
  }

  /** The latest `txn` of an application id, e.g. a pipeline's Kafka offset for one partition. */
  txn(appId: string): TxnAction | undefined {
    return this.state.txns.get(appId);
  }

  /** Total rows according to the file statistics, less rows deleted through deletion vectors (undefined when a file lacks them). */
  numRecords(): number | undefined {
    let total = 0;
    for (const add of this.state.files.values()) {
      const m = add.stats ? /"numRecords"\s*:\s*(\d+)/.exec(add.stats) : null;
      if (!m) return undefined;
      total += Number(m[1]) - (add.deletionVector?.cardinality ?? 0);
    }
    return total;
  }
}
