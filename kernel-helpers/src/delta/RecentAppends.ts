// The rows of the latest appends a DeltaTable object committed, as the column arrays its
// writer gave, so that a stream reading the table in the same process (Silver after Bronze,
// Gold after Silver) takes them from memory instead of decoding the files it just wrote.
// Bounded by rows: the oldest appends are forgotten first, and a reader that finds nothing
// reads the files, so what it gets never depends on what is remembered. Readers that say which
// versions they have taken let an append go as soon as every one of them has it: a batch's rows
// then leave the heap with the batch instead of waiting for the budget to push them out (each
// collection of the old generation marks every row still remembered).

/** One committed append: its version, the data files it added and the rows, column by column. */
export interface RecentAppend {
  version: number;
  /** The add actions' paths, in commit order. */
  paths: readonly string[];
  /** The writer's values before they were cast to the table's types. */
  columns: Readonly<Record<string, readonly unknown[]>>;
  rowCount: number;
}

/** A reader of a RecentAppends: says what it has taken; closed when it reads no more. */
export interface RecentAppendsReader {
  /** Versions up to `version` are taken: this reader will not ask for them again. */
  taken(version: number): void;
  /** The reader is gone: what it has not taken no longer waits for it. */
  close(): void;
}

export class RecentAppends {
  private readonly byVersion = new Map<number, RecentAppend>();
  private rows = 0;
  private budget: number;
  /** Each open reader's last taken version (-1 before any). */
  private readonly readers = new Map<symbol, number>();

  constructor(maxRows: number) {
    if (!(maxRows > 0)) throw new RangeError('maxRows must be positive');
    this.budget = maxRows;
  }

  /** The row budget. */
  get maxRows(): number {
    return this.budget;
  }

  /** Raises the row budget to `maxRows` (a smaller one leaves it as it is). */
  grow(maxRows: number): void {
    if (maxRows > this.budget) this.budget = maxRows;
  }

  /**
   * A reader: an append is forgotten once every open reader has taken its version (and, as
   * always, when the row budget needs the room). With no open reader only the budget counts.
   */
  reader(): RecentAppendsReader {
    const id = Symbol('reader');
    this.readers.set(id, -1);
    return {
      taken: (version) => {
        if (!this.readers.has(id) || version <= this.readers.get(id)!) return;
        this.readers.set(id, version);
        this.forgetTaken();
      },
      close: () => {
        if (this.readers.delete(id)) this.forgetTaken();
      },
    };
  }

  /** Forgets the appends every open reader has taken. */
  private forgetTaken(): void {
    if (this.readers.size === 0) return;
    const through = Math.min(...this.readers.values());
    // Versions are added in commit order, so the map iterates oldest first.
    for (const [version, old] of this.byVersion) {
      if (version > through) break;
      this.byVersion.delete(version);
      this.rows -= old.rowCount;
    }
  }

  /** Remembers an append, forgetting the oldest ones beyond `maxRows` (a bigger one is not kept). */
  add(append: RecentAppend): void {
    if (append.rowCount > this.budget || this.byVersion.has(append.version)) return;
    this.byVersion.set(append.version, append);
    this.rows += append.rowCount;
    for (const [version, old] of this.byVersion) {
      if (this.rows <= this.budget) break;
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
