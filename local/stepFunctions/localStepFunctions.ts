/**
 * Local Step Functions: runs the real ASL files of `workflowSpecs` with aws-local-stepfunctions, every Task
 * state bound to the real Lambda handler module of the catalog (no "if local" branch in any handler).
 *
 * What the engine does not do, this class emulates:
 * - `lambda:invoke.waitForTaskToken`: a fresh unguessable task token per attempt, handed to the function in its
 *   Payload (where the ASL puts `$$.Task.Token`); the Task then waits for SendTaskSuccess / SendTaskFailure.
 *   Tokens of tasks that timed out, failed or whose execution ended are closed (TaskTimedOut afterwards), a
 *   token already answered is InvalidToken, an unknown one TaskDoesNotExist — the names AWS uses.
 * - `states:startExecution.sync:2` (and `.sync`, and the fire-and-forget form): child executions of the
 *   machines loaded here, awaited like AWS does.
 * - `lambda:invoke` (no wait): `{ Payload, StatusCode: 200 }`.
 * - `TimeoutSecondsPath`: the engine evaluates it against the effective input (after Parameters) instead of the
 *   state input; the definition is rewritten so it reads the value AWS would read (see `rewriteTimeouts`).
 * - The engine's default Task timeout is 60 s (AWS has none for Standard workflows): Tasks without a timeout
 *   get the longest one a Node timer can hold (~24.8 days), and longer timeouts are clamped to it.
 * - Executions by name (idempotent StartExecution), describe/list/stop/history, like the Step Functions API;
 *   `sfnServer.ts` serves that API over HTTP for the AWS SDK.
 * - EventBridge's "Step Functions Execution Status Change" events: every execution that ends (SUCCEEDED too,
 *   children too) is emitted once to the `onExecutionEnded` subscribers, in the EventBridge envelope AWS uses,
 *   asynchronously (never inside the engine's own call stack); a subscriber's error is logged, never thrown.
 *
 * Task tokens are never logged.
 */
import { LIVE_ALIAS, parseStateMachineArn } from '../../functions/shared/stateMachineArns';
import './polyfills';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context as LambdaContext } from 'aws-lambda';
import {
  StateMachine,
  ExecutionError,
  ExecutionAbortedError,
  ExecutionTimeoutError,
  type StateMachineDefinition,
  type RunOptions,
} from 'aws-local-stepfunctions';
import { stepFunctionSpecs, workflowSpecs, type WorkflowType } from '../../functions/catalog';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LambdaHandler = (event: any, context: LambdaContext) => unknown;

export type EngineEvent = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: Date;
  stopDate?: Date;
  /** The execution that started this one through a `states:startExecution` Task, if any. */
  parentExecutionArn?: string;
  /** How many times it was redriven (RedriveExecution), and when last. */
  redriveCount?: number;
  redriveDate?: Date;
}

/** The EventBridge event AWS emits when an execution's status changes (here: when it ends). */
export interface ExecutionStatusChangeEvent {
  version: '0';
  id: string;
  'detail-type': 'Step Functions Execution Status Change';
  source: 'aws.states';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: {
    executionArn: string;
    stateMachineArn: string;
    name: string;
    status: ExecutionStatus;
    startDate: number;
    stopDate: number | null;
    input: string | null;
    inputDetails: { included: boolean };
    output: string | null;
    outputDetails: { included: boolean } | null;
    error: string | null;
    cause: string | null;
  };
}

export type ExecutionEndedListener = (event: ExecutionStatusChangeEvent) => unknown;

export type ExecutionListItem = Pick<
  ExecutionDescription,
  'executionArn' | 'stateMachineArn' | 'name' | 'status' | 'startDate' | 'stopDate'
>;

export interface LocalStepFunctionsLogger {
  debug?: (message: string, data?: Record<string, unknown>) => void;
  info?: (message: string, data?: Record<string, unknown>) => void;
  warn?: (message: string, data?: Record<string, unknown>) => void;
  error?: (message: string, data?: Record<string, unknown>) => void;
}

export interface LocalWorkflow {
  name: string;
  /** STANDARD (default) or EXPRESS: an Express definition may only use request-response Tasks, as in AWS. */
  type?: WorkflowType;
  /** ASL (JSONPath) as an object; `${Placeholder}`s are substituted like the catalog's. */
  definition: object;
}

export interface LocalStepFunctionsOptions {
  region?: string;
  accountId?: string;
  /** Loads a handler from a catalog entry path (default: dynamic import of `<repoRoot>/<entry>`, export `handler`). */
  loadHandler?: (entry: string) => Promise<LambdaHandler>;
  /** Overrides every Retry interval (ms), e.g. 5 in tests. Default: the real intervals of the ASL. */
  retryIntervalMs?: number;
  logger?: LocalStepFunctionsLogger;
  /** Replaces the catalog's workflows (tests). `${<Name>StateMachineArn}` refers to one of them. */
  workflows?: LocalWorkflow[];
  /**
   * Extra or replacement functions by name (tests): a handler, or an entry path for `loadHandler`.
   * `${<Name>FunctionArn}` refers to one of them. Catalog step functions stay available unless replaced.
   */
  handlers?: Record<string, LambdaHandler | string>;
  /** Repository root for the default `loadHandler`. */
  repoRoot?: string;
}

