// GET /health: the lakehouse folder is readable, the SQL engine answers `select 1`, the
// assistant reports its status (when it can), and the pipeline runner is reachable. Lakehouse,
// engine or assistant failing: down (503); runner unreachable: degraded (200), since queries
// still work without it.
import { constants, promises as fs } from 'node:fs';
import type { Lakehouse, SqlEngine } from '@rt-lakehouse/kernel-helpers';
import type { z } from 'zod';
import { unreachableReason } from './pipelinesStatusClient.js';
import type { HealthResponse } from './schemas.js';

export type Health = z.infer<typeof HealthResponse>;

const CHECK_TIMEOUT_MS = 2_000;

/** Runs the three checks side by side; never throws. */
export async function checkHealth(deps: {
  lakehouse: Lakehouse;
  engine: SqlEngine;
  pipelinesStatus: () => Promise<unknown>;
  /** The assistant's own status (embedder, vector store, LLM and its breaker), when it has one. */
  assistantStatus?: (() => Promise<unknown>) | undefined;
  startedAt: number;
}): Promise<Health> {
  const timed = async <T>(work: () => Promise<T>) => {
    const started = performance.now();
    const value = await work();
    return { value, ms: Math.round((performance.now() - started) * 1000) / 1000 };
  };
  const assistantStatus = deps.assistantStatus;
  const [lakehouse, engine, pipelines, assistant] = await Promise.all([
    timed(() => fs.access(deps.lakehouse.dir, constants.R_OK | constants.X_OK)).then(
      () => ({ status: 'ok' as const, dir: deps.lakehouse.dir }),
      (error: NodeJS.ErrnoException) => ({
        status: 'down' as const,
        dir: deps.lakehouse.dir,
        reason: `the lakehouse folder is not readable (${error.code ?? error.message})`,
      }),
    ),
    timed(() => deps.engine.query('select 1 as ok', { timeoutMs: CHECK_TIMEOUT_MS })).then(
      ({ ms }) => ({ status: 'ok' as const, latencyMs: ms }),
      (error: Error & { code?: string }) => ({
        status: 'down' as const,
        reason: `${error.code ?? 'ERROR'}: ${error.message}`,
      }),
    ),
    timed(() => deps.pipelinesStatus()).then(
      ({ ms }) => ({ status: 'ok' as const, latencyMs: ms }),
      (error: unknown) => ({ status: 'unreachable' as const, reason: unreachableReason(error) }),
    ),
    assistantStatus
      ? assistantStatus().then(
          (value) => ({ status: 'ok' as const, ...(value as Record<string, unknown>) }),
          (error: Error & { code?: string }) => ({
            status: 'down' as const,
            reason: `${error.code ?? 'ERROR'}: ${error.message}`,
          }),
        )
      : undefined,
  ]);
  const down =
    lakehouse.status !== 'ok' || engine.status !== 'ok' || (assistant && assistant.status !== 'ok');
  const status = down ? 'down' : pipelines.status !== 'ok' ? 'degraded' : 'ok';
  return {
    status,
    service: 'assistant',
    uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 100) / 10,
    checks: { lakehouse, engine, pipelines, ...(assistant ? { assistant } : {}) },
  };
}
