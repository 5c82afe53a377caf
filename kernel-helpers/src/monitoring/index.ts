export { type Alert, AlertMonitor, type AlertMonitorOptions } from './AlertMonitor.js';
export {
  type AlertFinding,
  type AlertSignals,
  type AlertThresholds,
  alertThresholdsSchema,
  evaluateAlertRules,
} from './alertRules.js';
