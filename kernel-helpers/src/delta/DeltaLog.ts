// Reading a table's `_delta_log/`: listing, commits, checkpoints (classic, multi-part, v2 with
// sidecars), snapshots at a version, incremental updates and commit timestamps.
import { DeltaError, LakehouseError } from '../errors.js';
import type { ObjectStore } from '../storage/ObjectStore.js';
import type { Action } from './actions.js';
import type { DeltaDuckDb } from './DeltaDuckDb.js';
import {
  type CheckpointRef,
  completeCheckpoints,
  type LogSegment,
  logFilesFromNames,
  selectLogSegment,
} from './LogSegment.js';
import { checkpointFileName, commitFileName, versionPrefix } from './logFileNames.js';
import { addActionsFromColumns, parseActionObject, parseCommitFile } from './parseActions.js';
import { Snapshot } from './Snapshot.js';
import { advanceState, type CommitActions, replayLog } from './TableState.js';
import { assertReadable } from './tableFeatures.js';

export const LOG_DIR = '_delta_log/';
const MAX_PARALLEL_READS = 32;

/** Runs `fn` over `items` with at most `limit` in flight, keeping order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return out;
}

export class DeltaLog {
  constructor(
    readonly table: string,
    readonly store: ObjectStore,
    readonly duck: DeltaDuckDb,
  ) {}

  /** File names in `_delta_log/` (without the folder), optionally only those after a name. */
  async listLogNames(startAfter?: string): Promise<string[]> {
    const keys = await this.store.list(LOG_DIR, {
      recursive: false,
      ...(startAfter ? { startAfter: LOG_DIR + startAfter } : {}),
    });
    return keys.map((k) => k.slice(LOG_DIR.length));
  }

  /** Whether the table has a log with at least one commit or checkpoint. */
  async exists(): Promise<boolean> {
    const names = await this.listLogNames();
    return logFilesFromNames(names).some(
      (f) => f.type === 'commit' || f.type === 'checkpoint' || f.type === 'v2checkpoint',
    );
  }

  /**
   * `_last_checkpoint` read as a hint: the checkpoint version it names, or undefined when the
   * file is absent, empty or not valid JSON (readers then list the whole log).
   */
  async lastCheckpointHint(): Promise<number | undefined> {
    try {
      const text = Buffer.from(await this.store.get(`${LOG_DIR}_last_checkpoint`)).toString('utf8');
      const hint = JSON.parse(text) as { version?: unknown };
      return typeof hint.version === 'number' && Number.isInteger(hint.version) && hint.version >= 0
        ? hint.version
        : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * The log listing a snapshot needs: from the hinted checkpoint on when it is at or before the
   * version read (the latest when undefined) and is listed; otherwise the whole log. `known`
   * passes a hint the caller has already read.
   */
  private async listFromHint(
    version: number | undefined,
    known?: { hint: number | undefined },
  ): Promise<string[]> {
    const hint = known ? known.hint : await this.lastCheckpointHint();
    if (hint !== undefined && (version === undefined || hint <= version)) {
      const names = await this.listLogNames(versionPrefix(hint));
      if (completeCheckpoints(logFilesFromNames(names)).some((c) => c.version === hint)) return names;
    }
    return this.listLogNames();
  }

  /** The actions of commit `version`. Throws DeltaError when absent, corrupt or invalid. */
  /** Whether commit `version`'s file exists (one metadata request, no read). */
  async hasCommit(version: number): Promise<boolean> {
    return (await this.store.head(LOG_DIR + commitFileName(version))) !== undefined;
  }

  async readCommit(version: number): Promise<Action[]> {
    let bytes: Uint8Array;
    try {
      bytes = await this.store.get(LOG_DIR + commitFileName(version));
    } catch (cause) {
      if (cause instanceof LakehouseError && cause.code === 'NOT_FOUND') {
        throw new DeltaError('DELTA_COMMIT_NOT_FOUND', this.table, version, 'commit file is missing', {
          cause,
        });
      }
      throw cause;
    }
    return parseCommitFile(Buffer.from(bytes).toString('utf8'), this.table, version);
  }

  /**
   * The actions of a checkpoint, sidecars included; its remove actions (tombstones) only when
   * `removes` is set, since a snapshot does not need them. Throws DeltaError when unreadable.
   */
  async readCheckpoint(ref: CheckpointRef, options: { removes?: boolean } = {}): Promise<Action[]> {
    const where = `checkpoint ${ref.files.join(', ')}`;
    const removes = options.removes ?? false;
    try {
      if (ref.files.length === 1 && ref.files[0]!.endsWith('.json')) {
        const text = Buffer.from(await this.store.get(LOG_DIR + ref.files[0])).toString('utf8');
        const actions = parseCommitFile(text, this.table, ref.version);
        return this.withSidecars(
          removes ? actions : actions.filter((a) => a.kind !== 'remove'),
          ref.version,
          removes,
        );
      }
      const urls = ref.files.map((f) => this.store.urlFor(LOG_DIR + f));
      return this.withSidecars(
        await this.readParquetActions(urls, ref.version, where, removes),
        ref.version,
        removes,
      );
    } catch (cause) {
      if (cause instanceof DeltaError) throw cause;
      throw new DeltaError(
        'DELTA_CORRUPT_CHECKPOINT',
        this.table,
        ref.version,
        `${where} is unreadable: ${(cause as Error).message}`,
        {
          cause,
        },
      );
    }
  }

  private async withSidecars(actions: Action[], version: number, removes: boolean): Promise<Action[]> {
    const sidecars = actions.flatMap((a) => (a.kind === 'sidecar' ? [a.sidecar.path] : []));
    if (sidecars.length === 0) return actions;
    const urls = sidecars.map((p) => this.store.urlFor(p.includes('/') ? p : `${LOG_DIR}_sidecars/${p}`));
    const more = await this.readParquetActions(urls, version, 'sidecar', removes);
    return [...actions.filter((a) => a.kind !== 'sidecar'), ...more];
  }

  /** The actions of checkpoint-format parquet files (checkpoints and sidecars). */
  private async readParquetActions(
    urls: readonly string[],
    version: number,
    where: string,
    removes: boolean,
  ): Promise<Action[]> {
    const { adds, others } = await this.duck.readCheckpointRows(urls, { removes });
    const actions = others.map((row, i) =>
      parseActionObject(row, this.table, version, `${where} row ${i + 1}`),
    );
    if (adds) actions.push(...addActionsFromColumns(adds.columns, adds.rowCount, this.table, version, where));
    return actions;
  }

  /** Reads the given commits in parallel. */
  async readCommits(versions: readonly number[]): Promise<CommitActions[]> {
    return mapLimit(versions, MAX_PARALLEL_READS, async (version) => ({
      version,
      actions: await this.readCommit(version),
    }));
  }

  /**
   * Where the tombstones of `version` are: the newest complete checkpoint at or before it (whose
   * remove rows hold the older ones) and the commits after that checkpoint, read. See
   * tombstones.ts for how the two combine.
   */
  async tombstoneSource(
    version: number,
  ): Promise<{ base: CheckpointRef | undefined; tail: CommitActions[] }> {
    // Usually `_last_checkpoint` names a classic checkpoint at or before `version`: then no
    // listing (a long-lived table's log folder holds many files; this runs every checkpoint).
    const hint = await this.lastCheckpointHint();
    if (hint !== undefined && hint <= version) {
      const name = checkpointFileName(hint);
      if ((await this.store.head(LOG_DIR + name)) !== undefined) {
        const versions = Array.from({ length: version - hint }, (_, i) => hint + 1 + i);
        return {
          base: { version: hint, files: [name], kind: 'classic' },
          tail: await this.readCommits(versions),
        };
      }
    }
    const names = await this.listFromHint(version, { hint });
    const segment = selectLogSegment(this.table, logFilesFromNames(names), version);
    return {
      base: segment.checkpoint,
      tail: await this.readCommits(segment.commits.map((c) => c.version)),
    };
  }

  /** The segment for a version from a fresh listing. */
  async segment(version?: number): Promise<{ segment: LogSegment; names: string[] }> {
    const names = await this.listLogNames();
    return { segment: selectLogSegment(this.table, logFilesFromNames(names), version), names };
  }

  /**
   * Loads the snapshot at `version` (latest when omitted). A checkpoint that cannot be read
   * is passed over for an older one (or a full replay) when the commits to do so exist.
   * Throws DeltaError for a missing, corrupt or invalid log and UnsupportedFeatureError for
   * a table this reader cannot read.
   */
  async snapshot(version?: number): Promise<Snapshot> {
    let names = await this.listFromHint(version);
    let partial = true;
    const excluded = new Set<string>();
    for (;;) {
      const files = logFilesFromNames(names).filter((f) => !excluded.has(f.name));
      let segment: LogSegment;
      try {
        segment = selectLogSegment(this.table, files, version);
      } catch (error) {
        if (!partial) throw error;
        names = await this.listLogNames();
        partial = false;
        continue;
      }
      let checkpoint: { version: number; actions: Action[] } | undefined;
      if (segment.checkpoint) {
        try {
          checkpoint = {
            version: segment.checkpoint.version,
            actions: await this.readCheckpoint(segment.checkpoint),
          };
        } catch (error) {
          // An unreadable checkpoint file is passed over when older files can rebuild the
          // version; one that reads but holds invalid actions is an error.
          if (!(error instanceof DeltaError) || error.code !== 'DELTA_CORRUPT_CHECKPOINT') throw error;
          for (const f of segment.checkpoint.files) excluded.add(f);
          if (partial) {
            names = await this.listLogNames();
            partial = false;
          }
          try {
            selectLogSegment(
              this.table,
              logFilesFromNames(names).filter((f) => !excluded.has(f.name)),
              version,
            );
          } catch {
            throw error;
          }
          continue;
        }
      }
      const commits = await this.readCommits(segment.commits.map((c) => c.version));
      const state = replayLog(this.table, this.store.root, checkpoint, commits);
      assertReadable(this.table, state.version, state.protocol);
      return new Snapshot(this.table, this.store.root, state);
    }
  }

  /** The snapshot advanced to the latest version (itself when nothing was committed since). */
  async update(snapshot: Snapshot): Promise<Snapshot> {
    // Probe the next commit files directly instead of listing the whole log: the cost stays
    // proportional to what is new, however long the log grows. Writers create commits in
    // order (each after reading its predecessor), so the first absent file ends the run.
    const commits: CommitActions[] = [];
    let next = snapshot.version + 1;
    for (let width = 1; ; width = Math.min(width * 2, MAX_PARALLEL_READS)) {
      const versions = Array.from({ length: width }, (_, i) => next + i);
      const read = await Promise.all(versions.map((v) => this.readCommitIfPresent(v)));
      let complete = true;
      for (let i = 0; i < read.length; i++) {
        const actions = read[i];
        if (actions === undefined) {
          complete = false;
          break;
        }
        commits.push({ version: versions[i]!, actions });
      }
      if (!complete) break;
      next += width;
    }
    return this.advance(snapshot, commits);
  }

  /** The actions of commit `version`, or undefined when its file does not exist (yet). */
  async readCommitIfPresent(version: number): Promise<Action[] | undefined> {
    try {
      return await this.readCommit(version);
    } catch (error) {
      if (error instanceof DeltaError && error.code === 'DELTA_COMMIT_NOT_FOUND') return undefined;
      throw error;
    }
  }

  /** The snapshot with further commits applied (checked for readability). */
  advance(snapshot: Snapshot, commits: readonly CommitActions[]): Snapshot {
    if (commits.length === 0) return snapshot;
    const state = advanceState(this.table, this.store.root, snapshot.state, commits);
    assertReadable(this.table, state.version, state.protocol);
    return new Snapshot(this.table, this.store.root, state);
  }

  /**
   * When commit `version` happened, in ms since the epoch: its in-commit timestamp, else its
   * commitInfo timestamp, else the commit file's modification time.
   */
  async commitTimestamp(version: number, actions?: readonly Action[]): Promise<number> {
    const list = actions ?? (await this.readCommit(version));
    const info = list.find((a) => a.kind === 'commitInfo');
    const ts =
      info?.kind === 'commitInfo'
        ? (info.commitInfo.inCommitTimestamp ?? info.commitInfo.timestamp)
        : undefined;
    if (ts !== undefined) return ts;
    const head = await this.store.head(LOG_DIR + commitFileName(version));
    if (!head) throw new DeltaError('DELTA_COMMIT_NOT_FOUND', this.table, version, 'commit file is missing');
    return head.lastModified;
  }

  /** Versions whose commit files exist, ascending. */
  async commitVersions(): Promise<number[]> {
    return logFilesFromNames(await this.listLogNames())
      .filter((f) => f.type === 'commit')
      .map((f) => f.version)
      .sort((a, b) => a - b);
  }
}
