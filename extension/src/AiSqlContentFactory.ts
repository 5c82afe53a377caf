// The notebook content factory: AI SQL cells (code cells marked in their metadata) get the
// AiSqlCell widget; every other cell is made as JupyterLab makes it.
import type { Cell, CodeCell } from '@jupyterlab/cells';
import { NotebookPanel } from '@jupyterlab/notebook';
import { AiSqlCell } from './AiSqlCell';
import type { AiSqlRunner } from './AiSqlRunner';
import { isAiSqlCell } from './aiSqlMetadata';

export class AiSqlContentFactory extends NotebookPanel.ContentFactory {
  constructor(
    options: Cell.ContentFactory.IOptions,
    private readonly runner: AiSqlRunner,
  ) {
    super(options);
  }

  override createCodeCell(options: CodeCell.IOptions): CodeCell {
    if (isAiSqlCell(options.model)) return new AiSqlCell(options, this.runner).initializeState();
    return super.createCodeCell(options);
  }
}
