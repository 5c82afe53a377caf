// `producer`: synthetic commerce events from the notebook at a steady rate. In the embedded
// mode (no KAFKA_BROKERS) they go to the session's in-process topic, which the notebook's
// Bronze pipeline reads; with KAFKA_BROKERS they are produced to the events topic.
//
// Lifecycle: stopped → running → stopped | failed; start() from stopped or failed only.
import { createEventGenerator } from '../events/createEventGenerator.js';
import type { EventGenerator } from '../events/EventGenerator.js';
import type { FaultRates } from '../events/EventGeneratorOptions.js';
import type { GeneratedRecord } from '../events/GeneratedRecord.js';
import type { KafkaProducer } from '../kafka/KafkaProducer.js';
import { NotebookError } from './NotebookError.js';
import type { SessionContext } from './SessionContext.js';
import { tableBundle } from './tableBundle.js';
import { withSummary } from './withSummary.js';

export interface ProducerStartOptions {
  /** Events per second (default 50). */
  rate?: number;
  /** Stop by itself after this many events. */
  events?: number;
  /** Generator seed (default: the clock, so each run differs). */
  seed?: number;
  /** Bad data to mix in, e.g. `{ malformedJson: 0.01, duplicate: 0.01 }` (default none). */
  faults?: FaultRates;
}

export interface ProducerStatus {
  state: 'stopped' | 'running' | 'failed';
  /** `embedded`: the session's in-process topic; `kafka`: KAFKA_BROKERS. */
  mode: 'embedded' | 'kafka';
  /** The topic events go to. */
  topic: string;
  rate: number | undefined;
  /** Events produced since the last start. */
  produced: number;
  startedAt: string | undefined;
  stoppedAt: string | undefined;
  error: string | undefined;
}

export interface NotebookProducer {
  /** Starts producing (resolves once running; Kafka mode: once the topic exists). */
  start(options?: ProducerStartOptions): Promise<ProducerStatus>;
  /** Stops and waits for the sends in flight. Idempotent. */
  stop(): Promise<ProducerStatus>;
  /** Shows and returns the producer's state and counters. */
  status(): ProducerStatus;
  /** Resolves when `produced` reaches `events` (or the producer stops). */
  waitFor(events: number, options?: { timeoutMs?: number }): Promise<ProducerStatus>;
}

const TICK_MS = 100;
const DEFAULT_RATE = 50;
/** A stalled event loop does not make the producer burst: at most this much backlog is made up. */
const MAX_BACKLOG_S = 1;

