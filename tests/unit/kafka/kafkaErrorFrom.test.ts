import { MultipleErrors, NetworkError, ProtocolError, ResponseError, UserError } from '@platformatic/kafka';
import { kafkaErrorFrom } from '@rt-lakehouse/kernel-helpers/kafka';
import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';

const {
  KafkaJSConnectionError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
} = kafkajs;

// Shaped as kafkajs's protocol layer builds them from a broker error code.
const brokerError = (type: string, retriable: boolean) =>
  new KafkaJSProtocolError(Object.assign(new Error(`broker says ${type}`), { type, code: 3, retriable }));

// kafkajs's typings leave out the options arguments its retrier passes.
const NonRetriable = KafkaJSNonRetriableError as unknown as new (
  error: Error,
  options: { cause: Error },
) => Error;
const RetriesExceeded = KafkaJSNumberOfRetriesExceeded as unknown as new (
  error: Error,
  options: { retryCount: number; retryTime: number },
) => Error;

describe('kafkaErrorFrom', () => {
  it('names broker errors after the broker, with their retriable flag', () => {
    const error = kafkaErrorFrom(brokerError('UNKNOWN_TOPIC_OR_PARTITION', true), 'send to events');
    expect(error).toMatchObject({
      name: 'KafkaError',
      code: 'KAFKA_UNKNOWN_TOPIC_OR_PARTITION',
      retriable: true,
      message: 'kafka send to events: broker says UNKNOWN_TOPIC_OR_PARTITION',
    });
    expect(kafkaErrorFrom(brokerError('TOPIC_AUTHORIZATION_FAILED', false), 'x').retriable).toBe(false);
  });

  it('reads code and retriable from the innermost cause after kafkajs gave up retrying', () => {
    const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:1', {
      broker: '127.0.0.1:1',
      code: 'ECONNREFUSED',
    });
    const exhausted = new RetriesExceeded(refused, { retryCount: 5, retryTime: 3000 });
    // What kafkajs's retrier throws once its retries ran out.
    const outer = new NonRetriable(exhausted, { cause: refused });
    const error = kafkaErrorFrom(outer, 'listTopics');
    expect(error.code).toBe('KAFKA_CONNECTION_FAILED');
    expect(error.retriable).toBe(true);
    expect(error.cause).toBe(outer);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('takes the first error of an aggregate', () => {
    const aggregate = new kafkajs.KafkaJSAggregateError('Topic creation errors', [
      brokerError('INVALID_PARTITIONS', false),
      brokerError('INVALID_REPLICATION_FACTOR', false),
    ]);
    expect(kafkaErrorFrom(aggregate, 'ensureTopic t')).toMatchObject({
      code: 'KAFKA_INVALID_PARTITIONS',
      retriable: false,
      message: 'kafka ensureTopic t: Topic creation errors (cause: broker says INVALID_PARTITIONS)',
    });
  });

  it('keeps unknown errors, and returns a KafkaError as it is', () => {
    const plain = kafkaErrorFrom(new TypeError('boom'), 'seek');
    expect(plain).toMatchObject({ code: 'KAFKA_ERROR', retriable: false, message: 'kafka seek: boom' });
    expect(kafkaErrorFrom(plain, 'other')).toBe(plain);
    expect(kafkaErrorFrom('a string', 'op').message).toBe('kafka op: a string');
  });

  describe('@platformatic/kafka errors (the producer)', () => {
    it('names broker errors after the broker, found inside "multiple errors", with canRetry', () => {
      // What a produce answered with an error by the broker becomes after the client's retries.
      const response = new ResponseError(0, 9, { '/topics/0/partitions/1': [6, null] }, {});
      const outer = new MultipleErrors('Producing messages failed.', [response]);
      expect(kafkaErrorFrom(outer, 'send to events')).toMatchObject({
        code: 'KAFKA_NOT_LEADER_OR_FOLLOWER',
        retriable: true,
        message: expect.stringMatching(/^kafka send to events: Producing messages failed\. \(cause: .+\)$/),
      });
      expect(kafkaErrorFrom(new ProtocolError('TOPIC_AUTHORIZATION_FAILED'), 'x')).toMatchObject({
        code: 'KAFKA_TOPIC_AUTHORIZATION_FAILED',
        retriable: false,
      });
    });

    it('keeps the client error, not its socket cause, for the code; the socket error for the message', () => {
      const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
      const network = new NetworkError('Connection to 127.0.0.1:1 failed.', { cause: refused });
      const error = kafkaErrorFrom(
        new MultipleErrors('Cannot connect to any broker.', [network]),
        'send to t',
      );
      expect(error).toMatchObject({ code: 'KAFKA_CONNECTION_FAILED', retriable: true });
      expect(error.message).toContain('ECONNREFUSED');
    });

    it('reads an unknown topic from the user error the client makes of it', () => {
      expect(kafkaErrorFrom(new UserError('Unknown topic absent.'), 'send to absent')).toMatchObject({
        code: 'KAFKA_UNKNOWN_TOPIC_OR_PARTITION',
        retriable: true,
        message: 'kafka send to absent: Unknown topic absent.',
      });
      expect(kafkaErrorFrom(new UserError('Failed to serialize a message.'), 'send to t')).toMatchObject({
        code: 'KAFKA_INVALID_REQUEST',
        retriable: false,
      });
    });
  });
});
