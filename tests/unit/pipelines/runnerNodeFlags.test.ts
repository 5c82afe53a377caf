// Which of the runner's Node flags a process lacks: `lakehouse pipelines` starts itself again
// with those. A flag counts as given in the process's own flags or in NODE_OPTIONS, with any
// value and in either spelling (V8 accepts `_` for `-`).
import { describe, expect, it } from 'vitest';
import {
  missingRunnerNodeFlags,
  PIPELINE_RUNNER_NODE_FLAGS,
} from '../../../services/src/pipelines/runnerNodeFlags.js';

describe('missingRunnerNodeFlags', () => {
  it('lists every runner flag for a plain process', () => {
    expect(missingRunnerNodeFlags(['--conditions=source', '--import', 'tsx'], '')).toEqual([
      ...PIPELINE_RUNNER_NODE_FLAGS,
    ]);
  });

  it('counts a flag as given on the command line or in NODE_OPTIONS, with any value or spelling', () => {
    expect(missingRunnerNodeFlags(['--max-semi-space-size=64'], '')).toEqual([]);
    expect(missingRunnerNodeFlags(['--max-semi-space-size=32'], '')).toEqual([]);
    expect(missingRunnerNodeFlags([], '--enable-source-maps --max-semi-space-size=128')).toEqual([]);
    expect(missingRunnerNodeFlags([], '--max_semi_space_size=16')).toEqual([]);
    expect(missingRunnerNodeFlags(['--max-old-space-size=4096'], '--stack-size=2000')).toEqual([
      '--max-semi-space-size=64',
    ]);
  });
});
