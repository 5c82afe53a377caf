// `table(name)`: one Delta table from a notebook — its schema, history, rows now or as of an
// older version or time, its properties, and its maintenance (OPTIMIZE, VACUUM, expired-log
// cleanup). Every call displays its result; the reads (rows, at().rows/sql, schema) note the
// version they read (SessionContext.recordReads).

import type {
  HistoryEntry,
  LogCleanupResult,
  OptimizeResult,
  SetPropertiesResult,
  VacuumResult,
} from '../delta/DeltaTable.js';
import type { Snapshot } from '../delta/Snapshot.js';
import { quoteIdent, typeToString } from '../delta/schema.js';
import type { QueryOptions, QueryResult } from '../engine/SqlEngine.js';
import { guarded } from './guarded.js';
import { querySnapshot } from './querySnapshot.js';
import type { SessionContext } from './SessionContext.js';
import { tableBundle } from './tableBundle.js';
import { withSummary } from './withSummary.js';

/** A table's schema and size, as of its latest version. */
export interface TableSchemaView {
  name: string;
  version: number;
  columns: { name: string; type: string; nullable: boolean }[];
  partitionColumns: string[];
  numFiles: number;
  /** Rows by the file statistics (undefined when a file has none). */
  rows: number | undefined;
  sizeBytes: number;
}

/** Which snapshot: a version, or the last version committed at or before a time. */
export type TableTime = { version: number } | { timestamp: Date | number | string };

/** One table as of an older snapshot. */
export interface TableAt {
  /** The version the snapshot resolves to. */
  version(): Promise<number>;
  /** Shows and returns the first `limit` rows (default 20). */
  rows(limit?: number): Promise<QueryResult>;
  /** Runs a SELECT in which the table's name means this snapshot (no other table is visible). */
  sql(query: string, options?: { maxRows?: number }): Promise<QueryResult>;
}

export interface NotebookTable {
  readonly name: string;
  schema(): Promise<TableSchemaView>;
  /** Commits, newest first (default 20). */
  history(limit?: number): Promise<HistoryEntry[]>;
  /** The first `limit` rows of the latest version (default 20). */
  rows(limit?: number, options?: QueryOptions): Promise<QueryResult>;
  at(when: TableTime): TableAt;
  /** Compacts small files (a commit with dataChange=false). */
  optimize(options?: { targetFileBytes?: number; minFileBytes?: number }): Promise<OptimizeResult>;
  /**
   * Lists (dryRun, the default) or deletes files no version inside the retention needs.
   * Retention defaults to the table's (`delta.deletedFileRetentionDuration`, 168 h unless set).
   */
  vacuum(options?: {
    dryRun?: boolean;
    retentionHours?: number;
    enforceRetentionDuration?: boolean;
  }): Promise<VacuumResult>;
  /**
   * Says (dryRun, the default) or does what an expired-log cleanup does: the log cut at a
   * checkpoint older than the retention (`delta.logRetentionDuration`, 30 days unless set), the
   * files of older versions deleted; time travel then reaches back to the cut.
   */
  cleanupLog(options?: { dryRun?: boolean; retentionHours?: number }): Promise<LogCleanupResult>;
  /** The table's properties (`delta.*` and others) as of its latest version. */
  properties(): Promise<Record<string, string>>;
  /**
   * Sets (and, with `unset`, removes) table properties in one commit, as `ALTER TABLE … SET
   * TBLPROPERTIES` does; each is checked first, and nothing is committed when nothing changes.
   */
  setProperties(
    properties: Record<string, string>,
    options?: { unset?: string[] },
  ): Promise<SetPropertiesResult>;
}

const compactJson = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

function describeTime(when: TableTime): string {
  if ('version' in when) return `version ${when.version}`;
  const t = when.timestamp;
  return `time ${t instanceof Date ? t.toISOString() : typeof t === 'number' ? new Date(t).toISOString() : t}`;
}

