// A table's retention periods, from its properties: how long removed data files
// (`delta.deletedFileRetentionDuration`, VACUUM) and log files (`delta.logRetentionDuration`,
// log cleanup) are kept. Values are Delta's interval strings, e.g. `interval 7 days`.

/** Hours in a Delta interval string (`interval 36 hours`), or undefined when it is not one. */
function durationHours(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const m = /^\s*interval\s+(\d+)\s+(second|minute|hour|day|week)s?\s*$/i.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2]!.toLowerCase();
  return (
    n * ({ second: 1 / 3600, minute: 1 / 60, hour: 1, day: 24, week: 168 } as Record<string, number>)[unit]!
  );
}

/** How long a removed data file is kept (hours): the table's setting, else Delta's 7 days. */
export function deletedFileRetentionHours(properties: Readonly<Record<string, string>>): number {
  return durationHours(properties['delta.deletedFileRetentionDuration']) ?? 168;
}

/** How long log files are kept (hours): the table's setting, else Delta's 30 days. */
export function logRetentionHours(properties: Readonly<Record<string, string>>): number {
  return durationHours(properties['delta.logRetentionDuration']) ?? 720;
}
