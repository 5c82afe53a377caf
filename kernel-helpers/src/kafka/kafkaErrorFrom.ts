// Maps a failure of the Kafka client library onto the project's KafkaError.

import { KafkaError } from '../errors.js';

// kafkajs error class names → stable codes; protocol errors carry the broker's own error name
// in `type` (e.g. TOPIC_ALREADY_EXISTS) and map to `KAFKA_<type>` instead.
const codeByName: Readonly<Record<string, string>> = {
  KafkaJSConnectionError: 'KAFKA_CONNECTION_FAILED',
  KafkaJSConnectionClosedError: 'KAFKA_CONNECTION_CLOSED',
  KafkaJSNoBrokerAvailableError: 'KAFKA_NO_BROKER_AVAILABLE',
  KafkaJSBrokerNotFound: 'KAFKA_BROKER_NOT_FOUND',
  KafkaJSRequestTimeoutError: 'KAFKA_REQUEST_TIMEOUT',
  KafkaJSTimeout: 'KAFKA_TIMEOUT',
  KafkaJSLockTimeout: 'KAFKA_TIMEOUT',
  KafkaJSMetadataNotLoaded: 'KAFKA_METADATA_NOT_LOADED',
  KafkaJSTopicMetadataNotLoaded: 'KAFKA_METADATA_NOT_LOADED',
  KafkaJSStaleTopicMetadataAssignment: 'KAFKA_STALE_METADATA',
  KafkaJSGroupCoordinatorNotFound: 'KAFKA_GROUP_COORDINATOR_NOT_FOUND',
  KafkaJSServerDoesNotSupportApiKey: 'KAFKA_UNSUPPORTED_API_VERSION',
  KafkaJSNotImplemented: 'KAFKA_NOT_IMPLEMENTED',
  KafkaJSSASLAuthenticationError: 'KAFKA_AUTHENTICATION_FAILED',
  KafkaJSPartialMessageError: 'KAFKA_CORRUPT_MESSAGE',
  KafkaJSUnsupportedMagicByteInMessageSet: 'KAFKA_CORRUPT_MESSAGE',
  KafkaJSInvalidVarIntError: 'KAFKA_CORRUPT_MESSAGE',
  KafkaJSInvalidLongError: 'KAFKA_CORRUPT_MESSAGE',
  KafkaJSDeleteTopicRecordsError: 'KAFKA_DELETE_RECORDS_FAILED',
  KafkaJSDeleteGroupsError: 'KAFKA_DELETE_GROUPS_FAILED',
  KafkaJSInvariantViolation: 'KAFKA_CLIENT_BUG',
};

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  type?: unknown;
  retriable?: unknown;
  cause?: unknown;
  errors?: unknown;
}

const isObject = (value: unknown): value is ErrorLike => typeof value === 'object' && value !== null;

// The innermost error: kafkajs wraps the broker's answer in retry and non-retriable errors
// (through `cause`), and reports several topic failures at once in an aggregate (`errors`).
function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 10 && isObject(current); depth++) {
    if (Array.isArray(current.errors) && current.errors.length > 0) current = current.errors[0];
    else if (isObject(current.cause) && current.cause !== current) current = current.cause;
    else break;
  }
  return current;
}

/**
 * Returns `error` as a KafkaError about `operation` (a short phrase such as "send to events").
 * The code comes from the innermost cause: `KAFKA_<BROKER_ERROR>` for errors the broker
 * answered (e.g. `KAFKA_UNKNOWN_TOPIC_OR_PARTITION`), a client code such as
 * `KAFKA_CONNECTION_FAILED` otherwise, `KAFKA_ERROR` when unknown. `retriable` is the
 * innermost cause's own flag (a refused connection stays retriable after the client's
 * retries ran out: the caller may try again later). A KafkaError is returned unchanged.
 */
export function kafkaErrorFrom(error: unknown, operation: string): KafkaError {
  if (error instanceof KafkaError) return error;
  const root = rootCause(error);
  const name = isObject(root) && typeof root.name === 'string' ? root.name : '';
  const type = isObject(root) && typeof root.type === 'string' ? root.type : '';
  const code = type !== '' ? `KAFKA_${type}` : (codeByName[name] ?? 'KAFKA_ERROR');
  const rootMessage = isObject(root) && typeof root.message === 'string' ? root.message : String(root);
  const outerMessage = isObject(error) && typeof error.message === 'string' ? error.message : rootMessage;
  const message = outerMessage === rootMessage ? rootMessage : `${outerMessage} (cause: ${rootMessage})`;
  return new KafkaError(code, `kafka ${operation}: ${message}`, {
    cause: error,
    retriable: isObject(root) && root.retriable === true,
  });
}
