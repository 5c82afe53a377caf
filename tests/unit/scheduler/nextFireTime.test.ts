import { describe, expect, it } from 'vitest';
import { nextFireTime } from '../../../services/src/scheduler/nextFireTime.js';
import { ScheduleInput } from '../../../services/src/scheduler/scheduleDefinition.js';

const at = (iso: string) => new Date(iso);
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('nextFireTime', () => {
  it('reads cron expressions in their time zone, across daylight saving changes', () => {
    const weekdays9 = { cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' };
    // Saturday 28 March 2026 (CET, UTC+1) → Monday 30 March 09:00 CEST (UTC+2).
    expect(iso(nextFireTime(weekdays9, at('2026-03-28T12:00:00Z')))).toBe('2026-03-30T07:00:00.000Z');
    expect(iso(nextFireTime(weekdays9, at('2026-03-27T07:59:00Z')))).toBe('2026-03-27T08:00:00.000Z');
    // Strictly after: at the fire time itself, the next day's.
    expect(iso(nextFireTime(weekdays9, at('2026-03-27T08:00:00Z')))).toBe('2026-03-30T07:00:00.000Z');
    expect(iso(nextFireTime({ cron: '*/15 * * * *', timezone: 'UTC' }, at('2026-01-01T10:07:30Z')))).toBe(
      '2026-01-01T10:15:00.000Z',
    );
    expect(
      iso(nextFireTime({ cron: '30 2 * * *', timezone: 'America/New_York' }, at('2026-07-01T00:00:00Z'))),
    ).toBe('2026-07-01T06:30:00.000Z');
  });

  it('keeps intervals on the grid of their anchor and does not replay missed fires', () => {
    const every = { everySeconds: 60 };
    const anchor = at('2026-01-01T00:00:00Z');
    expect(iso(nextFireTime(every, anchor, anchor))).toBe('2026-01-01T00:01:00.000Z');
    expect(iso(nextFireTime(every, at('2026-01-01T00:01:00Z'), anchor))).toBe('2026-01-01T00:02:00.000Z');
    // Down for ten and a half minutes: the next fire is the next grid point, not ten catch-up fires.
    expect(iso(nextFireTime(every, at('2026-01-01T00:10:30Z'), anchor))).toBe('2026-01-01T00:11:00.000Z');
    expect(iso(nextFireTime(every, at('2025-12-31T23:00:00Z'), anchor))).toBe('2026-01-01T00:01:00.000Z');
  });

  it('has no time for commit triggers', () => {
    expect(nextFireTime({ onCommit: 'gold_kpis' }, at('2026-01-01T00:00:00Z'))).toBe(null);
  });
});

describe('ScheduleInput', () => {
  const base = { notebook: 'reports/daily.ipynb' };

  it('fills the defaults', () => {
    expect(ScheduleInput.parse({ ...base, trigger: { cron: '0 6 * * *' } })).toEqual({
      ...base,
      trigger: { cron: '0 6 * * *', timezone: 'UTC' },
      parameters: {},
      timeoutSeconds: 3600,
      retries: { count: 0, backoffSeconds: 30 },
      concurrency: 'skip',
      enabled: true,
    });
  });

  it.each([
    [{ ...base, trigger: { cron: '61 * * * *' } }, 'trigger.cron'],
    [{ ...base, trigger: { cron: '0 6 * * *', timezone: 'Mars/Olympus' } }, 'trigger.timezone'],
    [{ ...base, trigger: { everySeconds: 0 } }, 'trigger.everySeconds'],
    [{ ...base, trigger: { onCommit: 'gold kpis' } }, 'trigger.onCommit'],
    [{ ...base, trigger: { everySeconds: 5, cron: '* * * * *' } }, 'trigger'],
    [{ notebook: '../secrets.ipynb', trigger: { everySeconds: 5 } }, 'notebook'],
    [{ notebook: '/etc/x.ipynb', trigger: { everySeconds: 5 } }, 'notebook'],
    [{ notebook: 'a.py', trigger: { everySeconds: 5 } }, 'notebook'],
    [{ ...base, trigger: { everySeconds: 5 }, concurrency: 'parallel' }, 'concurrency'],
    [{ ...base, trigger: { everySeconds: 5 }, retries: { count: 11 } }, 'retries.count'],
    [
      { ...base, trigger: { everySeconds: 5 }, parameters: { 'not-an-identifier': 1 } },
      'parameters.not-an-identifier',
    ],
  ])('refuses %j at %s', (body, where) => {
    const parsed = ScheduleInput.safeParse(body);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain(where);
  });
});
