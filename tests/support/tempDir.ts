// Temporary folders for tests, removed afterwards.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh empty folder under the OS temp dir. */
export function makeTempDir(prefix = 'rtl-test-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): Promise<void> {
  return fs.rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
}
