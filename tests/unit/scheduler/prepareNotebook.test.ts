import { describe, expect, it } from 'vitest';
import type { NotebookJson } from '../../../services/src/scheduler/notebookJson.js';
import { prepareNotebook } from '../../../services/src/scheduler/prepareNotebook.js';

const code = (source: string | string[], metadata: Record<string, unknown> = {}, id?: string) => ({
  cell_type: 'code',
  source,
  metadata,
  outputs: [],
  execution_count: null,
  ...(id ? { id } : {}),
});

function notebook(cells: NotebookJson['cells'], minor = 5): NotebookJson {
  return { cells, metadata: { kernelspec: { name: 'tslab' } }, nbformat: 4, nbformat_minor: minor };
}

const source = (nb: NotebookJson, i: number) => {
  const s = nb.cells[i]!.source;
  return Array.isArray(s) ? s.join('') : s;
};

describe('prepareNotebook', () => {
  const base = notebook([
    code('import { sql } from "x";', {}, 'a'),
    code(["let country = 'US';\n", 'let days: number = 7;\n'], { tags: ['parameters'] }, 'b'),
    code('console.log(country, days);', {}, 'c'),
  ]);

  it('injects one assignment per value right after the parameters cell', () => {
    const result = prepareNotebook(base, { days: 14, country: 'D"E' });
    expect(result.success).toBe(true);
    if (!result.success) return;
    const { notebook: nb, injectedCell } = result.prepared;
    expect(injectedCell).toBe(2);
    expect(nb.cells).toHaveLength(4);
    expect(nb.cells[2]).toMatchObject({
      id: 'injected-parameters',
      metadata: { tags: ['injected-parameters'] },
    });
    expect(source(nb, 2)).toMatchInlineSnapshot(`
      "// Parameters set by the RT-Lakehouse scheduler for this run.
      country = "D\\"E";
      days = 14;
      void 0;
      "
    `);
    expect(source(nb, 3)).toBe('console.log(country, days);');
    // The input is not modified.
    expect(base.cells).toHaveLength(3);
  });

  it('injects nothing without values, and cells get no ids in nbformat 4.4', () => {
    const none = prepareNotebook(base, {});
    expect(none.success && none.prepared.injectedCell).toBe(null);
    const old = prepareNotebook(notebook([code('let n = 1;', { tags: ['parameters'] })], 4), { n: 2 });
    expect(old.success && old.prepared.notebook.cells[1]!.id).toBe(undefined);
  });

  it('refuses bad values before any run, with every issue and the declared parameters', () => {
    const result = prepareNotebook(base, { days: '14', region: 'EU' });
    expect(result).toMatchObject({
      success: false,
      code: 'PARAMETERS_INVALID',
      message:
        'parameter "days" must be number; got "14" (a string); unknown parameter "region": the notebook declares country, days',
    });
    expect(!result.success && result.declarations?.map((d) => d.name)).toEqual(['country', 'days']);
  });

  it('refuses a parameters cell that does not parse', () => {
    const result = prepareNotebook(notebook([code('let days = ;', { tags: ['parameters'] })]), {});
    expect(result).toMatchObject({ success: false, code: 'NOTEBOOK_INVALID' });
  });

  it('rewrites AI SQL cells to run their saved SQL and refuses those without one', () => {
    const ai = (meta: Record<string, unknown>) =>
      code('revenue by day last week?', { rtlakehouse: { kind: 'ai-sql', ...meta } });
    const result = prepareNotebook(
      notebook([
        ai({ question: 'revenue by\nday?', sql: "SELECT day, sum(revenue) FROM gold_kpis WHERE x = 'a'" }),
        ai({ sql: 'SELECT 1', asOf: { gold_kpis: 3 } }),
      ]),
      {},
    );
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.prepared.aiSqlCells).toEqual([0, 1]);
    expect(source(result.prepared.notebook, 0)).toMatchInlineSnapshot(`
      "// AI SQL cell: a scheduled run executes the SQL saved with the cell (the question is not asked again).
      // Question: revenue by day?
      import { sql as rtlakehouseSavedSql } from '@rt-lakehouse/kernel-helpers/notebook';
      await rtlakehouseSavedSql("SELECT day, sum(revenue) FROM gold_kpis WHERE x = 'a'");
      "
    `);
    expect(source(result.prepared.notebook, 1)).toContain(
      'await rtlakehouseSavedSql("SELECT 1", { asOf: {"gold_kpis":3} });',
    );
    expect(result.prepared.notebook.cells[0]!.metadata).toMatchObject({ rtlakehouse: { kind: 'ai-sql' } });

    expect(prepareNotebook(notebook([code('x'), ai({ question: 'q' })]), {})).toMatchObject({
      success: false,
      code: 'NOTEBOOK_INVALID',
      message:
        'AI SQL cell 1 has no saved SQL: answer it once in JupyterLab and save the notebook before scheduling it',
    });
  });
});
