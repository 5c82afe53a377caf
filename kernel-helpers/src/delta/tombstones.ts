// Tombstones: files a table version no longer holds whose removal is still inside the retention
// period (`delta.deletedFileRetentionDuration`). Only checkpoints (which must carry them) and
// VACUUM (which must not delete them) need them, so snapshots do not hold them: they are read
// from the log when needed, as the newest checkpoint's remove rows plus the commits after it.
// Pure: works on actions already read.
import type { AddAction, RemoveAction } from './actions.js';
import { type CommitActions, fileKey } from './TableState.js';

/** The tombstones of a version, split by where they come from. */
export interface TombstonesAt {
  /** Unexpired removes of the commits after the base checkpoint (the last per file wins). */
  fromTail: RemoveAction[];
  /**
   * Raw paths the tail commits add or remove: a base checkpoint's tombstone for one of these is
   * superseded (by a newer remove, or by the file being live again) and must not be carried.
   */
  tailPaths: Set<string>;
}

/**
 * The tombstones that the commits after a checkpoint (`tail`, ascending) leave at their last
 * version: removes not followed by an add of the same file, not live in `live` (the version's
 * files), and removed after `cutoff` (epoch ms; a remove without a deletionTimestamp has
 * expired). A base checkpoint's own tombstones are carried with `carriedFromBase`.
 */
export function tombstonesAfter(
  tableRoot: string,
  tail: readonly CommitActions[],
  live: ReadonlyMap<string, AddAction>,
  cutoff: number,
): TombstonesAt {
  const byKey = new Map<string, RemoveAction>();
  const tailPaths = new Set<string>();
  for (const commit of tail) {
    for (const action of commit.actions) {
      if (action.kind === 'add') {
        tailPaths.add(action.add.path);
        byKey.delete(fileKey(tableRoot, action.add));
      } else if (action.kind === 'remove') {
        tailPaths.add(action.remove.path);
        byKey.set(fileKey(tableRoot, action.remove), action.remove);
      }
    }
  }
  const fromTail: RemoveAction[] = [];
  for (const [key, remove] of byKey) if (!live.has(key) && unexpired(remove, cutoff)) fromTail.push(remove);
  return { fromTail, tailPaths };
}

/**
 * The tombstones of a base checkpoint that a newer checkpoint carries: unexpired, not touched
 * by the tail (`tailPaths`) and not live. The same rule DeltaDuckDb applies in SQL when it
 * copies a parquet checkpoint's remove rows.
 */
export function carriedFromBase(
  tableRoot: string,
  base: readonly RemoveAction[],
  tailPaths: ReadonlySet<string>,
  live: ReadonlyMap<string, AddAction>,
  cutoff: number,
): RemoveAction[] {
  return base.filter(
    (r) => unexpired(r, cutoff) && !tailPaths.has(r.path) && !live.has(fileKey(tableRoot, r)),
  );
}

function unexpired(remove: RemoveAction, cutoff: number): boolean {
  return (remove.deletionTimestamp ?? 0) > cutoff;
}
