// What a schedule is: the zod schemas of a definition (as created and patched through the API)
// and of the stored schedule with its trigger state. Pure: no I/O.
import { Cron } from 'croner';
import { z } from 'zod';

/** A value a parameter can take: what the parameters cell can declare (see notebookParameters). */
export const ParameterValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.union([z.string(), z.number(), z.boolean()])),
]);
export type ParameterValue = z.infer<typeof ParameterValue>;

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Whether `timezone` is an IANA time zone this runtime knows. */
export function isTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

export const CronTrigger = z
  .object({
    cron: z.string().trim().min(1).describe('Cron expression (5 or 6 fields, croner syntax)'),
    timezone: z.string().default('UTC').describe('IANA time zone the expression is read in'),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (!isTimeZone(t.timezone)) {
      ctx.addIssue({
        code: 'custom',
        path: ['timezone'],
        message: `unknown time zone ${JSON.stringify(t.timezone)}`,
      });
      return;
    }
    try {
      new Cron(t.cron, { timezone: t.timezone, paused: true });
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        path: ['cron'],
        message: `invalid cron expression: ${(error as Error).message}`,
      });
    }
  });

export const IntervalTrigger = z
  .object({
    everySeconds: z
      .number()
      .int()
      .min(1)
      .max(366 * 86_400)
      .describe('Fire every N seconds'),
  })
  .strict();

export const CommitTrigger = z
  .object({
    onCommit: z
      .string()
      .regex(TABLE_NAME, 'a lakehouse table name')
      .describe('Fire after each new commit to this table'),
  })
  .strict();

/** When a schedule fires: a cron expression in a time zone, an interval, or a table's commits. */
export const Trigger = z.union([CronTrigger, IntervalTrigger, CommitTrigger]);
export type Trigger = z.infer<typeof Trigger>;

/** A notebook path relative to the notebooks root: no absolute paths, no `..`, ends in .ipynb. */
export const NotebookPath = z
  .string()
  .trim()
  .min(1)
  .refine(
    (p) => !p.startsWith('/') && !p.startsWith('\\') && !/^[A-Za-z]:/.test(p),
    'must be relative to the notebooks root',
  )
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'must not contain ..')
  .refine((p) => p.endsWith('.ipynb'), 'must name an .ipynb file');

export const Retries = z
  .object({
    count: z.number().int().min(0).max(10).default(0).describe('Attempts after the first one'),
    backoffSeconds: z
      .number()
      .min(0)
      .max(86_400)
      .default(30)
      .describe('Wait before the first retry; doubles for each further one'),
  })
  .strict();

export const Concurrency = z.enum(['skip', 'queue']);

const Parameters = z.record(
  z.string().regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/, 'a TypeScript identifier'),
  ParameterValue,
);

/** The body of POST /api/schedules. */
export const ScheduleInput = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    notebook: NotebookPath,
    trigger: Trigger,
    parameters: Parameters.default({}),
    timeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(7 * 86_400)
      .default(3_600),
    retries: Retries.default({ count: 0, backoffSeconds: 30 }),
    concurrency: Concurrency.default('skip'),
    enabled: z.boolean().default(true),
  })
  .strict();
export type ScheduleInput = z.input<typeof ScheduleInput>;

/** The body of PATCH /api/schedules/:id: any field of a definition; parameters replace the old ones. */
export const SchedulePatch = z
  .object({
    name: z.string().trim().min(1).max(200),
    notebook: NotebookPath,
    trigger: Trigger,
    parameters: Parameters,
    timeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(7 * 86_400),
    retries: Retries,
    concurrency: Concurrency,
    enabled: z.boolean(),
  })
  .partial()
  .strict();
export type SchedulePatch = z.infer<typeof SchedulePatch>;

/** The body of POST /api/schedules/:id/run: parameters for this run only (merged over the schedule's). */
export const RunNowInput = z.object({ parameters: Parameters.default({}) }).strict();

/** The trigger bookkeeping kept with a schedule (so a restart resumes where it was). */
export const ScheduleState = z.object({
  /** When the next timed fire is due (ISO); null for commit triggers and paused schedules. */
  nextFireAt: z.string().nullable(),
  lastFireAt: z.string().nullable(),
  /** Commit triggers: the table version last seen (-1: the table did not exist). */
  lastSeenVersion: z.number().int().nullable(),
});
export type ScheduleState = z.infer<typeof ScheduleState>;

/** A schedule as stored and as the API returns it. */
export const Schedule = z.object({
  id: z.string(),
  name: z.string(),
  notebook: z.string(),
  trigger: Trigger,
  parameters: z.record(z.string(), ParameterValue),
  timeoutSeconds: z.number().int(),
  retries: z.object({ count: z.number().int(), backoffSeconds: z.number() }),
  concurrency: Concurrency,
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  state: ScheduleState,
});
export type Schedule = z.infer<typeof Schedule>;

/** Which kind of trigger `trigger` is. */
export function triggerKind(trigger: Trigger): 'cron' | 'interval' | 'commit' {
  return 'cron' in trigger ? 'cron' : 'everySeconds' in trigger ? 'interval' : 'commit';
}
