// Debian's chromium driven by playwright-core, and helpers for JupyterLab pages.
import { type Browser, chromium, type Page } from 'playwright-core';
import { CHROMIUM_PATH } from './paths.js';

/** What the tests reach in the page (no DOM types here: the code runs in the browser). */
export interface LabGlobal {
  jupyterapp: {
    started: Promise<void>;
    restored: Promise<void>;
    commands: { execute(id: string, args?: unknown): Promise<unknown> };
    isPluginActivated(id: string): boolean;
  };
  document: { querySelector(selector: string): unknown };
}

/** Launches headless chromium (the system browser: no download). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
}

/** Opens a Lab URL and waits until the application has started and restored its layout. */
export async function openLab(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(
    () => {
      const g = globalThis as unknown as Partial<LabGlobal>;
      return Boolean(g.jupyterapp) && g.document?.querySelector('#jp-main-dock-panel') !== null;
    },
    undefined,
    { timeout: 120_000 },
  );
  await page.evaluate(async () => {
    const app = (globalThis as unknown as LabGlobal).jupyterapp;
    await app.started;
    await app.restored;
  });
}

/** Runs a command of the Lab application in the page. */
export function runCommand(page: Page, id: string, args: Record<string, unknown> = {}): Promise<unknown> {
  return page.evaluate(
    ({ id, args }) => (globalThis as unknown as LabGlobal).jupyterapp.commands.execute(id, args),
    { id, args },
  );
}
