import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../kernel-helpers/src/errors.js';
import { definePipeline } from '../../../kernel-helpers/src/stream/PipelineDefinition.js';
import {
  pipelineTxnAppId,
  pipelineTxnKey,
  txnPositionKey,
} from '../../../kernel-helpers/src/stream/pipelineTxn.js';

describe("a pipeline's txn app ids", () => {
  it('are the pipeline name, a colon and the position key, which may hold colons itself', () => {
    const appId = pipelineTxnAppId('bronze', 'ecommerce_events:2');
    expect(appId).toBe('bronze:ecommerce_events:2');
    expect(pipelineTxnKey('bronze', appId)).toBe('ecommerce_events:2');
    expect(txnPositionKey(appId)).toBe('ecommerce_events:2');
    expect(txnPositionKey(pipelineTxnAppId('silver', 'bronze_events'))).toBe('bronze_events');
  });

  it("are not another pipeline's whose name starts the same, nor a txn of another writer", () => {
    expect(pipelineTxnKey('gold', 'golden:silver_events')).toBeUndefined();
    expect(pipelineTxnKey('gold', 'gold')).toBeUndefined();
    expect(pipelineTxnKey('gold', 'gold:')).toBe('');
    expect(txnPositionKey('spark-query-7')).toBeUndefined();
    expect(txnPositionKey(':x')).toBeUndefined();
  });

  it('need a name without a colon, refused when the pipeline is defined', () => {
    const define = (name: string) => () =>
      definePipeline({
        name,
        source: () => {
          throw new Error('not started');
        },
        positionOf: () => ({ key: 'k', position: 0 }),
        sinks: [],
        async transform() {
          return { writes: [], rowsIn: 0 };
        },
      });
    expect(define('a:b')).toThrow(ConfigError);
    expect(define('a:b')).toThrow("pipeline name 'a:b'");
    expect(define('')).toThrow(ConfigError);
    expect(define('big_orders')).not.toThrow();
  });
});
