// The rows of the latest appends a DeltaTable object committed, as the column arrays its
// writer gave, so that a stream reading the table in the same process (Silver after Bronze,
// Gold after Silver) takes them from memory instead of decoding the files it just wrote.
// Bounded by rows: the oldest appends are forgotten first, and a reader that finds nothing
// reads the files, so what it gets never depends on what is remembered.

/** One committed append: its version, the data files it added and the rows, column by column. */
export interface RecentAppend {
  version: number;
  /** The add actions' paths, in commit order. */
  paths: readonly string[];
  /** The writer's values before they were cast to the table's types. */
  columns: Readonly<Record<string, readonly unknown[]>>;
  rowCount: number;
}

export class RecentAppends {
  private readonly byVersion = new Map<number, RecentAppend>();
  private rows = 0;

  constructor(readonly maxRows: number) {
    if (!(maxRows > 0)) throw new RangeError('maxRows must be positive');
  }

  /** Remembers an append, forgetting the oldest ones beyond `maxRows` (a bigger one is not kept). */
  add(append: RecentAppend): void {
    if (append.rowCount > this.maxRows || this.byVersion.has(append.version)) return;
    this.byVersion.set(append.version, append);
    this.rows += append.rowCount;
    for (const [version, old] of this.byVersion) {
      if (this.rows <= this.maxRows) break;
      this.byVersion.delete(version);
      this.rows -= old.rowCount;
    }
  }

  /** The append committed as `version` when it is still remembered and added exactly `paths`. */
  get(version: number, paths: readonly string[]): RecentAppend | undefined {
    const append = this.byVersion.get(version);
    if (!append || append.paths.length !== paths.length) return undefined;
    for (let i = 0; i < paths.length; i++) if (append.paths[i] !== paths[i]) return undefined;
    return append;
  }

  /** Rows remembered now. */
  get size(): number {
    return this.rows;
  }
}
