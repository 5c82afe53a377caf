// The API's request and response shapes as zod schemas: requests are validated with them, and
// the OpenAPI document is generated from them (response schemas carry an `id` and become
// named components).
import { z } from 'zod';

/** Most rows a request may ask for. */
export const MAX_ROWS_LIMIT = 10_000;
/** Longest time limit a request may ask for (ms). */
export const MAX_TIMEOUT_MS = 300_000;

export const TableName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a table name: letters, digits and underscores')
  .max(128);

/** A lone UTF-16 surrogate: text that is not valid Unicode (JSON stores downstream refuse it). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** A string of well-formed Unicode: request text is kept (conversations, examples, vectors). */
const text = () => z.string().refine((v) => !LONE_SURROGATE.test(v), 'must be well-formed Unicode text');

const ConversationId = text().min(1).max(200).describe('Continue this conversation');
const MaxRows = z.int().min(1).max(MAX_ROWS_LIMIT).describe('Row cap of the answer');
const TimeoutMs = z.int().min(1).max(MAX_TIMEOUT_MS).describe('Time limit of the query in ms');

// ---------------------------------------------------------------- requests

const AsOf = z
  .union([
    z.iso.datetime({ offset: true }).describe('Read every table as of this instant (time travel)'),
    z.record(TableName, z.int().min(0)).describe('Read these tables at these Delta versions'),
  ])
  .optional();

export const QueryRequest = z.strictObject({
  question: text().trim().min(1).max(2_000).describe('The question in English'),
  conversationId: ConversationId.optional(),
  maxRows: MaxRows.optional(),
  timeoutMs: TimeoutMs.optional(),
  asOf: AsOf,
  path: z.enum(['planner', 'llm']).optional().describe('Force the planner or the LLM path'),
});

export const SqlRequest = z.strictObject({
  sql: text().min(1).max(100_000).describe('One SELECT statement'),
  conversationId: ConversationId.optional(),
  question: text().max(2_000).optional().describe('The question this SQL answers (kept with the turn)'),
  maxRows: MaxRows.optional(),
  timeoutMs: TimeoutMs.optional(),
  asOf: AsOf,
});

export const FeedbackRequest = z.strictObject({
  turnId: text().min(1).max(200).describe('The turn whose answer is correct'),
});

export const ExampleRequest = z.strictObject({
  question: text().trim().min(1).max(2_000),
  sql: text().min(1).max(100_000),
});

export const TableParams = z.strictObject({ name: TableName });
export const ConversationParams = z.strictObject({ id: text().min(1).max(200) });

export const HistoryQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1_000).default(50).describe('Newest commits, at most'),
});

export const KpisQuery = z.strictObject({
  minutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_080)
    .default(60)
    .describe('Totals over the windows that started in the last N minutes'),
  series: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1')
    .describe('Also return every window of that range, oldest first'),
});

// ---------------------------------------------------------------- responses

export const ErrorBody = z
  .object({
    error: z
      .object({
        code: z.string().describe('Stable code, e.g. VALIDATION_FAILED, SQL_NOT_SELECT, UNANSWERABLE'),
        message: z.string(),
        requestId: z.string(),
        issues: z
          .array(z.object({ path: z.string(), code: z.string(), message: z.string() }))
          .optional()
          .describe('Validation errors: one per problem'),
        suggestions: z.array(z.string()).optional().describe('Questions to try instead'),
      })
      .catchall(z.unknown()),
  })
  .meta({ id: 'Error' });

const JsonRow = z.record(z.string(), z.unknown());

export const Answer = z
  .strictObject({
    conversationId: z.string(),
    turnId: z.string(),
    question: z.string(),
    sql: z.string(),
    columns: z.array(z.strictObject({ name: z.string(), type: z.string() })),
    rows: z.array(JsonRow),
    rowCount: z.int(),
    totalRows: z.int().nullable().describe('All rows of the query, when known'),
    truncated: z.boolean(),
    chart: z.record(z.string(), z.unknown()).nullable().describe('A Vega-Lite v5 spec, or null'),
    explanation: z.string(),
    path: z.enum(['planner', 'llm']),
    verifiedExample: z.strictObject({ id: z.string(), question: z.string() }).nullable(),
    tableVersions: z.record(z.string(), z.int()),
    timings: z.strictObject({
      retrieveMs: z.number(),
      generateMs: z.number(),
      executeMs: z.number(),
      totalMs: z.number(),
    }),
    attempts: z.array(z.strictObject({ sql: z.string(), error: z.string().optional() })).optional(),
    fallbackReason: z.string().optional(),
  })
  .meta({ id: 'Answer' });

