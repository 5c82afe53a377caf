// Maps a failure of a Kafka client library (kafkajs, @platformatic/kafka) onto the project's
// KafkaError.

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

// @platformatic/kafka error codes → stable codes; its protocol errors carry the broker's error
// name in `apiId` and map to `KAFKA_<apiId>` instead.
const codeByPlatformaticCode: Readonly<Record<string, string>> = {
  PLT_KFK_NETWORK: 'KAFKA_CONNECTION_FAILED',
  PLT_KFK_TIMEOUT: 'KAFKA_TIMEOUT',
  PLT_KFK_AUTHENTICATION: 'KAFKA_AUTHENTICATION_FAILED',
  PLT_KFK_UNSUPPORTED_API: 'KAFKA_UNSUPPORTED_API_VERSION',
  PLT_KFK_UNSUPPORTED_COMPRESSION: 'KAFKA_UNSUPPORTED_COMPRESSION',
  PLT_KFK_UNSUPPORTED_FORMAT: 'KAFKA_CORRUPT_MESSAGE',
  PLT_KFK_UNEXPECTED_CORRELATION_ID: 'KAFKA_CORRUPT_MESSAGE',
  PLT_KFK_USER: 'KAFKA_INVALID_REQUEST',
};

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  apiId?: unknown;
  canRetry?: unknown;
  message?: unknown;
  type?: unknown;
  retriable?: unknown;
  cause?: unknown;
  errors?: unknown;
}

const isObject = (value: unknown): value is ErrorLike => typeof value === 'object' && value !== null;

// The chain from `error` inward: kafkajs wraps the broker's answer in retry and non-retriable
// errors (through `cause`), @platformatic/kafka in "multiple errors" (through `errors`), and both
// report several failures at once in an aggregate (`errors`, the first one followed).
function causeChain(error: unknown): unknown[] {
  const chain = [error];
  let current = error;
  for (let depth = 0; depth < 10 && isObject(current); depth++) {
    if (Array.isArray(current.errors) && current.errors.length > 0) current = current.errors[0];
    else if (isObject(current.cause) && current.cause !== current) current = current.cause;
    else break;
    chain.push(current);
  }
  return chain;
}

const isPlatformatic = (value: unknown): value is ErrorLike =>
  isObject(value) && typeof value.code === 'string' && value.code.startsWith('PLT_KFK_');

// Code and retriable flag from the innermost error that carries them: a @platformatic/kafka
// error (its own cause, such as a socket's ECONNREFUSED, says less), else the innermost cause.
function classify(chain: readonly unknown[]): { code: string; retriable: boolean } {
  const platformatic = chain.filter(isPlatformatic).at(-1);
  if (platformatic !== undefined) {
    // It answers the broker's UNKNOWN_TOPIC_OR_PARTITION in metadata with a user error that
    // drops the broker's code; only its message says which it was.
    if (platformatic.code === 'PLT_KFK_USER' && /^Unknown topic /.test(String(platformatic.message))) {
      return { code: 'KAFKA_UNKNOWN_TOPIC_OR_PARTITION', retriable: true };
    }
    const code =
      typeof platformatic.apiId === 'string'
        ? `KAFKA_${platformatic.apiId}`
        : (codeByPlatformaticCode[String(platformatic.code)] ?? 'KAFKA_ERROR');
    return { code, retriable: platformatic.canRetry === true };
  }
  const root = chain.at(-1);
  const name = isObject(root) && typeof root.name === 'string' ? root.name : '';
  const type = isObject(root) && typeof root.type === 'string' ? root.type : '';
  return {
    code: type !== '' ? `KAFKA_${type}` : (codeByName[name] ?? 'KAFKA_ERROR'),
    retriable: isObject(root) && root.retriable === true,
  };
}

/**
 * Returns `error` as a KafkaError about `operation` (a short phrase such as "send to events").
 * The code comes from the innermost client error: `KAFKA_<BROKER_ERROR>` for errors the broker
 * answered (e.g. `KAFKA_UNKNOWN_TOPIC_OR_PARTITION`), a client code such as
 * `KAFKA_CONNECTION_FAILED` otherwise, `KAFKA_ERROR` when unknown. `retriable` is that error's
 * own flag (a refused connection stays retriable after the client's retries ran out: the
 * caller may try again later). The message ends with the innermost cause's. A KafkaError is
 * returned unchanged.
 */
export function kafkaErrorFrom(error: unknown, operation: string): KafkaError {
  if (error instanceof KafkaError) return error;
  const chain = causeChain(error);
  const root = chain.at(-1);
  const { code, retriable } = classify(chain);
  const rootMessage = isObject(root) && typeof root.message === 'string' ? root.message : String(root);
  const outerMessage = isObject(error) && typeof error.message === 'string' ? error.message : rootMessage;
  const message = outerMessage === rootMessage ? rootMessage : `${outerMessage} (cause: ${rootMessage})`;
  return new KafkaError(code, `kafka ${operation}: ${message}`, { cause: error, retriable });
}
