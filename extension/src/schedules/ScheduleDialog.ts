// "Schedule this notebook": a dialog with the trigger (interval, cron + time zone, or a table's
// commits), the notebook's declared parameters (typed, defaults shown), timeout, retries and
// concurrency. The scheduler checks the request; its refusal (a bad cron, a bad parameter) is
// shown in the dialog, opened again with what was typed.
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';
import { h } from '../h';
import { SchedulerApi } from './schedulerApi';
import type { ParameterDeclaration, ParameterValue, ScheduleInput, ScheduleView } from './schedulerContract';
import { ensureSchedulesStyle } from './schedulesStyle';

/** What the form holds (strings as typed). */
export interface ScheduleFormState {
  name: string;
  kind: 'interval' | 'cron' | 'commit';
  everySeconds: string;
  cron: string;
  timezone: string;
  table: string;
  parameters: Record<string, string>;
  timeoutSeconds: string;
  retries: string;
  backoffSeconds: string;
  concurrency: 'skip' | 'queue';
}

export function initialFormState(notebook: string): ScheduleFormState {
  const base = notebook.split('/').pop() ?? notebook;
  return {
    name: base.replace(/\.ipynb$/, ''),
    kind: 'interval',
    everySeconds: '3600',
    cron: '0 7 * * *',
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    table: 'gold_kpis',
    parameters: {},
    timeoutSeconds: '3600',
    retries: '0',
    backoffSeconds: '30',
    concurrency: 'skip',
  };
}

/** A typed value for a parameter from what was typed; text the type does not fit goes as typed (the scheduler explains). */
export function parameterValue(declaration: ParameterDeclaration, text: string): ParameterValue {
  const type = declaration.type;
  const scalar = (t: string, kind: 'string' | 'number' | 'boolean'): string | number | boolean => {
    if (kind === 'number') return t.trim() !== '' && Number.isFinite(Number(t)) ? Number(t) : t;
    if (kind === 'boolean') return t === 'true' ? true : t === 'false' ? false : t;
    return t;
  };
  switch (type.kind) {
    case 'number':
    case 'boolean':
      return scalar(text, type.kind);
    case 'enum': {
      const number = type.values.find((v) => typeof v === 'number' && String(v) === text);
      return number ?? text;
    }
    case 'array': {
      const trimmed = text.trim();
      if (trimmed.startsWith('[')) {
        try {
          return JSON.parse(trimmed) as ParameterValue;
        } catch {
          return text;
        }
      }
      return trimmed === '' ? [] : trimmed.split(',').map((p) => scalar(p.trim(), type.element));
    }
    default:
      return text;
  }
}

/** The request the form state makes. */
export function scheduleInputOf(
  notebook: string,
  state: ScheduleFormState,
  declarations: readonly ParameterDeclaration[],
): ScheduleInput {
  const number = (text: string) =>
    text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
  const trigger =
    state.kind === 'interval'
      ? { everySeconds: number(state.everySeconds) as number }
      : state.kind === 'cron'
        ? { cron: state.cron, timezone: state.timezone.trim() || 'UTC' }
        : { onCommit: state.table.trim() };
  const parameters: Record<string, ParameterValue> = {};
  for (const d of declarations) {
    const text = state.parameters[d.name];
    if (text !== undefined && text !== '') parameters[d.name] = parameterValue(d, text);
  }
  return {
    name: state.name.trim() || (notebook.split('/').pop() ?? notebook),
    notebook,
    trigger,
    parameters,
    timeoutSeconds: number(state.timeoutSeconds) as number,
    retries: {
      count: number(state.retries) as number,
      backoffSeconds: number(state.backoffSeconds) as number,
    },
    concurrency: state.concurrency,
  };
}

const typeText = (d: ParameterDeclaration): string => {
  const t = d.type;
  if (t.kind === 'array') return `${t.element}[] (comma-separated or JSON)`;
  if (t.kind === 'enum') return t.values.map((v) => JSON.stringify(v)).join(' | ');
  if (t.kind === 'unsupported') return t.text;
  return t.kind;
};

/** The dialog's body: the form; `getValue()` is its state. */
class ScheduleForm extends Widget {
  private readonly state: ScheduleFormState;

