// The AI SQL cell as a user meets it, against the real assistant API on a seeded lakehouse:
// insert (toolbar, palette command, shortcut), ask a public-set question, see the SQL, the right
// rows and a chart drawn as SVG; edit the SQL and re-run; follow-ups; save, reload, outputs
// still there; nbconvert shows the table; error paths (empty question, hostile SQL, the
// assistant down and back) each show a clear message in the cell and break nothing else; a
// time-series chart zooms with the wheel; the Assistant URL and token settings, changed in the
// Settings Editor, take effect at once; an assistant on a local OpenAI-protocol server answers
// by the LLM, and the cell says so.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../support/fakeOpenAiServer.js';
import { sharedPath } from '../support/sharedData.js';
import { type LabGlobal, launchChromium, openLab, runCommand } from './support/browser.js';
import { ensureSetUp } from './support/ensureSetUp.js';
import { type JupyterLab, startJupyterLab } from './support/jupyterLab.js';
import { makeWorkDir, type Service, seedLakehouse, startAssistant } from './support/lakehouseStack.js';
import {
  aiCells,
  answerColumns,
  answerRows,
  askInCell,
  notebookFile,
  saveNotebook,
  selectLastCell,
  waitForKernelIdle,
  waitForNotebook,
} from './support/notebook.js';
import { SCREENSHOTS_DIR, VENV_DIR } from './support/paths.js';
import { freePort } from './support/processes.js';

const TOKEN = 'e2e-assistant-token';
const NOTEBOOK = 'ai-sql.ipynb';
const PUBLIC_SET = JSON.parse(readFileSync(sharedPath('nl2sql_public.json'), 'utf8')) as {
  cases: { id: string; q: string; gold: string[]; followup?: string }[];
};
const caseOf = (id: string) => PUBLIC_SET.cases.find((c) => c.id === id)!;
/** The page may also call the assistant directly (the Assistant URL setting): any origin may. */
const ASSISTANT_ENV = { CORS_ORIGINS: '*' };

