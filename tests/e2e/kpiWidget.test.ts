// Live KPI widgets and the sidebar with data streaming in: the producer sends events through
// Kafka, the pipeline runner writes Bronze/Silver/Gold, and the KPI widget (an output holding
// only its configuration) ticks from the assistant's server-sent stream. It keeps its last
// snapshot while the service is away, and once removed it makes no further request.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LabGlobal, launchChromium, openLab } from './support/browser.js';
import { ensureSetUp } from './support/ensureSetUp.js';
import { type JupyterLab, startJupyterLab } from './support/jupyterLab.js';
import {
  ensureKafka,
  makeWorkDir,
  type Service,
  seedLakehouse,
  startAssistant,
  startPipelines,
  startProducer,
} from './support/lakehouseStack.js';
import { notebookFile, saveNotebook, waitForNotebook } from './support/notebook.js';
import { SCREENSHOTS_DIR } from './support/paths.js';

const TOKEN = 'e2e-assistant-token';
const NOTEBOOK = 'kpis.ipynb';
const SEEDED_TABLES = ['bronze_events', 'silver_events', 'quarantine_events', 'gold_kpis'];
/** The table names of the sidebar's table items (runs in the page). */
const tableNames = (items: unknown[]) =>
  items.map((item) => (item as { dataset: Record<string, string> }).dataset['table'] ?? '');
const KPI_OUTPUT = {
  output_type: 'display_data',
  data: {
    'application/vnd.rtlakehouse.kpi+json': {
      title: 'Shop KPIs · last 60 min',
      minutes: 60,
      thresholds: { conversion_rate: { warn: 0.2, critical: 0.05, direction: 'below' } },
    },
    'text/plain': 'Live KPIs (needs the RT-Lakehouse JupyterLab extension)',
  },
  metadata: {},
};

