// The `txn` a pipeline records in every sink it commits to: app id `<pipeline>:<key>` per source
// position key (a Kafka partition's `topic:partition`, a Delta source's table name), version the
// last position of that key the commit covers. The runner resumes from them, exactly once; the
// compactor reads them to know which versions of a Delta source a stream still has to read.
// A pipeline's name therefore holds no ':' (definePipeline refuses one). Pure.

/** The app id of pipeline `pipeline`'s txn for source position key `key`. */
export function pipelineTxnAppId(pipeline: string, key: string): string {
  return `${pipeline}:${key}`;
}

/** The position key of `appId` when it is a txn of pipeline `pipeline`, else undefined. */
export function pipelineTxnKey(pipeline: string, appId: string): string | undefined {
  return appId.length > pipeline.length && appId[pipeline.length] === ':' && appId.startsWith(pipeline)
    ? appId.slice(pipeline.length + 1)
    : undefined;
}

/** The position key of any pipeline's txn app id (what follows the pipeline's name), else undefined. */
export function txnPositionKey(appId: string): string | undefined {
  const colon = appId.indexOf(':');
  return colon > 0 ? appId.slice(colon + 1) : undefined;
}