export const VerifiedExample = z
  .strictObject({
    id: z.string(),
    question: z.string(),
    sql: z.string(),
    source: z.enum(['seed', 'user', 'feedback']),
    createdAt: z.string(),
  })
  .meta({ id: 'VerifiedExample' });

export const ExampleResponse = z.strictObject({ example: VerifiedExample });
export const ExamplesResponse = z.strictObject({ examples: z.array(VerifiedExample) });

export const ConversationResponse = z.strictObject({
  conversationId: z.string(),
  turns: z.array(Answer),
});

export const TableInfo = z
  .strictObject({
    name: z.string(),
    version: z.int(),
    columns: z.array(z.strictObject({ name: z.string(), type: z.string(), nullable: z.boolean() })),
    partitionColumns: z.array(z.string()),
    numFiles: z.int(),
    rowCount: z.int().nullable().describe('From the file statistics; null when a file has none'),
    sizeBytes: z.int(),
    error: z.string().optional().describe('Why the last refresh failed'),
  })
  .meta({ id: 'TableInfo' });

export const TablesResponse = z.strictObject({ tables: z.array(TableInfo) });

export const HistoryEntry = z
  .strictObject({
    version: z.int(),
    timestamp: z.string(),
    operation: z.string().nullable(),
    operationParameters: z.record(z.string(), z.unknown()).nullable(),
    operationMetrics: z.record(z.string(), z.unknown()).nullable(),
    readVersion: z.int().nullable(),
    isBlindAppend: z.boolean().nullable(),
    engineInfo: z.string().nullable(),
  })
  .meta({ id: 'HistoryEntry' });

export const HistoryResponse = z.strictObject({ table: z.string(), history: z.array(HistoryEntry) });

const KpiWindow = z
  .strictObject({
    window_start: z.string(),
    window_end: z.string(),
    total_events: z.number(),
    page_views: z.number(),
    cart_adds: z.number(),
    orders: z.number(),
    gmv: z.number(),
    active_users: z.number(),
    view_users: z.number(),
    cart_users: z.number(),
    purchase_users: z.number(),
    conversion_rate: z.number().nullable(),
    avg_order_value: z.number().nullable(),
  })
  .meta({ id: 'KpiWindow' });

export const KpisResponse = z
  .strictObject({
    table: z.literal('gold_kpis'),
    version: z.int().nullable().describe('Delta version of gold_kpis read; null before the table exists'),
    generatedAt: z.string(),
    latest: KpiWindow.nullable().describe('The newest 1-minute window'),
    totals: z.strictObject({
      minutes: z.int(),
      from: z.string(),
      to: z.string(),
      windows: z.int(),
      total_events: z.number(),
      page_views: z.number(),
      cart_adds: z.number(),
      orders: z.number(),
      gmv: z.number(),
      avg_order_value: z.number().nullable().describe('gmv / orders'),
      peak_active_users: z.number().nullable().describe('Most active users in one window'),
    }),
    series: z.array(KpiWindow).optional(),
  })
  .meta({ id: 'Kpis' });

export const PipelinesResponse = z
  .object({ pipelines: z.array(z.record(z.string(), z.unknown())) })
  .catchall(z.unknown())
  .describe("The pipeline runner's GET /status, as it answered");

const Check = z.object({ status: z.enum(['ok', 'down', 'unreachable']) }).catchall(z.unknown());

export const HealthResponse = z
  .strictObject({
    status: z.enum(['ok', 'degraded', 'down']),
    service: z.literal('assistant'),
    uptimeSeconds: z.number(),
    checks: z.strictObject({
      lakehouse: Check,
      engine: Check,
      pipelines: Check,
      assistant: Check.optional().describe('Embedder, vector store, LLM (and its breaker), knowledge counts'),
    }),
  })
  .meta({ id: 'Health' });
