import { parseCommitFile, replayLog } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';

const root = '/lake/t';
const meta =
  '{"metaData":{"id":"x","format":{"provider":"parquet","options":{}},"schemaString":"{\\"type\\":\\"struct\\",\\"fields\\":[{\\"name\\":\\"id\\",\\"type\\":\\"long\\",\\"nullable\\":true,\\"metadata\\":{}}]}","partitionColumns":[],"configuration":{}}}';
const protocol = '{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}';
const add = (p: string) =>
  `{"add":{"path":"${p}","partitionValues":{},"size":1,"modificationTime":1,"dataChange":true}}`;
const remove = (p: string) => `{"remove":{"path":"${p}","deletionTimestamp":5,"dataChange":true}}`;
const txn = (app: string, v: number) => `{"txn":{"appId":"${app}","version":${v}}}`;
const commit = (version: number, ...lines: string[]) => ({
  version,
  actions: parseCommitFile(lines.join('\n'), 't', version),
});

describe('replayLog', () => {
  it('keeps the files added and not removed, and the latest txn per app', () => {
    const state = replayLog('t', root, undefined, [
      commit(0, protocol, meta, add('a'), add('b'), txn('bronze-0', 10)),
      commit(1, remove('a'), add('c'), txn('bronze-0', 20), txn('bronze-1', 5)),
      commit(2, remove('file:/lake/t/b'), add('a')),
    ]);
    expect(state.version).toBe(2);
    expect([...state.files.keys()].sort()).toEqual(['/lake/t/a', '/lake/t/c']);
    expect(Object.fromEntries([...state.txns].map(([k, v]) => [k, v.version]))).toEqual({
      'bronze-0': 20,
      'bronze-1': 5,
    });
    expect(state.schema.fields.map((f) => f.name)).toEqual(['id']);
  });

  it('treats percent-encoded and absolute spellings of one path as the same file', () => {
    const state = replayLog('t', root, undefined, [
      commit(0, protocol, meta, add('p%3Dq/x%20y.parquet')),
      commit(1, remove('file:///lake/t/p=q/x y.parquet')),
    ]);
    expect(state.files.size).toBe(0);
  });

  it('starts from checkpoint actions', () => {
    const ckpt = {
      version: 10,
      actions: parseCommitFile([protocol, meta, add('a'), txn('s', 3)].join('\n'), 't', 10),
    };
    const state = replayLog('t', root, ckpt, [commit(11, add('b'))]);
    expect(state.version).toBe(11);
    expect(state.files.size).toBe(2);
    expect(state.txns.get('s')?.version).toBe(3);
  });

  it('fails without protocol or metadata', () => {
    expect(() => replayLog('t', root, undefined, [commit(0, meta)])).toThrow(
      'Delta table t at version 0: no protocol action in the log',
    );
    expect(() => replayLog('t', root, undefined, [commit(0, protocol)])).toThrow(
      'Delta table t at version 0: no metaData action in the log',
    );
  });
});
