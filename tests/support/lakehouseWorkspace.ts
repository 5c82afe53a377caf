// The fixture of tests that need a lakehouse: a temp folder and a Lakehouse opened on it, made
// before the file's tests and closed and removed after them.
import { Lakehouse } from '@rt-lakehouse/kernel-helpers';
import { workspace } from './workspace.js';

/** Registers beforeAll/afterAll hooks that make and remove the lakehouse; call at module level. */
export function lakehouseWorkspace(): { readonly dir: string; readonly lakehouse: Lakehouse } {
  const ws = workspace(
    (dir) => Lakehouse.open({ dir }),
    (lakehouse) => lakehouse.close(),
  );
  return {
    get dir() {
      return ws.dir;
    },
    get lakehouse() {
      return ws.value;
    },
  };
}
