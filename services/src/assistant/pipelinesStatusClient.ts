// Reads the pipeline runner's status (GET /status on PIPELINES_URL) for /api/pipelines and the
// health check.

/**
 * A function fetching `<url>/status` as JSON. It rejects when the runner is unreachable, slower
 * than `timeoutMs`, or answers with an error status.
 */
export function pipelinesStatusClient(url: string, timeoutMs: number): () => Promise<unknown> {
  const statusUrl = new URL('status', url.endsWith('/') ? url : `${url}/`);
  return async () => {
    const response = await fetch(statusUrl, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`the runner answered ${response.status} ${response.statusText}`);
    }
    return response.json();
  };
}

/** A short reason for a failed status request: the network error's code when there is one. */
export function unreachableReason(error: unknown): string {
  const e = error as { name?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
  if (e?.name === 'TimeoutError') return 'no answer within the time limit';
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  if (typeof e?.cause?.message === 'string') return e.cause.message;
  return String(e?.message ?? error);
}
