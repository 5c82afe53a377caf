// Real-time collaboration (jupyter-collaboration 5 in the venv): two browser contexts — two
// separate sessions, no shared storage — open one notebook. An AI SQL cell inserted and run in
// one appears with its question and its answer in the other, and a follow-up asked in the
// other comes back to the first; neither sees an output twice.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPath } from '../support/sharedData.js';
import { launchChromium, openLab } from './support/browser.js';
import { ensureSetUp } from './support/ensureSetUp.js';
import { type JupyterLab, startJupyterLab } from './support/jupyterLab.js';
import { makeWorkDir, type Service, seedLakehouse, startAssistant } from './support/lakehouseStack.js';
import {
  aiCells,
  answerRows,
  askInCell,
  notebookFile,
  waitForKernelIdle,
  waitForNotebook,
} from './support/notebook.js';
import { VENV_DIR } from './support/paths.js';

const TOKEN = 'e2e-assistant-token';
const NOTEBOOK = 'shared.ipynb';
const PUBLIC_SET = JSON.parse(readFileSync(sharedPath('nl2sql_public.json'), 'utf8')) as {
  cases: { id: string; q: string; gold: string[]; followup?: string }[];
};
const CASE = PUBLIC_SET.cases.find((c) => c.id === 'p21')!;

describe('real-time collaboration on AI SQL cells', () => {
  const work = makeWorkDir('collab');
  let assistant: Service;
  let lab: JupyterLab;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let alice: Page;
  let bob: Page;

  beforeAll(async () => {
    ensureSetUp();
    seedLakehouse(join(work.dir, 'lakehouse'), 5_000, 7);
    assistant = await startAssistant({
      lakehouseDir: join(work.dir, 'lakehouse'),
      logDir: work.dir,
      token: TOKEN,
    });
    lab = await startJupyterLab({
      assistantUrl: assistant.url,
      apiToken: TOKEN,
      files: { [NOTEBOOK]: notebookFile([{ cell_type: 'markdown', source: '# Shared analysis' }]) },
    });
    browser = await launchChromium();
    const open = async () => {
      const context = await browser.newContext({ viewport: { width: 1300, height: 900 } });
      contexts.push(context);
      const page = await context.newPage();
      await openLab(page, lab.labUrl(NOTEBOOK));
      await waitForNotebook(page);
      await waitForKernelIdle(page);
      return page;
    };
    alice = await open();
    bob = await open();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await lab?.stop();
    await assistant?.stop();
    work.remove();
  });

  it('runs with jupyter-collaboration: the notebook is a shared document', async () => {
    const run = (await import('node:child_process')).spawnSync(
      join(VENV_DIR, 'bin', 'python'),
      ['-c', 'import jupyter_collaboration; print(jupyter_collaboration.__version__)'],
      { encoding: 'utf8' },
    );
    expect(run.stdout.trim()).toMatch(/^5\./);
    const collaborative = await alice.evaluate(() => {
      const g = globalThis as unknown as {
        jupyterapp: { shell: { currentWidget: { context: { model: { collaborative: boolean } } } } };
      };
      return g.jupyterapp.shell.currentWidget.context.model.collaborative;
    });
    expect(collaborative).toBe(true);
  });

  it('shows an AI cell inserted and run in one session, with its answer, in the other', async () => {
    await alice.locator('.jp-NotebookPanel-toolbar [data-command="rtlakehouse:insert-ai-sql-cell"]').click();
    await expect.poll(() => aiCells(alice).count()).toBe(1);
    // Bob sees the new cell as an AI SQL cell (its kind travels with the inserted cell).
    await expect.poll(() => aiCells(bob).count(), { timeout: 30_000 }).toBe(1);
    const mine = aiCells(alice).first();
    await askInCell(alice, mine, CASE.q);
    await mine.locator('.rtl-AnswerTable table').waitFor({ timeout: 60_000 });
    const aliceRows = await answerRows(mine.locator('.rtl-Answer'));
    expect(aliceRows.length).toBeGreaterThan(0);

    const theirs = aiCells(bob).first();
    await theirs.locator('.rtl-AnswerTable table').waitFor({ timeout: 30_000 });
    expect(await theirs.locator('.cm-content').textContent()).toBe(CASE.q);
    expect(await answerRows(theirs.locator('.rtl-Answer'))).toEqual(aliceRows);
    expect(await theirs.locator('textarea.rtl-Answer-sql').inputValue()).toBe(
      await mine.locator('textarea.rtl-Answer-sql').inputValue(),
    );
    expect(await theirs.locator('.rtl-Answer').count()).toBe(1);
    await theirs.locator('.rtl-Answer-chart svg.marks').waitFor({ timeout: 30_000 });
  });

  it('answers a follow-up asked in the other session, seen by both', async () => {
    // Bob selects Alice's cell and inserts an AI cell below it with the shortcut (Q).
    await bob.evaluate(() => {
      const g = globalThis as unknown as {
        jupyterapp: { shell: { currentWidget: { content: { activeCellIndex: number; mode: string } } } };
      };
      const notebook = g.jupyterapp.shell.currentWidget.content;
      notebook.mode = 'command';
      notebook.activeCellIndex = 1;
    });
    await bob.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook').focus();
    await bob.keyboard.press('q');
    await expect.poll(() => aiCells(bob).count()).toBe(2);
    const followUp = aiCells(bob).nth(1);
    await askInCell(bob, followUp, CASE.followup!);
    await followUp.locator('.rtl-AnswerTable table').waitFor({ timeout: 60_000 });
    // The follow-up continued Alice's conversation: the tablet filter was added to her query.
    expect(await followUp.locator('textarea.rtl-Answer-sql').inputValue()).toMatch(/tablet/);

    await expect.poll(() => aiCells(alice).count(), { timeout: 30_000 }).toBe(2);
    const seen = aiCells(alice).nth(1);
    await seen.locator('.rtl-AnswerTable table').waitFor({ timeout: 30_000 });
    expect(await answerRows(seen.locator('.rtl-Answer'))).toEqual(
      await answerRows(followUp.locator('.rtl-Answer')),
    );
    expect(await aiCells(alice).first().locator('.rtl-Answer').count()).toBe(1);
    expect(await seen.locator('.rtl-Answer').count()).toBe(1);
  });
});
