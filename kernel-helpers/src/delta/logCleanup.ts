// Expired-log cleanup (Delta's `delta.logRetentionDuration`): which `_delta_log/` files go.
// The log is cut at a complete checkpoint: every file of an older version is deleted, the
// checkpoint and everything after it stay, so the oldest version left is read from that
// checkpoint and every newer one from it and the commits that follow.

import { completeCheckpoints } from './LogSegment.js';
import type { LogFile } from './logFileNames.js';

/**
 * Versions at which the log of `files` may be cut, oldest first: complete checkpoints above
 * the oldest version present, at most `maxVersion` (cutting at the oldest would delete nothing).
 */
export function logCutCandidates(files: readonly LogFile[], maxVersion: number): number[] {
  let oldest = Number.POSITIVE_INFINITY;
  for (const f of files) if (f.type !== 'compacted') oldest = Math.min(oldest, f.version);
  const versions = new Set<number>();
  for (const c of completeCheckpoints(files)) {
    if (c.version > oldest && c.version <= maxVersion) versions.add(c.version);
  }
  return [...versions].sort((a, b) => a - b);
}

/**
 * The files a cut at version `cut` deletes, in the order to delete them: by version, oldest
 * first, a version's checkpoint after its commit. Nothing from the cut on is touched, so the
 * latest version and time travel back to the cut read the same wherever a cleanup stops; what
 * an interrupted one leaves below the cut is mostly a shorter log, and the next finishes it.
 */
export function logFilesBefore(files: readonly LogFile[], cut: number): LogFile[] {
  const rank = (f: LogFile) => (f.type === 'checkpoint' || f.type === 'v2checkpoint' ? 1 : 0);
  return files
    .filter((f) => (f.type === 'compacted' ? f.toVersion < cut : f.version < cut))
    .sort((a, b) => a.version - b.version || rank(a) - rank(b));
}
