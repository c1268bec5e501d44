import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

let documentClient: DynamoDBDocumentClient | undefined;

/** Read and write capacity units consumed by this process's DynamoDB calls, per table (GSIs included). */
export interface ConsumedCapacity {
  readUnits: number;
  writeUnits: number;
  /** Calls made (each an HTTP request to DynamoDB). */
  requests: number;
  byTable: Record<string, { readUnits: number; writeUnits: number }>;
}

const meter: ConsumedCapacity = { readUnits: 0, writeUnits: 0, requests: 0, byTable: {} };

/** Commands that accept ReturnConsumedCapacity (the others, e.g. DescribeTable, are left untouched). */
const METERED_COMMANDS = new Set([
  'GetItemCommand', 'PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'QueryCommand', 'ScanCommand',
  'BatchGetItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand', 'TransactGetItemsCommand',
]);

interface CapacityEntry {
  TableName?: string;
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

function record(entries: CapacityEntry[], kind: 'read' | 'write'): void {
  for (const entry of entries) {
    const table = (meter.byTable[entry.TableName ?? '?'] ??= { readUnits: 0, writeUnits: 0 });
    // DynamoDB returns ReadCapacityUnits / WriteCapacityUnits for some calls and only CapacityUnits for others:
    // CapacityUnits alone is counted as the kind of the call.
    const read = entry.ReadCapacityUnits ?? (entry.WriteCapacityUnits === undefined && kind === 'read' ? entry.CapacityUnits ?? 0 : 0);
    const write = entry.WriteCapacityUnits ?? (entry.ReadCapacityUnits === undefined && kind === 'write' ? entry.CapacityUnits ?? 0 : 0);
    table.readUnits += read;
    table.writeUnits += write;
    meter.readUnits += read;
    meter.writeUnits += write;
  }
}

const WRITE_COMMANDS = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

/**
 * One document client per process. The endpoint comes from AWS_ENDPOINT_URL_DYNAMODB when set (local).
 * Every item call asks for ReturnConsumedCapacity=TOTAL (free of charge) and adds it to `consumedCapacity()`:
 * the bench prices a renewal from these counts, and a log line or metric can report them.
 */
export function dynamo(): DynamoDBDocumentClient {
  if (!documentClient) {
    const client = new DynamoDBClient({ maxAttempts: 4 });
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = context.commandName ?? '';
        if (!METERED_COMMANDS.has(command)) return next(args);
        const input = args.input as { ReturnConsumedCapacity?: string };
        input.ReturnConsumedCapacity ??= 'TOTAL';
        const result = await next(args);
        meter.requests++;
        const consumed = (result.output as { ConsumedCapacity?: CapacityEntry | CapacityEntry[] }).ConsumedCapacity;
        if (consumed) record(Array.isArray(consumed) ? consumed : [consumed], WRITE_COMMANDS.has(command) ? 'write' : 'read');
        return result;
      },
      { step: 'initialize', name: 'consumedCapacityMeter' },
    );
    documentClient = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
  }
  return documentClient;
}

/** What this process's DynamoDB calls consumed since the start (or the last reset). A copy. */
export function consumedCapacity(): ConsumedCapacity {
  return JSON.parse(JSON.stringify(meter)) as ConsumedCapacity;
}

export function resetConsumedCapacity(): void {
  meter.readUnits = meter.writeUnits = meter.requests = 0;
  meter.byTable = {};
}

/** For tests that swap endpoints between runs. */
export function resetDynamoClient(): void {
  documentClient = undefined;
}
