// What `schedule(...)` asks the scheduler for: run a notebook on a cron expression or an
// interval, with parameters, retries and a time limit. The body of POST /api/schedules.
import { z } from 'zod';

const jsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonValue),
    z.record(z.string(), jsonValue),
  ]),
);

/** "30s", "15m", "2h", "1d". */
export const SCHEDULE_INTERVAL = /^(\d+)\s*(s|m|h|d)$/;

export const scheduleRequestSchema = z
  .strictObject({
    /** The notebook, relative to the Jupyter root (e.g. notebooks/05_scheduled_report.ipynb). */
    notebook: z
      .string()
      .min(1)
      .regex(/\.ipynb$/, 'must name an .ipynb file'),
    name: z.string().min(1).max(200).optional(),
    /** Five-field cron expression in UTC, e.g. "0 7 * * *". */
    cron: z
      .string()
      .regex(/^\S+(\s+\S+){4}$/, 'must be a five-field cron expression such as "0 7 * * *"')
      .optional(),
    /** Interval between runs, e.g. "15m". */
    every: z.string().regex(SCHEDULE_INTERVAL, 'must be a number and a unit: 30s, 15m, 2h or 1d').optional(),
    /** Values for the notebook's `parameters` cell (injected after it, as papermill does). */
    parameters: z
      .record(z.string().regex(/^[A-Za-z_$][\w$]*$/, 'must be a TypeScript identifier'), jsonValue)
      .optional(),
    retries: z.int().min(0).max(10).optional(),
    timeoutMinutes: z
      .number()
      .positive()
      .max(24 * 60)
      .optional(),
    enabled: z.boolean().optional(),
  })
  .refine((r) => (r.cron === undefined) !== (r.every === undefined), {
    message: 'give exactly one of cron and every',
  });

export type ScheduleRequest = z.infer<typeof scheduleRequestSchema>;

/** A schedule as the scheduler reports it (fields beyond these are kept as they come). */
export interface ScheduleInfo extends ScheduleRequest {
  id: string;
  nextRunAt?: string | null;
  lastRun?: { id: string; status: string; startedAt: string; finishedAt?: string | null } | null;
  [key: string]: unknown;
}
