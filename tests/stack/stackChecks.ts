// Exactness of the tables a stack run wrote over Kafka: Bronze holds every record of the topic
// exactly once (each partition's offsets low..high-1), Silver and Quarantine are what Bronze's
// records make (valid events once, every rejected record and duplicate quarantined), Gold equals
// the KPIs recomputed from Silver, and every Silver event is one the seeded producer generates.
import {
  createEventGenerator,
  type GeneratedRecord,
  type KafkaClient,
  Lakehouse,
} from '@rt-lakehouse/kernel-helpers';
import { TABLES } from '@rt-lakehouse/pipelines';
import {
  generatorOptionsOf,
  producerConfigFromEnv,
} from '../../services/src/producer/producerConfigFromEnv.js';
import { expectedOutcome, goldMismatches, query, scan } from '../support/medallionChecks.js';

export interface ExactnessReport {
  topicRecords: number;
  bronzeRows: number;
  /** Per partition: [rows, distinct offsets, min offset, max offset, low, high]. */
  partitions: Record<number, number[]>;
  silverRows: number;
  expectedSilver: number;
  silverMatchesBronze: boolean;
  quarantineRows: number;
  expectedQuarantine: number;
  goldMismatches: number;
  /** Silver events the seeded producer never generated (must be 0). */
  unknownEvents: number;
}

/** Reads the tables of `dir` (the stack stopped) and the topic's offsets; compares. */
export async function exactness(
  dir: string,
  kafka: KafkaClient,
  topic: string,
  producerEnv: Record<string, string>,
): Promise<ExactnessReport> {
  const lakehouse = await Lakehouse.open({ dir });
  try {
    const offsets = await kafka.admin.fetchTopicOffsets(topic);
    const bronze = await scan(await lakehouse.table(TABLES.bronze));
    const perPartition = await query(
      lakehouse,
      `SELECT kafka_partition AS p, count(*) AS n, count(DISTINCT kafka_offset) AS d, min(kafka_offset) AS lo, max(kafka_offset) AS hi
       FROM (${bronze}) WHERE topic = '${topic}' GROUP BY ALL ORDER BY p`,
    );
    const partitions: Record<number, number[]> = {};
    for (const o of offsets) {
      const row = perPartition.find((r) => r['p'] === o.partition);
      partitions[o.partition] = [
        Number(row?.['n'] ?? 0),
        Number(row?.['d'] ?? 0),
        Number(row?.['lo'] ?? -1),
        Number(row?.['hi'] ?? -1),
        Number(o.low),
        Number(o.high),
      ];
    }
    const values = await query(
      lakehouse,
      `SELECT value FROM (${bronze}) WHERE topic = '${topic}' ORDER BY kafka_partition, kafka_offset`,
    );
    const records = values.map((r) => ({ value: r['value'] as string }) as GeneratedRecord);
    const { validIds, rejected, duplicates } = expectedOutcome(records);
    const silverIds = (
      await query(lakehouse, `SELECT event_id FROM (${await scan(await lakehouse.table(TABLES.silver))})`)
    ).map((r) => r['event_id'] as string);
    const silverSet = new Set(silverIds);
    const quarantine = await query(
      lakehouse,
      `SELECT count(*) AS n FROM (${await scan(await lakehouse.table(TABLES.quarantine))})`,
    );
    // What the seeded producer generates: the same seed gives the same events, in order.
    const config = producerConfigFromEnv(producerEnv);
    const generator = createEventGenerator(generatorOptionsOf(config, Date.now()));
    const generated = new Set<string>();
    for (let i = 0; i < config.maxEvents; i++) {
      const record = generator.next(Date.now())!;
      try {
        const id = (JSON.parse(record.value) as { event_id?: unknown }).event_id;
        if (typeof id === 'string') generated.add(id);
      } catch {}
    }
    return {
      topicRecords: offsets.reduce((n, o) => n + Number(o.high - o.low), 0),
      bronzeRows: records.length,
      partitions,
      silverRows: silverIds.length,
      expectedSilver: validIds.size,
      silverMatchesBronze:
        silverIds.length === validIds.size && [...validIds].every((id) => silverSet.has(id)),
      quarantineRows: Number(quarantine[0]!['n']),
      expectedQuarantine: rejected + duplicates,
      goldMismatches: (await goldMismatches(lakehouse)).length,
      unknownEvents: silverIds.filter((id) => !generated.has(id)).length,
    };
  } finally {
    lakehouse.close();
  }
}

/** Every partition fully and exactly in Bronze: rows = distinct offsets = high - low, from low to high - 1. */
export function partitionsExact(report: ExactnessReport): boolean {
  return Object.values(report.partitions).every(
    ([n, d, lo, hi, low, high]) =>
      n === d && n === high! - low! && (n === 0 || (lo === low && hi === high! - 1)),
  );
}

/** Silver has read Bronze's latest version and Gold Silver's (their txn watermarks); Bronze's row count. */
export async function caughtUp(dir: string): Promise<{ done: boolean; bronzeRows: number }> {
  const lakehouse = await Lakehouse.open({ dir });
  try {
    const bronze = await (await lakehouse.table(TABLES.bronze)).latest();
    const silver = await (await lakehouse.table(TABLES.silver)).latest();
    const gold = await (await lakehouse.table(TABLES.gold)).latest();
    return {
      done:
        silver.txn(`silver:${TABLES.bronze}`)?.version === bronze.version &&
        gold.txn(`gold:${TABLES.silver}`)?.version === silver.version,
      bronzeRows: bronze.numRecords() ?? -1,
    };
  } finally {
    lakehouse.close();
  }
}
