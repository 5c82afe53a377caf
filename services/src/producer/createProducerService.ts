// The producer service: synthetic commerce events from the seeded generator to the events
// topic at a steady rate (or as fast as the broker takes them), batched and pipelined, with a
// clean stop that waits for every send in flight.

import {
  createEventGenerator,
  FAULT_KINDS,
  type FaultKind,
  type KafkaClient,
  type KafkaMessage,
  type Logger,
  noopLogger,
} from '@rt-lakehouse/kernel-helpers';
import type { ProducerState, ProducerStats } from './ProducerStats.js';
import { generatorOptionsOf, type ProducerConfig } from './producerConfigFromEnv.js';

/** What the producer needs: its settings, a Kafka client, a logger and (for tests) a clock. */
export interface ProducerServiceDeps {
  config: ProducerConfig;
  kafka: Pick<KafkaClient, 'config' | 'admin' | 'producer'>;
  logger?: Logger;
  /** Wall clock in epoch ms; default Date.now. */
  now?: () => number;
}

/** A running producer; see createProducerService. */
export interface ProducerService {
  /**
   * Makes sure the topic exists (KafkaConfig's topic and partitions), then starts producing in
   * the background. Resolves once running; rejects (state `failed`) when the topic cannot be
   * made ready.
   */
  start(): Promise<void>;
  /**
   * Stops generating, waits until every send in flight has settled, disconnects the producer
   * and resolves with the final stats (also logged as "producer stopped"). Idempotent.
   */
  stop(): Promise<ProducerStats>;
  /** The current counters. */
  stats(): ProducerStats;
  /** Settles with the final stats when the run ends: stopped, or limit reached, or failed. */
  readonly done: Promise<ProducerStats>;
}

/** How long to pause after a failed send before trying again. */
const RETRY_PAUSE_MS = 1_000;
/** A finite rate that the broker cannot keep up with drops its backlog beyond this much. */
const MAX_BACKLOG_S = 1;

const noFaults = (): Record<FaultKind, number> =>
  Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;

/**
 * Creates the producer service. Each batch holds the events due by the rate (at most
 * `batchSize`, sent early after `lingerMs`), stamped with event times spread over the time
 * since the previous batch; up to `maxInFlight` sends await acknowledgement at once. Records
 * keep the generator's key (user_id); their Kafka timestamp is the send time, so late events
 * show as event time well before it. Stops by itself after `durationS` or `maxEvents`.
 */
