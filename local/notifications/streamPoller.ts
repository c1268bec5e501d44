/**
 * Reads the applications table's DynamoDB stream on DynamoDB Local (@aws-sdk/client-dynamodb-streams) and hands
 * each batch of records to a function, as the Lambda event source mapping does in AWS: shard by shard, in order,
 * a batch retried (after `retryMs`) while the function reports it failed. New shards (DynamoDB Local rolls them)
 * are found by describing the stream again now and then.
 */
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL_AWS_ENV } from '../dynamoLocal';

export interface StreamPoller {
  /** Resolves once every record written before the call has been handed over (or `timeoutMs` passed). */
  caughtUp(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface StreamPollerOptions {
  endpoint: string;
  tableName: string;
  /** 'TRIM_HORIZON': every record the stream holds (fresh tables); 'LATEST': only new ones (kept data). */
  from: 'TRIM_HORIZON' | 'LATEST';
  /** Handles one batch; returns the sequence numbers that failed (the batch is retried from the first). */
  handle: (records: _Record[]) => Promise<string[]>;
  pollMs?: number;
  retryMs?: number;
}

/** Starts polling; resolves null when the table has no stream (a data dir made before streams existed). */
export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller | null> {
  const clientOptions = {
    endpoint: options.endpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY },
  };
  const db = new DynamoDBClient(clientOptions);
  const table = await db.send(new DescribeTableCommand({ TableName: options.tableName }));
  db.destroy();
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn) return null;
  const streams = new DynamoDBStreamsClient(clientOptions);
  const pollMs = options.pollMs ?? 100;
  const iterators = new Map<string, string | null>(); // shardId → next iterator (null: closed)
  let stopped = false;
  let busy = false;
  let lastEmptyPassAt = 0;
  let passes = 0;

  const lastSequence = new Map<string, string>(); // shardId → last record handed over

  /**
   * An iterator after the last record handed over, or at the shard's start. (DynamoDB Local answers LATEST on an
   * empty shard with TrimmedDataAccessException: the poller always reads from the start and, for 'LATEST', skips
   * what the shards held when it started.)
   */
  async function iteratorFor(shardId: string): Promise<string | null> {
    const last = lastSequence.get(shardId);
    const it = await streams.send(
      new GetShardIteratorCommand(
        last
          ? { StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: last }
          : { StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' },
      ),
    );
    return it.ShardIterator ?? null;
  }

  async function discover(): Promise<void> {
    let start: string | undefined;
    do {
      const out = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }));
      for (const shard of out.StreamDescription?.Shards ?? []) {
        if (!shard.ShardId || iterators.has(shard.ShardId)) continue;
        iterators.set(shard.ShardId, await iteratorFor(shard.ShardId));
      }
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
  }

  // With 'LATEST': the shards there at the start are read to their current end without handing anything over.
  const skipping = new Set<string>();

  async function pass(): Promise<void> {
    if (passes++ % 20 === 0) await discover();
    let sawRecords = false;
    for (const [shardId, iterator] of iterators) {
      if (!iterator || stopped) continue;
      let out;
      try {
        out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      } catch (error) {
        // An expired or trimmed iterator: a new one after the last record handed over.
        iterators.set(shardId, await iteratorFor(shardId));
        if (!/Trimmed|Expired/i.test((error as Error)?.name ?? '')) throw error;
        continue;
      }
      if (skipping.has(shardId)) {
        const seq = out.Records?.at(-1)?.dynamodb?.SequenceNumber;
        if (seq) lastSequence.set(shardId, seq);
        else skipping.delete(shardId);
        iterators.set(shardId, out.NextShardIterator ?? null);
        continue;
      }
      const records = out.Records ?? [];
      if (records.length > 0) {
        sawRecords = true;
        const failed = await options.handle(records);
        if (failed.length > 0) {
          // Retry from the first failed record (the ones before it were handled).
          const index = records.findIndex((r) => r.dynamodb?.SequenceNumber === failed[0]);
          const handled = index > 0 ? records[index - 1]!.dynamodb?.SequenceNumber : undefined;
          if (handled) lastSequence.set(shardId, handled);
          iterators.set(shardId, await iteratorFor(shardId));
          await new Promise((r) => setTimeout(r, options.retryMs ?? 1000));
          continue;
        }
        const seq = records.at(-1)!.dynamodb?.SequenceNumber;
        if (seq) lastSequence.set(shardId, seq);
      }
      iterators.set(shardId, out.NextShardIterator ?? null);
    }
    if (!sawRecords) lastEmptyPassAt = Date.now();
  }

  await discover();
  if (options.from === 'LATEST') for (const shardId of iterators.keys()) skipping.add(shardId);
  const loop = (async () => {
    while (!stopped) {
      busy = true;
      try {
        await pass();
      } catch (error) {
        if (!stopped) console.error('[local-webhooks] stream poll failed:', (error as Error)?.message ?? error);
      } finally {
        busy = false;
      }
      if (!stopped) await new Promise((r) => setTimeout(r, pollMs));
    }
  })();

  return {
    async caughtUp(timeoutMs = 10_000) {
      const since = Date.now();
      while (!stopped && Date.now() - since < timeoutMs) {
        if (!busy && lastEmptyPassAt > since) return;
        await new Promise((r) => setTimeout(r, pollMs / 2));
      }
    },
    async stop() {
      stopped = true;
      await loop.catch(() => undefined);
      streams.destroy();
    },
  };
}