describe('live KPI widgets and the sidebar', () => {
  const work = makeWorkDir('kpi');
  const topic = `e2e_events_${randomBytes(4).toString('hex')}`;
  let kafka: { brokers: string; stop(): Promise<void> };
  let pipelines: Service;
  let assistant: Service;
  let producer: Service | undefined;
  let lab: JupyterLab;
  let browser: Browser;
  let page: Page;
  const kpiRequests: { url: string; at: number }[] = [];

  beforeAll(async () => {
    ensureSetUp();
    const lakehouseDir = join(work.dir, 'lakehouse');
    seedLakehouse(lakehouseDir, 5_000, 1);
    kafka = await ensureKafka(work.dir);
    pipelines = await startPipelines({ lakehouseDir, logDir: work.dir, brokers: kafka.brokers, topic });
    assistant = await startAssistant({
      lakehouseDir,
      logDir: work.dir,
      token: TOKEN,
      pipelinesUrl: pipelines.url,
    });
    lab = await startJupyterLab({
      assistantUrl: assistant.url,
      apiToken: TOKEN,
      files: {
        [NOTEBOOK]: notebookFile([
          { cell_type: 'code', source: '# live KPIs', execution_count: null, outputs: [KPI_OUTPUT] },
          { cell_type: 'markdown', source: 'The widget above streams its numbers.' },
        ]),
      },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('request', (request: Request) => {
      if (request.url().includes('/rtlakehouse/api/kpis'))
        kpiRequests.push({ url: request.url(), at: Date.now() });
    });
    await openLab(page, lab.labUrl(NOTEBOOK));
    await waitForNotebook(page);
  });

  afterAll(async () => {
    await browser?.close();
    await lab?.stop();
    await producer?.stop();
    await assistant?.stop();
    await pipelines?.stop();
    await kafka?.stop();
    work.remove();
  });

  const widget = () => page.locator('.rtl-Kpi').first();
  const notebookDirty = () =>
    page.evaluate(() => {
      const shell = (
        globalThis as unknown as {
          jupyterapp: { shell: { currentWidget: { context: { model: { dirty: boolean } } } } };
        }
      ).jupyterapp.shell;
      return shell.currentWidget.context.model.dirty;
    });
  const events = () => widget().locator('[data-testid="kpi-events"]').textContent();
  const status = () => widget().locator('[data-testid="kpi-status"]').textContent();

  /** Waits until the events tile shows something else than `from`; returns the ms it took. */
  async function changeFrom(from: string | null, timeoutMs: number): Promise<number> {
    const started = Date.now();
    await expect.poll(events, { timeout: timeoutMs, interval: 100 }).not.toBe(from);
    return Date.now() - started;
  }

  it('subscribes to the KPI stream and shows tiles with sparklines', async () => {
    await expect.poll(status, { timeout: 60_000 }).toMatch(/^live/);
    expect(await widget().locator('.rtl-Kpi-tile').count()).toBe(6);
    expect(await events()).toMatch(/^[\d,]+$/);
    expect(await widget().locator('.rtl-Kpi-tile svg.rtl-Sparkline path').count()).toBeGreaterThan(0);
  });

  it('ticks within 5 s while the producer streams events', async () => {
    producer = startProducer({ logDir: work.dir, brokers: kafka.brokers, topic, rate: 200 });
    // The first change waits for the consumer group and the first batches.
    await changeFrom(await events(), 120_000);
    for (let i = 0; i < 3; i++) {
      const took = await changeFrom(await events(), 5_000);
      expect(took).toBeLessThanOrEqual(5_000);
    }
    // The ticks never touch the notebook: its outputs hold only the configuration.
    expect(await notebookDirty()).toBe(false);
    expect(await widget().getAttribute('data-updates')).toMatch(/^\d+$/);
    expect(Number(await widget().getAttribute('data-updates'))).toBeGreaterThanOrEqual(4);
    await widget().screenshot({ path: join(SCREENSHOTS_DIR, 'kpi-widget.png') });
  });

  it('shows pipelines, tables, quarantine and schedules in the sidebar', async () => {
    await page.click('.jp-SideBar [data-id="rtlakehouse-sidebar"]');
    const sidebar = page.locator('#rtlakehouse-sidebar');
    await expect
      .poll(() => sidebar.locator('[data-section="pipelines"] tbody tr').count(), { timeout: 60_000 })
      .toBe(3);
    // The tables of the seeded lakehouse, by name.
    await expect
      .poll(() => sidebar.locator('[data-section="tables"] [data-table]').evaluateAll(tableNames), {
        timeout: 30_000,
      })
      .toEqual(expect.arrayContaining(SEEDED_TABLES));
    await expect
      .poll(() => sidebar.locator('[data-testid="quarantine-total"]').textContent(), { timeout: 30_000 })
      .toMatch(/quarantined/);
    await sidebar.locator('[data-table="gold_kpis"] > summary').click();
    await sidebar
      .locator('[data-table="gold_kpis"] .rtl-Sidebar-history tbody tr')
      .first()
      .waitFor({ timeout: 30_000 });
    expect(await sidebar.textContent()).toContain('window_start');
    // A wider sidebar for the screenshot: drag the split handle next to it.
    const handle = page.locator('#jp-main-split-panel > .lm-SplitPanel-handle').first();
    const box = await handle.boundingBox();
    if (box) {
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + 260, box.y + box.height / 2, { steps: 5 });
      await page.mouse.up();
    }
    await sidebar.screenshot({ path: join(SCREENSHOTS_DIR, 'sidebar.png') });
  });

  it('keeps showing its last snapshot while the service is away, and resumes', async () => {
    const port = assistant.port;
    const before = await events();
    await assistant.stop();
    await expect.poll(status, { timeout: 30_000 }).toMatch(/^offline/);
    expect(await events()).toBe(before);
    // A reopened page shows the last snapshot too (kept in the browser) while the service is away.
    await page.reload();
    await openLab(page, lab.labUrl(NOTEBOOK));
    await waitForNotebook(page);
    await expect.poll(status, { timeout: 30_000 }).toMatch(/^offline · last snapshot/);
    expect(await events()).toBe(before);
    assistant = await startAssistant({
      lakehouseDir: join(work.dir, 'lakehouse'),
      logDir: work.dir,
      token: TOKEN,
      pipelinesUrl: pipelines.url,
      port,
    });
    await expect.poll(status, { timeout: 60_000 }).toMatch(/^live/);
  });

  it('stops its subscription when removed: no further requests', async () => {
    const openStreams = async () => {
      const response = await fetch(`${assistant.url}/metrics`, {
        headers: { Authorization: `Bearer ${TOKEN}` },
      });
      const text = await response.text();
      return Number(/^assistant_kpi_streams (\d+)/m.exec(text)?.[1] ?? Number.NaN);
    };
    await expect.poll(openStreams, { timeout: 30_000 }).toBe(1);
    await page.evaluate(async () => {
      const app = (globalThis as unknown as LabGlobal).jupyterapp;
      await app.commands.execute('notebook:enter-command-mode');
      await app.commands.execute('notebook:move-cursor-up');
      await app.commands.execute('notebook:delete-cell');
    });
    await expect.poll(() => page.locator('.rtl-Kpi').count(), { timeout: 10_000 }).toBe(0);
    const removedAt = Date.now();
    await expect.poll(openStreams, { timeout: 10_000 }).toBe(0);
    await page.waitForTimeout(6_000);
    expect(kpiRequests.filter((r) => r.at > removedAt)).toEqual([]);
  });

  it('restores the sidebar on reload', async () => {
    await saveNotebook(page);
    await page.reload();
    await openLab(page, lab.labUrl(NOTEBOOK));
    const sidebar = page.locator('#rtlakehouse-sidebar');
    await sidebar.waitFor({ state: 'visible', timeout: 30_000 });
    await expect
      .poll(() => sidebar.locator('[data-section="tables"] [data-table]').evaluateAll(tableNames), {
        timeout: 30_000,
      })
      .toEqual(expect.arrayContaining(SEEDED_TABLES));
  });
});
