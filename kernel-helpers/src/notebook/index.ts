// Notebook helpers for the tslab kernel: the `lakehouse` session (sql, ask, chart, kpis, table,
// producer, pipelines, schedule), the display bundles they show, and readable errors.

export { aiSqlCellSource, parseAiSqlCellSource } from './aiSqlCellSource.js';
export { type AnswerPayload, answerBundle } from './answerBundle.js';
export { chartBundle } from './chartBundle.js';
export type {
  MedallionFactory,
  NotebookPipelineStatus,
  NotebookPipelines,
} from './createNotebookPipelines.js';
export type { NotebookProducer, ProducerStartOptions, ProducerStatus } from './createNotebookProducer.js';
export {
  type AskCallOptions,
  type AskHelper,
  type AsOf,
  type ChartCallOptions,
  type ChartSource,
  createNotebookSession,
  type KpisCallOptions,
  type NotebookSession,
  type NotebookSessionOptions,
  type SqlCallOptions,
} from './createNotebookSession.js';
export type { NotebookTable, TableAt, TableSchemaView, TableTime } from './createNotebookTable.js';
export { createPlannerAssistant } from './createPlannerAssistant.js';
export type { ScheduleHelper } from './createScheduleClient.js';
export { createServiceAssistant, type ServiceAssistantOptions } from './createServiceAssistant.js';
export type { DisplayOptions, DisplayTarget } from './DisplayTarget.js';
export { describeError, type ErrorContext, type ErrorDescription, hintFor } from './describeError.js';
export {
  defaultDisplayTarget,
  displayBundle,
  textDisplayTarget,
  tslabDisplayTarget,
} from './displayBundle.js';
export { escapeHtml } from './escapeHtml.js';
export { formatValue } from './formatValue.js';
export { KPI_METRICS, type KpiFormat, type KpiMetric, type KpiMetricDef } from './KPI_METRICS.js';
export type { KpiSnapshot, KpiWindow } from './KpiSnapshot.js';
export {
  type KpiThreshold,
  type KpiWidgetConfig,
  kpiThresholdSchema,
  kpiWidgetConfigSchema,
} from './KpiWidgetConfig.js';
export { formatKpi, kpiBundle, kpiLevel } from './kpiBundle.js';
export { kpiSnapshotFromWindows } from './kpiSnapshotFromWindows.js';
export { lakehouse, sql } from './lakehouse.js';
export { MIME_TYPES } from './MIME_TYPES.js';
export type { MimeBundle } from './MimeBundle.js';
export { formatErrorDescription, NotebookError } from './NotebookError.js';
export { type NotebookConfig, notebookConfigFromEnv } from './notebookConfigFromEnv.js';
export { type ScheduleInfo, type ScheduleRequest, scheduleRequestSchema } from './ScheduleRequest.js';
export { type TableBundleOptions, type TableInput, tableBundle } from './tableBundle.js';
export {
  createTableReadLog,
  newestVersions,
  readTableReads,
  type TableRead,
  type TableReadLog,
} from './tableReadLog.js';
