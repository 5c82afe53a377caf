// Durable file replacement: write a temporary file beside the target, fsync it, rename it over
// the target, fsync the folder. A reader (or a restart after a crash) sees the old or the new
// content, never a mix.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Replaces `file` with `data` atomically and durably. @throws the file system's error. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(tmp, file);
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw error;
  }
  const dir = await fs.open(path.dirname(file), 'r');
  try {
    await dir.sync();
  } catch {
    // Some file systems cannot fsync a folder; the rename itself is still atomic there.
  } finally {
    await dir.close();
  }
}
