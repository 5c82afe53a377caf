// Settings of the assistant API service, parsed once from the environment with zod.
import { ConfigError } from '@rt-lakehouse/kernel-helpers';
import { z } from 'zod';

const list = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const assistantServiceEnvSchema = z.object({
  LAKEHOUSE_DIR: z
    .string()
    .default('./data')
    .describe('Folder of the lakehouse (Delta tables in <dir>/delta)'),
  ASSISTANT_PORT: int(0, 65535).default(8000).describe('HTTP port (0: any free port)'),
  ASSISTANT_HOST: z.string().default('127.0.0.1').describe('Interface to listen on (0.0.0.0 in containers)'),
  API_TOKEN: z
    .string()
    .min(8, 'must be at least 8 characters')
    .optional()
    .describe('When set, /api/* and /metrics need Authorization: Bearer <API_TOKEN>'),
  CORS_ORIGINS: list
    .default(['http://localhost:8888', 'http://127.0.0.1:8888'])
    .describe('Comma-separated origins allowed by CORS (* for any); JupyterLab by default'),
  RATE_LIMIT_PER_MIN: int(0, 1_000_000)
    .default(600)
    .describe('Requests per client IP per minute on protected routes (0: no limit)'),
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .transform((v): boolean | number | string =>
      v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v,
    )
    .describe("express 'trust proxy': which proxies may set X-Forwarded-For (the client IP for rate limits)"),
  BODY_LIMIT_BYTES: int(1_024, 100_000_000).default(1_048_576).describe('Largest JSON body (413 above)'),
  PIPELINES_URL: z
    .url()
    .default('http://127.0.0.1:8010')
    .describe('The pipeline runner status server (GET /status)'),
  PIPELINES_TIMEOUT_MS: int(1, 60_000).default(2_000).describe('Time limit of a status request'),
  DEFAULT_MAX_ROWS: int(1, 10_000).default(1_000).describe('Row cap when a request gives none'),
  QUERY_TIMEOUT_MS: int(1, 300_000).default(30_000).describe('Time limit of a query'),
  KPI_POLL_MS: int(50, 60_000).default(1_000).describe("How often KPI streams check gold_kpis' version"),
  KPI_CACHE_MS: int(0, 60_000)
    .default(1_000)
    .describe(
      'GET /api/kpis serves a snapshot of the same gold_kpis version for this long (0: read every time)',
    ),
  SSE_HEARTBEAT_MS: int(100, 300_000).default(15_000).describe('Comment lines that keep idle streams open'),
  SSE_MAX_STREAMS: int(1, 10_000).default(100).describe('Concurrent KPI streams at most (503 above)'),
  SHUTDOWN_GRACE_MS: int(0, 120_000).default(10_000).describe('How long a stop waits for requests in flight'),
});

export type AssistantServiceConfig = z.infer<typeof assistantServiceEnvSchema>;

/** The service's settings. Blank variables count as unset. @throws ConfigError naming the variable. */
export function assistantServiceConfigFromEnv(
  env: Record<string, string | undefined> = process.env,
): AssistantServiceConfig {
  const blankless = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const parsed = assistantServiceEnvSchema.safeParse(blankless);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`invalid setting ${issue.path.join('.')}: ${issue.message}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}
