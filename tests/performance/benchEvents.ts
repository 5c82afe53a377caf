// Speed of the events module on one core: Silver's parseRawEvent (the fast path, and zod alone
// for comparison), the wire serialisation and the generator. Events come from the generator
// itself (about 460 bytes of JSON each), as strings (what Silver reads from Bronze) and as
// Buffers (what a Kafka consumer gets).
//
//   npm run bench:events
//
// Environment: BENCH_EVENTS (records per pass, 200000), BENCH_EVENTS_PASSES (7).
// Figures are records per second of wall time and per CPU second of this process (the second
// counts garbage-collector threads too; it is the fairer one on a busy machine): the median
// pass, and the best pass per CPU second.

import {
  createEventGenerator,
  ecommerceEventSchema,
  eventToJson,
  parseRawEvent,
} from '@rt-lakehouse/kernel-helpers/events';

const count = Number(process.env['BENCH_EVENTS'] ?? 200_000);
const passes = Number(process.env['BENCH_EVENTS_PASSES'] ?? 7);

interface Figure {
  name: string;
  /** Median over the passes, per second of wall time. */
  perSecond: number;
  /** Median over the passes, per CPU second. */
  perCpuSecond: number;
  /** The best pass, per CPU second: on a busy machine, the nearest to what an idle core does. */
  bestPerCpuSecond: number;
}

function measure(name: string, n: number, run: () => void): Figure {
  run(); // warm-up: let the JIT settle before timing
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let pass = 0; pass < passes; pass++) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    run();
    const seconds = (performance.now() - started) / 1000;
    const { user, system } = process.cpuUsage(cpuBefore);
    walls.push(n / seconds);
    cpus.push(n / ((user + system) / 1e6));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return {
    name,
    perSecond: Math.round(median(walls)),
    perCpuSecond: Math.round(median(cpus)),
    bestPerCpuSecond: Math.round(Math.max(...cpus)),
  };
}

const start = Date.now() - 24 * 60 * 60 * 1000;
const faults = {
  malformedJson: 0.01,
  missingField: 0.01,
  wrongType: 0.01,
  unknownEventType: 0.01,
  duplicate: 0.01,
  late: 0.01,
};
let sink = 0;

// Each measure builds what it needs and lets it go afterwards: a heap that holds other
// measures' corpora (a few hundred MB of strings, Buffers and events) makes every allocating
// loop pay for the garbage collector walking them, which is not what is being measured.
const figures: Figure[] = [];
figures.push(
  measure('createEventGenerator().next()', count, () => {
    const generator = createEventGenerator({ seed: 3, start, eventsPerSecond: 50 });
    for (let i = 0; i < count; i++) sink += generator.next()!.value.length;
  }),
);

const strings = createEventGenerator({ seed: 1, start, eventsPerSecond: 50 })
  .take(count)
  .map((record) => record.value);
const bytes = strings.reduce((sum, value) => sum + Buffer.byteLength(value), 0) / count;
figures.push(
  measure('parseRawEvent (string)', count, () => {
    for (const value of strings) if (parseRawEvent(value).success) sink++;
  }),
  measure('JSON.parse only (floor)', count, () => {
    for (const value of strings) if (JSON.parse(value) !== null) sink++;
  }),
  measure('JSON.parse + zod safeParse', count, () => {
    for (const value of strings) if (ecommerceEventSchema.safeParse(JSON.parse(value)).success) sink++;
  }),
);
{
  const buffers = strings.map((value) => Buffer.from(value));
  figures.push(
    measure('parseRawEvent (Buffer)', count, () => {
      for (const value of buffers) if (parseRawEvent(value).success) sink++;
    }),
  );
}
{
  const faulty = createEventGenerator({ seed: 2, start, eventsPerSecond: 50, faults })
    .take(count)
    .map((record) => record.value);
  figures.push(
    measure('parseRawEvent (6% bad data)', count, () => {
      for (const value of faulty) if (parseRawEvent(value).success) sink++;
    }),
  );
}
{
  const events = strings.map((value) => {
    const parsed = parseRawEvent(value);
    if (!parsed.success) throw new Error(`generated record rejected: ${parsed.reason}`);
    return parsed.event;
  });
  figures.push(
    measure('eventToJson', count, () => {
      for (const event of events) sink += eventToJson(event).length;
    }),
  );
}

console.log(
  `events module, ${count.toLocaleString('en')} records of ${Math.round(bytes)} bytes, median of ${passes}`,
);
console.log('');
console.log('| operation | records/s | records per CPU second | best pass, per CPU second |');
console.log('| --- | ---: | ---: | ---: |');
const format = (n: number) => n.toLocaleString('en');
for (const f of figures) {
  console.log(
    `| ${f.name} | ${format(f.perSecond)} | ${format(f.perCpuSecond)} | ${format(f.bestPerCpuSecond)} |`,
  );
}
console.log('');
console.log(JSON.stringify({ bench: 'events', count, bytes: Math.round(bytes), figures, sink: sink > 0 }));