  constructor(
    notebook: string,
    state: ScheduleFormState,
    declarations: readonly ParameterDeclaration[] | null,
    error: string | null,
  ) {
    super();
    ensureSchedulesStyle();
    this.state = structuredClone(state);
    this.addClass('rtl-ScheduleForm');
    this.node.dataset['testid'] = 'schedule-form';
    const s = this.state;
    const input = (key: keyof ScheduleFormState, attributes: Record<string, string> = {}) =>
      h('input', {
        class: 'jp-mod-styled',
        name: key,
        value: String(s[key]),
        ...attributes,
        oninput: (e: Event) => {
          (s as unknown as Record<string, string>)[key] = (e.target as HTMLInputElement).value;
        },
      });
    const row = (label: string, control: HTMLElement, hint?: string, group?: string) => {
      const elements = [
        h('label', {}, label),
        control,
        hint ? h('span', { class: 'rtl-ScheduleForm-hint' }, hint) : null,
      ];
      return elements
        .filter((e): e is HTMLElement => e !== null)
        .map((e) => {
          if (group) e.dataset['group'] = group;
          return e;
        });
    };
    const kind = h(
      'select',
      {
        class: 'jp-mod-styled',
        name: 'kind',
        onchange: (e: Event) => {
          s.kind = (e.target as HTMLSelectElement).value as ScheduleFormState['kind'];
          this.showTrigger();
        },
      },
      ...(
        [
          ['interval', 'Every N seconds'],
          ['cron', 'Cron expression'],
          ['commit', 'When a table gets a new commit'],
        ] as const
      ).map(([value, label]) => h('option', { value, selected: s.kind === value }, label)),
    );
    const concurrency = h(
      'select',
      {
        class: 'jp-mod-styled',
        name: 'concurrency',
        onchange: (e: Event) => {
          s.concurrency = (e.target as HTMLSelectElement).value as 'skip' | 'queue';
        },
      },
      h('option', { value: 'skip', selected: s.concurrency === 'skip' }, 'skip the new run'),
      h('option', { value: 'queue', selected: s.concurrency === 'queue' }, 'queue it after the running one'),
    );
    const parts: HTMLElement[] = [
      ...(error ? [h('p', { class: 'rtl-ScheduleForm-error', role: 'alert' }, error)] : []),
      ...row('Notebook', h('code', {}, notebook)),
      ...row('Name', input('name')),
      ...row('Trigger', kind),
      ...row('Every (s)', input('everySeconds', { type: 'number', min: '1' }), undefined, 'interval'),
      ...row('Cron', input('cron'), 'minute hour day month weekday, e.g. 0 7 * * 1-5', 'cron'),
      ...row('Time zone', input('timezone'), 'IANA name, e.g. Europe/Berlin', 'cron'),
      ...row('Table', input('table'), 'a lakehouse table, e.g. gold_kpis', 'commit'),
    ];
    const settable = (declarations ?? []).filter(
      (d) => d.declaration !== 'const' && d.type.kind !== 'unsupported',
    );
    parts.push(h('h3', {}, 'Parameters'));
    if (declarations === null)
      parts.push(
        h('p', { class: 'rtl-ScheduleForm-hint' }, 'This notebook has no cell tagged "parameters".'),
      );
    else if (settable.length === 0)
      parts.push(
        h(
          'p',
          { class: 'rtl-ScheduleForm-hint' },
          'Its parameters cell declares nothing the scheduler can set (use let).',
        ),
      );
    for (const d of settable) {
      const current = s.parameters[d.name] ?? '';
      const set = (e: Event) => {
        s.parameters[d.name] = (e.target as HTMLInputElement | HTMLSelectElement).value;
      };
      const placeholder = d.default === null ? '' : `default ${JSON.stringify(d.default)}`;
      const control =
        d.type.kind === 'enum' || d.type.kind === 'boolean'
          ? h(
              'select',
              { class: 'jp-mod-styled', name: `param-${d.name}`, onchange: set },
              h('option', { value: '', selected: current === '' }, placeholder || '(default)'),
              ...(d.type.kind === 'enum' ? d.type.values.map(String) : ['true', 'false']).map((v) =>
                h('option', { value: v, selected: current === v }, v),
              ),
            )
          : h('input', {
              class: 'jp-mod-styled',
              name: `param-${d.name}`,
              value: current,
              placeholder,
              oninput: set,
            });
      parts.push(...row(d.name, control, [typeText(d), d.description].filter(Boolean).join(' — ')));
    }
    parts.push(
      h('h3', {}, 'Run'),
      ...row('Timeout (s)', input('timeoutSeconds', { type: 'number', min: '1' })),
      ...row(
        'Retries',
        input('retries', { type: 'number', min: '0', max: '10' }),
        'attempts after a failure',
      ),
      ...row(
        'Backoff (s)',
        input('backoffSeconds', { type: 'number', min: '0' }),
        'before the first retry; doubles after',
      ),
      ...row('If still running', concurrency),
    );
    this.node.append(...parts);
    this.showTrigger();
  }

  private showTrigger(): void {
    for (const element of this.node.querySelectorAll<HTMLElement>('[data-group]'))
      element.hidden = element.dataset['group'] !== this.state.kind;
  }

  getValue(): ScheduleFormState {
    return structuredClone(this.state);
  }
}

/**
 * Asks how to schedule `notebook` (a path relative to the scheduler's notebooks folder, which is
 * JupyterLab's root in `lakehouse up`) and creates the schedule; null when cancelled.
 * @throws AiService.ApiError when the scheduler cannot be reached or does not know the notebook.
 */
export async function scheduleNotebookDialog(notebook: string): Promise<ScheduleView | null> {
  const declared = await SchedulerApi.notebookParameters(notebook);
  const declarations = declared.hasParametersCell ? declared.parameters : null;
  let state = initialFormState(notebook);
  let error: string | null = null;
  for (;;) {
    const form = new ScheduleForm(notebook, state, declarations, error);
    const result = await showDialog<ScheduleFormState>({
      title: 'Schedule this notebook',
      body: form,
      buttons: [Dialog.cancelButton(), Dialog.okButton({ label: 'Schedule' })],
      focusNodeSelector: 'input[name="name"]',
    });
    if (!result.button.accept || result.value === null) return null;
    state = result.value;
    try {
      return await SchedulerApi.create(scheduleInputOf(notebook, state, declarations ?? []));
    } catch (e) {
      const refusal = e as Error & { code?: string };
      error = `The scheduler refused it${refusal.code ? ` (${refusal.code})` : ''}: ${refusal.message}`;
    }
  }
}
