// A table's retention periods, from its properties: how long removed data files
// (`delta.deletedFileRetentionDuration`, VACUUM) and log files (`delta.logRetentionDuration`,
// log cleanup) are kept. Values are Delta's interval strings, e.g. `interval 7 days`.

const UNIT_MICROS: Readonly<Record<string, number>> = {
  microsecond: 1,
  millisecond: 1e3,
  second: 1e6,
  minute: 60e6,
  hour: 3600e6,
  day: 86_400e6,
  week: 604_800e6,
};

/**
 * Hours in a Delta interval string, or undefined when it is not one. As Delta reads them: the
 * `interval` prefix is optional and several parts add up (`interval 1 day 12 hours`); months
 * and years are not fixed lengths of time, so they are not intervals here (Delta refuses them too).
 */
export function intervalHours(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const text = value
    .trim()
    .toLowerCase()
    .replace(/^interval\s+/, '');
  const parts = /^(?:\d+\s+[a-z]+\s*)+$/.test(text) ? [...text.matchAll(/(\d+)\s+([a-z]+)/g)] : [];
  if (parts.length === 0) return undefined;
  let micros = 0;
  for (const [, n, unit] of parts) {
    const perUnit = UNIT_MICROS[unit!.endsWith('s') ? unit!.slice(0, -1) : unit!];
    if (perUnit === undefined) return undefined;
    micros += Number(n) * perUnit;
  }
  return micros / 3600e6;
}

/** How long a removed data file is kept (hours): the table's setting, else Delta's 7 days. */
export function deletedFileRetentionHours(properties: Readonly<Record<string, string>>): number {
  return intervalHours(properties['delta.deletedFileRetentionDuration']) ?? 168;
}

/** How long log files are kept (hours): the table's setting, else Delta's 30 days. */
export function logRetentionHours(properties: Readonly<Record<string, string>>): number {
  return intervalHours(properties['delta.logRetentionDuration']) ?? 720;
}
