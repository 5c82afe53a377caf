// Notebook helpers for the end-to-end tests: notebook files, and driving AI SQL cells in a page.
import type { Locator, Page } from 'playwright-core';
import type { LabGlobal } from './browser.js';

/** A notebook file (nbformat 4) with the python3 kernel and the given cells. */
export function notebookFile(cells: Record<string, unknown>[]): string {
  return JSON.stringify({
    cells: cells.map((c, i) => ({ id: `cell-${i}`, metadata: {}, ...c })),
    metadata: {
      kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' },
      language_info: { name: 'python' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

/** The notebook panel of `path` in the page, once its cells are drawn. */
export async function waitForNotebook(page: Page): Promise<Locator> {
  const panel = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden)').first();
  await panel.locator('.jp-Cell').first().waitFor({ timeout: 60_000 });
  return panel;
}

/** The AI SQL cells of the visible notebook. */
/** Makes the open notebook's last cell the active one, in command mode. */
export async function selectLastCell(page: Page): Promise<void> {
  await page.evaluate(() => {
    const g = globalThis as unknown as {
      jupyterapp: {
        shell: {
          currentWidget: { content: { activeCellIndex: number; mode: string; widgets: unknown[] } };
        };
      };
    };
    const notebook = g.jupyterapp.shell.currentWidget.content;
    notebook.mode = 'command';
    notebook.activeCellIndex = notebook.widgets.length - 1;
  });
}

export function aiCells(page: Page): Locator {
  return page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .rtl-AiSqlCell');
}

/** Waits for the notebook's kernel to be idle (so Shift-Enter is not held by a dialog). */
export async function waitForKernelIdle(page: Page): Promise<void> {
  await page
    .locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator[data-status="idle"]')
    .first()
    .waitFor({ timeout: 60_000 })
    .catch(() => undefined);
}

/** Types a question into the focused AI SQL cell's editor and runs it with Shift-Enter. */
export async function askInCell(page: Page, cell: Locator, question: string): Promise<void> {
  await cell.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  if (question) await page.keyboard.type(question);
  await page.keyboard.press('Shift+Enter');
}

/** Saves the current notebook through the Lab command. */
export async function saveNotebook(page: Page): Promise<void> {
  await page.evaluate(() =>
    (globalThis as unknown as LabGlobal).jupyterapp.commands.execute('docmanager:save'),
  );
}

/** The table's cells of an answer view, row by row. */
export async function answerRows(answer: Locator): Promise<string[][]> {
  return answer
    .locator('.rtl-AnswerTable tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) =>
        Array.from(
          (row as unknown as { children: ArrayLike<{ textContent: string | null }> }).children,
          (td) => td.textContent ?? '',
        ),
      ),
    );
}

/** The table's header names of an answer view. */
export async function answerColumns(answer: Locator): Promise<string[]> {
  const names = await answer.locator('.rtl-AnswerTable thead th').allTextContents();
  return names.map((n) => n.replace(/ [▲▼]$/, '').trim());
}
