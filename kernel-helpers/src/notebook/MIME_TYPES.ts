// The MIME types the notebook helpers put in their display bundles.

/**
 * `vegaLite`: a Vega-Lite v5 spec (JupyterLab renders it); `answer`: an assistant Answer and
 * `kpi`: a KPI widget's configuration (both rendered by the RT-Lakehouse extension). Every
 * bundle also carries `text` (and usually `html`) for front ends without those renderers.
 */
export const MIME_TYPES = {
  text: 'text/plain',
  html: 'text/html',
  vegaLite: 'application/vnd.vegalite.v5+json',
  answer: 'application/vnd.rtlakehouse.answer+json',
  kpi: 'application/vnd.rtlakehouse.kpi+json',
} as const;
