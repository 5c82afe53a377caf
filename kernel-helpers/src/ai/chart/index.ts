// Chart choice for query results: Vega-Lite v5 specs from the result's shape.
export { chooseChart } from './chooseChart.js';
export {
  type ChartInput,
  type ChartOptions,
  VEGA_LITE_SCHEMA,
  type VegaFieldDef,
  type VegaFieldType,
  type VegaLiteSpec,
} from './VegaLiteSpec.js';
