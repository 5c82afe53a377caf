import { describe, expect, it } from 'vitest';
import { logFilesFromNames } from '../../../kernel-helpers/src/delta/LogSegment.js';
import { logCutCandidates, logFilesBefore } from '../../../kernel-helpers/src/delta/logCleanup.js';

const v = (n: number) => String(n).padStart(20, '0');
const names = [
  ...Array.from({ length: 31 }, (_, i) => `${v(i)}.json`),
  `${v(5)}.crc`,
  `${v(10)}.checkpoint.parquet`,
  // A multi-part checkpoint missing a part is not a place to cut.
  `${v(15)}.checkpoint.0000000001.0000000002.parquet`,
  `${v(20)}.checkpoint.0000000001.0000000002.parquet`,
  `${v(20)}.checkpoint.0000000002.0000000002.parquet`,
  `${v(25)}.checkpoint.parquet`,
  `${v(2)}.${v(4)}.compacted.json`,
  `${v(8)}.${v(12)}.compacted.json`,
  '_last_checkpoint',
];
const files = logFilesFromNames(names);

describe('expired-log cleanup', () => {
  it('cuts only at complete checkpoints above the oldest version, up to the given one', () => {
    expect(logCutCandidates(files, 30)).toEqual([10, 20, 25]);
    expect(logCutCandidates(files, 24)).toEqual([10, 20]);
    // Once cut at 10, the checkpoint there is the oldest version: cutting at it deletes nothing.
    expect(logCutCandidates(logFilesFromNames(names.filter((n) => n >= v(10))), 30)).toEqual([20, 25]);
  });

  it('deletes every file of an older version, oldest first, a checkpoint after its commit', () => {
    const doomed = logFilesBefore(files, 20).map((f) => f.name);
    expect(doomed).toHaveLength(20 + 1 + 1 + 1 + 2);
    expect(doomed.slice(0, 3)).toEqual([`${v(0)}.json`, `${v(1)}.json`, `${v(2)}.json`]);
    expect(doomed.indexOf(`${v(10)}.checkpoint.parquet`)).toBe(doomed.indexOf(`${v(10)}.json`) + 1);
    expect(doomed).toContain(`${v(5)}.crc`);
    expect(doomed).toContain(`${v(15)}.checkpoint.0000000001.0000000002.parquet`);
    // A compacted commit range goes once all of it is below the cut.
    expect(doomed).toContain(`${v(2)}.${v(4)}.compacted.json`);
    expect(doomed).toContain(`${v(8)}.${v(12)}.compacted.json`);
    expect(logFilesBefore(files, 10).map((f) => f.name)).not.toContain(`${v(8)}.${v(12)}.compacted.json`);
    expect(doomed).not.toContain(`${v(20)}.json`);
    expect(doomed).not.toContain('_last_checkpoint');
    for (let i = 1; i < doomed.length; i++)
      expect(Number(doomed[i]!.slice(0, 20))).toBeGreaterThanOrEqual(Number(doomed[i - 1]!.slice(0, 20)));
  });
});
