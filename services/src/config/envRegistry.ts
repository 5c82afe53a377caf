// The configuration registry: every environment variable a part of RT-Lakehouse reads, with its
// description, default and readers, gathered from the zod schemas the services parse their
// settings with (producer, pipelines, assistant API, alerts, scheduler) and, for readers that
// keep their schema private (Kafka client, AI assistant, notebook session, the JupyterLab
// server extension, the local Kafka script), from declarations here that the registry's tests
// check against those readers. `npm run config:docs` writes .env.example, docs/configuration.md
// and README's table from it; compose.yml is checked against it.
import { KafkaConfig } from '@rt-lakehouse/kernel-helpers';
import type { z } from 'zod';
import { alertServiceEnvSchema } from '../assistant/alertServiceConfig.js';
import { assistantServiceEnvSchema } from '../assistant/assistantServiceConfig.js';
import { pipelineServiceEnvSchema } from '../pipelines/pipelineServiceConfig.js';
import { producerEnvSchema } from '../producer/producerConfigFromEnv.js';
import { producerServerEnvSchema } from '../producer/producerMetrics.js';
import { schedulerServiceEnvSchema } from '../scheduler/schedulerServiceConfig.js';
import { stackEnvSchema } from '../stack/stackConfig.js';

/** The processes that read configuration (compose.yml's services use the same names). */
export const COMPONENTS = [
  'producer',
  'pipelines',
  'assistant',
  'scheduler',
  'jupyter',
  'cli',
  'kafka-local',
] as const;
export type Component = (typeof COMPONENTS)[number];

/** One environment variable. */
export interface EnvVariable {
  name: string;
  description: string;
  /** The default as text (lists comma-separated); undefined: unset unless given. */
  default: string | undefined;
  /** Who reads it. */
  readers: Component[];
  /** The section it is documented in (where it was first declared). */
  group: string;
  /** A credential: never given a value in examples. */
  secret: boolean;
  /** Set by this part for the processes it starts, never by hand (compose.yml leaves it out). */
  setBy: Component | undefined;
}

/** A variable declared by hand (its reader keeps its schema private). */
interface Declared {
  name: string;
  description: string;
  default?: string | number | undefined;
  secret?: boolean;
  setBy?: Component;
}

interface Source {
  group: string;
  readers: Component[];
  variables: Declared[];
}

const SECRETS = new Set(['API_TOKEN', 'OPENAI_API_KEY', 'QDRANT_API_KEY', 'RTL_API_TOKEN', 'JUPYTER_TOKEN']);

/** The default of a zod field as text, unwrapping pipes (a default before a transform). */
function defaultOf(field: z.ZodType): string | undefined {
  const def = (field as unknown as { def: { type: string; defaultValue?: unknown; in?: z.ZodType } }).def;
  if (def.type === 'default') {
    const value = def.defaultValue;
    return Array.isArray(value) ? value.join(',') : String(value);
  }
  if (def.type === 'pipe' && def.in) return defaultOf(def.in);
  return undefined;
}

/** The variables of a service's zod environment schema. */
function fromSchema(schema: z.ZodObject, only?: readonly string[]): Declared[] {
  return Object.entries(schema.shape)
    .filter(([name]) => !only || only.includes(name))
    .map(([name, field]) => {
      const description = (field as z.ZodType).description;
      if (!description) throw new Error(`envRegistry: ${name} has no .describe() in its schema`);
      return { name, description, default: defaultOf(field as z.ZodType) };
    });
}

const kafkaDefaults = KafkaConfig.parse({ brokers: ['127.0.0.1:9092'] });

