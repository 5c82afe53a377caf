// Inserts an AI SQL cell below the active cell and puts the cursor in its question.
import type { NotebookPanel } from '@jupyterlab/notebook';
import { AI_SQL_KIND, METADATA_KEY } from './aiSqlMetadata';

/** Inserts an empty AI SQL cell (optionally with a question) and focuses its editor. */
export function insertAiSqlCell(panel: NotebookPanel, question = ''): void {
  const notebook = panel.content;
  const model = notebook.model;
  if (!model) return;
  const index = model.cells.length === 0 ? 0 : notebook.activeCellIndex + 1;
  // The metadata is part of the inserted cell, so every client (and the content factory)
  // sees an AI SQL cell from the start.
  model.sharedModel.insertCell(index, {
    cell_type: 'code',
    source: question,
    metadata: { [METADATA_KEY]: { kind: AI_SQL_KIND } },
    outputs: [],
    execution_count: null,
  });
  notebook.activeCellIndex = index;
  notebook.deselectAll();
  notebook.mode = 'edit';
  void notebook.activeCell?.ready.then(() => notebook.activeCell?.editor?.focus());
}
