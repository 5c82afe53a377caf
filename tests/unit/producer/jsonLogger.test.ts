// The services' JSON-line logger.

import { describe, expect, it } from 'vitest';
import { createJsonLogger } from '../../../services/src/jsonLogger.js';

const at = Date.UTC(2025, 2, 1, 12, 0, 0);

function capture(options: { level?: string; fields?: Record<string, unknown> } = {}) {
  const lines: string[] = [];
  const logger = createJsonLogger({
    service: 'producer',
    write: (line) => lines.push(line),
    now: () => at,
    ...options,
  });
  return { logger, lines };
}

describe('createJsonLogger', () => {
  it('writes one JSON object per line: ts, level, service, msg, then the fields', () => {
    const { logger, lines } = capture({ fields: { pid: 7 } });
    logger.info('producer started', { topic: 'ecommerce_events', rate: 10 });
    expect(lines).toMatchInlineSnapshot(`
      [
        "{"ts":"2025-03-01T12:00:00.000Z","level":"info","service":"producer","msg":"producer started","pid":7,"topic":"ecommerce_events","rate":10}",
      ]
    `);
  });

  it('drops lines below the level and defaults to info', () => {
    const quiet = capture({ level: 'warn' });
    quiet.logger.info('hidden');
    quiet.logger.warn('shown');
    expect(quiet.lines.map((line) => JSON.parse(line).msg)).toEqual(['shown']);
    const normal = capture({ level: 'nonsense' });
    normal.logger.debug('hidden');
    normal.logger.info('shown');
    expect(normal.lines).toHaveLength(1);
  });

  it('serialises errors with their code and cause, and bigints', () => {
    const { logger, lines } = capture();
    const error = Object.assign(new Error('send failed', { cause: new Error('socket closed') }), {
      code: 'KAFKA_X',
    });
    logger.error('oops', { error, offset: 12n });
    expect(JSON.parse(lines[0]!)).toMatchObject({
      error: { name: 'Error', message: 'send failed', code: 'KAFKA_X', cause: { message: 'socket closed' } },
      offset: '12',
    });
  });

  it('never throws, even on cycles or a broken output', () => {
    const { logger, lines } = capture();
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    expect(() => logger.info('cyclic', { cycle })).not.toThrow();
    expect(JSON.parse(lines[0]!)).toMatchObject({
      msg: 'cyclic',
      logError: expect.stringContaining('not serialisable'),
    });
    const broken = createJsonLogger({
      service: 's',
      write: () => {
        throw new Error('EPIPE');
      },
    });
    expect(() => broken.error('lost')).not.toThrow();
  });
});
