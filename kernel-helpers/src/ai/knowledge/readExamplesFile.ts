// The user's example file (`<lakehouse>/assistant/examples.json` by default): question → SQL pairs
// the team keeps in the repository. Either a JSON array or `{ "examples": [...] }`.
import { promises as fs } from 'node:fs';
import { z } from 'zod';

const ExampleSchema = z.object({
  id: z.string().min(1).max(200).optional(),
  question: z.string().trim().min(1).max(2_000),
  sql: z.string().trim().min(1).max(100_000),
});
const FileSchema = z.union([z.array(ExampleSchema), z.object({ examples: z.array(ExampleSchema) })]);

export type FileExample = z.infer<typeof ExampleSchema>;

export type ExamplesFileResult =
  | { success: true; examples: FileExample[]; mtimeMs: number | undefined }
  | { success: false; error: string };

/**
 * Reads and validates the examples file. A missing file has no examples; a file that is not
 * valid JSON or does not match the schema is an expected failure (returned, not thrown).
 */
export async function readExamplesFile(file: string): Promise<ExamplesFileResult> {
  let text: string;
  let mtimeMs: number;
  try {
    [text, mtimeMs] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file).then((s) => s.mtimeMs)]);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      return { success: true, examples: [], mtimeMs: undefined };
    return { success: false, error: `cannot read ${file}: ${(e as Error).message}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { success: false, error: `${file} is not JSON: ${(e as Error).message}` };
  }
  const parsed = FileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { success: false, error: `${file}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}` };
  }
  return {
    success: true,
    examples: Array.isArray(parsed.data) ? parsed.data : parsed.data.examples,
    mtimeMs,
  };
}
