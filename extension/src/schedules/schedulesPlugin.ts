// The scheduler in JupyterLab: the "Schedule this notebook" command (notebook toolbar, palette,
// notebook context menu) and the Schedules panel in the right-hand side bar.
import { ILayoutRestorer, type JupyterFrontEnd, type JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, Notification, showErrorMessage, ToolbarButton } from '@jupyterlab/apputils';
import { INotebookTracker, type NotebookPanel } from '@jupyterlab/notebook';
import type { IDisposable } from '@lumino/disposable';
import { createRunOutputWidget } from './RunOutputWidget';
import { scheduleNotebookDialog } from './ScheduleDialog';
import { SchedulesModel } from './SchedulesModel';
import { SchedulesPanel } from './SchedulesPanel';
import { schedulesIcon } from './schedulesIcon';

export namespace ScheduleCommandIDs {
  export const scheduleNotebook = 'rtlakehouse:schedule-notebook';
  export const openSchedules = 'rtlakehouse:open-schedules';
}

export const schedulesPlugin: JupyterFrontEndPlugin<void> = {
  id: '@rt-lakehouse/extension:schedules',
  description:
    'Schedule notebooks on the RT-Lakehouse scheduler; the Schedules panel with run history and outputs.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ILayoutRestorer, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
  ) => {
    const model = new SchedulesModel();
    const panel = new SchedulesPanel({
      model,
      openOutput: (run) => {
        const existing = document.getElementById(`rtl-run-output-${run.id}`);
        if (existing) {
          app.shell.activateById(existing.id);
          return;
        }
        const widget = createRunOutputWidget(run);
        app.shell.add(widget, 'main');
        app.shell.activateById(widget.id);
      },
    });
    panel.id = 'rtlakehouse-schedules';
    panel.title.icon = schedulesIcon;
    panel.title.caption = 'Scheduled notebooks';
    app.shell.add(panel, 'right', { rank: 700 });
    restorer?.add(panel, 'rtlakehouse-schedules');

    app.commands.addCommand(ScheduleCommandIDs.openSchedules, {
      label: 'Show the Schedules Panel',
      icon: schedulesIcon,
      execute: () => {
        app.shell.activateById(panel.id);
        void model.refresh();
      },
    });

    app.commands.addCommand(ScheduleCommandIDs.scheduleNotebook, {
      label: 'Schedule this notebook…',
      caption:
        'Run this notebook on a schedule (cron, interval or new commits), headless on the tslab kernel',
      icon: schedulesIcon,
      isEnabled: () => tracker.currentWidget !== null,
      execute: async () => {
        const notebook = tracker.currentWidget;
        if (!notebook) return null;
        try {
          // The scheduler reads the file: what is on screen must be saved first.
          if (notebook.context.model.dirty) await notebook.context.save();
          const created = await scheduleNotebookDialog(notebook.context.path);
          if (!created) return null;
          Notification.success(`Scheduled "${created.name}"`, { autoClose: 5000 });
          app.shell.activateById(panel.id);
          model.opened.add(created.id);
          await model.refresh();
          return created.id;
        } catch (error) {
          await showErrorMessage('Schedule this notebook', error as Error);
          return null;
        }
      },
    });
    palette?.addItem({ command: ScheduleCommandIDs.scheduleNotebook, category: 'RT-Lakehouse' });
    palette?.addItem({ command: ScheduleCommandIDs.openSchedules, category: 'RT-Lakehouse' });
    app.contextMenu.addItem({
      command: ScheduleCommandIDs.scheduleNotebook,
      selector: '.jp-Notebook',
      rank: 30,
    });

    // A toolbar button on every notebook.
    app.docRegistry.addWidgetExtension('Notebook', {
      createNew: (notebookPanel: NotebookPanel): IDisposable => {
        const button = new ToolbarButton({
          icon: schedulesIcon,
          tooltip: 'Schedule this notebook',
          onClick: () => {
            void app.commands.execute(ScheduleCommandIDs.scheduleNotebook);
          },
        });
        button.addClass('rtl-ScheduleButton');
        notebookPanel.toolbar.insertItem(10, 'rtl-schedule-notebook', button);
        return button;
      },
    });
  },
};