export function createNotebookProducer(ctx: SessionContext): NotebookProducer {
  let state: ProducerStatus['state'] = 'stopped';
  let options: Required<Pick<ProducerStartOptions, 'rate'>> & ProducerStartOptions = { rate: DEFAULT_RATE };
  let produced = 0;
  let startedAt: number | undefined;
  let stoppedAt: number | undefined;
  let lastTickAt = 0;
  let error: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let kafkaProducer: KafkaProducer | undefined;
  let generator: EventGenerator | undefined;
  const watchers = new Set<() => void>();

  const mode = (): ProducerStatus['mode'] => (ctx.config().kafkaBrokers ? 'kafka' : 'embedded');
  const topic = () => (mode() === 'kafka' ? ctx.config().kafkaTopic : ctx.memorySource().topic);
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

  const snapshot = (): ProducerStatus => ({
    state,
    mode: mode(),
    topic: topic(),
    rate: state === 'running' ? options.rate : undefined,
    produced,
    startedAt: iso(startedAt),
    stoppedAt: iso(stoppedAt),
    error,
  });

  const notify = () => {
    for (const w of watchers) w();
  };

  async function send(records: GeneratedRecord[]): Promise<void> {
    if (records.length === 0) return;
    if (mode() === 'embedded') {
      ctx.memorySource().push(records.map((r) => ({ key: r.key, value: r.value, timestamp: r.ts })));
    } else {
      await kafkaProducer!.send(
        topic(),
        records.map((r) => ({ key: r.key, value: r.value, timestamp: r.ts })),
      );
    }
    produced += records.length;
    notify();
  }

  function halt(failure?: unknown): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (state === 'running') {
      state = failure === undefined ? 'stopped' : 'failed';
      stoppedAt = Date.now();
    }
    if (failure !== undefined) error = (failure as Error).message ?? String(failure);
    notify();
  }

  function tick(): void {
    if (state !== 'running') return;
    const now = Date.now();
    const elapsedS = Math.min((now - lastTickAt) / 1000, MAX_BACKLOG_S);
    lastTickAt = now;
    // Fractions carry over through `produced` vs the ideal count since the start.
    const ideal = Math.floor(((now - startedAt!) / 1000) * options.rate);
    let due = Math.max(0, Math.min(ideal - produced, Math.ceil(elapsedS * options.rate)));
    if (options.events !== undefined) due = Math.min(due, options.events - produced);
    const records: GeneratedRecord[] = [];
    for (let i = 0; i < due; i++) {
      // Event times spread over the time since the previous tick, as a live source would have them.
      const r = generator!.next(now - Math.round(((due - 1 - i) / Math.max(1, due)) * elapsedS * 1000));
      if (!r) break;
      records.push(r);
    }
    inFlight = inFlight
      .then(() => send(records))
      .then(
        () => {
          if (options.events !== undefined && produced >= options.events) halt();
          else if (state === 'running') timer = setTimeout(tick, TICK_MS).unref();
        },
        (failure) => halt(failure),
      );
  }

  function show(status: ProducerStatus): ProducerStatus {
    ctx.display(
      tableBundle(
        {
          columns: [
            { name: 'state', type: 'VARCHAR' },
            { name: 'mode', type: 'VARCHAR' },
            { name: 'topic', type: 'VARCHAR' },
            { name: 'rate_per_s', type: 'DOUBLE' },
            { name: 'produced', type: 'BIGINT' },
            { name: 'started_at', type: 'VARCHAR' },
            { name: 'error', type: 'VARCHAR' },
          ],
          rows: [
            {
              state: status.state,
              mode: status.mode,
              topic: status.topic,
              rate_per_s: status.rate ?? null,
              produced: status.produced,
              started_at: status.startedAt ?? null,
              error: status.error ?? null,
            },
          ],
        },
        { title: 'Producer' },
      ),
    );
    return withSummary(status, `producer ${status.state}: ${status.produced} events`);
  }

  return {
    async start(start: ProducerStartOptions = {}): Promise<ProducerStatus> {
      if (state === 'running')
        throw NotebookError.of(
          'PRODUCER_RUNNING',
          'producer.start() failed',
          'the producer is already running',
          {
            hint: 'Call `producer.stop()` first to change its rate.',
          },
        );
      const rate = start.rate ?? DEFAULT_RATE;
      if (!(rate > 0) || !Number.isFinite(rate))
        throw NotebookError.of(
          'PRODUCER_INVALID_RATE',
          'producer.start() failed',
          `rate must be a positive number, not ${rate}`,
          {
            hint: 'Pass events per second, e.g. `producer.start({ rate: 200 })`.',
          },
        );
      if (start.events !== undefined && !(Number.isInteger(start.events) && start.events > 0))
        throw NotebookError.of(
          'PRODUCER_INVALID_EVENTS',
          'producer.start() failed',
          `events must be a positive integer`,
          {
            hint: 'Pass how many events to produce, e.g. `{ events: 5000 }`, or leave it out to run until stop().',
          },
        );
      try {
        generator = createEventGenerator({
          seed: start.seed ?? Date.now() % 2_147_483_647,
          eventsPerSecond: rate,
          ...(start.faults ? { faults: start.faults } : {}),
        });
      } catch (e) {
        throw NotebookError.from(e, { action: 'producer.start()' });
      }
      if (mode() === 'kafka') {
        try {
          const kafka = ctx.kafka();
          await kafka.admin.ensureTopic(topic(), kafka.config.partitions);
          kafkaProducer ??= kafka.producer();
        } catch (e) {
          throw NotebookError.from(e, { action: 'producer.start()', url: ctx.config().kafkaBrokers });
        }
      }
      options = { ...start, rate };
      produced = 0;
      error = undefined;
      startedAt = Date.now();
      lastTickAt = startedAt;
      stoppedAt = undefined;
      state = 'running';
      timer = setTimeout(tick, TICK_MS).unref();
      return show(snapshot());
    },

    async stop(): Promise<ProducerStatus> {
      halt();
      await inFlight.catch(() => undefined);
      if (kafkaProducer) {
        const p = kafkaProducer;
        kafkaProducer = undefined;
        await p.disconnect().catch((e: unknown) => {
          error = (e as Error).message;
        });
      }
      return show(snapshot());
    },

    status: () => show(snapshot()),

    async waitFor(events: number, wait = {}): Promise<ProducerStatus> {
      const timeoutMs = wait.timeoutMs ?? 120_000;
      await new Promise<void>((resolve, reject) => {
        const check = () => {
          if (produced >= events || state !== 'running') {
            done();
            resolve();
          }
        };
        const timeout = setTimeout(() => {
          done();
          reject(
            NotebookError.of(
              'TIMEOUT',
              'producer.waitFor() timed out',
              `${produced} of ${events} events after ${timeoutMs} ms`,
              { hint: 'Raise the rate or `{ timeoutMs }`.' },
            ),
          );
        }, timeoutMs);
        const done = () => {
          clearTimeout(timeout);
          watchers.delete(check);
        };
        watchers.add(check);
        check();
      });
      if (state === 'failed')
        throw NotebookError.of('PRODUCER_FAILED', 'the producer failed', error ?? 'unknown error');
      return show(snapshot());
    },
  };
}
