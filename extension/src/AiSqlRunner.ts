// Runs AI SQL cells: the question (the cell's source) or edited SQL goes to the assistant, and
// the answer or the error is written into the cell model as display_data outputs and metadata —
// the shared model, so the notebook file and every collaborator get it.
import type { ICodeCellModel } from '@jupyterlab/cells';
import type * as nbformat from '@jupyterlab/nbformat';
import type { INotebookModel } from '@jupyterlab/notebook';
import { type ISignal, Signal } from '@lumino/signaling';
import { AiService } from './AiService';
import { aiSqlMetadataOf, updateAiSqlMetadata } from './aiSqlMetadata';
import { answerOutput, errorOutput } from './answerBundle';
import type { Answer } from './contract';
import { questionOfSource } from './questionOfSource.js';
import type { SettingsModel } from './SettingsModel';

/** What to run: the cell's question, or SQL the user edited in the answer view. */
export type RunRequest = { type: 'question' } | { type: 'sql'; sql: string };

/** A cell's run state, for its spinner and elapsed time. */
export interface RunState {
  cellId: string;
  running: boolean;
  /** Epoch ms when the run started (while running). */
  startedAt?: number;
}

export class AiSqlRunner {
  private readonly running = new Map<string, { startedAt: number; abort: AbortController }>();
  private readonly stateChangedSignal = new Signal<this, RunState>(this);

  constructor(private readonly settings: SettingsModel) {}

  /** Emits when a cell starts or stops running. */
  get stateChanged(): ISignal<this, RunState> {
    return this.stateChangedSignal;
  }

  /** The run state of a cell. */
  stateOf(cellId: string): RunState {
    const run = this.running.get(cellId);
    return run ? { cellId, running: true, startedAt: run.startedAt } : { cellId, running: false };
  }

  /** Cancels a cell's run, if one is going. */
  cancel(cellId: string): void {
    this.running.get(cellId)?.abort.abort();
  }

  /**
   * Runs a cell and writes its outputs. Resolves true when an answer was written, false when an
   * error was (the error is shown in the cell: this never throws for a failed question).
   */
  async run(cell: ICodeCellModel, notebook: INotebookModel | null, request: RunRequest): Promise<boolean> {
    const cellId = cell.sharedModel.getId();
    this.cancel(cellId);
    const abort = new AbortController();
    const startedAt = Date.now();
    this.running.set(cellId, { startedAt, abort });
    this.stateChangedSignal.emit({ cellId, running: true, startedAt });
    const question = questionOfSource(cell.sharedModel.getSource());
    const meta = aiSqlMetadataOf(cell);
    try {
      if (request.type === 'question' && question === '') {
        this.write(
          cell,
          errorOutput('', {
            code: 'EMPTY_QUESTION',
            message: 'Type a question in the cell, then press Shift-Enter.',
          }),
          {
            status: 'error',
          },
        );
        return false;
      }
      const conversationId =
        request.type === 'sql' ? meta?.conversationId : this.conversationBefore(cell, notebook);
      let answer: Answer;
      if (request.type === 'question') {
        answer = await AiService.query(
          {
            question,
            ...(conversationId ? { conversationId } : {}),
            maxRows: this.settings.value.maxRows,
            ...(meta?.asOf ? { asOf: meta.asOf } : {}),
          },
          abort.signal,
        );
      } else {
        answer = await AiService.sql(
          {
            sql: request.sql,
            ...(conversationId ? { conversationId } : {}),
            ...(meta?.question || question ? { question: meta?.question ?? question } : {}),
            maxRows: this.settings.value.maxRows,
            ...(meta?.asOf ? { asOf: meta.asOf } : {}),
          },
          abort.signal,
        );
      }
      this.write(cell, answerOutput(answer, request.type, meta?.asOf), {
        status: 'answered',
        question: request.type === 'question' ? question : (meta?.question ?? question),
        sql: answer.sql,
        source: request.type,
        conversationId: answer.conversationId,
        turnId: answer.turnId,
        path: answer.path,
        answeredAt: new Date().toISOString(),
      });
      return true;
    } catch (error) {
      const e =
        error instanceof AiService.ApiError
          ? error
          : new AiService.ApiError(String((error as Error)?.message ?? error), 'INTERNAL_ERROR', 0);
      if (e.code === 'CANCELLED') return false;
      const sql = request.type === 'sql' ? request.sql : e.sql;
      this.write(cell, errorOutput(question, { ...e, message: e.message }, sql), { status: 'error' });
      return false;
    } finally {
      if (this.running.get(cellId)?.abort === abort) {
        this.running.delete(cellId);
        this.stateChangedSignal.emit({ cellId, running: false });
      }
    }
  }

  /** The conversation of the nearest AI SQL cell above this one that has an answer. */
  private conversationBefore(cell: ICodeCellModel, notebook: INotebookModel | null): string | undefined {
    if (!notebook) return aiSqlMetadataOf(cell)?.conversationId;
    let conversationId: string | undefined;
    for (let i = 0; i < notebook.cells.length; i++) {
      const other = notebook.cells.get(i);
      if (other === cell || other.sharedModel.getId() === cell.sharedModel.getId()) break;
      const meta = aiSqlMetadataOf(other);
      if (meta?.conversationId && meta.status === 'answered') conversationId = meta.conversationId;
    }
    return conversationId;
  }

  private write(
    cell: ICodeCellModel,
    output: ReturnType<typeof answerOutput>,
    patch: Parameters<typeof updateAiSqlMetadata>[1],
  ): void {
    if (cell.isDisposed) return;
    // Not inside sharedModel.transact(): the outputs model mirrors the shared model itself, and
    // a deferred transaction would make it apply the same change twice.
    cell.outputs.clear();
    cell.outputs.add(output as unknown as nbformat.IOutput);
    updateAiSqlMetadata(cell, patch);
  }
}
