// The events module: the commerce event contract (schema, wire format, Silver's parser) and the
// deterministic generator of synthetic traffic with injected bad data.

export { createEventGenerator } from './createEventGenerator.js';
export type { EventGenerator } from './EventGenerator.js';
export type { EventGeneratorOptions, FaultRates } from './EventGeneratorOptions.js';
export type { Currency, DeviceType, EcommerceEvent, EventType } from './ecommerceEvent.js';
export {
  CURRENCIES,
  DEFAULT_COUNTRIES,
  DEVICE_TYPES,
  EVENT_TS_MAX_AHEAD_MS,
  EVENT_TS_MIN,
  EVENT_TYPES,
  ecommerceEventSchema,
  QUANTITY_MAX,
  REFERRERS,
} from './ecommerceEvent.js';
export { eventToJson } from './eventToJson.js';
export type { EcommerceEventWire } from './eventToWire.js';
export { FAULT_KINDS, FAULT_REJECTION_CODE, type FaultKind } from './FaultKind.js';
export type { GeneratedRecord } from './GeneratedRecord.js';
export { HOME_CURRENCY } from './HOME_CURRENCY.js';
export { type HistoryPlanOptions, historyPlan } from './historyPlan.js';
export { parseRawEvent } from './parseRawEvent.js';
export type { RawEventParseResult } from './RawEventParseResult.js';
export { REJECTION_CODES, type RejectionCode } from './RejectionCode.js';
