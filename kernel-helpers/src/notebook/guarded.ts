// Runs a helper's work and turns whatever it throws into a readable NotebookError.
import type { ErrorContext } from './describeError.js';
import { NotebookError } from './NotebookError.js';

/** `await work()`, rethrowing any failure as a NotebookError in `context`. */
export async function guarded<T>(context: ErrorContext, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw NotebookError.from(error, context);
  }
}
