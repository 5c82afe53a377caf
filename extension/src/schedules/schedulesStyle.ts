// The Schedules panel's and dialog's styles, added to the page once (JupyterLab variables, so
// they follow the theme).
const CSS = `
.rtl-Schedules { overflow: auto; padding: 8px; font-size: var(--jp-ui-font-size1); background: var(--jp-layout-color1); color: var(--jp-ui-font-color1); }
.rtl-Schedules-header { display: flex; align-items: center; gap: 8px; }
.rtl-Schedules-header h2 { flex: 1; font-size: var(--jp-ui-font-size2); margin: 4px 0; }
.rtl-Schedules-updated { color: var(--jp-ui-font-color2); font-size: var(--jp-ui-font-size0); }
.rtl-Schedules-list { list-style: none; margin: 0; padding: 0; }
.rtl-Schedules-item { border-bottom: 1px solid var(--jp-border-color2); padding: 6px 0; }
.rtl-Schedules-title { display: flex; align-items: center; gap: 6px; }
.rtl-Schedules-meta { color: var(--jp-ui-font-color2); margin: 2px 0 2px 14px; overflow-wrap: anywhere; }
.rtl-Schedules-actions { display: flex; flex-wrap: wrap; gap: 4px; margin: 4px 0 0 14px; }
.rtl-Schedules-actions button, .rtl-Schedules-links button { padding: 0 6px; height: 22px; }
.rtl-Schedules-badge { border: 1px solid var(--jp-border-color1); border-radius: 3px; padding: 0 4px; font-size: var(--jp-ui-font-size0); }
.rtl-Schedules-dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 4px; background: var(--jp-border-color1); }
.rtl-Schedules-dot.rtl-mod-succeeded { background: var(--jp-success-color1); }
.rtl-Schedules-dot.rtl-mod-failed, .rtl-Schedules-dot.rtl-mod-interrupted { background: var(--jp-error-color1); }
.rtl-Schedules-dot.rtl-mod-running, .rtl-Schedules-dot.rtl-mod-queued { background: var(--jp-brand-color1); }
.rtl-Schedules-dot.rtl-mod-skipped { background: var(--jp-warn-color1); }
.rtl-Schedules-runs { list-style: none; margin: 6px 0 0 14px; padding: 0; }
.rtl-Schedules-run { padding: 3px 0; border-bottom: 1px solid var(--jp-border-color3); overflow-wrap: anywhere; }
.rtl-Schedules-run .rtl-Schedules-links { margin: 2px 0 0 12px; }
.rtl-Schedules-links { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.rtl-Schedules-links a { color: var(--jp-content-link-color); }
.rtl-Schedules-error { color: var(--jp-error-color1); }
.rtl-Schedules-alerts { border: 1px solid var(--jp-error-color1); border-radius: 3px; padding: 4px 8px; margin: 6px 0; }
.rtl-Schedules-alerts h3 { margin: 2px 0; font-size: var(--jp-ui-font-size1); color: var(--jp-error-color1); }
.rtl-Schedules-alert a { color: var(--jp-content-link-color); }
.rtl-Schedules-problem { color: var(--jp-error-color1); }
.rtl-Schedules-empty { color: var(--jp-ui-font-color2); }
.rtl-ScheduleForm { display: grid; grid-template-columns: max-content minmax(240px, 1fr); gap: 6px 10px; align-items: center; min-width: 460px; }
.rtl-ScheduleForm h3 { grid-column: 1 / -1; margin: 8px 0 0; font-size: var(--jp-ui-font-size1); }
.rtl-ScheduleForm .rtl-ScheduleForm-hint { grid-column: 2; color: var(--jp-ui-font-color2); font-size: var(--jp-ui-font-size0); margin-top: -4px; }
.rtl-ScheduleForm .rtl-ScheduleForm-error { grid-column: 1 / -1; color: var(--jp-error-color1); white-space: pre-wrap; }
.rtl-ScheduleForm [hidden] { display: none; }
.rtl-RunOutput iframe { width: 100%; height: 100%; border: 0; background: white; }
`;

let added = false;

/** Adds the styles to the document (once). */
export function ensureSchedulesStyle(): void {
  if (added) return;
  added = true;
  const style = document.createElement('style');
  style.dataset['rtl'] = 'schedules';
  style.textContent = CSS;
  document.head.append(style);
}
