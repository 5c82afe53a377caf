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
  startSchedulerService,
} from './support/lakehouseStack.js';
import { notebookFile, saveNotebook, waitForNotebook } from './support/notebook.js';
import { SCREENSHOTS_DIR } from './support/paths.js';
import { freePort } from './support/processes.js';

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
      // Limits the seeded numbers are sure to be on the bad side of (or not): warn, critical, ok.
      thresholds: {
        events: { warn: 1e12, direction: 'below' },
        revenue: { warn: 1e15, critical: 1e14, direction: 'below' },
        orders: { warn: 1e12, critical: 1e13 },
      },
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
  let scheduler: Service;
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
    // The proxy reads the scheduler's URL at start: its port is chosen first, and the scheduler
    // (over Lab's root, as in `lakehouse up`) starts once the notebook is there.
    const schedulerPort = await freePort();
    lab = await startJupyterLab({
      assistantUrl: assistant.url,
      apiToken: TOKEN,
      schedulerUrl: `http://127.0.0.1:${schedulerPort}`,
      files: {
        [NOTEBOOK]: notebookFile([
          { cell_type: 'code', source: '# live KPIs', execution_count: null, outputs: [KPI_OUTPUT] },
          { cell_type: 'markdown', source: 'The widget above streams its numbers.' },
        ]),
      },
    });
    scheduler = await startSchedulerService({
      notebooksDir: lab.rootDir,
      lakehouseDir,
      logDir: work.dir,
      token: TOKEN,
      port: schedulerPort,
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
    await scheduler?.stop();
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

  it('colours the tiles past their thresholds: warn, critical, and ok within them', async () => {
    const tile = (metric: string) => widget().locator(`.rtl-Kpi-tile[data-metric="${metric}"]`);
    const level = (metric: string) =>
      tile(metric).evaluate((el) => {
        const classes = Array.from((el as unknown as { classList: ArrayLike<string> }).classList);
        return classes.filter((c) => /^rtl-mod-(ok|warn|critical)$/.test(c)).join(' ');
      });
    await expect.poll(() => level('events'), { timeout: 30_000 }).toBe('rtl-mod-warn');
    expect(await tile('events').getAttribute('title')).toBe('Events: warn');
    expect(await level('revenue')).toBe('rtl-mod-critical');
    expect(await tile('revenue').getAttribute('title')).toBe('Revenue (GMV): critical');
    expect(await level('orders')).toBe('rtl-mod-ok');
    expect(await tile('orders').getAttribute('title')).toBe('Orders');
    // No threshold configured: ok.
    expect(await level('active_users')).toBe('rtl-mod-ok');
    // The levels are drawn: the warn and critical tiles have their own border colours.
    const border = (metric: string) =>
      tile(metric).evaluate(
        (el) =>
          (
            globalThis as unknown as { getComputedStyle(e: unknown): { borderTopColor: string } }
          ).getComputedStyle(el).borderTopColor,
      );
    const [warn, critical, ok] = [await border('events'), await border('revenue'), await border('orders')];
    expect(new Set([warn, critical, ok]).size).toBe(3);
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

  it('shows healthy services, pipelines with their figures, tables, quarantine and schedules in the sidebar', async () => {
    // Two schedules in the scheduler (through its HTTP API): one active, one paused.
    const createSchedule = async (body: Record<string, unknown>) => {
      const response = await fetch(`${scheduler.url}/api/schedules`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status, await response.clone().text()).toBe(201);
      return ((await response.json()) as { schedule: { id: string } }).schedule.id;
    };
    const morning = await createSchedule({
      name: 'Morning KPIs',
      notebook: NOTEBOOK,
      trigger: { cron: '0 6 * * *', timezone: 'UTC' },
    });
    const hourly = await createSchedule({
      name: 'Hourly check',
      notebook: NOTEBOOK,
      trigger: { everySeconds: 3600 },
      enabled: false,
    });

    await page.click('.jp-SideBar [data-id="rtlakehouse-sidebar"]');
    const sidebar = page.locator('#rtlakehouse-sidebar');
    const refresh = () => sidebar.locator('.rtl-Sidebar-header button').click();

    // Service health: the assistant and each of its checks ok, with green dots.
    const services = sidebar.locator('[data-section="services"] li[data-service]');
    const healthOf = () =>
      services.evaluateAll((items) =>
        Object.fromEntries(
          items.map((item) => {
            const el = item as unknown as {
              dataset: Record<string, string>;
              querySelector(s: string): unknown;
            };
            return [
              el.dataset['service'],
              `${el.dataset['status']} ${el.querySelector('.rtl-Dot.rtl-mod-ok') ? 'green' : 'not green'}`,
            ];
          }),
        ),
      );
    await expect.poll(healthOf, { timeout: 60_000 }).toEqual({
      'assistant API': 'ok green',
      assistant: 'ok green',
      lakehouse: 'ok green',
      engine: 'ok green',
      pipelines: 'ok green',
    });
    expect(await services.first().textContent()).toMatch(/^assistant API: ok \(up [\d,]+ s\)$/);
    expect(await sidebar.locator('[data-section="services"] .rtl-Sidebar-problem').count()).toBe(0);

    // Pipelines, each with its lag, rows/s (between two refreshes), freshness and last batch.
    const pipelineRows = () =>
      sidebar
        .locator('[data-section="pipelines"] tbody tr')
        .evaluateAll((rows) =>
          rows.map((row) =>
            Array.from(
              (row as unknown as { children: ArrayLike<{ textContent: string | null }> }).children,
              (td) => td.textContent ?? '',
            ),
          ),
        );
    await expect.poll(async () => (await pipelineRows()).length, { timeout: 60_000 }).toBe(3);
    await expect
      .poll(
        async () => {
          await refresh();
          return (await pipelineRows()).every((r) => r[3] !== '–' && r[5] !== '–');
        },
        { timeout: 60_000, interval: 2_000 },
      )
      .toBe(true);
    const rows = await pipelineRows();
    // Each working pipeline has a green dot.
    expect(
      await sidebar
        .locator('[data-section="pipelines"] tbody tr td:nth-child(2) .rtl-Dot.rtl-mod-ok')
        .count(),
    ).toBe(3);
    expect(rows.map((r) => r[0]).sort()).toEqual(['bronze', 'gold', 'silver']);
    for (const [name, state, lag, rowsPerSecond, , lastBatch] of rows) {
      // A working pipeline is between batches, reading one or committing one.
      expect(state, name).toMatch(/^(running|idle|committing)$/);
      expect(lag, name).toMatch(/^[\d,]+$/);
      expect(rowsPerSecond, name).toMatch(/^[\d,]+$/);
      expect(lastBatch, name).toMatch(/^\d{1,2}:\d{2}:\d{2}( [AP]M)?$/);
    }
    // Freshness (event time to the batch's end) where the pipeline reads event times.
    const freshness = rows.map((r) => r[4]!);
    expect(
      freshness.some((f) => /^\d+ ms$|^[\d.]+ s$/.test(f)),
      freshness.join(' | '),
    ).toBe(true);
    expect(
      freshness.every((f) => /^\d+ ms$|^[\d.]+ s$|^–$/.test(f)),
      freshness.join(' | '),
    ).toBe(true);
    // Rows are moving: the producer streams, so some pipeline reads more than 0 rows/s.
    await expect
      .poll(
        async () => {
          await refresh();
          return (await pipelineRows()).some((r) => Number(r[3]!.replace(/,/g, '')) > 0);
        },
        { timeout: 60_000, interval: 2_000 },
      )
      .toBe(true);

    // Schedules, read from the scheduler through the proxy: each with its trigger and state.
    const schedule = (id: string) => sidebar.locator(`[data-section="schedules"] li[data-schedule="${id}"]`);
    await expect.poll(() => schedule(hourly).count(), { timeout: 30_000 }).toBe(1);
    expect(await schedule(morning).getAttribute('data-state')).toBe('active');
    expect(await schedule(morning).textContent()).toMatch(/^Morning KPIs · 0 6 \* \* \* · active · next /);
    expect(await schedule(hourly).getAttribute('data-state')).toBe('paused');
    expect(await schedule(hourly).textContent()).toBe('Hourly check · every 3600 s · paused');
    // Paused from the scheduler's API, the morning schedule shows paused at the next refresh.
    const paused = await fetch(`${scheduler.url}/api/schedules/${morning}/pause`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(paused.status).toBe(200);
    await refresh();
    await expect.poll(() => schedule(morning).getAttribute('data-state'), { timeout: 30_000 }).toBe('paused');
    await fetch(`${scheduler.url}/api/schedules/${morning}/resume`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    await refresh();
    await expect.poll(() => schedule(morning).getAttribute('data-state'), { timeout: 30_000 }).toBe('active');

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
    await assistant.stop();
    try {
      // A snapshot already on its way when the service stops may still land: the last one is
      // whatever the tile shows once the widget knows the service is offline.
      await expect.poll(status, { timeout: 30_000 }).toMatch(/^offline/);
      const last = await events();
      expect(last).toMatch(/^\d[\d,]*$/);
      await page.waitForTimeout(3_000);
      expect(await events()).toBe(last);
      // A reopened page shows the last snapshot too (kept in the browser) while the service is away.
      await page.reload();
      await openLab(page, lab.labUrl(NOTEBOOK));
      await waitForNotebook(page);
      await expect.poll(status, { timeout: 30_000 }).toMatch(/^offline · last snapshot/);
      expect(await events()).toBe(last);
    } finally {
      // Back for the tests that follow, whatever happened above.
      assistant = await startAssistant({
        lakehouseDir: join(work.dir, 'lakehouse'),
        logDir: work.dir,
        token: TOKEN,
        pipelinesUrl: pipelines.url,
        port,
      });
    }
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