/** An error with the name AWS Step Functions uses (TaskDoesNotExist, TaskTimedOut, InvalidToken, …). */
export class SfnError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** Longest delay a Node timer holds (2^31-1 ms); longer ones fire at once. */
const MAX_TIMEOUT_SECONDS = Math.floor(0x7fffffff / 1000);
const TOKEN_PLACEHOLDER = '__LOCAL_TASK_TOKEN__';
const TIMEOUT_FIELD = '__localTimeoutSeconds';
const INPUT_FIELD = '__localInput';
const MAX_CLOSED_TOKENS = 50_000;
const MAX_FINISHED_EXECUTIONS = 10_000;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type AnyState = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

type TaskKind = 'lambda' | 'lambdaWait' | 'lambdaInvoke' | 'startSync2' | 'startSync' | 'start';

interface TaskBinding {
  stateName: string;
  kind: TaskKind;
  /** For `lambda`: the function name from the Resource ARN. */
  functionName?: string;
  /** Seconds when static; undefined when read from the effective input (TIMEOUT_FIELD). */
  timeoutSeconds?: number;
  /** Parameters were absent: the effective input is wrapped in INPUT_FIELD. */
  wrappedInput: boolean;
}

interface LoadedWorkflow {
  name: string;
  arn: string;
  machine: StateMachine;
  /** The definition with its placeholders resolved (a redrive runs it from the failed state). */
  definition: { StartAt: string; States: Record<string, AnyState> };
  bindings: Map<string, TaskBinding>;
  retryableStates: string[];
  type: WorkflowType;
}

type TokenStatus = 'PENDING' | 'COMPLETED' | 'TIMED_OUT' | 'CLOSED';

