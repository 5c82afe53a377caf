// The services' Logger: one JSON object per line, `{"ts","level","service","msg",...fields}`,
// for log shippers and `jq`. Libraries log through the Logger port; services pick this one.

import type { Logger } from '@rt-lakehouse/kernel-helpers';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof LEVELS)[number];

/** Settings of createJsonLogger. */
export interface JsonLoggerOptions {
  /** Written on every line as `service`. */
  service: string;
  /** The least severe level written; default `LOG_LEVEL` from the environment, else `info`. */
  level?: Level | string;
  /** Where lines go; default standard output. */
  write?: (line: string) => void;
  /** Fields written on every line after `msg` (a line's own fields win). */
  fields?: Record<string, unknown>;
  /** The clock for `ts`; default Date.now. */
  now?: () => number;
}

// Errors serialise to {} with JSON.stringify; logs want their name, message, code and cause.
function errorFields(error: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = { name: error.name, message: error.message };
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) fields['code'] = code;
  if (error.cause instanceof Error) fields['cause'] = errorFields(error.cause);
  return fields;
}

function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return errorFields(value);
  if (typeof value === 'bigint') return value.toString();
  return value;
}

const levelOf = (value: string | undefined): Level => {
  const level = value?.trim().toLowerCase();
  return (LEVELS as readonly string[]).includes(level ?? '') ? (level as Level) : 'info';
};

/**
 * A Logger writing one JSON line per call at `level` and above. Never throws: a field that
 * cannot be serialised (a cycle) is replaced by a note saying so.
 */
export function createJsonLogger(options: JsonLoggerOptions): Logger {
  const threshold = LEVELS.indexOf(levelOf(options.level ?? process.env['LOG_LEVEL']));
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? Date.now;
  const base = options.fields ?? {};

  const log = (level: Level, msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS.indexOf(level) < threshold) return;
    const ts = new Date(now()).toISOString();
    let line: string;
    try {
      line = JSON.stringify({ ts, level, service: options.service, msg, ...base, ...fields }, replacer);
    } catch (error) {
      line = JSON.stringify({
        ts,
        level,
        service: options.service,
        msg,
        logError: `fields not serialisable: ${(error as Error).message}`,
      });
    }
    try {
      write(line);
    } catch {
      // A closed stdout must not take the service down with it; there is nowhere left to say so.
    }
  };

  return {
    debug: (msg, fields) => log('debug', msg, fields),
    info: (msg, fields) => log('info', msg, fields),
    warn: (msg, fields) => log('warn', msg, fields),
    error: (msg, fields) => log('error', msg, fields),
  };
}
