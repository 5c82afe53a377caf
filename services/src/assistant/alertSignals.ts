// The signals the alert rules judge, gathered each round by the assistant service:
// - conversionRate: purchasing / viewing users summed over the gold_kpis windows of the last
//   ALERT_WINDOW_MINUTES (left out below MIN_VIEW_USERS viewing users: too little traffic);
// - processingLagSeconds: the worst pipeline of the runner's /status — a pipeline that is caught
//   up lags by its last batch's freshness, one with records waiting also by the time since its
//   last batch;
// - errorRate: the share of failed work over the same window — assistant responses with a 5xx
//   status and failed pipeline batches, out of all responses and batches (left out below
//   MIN_SAMPLES);
// - downSeconds: how long each watched service's /health has been failing.
// Each signal is gathered on its own: one that cannot be read is left out (not judged).
import type { AlertSignals, Lakehouse, SqlEngine } from '@rt-lakehouse/kernel-helpers';
import type { Registry } from 'prom-client';

/** Fewer viewing users than this in the window: the conversion rate is not judged. */
export const MIN_VIEW_USERS = 20;
/** Fewer requests and batches than this in the window: the error rate is not judged. */
export const MIN_SAMPLES = 20;

interface PipelineStatusLike {
  name: string;
  state?: string;
  lag?: number | null;
  startedAt?: string | null;
  lastBatch?: { at: string; freshnessMs?: number | null } | null;
  totals?: { batches?: number; failures?: number };
}

export interface SignalDeps {
  engine: SqlEngine;
  lakehouse: Lakehouse;
  /** The runner's GET /status (`{pipelines: [...]}`); rejects when unreachable. */
  pipelinesStatus: () => Promise<unknown>;
  /** Holds the assistant's assistant_http_requests_total. */
  registry: Registry;
  /** Health probes of the watched services: resolve true when healthy. */
  probes: Record<string, () => Promise<boolean>>;
  windowMinutes: number;
  now?: () => number;
}

export interface SignalGatherer {
  gather(): Promise<AlertSignals>;
  /** The signals of the last round (for /api/alerts and the metrics). */
  readonly last: AlertSignals | undefined;
}

export function createSignalGatherer(deps: SignalDeps): SignalGatherer {
  const now = deps.now ?? Date.now;
  const downSince = new Map<string, number>();
  const samples: { at: number; errors: number; total: number }[] = [];
  let last: AlertSignals | undefined;

  const conversionRate = async (): Promise<number | undefined> => {
    if (!(await deps.lakehouse.tableNames()).includes('gold_kpis')) return undefined;
    const from = new Date(now() - deps.windowMinutes * 60_000);
    const result = await deps.engine.query(
      'SELECT sum(purchase_users) AS buyers, sum(view_users) AS viewers FROM gold_kpis WHERE window_start >= $1',
      { params: [from], maxRows: 1, timeoutMs: 10_000 },
    );
    const row = result.rows[0] ?? {};
    const viewers = Number(row['viewers'] ?? 0);
    if (!(viewers >= MIN_VIEW_USERS)) return undefined;
    return Number(row['buyers'] ?? 0) / viewers;
  };

  const pipelineStatuses = async (): Promise<PipelineStatusLike[]> => {
    const status = (await deps.pipelinesStatus()) as { pipelines?: PipelineStatusLike[] };
    return Array.isArray(status?.pipelines) ? status.pipelines : [];
  };

  const processingLag = (pipelines: PipelineStatusLike[]): number | undefined => {
    let worst: number | undefined;
    for (const p of pipelines) {
      const freshness = (p.lastBatch?.freshnessMs ?? 0) / 1000;
      const waiting = (p.lag ?? 0) > 0;
      const since = p.lastBatch?.at ?? p.startedAt ?? undefined;
      const idle = waiting && since ? Math.max(0, (now() - Date.parse(since)) / 1000) : 0;
      const lag = freshness + idle;
      if (Number.isFinite(lag)) worst = Math.max(worst ?? 0, lag);
    }
    return worst;
  };

  const errorRate = async (pipelines: PipelineStatusLike[] | undefined): Promise<number | undefined> => {
    let errors = 0;
    let total = 0;
    const metric = deps.registry.getSingleMetric('assistant_http_requests_total') as
      | {
          get(): Promise<{
            values: { value: number; labels: Record<string, string | number | undefined> }[];
          }>;
        }
      | undefined;
    for (const v of (await metric?.get())?.values ?? []) {
      total += v.value;
      if (Number(v.labels['status']) >= 500) errors += v.value;
    }
    for (const p of pipelines ?? []) {
      const failures = p.totals?.failures ?? 0;
      errors += failures;
      total += (p.totals?.batches ?? 0) + failures;
    }
    const at = now();
    samples.push({ at, errors, total });
    // The oldest sample inside the window is the baseline; older ones are dropped.
    while (samples.length > 1 && samples[1]!.at <= at - deps.windowMinutes * 60_000) samples.shift();
    const base = samples[0]!;
    const dTotal = total - base.total;
    // A restart of the runner resets its counters: no judgement this round.
    if (dTotal < MIN_SAMPLES || errors < base.errors) return undefined;
    return (errors - base.errors) / dTotal;
  };

  const downSeconds = async (): Promise<Record<string, number>> => {
    const out: Record<string, number> = {};
    await Promise.all(
      Object.entries(deps.probes).map(async ([name, probe]) => {
        const healthy = await probe().catch(() => false);
        if (healthy) {
          downSince.delete(name);
          return;
        }
        const since = downSince.get(name) ?? now();
        downSince.set(name, since);
        out[name] = (now() - since) / 1000;
      }),
    );
    return out;
  };

  return {
    get last() {
      return last;
    },
    async gather() {
      const [conversion, pipelines, down] = await Promise.all([
        conversionRate().catch(() => undefined),
        pipelineStatuses().catch(() => undefined),
        downSeconds(),
      ]);
      const errors = await errorRate(pipelines).catch(() => undefined);
      const lag = pipelines ? processingLag(pipelines) : undefined;
      const signals: AlertSignals = {
        ...(conversion !== undefined ? { conversionRate: conversion } : {}),
        ...(lag !== undefined ? { processingLagSeconds: lag } : {}),
        ...(errors !== undefined ? { errorRate: errors } : {}),
        downSeconds: down,
      };
      last = signals;
      return signals;
    },
  };
}

/** A probe of `baseUrl`/health: healthy when it answers 2xx within `timeoutMs`. */
export function healthProbe(baseUrl: string, timeoutMs = 2_000): () => Promise<boolean> {
  const url = `${baseUrl.replace(/\/+$/, '')}/health`;
  return async () => {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer().catch(() => undefined);
    return response.ok;
  };
}
