/**
 * The whole system on one machine: DynamoDB Local, the simulated population registry, the local Step
 * Functions engine (the real ASL files, Task states bound to the real handler modules) with its AWS-compatible
 * endpoint, and the local API server (API Gateway + authorizer emulation) in front of the real API handlers.
 * Used by `npm start` (local/start.ts) and by the end-to-end tests, so both exercise the same wiring.
 *
 * Handlers learn where things are only through environment variables, exactly as in AWS.
 *
 * Start-up runs in stages (STAGES), each timed and reported to the optional `reporter` (npm start prints them;
 * tests pass none: quiet). A stage that fails stops everything started before it (DynamoDB Local's JVM too)
 * and rejects with a LocalStartError naming the stage.
 */
import { liveAliasArn } from '../functions/shared/stateMachineArns';
import './stepFunctions/polyfills';
import { localSearchKeysEnv } from './searchKeys';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { ensureTables, startDynamoLocal, LOCAL_AWS_ENV, type DynamoLocal } from './dynamoLocal';
import { endInterruptedExecutions, type InterruptedSummary } from './interruptedExecutions';
import { startRegistrySimulator } from './registry/registrySimulator';
import { LocalStepFunctions, fakeLambdaContext, type ExecutionStatusChangeEvent } from './stepFunctions/localStepFunctions';
import { startSfnServer } from './stepFunctions/sfnServer';
import { startApiServer } from './apiServer';
import { devConsumerClientsEnv, devConsumers, devIdentities } from './devIdentities';
import { loadSeedFile, seedPopulation, type Seed } from './seed/seedFormat';
import { writeSeedToTables } from './seed/writeSeed';
import { eventFunctionSpecs, scheduledFunctionSpecs, workflowSpecs, type EventRuleSpec } from '../functions/catalog';
import { resetDynamoClient } from '../functions/adapters/dynamo';
import { resetStepFunctionsClient } from '../functions/adapters/stepFunctions';
import { now as systemNow } from '../functions/shared/clock';
import { startStreamPoller, type StreamPoller } from './notifications/streamPoller';
import { localQueue, type LocalQueue } from './notifications/localQueue';
import { notifyStatusChanges, type StreamRecord } from '../functions/events/notifyStatusChange';
import { deliverWebhook } from '../functions/events/deliverWebhook';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEMO_SEED_FILE = path.join(repoRoot, 'local/seed/demo.json');
export const LOCAL_REGION = LOCAL_AWS_ENV.AWS_REGION;
export const LOCAL_ACCOUNT = '000000000000';
/** Shared secret of the simulated payment gateway (local only; in AWS it lives in Secrets Manager). */
export const LOCAL_PAYMENT_SECRET = 'local-payment-gateway-secret';
/** The secret the status-change webhooks are signed with locally (in AWS: per consumer, in Secrets Manager). */
export const LOCAL_WEBHOOK_SECRET = 'local-webhook-signing-secret';

export interface LocalSystemOptions {
  /** Seed file (JSON, local/seed/seedFormat.ts); default the demo province. */
  seedFile?: string;
  /** API port; 0 or undefined = a free port. */
  apiPort?: number;
  /** Fix the clock: the system's "now" starts at this instant and runs on from there. */
  now?: string;
  /** Use an already running DynamoDB Local (tests share one); default: start one. */
  dynamoEndpoint?: string;
  /** Prefix of the table names (tests use a unique one). */
  tablePrefix?: string;
  /** Environment overrides (deadlines, registry timeouts, …). */
  env?: Record<string, string>;
  /** Override every Retry interval (ms), so tests do not wait for real back-off. */
  retryIntervalMs?: number;
  /**
   * How often every scheduled function of the catalog runs (ms): default its own rate (rateMinutes);
   * 0 disables them (tests call them directly).
   */
  scheduleEveryMs?: number;
  /** Directory served at /console/ (the staff console bundle). */
  consoleDir?: string;
  /** The registry simulator's hold for timeout IDs (ms; default its HOLD_MS): tests use 0 (fault injection). */
  registryTimeoutHoldMs?: number;
  /**
   * Keep DynamoDB Local's data in this directory (created if missing) instead of in memory. Tables are created
   * only when missing and the seed is written only into fresh tables; applications left unfinished by the
   * previous run (their executions died with its in-memory engine) are ended (local/interruptedExecutions.ts).
   * Not with `dynamoEndpoint`.
   */
  dataDir?: string;
  /** DynamoDB Local's port when this call starts it (default a free port). */
  dynamoPort?: number;
  /** How long DynamoDB Local may take to answer (default DYNAMO_LOCAL_START_TIMEOUT_MS: generous). */
  dynamoStartTimeoutMs?: number;
  /** Builds the staff console (stage "console build") and serves the directory it returns at /console/. */
  buildConsole?: () => Promise<string>;
  /** Told about each stage as it ends; default none (quiet). */
  reporter?: StageReporter;
  /**
   * Aborting it (npm start: SIGINT / SIGTERM during start-up) fails the start at the end of the running stage:
   * everything started so far is stopped, as for any failed stage.
   */
  signal?: AbortSignal;
  /**
   * Told about every request the local API server answered (method, path without the query, status, ms): the
   * bench counts API Gateway requests with it. Default none.
   */
  onApiRequest?: (request: { method?: string; path: string; status: number; ms: number }) => void;
  /**
   * Status-change webhooks of every dev consumer go to this URL (`npm start -- --webhook URL`); per consumer,
   * set CONSUMER_WEBHOOKS in `env` instead. Default none (no webhook is sent).
   */
  webhookUrl?: string;
}

