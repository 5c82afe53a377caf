// Replaying quarantined records through Silver after a fix, exactly once: the fixed records
// that now parse go to silver_events in one commit tagged with the replay's id (a txn whose
// version is the Quarantine version the replay read), then leave quarantine_events. Run again
// after a crash, the same replay finds its commit, rebuilds the same set from that Quarantine
// version and finishes the removal without writing to Silver twice.
import {
  CommitConflictError,
  type Lakehouse,
  LakehouseError,
  type Logger,
  noopLogger,
  parseRawEvent,
} from '@rt-lakehouse/kernel-helpers';
import { TABLES } from './tableSchemas.js';

export interface ReplayQuarantineOptions {
  lakehouse: Lakehouse;
  /** Names this replay; running it again resumes it instead of replaying twice. */
  replayId: string;
  /** Which quarantined rows (a DuckDB SQL predicate over raw, reason, source_partition, ...). */
  where?: string;
  /** Repairs a raw record (return null to leave it in quarantine). Must be deterministic. */
  fix?: (raw: string) => string | null;
  silverTable?: string;
  quarantineTable?: string;
  logger?: Logger;
}

export interface ReplayQuarantineResult {
  replayId: string;
  /** Quarantine version the replay read. */
  quarantineVersion: number;
  selected: number;
  /** Records written to Silver by this replay (0 when resuming a replay that had written them). */
  written: number;
  /** Selected records that still do not parse after the fix: they stay in quarantine. */
  stillInvalid: number;
  /** Selected records whose event was already in Silver: they leave quarantine, nothing is written. */
  alreadyInSilver: number;
  /** Rows removed from quarantine. */
  removed: number;
  resumed: boolean;
}

const MAX_ATTEMPTS = 20;

export async function replayQuarantine(options: ReplayQuarantineOptions): Promise<ReplayQuarantineResult> {
  const logger = options.logger ?? noopLogger;
  const silverName = options.silverTable ?? TABLES.silver;
  const quarantineName = options.quarantineTable ?? TABLES.quarantine;
  if (!/^[\w.-]+$/.test(options.replayId)) {
    throw new LakehouseError(
      'REPLAY_INVALID_ID',
      `replay id must be letters, digits, '.', '_' or '-': ${options.replayId}`,
    );
  }
  const appId = `quarantine-replay:${options.replayId}`;
  const silver = await options.lakehouse.table(silverName);
  const quarantine = await options.lakehouse.table(quarantineName);
  if (!(await quarantine.exists()) || !(await silver.exists())) {
    throw new LakehouseError(
      'REPLAY_NO_TABLES',
      `${quarantineName} and ${silverName} must exist before a replay`,
    );
  }
  const previous = (await silver.latest()).txn(appId);
  const quarantineVersion = previous?.version ?? (await quarantine.latest()).version;
  const connection = await options.lakehouse.duck.connect();
  try {
    const source = await quarantine.scanSql(await quarantine.snapshot({ version: quarantineVersion }));
    const selected = (
      await connection.runAndReadAll(
        `SELECT raw, source_partition, source_offset, epoch_us(quarantined_at) AS q FROM (${source}) WHERE ${options.where ?? "reason NOT LIKE 'duplicate%'"} ORDER BY source_partition, source_offset, q`,
      )
    ).getRows() as [string | null, number | null, bigint | null, bigint][];

    // The same fix on the same rows gives the same events: the set is stable across resumes.
    const events = new Map<string, { event: Record<string, unknown>; row: (typeof selected)[number] }>();
    let stillInvalid = 0;
    for (const row of selected) {
      const fixed = row[0] === null ? null : options.fix ? options.fix(row[0]) : row[0];
      const parsed = fixed === null ? undefined : parseRawEvent(fixed);
      if (!parsed?.success) {
        stillInvalid++;
        continue;
      }
      if (!events.has(parsed.event.event_id))
        events.set(parsed.event.event_id, { event: parsed.event as unknown as Record<string, unknown>, row });
    }
    const ids = [...events.keys()];
    const inSilver = async (): Promise<Set<string>> => {
      if (ids.length === 0) return new Set();
      const scan = await silver.scanSql(await silver.latest(), { columns: ['event_id'] });
      const found = await connection.runAndReadAll(
        `SELECT DISTINCT event_id FROM (${scan}) WHERE event_id IN (SELECT unnest(from_json(?::JSON, '["VARCHAR"]')))`,
        [JSON.stringify(ids)],
      );
      return new Set(found.getColumns()[0] as string[]);
    };

    let written = 0;
    let alreadyInSilver = 0;
    if (!previous) {
      const present = await inSilver();
      alreadyInSilver = present.size;
      const rows = [...events.values()]
        .filter(({ event }) => !present.has(event['event_id'] as string))
        .map(({ event, row }) => ({
          ...event,
          source_partition: row[1],
          source_offset: row[2],
          ingested_at: Date.now(),
        }));
      const result = await silver.write(
        { rows },
        {
          txns: [{ appId, version: quarantineVersion }],
          operation: 'QUARANTINE REPLAY',
          operationParameters: { replayId: options.replayId },
        },
      );
      written = result.rowsWritten;
      logger.info('quarantine replay wrote to silver', {
        replayId: options.replayId,
        rows: written,
        version: result.version,
      });
    }

    // Remove the replayed rows (those whose event is now in Silver) from quarantine.
    const present = await inSilver();
    const gone = selected.filter((row) => {
      const fixed = row[0] === null ? null : options.fix ? options.fix(row[0]) : row[0];
      const parsed = fixed === null ? undefined : parseRawEvent(fixed);
      return parsed?.success === true && present.has(parsed.event.event_id);
    });
    let removed = 0;
    if (gone.length > 0) {
      const keys = gone.map((r) => `${r[1]}|${r[2]}|${r[3]}|${r[0] ?? ''}`);
      for (let attempt = 1; ; attempt++) {
        const current = await quarantine.scanSql(await quarantine.latest());
        const keep = `SELECT * FROM (${current}) WHERE concat_ws('|', source_partition, source_offset, epoch_us(quarantined_at), coalesce(raw, '')) NOT IN (SELECT unnest(from_json(?::JSON, '["VARCHAR"]')))`;
        const before = Number(
          (await connection.runAndReadAll(`SELECT count(*) FROM (${current})`)).getRows()[0]![0],
        );
        await connection.run(`CREATE OR REPLACE TEMP TABLE rtl_replay_keep AS ${keep}`, [
          JSON.stringify(keys),
        ]);
        const after = Number(
          (await connection.runAndReadAll('SELECT count(*) FROM temp.rtl_replay_keep')).getRows()[0]![0],
        );
        try {
          await quarantine.write(
            { sql: 'SELECT * FROM temp.rtl_replay_keep', connection },
            {
              mode: 'overwrite',
              operation: 'QUARANTINE REPLAY',
              operationParameters: { replayId: options.replayId },
            },
          );
          removed = before - after;
          break;
        } catch (error) {
          if (!(error instanceof CommitConflictError) || attempt >= MAX_ATTEMPTS) throw error;
          logger.warn('quarantine changed during the replay; retrying the removal', { attempt });
        }
      }
    }
    return {
      replayId: options.replayId,
      quarantineVersion,
      selected: selected.length,
      written,
      stillInvalid,
      alreadyInSilver,
      removed,
      resumed: previous !== undefined,
    };
  } finally {
    connection.closeSync();
  }
}
