// An open-loop load at a fixed rate, paced evenly (as wrk2 does): request i is due at
// start + i / rate, and its latency is measured from when it was due, not from when it was
// sent, so a stalled server is charged for the requests it held back (no coordinated omission).
//
// autocannon's `overallRate` cannot measure "p99 at N requests/s": each connection sends its
// per-second quota back to back at the start of every second and then idles, and its
// coordinated-omission correction uses an interval of ceil(1 / rate) ms (1 ms) — the figure is
// the latency of a burst, not of a steady rate.
import { Agent, request } from 'undici';

export interface PacedLoadResult {
  requests: number;
  /** Achieved completions per second. */
  perSecond: number;
  /** Latencies from each request's due time, milliseconds, sorted. */
  latencies: number[];
  /** Non-2xx responses and transport errors. */
  errors: number;
  /** Requests sent later than 10 ms after they were due (the generator fell behind). */
  lateSends: number;
}

export async function pacedLoad(options: {
  url: string;
  ratePerSecond: number;
  durationS: number;
  connections: number;
}): Promise<PacedLoadResult> {
  const { url, ratePerSecond, durationS, connections } = options;
  const agent = new Agent({ connections, keepAliveTimeout: 30_000 });
  const total = Math.round(ratePerSecond * durationS);
  const intervalMs = 1000 / ratePerSecond;
  const latencies: number[] = [];
  let errors = 0;
  let lateSends = 0;
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  const send = (dueAt: number) => {
    if (performance.now() - dueAt > 10) lateSends++;
    const done = request(url, { dispatcher: agent })
      .then(async (response) => {
        await response.body.text();
        if (response.statusCode < 200 || response.statusCode >= 300) errors++;
        else latencies.push(performance.now() - dueAt);
      })
      .catch(() => {
        errors++;
      })
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  };
  while (sent < total) {
    const now = performance.now();
    // Everything due by now goes out at once: a late timer never lowers the rate.
    while (sent < total && started + sent * intervalMs <= now) send(started + sent++ * intervalMs);
    await new Promise((r) => setTimeout(r, Math.max(0, started + sent * intervalMs - performance.now())));
  }
  await Promise.all(inFlight);
  const elapsedS = (performance.now() - started) / 1000;
  await agent.close();
  latencies.sort((a, b) => a - b);
  return { requests: total, perSecond: (total - errors) / elapsedS, latencies, errors, lateSends };
}