/** The helper for table `name` of the session's lakehouse (nothing is read until a call). */
export function createNotebookTable(ctx: SessionContext, name: string): NotebookTable {
  const context = (call: string) => ({ action: `table('${name}').${call}`, table: name });
  const delta = async () => (await ctx.open()).lakehouse.table(name);

  const showResult = (result: QueryResult, title: string) => {
    ctx.recordReads(result.tableVersions);
    ctx.display(
      tableBundle(result, {
        title,
        footnote: `${Math.round(result.elapsedMs)} ms · ${Object.entries(result.tableVersions)
          .map(([t, v]) => `${t}@v${v}`)
          .join(', ')}`,
      }),
    );
    return withSummary(result, `${title}: ${result.rowCount} rows`);
  };

  function at(when: TableTime): TableAt {
    const label = describeTime(when);
    const snapshot = async (): Promise<Snapshot> => (await delta()).snapshot(when as never);
    return {
      version: () => guarded(context(`at(${label}).version()`), async () => (await snapshot()).version),
      rows: (limit = 20) =>
        guarded(context(`at(${label}).rows()`), async () => {
          const s = await snapshot();
          const result = await querySnapshot(
            (await ctx.open()).lakehouse,
            [name],
            async () => s,
            `SELECT * FROM ${quoteIdent(name)} LIMIT ${Math.max(0, Math.floor(limit))}`,
            { maxRows: Math.max(1, Math.floor(limit)) },
          );
          return showResult(result, `${name} at version ${s.version}`);
        }),
      sql: (query, options = {}) =>
        guarded({ ...context(`at(${label}).sql()`), sql: query }, async () => {
          const s = await snapshot();
          const result = await querySnapshot((await ctx.open()).lakehouse, [name], async () => s, query, {
            maxRows: options.maxRows ?? ctx.config().maxRows,
          });
          return showResult(result, `${name} at version ${s.version}`);
        }),
    };
  }

  const showProperties = (properties: Record<string, string>, version: number, footnote?: string) =>
    ctx.display(
      tableBundle(
        {
          columns: [
            { name: 'property', type: 'VARCHAR' },
            { name: 'value', type: 'VARCHAR' },
          ],
          rows: Object.keys(properties)
            .sort()
            .map((property) => ({ property, value: properties[property]! })),
        },
        { title: `Properties of ${name} (version ${version})`, ...(footnote ? { footnote } : {}) },
      ),
    );

  return {
    name,

    schema: () =>
      guarded(context('schema()'), async () => {
        const s = await (await delta()).latest();
        ctx.recordReads({ [name]: s.version });
        const view: TableSchemaView = {
          name,
          version: s.version,
          columns: s.schema.fields.map((f) => ({
            name: f.name,
            type: typeToString(f.type),
            nullable: f.nullable,
          })),
          partitionColumns: s.partitionColumns,
          numFiles: s.numFiles,
          rows: s.numRecords(),
          sizeBytes: s.files().reduce((n, f) => n + f.add.size, 0),
        };
        const partitioned =
          view.partitionColumns.length > 0 ? ` · partitioned by ${view.partitionColumns.join(', ')}` : '';
        ctx.display(
          tableBundle(
            {
              columns: [
                { name: 'column', type: 'VARCHAR' },
                { name: 'type', type: 'VARCHAR' },
                { name: 'nullable', type: 'BOOLEAN' },
              ],
              rows: view.columns.map((c) => ({ column: c.name, type: c.type, nullable: c.nullable })),
            },
            {
              title: `${name} (version ${view.version})`,
              footnote: `${view.numFiles} files · ${view.rows ?? 'unknown'} rows · ${(view.sizeBytes / 1e6).toFixed(1)} MB${partitioned}`,
            },
          ),
        );
        return withSummary(view, `${name}: ${view.columns.length} columns, version ${view.version}`);
      }),

    history: (limit = 20) =>
      guarded(context('history()'), async () => {
        const entries = await (await delta()).history(limit);
        ctx.display(
          tableBundle(
            {
              columns: [
                { name: 'version', type: 'BIGINT' },
                { name: 'timestamp', type: 'TIMESTAMP WITH TIME ZONE' },
                { name: 'operation', type: 'VARCHAR' },
                { name: 'parameters', type: 'JSON' },
                { name: 'metrics', type: 'JSON' },
                { name: 'engine', type: 'VARCHAR' },
              ],
              rows: entries.map((e) => ({
                version: e.version,
                timestamp: e.timestamp.toISOString(),
                operation: e.operation ?? null,
                parameters: compactJson(e.operationParameters),
                metrics: compactJson(e.operationMetrics),
                engine: e.engineInfo ?? null,
              })),
            },
            { title: `History of ${name} (newest first)` },
          ),
        );
        return withSummary(entries, `history of ${name}: ${entries.length} commits`);
      }),

    rows: (limit = 20, options = {}) =>
      guarded(context('rows()'), async () => {
        const { engine } = await ctx.open();
        const n = Math.max(0, Math.floor(limit));
        const result = await engine.query(`SELECT * FROM ${quoteIdent(name)} LIMIT ${n}`, {
          ...options,
          maxRows: Math.max(1, n),
        });
        return showResult(result, name);
      }),

    at,

    optimize: (options = {}) =>
      guarded(context('optimize()'), async () => {
        const result = await (await delta()).optimize(options);
        ctx.display(
          tableBundle(
            {
              columns: [
                { name: 'version', type: 'BIGINT' },
                { name: 'files_removed', type: 'BIGINT' },
                { name: 'files_added', type: 'BIGINT' },
                { name: 'partitions_optimized', type: 'BIGINT' },
              ],
              rows: [
                {
                  version: result.version ?? null,
                  files_removed: result.filesRemoved,
                  files_added: result.filesAdded,
                  partitions_optimized: result.partitionsOptimized,
                },
              ],
            },
            {
              title: `OPTIMIZE ${name}`,
              footnote:
                result.version === undefined
                  ? 'nothing to compact: no partition has two or more small files'
                  : `committed version ${result.version}`,
            },
          ),
        );
        return withSummary(result, `optimize ${name}: ${result.filesRemoved} files → ${result.filesAdded}`);
      }),

    vacuum: (options = {}) =>
      guarded(context('vacuum()'), async () => {
        const dryRun = options.dryRun ?? true;
        const result = await (await delta()).vacuum({ ...options, dryRun });
        ctx.display(
          tableBundle(
            { columns: [{ name: 'file', type: 'VARCHAR' }], rows: result.files.map((file) => ({ file })) },
            {
              title: `VACUUM ${name}${dryRun ? ' (dry run: files that would be deleted)' : ' (deleted files)'}`,
              footnote: `retention ${options.retentionHours ?? 'of the table (default 168)'} hours`,
            },
          ),
        );
        return withSummary(
          result,
          `vacuum ${name}: ${result.files.length} files${dryRun ? ' (dry run)' : ' deleted'}`,
        );
      }),

    properties: () =>
      guarded(context('properties()'), async () => {
        const s = await (await delta()).latest();
        ctx.recordReads({ [name]: s.version });
        showProperties(s.properties, s.version);
        return withSummary(s.properties, `${name}: ${Object.keys(s.properties).length} properties`);
      }),

    setProperties: (properties, options = {}) =>
      guarded(context('setProperties()'), async () => {
        const result = await (await delta()).setProperties(properties, options);
        showProperties(
          result.properties,
          result.version,
          result.changed
            ? `committed as version ${result.version}`
            : 'unchanged: the table already had these',
        );
        return withSummary(
          result,
          result.changed
            ? `setProperties ${name}: version ${result.version}`
            : `setProperties ${name}: nothing changed`,
        );
      }),

    cleanupLog: (options = {}) =>
      guarded(context('cleanupLog()'), async () => {
        const dryRun = options.dryRun ?? true;
        const table = await delta();
        const result = await table.cleanupLog({ ...options, dryRun });
        const oldest = result.cutAt ?? (await table.log.commitVersions())[0];
        ctx.display(
          tableBundle(
            {
              columns: [
                { name: 'log files', type: 'BIGINT' },
                { name: 'oldest version kept', type: 'BIGINT' },
              ],
              rows: [{ 'log files': result.filesDeleted, 'oldest version kept': oldest ?? null }],
            },
            {
              title: `Expired log of ${name}${dryRun ? ' (dry run: files that would be deleted)' : ' (deleted files)'}`,
              footnote: result.disabled
                ? 'the table keeps its log: delta.enableExpiredLogCleanup = false'
                : result.cutAt === undefined
                  ? `nothing has expired: retention ${options.retentionHours ?? "of the table's delta.logRetentionDuration (default 720)"} hours`
                  : `time travel reaches back to version ${result.cutAt}`,
            },
          ),
        );
        return withSummary(
          result,
          `cleanupLog ${name}: ${result.filesDeleted} log files${dryRun ? ' (dry run)' : ' deleted'}`,
        );
      }),
  };
}