export function createProducerService(deps: ProducerServiceDeps): ProducerService {
  const { config, kafka } = deps;
  const logger = deps.logger ?? noopLogger;
  const now = deps.now ?? Date.now;
  const topic = kafka.config.topic;

  let state: ProducerState = 'idle';
  let startedAt: number | undefined;
  let stoppedAt: number | undefined;
  let cpuAtStart: NodeJS.CpuUsage | undefined;
  let cpuAtStop: NodeJS.CpuUsage | undefined;
  let generated = 0;
  let sent = 0;
  let failed = 0;
  let inFlightRecords = 0;
  let bytes = 0;
  let errors = 0;
  let lastError: string | undefined;
  const faults = noFaults();
  const inFlight = new Set<Promise<void>>();
  /** No batch goes out before this time (set after a failed send). */
  let retryAt = 0;

  let resolveDone!: (stats: ProducerStats) => void;
  const done = new Promise<ProducerStats>((resolve) => {
    resolveDone = resolve;
  });
  // Wakes the loop from a pause when stop() is called.
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const cpuSeconds = () => {
    if (cpuAtStart === undefined) return 0;
    const { user, system } = cpuAtStop ?? process.cpuUsage(cpuAtStart);
    return Math.round((user + system) / 1e3) / 1e3;
  };

  const stats = (): ProducerStats => {
    const end = stoppedAt ?? now();
    const elapsedS = startedAt === undefined ? 0 : Math.max(0, (end - startedAt) / 1000);
    return {
      state,
      topic,
      seed: config.seed,
      targetRate: config.rate,
      ...(startedAt === undefined ? {} : { startedAt: new Date(startedAt).toISOString() }),
      elapsedS: Math.round(elapsedS * 1000) / 1000,
      generated,
      sent,
      failed,
      inFlight: inFlightRecords,
      bytes,
      ratePerS: elapsedS > 0 ? Math.round((sent / elapsedS) * 10) / 10 : 0,
      cpuS: cpuSeconds(),
      faults: { ...faults },
      errors,
      ...(lastError === undefined ? {} : { lastError }),
    };
  };

  const producer = kafka.producer({ compression: config.compression, acks: config.acks });

  const send = (messages: KafkaMessage[], batchFaults: FaultKind[], batchBytes: number) => {
    const count = messages.length;
    inFlightRecords += count;
    const sending = producer.send(topic, messages).then(
      () => {
        sent += count;
        bytes += batchBytes;
        for (const kind of batchFaults) faults[kind]++;
      },
      (error: unknown) => {
        failed += count;
        errors++;
        lastError = error instanceof Error ? error.message : String(error);
        logger.error('send failed', { error, records: count });
        // Give the broker a moment before the next batch rather than failing in a tight loop.
        retryAt = now() + RETRY_PAUSE_MS;
      },
    );
    const tracked = sending.finally(() => {
      inFlightRecords -= count;
      inFlight.delete(tracked);
    });
    inFlight.add(tracked);
    return sending;
  };

  const run = async () => {
    const started = now();
    const generator = createEventGenerator(generatorOptionsOf(config, started));
    const limitMs = config.durationS > 0 ? config.durationS * 1000 : Number.POSITIVE_INFINITY;
    const limitEvents = config.maxEvents > 0 ? config.maxEvents : Number.POSITIVE_INFINITY;
    const rate = config.rate;
    // The rate's schedule: `scheduled` events were due between `epoch` and now.
    let epoch = started;
    let scheduled = 0;
    let lastSendAt = started;
    let lastStamp = started;

    while (state === 'running') {
      const t = now();
      if (t - started >= limitMs || generated >= limitEvents) break;
      if (inFlight.size >= config.maxInFlight) {
        await Promise.race(inFlight);
        continue;
      }
      if (t < retryAt) {
        await pause(retryAt - t);
        continue;
      }
      let count = config.batchSize;
      if (rate !== 'max') {
        let due = Math.floor(((t - epoch) * rate) / 1000) - scheduled;
        if (due > rate * MAX_BACKLOG_S + config.batchSize) {
          // The broker is slower than the rate: forget what could not be sent rather than burst.
          epoch = t - (config.batchSize * 1000) / rate;
          scheduled = 0;
          due = config.batchSize;
        }
        if (due <= 0) {
          const nextDueAt = epoch + ((scheduled + 1) * 1000) / rate;
          await pause(Math.max(1, Math.min(config.lingerMs || 1, nextDueAt - t)));
          continue;
        }
        if (due < config.batchSize && t - lastSendAt < config.lingerMs) {
          await pause(config.lingerMs - (t - lastSendAt));
          continue;
        }
        count = Math.min(due, config.batchSize);
        scheduled += count;
      }
      count = Math.min(count, limitEvents - generated);

      // Event times spread evenly over the span since the previous batch (at most a second).
      const from = Math.max(lastStamp, t - 1_000);
      const messages: KafkaMessage[] = [];
      const batchFaults: FaultKind[] = [];
      let batchBytes = 0;
      for (let i = 1; i <= count; i++) {
        const record = generator.next(Math.floor(from + ((t - from) * i) / count))!;
        messages.push({ key: record.key, value: record.value, timestamp: t });
        if (record.fault !== undefined) batchFaults.push(record.fault);
        batchBytes += Buffer.byteLength(record.value);
      }
      lastStamp = t;
      lastSendAt = t;
      generated += count;
      void send(messages, batchFaults, batchBytes);
      if (rate === 'max' && inFlight.size < config.maxInFlight) {
        // Let acknowledgements and signals in between batches.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  };

  let statsTimer: NodeJS.Timeout | undefined;
  let lastReport = { at: 0, sent: 0 };

  const finish = async () => {
    if (statsTimer !== undefined) clearInterval(statsTimer);
    state = 'stopping';
    wake?.();
    await Promise.allSettled([...inFlight]);
    try {
      await producer.disconnect();
    } catch (error) {
      // Every failure was already counted by its send; disconnect reports the first again.
      logger.debug('producer disconnect reported an earlier failure', { error });
    }
    stoppedAt = now();
    if (cpuAtStart !== undefined) cpuAtStop = process.cpuUsage(cpuAtStart);
    state = 'stopped';
    const final = stats();
    logger.info('producer stopped', { ...final });
    resolveDone(final);
    return final;
  };

  let stopping: Promise<ProducerStats> | undefined;
  let running: Promise<void> | undefined;

  return {
    async start() {
      if (state !== 'idle') throw new Error(`the producer cannot start from state ${state}`);
      state = 'starting';
      try {
        const { created, partitions } = await kafka.admin.ensureTopic(topic, kafka.config.partitions);
        logger.info(created ? 'topic created' : 'topic ready', { topic, partitions });
      } catch (error) {
        state = 'failed';
        lastError = error instanceof Error ? error.message : String(error);
        stoppedAt = now();
        resolveDone(stats());
        throw error;
      }
      if (state !== 'starting') return; // stopped while the topic was being made ready
      state = 'running';
      startedAt = now();
      cpuAtStart = process.cpuUsage();
      lastReport = { at: startedAt, sent: 0 };
      logger.info('producer started', {
        topic,
        seed: config.seed,
        rate: config.rate,
        batchSize: config.batchSize,
        maxInFlight: config.maxInFlight,
        compression: config.compression,
        faults: config.faults,
      });
      if (config.statsIntervalS > 0) {
        statsTimer = setInterval(() => {
          const current = stats();
          const at = now();
          const recent = ((current.sent - lastReport.sent) * 1000) / Math.max(1, at - lastReport.at);
          lastReport = { at, sent: current.sent };
          logger.info('producer stats', { ...current, recentRatePerS: Math.round(recent * 10) / 10 });
        }, config.statsIntervalS * 1000);
        statsTimer.unref();
      }
      running = run().then(
        () => {
          if (stopping === undefined) stopping = finish();
        },
        (error: unknown) => {
          // A bug, not a broker failure (those are counted by send): stop cleanly all the same.
          errors++;
          lastError = error instanceof Error ? error.message : String(error);
          logger.error('producer loop failed', { error });
          if (stopping === undefined) stopping = finish();
        },
      );
    },

    stop() {
      if (stopping !== undefined) return stopping;
      if (state === 'idle' || state === 'failed') {
        if (state === 'idle') state = 'stopped';
        stoppedAt = now();
        const final = stats();
        resolveDone(final);
        stopping = Promise.resolve(final);
        return stopping;
      }
      if (state === 'starting') {
        // start() sees the new state after ensureTopic and does not begin.
        stopping = finish();
        return stopping;
      }
      state = 'stopping';
      wake?.();
      stopping = (running ?? Promise.resolve()).then(() => finish());
      return stopping;
    },

    stats,
    done,
  };
}
