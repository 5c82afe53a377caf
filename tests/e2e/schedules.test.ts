// Scheduling from JupyterLab in chromium, with the real scheduler service (tslab runs) behind
// the extension's proxy: "Schedule this notebook" on the open notebook (a bad parameter refused
// in the dialog with the scheduler's reason, then accepted), a run appears in the Schedules
// panel and its output opens inside JupyterLab; a run that fails raises an alert in the panel
// and marks its schedule failed in the lakehouse sidebar.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LabGlobal, launchChromium, openLab } from './support/browser.js';
import { ensureSetUp } from './support/ensureSetUp.js';
import { type JupyterLab, startJupyterLab } from './support/jupyterLab.js';
import { makeWorkDir, type Service, startSchedulerService } from './support/lakehouseStack.js';
import { waitForNotebook } from './support/notebook.js';
import { SCREENSHOTS_DIR } from './support/paths.js';
import { freePort } from './support/processes.js';

const TOKEN = 'e2e-scheduler-token';

/** A tslab notebook with a parameters cell and a cell that prints them. */
const REPORT = JSON.stringify({
  cells: [
    {
      cell_type: 'markdown',
      id: 'intro',
      metadata: {},
      source: '# Greeting report\nPrints its parameters.',
    },
    {
      cell_type: 'code',
      id: 'params',
      metadata: { tags: ['parameters'] },
      execution_count: null,
      outputs: [],
      source: "/** Who to greet. */\nlet greeting = 'hello';\n/** How many times. */\nlet repeat = 1;",
    },
    {
      cell_type: 'code',
      id: 'body',
      metadata: {},
      execution_count: null,
      outputs: [],
      source:
        "console.log('report: ' + Array(repeat).fill(greeting).join(' ') + ' (' + process.env.RTLAKEHOUSE_RUN_ID + ')');",
    },
  ],
  metadata: {
    kernelspec: { display_name: 'TypeScript (tslab)', language: 'typescript', name: 'tslab' },
    language_info: { name: 'typescript' },
  },
  nbformat: 4,
  nbformat_minor: 5,
});

/** A tslab notebook whose second cell throws. */
const FAILING = JSON.stringify({
  cells: [
    {
      cell_type: 'code',
      id: 'ok',
      metadata: {},
      execution_count: null,
      outputs: [],
      source: "console.log('before');",
    },
    {
      cell_type: 'code',
      id: 'boom',
      metadata: {},
      execution_count: null,
      outputs: [],
      source: "throw new Error('planned failure in a scheduled run');",
    },
  ],
  metadata: JSON.parse(REPORT).metadata,
  nbformat: 4,
  nbformat_minor: 5,
});

interface ScheduleJson {
  id: string;
  name: string;
  notebook: string;
  trigger: unknown;
  parameters: Record<string, unknown>;
}

