// The parts of an nbformat 4 notebook the scheduler reads and writes, and a tolerant parser:
// unknown fields are kept as they are, so a notebook goes through the scheduler unchanged
// apart from the cells it injects or rewrites.
import { z } from 'zod';

const Source = z.union([z.string(), z.array(z.string())]);

export const CellJson = z
  .object({
    cell_type: z.string(),
    source: Source,
    metadata: z.record(z.string(), z.unknown()).default({}),
    id: z.string().optional(),
    outputs: z.array(z.unknown()).optional(),
    execution_count: z.number().nullable().optional(),
  })
  .passthrough();
export type CellJson = z.infer<typeof CellJson>;

export const NotebookJson = z
  .object({
    cells: z.array(CellJson),
    metadata: z.record(z.string(), z.unknown()).default({}),
    nbformat: z.number().int().min(4),
    nbformat_minor: z.number().int(),
  })
  .passthrough();
export type NotebookJson = z.infer<typeof NotebookJson>;

/** The notebook in `text`, or why it is not one (not JSON, not nbformat 4). */
export function parseNotebookJson(
  text: string,
): { success: true; notebook: NotebookJson } | { success: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { success: false, error: `not JSON: ${(error as Error).message}` };
  }
  const parsed = NotebookJson.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return {
      success: false,
      error: `not an nbformat 4 notebook: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    };
  }
  return { success: true, notebook: parsed.data };
}

/** A cell's source as one string (nbformat allows a list of lines). */
export function cellSource(cell: CellJson): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

/** The tags of a cell (`metadata.tags`), [] when it has none. */
export function cellTags(cell: CellJson): string[] {
  const tags = cell.metadata['tags'];
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}