/** The start-up stages, in order ("interrupted executions" only runs when the tables were kept). */
export const STAGES = [
  'DynamoDB Local',
  'tables',
  'seed data',
  'registry simulator',
  'Step Functions engine',
  'interrupted executions',
  'console build',
  'API',
] as const;
export type StageName = (typeof STAGES)[number];

export interface StageReport {
  stage: StageName;
  /** How long the stage took (ms). */
  ms: number;
  /** A short human note ("created 4", "already running", …). */
  note?: string;
  /** Where the part listens, when it does. */
  url?: string;
  /** The child process the stage started (DynamoDB Local's JVM). */
  pid?: number;
}

export interface StageReporter {
  /** A stage ended well. */
  done?: (report: StageReport) => void;
  /** A stage is still waiting (DynamoDB Local's JVM on a busy machine), every few seconds. */
  waiting?: (stage: StageName, elapsedMs: number) => void;
  /** A stage failed; everything started before it is stopped afterwards. */
  failed?: (stage: StageName, ms: number, error: Error) => void;
}

/** A failed start-up: `stage` is the stage that failed, `cause` why. */
export class LocalStartError extends Error {
  constructor(
    readonly stage: StageName,
    cause: unknown,
  ) {
    super(`${stage} failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'LocalStartError';
  }
}

export interface LocalSystem {
  apiUrl: string;
  registryUrl: string;
  sfnUrl: string;
  dynamoEndpoint: string;
  seed: Seed;
  engine: LocalStepFunctions;
  tables: Record<string, string>;
  /** True when the tables were created by this start (the seed was written); false when a data dir kept them. */
  freshData: boolean;
  /** With kept data: the unfinished applications ended because their executions died with the last process. */
  interrupted?: InterruptedSummary;
  setRegistryFaults: (faults: Record<string, unknown>) => void;
  stateMachineArn: (name: keyof typeof workflowSpecs) => string;
  /** Resolves once every execution status change emitted so far has been delivered to the event functions. */
  eventsDelivered: () => Promise<void>;
  /**
   * Resolves once every application change written so far has been read from the stream and every webhook
   * attempt due so far has been made (retries still waiting for their delay included).
   */
  webhooksDelivered: () => Promise<void>;
  stop: () => Promise<void>;
}

/** The EventBridge rule's pattern, applied locally: source, detail-type, detail.status, detail.stateMachineArn. */
export function matchesRule(rule: EventRuleSpec, event: ExecutionStatusChangeEvent): boolean {
  return (
    rule.source.includes(event.source) &&
    rule.detailType.includes(event['detail-type']) &&
    rule.statuses.includes(event.detail.status) &&
    rule.workflows.some((name) => localStateMachineArn(name) === event.detail.stateMachineArn)
  );
}

export function localStateMachineArn(name: string): string {
  return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`;
}

/** Every workflow that API functions start gets its `live` alias ARN in the env var the catalog names (as CDK does). */
function stateMachineArnEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(workflowSpecs)
      .filter(([, spec]) => 'arnEnv' in spec)
      .map(([name, spec]) => [(spec as { arnEnv: string }).arnEnv, liveAliasArn(localStateMachineArn(name))]),
  );
}