interface PendingTask {
  executionArn: string;
  stateName: string;
  resolve: (value: Json) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

interface StateWaiter {
  stateName: string;
  count: number;
  resolve: (value: StateReached) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export interface StateReached {
  /** The execution that entered the state (the one waited on or a child it started). */
  executionArn: string;
  stateName: string;
  input: unknown;
}

interface ExecutionRecord {
  description: ExecutionDescription;
  workflow: LoadedWorkflow;
  abort?: () => void;
  history: EngineEvent[];
  parent?: ExecutionRecord;
  /** Children awaited by a `.sync` Task: stopped when this execution stops or fails (like AWS). */
  children: Set<ExecutionRecord>;
  tokens: Set<string>;
  /** States entered by this execution or its children, with how often. */
  entered: Map<string, number>;
  lastEntered: Map<string, StateReached>;
  stateWaiters: StateWaiter[];
  done: Promise<void>;
  markDone: () => void;
}

/** The top-level state an ended execution failed in, with the input it received (the last one entered and not left). */
function failedStateOf(history: EngineEvent[]): { name: string; input: Json } | null {
  const open = new Map<string, Json>();
  let last: { name: string; input: Json } | null = null;
  for (const event of history as { type: string; state?: { name: string; input?: unknown } }[]) {
    if (!event.state) continue;
    if (event.type === 'StateEntered') {
      const entered = { name: event.state.name, input: toJson(event.state.input) };
      open.set(entered.name, entered.input);
      last = entered;
    } else if (event.type === 'StateExited') {
      open.delete(event.state.name);
      if (last?.name === event.state.name) last = null;
    }
  }
  if (last) return last;
  const names = [...open.keys()];
  return names.length ? { name: names.at(-1)!, input: open.get(names.at(-1)!)! } : null;
}

function jsonClone<T>(value: T): T {
  return value === undefined ? (null as T) : (JSON.parse(JSON.stringify(value)) as T);
}

function toJson(value: unknown): Json {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as Json);
}

/** Copies name and message only: that is all Step Functions sees of a Lambda error. */
function asTaskError(error: unknown): Error {
  if (error instanceof Error) return new SfnError(error.name || 'Error', error.message);
  return new SfnError('Error', typeof error === 'string' ? error : JSON.stringify(error ?? null));
}

/** An error the engine must neither retry nor catch: the execution was stopped or ended. */
function terminalError(message: string): Error {
  return Object.assign(new SfnError('States.Runtime', message), { isRetryable: false, isCatchable: false });
}

function walkStates(states: Record<string, AnyState>, visit: (name: string, state: AnyState) => void): void {
  for (const [name, state] of Object.entries(states)) {
    visit(name, state);
    if (state.Type === 'Map') {
      const processor = state.ItemProcessor ?? state.Iterator;
      if (processor?.States) walkStates(processor.States, visit);
    }
    if (state.Type === 'Parallel') {
      for (const branch of state.Branches ?? []) if (branch?.States) walkStates(branch.States, visit);
    }
  }
}

function functionNameOf(arnOrName: string): string {
  const match = /^arn:aws[\w-]*:lambda:[^:]*:[^:]*:function:([^:]+)(?::[^:]+)?$/.exec(arnOrName);
  return match ? match[1] : arnOrName;
}

function classifyResource(resource: string): { kind: TaskKind; functionName?: string } {
  if (/^arn:aws[\w-]*:lambda:[^:]*:[^:]*:function:[^:]+(?::[^:]+)?$/.test(resource)) {
    return { kind: 'lambda', functionName: functionNameOf(resource) };
  }
  switch (resource.replace(/^arn:aws[\w-]*:/, 'arn:aws:')) {
    case 'arn:aws:states:::lambda:invoke.waitForTaskToken':
      return { kind: 'lambdaWait' };
    case 'arn:aws:states:::lambda:invoke':
      return { kind: 'lambdaInvoke' };
    case 'arn:aws:states:::states:startExecution.sync:2':
      return { kind: 'startSync2' };
    case 'arn:aws:states:::states:startExecution.sync':
      return { kind: 'startSync' };
    case 'arn:aws:states:::states:startExecution':
      return { kind: 'start' };
    default:
      throw new Error(`Task resource not emulated by the local Step Functions: ${resource}`);
  }
}

/** Replaces every string equal to the token placeholder; returns whether one was found. */
function replaceTokenPlaceholder(value: Json, token: string): { value: Json; found: boolean } {
  let found = false;
  const walk = (v: Json): Json => {
    if (v === TOKEN_PLACEHOLDER) {
      found = true;
      return token;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return { value: walk(value), found };
}

/** A Lambda context good enough for handlers (remaining time, request id, function name). */
export function fakeLambdaContext(
  functionName: string,
  options: { region?: string; accountId?: string; timeoutSeconds?: number; memoryMb?: number } = {},
): LambdaContext {
  const region = options.region ?? 'ap-southeast-1';
  const accountId = options.accountId ?? '000000000000';
  const deadline = Date.now() + (options.timeoutSeconds ?? 30) * 1000;
  const requestId = randomUUID();
  const today = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${functionName}`,
    memoryLimitInMB: String(options.memoryMb ?? 256),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${today}/[$LATEST]${requestId.replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

const VALID_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;

export class LocalStepFunctions {
  readonly region: string;
  readonly accountId: string;
  private readonly logger: LocalStepFunctionsLogger;
  private readonly loadHandlerFn: (entry: string) => Promise<LambdaHandler>;
  private readonly retryIntervalMs?: number;
  private readonly handlerOverrides: Record<string, LambdaHandler | string>;
  private readonly handlerCache = new Map<string, Promise<LambdaHandler>>();
  private readonly workflows = new Map<string, LoadedWorkflow>();
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly pending = new Map<string, PendingTask>();
  private readonly closedTokens = new Map<string, Exclude<TokenStatus, 'PENDING'>>();
  private readonly endedListeners = new Set<ExecutionEndedListener>();
  private readonly deliveries = new Set<Promise<void>>();

  constructor(options: LocalStepFunctionsOptions = {}) {
    this.region = options.region ?? 'ap-southeast-1';
    this.accountId = options.accountId ?? '000000000000';
    this.logger = options.logger ?? {
      warn: (m, d) => console.warn(`[local-sfn] ${m}`, d ?? ''),
      error: (m, d) => console.error(`[local-sfn] ${m}`, d ?? ''),
    };
    this.retryIntervalMs = options.retryIntervalMs;
    this.handlerOverrides = options.handlers ?? {};
    const root = options.repoRoot ?? repoRoot;
    this.loadHandlerFn =
      options.loadHandler ??
      (async (entry: string) => {
        const mod = (await import(pathToFileURL(path.resolve(root, entry)).href)) as { handler?: LambdaHandler };
        if (typeof mod.handler !== 'function') throw new Error(`${entry} does not export a handler function`);
        return mod.handler;
      });

    const sources: LocalWorkflow[] =
      options.workflows ??
      Object.entries(workflowSpecs).map(([name, spec]) => ({
        name,
        type: spec.type,
        definition: JSON.parse(readFileSync(path.resolve(root, spec.file), 'utf8')) as object,
      }));

    const placeholders = new Map<string, string>();
    for (const [name, spec] of Object.entries(stepFunctionSpecs)) {
      placeholders.set(spec.placeholder, this.functionArn(name));
      placeholders.set(`${name}FunctionArn`, this.functionArn(name));
    }
    for (const name of Object.keys(this.handlerOverrides)) placeholders.set(`${name}FunctionArn`, this.functionArn(name));
    for (const [name, spec] of Object.entries(workflowSpecs)) placeholders.set(spec.placeholder, this.stateMachineArn(name));
    for (const wf of sources) placeholders.set(`${wf.name}StateMachineArn`, this.stateMachineArn(wf.name));

    for (const wf of sources) this.loadWorkflow(wf, placeholders);
  }

  /** STANDARD or EXPRESS, as the machine was loaded (undefined: no such machine). */
  stateMachineType(stateMachineArn: string): WorkflowType | undefined {
    return this.workflows.get(stateMachineArn)?.type;
  }

  functionArn(name: string): string {
    return `arn:aws:lambda:${this.region}:${this.accountId}:function:${name}`;
  }

  stateMachineArn(name: string): string {
    return `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${name}`;
  }

  /**
   * Subscribes to the status change event of every execution that ends (any status). Delivery is asynchronous,
   * like EventBridge; a listener that throws or rejects is logged. Returns the unsubscribe function.
   */
  onExecutionEnded(listener: ExecutionEndedListener): () => void {
    this.endedListeners.add(listener);
    return () => this.endedListeners.delete(listener);
  }

  /** Resolves when every event emitted so far has been delivered (its listeners settled). */
  async eventsDelivered(): Promise<void> {
    while (this.deliveries.size > 0) await Promise.allSettled([...this.deliveries]);
  }

  private emitEnded(d: ExecutionDescription): void {
    if (this.endedListeners.size === 0) return;
    const event: ExecutionStatusChangeEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account: this.accountId,
      time: (d.stopDate ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.region,
      resources: [d.executionArn],
      detail: {
        executionArn: d.executionArn,
        stateMachineArn: d.stateMachineArn,
        name: d.name,
        status: d.status,
        startDate: d.startDate.getTime(),
        stopDate: d.stopDate?.getTime() ?? null,
        input: d.input,
        inputDetails: { included: true },
        output: d.output ?? null,
        outputDetails: d.output !== undefined ? { included: true } : null,
        error: d.error ?? null,
        cause: d.cause ?? null,
      },
    };
    for (const listener of this.endedListeners) {
      const delivery: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => listener(jsonClone(event)))
        .then(
          () => undefined,
          (error: unknown) =>
            this.logger.error?.('Execution status change subscriber failed', {
              executionArn: d.executionArn,
              status: d.status,
              error: (error as Error)?.name ?? String(error),
              message: (error as Error)?.message,
            }),
        )
        .finally(() => this.deliveries.delete(delivery));
      this.deliveries.add(delivery);
    }
  }

  /** The state machines loaded (name and ARN). */
  listStateMachines(): { name: string; stateMachineArn: string }[] {
    return [...this.workflows.values()].map((w) => ({ name: w.name, stateMachineArn: w.arn }));
  }

  private loadWorkflow(source: LocalWorkflow, placeholders: Map<string, string>): void {
    const text = JSON.stringify(source.definition).replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, key: string) => {
      const value = placeholders.get(key);
      if (value === undefined) throw new Error(`Workflow ${source.name}: unknown placeholder ${whole}`);
      return value;
    });
    const definition = JSON.parse(text) as { StartAt: string; States: Record<string, AnyState> };
    const bindings = new Map<string, TaskBinding>();
    const retryableStates: string[] = [];
    const resources = new Map<string, string>();

    walkStates(definition.States, (stateName, state) => {
      if (Array.isArray(state.Retry) && state.Retry.length > 0) retryableStates.push(stateName);
      if (state.Type !== 'Task') return;
      const resource = String(state.Resource);
      const previous = resources.get(stateName);
      if (previous !== undefined && previous !== resource) {
        throw new Error(
          `Workflow ${source.name}: two Task states named ${stateName} with different resources (the engine binds by name)`,
        );
      }
      resources.set(stateName, resource);
      const { kind, functionName } = classifyResource(resource);
      if (source.type === 'EXPRESS' && kind !== 'lambda' && kind !== 'lambdaInvoke' && kind !== 'start') {
        // AWS refuses such a definition when the Express machine is created (only request-response integrations).
        throw new Error(`Workflow ${source.name} (EXPRESS): Task ${stateName} uses ${resource}, which Express workflows do not support`);
      }
      const binding: TaskBinding = { stateName, kind, functionName, wrappedInput: false };
      this.rewriteTimeouts(state, binding);
      bindings.set(stateName, binding);
    });

    const name = source.name;
    const machine = new StateMachine(definition as unknown as StateMachineDefinition, {
      validationOptions: { checkArn: true, checkPaths: true },
    });
    this.workflows.set(this.stateMachineArn(name), {
      name, arn: this.stateMachineArn(name), machine, definition, bindings, retryableStates, type: source.type ?? 'STANDARD',
    });
  }

  /**
   * AWS reads TimeoutSecondsPath from the state input; the engine reads it from the effective input (after
   * Parameters). The path's value is copied into the effective input (TIMEOUT_FIELD) and the path pointed at it;
   * the handler strips the field again. Static timeouts are clamped to what a Node timer holds; Tasks without a
   * timeout get the maximum instead of the engine's 60 s default.
   */
  private rewriteTimeouts(state: AnyState, binding: TaskBinding): void {
    if (typeof state.TimeoutSecondsPath === 'string') {
      const original = state.TimeoutSecondsPath;
      if (state.Parameters === undefined) {
        state.Parameters = { [`${INPUT_FIELD}.$`]: '$', [`${TIMEOUT_FIELD}.$`]: original };
        binding.wrappedInput = true;
      } else if (state.Parameters && typeof state.Parameters === 'object' && !Array.isArray(state.Parameters)) {
        state.Parameters = { ...state.Parameters, [`${TIMEOUT_FIELD}.$`]: original };
      } else {
        return; // a non-object Parameters: leave the engine's behaviour
      }
      state.TimeoutSecondsPath = `$.${TIMEOUT_FIELD}`;
      return;
    }
    const seconds = typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : MAX_TIMEOUT_SECONDS;
    state.TimeoutSeconds = Math.min(seconds, MAX_TIMEOUT_SECONDS);
    binding.timeoutSeconds = state.TimeoutSeconds;
  }

  // ---------------------------------------------------------------- executions

  /** Starts an execution. The same name with the same input while it runs returns it (like AWS). */
  startExecution(params: { stateMachineArn: string; name?: string; input?: string }): { executionArn: string; startDate: Date } {
    const record = this.start(params);
    return { executionArn: record.description.executionArn, startDate: record.description.startDate };
  }

  private start(
    params: { stateMachineArn: string; name?: string; input?: string },
    parent?: ExecutionRecord,
    awaitedByParent = false,
  ): ExecutionRecord {
    if (typeof params.stateMachineArn !== 'string' || !params.stateMachineArn.startsWith('arn:')) {
      throw new SfnError('InvalidArn', `Invalid Arn: '${String(params.stateMachineArn)}'`);
    }
    // The local engine holds one version of each machine, the files it loaded: its `live` alias and version 1
    // are that version (functions/shared/stateMachineArns.ts).
    const parsed = parseStateMachineArn(params.stateMachineArn);
    if (parsed?.qualifier !== undefined && parsed.qualifier !== LIVE_ALIAS && parsed.qualifier !== '1') {
      throw new SfnError('ResourceNotFound', `State Machine Alias or Version Does Not Exist: '${params.stateMachineArn}'`);
    }
    const workflow = this.workflows.get(parsed?.unqualified ?? params.stateMachineArn);
    if (!workflow) throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${params.stateMachineArn}'`);
    const name = params.name ?? randomUUID();
    if (!VALID_NAME.test(name)) throw new SfnError('InvalidName', `Invalid Name: '${name}'`);
    const inputText = params.input ?? '{}';
    let input: Json;
    try {
      input = JSON.parse(inputText) as Json;
    } catch {
      throw new SfnError('InvalidExecutionInput', 'Invalid State Machine Execution Input: the input is not valid JSON');
    }
    const executionArn = `arn:aws:states:${this.region}:${this.accountId}:execution:${workflow.name}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (existing.description.status === 'RUNNING' && existing.description.input === inputText) return existing;
      throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }

    let markDone!: () => void;
    const done = new Promise<void>((resolve) => (markDone = resolve));
    const startDate = new Date();
    const record: ExecutionRecord = {
      description: {
        executionArn,
        stateMachineArn: workflow.arn,
        name,
        status: 'RUNNING',
        input: inputText,
        startDate,
        parentExecutionArn: parent?.description.executionArn,
      },
      workflow,
      history: [],
      parent,
      children: new Set(),
      tokens: new Set(),
      entered: new Map(),
      lastEntered: new Map(),
      stateWaiters: [],
      done,
      markDone,
    };
    this.executions.set(executionArn, record);
    if (awaitedByParent) parent?.children.add(record);
    this.pruneFinished();

    this.launch(record, workflow.machine, input, 0);
    return record;
  }

  /** Runs `machine` (the workflow, or it from a failed state: a redrive) for `record`, and records how it ends. */
  private launch(record: ExecutionRecord, machine: StateMachine, input: Json, redriveCount: number): void {
    const { workflow } = record;
    const { executionArn, name } = record.description;
    const markDone = record.markDone;
    const retryIntervalOverrides =
      this.retryIntervalMs === undefined
        ? undefined
        : Object.fromEntries(workflow.retryableStates.map((s) => [s, this.retryIntervalMs as number]));
    const runOptions: RunOptions = {
      overrides: {
        taskResourceLocalHandlers: Object.fromEntries(
          [...workflow.bindings.values()].map((b) => [b.stateName, (effective: unknown) => this.runTask(record, b, effective)]),
        ) as NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers'],
        retryIntervalOverrides,
      },
      context: {
        Execution: {
          Id: executionArn,
          Name: name,
          RoleArn: `arn:aws:iam::${this.accountId}:role/local-step-functions`,
          RedriveCount: redriveCount,
        },
        StateMachine: { Id: workflow.arn, Name: workflow.name },
        Task: { Token: TOKEN_PLACEHOLDER },
      },
    };

    let run: ReturnType<StateMachine['run']>;
    try {
      run = machine.run(input as never, runOptions);
    } catch (error) {
      this.finish(record, 'FAILED', { error: 'States.Runtime', cause: (error as Error).message });
      markDone();
      return;
    }
    record.abort = run.abort;
    this.logger.info?.('Execution started', { executionArn });

    const eventsDrained = (async () => {
      for await (const event of run.eventLogs) this.onEvent(record, event);
    })().catch((error: unknown) => this.logger.warn?.('Event log failed', { executionArn, error: String(error) }));

    const settled = run.result.then(
      (output) => this.finish(record, 'SUCCEEDED', { output: JSON.stringify(output ?? null) }),
      (error: unknown) => {
        if (error instanceof ExecutionAbortedError) this.finish(record, 'ABORTED', {});
        else if (error instanceof ExecutionTimeoutError) {
          this.finish(record, 'TIMED_OUT', { error: 'States.Timeout', cause: 'The execution timed out (TimeoutSeconds)' });
        } else if (error instanceof ExecutionError) {
          const cause = (error as Error & { cause?: unknown }).cause;
          const inner = cause instanceof Error ? cause : asTaskError(cause);
          this.finish(record, 'FAILED', { error: inner.name, cause: inner.message });
        } else {
          const inner = asTaskError(error);
          this.finish(record, 'FAILED', { error: inner.name, cause: inner.message });
        }
      },
    );
    void Promise.allSettled([settled, eventsDrained]).then(() => {
      this.rejectStateWaiters(record);
      markDone();
    });
  }

  /**
   * RedriveExecution, as AWS does it for a Standard execution that ended FAILED, TIMED_OUT or ABORTED: the same
   * execution (same ARN) runs again from the state that failed, with the input that state received; the states
   * before it are not run again. RedriveCount goes up; the history goes on.
   */
  redriveExecution(executionArn: string): { redriveDate: Date } {
    const record = this.record(executionArn);
    const d = record.description;
    if (record.workflow.type === 'EXPRESS') throw new SfnError('ValidationException', 'Express executions cannot be redriven');
    if (!['FAILED', 'TIMED_OUT', 'ABORTED'].includes(d.status)) {
      throw new SfnError('ExecutionNotRedrivable', `Execution is ${d.status}: only FAILED, TIMED_OUT or ABORTED executions can be redriven`);
    }
    const from = failedStateOf(record.history);
    if (!from || !record.workflow.definition.States[from.name]) {
      throw new SfnError('ExecutionNotRedrivable', 'The execution has no failed state to redrive from');
    }
    // The definition was validated when it was loaded; started elsewhere, the states before `from` are unreachable,
    // which the validator would refuse.
    const machine = new StateMachine({ ...record.workflow.definition, StartAt: from.name } as unknown as StateMachineDefinition, {
      validationOptions: { noValidate: true },
    });
    let markDone!: () => void;
    record.done = new Promise<void>((resolve) => (markDone = resolve));
    record.markDone = markDone;
    const redriveDate = new Date();
    d.status = 'RUNNING';
    delete d.stopDate;
    delete d.error;
    delete d.cause;
    delete d.output;
    d.redriveCount = (d.redriveCount ?? 0) + 1;
    d.redriveDate = redriveDate;
    this.logger.info?.('Execution redriven', { executionArn, from: from.name, redriveCount: d.redriveCount });
    this.launch(record, machine, from.input, d.redriveCount);
    return { redriveDate };
  }

  private onEvent(record: ExecutionRecord, event: EngineEvent): void {
    record.history.push(event);
    if (event.type !== 'StateEntered') return;
    const reached: StateReached = { executionArn: record.description.executionArn, stateName: event.state.name, input: event.state.input };
    for (let r: ExecutionRecord | undefined = record; r; r = r.parent) {
      const count = (r.entered.get(reached.stateName) ?? 0) + 1;
      r.entered.set(reached.stateName, count);
      r.lastEntered.set(reached.stateName, reached);
      r.stateWaiters = r.stateWaiters.filter((w) => {
        if (w.stateName !== reached.stateName || count < w.count) return true;
        clearTimeout(w.timer);
        w.resolve(reached);
        return false;
      });
    }
  }

  private finish(record: ExecutionRecord, status: ExecutionStatus, result: { output?: string; error?: string; cause?: string }): void {
    const d = record.description;
    if (d.status === 'RUNNING') {
      d.status = status;
      d.stopDate = new Date();
      if (result.output !== undefined) d.output = result.output;
      if (result.error !== undefined) d.error = result.error;
      if (result.cause !== undefined) d.cause = result.cause;
      this.logger.info?.('Execution finished', { executionArn: d.executionArn, status: d.status, error: d.error });
      this.emitEnded(d);
    }
    // Tokens of a closed execution can no longer be answered (TaskTimedOut, like AWS).
    for (const token of record.tokens) this.closeToken(token, 'CLOSED', terminalError('The execution has ended'));
    record.tokens.clear();
    for (const child of record.children) {
      if (child.description.status === 'RUNNING') this.stop(child, { error: 'States.Aborted', cause: 'The parent execution ended' });
    }
    record.children.clear();
  }

  private rejectStateWaiters(record: ExecutionRecord): void {
    for (const w of record.stateWaiters) {
      clearTimeout(w.timer);
      w.reject(
        new Error(
          `Execution ${record.description.name} ended ${record.description.status} without entering ${w.stateName}` +
            (w.count > 1 ? ` ${w.count} times` : ''),
        ),
      );
    }
    record.stateWaiters = [];
  }

  private pruneFinished(): void {
    if (this.executions.size <= MAX_FINISHED_EXECUTIONS) return;
    for (const [arn, r] of this.executions) {
      if (this.executions.size <= MAX_FINISHED_EXECUTIONS) break;
      if (r.description.status !== 'RUNNING') this.executions.delete(arn);
    }
  }

  private record(executionArn: string): ExecutionRecord {
    if (typeof executionArn !== 'string' || !executionArn.startsWith('arn:')) {
      throw new SfnError('InvalidArn', `Invalid Arn: '${String(executionArn)}'`);
    }
    const record = this.executions.get(executionArn);
    if (!record) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return record;
  }

  describeExecution(executionArn: string): ExecutionDescription {
    const d = this.record(executionArn).description;
    return { ...d };
  }

  /** Stops a running execution (ABORTED); its pending tasks and running children stop too. */
  stopExecution(executionArn: string, options: { error?: string; cause?: string } = {}): { stopDate: Date } {
    const record = this.record(executionArn);
    this.stop(record, options);
    return { stopDate: record.description.stopDate ?? new Date() };
  }

  private stop(record: ExecutionRecord, options: { error?: string; cause?: string }): void {
    if (record.description.status !== 'RUNNING') return;
    this.finish(record, 'ABORTED', { error: options.error, cause: options.cause });
    record.abort?.();
  }

  listExecutions(stateMachineArn?: string, statusFilter?: ExecutionStatus): ExecutionListItem[] {
    if (stateMachineArn !== undefined && !this.workflows.has(stateMachineArn)) {
      throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    }
    return [...this.executions.values()]
      .map((r) => r.description)
      .filter((d) => (stateMachineArn === undefined || d.stateMachineArn === stateMachineArn) && (!statusFilter || d.status === statusFilter))
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime())
      .map(({ executionArn, stateMachineArn: sm, name, status, startDate, stopDate }) => ({
        executionArn,
        stateMachineArn: sm,
        name,
        status,
        startDate,
        ...(stopDate ? { stopDate } : {}),
      }));
  }

  /** The engine's event log of the execution (states entered/exited/failed/retried/caught, start and end). */
  getExecutionHistory(executionArn: string): EngineEvent[] {
    return [...this.record(executionArn).history];
  }

  /** Resolves with the description once the execution has ended (tests). */
  async waitForExecution(executionArn: string, timeoutMs = 30_000): Promise<ExecutionDescription> {
    const record = this.record(executionArn);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Execution ${record.description.name} still ${record.description.status} after ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([record.done, timeout]);
      return this.describeExecution(executionArn);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Resolves when the execution, or a child execution it started, has entered `stateName` (`count` times);
   * rejects when the execution ends first or after `timeoutMs`.
   */
  waitForState(
    executionArn: string,
    stateName: string,
    options: { timeoutMs?: number; count?: number } = {},
  ): Promise<StateReached> {
    const record = this.record(executionArn);
    const count = options.count ?? 1;
    if ((record.entered.get(stateName) ?? 0) >= count) return Promise.resolve(record.lastEntered.get(stateName)!);
    if (record.description.status !== 'RUNNING') {
      return Promise.reject(new Error(`Execution ${record.description.name} ended ${record.description.status} without entering ${stateName}`));
    }
    const timeoutMs = options.timeoutMs ?? 30_000;
    return new Promise<StateReached>((resolve, reject) => {
      const waiter: StateWaiter = {
        stateName,
        count,
        resolve,
        reject,
        timer: setTimeout(() => {
          record.stateWaiters = record.stateWaiters.filter((w) => w !== waiter);
          reject(new Error(`Execution ${record.description.name} did not enter ${stateName} within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      record.stateWaiters.push(waiter);
    });
  }

  /** Number of waitForTaskToken tasks waiting for SendTaskSuccess/Failure. */
  pendingTaskCount(): number {
    return this.pending.size;
  }

  // ---------------------------------------------------------------- task tokens

  sendTaskSuccess(taskToken: string, output: string): void {
    const task = this.pendingTask(taskToken);
    let value: Json;
    try {
      value = JSON.parse(output) as Json;
    } catch {
      throw new SfnError('InvalidOutput', 'Invalid Output: the output is not valid JSON');
    }
    this.closeToken(taskToken, 'COMPLETED');
    task.resolve(value);
  }

  sendTaskFailure(taskToken: string, error?: string, cause?: string): void {
    const task = this.pendingTask(taskToken);
    this.closeToken(taskToken, 'COMPLETED');
    task.reject(new SfnError(error ?? '', cause ?? ''));
  }

  sendTaskHeartbeat(taskToken: string): void {
    this.pendingTask(taskToken);
  }

  private pendingTask(taskToken: string): PendingTask {
    if (typeof taskToken !== 'string' || taskToken.length === 0 || taskToken.length > 1024) {
      throw new SfnError('InvalidToken', 'Invalid Token: the task token is malformed');
    }
    const task = this.pending.get(taskToken);
    if (task) return task;
    const closed = this.closedTokens.get(taskToken);
    if (closed === 'COMPLETED') throw new SfnError('InvalidToken', 'Invalid Token: the task has already been completed');
    if (closed) throw new SfnError('TaskTimedOut', 'Task Timed Out: the task has timed out or its execution has ended');
    throw new SfnError('TaskDoesNotExist', 'Task Does Not Exist: no task with this token');
  }

  /** Moves a pending token to a closed status; optionally rejects its waiting Task. */
  private closeToken(token: string, status: Exclude<TokenStatus, 'PENDING'>, rejectWith?: Error): void {
    const task = this.pending.get(token);
    if (!task) return;
    this.pending.delete(token);
    if (task.timer) clearTimeout(task.timer);
    this.executions.get(task.executionArn)?.tokens.delete(token);
    this.closedTokens.set(token, status);
    if (this.closedTokens.size > MAX_CLOSED_TOKENS) {
      const oldest = this.closedTokens.keys().next().value;
      if (oldest !== undefined) this.closedTokens.delete(oldest);
    }
    if (rejectWith) task.reject(rejectWith);
  }

  // ---------------------------------------------------------------- task handlers

  /**
   * The engine calls this for a Task state with its effective input. Synchronous part first: the engine reads
   * the TimeoutSecondsPath value from the same object right after this returns, so it is clamped here.
   */
  private runTask(record: ExecutionRecord, binding: TaskBinding, effective: unknown): Promise<Json> {
    let input = effective as Json;
    let timeoutSeconds = binding.timeoutSeconds;
    if (input && typeof input === 'object' && !Array.isArray(input) && TIMEOUT_FIELD in input) {
      const obj = input as Record<string, Json>;
      const raw = obj[TIMEOUT_FIELD];
      if (typeof raw === 'number' && raw > MAX_TIMEOUT_SECONDS) obj[TIMEOUT_FIELD] = MAX_TIMEOUT_SECONDS;
      timeoutSeconds = typeof obj[TIMEOUT_FIELD] === 'number' ? (obj[TIMEOUT_FIELD] as number) : undefined;
      const { [TIMEOUT_FIELD]: _timeout, ...rest } = obj;
      input = binding.wrappedInput ? (rest[INPUT_FIELD] ?? null) : rest;
    }
    if (record.description.status !== 'RUNNING') {
      return Promise.reject(terminalError(`Execution ${record.description.status}: task ${binding.stateName} not run`));
    }
    switch (binding.kind) {
      case 'lambda':
        return this.invokeFunction(binding.functionName!, input);
      case 'lambdaInvoke': {
        const { FunctionName, Payload } = (input ?? {}) as { FunctionName?: string; Payload?: Json };
        return this.invokeFunction(functionNameOf(String(FunctionName)), Payload ?? null).then((result) => ({
          ExecutedVersion: '$LATEST',
          Payload: result,
          StatusCode: 200,
        }));
      }
      case 'lambdaWait':
        return this.runWaitForTaskToken(record, binding, input, timeoutSeconds);
      case 'startSync2':
      case 'startSync':
      case 'start':
        return this.runChildExecution(record, binding, input);
    }
  }

  private async runWaitForTaskToken(
    record: ExecutionRecord,
    binding: TaskBinding,
    input: Json,
    timeoutSeconds: number | undefined,
  ): Promise<Json> {
    const { FunctionName, Payload } = (input ?? {}) as { FunctionName?: string; Payload?: Json };
    const token = randomBytes(48).toString('base64url'); // 64 characters
    let payload: Json;
    const replaced = replaceTokenPlaceholder(Payload ?? {}, token);
    payload = replaced.value;
    if (!replaced.found && payload && typeof payload === 'object' && !Array.isArray(payload)) {
      payload = { ...payload, taskToken: token };
    }

    let resolve!: (value: Json) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<Json>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const task: PendingTask = { executionArn: record.description.executionArn, stateName: binding.stateName, resolve, reject };
    // Same delay as the engine's timer, set just before it: once the Task has timed out the token is dead.
    if (timeoutSeconds !== undefined) {
      task.timer = setTimeout(() => this.closeToken(token, 'TIMED_OUT'), timeoutSeconds * 1000);
      task.timer.unref?.();
    }
    this.pending.set(token, task);
    record.tokens.add(token);

    try {
      await this.invokeFunction(functionNameOf(String(FunctionName)), payload);
    } catch (error) {
      this.closeToken(token, 'CLOSED');
      throw error;
    }
    return promise;
  }

  private async runChildExecution(record: ExecutionRecord, binding: TaskBinding, input: Json): Promise<Json> {
    const params = (input ?? {}) as { StateMachineArn?: string; Input?: Json; Name?: string };
    const childInput = typeof params.Input === 'string' ? params.Input : JSON.stringify(params.Input ?? {});
    let child: ExecutionRecord;
    try {
      child = this.start(
        { stateMachineArn: String(params.StateMachineArn), name: params.Name, input: childInput },
        record,
        binding.kind !== 'start',
      );
    } catch (error) {
      const name = (error as Error).name;
      throw new SfnError(`StepFunctions.${name.endsWith('Exception') ? name : `${name}Exception`}`, (error as Error).message);
    }
    const d = child.description;
    if (binding.kind === 'start') {
      return { ExecutionArn: d.executionArn, StartDate: d.startDate.getTime() };
    }
    await child.done;
    const v2 = binding.kind === 'startSync2';
    const parse = (text: string | undefined): Json => (text === undefined ? null : (JSON.parse(text) as Json));
    if (d.status !== 'SUCCEEDED') {
      throw new SfnError(
        'States.TaskFailed',
        JSON.stringify({
          ExecutionArn: d.executionArn,
          StateMachineArn: d.stateMachineArn,
          Name: d.name,
          Status: d.status,
          Error: d.error ?? null,
          Cause: d.cause ?? null,
          StartDate: d.startDate.getTime(),
          StopDate: d.stopDate?.getTime() ?? null,
        }),
      );
    }
    return {
      ExecutionArn: d.executionArn,
      StateMachineArn: d.stateMachineArn,
      Name: d.name,
      Status: 'SUCCEEDED',
      Input: v2 ? parse(d.input) : d.input,
      InputDetails: { Included: true },
      Output: v2 ? parse(d.output) : (d.output ?? null),
      OutputDetails: { Included: true },
      StartDate: d.startDate.getTime(),
      StopDate: d.stopDate?.getTime() ?? Date.now(),
    };
  }

  private resolveHandler(functionName: string): Promise<LambdaHandler> {
    const cached = this.handlerCache.get(functionName);
    if (cached) return cached;
    const override = this.handlerOverrides[functionName];
    let loading: Promise<LambdaHandler>;
    if (typeof override === 'function') loading = Promise.resolve(override);
    else {
      const entry = override ?? (stepFunctionSpecs as Record<string, { entry: string } | undefined>)[functionName]?.entry;
      if (!entry) {
        return Promise.reject(new SfnError('Lambda.ResourceNotFoundException', `Function not found: ${this.functionArn(functionName)}`));
      }
      loading = this.loadHandlerFn(entry);
    }
    const guarded = loading.catch((error: unknown) => {
      this.handlerCache.delete(functionName);
      this.logger.error?.('Cannot load the function handler', { functionName, error: String(error) });
      throw new SfnError('Lambda.Unknown', `Cannot load the handler of ${functionName}: ${(error as Error)?.message ?? String(error)}`);
    });
    this.handlerCache.set(functionName, guarded);
    return guarded;
  }

  /** Invokes a function like Lambda would: JSON in, JSON out, an error's name and message to Step Functions. */
  private async invokeFunction(functionName: string, payload: Json): Promise<Json> {
    const handler = await this.resolveHandler(functionName);
    const spec = (stepFunctionSpecs as Record<string, { timeoutSeconds?: number; memoryMb?: number } | undefined>)[functionName];
    const context = fakeLambdaContext(functionName, {
      region: this.region,
      accountId: this.accountId,
      timeoutSeconds: spec?.timeoutSeconds ?? 30,
      memoryMb: spec?.memoryMb,
    });
    try {
      return toJson(await handler(jsonClone(payload), context));
    } catch (error) {
      const taskError = asTaskError(error);
      this.logger.debug?.('Function failed', { functionName, error: taskError.name });
      throw taskError;
    }
  }
}
