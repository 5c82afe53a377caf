// Which files of `_delta_log/` make up a snapshot: the newest complete checkpoint at or before
// the target version, then every commit after it, contiguous. Pure: works on a listing.
import { DeltaError } from '../errors.js';
import { type LogFile, logFileFromName } from './logFileNames.js';

/** The checkpoint a segment starts from: one file, the parts of a multi-part one, or a v2 file. */
export interface CheckpointRef {
  version: number;
  files: string[];
  kind: 'classic' | 'multipart' | 'v2';
}

/** The files to replay for one snapshot version. */
export interface LogSegment {
  version: number;
  checkpoint: CheckpointRef | undefined;
  /** Commit file names after the checkpoint, ascending and contiguous up to `version`. */
  commits: { version: number; name: string }[];
}

/** Parses the file names of a `_delta_log/` listing, ignoring names the protocol does not define. */
export function logFilesFromNames(names: Iterable<string>): LogFile[] {
  const files: LogFile[] = [];
  for (const name of names) {
    const f = logFileFromName(name);
    if (f) files.push(f);
  }
  return files;
}

/** Complete checkpoints in a listing, newest first (a multi-part one only when all parts exist). */
export function completeCheckpoints(files: readonly LogFile[]): CheckpointRef[] {
  const byKey = new Map<string, { version: number; parts: number; names: Map<number, string> }>();
  const out: CheckpointRef[] = [];
  for (const f of files) {
    if (f.type === 'v2checkpoint') {
      out.push({ version: f.version, files: [f.name], kind: 'v2' });
    } else if (f.type === 'checkpoint') {
      const key = `${f.version}/${f.parts}`;
      let entry = byKey.get(key);
      if (!entry) {
        entry = { version: f.version, parts: f.parts, names: new Map() };
        byKey.set(key, entry);
      }
      entry.names.set(f.part, f.name);
    }
  }
  for (const { version, parts, names } of byKey.values()) {
    if (names.size !== parts) continue;
    const ordered = [...names.entries()].sort((a, b) => a[0] - b[0]).map(([, n]) => n);
    out.push({ version, files: ordered, kind: parts === 1 ? 'classic' : 'multipart' });
  }
  // Newest first; at one version prefer a classic checkpoint, then multi-part, then v2.
  const rank = { classic: 0, multipart: 1, v2: 2 } as const;
  return out.sort((a, b) => b.version - a.version || rank[a.kind] - rank[b.kind]);
}

/**
 * Chooses the segment for `targetVersion` (latest when undefined) from a listing.
 * Throws DeltaError: DELTA_TABLE_NOT_FOUND when there is no commit or checkpoint at all,
 * DELTA_VERSION_NOT_FOUND when the version is beyond the log or no longer reconstructable,
 * DELTA_VERSIONS_NOT_CONTIGUOUS when a commit is missing between the checkpoint and the target.
 */
export function selectLogSegment(
  table: string,
  files: readonly LogFile[],
  targetVersion?: number,
): LogSegment {
  const commits = new Map<number, string>();
  for (const f of files) if (f.type === 'commit') commits.set(f.version, f.name);
  const checkpoints = completeCheckpoints(files);
  if (commits.size === 0 && checkpoints.length === 0) {
    throw new DeltaError(
      'DELTA_TABLE_NOT_FOUND',
      table,
      undefined,
      'no Delta log: _delta_log/ has no commit or checkpoint',
    );
  }
  let latest = -1;
  for (const v of commits.keys()) latest = Math.max(latest, v);
  for (const c of checkpoints) latest = Math.max(latest, c.version);
  const version = targetVersion ?? latest;
  if (!Number.isInteger(version) || version < 0 || version > latest) {
    throw new DeltaError(
      'DELTA_VERSION_NOT_FOUND',
      table,
      targetVersion,
      `version does not exist: the log holds versions up to ${latest}`,
    );
  }
  const checkpoint = checkpoints.find((c) => c.version <= version);
  const start = checkpoint ? checkpoint.version + 1 : 0;
  const segmentCommits: { version: number; name: string }[] = [];
  for (let v = start; v <= version; v++) {
    const name = commits.get(v);
    if (name === undefined) {
      const present = [...commits.keys()].filter((x) => x >= start && x <= version);
      if (!checkpoint && v === 0 && (present.length === 0 || Math.min(...present) > 0)) {
        throw new DeltaError(
          'DELTA_VERSION_NOT_FOUND',
          table,
          version,
          'cannot reconstruct this version: its early commits were removed and no checkpoint covers them',
        );
      }
      throw new DeltaError(
        'DELTA_VERSIONS_NOT_CONTIGUOUS',
        table,
        version,
        `commit ${v} is missing from _delta_log/ (versions must be contiguous)`,
      );
    }
    segmentCommits.push({ version: v, name });
  }
  return { version, checkpoint, commits: segmentCommits };
}
