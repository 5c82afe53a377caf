// Turns a notebook into the one a scheduled run executes: parameter values checked against the
// cell tagged `parameters` (its `let` declarations) and assigned in a new cell right after it
// (papermill's convention, in TypeScript), and AI SQL cells rewritten to run their saved SQL
// instead of asking again. Pure.
import { type CellJson, cellSource, cellTags, type NotebookJson } from './notebookJson.js';
import { type ParameterDeclaration, parameterDeclarationsOf } from './notebookParameters.js';
import type { ParameterValue } from './scheduleDefinition.js';
import { type ParameterIssue, validateParameters } from './validateParameters.js';

/** The tag of the cell that declares parameters, and of the cell the scheduler injects after it. */
export const PARAMETERS_TAG = 'parameters';
export const INJECTED_PARAMETERS_TAG = 'injected-parameters';

/** Where AI SQL cells keep their metadata (`metadata.rtlakehouse.kind === 'ai-sql'`). */
export const AI_SQL_METADATA_KEY = 'rtlakehouse';
export const AI_SQL_KIND = 'ai-sql';
/** The kernel helper a rewritten AI SQL cell calls: `sql(text, { asOf? })` from this module. */
export const AI_SQL_HELPER_MODULE = '@rt-lakehouse/kernel-helpers/notebook';
export const AI_SQL_HELPER_EXPORT = 'sql';

export interface PreparedNotebook {
  notebook: NotebookJson;
  /** The declared parameters; null when the notebook has no parameters cell. */
  declarations: ParameterDeclaration[] | null;
  /** Index of the injected cell, or null when no value was given. */
  injectedCell: number | null;
  /** Indexes of the AI SQL cells rewritten to run their saved SQL. */
  aiSqlCells: number[];
}

export type PrepareNotebookResult =
  | { success: true; prepared: PreparedNotebook }
  | {
      success: false;
      code: 'PARAMETERS_INVALID' | 'NOTEBOOK_INVALID';
      message: string;
      issues: ParameterIssue[];
      declarations: ParameterDeclaration[] | null;
    };

/** The index of the first code cell tagged `parameters`, or -1. */
export function parametersCellIndex(notebook: NotebookJson): number {
  return notebook.cells.findIndex((c) => c.cell_type === 'code' && cellTags(c).includes(PARAMETERS_TAG));
}

/**
 * The parameters `notebook` declares: null when it has no parameters cell; fails when that
 * cell does not parse.
 */
export function declaredParameters(
  notebook: NotebookJson,
): { success: true; declarations: ParameterDeclaration[] | null } | { success: false; error: string } {
  const index = parametersCellIndex(notebook);
  if (index < 0) return { success: true, declarations: null };
  const parsed = parameterDeclarationsOf(cellSource(notebook.cells[index]!));
  return parsed.success ? parsed : { success: false, error: `cell ${index}: ${parsed.error}` };
}

/**
 * The source of the injected cell: one assignment per value given (parameters are `let`
 * declarations, so this is plain TypeScript and the kernel type-checks each value again).
 */
export function injectedParametersSource(
  declarations: readonly ParameterDeclaration[],
  values: Readonly<Record<string, ParameterValue>>,
): string {
  const lines = ['// Parameters set by the RT-Lakehouse scheduler for this run.'];
  for (const d of declarations)
    if (d.name in values) lines.push(`${d.name} = ${JSON.stringify(values[d.name])};`);
  // tslab prints the value of a cell's last expression: end on one that has none.
  lines.push('void 0;');
  return `${lines.join('\n')}\n`;
}

/** The source an AI SQL cell runs in a scheduled run: its saved SQL through the kernel helper. */
export function aiSqlRunSource(metadata: { sql: string; question?: unknown; asOf?: unknown }): string {
  const question = typeof metadata.question === 'string' ? metadata.question.replace(/\s+/g, ' ').trim() : '';
  const alias = 'rtlakehouseSavedSql';
  const options =
    metadata.asOf !== undefined && metadata.asOf !== null
      ? `, { asOf: ${JSON.stringify(metadata.asOf)} }`
      : '';
  return [
    '// AI SQL cell: a scheduled run executes the SQL saved with the cell (the question is not asked again).',
    ...(question ? [`// Question: ${question}`] : []),
    `import { ${AI_SQL_HELPER_EXPORT} as ${alias} } from '${AI_SQL_HELPER_MODULE}';`,
    `await ${alias}(${JSON.stringify(metadata.sql)}${options});`,
    '',
  ].join('\n');
}

const aiSqlMetadataOf = (cell: CellJson): Record<string, unknown> | undefined => {
  const m = cell.metadata[AI_SQL_METADATA_KEY];
  return cell.cell_type === 'code' &&
    m &&
    typeof m === 'object' &&
    (m as { kind?: unknown }).kind === AI_SQL_KIND
    ? (m as Record<string, unknown>)
    : undefined;
};

/**
 * The notebook to execute for `values`, or why the run must not start: PARAMETERS_INVALID (a
 * value the notebook does not declare or of the wrong type: every issue listed) or
 * NOTEBOOK_INVALID (the parameters cell does not parse, an AI SQL cell has no saved SQL).
 * `notebook` is not modified.
 */
export function prepareNotebook(
  notebook: NotebookJson,
  values: Readonly<Record<string, unknown>>,
): PrepareNotebookResult {
  const declared = declaredParameters(notebook);
  if (!declared.success)
    return {
      success: false,
      code: 'NOTEBOOK_INVALID',
      message: declared.error,
      issues: [],
      declarations: null,
    };
  const { declarations } = declared;
  const checked = validateParameters(declarations, values);
  if (!checked.success) {
    return {
      success: false,
      code: 'PARAMETERS_INVALID',
      message: checked.issues.map((i) => i.message).join('; '),
      issues: checked.issues,
      declarations,
    };
  }

  const cells: CellJson[] = [];
  const aiSqlCells: number[] = [];
  let injectedCell: number | null = null;
  const paramsIndex = parametersCellIndex(notebook);
  const withIds = notebook.nbformat > 4 || notebook.nbformat_minor >= 5;
  for (const [index, cell] of notebook.cells.entries()) {
    const ai = aiSqlMetadataOf(cell);
    if (ai) {
      if (typeof ai['sql'] !== 'string' || ai['sql'].trim() === '') {
        return {
          success: false,
          code: 'NOTEBOOK_INVALID',
          message: `AI SQL cell ${index} has no saved SQL: answer it once in JupyterLab and save the notebook before scheduling it`,
          issues: [],
          declarations,
        };
      }
      aiSqlCells.push(cells.length);
      cells.push({
        ...cell,
        source: aiSqlRunSource({ sql: ai['sql'], question: ai['question'], asOf: ai['asOf'] }),
        outputs: [],
        execution_count: null,
      });
    } else {
      cells.push(cell);
    }
    if (index === paramsIndex && declarations && Object.keys(checked.data).length > 0) {
      injectedCell = cells.length;
      cells.push({
        cell_type: 'code',
        ...(withIds ? { id: uniqueId(notebook, INJECTED_PARAMETERS_TAG) } : {}),
        metadata: { tags: [INJECTED_PARAMETERS_TAG] },
        source: injectedParametersSource(declarations, checked.data),
        outputs: [],
        execution_count: null,
      });
    }
  }
  return {
    success: true,
    prepared: { notebook: { ...notebook, cells }, declarations, injectedCell, aiSqlCells },
  };
}

function uniqueId(notebook: NotebookJson, base: string): string {
  const ids = new Set(notebook.cells.map((c) => c.id));
  let id = base;
  for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
  return id;
}
