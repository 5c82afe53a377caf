// The assistant API's shapes as the browser sees them (the service's zod schemas in
// services/src/assistant/schemas.ts are the source of truth; this mirrors what the UI reads).

/** A cell of a result row, as JSON. */
export type JsonCell = string | number | boolean | null | JsonCell[] | { [key: string]: JsonCell };

/** Which path produced the SQL. */
export type AnswerPath = 'planner' | 'llm';

/** A finished answer to one question (one turn of a conversation). */
export interface Answer {
  conversationId: string;
  turnId: string;
  question: string;
  sql: string;
  columns: { name: string; type: string }[];
  rows: Record<string, JsonCell>[];
  rowCount: number;
  totalRows: number | null;
  truncated: boolean;
  /** A Vega-Lite v5 spec, or null when a table is the best view. */
  chart: Record<string, unknown> | null;
  explanation: string;
  path: AnswerPath;
  verifiedExample: { id: string; question: string } | null;
  tableVersions: Record<string, number>;
  timings: { retrieveMs: number; generateMs: number; executeMs: number; totalMs: number };
  attempts?: { sql: string; error?: string }[];
  fallbackReason?: string;
}

/** The body of every error response. */
export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    requestId?: string;
    issues?: { path: string; code: string; message: string }[];
    suggestions?: string[];
    sql?: string;
  };
}

/** Read tables as of an instant (ISO 8601) or at Delta versions by table name. */
export type AsOf = string | Record<string, number>;

export interface QueryRequest {
  question: string;
  conversationId?: string;
  maxRows?: number;
  asOf?: AsOf;
}

export interface SqlRequest {
  sql: string;
  conversationId?: string;
  question?: string;
  maxRows?: number;
  /** Read the tables as of this (the cell's "Data as of"). */
  asOf?: AsOf;
}

export interface VerifiedExample {
  id: string;
  question: string;
  sql: string;
  source: 'seed' | 'user' | 'feedback';
  createdAt: string;
}

export interface TableInfo {
  name: string;
  version: number;
  columns: { name: string; type: string; nullable: boolean }[];
  partitionColumns: string[];
  numFiles: number;
  rowCount: number | null;
  sizeBytes: number;
  error?: string;
}

export interface HistoryEntry {
  version: number;
  timestamp: string;
  operation: string | null;
  operationParameters: Record<string, unknown> | null;
  operationMetrics: Record<string, unknown> | null;
  readVersion: number | null;
  isBlindAppend: boolean | null;
  engineInfo: string | null;
}

/** One 1-minute window of gold_kpis. */
export interface KpiWindow {
  window_start: string;
  window_end: string;
  total_events: number;
  page_views: number;
  cart_adds: number;
  orders: number;
  gmv: number;
  active_users: number;
  view_users: number;
  cart_users: number;
  purchase_users: number;
  conversion_rate: number | null;
  avg_order_value: number | null;
}

/** A KPI snapshot (GET /api/kpis and each `kpis` event of the stream). */
export interface Kpis {
  table: 'gold_kpis';
  version: number | null;
  generatedAt: string;
  latest: KpiWindow | null;
  totals: {
    minutes: number;
    from: string;
    to: string;
    windows: number;
    total_events: number;
    page_views: number;
    cart_adds: number;
    orders: number;
    gmv: number;
    avg_order_value: number | null;
    peak_active_users: number | null;
  };
  series?: KpiWindow[];
}

/** The pipeline runner's status, as the assistant relays it. */
export interface PipelinesStatus {
  pipelines: Record<string, unknown>[];
  [key: string]: unknown;
}

export interface HealthCheck {
  status: 'ok' | 'down' | 'unreachable';
  [key: string]: unknown;
}

export interface Health {
  status: 'ok' | 'degraded' | 'down';
  service: 'assistant';
  uptimeSeconds: number;
  checks: { lakehouse: HealthCheck; engine: HealthCheck; pipelines: HealthCheck };
}

/** An alert of GET /api/alerts. */
export interface Alert {
  id: string;
  severity: 'warning' | 'critical';
  state: 'firing' | 'resolved';
  message: string;
  value: number | null;
  threshold: number;
  since: string;
  resolvedAt?: string;
  source: string;
}

/** GET /api/alerts: firing and recently resolved alerts of the assistant's monitor. */
export interface Alerts {
  enabled: boolean;
  evaluatedAt: string | null;
  active: Alert[];
  recent: Alert[];
  [key: string]: unknown;
}

/** A scheduled notebook, as a scheduler API lists it. */
export interface Schedule {
  id: string;
  name?: string;
  notebook?: string;
  cron?: string;
  intervalSeconds?: number;
  enabled?: boolean;
  lastRun?: { status: string; startedAt?: string; finishedAt?: string } | null;
  /** The run in progress, if any. */
  activeRun?: unknown;
  nextRunAt?: string | null;
  [key: string]: unknown;
}
