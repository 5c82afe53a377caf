// The starter notebooks, executed top to bottom on the real tslab kernel through Jupyter
// (nbconvert, as a headless or scheduled run does), in the embedded mode (no Kafka, no
// services): the quick start on an empty lakehouse, each other one on its own fresh copy of a
// seeded one (seeded once; 03 and 04 write to theirs, and no run sees another's changes).
// Asserts on the executed .ipynb: no error or stderr output, tables with rows, charts, KPI
// widgets, answers.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Lakehouse } from '@rt-lakehouse/kernel-helpers';
import { seedLakehouse } from '@rt-lakehouse/pipelines';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  executeNotebook,
  joined,
  NOTEBOOKS_DIR,
  type Notebook,
  outputsOf,
  REPO_ROOT,
} from './executeNotebook.js';

const starters = [
  '01_quick_start.ipynb',
  '02_ai_sql.ipynb',
  '03_pipelines_and_delta.ipynb',
  '04_monitoring.ipynb',
  '05_scheduled_report.ipynb',
];

/** notebooks/ before the runs: each entry and, for files, its content. */
let notebooksBefore: Record<string, string>;

async function listNotebooksDir(): Promise<Record<string, string>> {
  const listing: Record<string, string> = {};
  for (const entry of await fs.readdir(NOTEBOOKS_DIR, { withFileTypes: true }))
    listing[entry.name] = entry.isFile()
      ? await fs.readFile(path.join(NOTEBOOKS_DIR, entry.name), 'utf8')
      : '(folder)';
  return listing;
}

let workDir: string;
let seededDir: string;
let freshDir: string;
/** The seeded lakehouse's files (path and size) right after seeding. */
let seedFiles: Record<string, number>;

/** Every file under `dir` with its size, by path relative to `dir`. */
async function filesUnder(dir: string): Promise<Record<string, number>> {
  const files: Record<string, number> = {};
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, full)] = (await fs.stat(full)).size;
  }
  return files;
}

/** The Delta tables of a lakehouse folder. */
const tablesOf = async (dir: string) => (await fs.readdir(path.join(dir, 'delta'))).sort();

/** A fresh copy of the seeded lakehouse for one notebook run (the seed itself is never run on). */
async function seededCopy(name: string): Promise<string> {
  const dir = path.join(workDir, `seeded-${name}`);
  await fs.cp(seededDir, dir, { recursive: true, errorOnExist: true, force: false });
  return dir;
}

/** The kernel's environment: embedded mode, and no service of this machine answering. */
const kernelEnv = (dir: string) => ({
  LAKEHOUSE_DIR: dir,
  KAFKA_BROKERS: '',
  PIPELINES_URL: 'http://127.0.0.1:9',
  SCHEDULER_URL: 'http://127.0.0.1:9',
});

beforeAll(async () => {
  // Jupyter and the tslab kernelspec in .venv, the library built for the kernel.
  execFileSync('bash', [path.join(REPO_ROOT, 'scripts/setup-tslab.sh')], { stdio: 'inherit' });
  notebooksBefore = await listNotebooksDir();
  workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'rtl-notebooks-'));
  seededDir = path.join(workDir, 'seeded');
  freshDir = path.join(workDir, 'fresh');
  await fs.mkdir(freshDir);
  const lakehouse = await Lakehouse.open({ dir: seededDir });
  try {
    await seedLakehouse({ lakehouse, events: 20_000, days: 2, seed: 7 });
  } finally {
    lakehouse.close();
  }
  seedFiles = await filesUnder(seededDir);
});

afterAll(async () => {
  if (workDir) await fs.rm(workDir, { recursive: true, force: true });
});

