// The one module that talks to the RT-Lakehouse services. Every call goes through `request`,
// which reaches the assistant API either through the Jupyter server's proxy at
// `<base>/rtlakehouse/` (default: same origin, Jupyter's auth and XSRF; the proxy adds the API
// token) or directly at a configured URL with a bearer token.
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import type {
  Alerts,
  Answer,
  ApiErrorBody,
  Health,
  HistoryEntry,
  Kpis,
  PipelinesStatus,
  QueryRequest,
  Schedule,
  SqlRequest,
  TableInfo,
  VerifiedExample,
} from './contract';
import type { ScheduleView } from './schedules/schedulerContract';

export namespace AiService {
  /** Where and how requests go. */
  export interface Connection {
    /** The assistant's own URL; empty for the Jupyter server proxy (the default). */
    assistantUrl: string;
    /** Bearer token for a direct URL (the proxy adds its own server-side). */
    token: string;
    /** Time limit of one request (not of streams), ms. */
    timeoutMs: number;
  }

  /** A failed call: the service's error code and message, or why it could not be reached. */
  export class ApiError extends Error {
    constructor(
      message: string,
      readonly code: string,
      readonly status: number,
      readonly suggestions: string[] = [],
      readonly retriable = false,
      readonly sql?: string,
    ) {
      super(message);
      this.name = 'ApiError';
    }
  }

  let connection: Connection = { assistantUrl: '', token: '', timeoutMs: 120_000 };
  let serverSettings: ServerConnection.ISettings | undefined;

  /** Sets where requests go (from the extension's settings). */
  export function configure(next: Partial<Connection>): void {
    connection = { ...connection, ...next };
  }

  /** The current connection settings. */
  export function current(): Readonly<Connection> {
    return connection;
  }

  /** The URL of an assistant path (`/api/query`, `/health`), through the proxy unless configured. */
  export function urlOf(path: string): string {
    if (connection.assistantUrl) return connection.assistantUrl.replace(/\/+$/, '') + path;
    serverSettings ??= ServerConnection.makeSettings();
    return URLExt.join(serverSettings.baseUrl, 'rtlakehouse', path);
  }

  /**
   * Sends one request and returns the response (any status). @throws ApiError with code
   * SERVICE_UNREACHABLE when nothing answered (network error, timeout, abort by `signal`).
   */
  export async function send(path: string, init: RequestInit = {}, signal?: AbortSignal): Promise<Response> {
    const url = urlOf(path);
    const headers = new Headers(init.headers);
    if (init.body !== undefined && !headers.has('Content-Type'))
      headers.set('Content-Type', 'application/json');
    try {
      if (connection.assistantUrl) {
        if (connection.token) headers.set('Authorization', `Bearer ${connection.token}`);
        return await fetch(url, { ...init, headers, signal: signal ?? null });
      }
      serverSettings ??= ServerConnection.makeSettings();
      return await ServerConnection.makeRequest(
        url,
        { ...init, headers, signal: signal ?? null },
        serverSettings,
      );
    } catch (error) {
      if (signal?.aborted) throw new ApiError('the request was cancelled', 'CANCELLED', 0);
      throw new ApiError(
        `the assistant service could not be reached (${(error as Error).message})`,
        'SERVICE_UNREACHABLE',
        0,
        [],
        true,
      );
    }
  }

