// Names of the files in `_delta_log/`: commits, classic / multi-part / v2 checkpoints, CRCs.

/** A file in `_delta_log/` whose name the Delta protocol gives a meaning to. */
export type LogFile =
  | { type: 'commit'; version: number; name: string }
  | { type: 'checkpoint'; version: number; name: string; part: number; parts: number }
  | { type: 'v2checkpoint'; version: number; name: string; format: 'json' | 'parquet' }
  | { type: 'compacted'; version: number; toVersion: number; name: string }
  | { type: 'crc'; version: number; name: string };

const COMMIT = /^(\d{20})\.json$/;
const CHECKPOINT = /^(\d{20})\.checkpoint\.parquet$/;
const MULTIPART = /^(\d{20})\.checkpoint\.(\d{10})\.(\d{10})\.parquet$/;
const V2_CHECKPOINT = /^(\d{20})\.checkpoint\.[0-9a-fA-F-]{36}\.(json|parquet)$/;
const COMPACTED = /^(\d{20})\.(\d{20})\.compacted\.json$/;
const CRC = /^(\d{20})\.crc$/;

/** Classifies a `_delta_log/` file name; undefined for names the protocol does not define. */
export function logFileFromName(name: string): LogFile | undefined {
  let m = COMMIT.exec(name);
  if (m) return { type: 'commit', version: Number(m[1]), name };
  m = CHECKPOINT.exec(name);
  if (m) return { type: 'checkpoint', version: Number(m[1]), name, part: 1, parts: 1 };
  m = MULTIPART.exec(name);
  if (m) return { type: 'checkpoint', version: Number(m[1]), name, part: Number(m[2]), parts: Number(m[3]) };
  m = V2_CHECKPOINT.exec(name);
  if (m) return { type: 'v2checkpoint', version: Number(m[1]), name, format: m[2] as 'json' | 'parquet' };
  m = COMPACTED.exec(name);
  if (m) return { type: 'compacted', version: Number(m[1]), toVersion: Number(m[2]), name };
  m = CRC.exec(name);
  if (m) return { type: 'crc', version: Number(m[1]), name };
  return undefined;
}

/** `00000000000000000042` for 42. */
export function versionPrefix(version: number): string {
  return String(version).padStart(20, '0');
}

/** The commit file name for `version`. */
export function commitFileName(version: number): string {
  return `${versionPrefix(version)}.json`;
}

/** The single-file classic checkpoint name for `version`. */
export function checkpointFileName(version: number): string {
  return `${versionPrefix(version)}.checkpoint.parquet`;
}
