// How a run's table reads read in the Schedules panel: "read orders v3, customers v12" (the
// newest version of each table the notebook read, by table name), or '' when it read none.

/** The text for `versions` (a run's tableVersions); '' for none. */
export function tableReadsText(versions: Readonly<Record<string, number>> | undefined): string {
  const entries = Object.entries(versions ?? {})
    .filter(([, v]) => Number.isInteger(v) && v >= 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? '' : `read ${entries.map(([t, v]) => `${t} v${v}`).join(', ')}`;
}
