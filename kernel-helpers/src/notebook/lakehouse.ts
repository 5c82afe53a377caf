// The session notebooks import: `import { lakehouse } from '@rt-lakehouse/kernel-helpers'`.
import { createNotebookSession, type NotebookSession } from './createNotebookSession.js';

/**
 * The kernel's notebook session over LAKEHOUSE_DIR (settings from the kernel's environment,
 * read at first use). Its methods can be destructured:
 * `const { sql, ask, chart, kpis, table, producer, pipelines, schedule } = lakehouse;`
 */
export const lakehouse: NotebookSession = createNotebookSession();
