// Parsing of Delta log actions from commit files (newline-delimited JSON) and checkpoint rows.
import { DeltaError } from '../errors.js';
import { type Action, type ActionKind, actionSchemas, isActionKind } from './actions.js';

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
