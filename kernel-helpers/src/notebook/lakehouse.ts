// The session notebooks import: `import { lakehouse } from '@rt-lakehouse/kernel-helpers'`.
import { createNotebookSession, type NotebookSession } from './createNotebookSession.js';

/**
 * The kernel's notebook session over LAKEHOUSE_DIR (settings from the kernel's environment,
 * read at first use). Its methods can be destructured:
 * `const { sql, ask, chart, kpis, table, producer, pipelines, schedule } = lakehouse;`
 */
export const lakehouse: NotebookSession = createNotebookSession();

/**
 * `lakehouse.sql` as a named export: `import { sql } from '@rt-lakehouse/kernel-helpers/notebook'`
 * (what the scheduler's rewritten AI SQL cells call, with `{ asOf }` when the cell pinned one).
 */
export const sql: NotebookSession['sql'] = (query, options) => lakehouse.sql(query, options);