/** The committed notebooks (a working tree may also hold a user's own); without git, the folder's. */
async function committedNotebooks(): Promise<string[]> {
  try {
    return execFileSync('git', ['ls-files', '--', 'notebooks/*.ipynb'], { cwd: REPO_ROOT, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((f) => path.basename(f));
  } catch {
    return (await fs.readdir(NOTEBOOKS_DIR)).filter((f) => f.endsWith('.ipynb'));
  }
}

function expectClean(nb: Notebook) {
  const o = outputsOf(nb);
  expect(o.errors).toEqual([]);
  expect(o.stderr).toEqual([]);
  expect(o.withoutText).toEqual([]);
  return o;
}

describe('starter notebooks on the tslab kernel', () => {
  it('every starter is a tslab notebook, and the list is what these tests run', async () => {
    const files = await committedNotebooks();
    expect(files.sort()).toEqual(starters);
    for (const f of files) {
      const nb = JSON.parse(await fs.readFile(path.join(NOTEBOOKS_DIR, f), 'utf8')) as Notebook;
      expect((nb.metadata['kernelspec'] as { name: string }).name).toBe('tslab');
      expect(nb.cells.every((c) => (c.outputs ?? []).length === 0)).toBe(true);
    }
  });

  it('01 quick start: streams into an empty lakehouse, queries, charts, KPIs and an answer', async () => {
    const o = expectClean(
      await executeNotebook('01_quick_start.ipynb', { env: kernelEnv(freshDir), workDir }),
    );
    expect(o.tables.filter((n) => n > 0).length).toBeGreaterThanOrEqual(4);
    expect(o.charts.length).toBeGreaterThanOrEqual(1);
    expect(o.kpis).toEqual([expect.objectContaining({ minutes: 15 })]);
    expect(o.answers).toHaveLength(1);
    // The stream landed: every layer has rows.
    const names = (await fs.readdir(path.join(freshDir, 'delta'))).sort();
    expect(names).toEqual(['bronze_events', 'gold_kpis', 'quarantine_events', 'silver_events']);
  });

  it('02 AI SQL: every AI cell answers on the kernel, with SQL, rows and charts', async () => {
    const source = JSON.parse(
      await fs.readFile(path.join(NOTEBOOKS_DIR, '02_ai_sql.ipynb'), 'utf8'),
    ) as Notebook;
    const nb = await executeNotebook('02_ai_sql.ipynb', {
      env: kernelEnv(await seededCopy('02')),
      workDir,
    });
    const o = expectClean(nb);
    const aiCells = nb.cells.filter(
      (c) => (c.metadata['rtlakehouse'] as { kind?: string } | undefined)?.kind === 'ai-sql',
    );
    expect(aiCells.length).toBe(
      source.cells.filter(
        (c) => (c.metadata['rtlakehouse'] as { kind?: string } | undefined)?.kind === 'ai-sql',
      ).length,
    );
    expect(aiCells.length).toBeGreaterThanOrEqual(14);
    for (const cell of aiCells) {
      const payloads = (cell.outputs ?? []).map(
        (out) => out.data?.['application/vnd.rtlakehouse.answer+json'],
      );
      expect(payloads.filter(Boolean), joined(cell.source)).toHaveLength(1);
    }
    expect(o.answers.every((a) => a.kind === 'answer' && a.answer.sql.length > 0)).toBe(true);
    expect(o.answers.filter((a) => a.answer.rowCount > 0).length).toBeGreaterThanOrEqual(14);
    expect(o.charts.length).toBeGreaterThanOrEqual(10);
    // Each unanswerable question reads as what failed, why and what to try.
    const printed = o.stdout.join('');
    expect(printed.match(/ask\(\) could not answer/g)).toHaveLength(2);
    expect(printed).toMatch(/ask\(\) could not answer[\s\S]*UNANSWERABLE[\s\S]*next:/);
  });

  it('03 pipelines and Delta: history, time travel, OPTIMIZE, VACUUM and a custom pipeline, exactly once', async () => {
    const lake = await seededCopy('03');
    const o = expectClean(
      await executeNotebook('03_pipelines_and_delta.ipynb', { env: kernelEnv(lake), workDir }),
    );
    const text = o.texts.join('\n');
    expect(text).toContain('History of silver_events');
    expect(text).toMatch(/silver_events at version \d+/);
    expect(text).toContain('OPTIMIZE silver_events');
    expect(text).toContain('VACUUM silver_events (dry run');
    // A fresh seed: no log file is a day old yet.
    expect(text).toContain('Expired log of silver_events (dry run');
    expect(text).toContain('nothing has expired');
    // The retentions are the table's properties: a day on the medallion tables.
    expect(text).toMatch(/Properties of silver_events[\s\S]*delta\.logRetentionDuration\s+interval 1 day/);
    expect(text).toContain('History of big_orders');
    expect(o.tables.filter((n) => n > 0).length).toBeGreaterThanOrEqual(8);
    expect(o.charts.length).toBeGreaterThanOrEqual(1);
    // The second run of the custom pipeline read nothing: its status shows 0 rows in.
    const runs = o.texts.filter((t) => t.startsWith('Pipeline big_orders'));
    expect(runs).toHaveLength(2);
    expect(runs[1]).toMatch(/big_orders\s+kernel\s+stopped\s+0\s+0\s+0/);
    // Its custom pipeline wrote a table into its own copy only.
    expect(await tablesOf(lake)).toContain('big_orders');
    expect(await tablesOf(seededDir)).not.toContain('big_orders');
  });

  it('04 monitoring: lag, freshness, quality with nothing unaccounted, alerts and a KPI widget', async () => {
    const lake = await seededCopy('04');
    // A fresh copy of the seed: nothing 03 did (it runs first) is in it.
    expect(await tablesOf(lake)).not.toContain('big_orders');
    const o = expectClean(await executeNotebook('04_monitoring.ipynb', { env: kernelEnv(lake), workDir }));
    const text = o.texts.join('\n');
    expect(text).toContain('Quarantined records by reason');
    expect(text).toContain('Alert rules');
    expect(text).toMatch(/unaccounted\n[-\s]+\n\s*\d+\s+\d+\s+\d+\s+0\n/);
    expect(o.kpis).toEqual([expect.objectContaining({ minutes: 60, metrics: expect.any(Array) })]);
    expect(o.charts.length).toBeGreaterThanOrEqual(1);
    expect(o.tables.filter((n) => n > 0).length).toBeGreaterThanOrEqual(6);
  });

  it('05 scheduled report: defaults, with a tagged parameters cell', async () => {
    const source = JSON.parse(
      await fs.readFile(path.join(NOTEBOOKS_DIR, '05_scheduled_report.ipynb'), 'utf8'),
    ) as Notebook;
    const tagged = source.cells.filter((c) =>
      ((c.metadata['tags'] as string[]) ?? []).includes('parameters'),
    );
    expect(tagged).toHaveLength(1);
    expect(joined(tagged[0]!.source)).toMatch(/^let hours = 24;$/m);
    const o = expectClean(
      await executeNotebook('05_scheduled_report.ipynb', {
        env: kernelEnv(await seededCopy('05')),
        workDir,
      }),
    );
    expect(o.charts.length).toBeGreaterThanOrEqual(2);
    expect(o.tables.filter((n) => n > 0).length).toBeGreaterThanOrEqual(4);
    expect(o.texts.join('\n')).toContain('Report for the last 24 hours');
  });

  it("05 scheduled report as the scheduler runs it: injected parameters and an AI cell's saved SQL", async () => {
    const nb = JSON.parse(
      await fs.readFile(path.join(NOTEBOOKS_DIR, '05_scheduled_report.ipynb'), 'utf8'),
    ) as Notebook;
    const at = nb.cells.findIndex((c) => ((c.metadata['tags'] as string[]) ?? []).includes('parameters'));
    nb.cells.splice(
      at + 1,
      0,
      {
        cell_type: 'code',
        metadata: { tags: ['injected-parameters'] },
        source: 'hours = 48;\ntopN = 3;\nvoid 0;\n',
        outputs: [],
      },
      {
        cell_type: 'code',
        metadata: { rtlakehouse: { kind: 'ai-sql', question: 'Orders by country', sql: 'SELECT 1' } },
        source:
          "import { sql as rtlakehouseSavedSql } from '@rt-lakehouse/kernel-helpers/notebook';\n" +
          'await rtlakehouseSavedSql("SELECT country, count(*) AS orders FROM silver_events WHERE event_type = \'purchase\' GROUP BY country", { asOf: { silver_events: 2 } });\n',
        outputs: [],
      },
    );
    for (const c of nb.cells) {
      if (c.cell_type !== 'code') continue;
      (c as Cell & { execution_count?: null }).execution_count = null;
      c.outputs = [];
    }
    const o = expectClean(
      await executeNotebook(
        { name: 'scheduled.ipynb', content: nb },
        { env: kernelEnv(await seededCopy('05-scheduled')), workDir },
      ),
    );
    const text = o.texts.join('\n');
    expect(text).toContain('Report for the last 48 hours');
    expect(text).toContain('Top 3 products by revenue');
    expect(text).toMatch(/silver_events@v2/);
  });

  it('each notebook ran on its own copy: the seeded lakehouse is as it was seeded', async () => {
    expect(await filesUnder(seededDir)).toEqual(seedFiles);
  });

  it('the runs left notebooks/ as it was: no file added, the starters unchanged', async () => {
    expect(await listNotebooksDir()).toEqual(notebooksBefore);
  });
});

type Cell = Notebook['cells'][number];
