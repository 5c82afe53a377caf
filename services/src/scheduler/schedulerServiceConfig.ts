// Settings of the scheduler service, parsed once from the environment.
import path from 'node:path';
import { ConfigError } from '@rt-lakehouse/kernel-helpers';
import { z } from 'zod';

export const schedulerServiceEnvSchema = z.object({
  LAKEHOUSE_DIR: z
    .string()
    .default('./data')
    .describe('Folder of the lakehouse (tables the runs read; commit triggers)'),
  NOTEBOOKS_DIR: z
    .string()
    .default('./notebooks')
    .describe('Schedules name notebooks relative to this folder'),
  SCHEDULER_DIR: z
    .string()
    .optional()
    .describe('Where schedules, run history and outputs are kept (default <LAKEHOUSE_DIR>/_scheduler)'),
  SCHEDULER_PORT: z.coerce.number().int().min(0).max(65_535).default(8020).describe('HTTP port of the API'),
  SCHEDULER_HOST: z.string().default('127.0.0.1').describe('Interface the API listens on'),
  SCHEDULER_PYTHON: z
    .string()
    .optional()
    .describe('Python with nbclient and nbconvert (default <repo>/.venv/bin/python, else python3)'),
  SCHEDULER_KERNEL: z.string().default('tslab').describe('Jupyter kernel the notebooks run on'),
  SCHEDULER_MAX_CONCURRENT_RUNS: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(2)
    .describe('Runs executing at once'),
  SCHEDULER_MAX_QUEUED_PER_SCHEDULE: z.coerce
    .number()
    .int()
    .min(1)
    .default(10)
    .describe('Runs a queue-policy schedule may have waiting'),
  SCHEDULER_KEEP_RUNS: z.coerce
    .number()
    .int()
    .min(1)
    .default(200)
    .describe('Finished runs kept per schedule'),
  SCHEDULER_COMMIT_POLL_MS: z.coerce
    .number()
    .int()
    .min(50)
    .default(1_000)
    .describe('How often commit triggers look for new commits'),
  SCHEDULER_ALERT_WEBHOOK: z
    .url()
    .optional()
    .describe('POSTed a JSON alert when a run fails for good (and when it clears)'),
  API_TOKEN: z.string().min(1).optional().describe('Bearer token the API requires when set'),
});

export type SchedulerServiceConfig = z.infer<typeof schedulerServiceEnvSchema> & { SCHEDULER_DIR: string };

/** The scheduler's settings, paths made absolute. Throws ConfigError naming the variable that is wrong. */
export function schedulerServiceConfigFromEnv(
  env: Record<string, string | undefined> = process.env,
): SchedulerServiceConfig {
  const blankless = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const parsed = schedulerServiceEnvSchema.safeParse(blankless);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`invalid setting ${issue.path.join('.')}: ${issue.message}`, {
      cause: parsed.error,
    });
  }
  const lakehouseDir = path.resolve(parsed.data.LAKEHOUSE_DIR);
  return {
    ...parsed.data,
    LAKEHOUSE_DIR: lakehouseDir,
    NOTEBOOKS_DIR: path.resolve(parsed.data.NOTEBOOKS_DIR),
    SCHEDULER_DIR: path.resolve(parsed.data.SCHEDULER_DIR ?? path.join(lakehouseDir, '_scheduler')),
  };
}