describe('scheduling a notebook from JupyterLab', () => {
  const work = makeWorkDir('schedules');
  let scheduler: Service;
  let lab: JupyterLab;
  let browser: Browser;
  let page: Page;

  /** The scheduler's API, directly (what the panel shows must be what the service holds). */
  async function api<T>(route: string): Promise<T> {
    const response = await fetch(`${scheduler.url}${route}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status, route).toBe(200);
    return (await response.json()) as T;
  }

  beforeAll(async () => {
    ensureSetUp();
    // JupyterLab's root is the scheduler's notebooks folder (as in `lakehouse up`); the proxy
    // reads the scheduler's URL at start, so its port is chosen first.
    const port = await freePort();
    lab = await startJupyterLab({
      assistantUrl: `http://127.0.0.1:${await freePort()}`,
      apiToken: TOKEN,
      files: { 'greeting.ipynb': REPORT, 'failing.ipynb': FAILING },
      schedulerUrl: `http://127.0.0.1:${port}`,
    });
    scheduler = await startSchedulerService({
      notebooksDir: lab.rootDir,
      lakehouseDir: join(work.dir, 'lake'),
      logDir: work.dir,
      token: TOKEN,
      port,
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await lab?.stop();
    await scheduler?.stop();
    work.remove();
  });

  it('schedules the open notebook from the command, shows its run in the panel and opens the output', async () => {
    await openLab(page, lab.labUrl('greeting.ipynb'));
    await waitForNotebook(page);

    // The command (also the notebook toolbar's clock button and the context menu), not awaited:
    // it resolves when the dialog closes.
    await page.evaluate(() => {
      void (globalThis as unknown as LabGlobal).jupyterapp.commands.execute('rtlakehouse:schedule-notebook');
    });
    let dialog = page.locator('.jp-Dialog .rtl-ScheduleForm');
    await dialog.waitFor({ timeout: 60_000 });
    // The parameters the notebook declares, with their types, defaults and descriptions.
    expect(await dialog.locator('code').first().textContent()).toBe('greeting.ipynb');
    expect(await dialog.locator('input[name="param-greeting"]').getAttribute('placeholder')).toBe(
      'default "hello"',
    );
    expect(await dialog.locator('input[name="param-repeat"]').getAttribute('placeholder')).toBe('default 1');
    expect(await dialog.textContent()).toContain('number — How many times.');

    // A value the notebook's type refuses: the scheduler's 422 reason shows in the dialog, opened again.
    await dialog.locator('input[name="name"]').fill('Greeting report');
    await dialog.locator('select[name="kind"]').selectOption('interval');
    await dialog.locator('input[name="everySeconds"]').fill('3600');
    await dialog.locator('input[name="param-greeting"]').fill('bonjour');
    await dialog.locator('input[name="param-repeat"]').fill('two');
    await page.locator('.jp-Dialog button.jp-mod-accept').click();
    const refusal = page.locator('.jp-Dialog .rtl-ScheduleForm-error');
    await refusal.waitFor({ timeout: 30_000 });
    expect(await refusal.textContent()).toBe(
      'The scheduler refused it (PARAMETERS_INVALID): parameter "repeat" must be number; got "two" (a string)',
    );
    expect((await api<{ schedules: unknown[] }>('/api/schedules')).schedules).toEqual([]);

    // What was typed is still there; fix the value and schedule it.
    dialog = page.locator('.jp-Dialog .rtl-ScheduleForm');
    expect(await dialog.locator('input[name="param-greeting"]').inputValue()).toBe('bonjour');
    await dialog.locator('input[name="param-repeat"]').fill('2');
    await page.locator('.jp-Dialog button.jp-mod-accept').click();
    await page.locator('.jp-Dialog').waitFor({ state: 'detached', timeout: 30_000 });
    // Created: the Schedules panel opens on it.
    await page.locator('#rtlakehouse-schedules .rtl-Schedules-item').first().waitFor({ timeout: 30_000 });

    const { schedules } = await api<{ schedules: ScheduleJson[] }>('/api/schedules');
    expect(schedules).toEqual([
      expect.objectContaining({
        name: 'Greeting report',
        notebook: 'greeting.ipynb',
        trigger: { everySeconds: 3600 },
        parameters: { greeting: 'bonjour', repeat: 2 },
      }),
    ]);
    const id = schedules[0]!.id;

    const item = page.locator(`#rtlakehouse-schedules .rtl-Schedules-item[data-schedule-id="${id}"]`);
    await item.waitFor({ timeout: 30_000 });
    expect(await item.locator('strong').textContent()).toBe('Greeting report');
    expect(await item.locator('.rtl-Schedules-meta').first().textContent()).toBe(
      'greeting.ipynb · every 1 h',
    );

    // Run it now from the panel; the run shows up, then succeeds (headless, on tslab).
    await item.locator('button[data-action="run"]').click();
    const run = item.locator('.rtl-Schedules-run').first();
    await run.waitFor({ timeout: 30_000 });
    const succeeded = item.locator('.rtl-Schedules-run[data-status="succeeded"]');
    await succeeded.waitFor({ timeout: 240_000 });
    const runId = await succeeded.getAttribute('data-run-id');
    const { runs } = await api<{ runs: { id: string; status: string; cause: string }[] }>(
      `/api/schedules/${id}/runs`,
    );
    expect(runs.map((r) => [r.id, r.status, r.cause])).toEqual([[runId, 'succeeded', 'manual']]);
    expect(await succeeded.locator('[data-field="cause"]').textContent()).toBe('manual');
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'schedules-panel.png') });

    // Its output opens inside JupyterLab: the executed notebook, the injected parameters in effect.
    await succeeded.locator('button[data-action="open-output"]').click();
    const output = page.locator(`.rtl-RunOutputPanel[data-run-id="${runId}"]`);
    await output.waitFor({ timeout: 30_000 });
    expect(await output.locator('iframe').getAttribute('sandbox')).toBe('allow-scripts allow-popups');
    const frame = page.frameLocator(`.rtl-RunOutputPanel[data-run-id="${runId}"] iframe`);
    await frame.getByText(`report: bonjour bonjour (${runId})`).waitFor({ timeout: 30_000 });
    expect(await frame.locator('body').textContent()).toContain(
      'Parameters set by the RT-Lakehouse scheduler for this run.',
    );

    // The links go through Jupyter's proxy, behind its login: the HTML and the .ipynb.
    const htmlHref = await succeeded.locator('a[data-link="html"]').getAttribute('href');
    const ipynbHref = await succeeded.locator('a[data-link="ipynb"]').getAttribute('href');
    expect(htmlHref).toBe(`${lab.url}/rtlakehouse/scheduler/api/runs/${runId}/output.html`);
    const html = await page.request.get(htmlHref!);
    expect(html.status()).toBe(200);
    expect(html.headers()['content-type']).toContain('text/html');
    expect(html.headers()['content-security-policy']).toContain('sandbox');
    const ipynb = await page.request.get(ipynbHref!);
    expect(ipynb.status()).toBe(200);
    const executed = (await ipynb.json()) as { cells: { metadata: { tags?: string[] } }[] };
    expect(executed.cells.map((c) => c.metadata.tags ?? [])).toEqual([
      [],
      ['parameters'],
      ['injected-parameters'],
      [],
    ]);
    // Without Jupyter's login the proxy refuses.
    expect((await fetch(ipynbHref!)).status).toBe(403);
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'schedules-run-output.png') });

    // Paused, then deleted (after the confirmation) from the panel.
    await item.locator('button[data-action="pause"]').click();
    await page
      .locator(`#rtlakehouse-schedules .rtl-Schedules-item[data-schedule-id="${id}"][data-enabled="false"]`)
      .waitFor({ timeout: 30_000 });
    expect((await api<{ schedule: { enabled: boolean } }>(`/api/schedules/${id}`)).schedule.enabled).toBe(
      false,
    );
    await item.locator('button[data-action="delete"]').click();
    await page.locator('.jp-Dialog button.jp-mod-accept').click();
    await item.waitFor({ state: 'detached', timeout: 30_000 });
    expect((await api<{ schedules: unknown[] }>('/api/schedules')).schedules).toEqual([]);
  });

  it('raises an alert in the Schedules panel and marks the schedule failed in the sidebar when a run fails', async () => {
    const call = async <T>(route: string, body: unknown, status: number): Promise<T> => {
      const response = await fetch(`${scheduler.url}${route}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status, await response.clone().text()).toBe(status);
      return (await response.json()) as T;
    };
    const { schedule } = await call<{ schedule: { id: string } }>(
      '/api/schedules',
      { name: 'Nightly totals', notebook: 'failing.ipynb', trigger: { everySeconds: 3600 } },
      201,
    );
    const { run } = await call<{ run: { id: string } }>(`/api/schedules/${schedule.id}/run`, {}, 202);

    // The panel (polling the scheduler through the proxy) shows the firing alert with a link to
    // the failed run's output, and the run itself as failed.
    await page.evaluate(() => {
      void (globalThis as unknown as LabGlobal).jupyterapp.commands.execute('rtlakehouse:open-schedules');
    });
    const alert = page.locator(
      `#rtlakehouse-schedules [data-testid="schedule-alerts"] .rtl-Schedules-alert[data-run-id="${run.id}"]`,
    );
    await alert.waitFor({ timeout: 240_000 });
    expect(await alert.textContent()).toMatch(
      /^scheduled notebook "Nightly totals" \(failing\.ipynb\) failed: .*planned failure in a scheduled run.* output$/,
    );
    expect(await alert.locator('a').getAttribute('href')).toContain(`/api/runs/${run.id}/output.html`);
    expect(
      await page.locator('#rtlakehouse-schedules [data-testid="schedule-alerts"] h3').textContent(),
    ).toBe('Failing (1)');
    const { active } = await api<{ active: { runId: string }[] }>('/api/alerts');
    expect(active.map((a) => a.runId)).toEqual([run.id]);
    const item = page.locator(
      `#rtlakehouse-schedules .rtl-Schedules-item[data-schedule-id="${schedule.id}"]`,
    );
    await item.locator('button[data-action="history"]').click();
    await item
      .locator(`.rtl-Schedules-run[data-run-id="${run.id}"][data-status="failed"]`)
      .waitFor({ timeout: 30_000 });

    // The lakehouse sidebar's schedules: the schedule failed on its last run, with a red dot.
    await page.click('.jp-SideBar [data-id="rtlakehouse-sidebar"]');
    const sidebar = page.locator('#rtlakehouse-sidebar');
    const entry = sidebar.locator(`[data-section="schedules"] li[data-schedule="${schedule.id}"]`);
    await expect
      .poll(
        async () => {
          await sidebar.locator('.rtl-Sidebar-header button').click();
          return (await entry.count()) === 1 ? entry.getAttribute('data-state') : null;
        },
        { timeout: 60_000, interval: 2_000 },
      )
      .toBe('failed');
    expect(await entry.textContent()).toMatch(/^Nightly totals · every 3600 s · failed · last run failed/);
    expect(await entry.locator('.rtl-Dot').getAttribute('class')).toBe('rtl-Dot rtl-mod-down');
  });
});
