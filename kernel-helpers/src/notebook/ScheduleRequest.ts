// What `schedule(...)` sends: the body of the scheduler's POST /api/schedules (its ScheduleInput,
// services/src/scheduler/scheduleDefinition.ts), checked here first so an impossible request
// fails in the notebook with the field named. The scheduler checks everything again.
import { z } from 'zod';

const parameterValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.union([z.string(), z.number(), z.boolean()])),
]);

/** When a schedule fires: a cron expression (in a time zone, UTC by default), an interval, or a table's commits. */
const trigger = z.union([
  z.strictObject({ cron: z.string().trim().min(1), timezone: z.string().optional() }),
  z.strictObject({
    everySeconds: z
      .int()
      .min(1)
      .max(366 * 86_400),
  }),
  z.strictObject({
    onCommit: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a lakehouse table name'),
  }),
]);

export const scheduleRequestSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  /** The notebook, relative to the scheduler's notebooks root. */
  notebook: z
    .string()
    .trim()
    .min(1)
    .refine((p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'), 'must be relative, without ..')
    .refine((p) => p.endsWith('.ipynb'), 'must name an .ipynb file'),
  trigger,
  /** Values for the `let` declarations of the notebook's `parameters` cell. */
  parameters: z
    .record(z.string().regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/, 'must be a TypeScript identifier'), parameterValue)
    .optional(),
  timeoutSeconds: z
    .int()
    .min(1)
    .max(7 * 86_400)
    .optional(),
  retries: z
    .strictObject({ count: z.int().min(0).max(10), backoffSeconds: z.number().min(0).max(86_400).optional() })
    .optional(),
  /** A run due while the previous one still runs: skipped, or queued. */
  concurrency: z.enum(['skip', 'queue']).optional(),
  enabled: z.boolean().optional(),
});

export type ScheduleRequest = z.infer<typeof scheduleRequestSchema>;

/** A schedule as the scheduler reports it (only the fields the notebook shows are typed). */
export interface ScheduleInfo {
  id: string;
  name?: string;
  notebook: string;
  trigger: ScheduleRequest['trigger'];
  enabled?: boolean;
  state?: { nextFireAt?: string | null; lastFireAt?: string | null };
  [key: string]: unknown;
}
