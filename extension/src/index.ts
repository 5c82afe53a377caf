// RT-Lakehouse for JupyterLab: the plugins and how they are wired. Behaviour lives in the
// modules they construct; see docs/extension.md.
import { ILayoutRestorer, type JupyterFrontEnd, type JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IEditorServices } from '@jupyterlab/codeeditor';
import { INotebookCellExecutor, INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { AiService } from './AiService';
import { AiSqlCellExecutor, createFallbackExecutor } from './AiSqlCellExecutor';
import { AiSqlContentFactory } from './AiSqlContentFactory';
import { AiSqlRunner } from './AiSqlRunner';
import { createAnswerRendererFactory } from './AnswerRenderer';
import { aiSqlIcon, lakehouseIcon } from './icons';
import { insertAiSqlCell } from './insertAiSqlCell';
import { createKpiRendererFactory } from './KpiRenderer';
import { LakehouseModel } from './LakehouseModel';
import { LakehouseSidebar } from './LakehouseSidebar';
import { SettingsModel } from './SettingsModel';
import { schedulesPlugin } from './schedules/schedulesPlugin';
import { settingsFrom } from './settings';
import { IAiSqlRunner, ILakehouseSettings } from './tokens';

const PLUGIN_ID = '@rt-lakehouse/extension:plugin';

namespace CommandIDs {
  export const insertAiSqlCell = 'rtlakehouse:insert-ai-sql-cell';
  export const openSidebar = 'rtlakehouse:open-sidebar';
}

/** Settings (schema/plugin.json) and where requests go. */
const settingsPlugin: JupyterFrontEndPlugin<SettingsModel> = {
  id: PLUGIN_ID,
  description: 'RT-Lakehouse settings: assistant URL, token, refresh limits.',
  autoStart: true,
  provides: ILakehouseSettings,
  optional: [ISettingRegistry],
  activate: (_app: JupyterFrontEnd, registry: ISettingRegistry | null) => {
    const model = new SettingsModel();
    const apply = () => {
      const value = model.value;
      AiService.configure({
        assistantUrl: value.assistantUrl,
        token: value.token,
        timeoutMs: value.requestTimeoutSeconds * 1000,
      });
    };
    model.changed.connect(apply);
    apply();
    if (registry) {
      // Not awaited: activation must not wait for the settings (extension-examples' advice).
      void registry
        .load(PLUGIN_ID)
        .then((settings) => {
          model.update(settingsFrom(settings));
          settings.changed.connect(() => model.update(settingsFrom(settings)));
        })
        .catch((error) => console.error('rt-lakehouse: settings could not be loaded', error));
    }
    return model;
  },
};

const runnerPlugin: JupyterFrontEndPlugin<AiSqlRunner> = {
  id: '@rt-lakehouse/extension:runner',
  description: 'Runs AI SQL cells against the assistant API.',
  autoStart: true,
  provides: IAiSqlRunner,
  requires: [ILakehouseSettings],
  activate: (_app: JupyterFrontEnd, settings: SettingsModel) => new AiSqlRunner(settings),
};

/** Notebook cells: AI SQL cells get their own widget. */
const contentFactoryPlugin: JupyterFrontEndPlugin<NotebookPanel.IContentFactory> = {
  id: '@rt-lakehouse/extension:content-factory',
  description: 'Notebook content factory that renders AI SQL cells with their own widget.',
  autoStart: true,
  provides: NotebookPanel.IContentFactory,
  requires: [IEditorServices, IAiSqlRunner],
  activate: (_app: JupyterFrontEnd, editorServices: IEditorServices, runner: AiSqlRunner) =>
    new AiSqlContentFactory({ editorFactory: editorServices.factoryService.newInlineEditor }, runner),
};

/** Cell execution: AI SQL cells go to the assistant, others to the kernel (or the server). */
const executorPlugin: JupyterFrontEndPlugin<INotebookCellExecutor> = {
  id: '@rt-lakehouse/extension:cell-executor',
  description: 'Cell executor that answers AI SQL cells and delegates every other cell.',
  autoStart: true,
  provides: INotebookCellExecutor,
  requires: [IAiSqlRunner],
  activate: (app: JupyterFrontEnd, runner: AiSqlRunner) =>
    new AiSqlCellExecutor(runner, createFallbackExecutor(app.serviceManager.serverSettings)),
};

/** The AI SQL cell's commands (toolbar, palette, shortcut) and the answer renderer. */
const aiSqlPlugin: JupyterFrontEndPlugin<void> = {
  id: '@rt-lakehouse/extension:ai-sql',
  description: 'Insert AI SQL cells; render their answers.',
  autoStart: true,
  requires: [INotebookTracker, IRenderMimeRegistry],
  optional: [ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    rendermime: IRenderMimeRegistry,
    palette: ICommandPalette | null,
  ) => {
    rendermime.addFactory(
      createAnswerRendererFactory(() => rendermime),
      0,
    );
    app.commands.addCommand(CommandIDs.insertAiSqlCell, {
      label: 'Insert AI SQL Cell',
      caption: 'Insert a cell that answers a question in English with SQL, a table and a chart',
      icon: aiSqlIcon,
      isEnabled: () => tracker.currentWidget !== null,
      execute: (args) => {
        const panel = tracker.currentWidget;
        if (panel) insertAiSqlCell(panel, typeof args['question'] === 'string' ? args['question'] : '');
      },
    });
    palette?.addItem({ command: CommandIDs.insertAiSqlCell, category: 'RT-Lakehouse' });
  },
};

/** Live KPI widgets in outputs. */
const kpiPlugin: JupyterFrontEndPlugin<void> = {
  id: '@rt-lakehouse/extension:kpi',
  description: 'Live KPI widgets (application/vnd.rtlakehouse.kpi+json).',
  autoStart: true,
  requires: [IRenderMimeRegistry, ILakehouseSettings],
  activate: (_app: JupyterFrontEnd, rendermime: IRenderMimeRegistry, settings: SettingsModel) => {
    rendermime.addFactory(createKpiRendererFactory(settings), 0);
  },
};

/** The lakehouse sidebar, restored on reload. */
const sidebarPlugin: JupyterFrontEndPlugin<void> = {
  id: '@rt-lakehouse/extension:sidebar',
  description: 'Sidebar: service health, pipelines, tables, quarantine, schedules, KPIs.',
  autoStart: true,
  requires: [ILakehouseSettings, IRenderMimeRegistry],
  optional: [ILayoutRestorer, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    settings: SettingsModel,
    rendermime: IRenderMimeRegistry,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
  ) => {
    const sidebar = new LakehouseSidebar(new LakehouseModel(settings), rendermime);
    sidebar.id = 'rtlakehouse-sidebar';
    sidebar.title.icon = lakehouseIcon;
    sidebar.title.caption = 'RT-Lakehouse';
    app.shell.add(sidebar, 'left', { rank: 650 });
    restorer?.add(sidebar, 'rtlakehouse-sidebar');
    app.commands.addCommand(CommandIDs.openSidebar, {
      label: 'Show the RT-Lakehouse Sidebar',
      execute: () => app.shell.activateById(sidebar.id),
    });
    palette?.addItem({ command: CommandIDs.openSidebar, category: 'RT-Lakehouse' });
  },
};

export default [
  settingsPlugin,
  runnerPlugin,
  contentFactoryPlugin,
  executorPlugin,
  aiSqlPlugin,
  kpiPlugin,
  sidebarPlugin,
  schedulesPlugin,
];
