// Silver's dedup state: the event ids accepted within the watermark, by event-time bucket.
import { EventIdSet, hashWords, uuidWords } from './EventIdSet.js';

/**
 * Event ids accepted into Silver whose event time is inside the dedup watermark. The watermark
 * is the smallest, over source partitions, of the newest event time seen in that partition,
 * minus the window: a partition that lags behind keeps its ids remembered. Ids are held per
 * event-time bucket (1/10 of the window) in compact sets, and a bucket wholly behind the
 * watermark is dropped at once.
 */
export class DedupState {
  private readonly buckets = new Map<number, EventIdSet>();
  private readonly maxByPartition = new Map<number, number>();
  private readonly bucketMs: number;
  // The last id parsed (Silver asks `has` then `add` for the same id): its words and hash.
  private readonly words = new Uint32Array(4);
  private parsedId: string | undefined;
  private parsedUuid = false;
  private hash = 0;
  // The id `has` last found absent, until an add: `add` need not look it up again.
  private absentId: string | undefined;
  // The watermark, computed again only when a partition's newest event time moves.
  private cachedWatermark = Number.NEGATIVE_INFINITY;

  constructor(readonly windowMs: number) {
    this.bucketMs = Math.max(1, Math.floor(windowMs / 10));
  }

  /** Events older than this are outside dedup (-Infinity before any event). */
  get watermark(): number {
    return this.cachedWatermark;
  }

  private updateWatermark(): void {
    let min = Number.POSITIVE_INFINITY;
    for (const v of this.maxByPartition.values()) if (v < min) min = v;
    this.cachedWatermark = this.maxByPartition.size === 0 ? Number.NEGATIVE_INFINITY : min - this.windowMs;
  }

  /** Ids remembered now. */
  get size(): number {
    let n = 0;
    for (const ids of this.buckets.values()) n += ids.size;
    return n;
  }

  /** Slots of all buckets' id tables: what the state holds in memory, ~16 bytes each. */
  get capacity(): number {
    let n = 0;
    for (const ids of this.buckets.values()) n += ids.capacity;
    return n;
  }

  private parse(eventId: string): void {
    if (eventId === this.parsedId) return;
    this.parsedId = eventId;
    this.parsedUuid = uuidWords(eventId, this.words);
    if (this.parsedUuid) this.hash = hashWords(this.words);
  }

  has(eventId: string): boolean {
    const found = this.lookup(eventId);
    this.absentId = found ? undefined : eventId;
    return found;
  }

  private lookup(eventId: string): boolean {
    this.parse(eventId);
    if (this.parsedUuid) {
      for (const ids of this.buckets.values()) if (ids.hasUuid(this.words, this.hash)) return true;
    } else {
      for (const ids of this.buckets.values()) if (ids.hasOther(eventId)) return true;
    }
    return false;
  }

  add(eventId: string, ts: number, partition: number): void {
    if (ts > (this.maxByPartition.get(partition) ?? Number.NEGATIVE_INFINITY)) {
      this.maxByPartition.set(partition, ts);
      this.updateWatermark();
    }
    const key = Math.floor(ts / this.bucketMs);
    const checked = eventId === this.absentId;
    this.absentId = undefined;
    // A bucket wholly behind the watermark would be evicted at once: nothing to remember.
    if ((key + 1) * this.bucketMs <= this.watermark || (!checked && this.lookup(eventId))) return;
    let ids = this.buckets.get(key);
    if (!ids) {
      // A bucket newer than all others is sized for a quarter more ids than the newest one
      // holds: at a steady rate buckets never grow (growing one of millions of ids stalls the
      // pipeline, see EventIdSet), and the size follows the rate down after a burst. A bucket
      // for an older minute (late events) starts small.
      let newest: number | undefined;
      for (const k of this.buckets.keys()) if (newest === undefined || k > newest) newest = k;
      const expected = newest !== undefined && key > newest ? this.buckets.get(newest)!.size : 0;
      ids = new EventIdSet(Math.ceil(expected * 1.25));
      this.buckets.set(key, ids);
      this.evict();
    }
    if (this.parsedUuid) ids.addUuid(this.words, this.hash);
    else ids.add(eventId);
  }

  /** Forgets buckets wholly behind the watermark. */
  evict(): void {
    const wm = this.watermark;
    for (const key of this.buckets.keys()) if ((key + 1) * this.bucketMs <= wm) this.buckets.delete(key);
  }

  clear(): void {
    this.buckets.clear();
    this.maxByPartition.clear();
    this.updateWatermark();
    this.absentId = undefined;
  }
}
