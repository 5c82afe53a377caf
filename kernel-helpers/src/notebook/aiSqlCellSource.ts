// The kernel form of an AI SQL cell: a code cell marked `metadata.rtlakehouse.kind = 'ai-sql'`
// whose source is one TypeScript call, `await ask("<question>")` (or, once its SQL was reviewed
// or edited, `await ask("<question>", { sql: "<sql>" })`). Any Jupyter client that runs the
// notebook on tslab (nbconvert, the scheduler, VS Code) then answers it through the kernel's
// `ask`, while the extension answers it through the assistant API. Pure.

const STRING = String.raw`"(?:[^"\\\r\n]|\\.)*"`;
const CALL = new RegExp(
  String.raw`^\s*(?:await\s+)?ask\(\s*(${STRING})\s*(?:,\s*\{\s*sql\s*:\s*(${STRING})\s*,?\s*\}\s*)?\)\s*;?\s*$`,
);

/** The cell source that asks `question` (with `sql`, runs that SQL for it instead of generating). */
export function aiSqlCellSource(cell: { question: string; sql?: string | undefined }): string {
  const sql =
    cell.sql === undefined || cell.sql.trim() === '' ? '' : `, { sql: ${JSON.stringify(cell.sql)} }`;
  return `await ask(${JSON.stringify(cell.question)}${sql})`;
}

/**
 * The question (and SQL) of a source written by aiSqlCellSource, or undefined for any other
 * text (a source that is the bare question, or code someone edited).
 */
export function parseAiSqlCellSource(source: string): { question: string; sql?: string } | undefined {
  const m = CALL.exec(source);
  if (!m) return undefined;
  try {
    const question = JSON.parse(m[1]!) as string;
    return m[2] === undefined ? { question } : { question, sql: JSON.parse(m[2]) as string };
  } catch {
    return undefined;
  }
}
