// The fixture of the Delta integration tests: a temp folder and a DeltaDuckDb, made before the
// file's tests and removed after them.
import { DeltaDuckDb } from '@rt-lakehouse/kernel-helpers';
import { workspace } from './workspace.js';

export interface DeltaWorkspace {
  /** The temp folder (set before the first test). */
  readonly dir: string;
  /** The DuckDB instance Delta tables read and write with (set before the first test). */
  readonly duck: DeltaDuckDb;
}

/** Registers beforeAll/afterAll hooks that make and remove a workspace; call at module level. */
export function deltaWorkspace(): DeltaWorkspace {
  const ws = workspace(
    () => DeltaDuckDb.create(),
    (duck) => duck.close(),
  );
  return {
    get dir() {
      return ws.dir;
    },
    get duck() {
      return ws.value;
    },
  };
}
