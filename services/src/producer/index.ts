// The producer service (synthetic events → Kafka); services/src/producer/main.ts runs it.

export {
  createProducerService,
  type ProducerService,
  type ProducerServiceDeps,
} from './createProducerService.js';
export type { ProducerState, ProducerStats } from './ProducerStats.js';
export { type ProducerConfig, producerConfigFromEnv, producerEnvSchema } from './producerConfigFromEnv.js';
