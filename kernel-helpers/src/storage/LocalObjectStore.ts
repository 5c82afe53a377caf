// ObjectStore over a local folder. Atomic writes go through a temporary file in the same
// folder; create-if-absent uses link(2), which fails with EEXIST if the target exists.
import { randomUUID } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { FileAlreadyExistsError, LakehouseError } from '../errors.js';
import type { ObjectMeta, ObjectStore } from './ObjectStore.js';

/** A key that is not in the store. */
export class NotFoundError extends LakehouseError {
  constructor(
    readonly key: string,
    options: { cause?: unknown } = {},
  ) {
    super('NOT_FOUND', `object not found: ${key}`, options);
  }
}

const TMP_PREFIX = '.tmp-';

function isErrno(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && (e as NodeJS.ErrnoException).code === code;
}

export class LocalObjectStore implements ObjectStore {
  readonly root: string;

  /** A store rooted at `root` (made absolute); the folder need not exist yet. */
  constructor(root: string) {
    this.root = path.resolve(root);
  }

  urlFor(key: string): string {
    return key === '' ? this.root : path.join(this.root, key);
  }

  async list(prefix: string, options: { recursive?: boolean; startAfter?: string } = {}): Promise<string[]> {
    const dir = this.urlFor(prefix).replace(/[\\/]+$/, '');
    const base = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
    const after = options.startAfter;
    const names: string[] = [];
    try {
      if (options.recursive === false) {
        for (const e of await fs.readdir(dir, { withFileTypes: true })) {
          if (!e.isFile() || e.name.startsWith(TMP_PREFIX)) continue;
          const key = base + e.name;
          if (after === undefined || key > after) names.push(key);
        }
      } else {
        const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true });
        for (const e of entries) {
          if (!e.isFile() || e.name.startsWith(TMP_PREFIX)) continue;
          const parent =
            (e as unknown as { parentPath?: string; path?: string }).parentPath ??
            (e as { path?: string }).path ??
            dir;
          const sub =
            parent.length > dir.length
              ? `${parent
                  .slice(dir.length + 1)
                  .split(path.sep)
                  .join('/')}/`
              : '';
          const key = base + sub + e.name;
          if (after === undefined || key > after) names.push(key);
        }
      }
    } catch (e) {
      if (isErrno(e, 'ENOENT') || isErrno(e, 'ENOTDIR')) return [];
      throw e;
    }
    return names.sort();
  }

  async listWithMeta(prefix: string, options: { recursive?: boolean } = {}): Promise<ObjectMeta[]> {
    const keys = await this.list(prefix, options);
    const metas: ObjectMeta[] = [];
    // A batch of stats at a time: a folder can hold hundreds of thousands of files.
    for (let i = 0; i < keys.length; i += 256) {
      for (const m of await Promise.all(keys.slice(i, i + 256).map((k) => this.head(k))))
        if (m !== undefined) metas.push(m);
    }
    return metas;
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      return await fs.readFile(this.urlFor(key));
    } catch (e) {
      if (isErrno(e, 'ENOENT')) throw new NotFoundError(key, { cause: e });
      throw e;
    }
  }

  async head(key: string): Promise<ObjectMeta | undefined> {
    try {
      const st = await fs.stat(this.urlFor(key));
      return st.isFile() ? { key, size: st.size, lastModified: Math.floor(st.mtimeMs) } : undefined;
    } catch (e) {
      if (isErrno(e, 'ENOENT') || isErrno(e, 'ENOTDIR')) return undefined;
      throw e;
    }
  }

  /** Writes `data` to a fresh temporary file next to `key`, synced, and returns its path. */
  private async writeTemp(key: string, data: Uint8Array | string): Promise<string> {
    const target = this.urlFor(key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const tmp = path.join(path.dirname(target), `${TMP_PREFIX}${randomUUID()}`);
    const handle = await fs.open(tmp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return tmp;
  }

  async put(key: string, data: Uint8Array | string): Promise<void> {
    const tmp = await this.writeTemp(key, data);
    try {
      await fs.rename(tmp, this.urlFor(key));
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw e;
    }
  }

  async putIfAbsent(key: string, data: Uint8Array | string): Promise<void> {
    const target = this.urlFor(key);
    if (await this.head(key)) throw new FileAlreadyExistsError(key);
    const tmp = await this.writeTemp(key, data);
    try {
      await fs.link(tmp, target);
    } catch (e) {
      if (isErrno(e, 'EEXIST')) throw new FileAlreadyExistsError(key, { cause: e });
      throw e;
    } finally {
      await fs.rm(tmp, { force: true });
    }
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.urlFor(key), { force: true });
  }
}
