// The embedded NL → SQL planner: pure functions over the schema and the glossary.
export { autoGrain } from './buildPlan.js';
export { explainPlan, timeRangeWords } from './explainPlan.js';
export { measureAlias, measureFormat, measureLabel } from './measureInfo.js';
export { METRICS, type MetricDef, type ValueFormat } from './metrics.js';
export type * from './Plan.js';
export type { PlannedTurn, PlannerContext, PlanResult, TableSchema } from './PlannerContext.js';
export { planQuestion } from './planQuestion.js';
export { renderSql, timeRangeSql } from './renderSql.js';