/** The Kafka client's variables (kernel-helpers kafkaConfigFromEnv). */
export const kafkaVariables: Declared[] = [
  {
    name: 'KAFKA_BROKERS',
    description: 'Kafka bootstrap servers, comma-separated host:port',
    default: '127.0.0.1:9092',
  },
  { name: 'KAFKA_CLIENT_ID', description: 'Kafka client id', default: kafkaDefaults.clientId },
  { name: 'KAFKA_TOPIC', description: 'The events topic', default: kafkaDefaults.topic },
  {
    name: 'KAFKA_PARTITIONS',
    description: 'Partitions of the events topic when this project creates it',
    default: kafkaDefaults.partitions,
  },
  {
    name: 'KAFKA_CONNECTION_TIMEOUT_MS',
    description: 'Time limit of a broker connection',
    default: kafkaDefaults.connectionTimeoutMs,
  },
  {
    name: 'KAFKA_REQUEST_TIMEOUT_MS',
    description: 'Time limit of a Kafka request',
    default: kafkaDefaults.requestTimeoutMs,
  },
  { name: 'KAFKA_RETRIES', description: 'Retries of a failed Kafka request', default: kafkaDefaults.retries },
  {
    name: 'KAFKA_LOG_LEVEL',
    description: 'Most verbose Kafka client log level passed on (error, warn, info, debug)',
    default: kafkaDefaults.logLevel,
  },
];

/** The AI assistant's variables (kernel-helpers assistantConfigFromEnv, see docs/assistant.md). */
export const assistantCoreVariables: Declared[] = [
  {
    name: 'ASSISTANT_KNOWLEDGE_PATH',
    description:
      'DuckDB file of the knowledge vectors (`:memory:` keeps nothing; default <LAKEHOUSE_DIR>/assistant/knowledge.duckdb)',
  },
  {
    name: 'ASSISTANT_EXAMPLES_FILE',
    description: "The user's question → SQL examples (default <LAKEHOUSE_DIR>/assistant/examples.json)",
  },
  {
    name: 'OPENAI_API_KEY',
    description: 'Turns the LLM path on (OpenAI or any compatible endpoint)',
    secret: true,
  },
  {
    name: 'OPENAI_BASE_URL',
    description: 'OpenAI-compatible endpoint (OpenRouter, Ollama, vLLM ...); turns the LLM path on',
  },
  { name: 'MODEL_NAME', description: 'Chat model of the LLM path', default: 'gpt-4o-mini' },
  { name: 'LLM_TIMEOUT_MS', description: 'Time limit of one LLM request', default: 30_000 },
  { name: 'LLM_MAX_RETRIES', description: 'Retries on 429, 5xx, time-outs and network errors', default: 2 },
  { name: 'LLM_RETRY_BASE_MS', description: 'First backoff pause, doubled per retry', default: 500 },
  { name: 'LLM_MAX_REPAIRS', description: 'Repair rounds after invalid SQL', default: 2 },
  {
    name: 'LLM_BREAKER_FAILURES',
    description: 'Consecutive failures that open the circuit breaker',
    default: 5,
  },
  { name: 'LLM_BREAKER_COOLDOWN_MS', description: 'How long the breaker stays open', default: 30_000 },
  {
    name: 'LLM_DEADLINE_MS',
    description: 'Time budget of the whole LLM path of one question',
    default: 60_000,
  },
  { name: 'LLM_TEMPERATURE', description: 'Sampling temperature', default: 0 },
  { name: 'OPENAI_EMBEDDING_MODEL', description: 'OpenAI embeddings instead of the local embedder' },
  { name: 'OPENAI_EMBEDDING_BASE_URL', description: 'Endpoint of the embeddings (default OPENAI_BASE_URL)' },
  { name: 'OPENAI_EMBEDDING_DIMENSIONS', description: 'Ask the embedding model for vectors this long' },
  { name: 'ASSISTANT_EMBEDDING_DIMENSION', description: "The local embedder's vector length", default: 512 },
  { name: 'QDRANT_URL', description: 'Keep the vectors in Qdrant instead of DuckDB' },
  { name: 'QDRANT_API_KEY', description: 'API key of Qdrant', secret: true },
  {
    name: 'QDRANT_COLLECTION',
    description: 'Qdrant collection of the knowledge base',
    default: 'sql_knowledge',
  },
  { name: 'ASSISTANT_MAX_ROWS', description: 'Rows an answer carries at most', default: 1_000 },
  { name: 'ASSISTANT_TIMEOUT_MS', description: "Time limit of an answer's query", default: 30_000 },
  {
    name: 'ASSISTANT_COUNT_TOTAL_MAX_ROWS',
    description: 'Count all rows of a truncated result when its tables hold at most this many',
    default: 5_000_000,
  },
  { name: 'ASSISTANT_EXAMPLES_K', description: 'Examples retrieved per question', default: 5 },
  { name: 'ASSISTANT_TABLES_K', description: 'Table descriptions retrieved per question', default: 6 },
  { name: 'ASSISTANT_GLOSSARY_K', description: 'Glossary entries retrieved per question', default: 8 },
  {
    name: 'ASSISTANT_VERIFIED_MATCH_SIMILARITY',
    description: 'Least similarity for an answer with the same SQL to rest on a verified example',
    default: 0.5,
  },
  {
    name: 'ASSISTANT_VERIFIED_REUSE_SIMILARITY',
    description: "Least similarity for answering with a verified example's SQL as it is",
    default: 0.95,
  },
  { name: 'ASSISTANT_MAX_CONVERSATIONS', description: 'Conversations kept in memory', default: 500 },
  { name: 'ASSISTANT_MAX_TURNS', description: 'Turns kept per conversation', default: 50 },
];

