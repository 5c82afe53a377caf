// Parsing of Delta log actions from commit files (newline-delimited JSON) and checkpoint rows.
import { DeltaError } from '../errors.js';
import { type Action, type ActionKind, type AddAction, actionSchemas, isActionKind } from './actions.js';

/**
 * Parses one JSON object holding a single action (`{"add": {...}}`) into a tagged Action.
 * Throws DeltaError naming the table, version and problem for an unknown action kind or
 * fields that do not match the protocol; nothing is skipped silently.
 */
export function parseActionObject(obj: unknown, table: string, version: number, where: string): Action {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw new DeltaError('DELTA_INVALID_ACTION', table, version, `${where}: an action must be a JSON object`);
  }
  const keys = Object.keys(obj).filter((k) => (obj as Record<string, unknown>)[k] !== null);
  if (keys.length !== 1) {
    throw new DeltaError(
      'DELTA_INVALID_ACTION',
      table,
      version,
      `${where}: expected exactly one action per line, found ${keys.length === 0 ? 'none' : keys.join(', ')}`,
    );
  }
  const kind = keys[0]!;
  if (!isActionKind(kind)) {
    throw new DeltaError('DELTA_UNKNOWN_ACTION', table, version, `${where}: unknown action '${kind}'`);
  }
  const parsed = actionSchemas[kind].safeParse((obj as Record<string, unknown>)[kind]);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || '(root)';
    throw new DeltaError(
      'DELTA_INVALID_ACTION',
      table,
      version,
      `${where}: invalid '${kind}' action, field ${field}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return { kind, [kind]: parsed.data } as Action;
}

/**
 * Parses the text of commit file `version` into its actions, in file order.
 * Throws DeltaError (DELTA_CORRUPT_COMMIT) for a line that is not JSON, e.g. a truncated file.
 */
export function parseCommitFile(text: string, table: string, version: number): Action[] {
  const actions: Action[] = [];
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo++;
    if (line.trim() === '') continue;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (cause) {
      throw new DeltaError(
        'DELTA_CORRUPT_COMMIT',
        table,
        version,
        `commit file line ${lineNo} is not valid JSON (corrupt or truncated file): ${(cause as Error).message}`,
        { cause },
      );
    }
    actions.push(parseActionObject(obj, table, version, `line ${lineNo}`));
  }
  if (actions.length === 0) {
    throw new DeltaError('DELTA_CORRUPT_COMMIT', table, version, 'commit file is empty');
  }
  return actions;
}

/** Serialises actions as a commit file body: one JSON object per line, newline-terminated. */
export function serializeActions(actions: readonly Action[]): string {
  let out = '';
  for (const action of actions) {
    const kind: ActionKind = action.kind;
    out += `${JSON.stringify({ [kind]: (action as Record<string, unknown>)[kind] })}\n`;
  }
  return out;
}

const num = (v: unknown): number | undefined =>
  v === null || v === undefined ? undefined : typeof v === 'bigint' ? Number(v) : (v as number);
const json = (v: unknown): unknown => (v === null || v === undefined ? undefined : JSON.parse(v as string));

/**
 * Add actions from checkpoint columns (see DeltaDuckDb.readCheckpointRows), checked field by
 * field without zod on the fast path; a row that fails goes through the zod schema so the
 * error names the field. Throws DeltaError for invalid rows.
 */
export function addActionsFromColumns(
  columns: Record<string, unknown[]>,
  rowCount: number,
  table: string,
  version: number,
  where: string,
): Action[] {
  const out: Action[] = new Array(rowCount);
  const col = (name: string) => columns[name];
  const [path, pv, size, mtime, dataChange, stats, tags, dv, baseRowId, defaultRowCommitVersion, clustering] =
    [
      col('path'),
      col('partitionValues'),
      col('size'),
      col('modificationTime'),
      col('dataChange'),
      col('stats'),
      col('tags'),
      col('deletionVector'),
      col('baseRowId'),
      col('defaultRowCommitVersion'),
      col('clusteringProvider'),
    ];
  for (let i = 0; i < rowCount; i++) {
    const add: Record<string, unknown> = {
      path: path?.[i],
      size: num(size?.[i]),
      modificationTime: num(mtime?.[i]),
      dataChange: dataChange?.[i],
    };
    const rawPv = pv?.[i];
    const partitionValues = rawPv === '{}' ? {} : json(rawPv); // '{}': unpartitioned, no parse
    if (partitionValues !== undefined) add['partitionValues'] = partitionValues;
    if (stats?.[i] !== null && stats?.[i] !== undefined) add['stats'] = stats[i];
    const t = json(tags?.[i]);
    if (t !== undefined) add['tags'] = t;
    const d = json(dv?.[i]);
    if (d !== undefined) add['deletionVector'] = d;
    const b = num(baseRowId?.[i]);
    if (b !== undefined) add['baseRowId'] = b;
    const r = num(defaultRowCommitVersion?.[i]);
    if (r !== undefined) add['defaultRowCommitVersion'] = r;
    if (clustering?.[i] !== null && clustering?.[i] !== undefined) add['clusteringProvider'] = clustering[i];
    const valid =
      typeof add['path'] === 'string' &&
      typeof add['size'] === 'number' &&
      typeof add['modificationTime'] === 'number' &&
      typeof add['dataChange'] === 'boolean' &&
      (add['deletionVector'] === undefined || typeof add['deletionVector'] === 'object') &&
      (partitionValues === undefined || (typeof partitionValues === 'object' && partitionValues !== null));
    out[i] = valid
      ? { kind: 'add', add: add as AddAction }
      : parseActionObject({ add }, table, version, `${where} add row ${i + 1}`);
  }
  return out;
}
