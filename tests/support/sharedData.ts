// Data the tests read but nobody here wrote (Delta conformance tables, the NL evaluation set)
// lives beside the repository, in ../shared. A clone made elsewhere (`git clone . /tmp/x`) finds
// it beside the repository it was cloned from (its `origin`, when that is a local folder).
// RTL_SHARED_DIR names the folder outright.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function originShared(): string | undefined {
  let url: string;
  try {
    url = execFileSync('git', ['-C', REPO, 'config', '--get', 'remote.origin.url'], {
      encoding: 'utf8',
    }).trim();
  } catch {
    return undefined;
  }
  const local = url.startsWith('file://') ? fileURLToPath(url) : url;
  if (!path.isAbsolute(local)) return undefined;
  const candidate = path.resolve(local, '..', 'shared');
  return existsSync(candidate) ? candidate : undefined;
}

let resolved: string | undefined;

/** The shared data folder (see above); `<repo>/../shared` when none is found, so errors name it. */
export function sharedDir(): string {
  if (resolved) return resolved;
  const beside = path.resolve(REPO, '..', 'shared');
  resolved =
    process.env['RTL_SHARED_DIR'] || (existsSync(beside) ? beside : undefined) || originShared() || beside;
  return resolved;
}

/** A file or folder inside the shared data folder. */
export const sharedPath = (...parts: string[]): string => path.join(sharedDir(), ...parts);