/** The notebook session's variables (kernel-helpers notebookConfigFromEnv; also the kernels the scheduler runs). */
export const notebookVariables: Declared[] = [
  {
    name: 'PIPELINES_URL',
    description: "The pipeline runner's status server",
    default: 'http://127.0.0.1:8010',
  },
  { name: 'SCHEDULER_URL', description: 'The scheduler service', default: 'http://127.0.0.1:8020' },
  {
    name: 'ASSISTANT_URL',
    description:
      "The assistant service the notebook's `ask` goes through (the AI SQL cell's answers, LLM path included; the embedded planner when it is not reachable). Unset: the embedded planner; `lakehouse up` sets it",
  },
  { name: 'NOTEBOOK_MAX_ROWS', description: 'Rows a notebook query returns at most', default: 10_000 },
  { name: 'API_TOKEN', description: 'Bearer token the notebook helpers send to the services when set' },
  {
    name: 'RTLAKEHOUSE_TABLE_READS_FILE',
    setBy: 'scheduler',
    description:
      'Set by the scheduler for the kernels of its runs: the file the notebook helpers append each table version they read to (JSON lines; unset: not recorded)',
  },
];

/** The JupyterLab server extension's variables (extension/rt_lakehouse_extension/handlers.py). */
export const extensionVariables: Declared[] = [
  {
    name: 'RTL_ASSISTANT_URL',
    description: "The assistant API the extension's proxy (<base>/rtlakehouse/) forwards to",
    default: 'http://127.0.0.1:8000',
  },
  {
    name: 'RTL_SCHEDULER_URL',
    description:
      "The scheduler API the extension's proxy (<base>/rtlakehouse/scheduler/) forwards to (else SCHEDULER_URL)",
    default: 'http://127.0.0.1:8020',
  },
  {
    name: 'RTL_API_TOKEN',
    description: 'Bearer token the proxy adds (else API_TOKEN); never sent to the browser',
    secret: true,
  },
];

/** Read by the containers of compose.yml only. */
export const composeVariables: Declared[] = [
  {
    name: 'JUPYTER_TOKEN',
    description: 'Token JupyterLab asks for (unset: JupyterLab makes a random one and logs it)',
    secret: true,
  },
];

