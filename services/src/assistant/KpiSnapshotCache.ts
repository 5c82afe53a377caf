// KPI snapshots shared between requests: one read per gold_kpis version, range and KPI_CACHE_MS
// period, however many clients ask at once (concurrent requests wait for the same read). A new
// gold_kpis version is read at once; a snapshot of the current version older than the TTL is
// still served while one read refreshes it in the background, so only the edges of the time
// range lag (by up to twice the TTL) and no request waits for a refresh.
import type { KpiRange, Kpis } from './readKpis.js';

interface Entry {
  version: number | null;
  at: number;
  value: Promise<Kpis>;
  refreshing?: boolean;
}

export class KpiSnapshotCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly options: {
      read: (range: KpiRange) => Promise<Kpis>;
      /** The gold_kpis version now (cheap). */
      version: () => Promise<number | null>;
      /** How long a snapshot of the same version is served (0: every request reads). */
      ttlMs: number;
      /** Most ranges kept. */
      maxEntries?: number;
      now?: () => number;
    },
  ) {}

  async get(range: KpiRange): Promise<Kpis> {
    const { read, ttlMs } = this.options;
    if (ttlMs <= 0) return read(range);
    const now = (this.options.now ?? Date.now)();
    const version = await this.options.version();
    const key = `${range.minutes}|${range.series}`;
    const hit = this.entries.get(key);
    if (hit && hit.version === version) {
      if (now - hit.at >= ttlMs && !hit.refreshing) {
        hit.refreshing = true;
        const next = read(range);
        next.then(
          () => {
            if (this.entries.get(key) === hit) this.entries.set(key, { version, at: now, value: next });
          },
          () => {
            hit.refreshing = false;
          },
        );
      }
      return hit.value;
    }
    const entry: Entry = { version, at: now, value: read(range) };
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > (this.options.maxEntries ?? 256))
      this.entries.delete(this.entries.keys().next().value as string);
    // A failed read is not served again.
    entry.value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry.value;
  }
}