describe('the AI SQL cell', () => {
  const work = makeWorkDir('ai');
  let assistant: Service;
  let lab: JupyterLab;
  let browser: Browser;
  let page: Page;
  let fake: FakeOpenAiServer | undefined;

  beforeAll(async () => {
    ensureSetUp();
    seedLakehouse(join(work.dir, 'lakehouse'));
    assistant = await startAssistant({
      lakehouseDir: join(work.dir, 'lakehouse'),
      logDir: work.dir,
      token: TOKEN,
      env: ASSISTANT_ENV,
    });
    lab = await startJupyterLab({
      assistantUrl: assistant.url,
      apiToken: TOKEN,
      files: { [NOTEBOOK]: notebookFile([{ cell_type: 'markdown', source: '# AI SQL' }]) },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await openLab(page, lab.labUrl(NOTEBOOK));
    await waitForNotebook(page);
    await waitForKernelIdle(page);
  });

  afterAll(async () => {
    await browser?.close();
    await lab?.stop();
    await assistant?.stop();
    await fake?.close();
    work.remove();
  });

  /** Gold rows of a public-set case, straight from the assistant API (not through the UI). */
  async function goldRows(sql: string): Promise<Record<string, unknown>[]> {
    const response = await fetch(`${assistant.url}/api/sql`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ sql }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { rows: Record<string, unknown>[] }).rows;
  }

  async function answerOf(cell: Locator): Promise<Locator> {
    const answer = cell.locator('.rtl-Answer');
    await answer.locator('.rtl-AnswerTable table, .rtl-Answer-error').first().waitFor({ timeout: 60_000 });
    return answer;
  }

  it('inserts an AI SQL cell from the notebook toolbar', async () => {
    const button = page.locator('.jp-NotebookPanel-toolbar [data-command="rtlakehouse:insert-ai-sql-cell"]');
    await button.click();
    await expect.poll(() => aiCells(page).count()).toBe(1);
    await expect
      .poll(() => aiCells(page).first().locator('.rtl-AiSqlBar-badge').textContent())
      .toBe('AI SQL');
  });

  it('answers a public-set question with the SQL, the right rows and a chart drawn as SVG', async () => {
    const { q, gold } = caseOf('p02');
    const cell = aiCells(page).first();
    await askInCell(page, cell, q);
    const answer = await answerOf(cell);
    const sql = await answer.locator('textarea.rtl-Answer-sql').inputValue();
    expect(sql).toMatch(/avg\(price \* quantity\)/i);
    expect(await answer.locator('[data-testid="answer-path"]').textContent()).toBe('planner');
    const expected = await goldRows(gold[0]!);
    const rows = await answerRows(answer);
    expect(rows.map((r) => r[0])).toEqual(expected.map((r) => r['country']));
    rows.forEach((r, i) => {
      expect(Number(r[1]!.replace(/,/g, ''))).toBeCloseTo(Number(expected[i]!['avg_order_value']), 3);
    });
    expect(await answer.locator('[data-testid="row-count"]').textContent()).toContain(
      `of ${expected.length}`,
    );
    const svg = answer.locator('.rtl-Answer-chart svg.marks');
    await svg.waitFor({ timeout: 60_000 });
    expect(await svg.locator('path, rect, line, symbol').count()).toBeGreaterThan(0);
    await cell.screenshot({ path: join(SCREENSHOTS_DIR, 'ai-sql-cell.png') });
    // "This is right" records the answer as a verified example.
    await answer.locator('.rtl-Answer-right').click();
    await expect
      .poll(() => answer.locator('[data-testid="feedback-status"]').textContent(), { timeout: 30_000 })
      .toBe('Recorded as a verified example');
  });

  it('sorts the table by a column header', async () => {
    const answer = aiCells(page).first().locator('.rtl-Answer');
    await answer.locator('.rtl-AnswerTable thead th', { hasText: 'country' }).click();
    const countries = (await answerRows(answer)).map((r) => r[0]);
    expect(countries).toEqual([...countries].sort());
  });

  it('re-runs edited SQL as plain SQL, in the cell', async () => {
    const cell = aiCells(page).first();
    const editor = cell.locator('textarea.rtl-Answer-sql');
    await editor.fill(
      "SELECT country, count(*) AS purchases FROM silver_events WHERE event_type = 'purchase' GROUP BY country ORDER BY purchases DESC",
    );
    await cell.locator('.rtl-Answer-runSql').click();
    await expect
      .poll(() => answerColumns(cell.locator('.rtl-Answer')), { timeout: 60_000 })
      .toEqual(['country', 'purchases']);
    expect(await cell.locator('.rtl-Answer-explanation').textContent()).toBe('Your SQL');
  });

  it('answers a follow-up in the conversation of the AI cell above', async () => {
    const { q, followup } = caseOf('p21');
    await runCommand(page, 'rtlakehouse:insert-ai-sql-cell');
    await expect.poll(() => aiCells(page).count()).toBe(2);
    const first = aiCells(page).nth(1);
    await askInCell(page, first, q);
    await answerOf(first);
    // The keyboard shortcut (Q in command mode) inserts the next one below.
    await page.keyboard.press('Escape');
    await page.keyboard.press('q');
    await expect.poll(() => aiCells(page).count()).toBe(3);
    const second = aiCells(page).nth(2);
    await askInCell(page, second, followup!);
    const answer = await answerOf(second);
    expect(await answer.locator('textarea.rtl-Answer-sql').inputValue()).toMatch(/tablet/);
    const conversations = await page.evaluate(() => {
      const g = globalThis as unknown as {
        jupyterapp: {
          shell: {
            currentWidget: {
              content: {
                model: { cells: { length: number; get(i: number): { getMetadata(k: string): unknown } } };
              };
            };
          };
        };
      };
      const cells = g.jupyterapp.shell.currentWidget.content.model.cells;
      return Array.from(
        { length: cells.length },
        (_, i) => cells.get(i).getMetadata('rtlakehouse') as { conversationId?: string } | undefined,
      )
        .filter(Boolean)
        .map((m) => m?.conversationId);
    });
    expect(conversations[2]).toBe(conversations[1]);
  });

  it('shows a clear message for an empty question', async () => {
    await runCommand(page, 'rtlakehouse:insert-ai-sql-cell');
    const cell = aiCells(page).nth(3);
    await askInCell(page, cell, '');
    const error = cell.locator('[data-testid="answer-error"]');
    await error.waitFor({ timeout: 30_000 });
    expect(await error.textContent()).toContain('Type a question in the cell');
  });

  it('refuses hostile SQL with a clear message, in the question and in the SQL editor', async () => {
    const cell = aiCells(page).nth(3);
    await askInCell(page, cell, 'DROP TABLE silver_events');
    const error = cell.locator('[data-testid="answer-error"]');
    await expect
      .poll(() => error.textContent(), { timeout: 30_000 })
      .toMatch(/can't answer|not|refused|only SELECT/i);
    // Edited SQL goes through the same read-only guard.
    const first = aiCells(page).first();
    await first.locator('textarea.rtl-Answer-sql').fill("COPY silver_events TO '/tmp/stolen.csv'");
    await first.locator('.rtl-Answer-runSql').click();
    const refused = first.locator('[data-testid="answer-error"]');
    await refused.waitFor({ timeout: 30_000 });
    expect(await refused.textContent()).toMatch(/SQL_NOT_SELECT|only SELECT/);
    // The refused SQL stays editable below the message: ATTACH is refused the same way.
    await first.locator('textarea.rtl-Answer-sql').fill("ATTACH '/tmp/other.duckdb' AS other");
    await first.locator('.rtl-Answer-runSql').click();
    await expect
      .poll(() => first.locator('[data-testid="answer-error"]').textContent(), { timeout: 30_000 })
      .toMatch(/ATTACH statements are refused/);
    expect(await first.locator('textarea.rtl-Answer-sql').inputValue()).toContain('ATTACH');
    await cell.screenshot({ path: join(SCREENSHOTS_DIR, 'ai-sql-error.png') });
    // Nothing else broke: the table is still there and the earlier answers too.
    expect(await goldRows('SELECT count(*) AS n FROM silver_events')).toEqual([{ n: expect.any(Number) }]);
    expect(await aiCells(page).nth(1).locator('.rtl-AnswerTable table').count()).toBe(1);
  });

  it('says the assistant is down, and answers on retry once it is back', async () => {
    const port = assistant.port;
    await assistant.stop();
    const cell = aiCells(page).nth(3);
    await askInCell(page, cell, caseOf('p13').q);
    const error = cell.locator('[data-testid="answer-error"]');
    await expect.poll(() => error.textContent(), { timeout: 30_000 }).toMatch(/not reachable|down/i);
    assistant = await startAssistant({
      lakehouseDir: join(work.dir, 'lakehouse'),
      logDir: work.dir,
      token: TOKEN,
      port,
      env: ASSISTANT_ENV,
    });
    await cell.locator('.rtl-Answer-retry').click();
    await cell.locator('.rtl-AnswerTable table').waitFor({ timeout: 60_000 });
  });

  it('still runs a normal code cell after the errors', async () => {
    await page.evaluate(async () => {
      const g = globalThis as unknown as {
        jupyterapp: {
          commands: { execute(id: string): Promise<unknown> };
          shell: {
            currentWidget: { content: { activeCellIndex: number; mode: string; widgets: unknown[] } };
          };
        };
      };
      const notebook = g.jupyterapp.shell.currentWidget.content;
      notebook.mode = 'command';
      notebook.activeCellIndex = notebook.widgets.length - 1;
      await g.jupyterapp.commands.execute('notebook:insert-cell-below');
    });
    // Shift-Enter on the last cell adds an empty one below: hold on to this one by its index.
    const codeCells = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell:not(.rtl-AiSqlCell)');
    const cell = codeCells.nth((await codeCells.count()) - 1);
    await cell.locator('.cm-content').click();
    await page.keyboard.type('print(6 * 7)');
    await page.keyboard.press('Shift+Enter');
    await expect
      .poll(() => cell.locator('.jp-OutputArea-output').first().textContent(), { timeout: 60_000 })
      .toBe('42\n');
  });

  it('keeps the answers in the saved notebook: after a reload they are still there', async () => {
    await saveNotebook(page);
    await expect
      .poll(() => readFileSync(join(lab.rootDir, NOTEBOOK), 'utf8'), { timeout: 30_000 })
      .toContain('application/vnd.rtlakehouse.answer+json');
    const saved = JSON.parse(readFileSync(join(lab.rootDir, NOTEBOOK), 'utf8')) as {
      cells: {
        cell_type: string;
        metadata: { rtlakehouse?: { kind: string } };
        outputs?: { data: Record<string, unknown> }[];
      }[];
    };
    const ai = saved.cells.filter((c) => c.metadata.rtlakehouse?.kind === 'ai-sql');
    expect(ai.length).toBe(4);
    expect(ai.every((c) => c.cell_type === 'code')).toBe(true);
    expect(Object.keys(ai[1]!.outputs![0]!.data)).toEqual(
      expect.arrayContaining([
        'application/vnd.rtlakehouse.answer+json',
        'text/html',
        'text/plain',
        'application/vnd.vegalite.v5+json',
      ]),
    );
    await page.reload();
    await openLab(page, lab.labUrl(NOTEBOOK));
    await waitForNotebook(page);
    await expect.poll(() => aiCells(page).count(), { timeout: 60_000 }).toBe(4);
    await aiCells(page).nth(1).locator('.rtl-AnswerTable table').waitFor({ timeout: 60_000 });
    await aiCells(page).nth(1).locator('.rtl-Answer-chart svg.marks').waitFor({ timeout: 60_000 });
  });

  it('exports with `jupyter nbconvert --to html`, tables included', () => {
    const run = spawnSync(
      join(VENV_DIR, 'bin', 'jupyter'),
      ['nbconvert', '--to', 'html', '--stdout', join(lab.rootDir, NOTEBOOK)],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const html = run.stdout;
    // The answer of "Orders by currency in the last 7 days": its table, rows and SQL.
    expect(html.includes('<table class="dataframe">')).toBe(true);
    expect(/<td>(USD|GBP|CAD|EUR)<\/td>/.test(html)).toBe(true);
    expect(html.includes('Orders by currency in the last 7 days')).toBe(true);
    expect(/SELECT[\s\S]*FROM silver_events/.test(html)).toBe(true);
  });
  it('inserts from the command palette and shows a spinner with the elapsed time while it works', async () => {
    // The palette inserts below the active cell: make it the last one.
    await selectLastCell(page);
    await page.keyboard.press('ControlOrMeta+Shift+c');
    const input = page.locator('.lm-CommandPalette-input').first();
    await input.waitFor({ timeout: 10_000 });
    await input.fill('Insert AI SQL Cell');
    await page.locator('.lm-CommandPalette-item', { hasText: 'Insert AI SQL Cell' }).first().waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => aiCells(page).count()).toBe(5);
    // The question waits 1.5 s in the browser on its way to the assistant: long enough to see it work.
    await page.route('**/rtlakehouse/api/query**', async (route) => {
      await new Promise((r) => setTimeout(r, 1_500));
      await route.continue();
    });
    const cell = aiCells(page).nth(4);
    await askInCell(page, cell, caseOf('p18').q);
    const status = cell.locator('[data-testid="ai-status"]');
    await expect.poll(() => status.textContent(), { timeout: 5_000 }).toMatch(/^working… \d/);
    expect(await cell.locator('.rtl-AiSqlBar.rtl-mod-running').count()).toBe(1);
    await cell.locator('.rtl-AnswerTable table').waitFor({ timeout: 60_000 });
    await page.unroute('**/rtlakehouse/api/query**');
    await expect.poll(() => status.textContent()).toBe('');
    expect(await cell.locator('.rtl-AiSqlBar-path').textContent()).toBe('answered by the planner');
    expect(await cell.locator('.rtl-Answer-timings').textContent()).toMatch(/\d+(\.\d+)? (ms|s)$/);
  });

  it('downloads the answer as CSV', async () => {
    const answer = aiCells(page).nth(1).locator('.rtl-Answer');
    const rows = await answerRows(answer);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      answer.locator('.rtl-Answer-csv').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^answer-.+\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split(/\r?\n/);
    expect(csv[0]!.split(',')).toEqual(await answerColumns(answer));
    expect(csv.length - 1).toBe(rows.length);
    expect(csv.slice(1).map((line) => line.split(',')[0])).toEqual(rows.map((r) => r[0]));
  });

  it('draws an interactive chart: hovering a mark shows its tooltip', async () => {
    const chart = aiCells(page).nth(1).locator('.rtl-Answer-chart svg.marks');
    const mark = chart.locator('.mark-rect path, .mark-symbol path, .mark-line path').first();
    await mark.hover();
    const tooltip = page.locator('#vg-tooltip-element.visible');
    await tooltip.waitFor({ timeout: 10_000 });
    expect(await tooltip.textContent()).toMatch(/\d/);
  });

  it('reads an earlier Delta version chosen in the cell (time travel)', async () => {
    const cell = aiCells(page).nth(4);
    const select = cell.locator('select.rtl-AiSqlBar-asOf');
    await select.focus();
    await expect.poll(() => select.locator('option').count(), { timeout: 30_000 }).toBeGreaterThan(2);
    const options = await select
      .locator('option')
      .evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));
    const versions = options
      .filter((v) => v.startsWith('{'))
      .map((v) => JSON.parse(v) as Record<string, number>)
      .filter((v) => v['silver_events'] !== undefined)
      .sort((a, b) => a['silver_events']! - b['silver_events']!);
    const latest = versions.at(-1)!['silver_events']!;
    // The first version with rows: version 0 creates the empty table.
    const chosen = versions.find((v) => v['silver_events']! > 0 && v['silver_events']! < latest)!;
    expect(chosen).toBeDefined();
    await select.selectOption(JSON.stringify(chosen));
    await askInCell(page, cell, caseOf('p18').q);
    const note = `Read silver_events v${chosen['silver_events']}`;
    await expect
      .poll(() => cell.locator('.rtl-Answer-note').allTextContents(), { timeout: 60_000 })
      .toContain(note);
    // The same question through the API as of that version gives the same rows.
    const response = await fetch(`${assistant.url}/api/query`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ question: caseOf('p18').q, asOf: chosen }),
    });
    expect(response.status).toBe(200);
    const expected = (await response.json()) as {
      rows: Record<string, unknown>[];
      columns: { name: string }[];
    };
    const rows = await answerRows(cell.locator('.rtl-Answer'));
    expect(rows.length).toBe(expected.rows.length);
    const value = Number(rows[0]![0]!.replace(/,/g, ''));
    expect(value).toBeCloseTo(Number(expected.rows[0]![expected.columns[0]!.name]), 2);
    expect(await select.inputValue()).toBe(JSON.stringify(chosen));
  });
  it('runs corrected SQL in the cell that showed the refusal, and pages through the rows', async () => {
    const sql = 'SELECT event_id FROM silver_events ORDER BY event_id LIMIT 60';
    const cell = aiCells(page).first();
    await cell.locator('textarea.rtl-Answer-sql').fill(sql);
    await cell.locator('.rtl-Answer-runSql').click();
    const answer = cell.locator('.rtl-Answer');
    const count = answer.locator('[data-testid="row-count"]');
    await expect.poll(() => count.textContent(), { timeout: 60_000 }).toBe('Rows 1–25 of 60');
    expect(await cell.locator('[data-testid="answer-error"]').count()).toBe(0);
    await answer.locator('button[aria-label="Next page"]').click();
    expect(await count.textContent()).toBe('Rows 26–50 of 60');
    const expected = (await goldRows(sql)).map((r) => r['event_id']);
    expect((await answerRows(answer)).map((r) => r[0])).toEqual(expected.slice(25, 50));
  });

  /** Inserts an AI SQL cell below the notebook's last cell; its locator. */
  async function newAiCellAtEnd(): Promise<Locator> {
    await showNotebook();
    await selectLastCell(page);
    const before = await aiCells(page).count();
    await runCommand(page, 'rtlakehouse:insert-ai-sql-cell');
    await expect.poll(() => aiCells(page).count()).toBe(before + 1);
    return aiCells(page).nth(before);
  }

  /** Brings the notebook's tab to the front (after the settings editor). */
  async function showNotebook(): Promise<void> {
    await page.locator('#jp-main-dock-panel .lm-TabBar-tab', { hasText: NOTEBOOK }).first().click();
    await waitForNotebook(page);
  }

  it('draws a time series that zooms: the wheel over the chart narrows the x axis; tooltips on its points', async () => {
    const { q, gold } = caseOf('p01');
    const expected = await goldRows(gold[0]!);
    expect(expected.length, 'the seeded lakehouse has revenue in the last 24 hours').toBeGreaterThan(2);
    const cell = await newAiCellAtEnd();
    await askInCell(page, cell, q);
    const answer = await answerOf(cell);
    expect(await answer.locator('[data-testid="answer-error"]').count()).toBe(0);
    expect(await answer.locator('[data-testid="row-count"]').textContent()).toContain(
      `of ${expected.length}`,
    );
    const chart = answer.locator('.rtl-Answer-chart svg.marks');
    await chart.waitFor({ timeout: 60_000 });
    await chart.locator('.mark-line path').first().waitFor({ timeout: 30_000 });
    await cell.scrollIntoViewIfNeeded();

    // A tooltip on a point of the line.
    const points = chart.locator('.mark-symbol path');
    expect(await points.count()).toBe(expected.length);
    await points.nth(Math.floor(expected.length / 2)).hover({ force: true });
    const tooltip = page.locator('#vg-tooltip-element.visible');
    await tooltip.waitFor({ timeout: 10_000 });
    expect(await tooltip.textContent()).toMatch(/\d/);

    // The x axis (time): its tick labels and the domain its ARIA label states.
    const xAxis = chart.locator('g.role-axis[aria-label^="X-axis"]').first();
    const ticks = () => xAxis.locator('.role-axis-label text').allTextContents();
    const before = { ticks: await ticks(), label: await xAxis.getAttribute('aria-label') };
    expect(before.ticks.length).toBeGreaterThan(1);
    expect(before.label).toMatch(/time scale/);
    // Zoom in with the wheel over the middle of the plot.
    const plot = await chart.locator('.mark-line path').first().boundingBox();
    expect(plot).not.toBeNull();
    await page.mouse.move(plot!.x + plot!.width / 2, plot!.y + plot!.height / 2);
    for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -200);
    await expect.poll(() => xAxis.getAttribute('aria-label'), { timeout: 30_000 }).not.toBe(before.label);
    await expect.poll(ticks, { timeout: 30_000 }).not.toEqual(before.ticks);
  });

  it('takes its Assistant URL and token from the settings, changed in the Settings Editor', async () => {
    const settingsFile = join(
      dirname(lab.rootDir),
      'settings',
      '@rt-lakehouse',
      'extension',
      'plugin.jupyterlab-settings',
    );
    const readSettingsFile = () => {
      try {
        return readFileSync(settingsFile, 'utf8');
      } catch {
        return '';
      }
    };
    // Where the page's requests for answers go.
    const queries: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().includes('/api/query')) queries.push(request.url());
    });
    // The sidebar polls the services with the same settings: it redraws as soon as they change.
    await page.click('.jp-SideBar [data-id="rtlakehouse-sidebar"]');
    const sidebar = page.locator('#rtlakehouse-sidebar');
    const assistantHealth = () =>
      sidebar.locator('[data-section="services"] li[data-service="assistant API"]').count();
    const servicesProblem = () =>
      sidebar.locator('[data-section="services"] .rtl-Sidebar-problem').allTextContents();
    const tablesProblem = () =>
      sidebar.locator('[data-section="tables"] .rtl-Sidebar-problem').allTextContents();
    await expect.poll(assistantHealth, { timeout: 60_000 }).toBe(1);

    /** Opens the Settings Editor on the extension's settings and types into one of its fields. */
    async function setSetting(field: 'assistantUrl' | 'token', value: string): Promise<void> {
      await page.evaluate(async (query) => {
        await (globalThis as unknown as LabGlobal).jupyterapp.commands.execute('settingeditor:open', {
          query,
        });
      }, 'RT-Lakehouse');
      const input = page.locator(`.jp-SettingsPanel input[id$="_${field}"]`).first();
      await input.waitFor({ timeout: 60_000 });
      await input.fill(value);
      await input.press('Tab');
      await expect
        .poll(() => (JSON.parse(readSettingsFile() || '{}') as Record<string, unknown>)[field] ?? '', {
          timeout: 30_000,
        })
        .toBe(value);
    }

    // A URL where nothing listens: the sidebar and the cell both say the service is down.
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    await setSetting('assistantUrl', nowhere);
    await expect
      .poll(servicesProblem, { timeout: 60_000 })
      .toEqual([expect.stringMatching(/SERVICE_UNREACHABLE/)]);
    const cell = await newAiCellAtEnd();
    await askInCell(page, cell, caseOf('p13').q);
    const error = cell.locator('[data-testid="answer-error"]');
    await expect.poll(() => error.textContent(), { timeout: 60_000 }).toMatch(/not reachable|down/i);
    expect(queries.at(-1)).toBe(`${nowhere}/api/query`);

    // The assistant's own URL with a wrong token: it answers, and refuses the token.
    await setSetting('assistantUrl', assistant.url);
    await setSetting('token', 'not-the-right-token');
    await expect.poll(assistantHealth, { timeout: 60_000 }).toBe(1);
    await expect
      .poll(tablesProblem, { timeout: 60_000 })
      .toEqual([expect.stringMatching(/UNAUTHORIZED|INVALID_TOKEN/)]);
    await showNotebook();
    await cell.locator('.rtl-Answer-retry').click();
    await expect
      .poll(() => error.textContent(), { timeout: 60_000 })
      .toMatch(/Not authorised: the API token is not valid.*INVALID_TOKEN/);
    expect(queries.at(-1)).toBe(`${assistant.url}/api/query`);

    // The right token: answered straight from the assistant.
    await setSetting('token', TOKEN);
    await expect.poll(tablesProblem, { timeout: 60_000 }).toEqual([]);
    await showNotebook();
    await cell.locator('.rtl-Answer-retry').click();
    await cell.locator('.rtl-AnswerTable table').waitFor({ timeout: 60_000 });
    expect(queries.at(-1)).toBe(`${assistant.url}/api/query`);

    // Both cleared: back through the Jupyter server's proxy.
    await setSetting('assistantUrl', '');
    await setSetting('token', '');
    await showNotebook();
    await askInCell(page, cell, caseOf('p18').q);
    await expect.poll(() => queries.at(-1) ?? '', { timeout: 60_000 }).toContain('/rtlakehouse/api/query');
    expect(queries.at(-1)!.startsWith(lab.url)).toBe(true);
    await expect.poll(() => answerRows(cell.locator('.rtl-Answer')), { timeout: 60_000 }).toHaveLength(1);
    expect(await cell.locator('[data-testid="answer-error"]').count()).toBe(0);
    await page.click('.jp-SideBar [data-id="rtlakehouse-sidebar"]');
  });

  it('says when the LLM answered (an assistant on a local OpenAI-protocol server)', async () => {
    const sql =
      "SELECT country, sum(price * quantity) AS revenue FROM silver_events WHERE event_type = 'purchase' GROUP BY country ORDER BY revenue DESC";
    fake = await startFakeOpenAiServer();
    fake.setDefault({ sql, explanation: 'Revenue per country, highest first.' });
    const port = assistant.port;
    await assistant.stop();
    assistant = await startAssistant({
      lakehouseDir: join(work.dir, 'lakehouse'),
      logDir: work.dir,
      token: TOKEN,
      port,
      env: {
        ...ASSISTANT_ENV,
        OPENAI_API_KEY: 'test-key',
        OPENAI_BASE_URL: fake.url,
        MODEL_NAME: 'fake-sql-model',
      },
    });
    const question = 'Which countries bring in the most revenue?';
    const cell = await newAiCellAtEnd();
    await askInCell(page, cell, question);
    const answer = await answerOf(cell);
    expect(await answer.locator('[data-testid="answer-error"]').count()).toBe(0);
    expect(await answer.locator('[data-testid="answer-path"]').textContent()).toBe('LLM');
    await expect
      .poll(() => cell.locator('.rtl-AiSqlBar-path').textContent(), { timeout: 30_000 })
      .toBe('answered by the LLM');
    expect(await answer.locator('textarea.rtl-Answer-sql').inputValue()).toBe(sql);
    expect(await answer.locator('.rtl-Answer-explanation').textContent()).toBe(
      'Revenue per country, highest first.',
    );
    const expected = await goldRows(sql);
    expect((await answerRows(answer)).map((r) => r[0])).toEqual(expected.map((r) => r['country']));
    // The question went to the model, with the schema.
    const requests = fake.chatRequests();
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.at(-1)!.model).toBe('fake-sql-model');
    const prompt = requests
      .at(-1)!
      .messages.map((m) => m.content)
      .join('\n');
    expect(prompt).toContain(question);
    expect(prompt).toContain('TABLE silver_events (');
  });
});
