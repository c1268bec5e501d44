/**
 * The whole system on one machine: DynamoDB Local, the simulated population registry, the local Step
 * Functions engine (the real ASL files, Task states bound to the real handler modules) with its AWS-compatible
 * endpoint, and the local API server (API Gateway + authorizer emulation) in front of the real API handlers.
 * Used by `npm start` (local/start.ts) and by the end-to-end tests, so both exercise the same wiring.
 *
 * Handlers learn where things are only through environment variables, exactly as in AWS.
 */
import './stepFunctions/polyfills';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createTables, startDynamoLocal, LOCAL_AWS_ENV, type DynamoLocal } from './dynamoLocal';
import { startRegistrySimulator } from './registry/registrySimulator';
import { LocalStepFunctions, fakeLambdaContext, type ExecutionStatusChangeEvent } from './stepFunctions/localStepFunctions';
import { startSfnServer } from './stepFunctions/sfnServer';
import { startApiServer } from './apiServer';
import { devConsumerClientsEnv, devIdentities } from './devIdentities';
import { loadSeedFile, seedPopulation, type Seed } from './seed/seedFormat';
import { writeSeedToTables } from './seed/writeSeed';
import { eventFunctionSpecs, scheduledFunctionSpecs, workflowSpecs, type EventRuleSpec } from '../functions/catalog';
import { resetDynamoClient } from '../functions/adapters/dynamo';
import { resetStepFunctionsClient } from '../functions/adapters/stepFunctions';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEMO_SEED_FILE = path.join(repoRoot, 'local/seed/demo.json');
export const LOCAL_REGION = LOCAL_AWS_ENV.AWS_REGION;
export const LOCAL_ACCOUNT = '000000000000';
/** Shared secret of the simulated payment gateway (local only; in AWS it lives in Secrets Manager). */
export const LOCAL_PAYMENT_SECRET = 'local-payment-gateway-secret';

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
}

export interface LocalSystem {
  apiUrl: string;
  registryUrl: string;
  sfnUrl: string;
  dynamoEndpoint: string;
  seed: Seed;
  engine: LocalStepFunctions;
  tables: Record<string, string>;
  setRegistryFaults: (faults: Record<string, unknown>) => void;
  stateMachineArn: (name: keyof typeof workflowSpecs) => string;
  /** Resolves once every execution status change emitted so far has been delivered to the event functions. */
  eventsDelivered: () => Promise<void>;
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

/** Every workflow that API functions start gets its ARN in the env var the catalog names (as CDK does). */
function stateMachineArnEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(workflowSpecs)
      .filter(([, spec]) => 'arnEnv' in spec)
      .map(([name, spec]) => [(spec as { arnEnv: string }).arnEnv, localStateMachineArn(name)]),
  );
}

export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  const stops: (() => Promise<void>)[] = [];
  try {
    const seed = loadSeedFile(options.seedFile ?? DEMO_SEED_FILE);

    let dynamoLocal: DynamoLocal | undefined;
    const dynamoEndpoint = options.dynamoEndpoint ?? (dynamoLocal = await startDynamoLocal()).endpoint;
    if (dynamoLocal) stops.push(() => dynamoLocal!.stop());

    Object.assign(process.env, LOCAL_AWS_ENV, { AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint });
    const tables = await createTables(dynamoEndpoint, options.tablePrefix ?? `bhxh-${seed.provinceCode}`);

    const registry = await startRegistrySimulator({
      port: 0,
      population: seedPopulation(seed),
      faults: seed.registryFaults,
      timeoutHoldMs: options.registryTimeoutHoldMs,
    });
    stops.push(() => registry.stop());

    const engine = new LocalStepFunctions({
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT,
      retryIntervalMs: options.retryIntervalMs,
    });
    const sfn = await startSfnServer(engine, { port: 0 });
    stops.push(() => sfn.stop());

    const clockOffset = options.now ? new Date(options.now).getTime() - Date.now() : 0;
    if (options.now && Number.isNaN(clockOffset)) throw new Error(`--now is not a valid instant: ${options.now}`);

    Object.assign(process.env, {
      ...tables,
      AWS_ENDPOINT_URL_SFN: sfn.url,
      PROVINCE_CODE: seed.provinceCode,
      ...stateMachineArnEnv(),
      POPULATION_REGISTRY_URL: registry.url,
      POPULATION_REGISTRY_TIMEOUT_MS: '1500',
      POPULATION_REGISTRY_MAX_ATTEMPTS: '3',
      PAYMENT_WEBHOOK_SECRET: LOCAL_PAYMENT_SECRET,
      CONSUMER_CLIENTS: devConsumerClientsEnv(),
      CLOCK_OFFSET_MS: String(clockOffset),
      ...options.env,
    });
    resetDynamoClient();
    resetStepFunctionsClient();

    await writeSeedToTables(seed);

    // Event functions (EventBridge rules in AWS): the engine's execution status changes that match the rule,
    // delivered asynchronously to the real handler module; an error is logged (AWS: retries, then the DLQ).
    for (const [name, spec] of Object.entries(eventFunctionSpecs)) {
      const mod = (await import(pathToFileURL(path.join(repoRoot, spec.entry)).href)) as {
        handler: (event: unknown, context: unknown) => Promise<unknown>;
      };
      const unsubscribe = engine.onExecutionEnded(async (event) => {
        if (!matchesRule(spec.rule, event)) return;
        try {
          await mod.handler(event, fakeLambdaContext(name, { region: LOCAL_REGION, accountId: LOCAL_ACCOUNT }));
        } catch (error) {
          console.error(`[local-events] ${name} failed for ${event.detail.executionArn} (${event.detail.status}):`, (error as Error)?.message ?? error);
        }
      });
      stops.push(async () => void unsubscribe());
    }
    const api = await startApiServer({
      port: options.apiPort ?? 0,
      devIdentities: devIdentities(),
      staticDir: options.consoleDir,
    });
    stops.push(() => api.stop());

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
      setRegistryFaults: (faults) => registry.setFaults(faults as never),
      stateMachineArn: (name) => localStateMachineArn(name),
      eventsDelivered: () => engine.eventsDelivered(),
      stop: async () => {
        for (const stop of stops.reverse()) await stop().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw error;
  }
}
