// Alerts in the sidebar: the assistant service evaluates its alert rules every second; the
// pipeline runner it watches is not running, so `service_down:pipelines` fires, and the
// sidebar's Alerts section shows it through the Jupyter server's proxy.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openLab } from './support/browser.js';
import { ensureSetUp } from './support/ensureSetUp.js';
import { type JupyterLab, startJupyterLab } from './support/jupyterLab.js';
import { makeWorkDir, type Service, seedLakehouse, startAssistant } from './support/lakehouseStack.js';

const TOKEN = 'e2e-alerts-token';
const ALERT_ENV = {
  ALERT_EVAL_INTERVAL_S: '1',
  ALERT_SERVICE_DOWNTIME_MAX_S: '0',
  ALERT_WATCH_SERVICES: 'pipelines',
};

describe('alerts in the sidebar', () => {
  const work = makeWorkDir('alerts');
  let assistant: Service;
  let lab: JupyterLab;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensureSetUp();
    const lakehouseDir = join(work.dir, 'lakehouse');
    seedLakehouse(lakehouseDir, 2_000, 1);
    // startAssistant passes this process's environment on to the service.
    Object.assign(process.env, ALERT_ENV);
    try {
      assistant = await startAssistant({ lakehouseDir, logDir: work.dir, token: TOKEN });
    } finally {
      for (const name of Object.keys(ALERT_ENV)) delete process.env[name];
    }
    lab = await startJupyterLab({ assistantUrl: assistant.url, apiToken: TOKEN });
    browser = await launchChromium();
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await lab?.stop();
    await assistant?.stop();
    work.remove();
  });

  it('lists the firing alert with its message', async () => {
    const r = await fetch(`${assistant.url}/api/alerts`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const body = (await r.json()) as { enabled: boolean };
    expect(body.enabled).toBe(true);
    await openLab(page, lab.labUrl());
    await page.click('.jp-SideBar [data-id="rtlakehouse-sidebar"]');
    const section = page.locator('#rtlakehouse-sidebar [data-section="alerts"]');
    const alert = section.locator('[data-alert="service_down:pipelines"][data-state="firing"]');
    await expect.poll(() => alert.count(), { timeout: 60_000 }).toBe(1);
    expect(await alert.textContent()).toMatch(/^pipelines has been down for \d+ s$/);
    expect(await section.locator('summary').textContent()).toBe('Alerts');
  });
});
