import { selectLogSegment } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';
import { logFilesFromNames } from '../../../kernel-helpers/src/delta/LogSegment.js';
import { commitFileName, logFileFromName } from '../../../kernel-helpers/src/delta/logFileNames.js';

const commits = (...versions: number[]) => versions.map(commitFileName);
const ckpt = (v: number) => `${String(v).padStart(20, '0')}.checkpoint.parquet`;
const part = (v: number, p: number, n: number) =>
  `${String(v).padStart(20, '0')}.checkpoint.${String(p).padStart(10, '0')}.${String(n).padStart(10, '0')}.parquet`;

describe('log file names', () => {
  it('classifies every kind the protocol defines and ignores the rest', () => {
    expect(logFileFromName('00000000000000000007.json')).toEqual({
      type: 'commit',
      version: 7,
      name: '00000000000000000007.json',
    });
    expect(logFileFromName(ckpt(10))).toMatchObject({ type: 'checkpoint', version: 10, part: 1, parts: 1 });
    expect(logFileFromName(part(10, 2, 3))).toMatchObject({
      type: 'checkpoint',
      version: 10,
      part: 2,
      parts: 3,
    });
    expect(
      logFileFromName('00000000000000000002.checkpoint.80a083e8-7026-4e79-81be-64bd76c43a11.json'),
    ).toMatchObject({
      type: 'v2checkpoint',
      version: 2,
      format: 'json',
    });
    expect(logFileFromName('00000000000000000003.crc')).toMatchObject({ type: 'crc', version: 3 });
    expect(logFileFromName('_last_checkpoint')).toBeUndefined();
    expect(logFileFromName('.00000000000000000003.json.crc')).toBeUndefined();
    expect(logFileFromName('7.json')).toBeUndefined();
  });
});

describe('selectLogSegment', () => {
  it('replays every commit when there is no checkpoint', () => {
    const seg = selectLogSegment('t', logFilesFromNames(commits(0, 1, 2)));
    expect(seg).toEqual({
      version: 2,
      checkpoint: undefined,
      commits: [0, 1, 2].map((version) => ({ version, name: commitFileName(version) })),
    });
  });

  it('starts from the newest checkpoint at or before the target', () => {
    const files = logFilesFromNames([...commits(0, 1, 2, 3, 4, 5, 6), ckpt(2), ckpt(5)]);
    expect(selectLogSegment('t', files)).toMatchObject({
      version: 6,
      checkpoint: { version: 5 },
      commits: [{ version: 6 }],
    });
    expect(selectLogSegment('t', files, 4)).toMatchObject({
      version: 4,
      checkpoint: { version: 2, kind: 'classic' },
      commits: [{ version: 3 }, { version: 4 }],
    });
    expect(selectLogSegment('t', files, 1).checkpoint).toBeUndefined();
  });

  it('uses a multi-part checkpoint only when all parts exist', () => {
    const complete = logFilesFromNames([...commits(0, 1, 2), part(1, 1, 2), part(1, 2, 2)]);
    expect(selectLogSegment('t', complete).checkpoint).toEqual({
      version: 1,
      kind: 'multipart',
      files: [part(1, 1, 2), part(1, 2, 2)],
    });
    const incomplete = logFilesFromNames([...commits(0, 1, 2), part(1, 1, 2)]);
    expect(selectLogSegment('t', incomplete).checkpoint).toBeUndefined();
  });

  it('reads a table whose early commits were cleaned up after a checkpoint', () => {
    const files = logFilesFromNames([...commits(10, 11), ckpt(10)]);
    expect(selectLogSegment('t', files)).toMatchObject({
      version: 11,
      checkpoint: { version: 10 },
      commits: [{ version: 11 }],
    });
  });

  it('refuses gaps, missing versions and empty logs with named errors', () => {
    expect(() => selectLogSegment('t', logFilesFromNames(commits(0, 2)))).toThrow(
      /Delta table t at version 2: commit 1 is missing from _delta_log\//,
    );
    expect(() => selectLogSegment('t', logFilesFromNames(commits(0, 1)), 5)).toThrow(
      /version does not exist: the log holds versions up to 1/,
    );
    expect(() => selectLogSegment('t', logFilesFromNames([]))).toThrow(/no Delta log/);
    expect(() => selectLogSegment('t', logFilesFromNames([...commits(10, 11), ckpt(10)]), 3)).toThrow(
      /cannot reconstruct this version/,
    );
  });
});
