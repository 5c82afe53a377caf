// Reads where the lakehouse lives from the environment (`LAKEHOUSE_DIR`, default `./data`).
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.js';

type Env = Record<string, string | undefined>;

/** Where the lakehouse lives: Delta tables are under `<dir>/delta/<name>`. */
export interface LakehouseConfig {
  /** Absolute path of the lakehouse folder. */
  dir: string;
}

const LakehouseConfigSchema = z.object({
  dir: z.string().refine((dir) => !dir.includes('\0'), { message: 'must not contain NUL bytes' }),
});

/**
 * Builds the lakehouse configuration from `LAKEHOUSE_DIR` (default `./data`), resolved against
 * `cwd` (the process's working directory by default). A blank variable counts as unset.
 * @throws ConfigError when the value is not a usable path.
 */
export function lakehouseConfigFromEnv(env: Env = process.env, cwd: string = process.cwd()): LakehouseConfig {
  const raw = env['LAKEHOUSE_DIR']?.trim();
  const parsed = LakehouseConfigSchema.safeParse({ dir: raw === undefined || raw === '' ? './data' : raw });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`invalid lakehouse configuration: LAKEHOUSE_DIR: ${issue?.message}`, {
      cause: parsed.error,
    });
  }
  return { dir: path.resolve(cwd, parsed.data.dir) };
}
