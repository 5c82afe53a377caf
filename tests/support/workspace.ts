// A temp folder with something opened in it (a DuckDB instance, a lakehouse), made before a
// test file's tests and closed and removed after them.
import { afterAll, beforeAll } from 'vitest';
import { makeTempDir, removeDir } from './tempDir.js';

/**
 * Registers beforeAll/afterAll hooks: a temp folder, and `open(folder)`; after the tests,
 * `close` and the folder removed. Call at module level; the fields are set before the first test.
 */
export function workspace<T>(
  open: (dir: string) => Promise<T>,
  close: (value: T) => void,
): { readonly dir: string; readonly value: T } {
  const ws = { dir: '', value: undefined as T | undefined };
  beforeAll(async () => {
    ws.dir = await makeTempDir();
    ws.value = await open(ws.dir);
  });
  afterAll(async () => {
    if (ws.value !== undefined) close(ws.value);
    await removeDir(ws.dir);
  });
  return ws as { readonly dir: string; readonly value: T };
}