/** scripts/kafka-local.sh (the development broker). */
export const kafkaLocalVariables: Declared[] = [
  { name: 'KAFKA_PORT', description: 'Port of the local broker', default: 9092 },
  { name: 'KAFKA_CONTROLLER_PORT', description: 'Port of the local KRaft controller', default: 9093 },
  { name: 'KAFKA_DATA_DIR', description: 'Log folder of the local broker', default: './data/kafka' },
];

const common: Declared[] = [
  {
    name: 'LAKEHOUSE_DIR',
    description: 'Folder of the lakehouse; Delta tables live in <dir>/delta/<name>',
    default: './data',
  },
  {
    name: 'LOG_LEVEL',
    description: 'Least severe JSON log level written (debug, info, warn, error)',
    default: 'info',
  },
];

const services: Component[] = ['producer', 'pipelines', 'assistant', 'scheduler', 'cli'];

/** Where the variables come from, in documentation order. */
const SOURCES: Source[] = [
  {
    group: 'Common',
    readers: ['pipelines', 'assistant', 'scheduler', 'jupyter', 'cli'],
    variables: common.slice(0, 1),
  },
  { group: 'Common', readers: services, variables: common.slice(1) },
  {
    group: 'Kafka',
    readers: ['producer', 'pipelines', 'jupyter', 'scheduler', 'cli'],
    variables: kafkaVariables,
  },
  { group: 'Producer', readers: ['producer'], variables: fromSchema(producerEnvSchema) },
  { group: 'Producer', readers: ['producer'], variables: fromSchema(producerServerEnvSchema) },
  {
    group: 'Pipeline runner',
    readers: ['pipelines', 'cli'],
    variables: fromSchema(pipelineServiceEnvSchema),
  },
  { group: 'Assistant API', readers: ['assistant', 'cli'], variables: fromSchema(assistantServiceEnvSchema) },
  { group: 'AI assistant', readers: ['assistant', 'cli'], variables: assistantCoreVariables },
  { group: 'Alerts', readers: ['assistant'], variables: fromSchema(alertServiceEnvSchema) },
  { group: 'Scheduler', readers: ['scheduler'], variables: fromSchema(schedulerServiceEnvSchema) },
  { group: 'Notebooks', readers: ['jupyter', 'scheduler'], variables: notebookVariables },
  { group: 'JupyterLab extension', readers: ['jupyter'], variables: extensionVariables },
  { group: 'JupyterLab extension', readers: ['jupyter'], variables: composeVariables },
  { group: 'lakehouse up (local stack)', readers: ['cli'], variables: fromSchema(stackEnvSchema) },
  { group: 'Local Kafka (development)', readers: ['kafka-local'], variables: kafkaLocalVariables },
];

function collect(sources: Source[]): EnvVariable[] {
  const byName = new Map<string, EnvVariable>();
  for (const source of sources) {
    for (const v of source.variables) {
      const known = byName.get(v.name);
      if (known) {
        for (const reader of source.readers) if (!known.readers.includes(reader)) known.readers.push(reader);
        continue;
      }
      byName.set(v.name, {
        name: v.name,
        description: v.description,
        default: v.default === undefined ? undefined : String(v.default),
        readers: [...source.readers],
        group: source.group,
        secret: v.secret ?? SECRETS.has(v.name),
        setBy: v.setBy,
      });
    }
  }
  for (const v of byName.values()) v.readers.sort((a, b) => COMPONENTS.indexOf(a) - COMPONENTS.indexOf(b));
  return [...byName.values()];
}

/** Every variable, grouped in documentation order. */
export const envRegistry: readonly EnvVariable[] = collect(SOURCES);

/** The variable called `name`, if any part reads it. */
export function envVariable(name: string): EnvVariable | undefined {
  return envRegistry.find((v) => v.name === name);
}

/** The variables `component` reads. */
export function variablesOf(component: Component): EnvVariable[] {
  return envRegistry.filter((v) => v.readers.includes(component));
}
