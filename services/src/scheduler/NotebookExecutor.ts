// The port the scheduler runs notebooks through. The Jupyter adapter (JupyterNotebookExecutor)
// drives a real kernel; the contract is what any adapter must keep.
import type { RunError } from './RunRecord.js';

export interface NotebookJob {
  /** The prepared notebook (parameters injected, AI SQL cells rewritten). */
  input: string;
  /** Where the executed notebook goes; written also when the run fails or times out (with the error in place). */
  outputIpynb: string;
  /** Where the HTML rendering of the executed notebook goes. */
  outputHtml: string;
  /** The kernel's working folder (the notebook's own folder, so relative paths work as in JupyterLab). */
  cwd: string;
  /** Wall-clock limit of the cell execution; the run fails with kind 'timeout' past it. */
  timeoutSeconds: number;
  /** Added to the kernel's environment. */
  env: Record<string, string>;
  /** A log of the runner's own output (kernel start-up messages and such). */
  logFile: string;
  /** Aborting stops the run (kernel killed); the result is then 'interrupted'. */
  signal: AbortSignal;
}

export interface NotebookJobResult {
  status: 'succeeded' | 'failed' | 'interrupted';
  error: RunError | null;
  /** Which outputs exist after the run. */
  wrote: { ipynb: boolean; html: boolean };
}

/** Runs one prepared notebook. Never rejects for a failing notebook: that is a 'failed' result. */
export interface NotebookExecutor {
  execute(job: NotebookJob): Promise<NotebookJobResult>;
}
