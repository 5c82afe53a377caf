import { parseCommitFile, serializeActions } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';

const protocol = '{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}';
const add =
  '{"add":{"path":"a.parquet","partitionValues":{},"size":10,"modificationTime":1,"dataChange":true}}';

describe('parseCommitFile', () => {
  it('parses actions in order and round-trips them', () => {
    const actions = parseCommitFile(`${protocol}\n${add}\n`, 't', 0);
    expect(actions.map((a) => a.kind)).toEqual(['protocol', 'add']);
    expect(parseCommitFile(serializeActions(actions), 't', 0)).toEqual(actions);
  });

  it('names the table, version and line of a truncated file', () => {
    const truncated = `${protocol}\n${add.slice(0, 40)}`;
    expect(() => parseCommitFile(truncated, 'events', 3)).toThrow(
      /^Delta table events at version 3: commit file line 2 is not valid JSON \(corrupt or truncated file\)/,
    );
  });

  it('refuses unknown actions instead of skipping them', () => {
    expect(() => parseCommitFile(`${protocol}\n{"mystery":{"x":1}}\n`, 'events', 4)).toThrow(
      "Delta table events at version 4: line 2: unknown action 'mystery'",
    );
  });

  it('refuses actions missing required fields, naming the field', () => {
    expect(() => parseCommitFile('{"add":{"path":"a","size":1,"modificationTime":1}}', 'events', 5)).toThrow(
      "Delta table events at version 5: line 1: invalid 'add' action, field dataChange",
    );
    expect(() => parseCommitFile('{"add":{},"remove":{}}', 'e', 1)).toThrow(
      /expected exactly one action per line, found add, remove/,
    );
    expect(() => parseCommitFile('[1,2]', 'e', 1)).toThrow(/an action must be a JSON object/);
  });

  it('refuses an empty commit file', () => {
    expect(() => parseCommitFile('\n\n', 'e', 9)).toThrow('Delta table e at version 9: commit file is empty');
  });
});
