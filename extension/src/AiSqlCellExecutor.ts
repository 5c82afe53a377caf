// The notebook's cell executor: AI SQL cells are answered by the assistant (AiSqlRunner);
// every other cell goes to the executor JupyterLab or jupyter-collaboration would have used —
// the kernel over its WebSocket, or the server's execute endpoint when jupyter-collaboration's
// server-side execution is on. (Both of those executor plugins are disabled in package.json,
// so this is the only provider of INotebookCellExecutor: see docs/extension.md.)
import { PageConfig, URLExt } from '@jupyterlab/coreutils';
import { type INotebookCellExecutor, runCell as runCellOnKernel } from '@jupyterlab/notebook';
import { ServerConnection } from '@jupyterlab/services';
import { AiSqlCell } from './AiSqlCell';
import type { AiSqlRunner } from './AiSqlRunner';
import { isAiSqlCell } from './aiSqlMetadata';

export class AiSqlCellExecutor implements INotebookCellExecutor {
  constructor(
    private readonly runner: AiSqlRunner,
    private readonly fallback: INotebookCellExecutor,
  ) {}

  async runCell(options: INotebookCellExecutor.IRunCellOptions): Promise<boolean> {
    const { cell } = options;
    if (!isAiSqlCell(cell.model)) return this.fallback.runCell(options);
    options.onCellExecutionScheduled({ cell });
    const success =
      cell instanceof AiSqlCell
        ? await cell.run()
        : await this.runner.run(cell.model as AiSqlCell['model'], options.notebook, { type: 'question' });
    options.onCellExecuted({ cell, success });
    // true: the run finished (an unanswerable question is shown in the cell, not a failure
    // that should stop "run all").
    return true;
  }
}

/** The executor ordinary cells get: the server's (jupyter-collaboration) or the kernel's. */
export function createFallbackExecutor(serverSettings: ServerConnection.ISettings): INotebookCellExecutor {
  if (PageConfig.getOption('serverSideExecution') === 'true')
    return new ServerSideCellExecutor(serverSettings);
  return { runCell: runCellOnKernel };
}

/**
 * Runs code cells through the server (`POST api/kernels/<id>/execute` with the cell and
 * document ids), as jupyter-collaboration's NotebookCellServerExecutor does: the server writes
 * the outputs into the shared document. Other cells go to the kernel executor's handling.
 */
export class ServerSideCellExecutor implements INotebookCellExecutor {
  constructor(private readonly serverSettings: ServerConnection.ISettings) {}

  async runCell(options: INotebookCellExecutor.IRunCellOptions): Promise<boolean> {
    const { cell, notebook, sessionContext, onCellExecuted, onCellExecutionScheduled } = options;
    if (cell.model.type !== 'code' || !sessionContext) return runCellOnKernel(options);
    if (sessionContext.hasNoKernel) {
      await sessionContext.startKernel();
    }
    const kernelId = sessionContext.session?.kernel?.id;
    if (!kernelId) {
      cell.model.sharedModel.transact(() => (cell.model as AiSqlCell['model']).clearExecution());
      return true;
    }
    const url = URLExt.join(this.serverSettings.baseUrl, `api/kernels/${kernelId}/execute`);
    const body = JSON.stringify({
      cell_id: cell.model.sharedModel.getId(),
      document_id: notebook.sharedModel.getState('document_id'),
    });
    onCellExecutionScheduled({ cell });
    let success = false;
    try {
      const response = await ServerConnection.makeRequest(url, { method: 'POST', body }, this.serverSettings);
      success = response.ok;
    } catch (error) {
      onCellExecuted({ cell, success: false });
      if (cell.isDisposed) return false;
      throw error;
    }
    onCellExecuted({ cell, success });
    return true;
  }
}
