// Runs a notebook headless on the real tslab kernel through Jupyter (nbclient from the project's
// .venv, what `jupyter nbconvert --execute` uses) and reads what it produced. The notebook run is
// always a copy in the caller's temporary folder, so nothing is ever written into notebooks/; the
// kernel starts in notebooks/ so the package resolves as it does for users.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const NOTEBOOKS_DIR = path.join(REPO_ROOT, 'notebooks');
const PYTHON = path.join(REPO_ROOT, '.venv', 'bin', 'python');
const EXECUTE = path.join(import.meta.dirname, 'execute_notebook.py');

/** An nbformat v4 output, loosely typed. */
export interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
}

export interface Cell {
  cell_type: string;
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: Output[];
}

export interface Notebook {
  cells: Cell[];
  metadata: Record<string, unknown>;
}

export const joined = (v: string | string[] | undefined): string =>
  Array.isArray(v) ? v.join('') : (v ?? '');

/**
 * Executes `notebook` (a starter's file name, or a notebook object) with the kernel's
 * environment `env`: the input is copied to `workDir` and the executed copy written there too.
 * Resolves with the executed notebook; rejects with the failing cell and the kernel's error.
 */
export async function executeNotebook(
  notebook: string | { name: string; content: Notebook },
  options: { env: Record<string, string>; workDir: string; cellTimeoutS?: number },
): Promise<Notebook> {
  const name = typeof notebook === 'string' ? notebook : notebook.name;
  const input = path.join(options.workDir, `input-${name}`);
  const output = path.join(options.workDir, `executed-${name}`);
  if (typeof notebook === 'string') await fs.copyFile(path.join(NOTEBOOKS_DIR, notebook), input);
  else await fs.writeFile(input, JSON.stringify(notebook.content));
  try {
    await run(
      PYTHON,
      [EXECUTE, input, output, '--cwd', NOTEBOOKS_DIR, '--timeout', String(options.cellTimeoutS ?? 300)],
      { cwd: NOTEBOOKS_DIR, env: { ...process.env, ...options.env }, maxBuffer: 64 * 1024 * 1024 },
    );
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${name} failed:\n${(e.stderr || e.message).split('\n').slice(-80).join('\n')}`);
  }
  return JSON.parse(await fs.readFile(output, 'utf8')) as Notebook;
}

/** What an executed notebook showed, for assertions. */
export function outputsOf(nb: Notebook) {
  const code = nb.cells.filter((c) => c.cell_type === 'code');
  const outputs = code.flatMap((c) => c.outputs ?? []);
  const rich = outputs.filter((o) => o.data);
  const html = rich.map((o) => joined(o.data!['text/html'] as string | string[] | undefined)).filter(Boolean);
  const rowsOf = (h: string) => Number(/data-rtl-rows="(\d+)"/.exec(h)?.[1] ?? -1);
  return {
    code,
    outputs,
    errors: outputs.filter((o) => o.output_type === 'error'),
    /** Standard error, each with the first line of the cell that wrote it (to find it when a run fails). */
    stderr: code.flatMap((c) =>
      (c.outputs ?? [])
        .filter((o) => o.output_type === 'stream' && o.name === 'stderr')
        .map((o) => `[cell: ${joined(c.source).split('\n')[0]}] ${joined(o.text)}`),
    ),
    stdout: outputs
      .filter((o) => o.output_type === 'stream' && o.name === 'stdout')
      .map((o) => joined(o.text)),
    /** HTML tables (the helpers' `data-rtl-rows`) and their row counts. */
    tables: html.filter((h) => h.includes('data-rtl-rows=')).map(rowsOf),
    charts: rich
      .filter((o) => o.data!['application/vnd.vegalite.v5+json'])
      .map((o) => o.data!['application/vnd.vegalite.v5+json']),
    answers: rich.map((o) => o.data!['application/vnd.rtlakehouse.answer+json']).filter(Boolean) as {
      kind: string;
      answer: { rowCount: number; sql: string };
    }[],
    kpis: rich.map((o) => o.data!['application/vnd.rtlakehouse.kpi+json']).filter(Boolean) as {
      minutes: number;
      metrics: string[];
    }[],
    texts: rich.map((o) => joined(o.data!['text/plain'] as string | string[] | undefined)),
    /** Every rich output is a bundle with a text fallback. */
    withoutText: rich.filter(
      (o) => typeof o.data!['text/plain'] !== 'string' && !Array.isArray(o.data!['text/plain']),
    ),
  };
}
