// The scheduler API calls the Schedules panel and the "Schedule this notebook" dialog make, all
// through the Jupyter server's proxy (AiService.schedulerRequest).
import { AiService } from '../AiService';
import type {
  NotebookParameters,
  ParameterValue,
  RunRecord,
  ScheduleInput,
  SchedulerAlert,
  ScheduleView,
} from './schedulerContract';

const post = (body?: unknown): RequestInit => ({
  method: 'POST',
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});
const id = (value: string) => encodeURIComponent(value);

export namespace SchedulerApi {
  export async function list(signal?: AbortSignal): Promise<ScheduleView[]> {
    return (await AiService.schedulerRequest<{ schedules: ScheduleView[] }>('/api/schedules', {}, signal))
      .schedules;
  }

  export async function create(input: ScheduleInput): Promise<ScheduleView> {
    return (await AiService.schedulerRequest<{ schedule: ScheduleView }>('/api/schedules', post(input)))
      .schedule;
  }

  export async function pause(scheduleId: string): Promise<ScheduleView> {
    const path = `/api/schedules/${id(scheduleId)}/pause`;
    return (await AiService.schedulerRequest<{ schedule: ScheduleView }>(path, post())).schedule;
  }

  export async function resume(scheduleId: string): Promise<ScheduleView> {
    const path = `/api/schedules/${id(scheduleId)}/resume`;
    return (await AiService.schedulerRequest<{ schedule: ScheduleView }>(path, post())).schedule;
  }

  export async function remove(scheduleId: string): Promise<void> {
    await AiService.schedulerRequest<unknown>(`/api/schedules/${id(scheduleId)}`, { method: 'DELETE' });
  }

  export async function runNow(
    scheduleId: string,
    parameters: Record<string, ParameterValue> = {},
  ): Promise<RunRecord> {
    const path = `/api/schedules/${id(scheduleId)}/run`;
    return (await AiService.schedulerRequest<{ run: RunRecord }>(path, post({ parameters }))).run;
  }

  export async function runs(scheduleId: string, limit = 20, signal?: AbortSignal): Promise<RunRecord[]> {
    const path = `/api/schedules/${id(scheduleId)}/runs?limit=${limit}`;
    return (await AiService.schedulerRequest<{ runs: RunRecord[] }>(path, {}, signal)).runs;
  }

  export function alerts(
    signal?: AbortSignal,
  ): Promise<{ active: SchedulerAlert[]; recent: SchedulerAlert[] }> {
    return AiService.schedulerRequest('/api/alerts', {}, signal);
  }

  export function notebookParameters(notebook: string): Promise<NotebookParameters> {
    return AiService.schedulerRequest(`/api/notebooks/parameters?path=${encodeURIComponent(notebook)}`);
  }

  /** Where a run's output is, through the proxy (opens in a tab; Jupyter's login cookie applies). */
  export function outputUrl(runId: string, kind: 'ipynb' | 'html'): string {
    return AiService.schedulerUrlOf(`/api/runs/${id(runId)}/output.${kind}`);
  }
}
