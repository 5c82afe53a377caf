// Server-sent KPI streams: each stream gets a snapshot when it opens, then one `kpis` event
// whenever gold_kpis' Delta version changes (one shared poller, cheap: it probes the next
// commit file), comment heartbeats in between, and a `shutdown` event when the service stops.
import type { Logger } from '@rt-lakehouse/kernel-helpers';
import type { Request, Response } from 'express';
import { ApiError } from './ApiError.js';
import type { KpiRange, Kpis } from './readKpis.js';

export interface KpiStreamHubOptions {
  /** The current gold_kpis version (null before the table exists). */
  version: () => Promise<number | null>;
  /** Reads a snapshot. */
  snapshot: (range: KpiRange) => Promise<Kpis>;
  pollMs: number;
  heartbeatMs: number;
  maxStreams: number;
  logger: Logger;
  /** Tells how many streams are open (a gauge). */
  onCount?: (count: number) => void;
}

interface Stream {
  res: Response;
  range: KpiRange;
  /** The version of the last snapshot sent (undefined before the first). */
  version: number | null | undefined;
  requestId: string;
}

/** How long clients wait before reconnecting, sent as the stream's `retry:` field. */
const RETRY_MS = 3_000;

export class KpiStreamHub {
  private readonly streams = new Set<Stream>();
  private poller: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: KpiStreamHubOptions) {}

  /** Open streams. */
  get size(): number {
    return this.streams.size;
  }

  /**
   * Starts a stream on `res`: headers, the initial snapshot, then events until the client goes
   * away or `close()`. @throws ApiError STREAMS_EXHAUSTED at the stream limit, SHUTTING_DOWN
   * after close(), or the snapshot's error (before anything was written, so it becomes JSON).
   */
  async open(req: Request, res: Response, range: KpiRange, requestId: string): Promise<void> {
    if (this.closed) throw new ApiError('SHUTTING_DOWN', 'the service is stopping');
    if (this.streams.size >= this.options.maxStreams) {
      throw new ApiError(
        'STREAMS_EXHAUSTED',
        `all ${this.options.maxStreams} KPI streams are in use (SSE_MAX_STREAMS); try again later`,
        { headers: { 'Retry-After': '5' } },
      );
    }
    const stream: Stream = { res, range, version: undefined, requestId };
    this.streams.add(stream); // hold the slot while the snapshot is read
    this.count();
    let gone = false;
    res.once('close', () => {
      gone = true;
      this.remove(stream);
    });
    let first: Kpis;
    try {
      first = await this.options.snapshot(range);
    } catch (error) {
      this.remove(stream);
      throw error;
    }
    if (this.closed) throw new ApiError('SHUTTING_DOWN', 'the service is stopping');
    if (gone) return;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(`retry: ${RETRY_MS}\n\n`);
    this.send(stream, first);
    req.socket.setKeepAlive(true);
    this.startTimers();
  }

  /** Ends every stream with a `shutdown` event and stops the timers. Idempotent. */
  close(): void {
    this.closed = true;
    this.stopTimers();
    // Streams still reading their first snapshot fail with SHUTTING_DOWN when it arrives.
    for (const stream of this.streams) {
      if (!stream.res.headersSent) continue;
      this.write(stream, 'event: shutdown\ndata: {"reason":"the service is stopping"}\n\n');
      stream.res.end();
    }
    this.streams.clear();
    this.count();
  }

  /** Checks the version once and sends snapshots to the streams behind it (tests call it directly). */
  poll(): Promise<void> {
    this.polling ??= this.checkVersion().finally(() => {
      this.polling = undefined;
    });
    return this.polling;
  }

  private async checkVersion(): Promise<void> {
    let version: number | null;
    try {
      version = await this.options.version();
    } catch (error) {
      this.options.logger.warn('kpi stream: reading the gold_kpis version failed', { error });
      return;
    }
    const behind = [...this.streams].filter((s) => s.version !== undefined && s.version !== version);
    if (behind.length === 0) return;
    const snapshots = new Map<string, Promise<Kpis>>();
    for (const stream of behind) {
      const key = `${stream.range.minutes}:${stream.range.series}`;
      let snapshot = snapshots.get(key);
      if (!snapshot) {
        snapshot = this.options.snapshot(stream.range);
        snapshots.set(key, snapshot);
      }
      try {
        this.send(stream, await snapshot);
      } catch (error) {
        const e = error as { code?: unknown; message?: unknown };
        this.options.logger.warn('kpi stream: reading a snapshot failed', {
          error,
          requestId: stream.requestId,
        });
        this.write(
          stream,
          `event: error\ndata: ${JSON.stringify({ code: String(e.code ?? 'INTERNAL_ERROR'), message: String(e.message) })}\n\n`,
        );
      }
    }
  }

  private send(stream: Stream, kpis: Kpis): void {
    stream.version = kpis.version;
    this.write(stream, `event: kpis\nid: ${kpis.version ?? ''}\ndata: ${JSON.stringify(kpis)}\n\n`);
  }

  private write(stream: Stream, text: string): void {
    if (stream.res.writableEnded || stream.res.destroyed) return;
    stream.res.write(text);
  }

  private remove(stream: Stream): void {
    if (!this.streams.delete(stream)) return;
    this.count();
    if (this.streams.size === 0) this.stopTimers();
  }

  private count(): void {
    this.options.onCount?.(this.streams.size);
  }

  private startTimers(): void {
    if (this.closed) return;
    this.poller ??= setInterval(() => void this.poll(), this.options.pollMs).unref();
    this.heartbeat ??= setInterval(() => {
      for (const stream of this.streams)
        if (stream.res.headersSent) this.write(stream, `: heartbeat ${new Date().toISOString()}\n\n`);
    }, this.options.heartbeatMs).unref();
  }

  private stopTimers(): void {
    clearInterval(this.poller);
    clearInterval(this.heartbeat);
    this.poller = undefined;
    this.heartbeat = undefined;
  }
}