export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    stops.length = 0;
  };
  const reporter = options.reporter ?? {};
  async function stage<T>(name: StageName, run: () => Promise<T>, describe?: (value: T) => Omit<StageReport, 'stage' | 'ms'>): Promise<T> {
    const started = performance.now();
    let value: T;
    try {
      value = await run();
      if (options.signal?.aborted) throw new Error('start-up interrupted (signal)');
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      reporter.failed?.(name, performance.now() - started, err);
      throw new LocalStartError(name, err);
    }
    reporter.done?.({ stage: name, ms: performance.now() - started, ...describe?.(value) });
    return value;
  }

  try {
    if (options.dataDir && options.dynamoEndpoint) {
      const error = new Error('dataDir needs a DynamoDB Local of its own (not dynamoEndpoint)');
      reporter.failed?.('DynamoDB Local', 0, error);
      throw new LocalStartError('DynamoDB Local', error);
    }
    // Read first, so a bad seed file or clock fails before anything is started.
    let seed: Seed;
    try {
      seed = loadSeedFile(options.seedFile ?? DEMO_SEED_FILE);
    } catch (error) {
      reporter.failed?.('seed data', 0, error as Error);
      throw new LocalStartError('seed data', error);
    }
    const clockOffset = options.now ? new Date(options.now).getTime() - Date.now() : 0;
    if (options.now && Number.isNaN(clockOffset)) {
      const error = new Error(`--now is not a valid instant: ${options.now}`);
      reporter.failed?.('seed data', 0, error);
      throw new LocalStartError('seed data', error);
    }

    const dynamoEndpoint = options.dynamoEndpoint
      ? await stage('DynamoDB Local', async () => options.dynamoEndpoint!, (endpoint) => ({ note: 'already running', url: endpoint }))
      : await stage(
          'DynamoDB Local',
          async () => {
            const db: DynamoLocal = await startDynamoLocal(options.dynamoPort, {
              dataDir: options.dataDir,
              startTimeoutMs: options.dynamoStartTimeoutMs,
              onWaiting: (elapsedMs) => reporter.waiting?.('DynamoDB Local', elapsedMs),
            });
            stops.push(() => db.stop());
            return db;
          },
          (db) => ({ url: db.endpoint, pid: db.pid, note: options.dataDir ? `data in ${path.resolve(options.dataDir)}` : 'in memory' }),
        ).then((db) => db.endpoint);

    Object.assign(process.env, LOCAL_AWS_ENV, { AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint });
    const { tables, created } = await stage(
      'tables',
      () => ensureTables(dynamoEndpoint, options.tablePrefix ?? `bhxh-${seed.provinceCode}`),
      ({ created }) => ({ note: created.length === 0 ? 'kept (data dir)' : `created ${created.length}` }),
    );
    // Fresh data = this start created the tables (a kept data dir is never reseeded over its own state).
    const freshData = created.length > 0;

    Object.assign(process.env, {
      ...tables,
      PROVINCE_CODE: seed.provinceCode,
      ...stateMachineArnEnv(),
      POPULATION_REGISTRY_TIMEOUT_MS: '1500',
      POPULATION_REGISTRY_MAX_ATTEMPTS: '3',
      PAYMENT_WEBHOOK_SECRET: LOCAL_PAYMENT_SECRET,
      SEARCH_KEY_SECRET: localSearchKeysEnv(),
      CONSUMER_CLIENTS: devConsumerClientsEnv(),
      CLOCK_OFFSET_MS: String(clockOffset),
      WEBHOOK_SIGNING_SECRET: LOCAL_WEBHOOK_SECRET,
      ...(options.webhookUrl ? { CONSUMER_WEBHOOKS: JSON.stringify(Object.fromEntries(devConsumers().map((c) => [c.consumerId, options.webhookUrl]))) } : {}),
      ...options.env,
    });
    resetDynamoClient();
    resetStepFunctionsClient();

    await stage(
      'seed data',
      async () => {
        if (freshData) await writeSeedToTables(seed);
      },
      () => ({ note: freshData ? `province ${seed.provinceCode} written` : 'kept from the data dir (not rewritten)' }),
    );

    const registry = await stage(
      'registry simulator',
      async () => {
        const r = await startRegistrySimulator({
          port: 0,
          population: seedPopulation(seed),
          faults: seed.registryFaults,
          timeoutHoldMs: options.registryTimeoutHoldMs,
        });
        stops.push(() => r.stop());
        return r;
      },
      (r) => ({ url: r.url }),
    );

    // Status-change webhooks: the applications table's stream → NotifyStatusChange → a queue honouring the
    // back-off delays → DeliverWebhook (the real handler modules' cores; SQS in AWS is the in-process queue here).
    const webhookQueue: LocalQueue = localQueue((message) => deliverWebhook(message, { queue: webhookQueue }));
    stops.push(async () => webhookQueue.stop());
    const poller: StreamPoller | null = await startStreamPoller({
      endpoint: dynamoEndpoint,
      tableName: tables.APPLICATIONS_TABLE,
      // Fresh tables: every change; kept data: only the changes from now on (the old ones were notified before).
      from: freshData ? 'TRIM_HORIZON' : 'LATEST',
      handle: async (records) => (await notifyStatusChanges(records as StreamRecord[], { queue: webhookQueue })).failed,
    });
    if (poller) stops.push(() => poller.stop());
    else console.error('[local-webhooks] the applications table has no stream (a data dir from before webhooks): no webhook is sent');

    // Event functions (EventBridge rules in AWS): the engine's execution status changes that match the rule,
    // delivered asynchronously to the real handler module; an error is logged (AWS: retries, then the DLQ).
    const eventFunctions: { name: string; rule: EventRuleSpec; handler: (event: unknown, context: unknown) => Promise<unknown> }[] = [];
    const deliver = async (event: ExecutionStatusChangeEvent): Promise<void> => {
      for (const fn of eventFunctions) {
        if (!matchesRule(fn.rule, event)) continue;
        try {
          await fn.handler(event, fakeLambdaContext(fn.name, { region: LOCAL_REGION, accountId: LOCAL_ACCOUNT }));
        } catch (error) {
          console.error(`[local-events] ${fn.name} failed for ${event.detail.executionArn} (${event.detail.status}):`, (error as Error)?.message ?? error);
        }
      }
    };
    const { engine, sfn } = await stage(
      'Step Functions engine',
      async () => {
        const engine = new LocalStepFunctions({
          region: LOCAL_REGION,
          accountId: LOCAL_ACCOUNT,
          retryIntervalMs: options.retryIntervalMs,
        });
        const sfn = await startSfnServer(engine, { port: 0 });
        stops.push(() => sfn.stop());
        for (const [name, spec] of Object.entries(eventFunctionSpecs)) {
          const mod = (await import(pathToFileURL(path.join(repoRoot, spec.entry)).href)) as {
            handler: (event: unknown, context: unknown) => Promise<unknown>;
          };
          eventFunctions.push({ name, rule: spec.rule, handler: mod.handler });
        }
        const unsubscribe = engine.onExecutionEnded((event) => deliver(event));
        stops.push(async () => void unsubscribe());
        return { engine, sfn };
      },
      ({ engine, sfn }) => ({ url: sfn.url, note: `${engine.listStateMachines().length} workflows` }),
    );

    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SFN: sfn.url,
      POPULATION_REGISTRY_URL: registry.url,
      ...options.env,
    });
    resetStepFunctionsClient();

    // Kept data: the executions that were running died with the last process's engine; their applications end
    // by the "no application without an outcome" rule (ABORTED delivered to ExecutionEnded).
    const interrupted = freshData
      ? undefined
      : await stage(
          'interrupted executions',
          () =>
            endInterruptedExecutions(
              (arn) => {
                try {
                  engine.describeExecution(arn);
                  return true;
                } catch {
                  return false;
                }
              },
              deliver,
              systemNow(),
            ),
          (s) => ({ note: s.ended.length === 0 ? 'none' : `${s.ended.length} ended FAILED (WORKFLOW_STOPPED)` }),
        );

    const consoleDir = options.buildConsole
      ? await stage('console build', options.buildConsole, (dir) => ({ note: path.relative(repoRoot, dir) || dir }))
      : options.consoleDir;

    const api = await stage(
      'API',
      async () => {
        const a = await startApiServer({
          port: options.apiPort ?? 0,
          devIdentities: devIdentities(),
          staticDir: consoleDir,
          ...(options.onApiRequest
            ? { logger: { info: (_message: string, data?: Record<string, unknown>) => options.onApiRequest!(data as never) } }
            : {}),
        });
        stops.push(() => a.stop());
        return a;
      },
      (a) => ({ url: a.url }),
    );

    // Scheduled functions (EventBridge rules in AWS) run on timers, at the catalog's rate or `scheduleEveryMs`.
    const scheduleEveryMs = options.scheduleEveryMs;
    if (scheduleEveryMs !== 0) {
      for (const [name, spec] of Object.entries(scheduledFunctionSpecs)) {
        const mod = (await import(pathToFileURL(path.join(repoRoot, spec.entry)).href)) as {
          handler: (event: unknown, context: unknown) => Promise<unknown>;
        };
        const timer = setInterval(() => {
          const context = fakeLambdaContext(name, { region: LOCAL_REGION, accountId: LOCAL_ACCOUNT });
          mod.handler({ source: 'local.schedule', 'detail-type': 'Scheduled Event', resources: [name] }, context).catch(() => undefined);
        }, scheduleEveryMs ?? spec.rateMinutes * 60_000);
        timer.unref();
        stops.push(async () => clearInterval(timer));
      }
    }

    return {
      apiUrl: api.url,
      registryUrl: registry.url,
      sfnUrl: sfn.url,
      dynamoEndpoint,
      seed,
      engine,
      tables,
      freshData,
      interrupted,
      setRegistryFaults: (faults) => registry.setFaults(faults as never),
      stateMachineArn: (name) => localStateMachineArn(name),
      eventsDelivered: () => engine.eventsDelivered(),
      webhooksDelivered: async () => {
        await poller?.caughtUp();
        await webhookQueue.idle();
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
