// Forwards kafkajs's log lines to the project's injected Logger.

import type { LogEntry, logCreator } from 'kafkajs';
import kafkajs from 'kafkajs';
import type { Logger } from '../../logger.js';

const { logLevel } = kafkajs;

// Log fields must stay JSON-serialisable: kafkajs passes Error objects in some of them.
function plain(value: unknown): unknown {
  return value instanceof Error ? `${value.name}: ${value.message}` : value;
}

/**
 * A kafkajs `logCreator` writing to `logger`: each line becomes `kafkajs <namespace>: <message>`
 * with kafkajs's extra fields as structured fields.
 */
export function logCreatorFor(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _logger, ...extra } = log;
      const fields: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(extra)) fields[key] = plain(value);
      const line = `kafkajs ${namespace}: ${message}`;
      switch (level) {
        case logLevel.ERROR:
          // kafkajs logs every error answer of the broker at ERROR before its retry logic decides
          // (group rebalancing, coordinator loading, ...); the ones that matter reach the caller
          // as a thrown KafkaError, so these are warnings.
          if (namespace === 'Connection' && message.startsWith('Response ')) logger.warn(line, fields);
          else logger.error(line, fields);
          break;
        case logLevel.WARN:
          logger.warn(line, fields);
          break;
        case logLevel.INFO:
          logger.info(line, fields);
          break;
        default:
          logger.debug(line, fields);
      }
    };
}
