// JupyterLab from the project's venv for the end-to-end tests: a free port on 127.0.0.1, token
// auth, a temporary root folder, settings and workspaces of its own, and the extension's proxy
// pointed at the assistant under test.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VENV_DIR } from './paths.js';
import { freePort, type Started, startProcess, waitForHttp } from './processes.js';

export interface JupyterLab {
  url: string;
  token: string;
  rootDir: string;
  /** The Lab page of a file (or the Lab itself), with the token. */
  labUrl(path?: string): string;
  log(): string;
  stop(): Promise<void>;
}

export interface JupyterLabOptions {
  /** The assistant the proxy forwards to. */
  assistantUrl: string;
  apiToken?: string;
  /** Files to write into the root folder before start. */
  files?: Record<string, string>;
  /** The scheduler the proxy forwards `<base>/rtlakehouse/scheduler/*` to. */
  schedulerUrl?: string;
}

/** Starts JupyterLab; resolves when its API answers. */
export async function startJupyterLab(options: JupyterLabOptions): Promise<JupyterLab> {
  const base = mkdtempSync(join(tmpdir(), 'rtl-e2e-lab-'));
  const rootDir = join(base, 'root');
  mkdirSync(rootDir);
  for (const dir of ['settings', 'workspaces', 'runtime', 'config', 'data']) mkdirSync(join(base, dir));
  for (const [name, content] of Object.entries(options.files ?? {}))
    writeFileSync(join(rootDir, name), content);
  // No "Jupyter news?" prompt over the screenshots.
  mkdirSync(join(base, 'config', 'labconfig'));
  writeFileSync(
    join(base, 'config', 'labconfig', 'page_config.json'),
    JSON.stringify({ disabledExtensions: { '@jupyterlab/apputils-extension:announcements': true } }),
  );
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${join(VENV_DIR, 'bin')}:${process.env['PATH'] ?? ''}`,
    JUPYTERLAB_SETTINGS_DIR: join(base, 'settings'),
    JUPYTERLAB_WORKSPACES_DIR: join(base, 'workspaces'),
    JUPYTER_RUNTIME_DIR: join(base, 'runtime'),
    JUPYTER_CONFIG_DIR: join(base, 'config'),
    JUPYTER_DATA_DIR: join(base, 'data'),
    RTL_ASSISTANT_URL: options.assistantUrl,
    RTL_API_TOKEN: options.apiToken ?? '',
    ...(options.schedulerUrl ? { RTL_SCHEDULER_URL: options.schedulerUrl } : {}),
  };
  const started: Started = startProcess(
    join(VENV_DIR, 'bin', 'jupyter'),
    [
      'lab',
      '--no-browser',
      '--ServerApp.allow_root=True',
      '--ServerApp.ip=127.0.0.1',
      `--ServerApp.port=${port}`,
      '--ServerApp.port_retries=0',
      `--IdentityProvider.token=${token}`,
      `--ServerApp.root_dir=${rootDir}`,
      '--LabApp.expose_app_in_browser=True',
      '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
      '--LabApp.news_url=',
    ],
    { cwd: base, env, logFile: join(base, 'jupyter.log') },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/api/status?token=${token}`, {
      timeoutMs: 120_000,
      ok: (s) => s === 200,
      alive: () => started.process.exitCode === null,
    });
  } catch (error) {
    await started.stop();
    throw new Error(`JupyterLab did not start: ${(error as Error).message}\n${started.log().slice(-4000)}`);
  }
  return {
    url,
    token,
    rootDir,
    labUrl: (path) => `${url}/lab${path ? `/tree/${path}` : ''}?token=${token}`,
    log: () => started.log(),
    async stop() {
      await started.stop();
      rmSync(base, { recursive: true, force: true });
    },
  };
}
