// The storage port of the Delta core: a flat key space of immutable-ish objects, as on S3,
// GCS or a local folder. Keys are relative, '/'-separated, without a leading slash.

/** Size and modification time of a stored object. */
export interface ObjectMeta {
  key: string;
  size: number;
  /** Milliseconds since the epoch. */
  lastModified: number;
}

export interface ObjectStore {
  /** The absolute location of key '' (a local directory path or a URL such as s3://bucket/x). */
  readonly root: string;

  /** The location DuckDB and other readers use for `key`. */
  urlFor(key: string): string;

  /**
   * Keys under `prefix` (a folder, e.g. `_delta_log/`), sorted ascending. Recursive unless
   * `recursive` is false. `startAfter` returns only keys sorted after it (S3's StartAfter).
   * An absent folder lists as empty.
   */
  list(prefix: string, options?: { recursive?: boolean; startAfter?: string }): Promise<string[]>;

  /** Like `list`, with each object's size and modification time. */
  listWithMeta(prefix: string, options?: { recursive?: boolean }): Promise<ObjectMeta[]>;

  /** Object contents. Throws NotFoundError when absent. */
  get(key: string): Promise<Uint8Array>;

  /** Object metadata, or undefined when absent. */
  head(key: string): Promise<ObjectMeta | undefined>;

  /** Writes (or replaces) an object; readers never see a partial object. */
  put(key: string, data: Uint8Array | string): Promise<void>;

  /**
   * Writes an object only if no object exists at `key`, atomically: of two concurrent
   * callers exactly one succeeds; the other gets FileAlreadyExistsError. Readers never see a
   * partial object. Optimistic Delta commits rest on this contract.
   */
  putIfAbsent(key: string, data: Uint8Array | string): Promise<void>;

  /** Deletes an object; deleting an absent object is not an error. */
  delete(key: string): Promise<void>;
}
