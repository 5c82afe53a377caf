// A run's executed notebook inside JupyterLab: its HTML rendering in a sandboxed frame (no
// same-origin access: the notebook's own scripts cannot reach Jupyter or its API).
import { MainAreaWidget } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';
import { SchedulerApi } from './schedulerApi';
import type { RunRecord } from './schedulerContract';
import { ensureSchedulesStyle } from './schedulesStyle';

export function createRunOutputWidget(run: RunRecord): MainAreaWidget<Widget> {
  ensureSchedulesStyle();
  const content = new Widget();
  content.addClass('rtl-RunOutput');
  const frame = document.createElement('iframe');
  frame.setAttribute('sandbox', 'allow-scripts allow-popups');
  frame.setAttribute('title', `Output of run ${run.id}`);
  frame.src = SchedulerApi.outputUrl(run.id, 'html');
  content.node.append(frame);
  const widget = new MainAreaWidget({ content });
  widget.id = `rtl-run-output-${run.id}`;
  widget.title.label = `${run.scheduleName} · ${run.status} · ${new Date(run.startedAt ?? run.queuedAt).toLocaleString()}`;
  widget.title.caption = `${run.notebook}, run ${run.id} (${run.status})`;
  widget.title.closable = true;
  widget.addClass('rtl-RunOutputPanel');
  widget.node.dataset['runId'] = run.id;
  return widget;
}
