// `schedule(...)`: a thin client of the scheduler service's HTTP API (SCHEDULER_URL):
//   POST   /api/schedules            create   (body: ScheduleRequest) → { schedule }
//   GET    /api/schedules            list                              → { schedules }
//   GET    /api/schedules/:id/runs   run history                       → { runs }
//   POST   /api/schedules/:id/run    run now (body: { parameters })    → { run }
//   DELETE /api/schedules/:id        remove                            → 204
// Every failure is a NotebookError: SCHEDULER_UNREACHABLE when nothing answers, SCHEDULER_REFUSED
// with the service's message for a 4xx/5xx, SCHEDULE_INVALID for a request that cannot be right.
import { guarded } from './guarded.js';
import { NotebookError } from './NotebookError.js';
import { responseBody } from './responseBody.js';
import { type ScheduleInfo, type ScheduleRequest, scheduleRequestSchema } from './ScheduleRequest.js';
import type { SessionContext } from './SessionContext.js';
import { tableBundle } from './tableBundle.js';
import { withSummary } from './withSummary.js';

export interface ScheduleHelper {
  /** Schedules `notebook` to run on `options.cron` or `options.every`. */
  (notebook: string, options: Omit<ScheduleRequest, 'notebook'>): Promise<ScheduleInfo>;
  list(): Promise<ScheduleInfo[]>;
  runs(id: string): Promise<Record<string, unknown>[]>;
  runNow(id: string, parameters?: Record<string, unknown>): Promise<Record<string, unknown>>;
  remove(id: string): Promise<void>;
}

const TIMEOUT_MS = 5_000;

export function createScheduleClient(ctx: SessionContext): ScheduleHelper {
  async function call<T>(action: string, method: string, path: string, body?: unknown): Promise<T> {
    const url = `${ctx.config().schedulerUrl}${path}`;
    let response: Response;
    try {
      response = await ctx.fetch(url, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(ctx.config().apiToken ? { authorization: `Bearer ${ctx.config().apiToken}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (cause) {
      throw NotebookError.of(
        'SCHEDULER_UNREACHABLE',
        `${action} failed`,
        `scheduler not reachable at ${ctx.config().schedulerUrl}`,
        {
          on: `${method} ${url}`,
          cause,
        },
      );
    }
    const { text, json } = await responseBody(response);
    if (!response.ok) {
      const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw NotebookError.of(
        'SCHEDULER_REFUSED',
        `${action} failed`,
        `the scheduler answered ${response.status}${error?.code ? ` ${error.code}` : ''}: ${error?.message ?? text.slice(0, 300)}`,
        { on: `${method} ${url}` },
      );
    }
    return json as T;
  }

  function showSchedules(schedules: ScheduleInfo[], title: string): void {
    ctx.display(
      tableBundle(
        {
          columns: ['id', 'name', 'notebook', 'trigger', 'enabled', 'next_fire_at'].map((name) => ({
            name,
            type: 'VARCHAR',
          })),
          rows: schedules.map((s) => ({
            id: s.id,
            name: s.name ?? null,
            notebook: s.notebook,
            trigger: JSON.stringify(s.trigger),
            enabled: s.enabled ?? true,
            next_fire_at: s.state?.nextFireAt ?? null,
          })),
        },
        { title },
      ),
    );
  }

  const helper = ((notebook: string, options: Omit<ScheduleRequest, 'notebook'>) =>
    guarded({ action: 'schedule()' }, async () => {
      const parsed = scheduleRequestSchema.safeParse({ ...options, notebook });
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw NotebookError.of(
          'SCHEDULE_INVALID',
          'schedule() failed',
          `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`,
          {
            hint: 'e.g. `schedule("05_scheduled_report.ipynb", { trigger: { cron: "0 7 * * *" }, parameters: { hours: 24 } })`',
          },
        );
      }
      const { schedule: created } = await call<{ schedule: ScheduleInfo }>(
        'schedule()',
        'POST',
        '/api/schedules',
        parsed.data,
      );
      showSchedules([created], 'Scheduled');
      return withSummary(created, `schedule ${created.id}: ${created.notebook}`);
    })) as ScheduleHelper;

  helper.list = () =>
    guarded({ action: 'schedule.list()' }, async () => {
      const { schedules } = await call<{ schedules: ScheduleInfo[] }>(
        'schedule.list()',
        'GET',
        '/api/schedules',
      );
      showSchedules(schedules, 'Schedules');
      return withSummary(schedules, `${schedules.length} schedules`);
    });
  helper.runs = (id) =>
    guarded({ action: 'schedule.runs()' }, async () => {
      const { runs } = await call<{ runs: Record<string, unknown>[] }>(
        'schedule.runs()',
        'GET',
        `/api/schedules/${encodeURIComponent(id)}/runs`,
      );
      const columns = [...new Set(runs.flatMap((r) => Object.keys(r)))].map((name) => ({ name }));
      ctx.display(tableBundle({ columns, rows: runs }, { title: `Runs of schedule ${id}` }));
      return withSummary(runs, `${runs.length} runs`);
    });
  helper.runNow = (id, parameters = {}) =>
    guarded({ action: 'schedule.runNow()' }, async () => {
      const { run } = await call<{ run: Record<string, unknown> }>(
        'schedule.runNow()',
        'POST',
        `/api/schedules/${encodeURIComponent(id)}/run`,
        { parameters },
      );
      return run;
    });
  helper.remove = (id) =>
    guarded({ action: 'schedule.remove()' }, async () => {
      await call<unknown>('schedule.remove()', 'DELETE', `/api/schedules/${encodeURIComponent(id)}`);
    });
  return helper;
}