  /** Sends a request and parses its JSON answer. @throws ApiError for any non-2xx answer. */
  export async function request<T>(path: string, init: RequestInit = {}, signal?: AbortSignal): Promise<T> {
    const timeout = AbortSignal.timeout(connection.timeoutMs);
    const combined = signal ? anySignal(signal, timeout) : timeout;
    let response: Response;
    try {
      response = await send(path, init, combined);
    } catch (error) {
      if (timeout.aborted && !signal?.aborted) {
        throw new ApiError(`no answer within ${connection.timeoutMs / 1000} s`, 'TIMEOUT', 0, [], true);
      }
      throw error;
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (response.ok) return body as T;
    throw errorOf(response.status, body, text);
  }

  function anySignal(...signals: AbortSignal[]): AbortSignal {
    const controller = new AbortController();
    for (const signal of signals) {
      if (signal.aborted) controller.abort(signal.reason);
      else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
    }
    return controller.signal;
  }

  function errorOf(status: number, body: unknown, text: string): ApiError {
    const error = (body as ApiErrorBody | undefined)?.error;
    if (error && typeof error.code === 'string') {
      const retriable = status >= 500 || status === 429;
      return new ApiError(error.message, error.code, status, error.suggestions ?? [], retriable, error.sql);
    }
    if (status === 502 || status === 503 || status === 504) {
      return new ApiError('the assistant service is down or not reachable', 'SERVICE_DOWN', status, [], true);
    }
    if (status === 401 || status === 403) {
      return new ApiError(
        'not authorised by the assistant service (check the API token)',
        'UNAUTHORIZED',
        status,
      );
    }
    return new ApiError(text.slice(0, 300) || `HTTP ${status}`, `HTTP_${status}`, status, [], status >= 500);
  }

  const post = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body) });

  /** Answers a question in English. @throws ApiError (UNANSWERABLE, SQL_*, QUERY_*, ...). */
  export function query(body: QueryRequest, signal?: AbortSignal): Promise<Answer> {
    return request<Answer>('/api/query', post(body), signal);
  }

  /** Runs SQL the user wrote or edited (guarded, read-only), with a chart. */
  export function sql(body: SqlRequest, signal?: AbortSignal): Promise<Answer> {
    return request<Answer>('/api/sql', post(body), signal);
  }

  /** Marks a turn's answer as correct: it becomes a verified example. */
  export async function feedback(turnId: string): Promise<VerifiedExample> {
    const body = await request<{ example: VerifiedExample }>('/api/feedback', post({ turnId }));
    return body.example;
  }

  export async function tables(signal?: AbortSignal): Promise<TableInfo[]> {
    return (await request<{ tables: TableInfo[] }>('/api/tables', {}, signal)).tables;
  }

  /** The newest commits of a table, newest first. */
  export async function tableHistory(
    name: string,
    limit = 50,
    signal?: AbortSignal,
  ): Promise<HistoryEntry[]> {
    const path = `/api/tables/${encodeURIComponent(name)}/history?limit=${limit}`;
    return (await request<{ history: HistoryEntry[] }>(path, {}, signal)).history;
  }

  export function kpis(minutes = 60, series = true, signal?: AbortSignal): Promise<Kpis> {
    return request<Kpis>(`/api/kpis?minutes=${minutes}&series=${series}`, {}, signal);
  }

  export function alerts(signal?: AbortSignal): Promise<Alerts> {
    return request<Alerts>('/api/alerts', {}, signal);
  }

  export function pipelines(signal?: AbortSignal): Promise<PipelinesStatus> {
    return request<PipelinesStatus>('/api/pipelines', {}, signal);
  }

  /**
   * The scheduler's schedules (through the scheduler proxy), in the sidebar's shape: the trigger
   * as `cron` or `intervalSeconds`, the next fire as `nextRunAt`.
   */
  export async function schedules(signal?: AbortSignal): Promise<Schedule[]> {
    const { schedules } = await schedulerRequest<{ schedules: ScheduleView[] }>('/api/schedules', {}, signal);
    return schedules.map((s) => ({
      ...s,
      cron:
        'cron' in s.trigger
          ? s.trigger.cron
          : 'onCommit' in s.trigger
            ? `on commit to ${s.trigger.onCommit}`
            : undefined,
      intervalSeconds: 'everySeconds' in s.trigger ? s.trigger.everySeconds : undefined,
      nextRunAt: s.state.nextFireAt,
      lastRun: s.lastRun
        ? {
            status: s.lastRun.status,
            startedAt: s.lastRun.startedAt ?? undefined,
            finishedAt: s.lastRun.endedAt ?? undefined,
          }
        : null,
    }));
  }

  /** The URL of a scheduler path (`/api/schedules`): always the Jupyter server's proxy at `<base>/rtlakehouse/scheduler/`. */
  export function schedulerUrlOf(path: string): string {
    serverSettings ??= ServerConnection.makeSettings();
    return URLExt.join(serverSettings.baseUrl, 'rtlakehouse', 'scheduler', path);
  }

  /**
   * One request to the scheduler API through the proxy; its JSON answer (undefined for 204).
   * @throws ApiError with the scheduler's code and message (PARAMETERS_INVALID, ...), or
   * SERVICE_DOWN / SERVICE_UNREACHABLE / TIMEOUT.
   */
  export async function schedulerRequest<T>(
    path: string,
    init: RequestInit = {},
    signal?: AbortSignal,
  ): Promise<T> {
    serverSettings ??= ServerConnection.makeSettings();
    const headers = new Headers(init.headers);
    if (init.body !== undefined && !headers.has('Content-Type'))
      headers.set('Content-Type', 'application/json');
    const timeout = AbortSignal.timeout(connection.timeoutMs);
    const combined = signal ? anySignal(signal, timeout) : timeout;
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(
        schedulerUrlOf(path),
        { ...init, headers, signal: combined },
        serverSettings,
      );
    } catch (error) {
      if (signal?.aborted) throw new ApiError('the request was cancelled', 'CANCELLED', 0);
      if (timeout.aborted)
        throw new ApiError(`no answer within ${connection.timeoutMs / 1000} s`, 'TIMEOUT', 0, [], true);
      throw new ApiError(
        `the scheduler could not be reached (${(error as Error).message})`,
        'SERVICE_UNREACHABLE',
        0,
        [],
        true,
      );
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (response.ok) return body as T;
    throw errorOf(response.status, body, text);
  }

  export function health(signal?: AbortSignal): Promise<Health> {
    return request<Health>('/health', {}, signal);
  }

  /** Callbacks of a KPI stream. */
  export interface KpiStreamHandlers {
    onSnapshot(kpis: Kpis): void;
    /** An `error` event sent by the service (the stream stays open). */
    onServiceError?(error: { code: string; message: string }): void;
  }

  /**
   * Reads the server-sent KPI stream until it ends or `signal` aborts. Resolves when the stream
   * ends (service stop, abort); @throws ApiError when it cannot be opened or breaks.
   */
  export async function streamKpis(
    range: { minutes: number; series: boolean },
    handlers: KpiStreamHandlers,
    signal: AbortSignal,
  ): Promise<void> {
    const path = `/api/kpis/stream?minutes=${range.minutes}&series=${range.series}`;
    const response = await send(path, { headers: { Accept: 'text/event-stream' } }, signal);
    if (!response.ok || !response.body) {
      const text = await response.text().catch(() => '');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      throw errorOf(response.status, body, text);
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value.replace(/\r\n?/g, '\n');
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          dispatch(buffer.slice(0, end), handlers);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      throw new ApiError(`the KPI stream broke (${(error as Error).message})`, 'STREAM_BROKEN', 0, [], true);
    } finally {
      reader.releaseLock();
    }
  }

  function dispatch(block: string, handlers: KpiStreamHandlers): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length === 0) return;
    const payload = JSON.parse(data.join('\n'));
    if (event === 'kpis') handlers.onSnapshot(payload as Kpis);
    else if (event === 'error') handlers.onServiceError?.(payload as { code: string; message: string });
  }
}
