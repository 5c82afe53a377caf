// The extension loads in a real JupyterLab (from the venv) in Debian's chromium: its plugins
// are active, both servers list it, and its sidebar and commands are there.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LabGlobal, launchChromium, openLab } from './support/browser.js';
import { ensureSetUp } from './support/ensureSetUp.js';
import { type JupyterLab, startJupyterLab } from './support/jupyterLab.js';
import { VENV_DIR } from './support/paths.js';
import { freePort } from './support/processes.js';

describe('the RT-Lakehouse extension in JupyterLab', () => {
  let lab: JupyterLab;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensureSetUp();
    // Nothing listens there: the extension must load and say the service is down.
    lab = await startJupyterLab({ assistantUrl: `http://127.0.0.1:${await freePort()}` });
    browser = await launchChromium();
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await lab?.stop();
  });

  it('is listed as enabled by `jupyter labextension list` and `jupyter server extension list`', () => {
    const jupyter = join(VENV_DIR, 'bin', 'jupyter');
    // Both commands print their lists on stderr.
    const list = (...args: string[]) => {
      const run = spawnSync(jupyter, args, { encoding: 'utf8' });
      return `${run.stdout}${run.stderr}`;
    };
    expect(list('labextension', 'list')).toMatch(/@rt-lakehouse\/extension v0\.1\.0 .*enabled.*OK/);
    expect(list('server', 'extension', 'list')).toMatch(/rt_lakehouse_extension .*enabled/);
  });

  it('activates its plugins in the browser', async () => {
    await openLab(page, lab.labUrl());
    const plugins = await page.evaluate(() => {
      const app = (globalThis as unknown as LabGlobal).jupyterapp;
      const ids = ['plugin', 'runner', 'content-factory', 'cell-executor', 'ai-sql', 'kpi', 'sidebar'].map(
        (p) => `@rt-lakehouse/extension:${p}`,
      );
      return Object.fromEntries(ids.map((id) => [id, app.isPluginActivated(id)]));
    });
    expect(Object.values(plugins).every(Boolean), JSON.stringify(plugins)).toBe(true);
  });

  it('shows the sidebar, which says the assistant is down', async () => {
    await page.click('.jp-SideBar [data-id="rtlakehouse-sidebar"]');
    const problem = page.locator('#rtlakehouse-sidebar .rtl-Sidebar-problem').first();
    await problem.waitFor({ timeout: 30_000 });
    expect(await problem.textContent()).toMatch(/not reachable|SERVICE_DOWN/);
  });
});
