// What a word or phrase of a question means to the planner (the lexicon's values).
import type {
  AggregateFn,
  Dimension,
  Measure,
  MetricId,
  PlanEventType,
  TimeGrain,
  TimeRange,
} from './Plan.js';

export type RankKind = 'top' | 'superlative' | 'quantity' | 'judgement' | 'sort';

export type Sense =
  /** A glossary metric; `entity` is the column it names when used as a dimension ("by user"). */
  | { t: 'metric'; metric: MetricId; entity?: string; eventNoun?: PlanEventType; grain?: TimeGrain }
  /** Several metrics at once ("engagement" = events and users). */
  | { t: 'metrics'; metrics: MetricId[] }
  /** A numeric attribute to aggregate or compare (`price`, `order_value`, ...). */
  | { t: 'attribute'; attribute: string }
  | { t: 'agg'; fn: AggregateFn | 'count' | 'distinct' }
  | { t: 'dim'; dim: Dimension }
  /** A time bucket said as an adjective or with "per" ("hourly", "per day"). */
  | { t: 'grain'; grain: TimeGrain }
  /** A time bucket said as a noun ("which day", "by hour"). */
  | { t: 'grainNoun'; grain: TimeGrain }
  /** Values of a column ("Germany" → country DE; "social" → facebook, instagram). */
  | { t: 'value'; column: string; values: string[] }
  /** An event type said as a verb or noun phrase ("added to cart", "bought"). */
  | { t: 'scope'; eventType: PlanEventType }
  | { t: 'time'; range: TimeRange }
  | { t: 'trend' }
  /**
   * top/bottom (a cut), highest/lowest (superlative), most/least (quantity), best/worst (judgement:
   * reversed for measures where higher is worse), "highest first" (sort: order only).
   */
  | { t: 'rank'; direction: 'asc' | 'desc'; kind: RankKind }
  /** A ranking word that implies its metric ("bestselling" → units, descending). */
  | { t: 'rankMetric'; measure: Measure; direction: 'asc' | 'desc' }
  | { t: 'by' }
  | { t: 'per' }
  | { t: 'each' }
  | { t: 'negate' }
  | { t: 'only' }
  | { t: 'also' }
  | { t: 'instead' }
  /** Words that open a follow-up ("what about", "now", "and"). */
  | { t: 'followup' }
  /** A reference to the previous answer ("it", "that", "them"). */
  | { t: 'ref' }
  | { t: 'all' }
  | { t: 'allTime' }
  | { t: 'showAll' }
  /** "in total": drop the breakdown of the previous answer. */
  | { t: 'collapse' }
  | { t: 'remove' }
  | { t: 'filterWord' }
  | { t: 'table'; table: string }
  | { t: 'quality' }
  | { t: 'compare' }
  | { t: 'unsupported'; topic: string; reason: string; suggestion: string }
  | { t: 'wh' }
  | { t: 'howMany' }
  | { t: 'howMuch' }
  | { t: 'corr' }
  | { t: 'cmp'; op: '>' | '>=' | '<' | '<=' | '=' }
  | { t: 'discounted'; has: boolean }
  | { t: 'prep'; word: string }
  | { t: 'and' }
  | { t: 'number'; value: number }
  | { t: 'stop' };
