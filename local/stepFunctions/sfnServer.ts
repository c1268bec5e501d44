/**
 * The Step Functions API (AWS JSON 1.0 protocol) in front of the local engine, so the handlers' SFNClient
 * reaches it through AWS_ENDPOINT_URL_SFN exactly as it reaches AWS:
 *   POST /  X-Amz-Target: AWSStepFunctions.<Operation>  Content-Type: application/x-amz-json-1.0
 * Operations: StartExecution, SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat, DescribeExecution,
 * StopExecution, RedriveExecution, ListExecutions, GetExecutionHistory (minimal), ListStateMachines, DescribeStateMachine
 * (no definition).
 * Errors are HTTP 400 with `{ "__type": "com.amazonaws.swf.service.v2.model#<Name>", "message" }` as AWS
 * answers, so the SDK raises the modelled exception (`error.name === 'TaskDoesNotExist'`, …). Dates are epoch
 * seconds. Requests are not authenticated (local only; it listens on 127.0.0.1). Task tokens are never logged.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { EngineEvent, ExecutionDescription, ExecutionStatus, LocalStepFunctions } from './localStepFunctions';

export interface SfnServer {
  url: string;
  port: number;
  stop: () => Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const ERROR_NAMESPACE = 'com.amazonaws.swf.service.v2.model';

/** Errors the Step Functions API answers with a 400 and its name as `__type`. */
const CLIENT_ERRORS = new Set([
  'ExecutionAlreadyExists',
  'ExecutionDoesNotExist',
  'ExecutionLimitExceeded',
  'ExecutionNotRedrivable',
  'InvalidArn',
  'InvalidExecutionInput',
  'InvalidName',
  'InvalidOutput',
  'InvalidToken',
  'StateMachineDoesNotExist',
  'TaskDoesNotExist',
  'TaskTimedOut',
  'ValidationException',
  'UnknownOperationException',
  'SerializationException',
]);

class ApiError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

type Body = Record<string, unknown>;

function seconds(date: Date | undefined): number | undefined {
  return date === undefined ? undefined : date.getTime() / 1000;
}

function requiredString(body: Body, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw new ApiError('ValidationException', `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

function optionalString(body: Body, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ApiError('SerializationException', `${field} must be a string`);
  return value;
}

function page<T>(items: T[], body: Body): { items: T[]; nextToken?: string } {
  const max = typeof body.maxResults === 'number' && body.maxResults > 0 ? Math.min(body.maxResults, 1000) : 1000;
  const start = typeof body.nextToken === 'string' ? Number.parseInt(body.nextToken, 10) || 0 : 0;
  const slice = items.slice(start, start + max);
  return { items: slice, ...(start + max < items.length ? { nextToken: String(start + max) } : {}) };
}

function describe(d: ExecutionDescription): Body {
  return {
    executionArn: d.executionArn,
    stateMachineArn: d.stateMachineArn,
    name: d.name,
    status: d.status,
    startDate: seconds(d.startDate),
    stopDate: seconds(d.stopDate),
    input: d.input,
    inputDetails: { included: true },
    ...(d.output !== undefined ? { output: d.output, outputDetails: { included: true } } : {}),
    error: d.error,
    cause: d.cause,
    redriveCount: d.redriveCount ?? 0,
    ...(d.redriveDate ? { redriveDate: seconds(d.redriveDate) } : {}),
  };
}

const stateTypePrefix: Record<string, string> = {
  Task: 'Task',
  Pass: 'Pass',
  Choice: 'Choice',
  Wait: 'Wait',
  Succeed: 'Succeed',
  Fail: 'Fail',
  Map: 'Map',
  Parallel: 'Parallel',
};

/** The engine's events in the shape of GetExecutionHistory (the event types AWS has; retries and catches are dropped). */
export function historyEvents(events: EngineEvent[], includeExecutionData = true): Body[] {
  const out: Body[] = [];
  const data = (value: unknown) => (includeExecutionData ? JSON.stringify(value ?? null) : undefined);
  for (const event of events) {
    const base: Body = { timestamp: event.timestamp / 1000, id: out.length + 1, previousEventId: out.length };
    switch (event.type) {
      case 'ExecutionStarted':
        out.push({ ...base, type: 'ExecutionStarted', executionStartedEventDetails: { input: data(event.input), inputDetails: { truncated: false } } });
        break;
      case 'ExecutionSucceeded':
        out.push({ ...base, type: 'ExecutionSucceeded', executionSucceededEventDetails: { output: data(event.output), outputDetails: { truncated: false } } });
        break;
      case 'ExecutionFailed':
        out.push({ ...base, type: 'ExecutionFailed', executionFailedEventDetails: { error: event.Error, cause: String(event.Cause ?? '') } });
        break;
      case 'ExecutionAborted':
        out.push({ ...base, type: 'ExecutionAborted', executionAbortedEventDetails: {} });
        break;
      case 'ExecutionTimeout':
        out.push({ ...base, type: 'ExecutionTimedOut', executionTimedOutEventDetails: { error: 'States.Timeout' } });
        break;
      case 'StateEntered':
        out.push({
          ...base,
          type: `${stateTypePrefix[event.state.type] ?? 'Task'}StateEntered`,
          stateEnteredEventDetails: { name: event.state.name, input: data(event.state.input), inputDetails: { truncated: false } },
        });
        break;
      case 'StateExited':
        out.push({
          ...base,
          type: `${stateTypePrefix[event.state.type] ?? 'Task'}StateExited`,
          stateExitedEventDetails: { name: event.state.name, output: data(event.state.output), outputDetails: { truncated: false } },
        });
        break;
      case 'StateFailed':
        if (event.state.type === 'Task') {
          out.push({
            ...base,
            type: 'TaskFailed',
            taskFailedEventDetails: { resourceType: 'local', resource: event.state.name, error: event.Error, cause: String(event.Cause ?? '') },
          });
        }
        break;
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
        out.push({
          ...base,
          type: event.type,
          [`${event.type[0].toLowerCase()}${event.type.slice(1)}EventDetails`]: { name: event.parentState.name, index: event.index },
        });
        break;
      default:
        break;
    }
  }
  return out;
}

function operations(engine: LocalStepFunctions): Record<string, (body: Body) => Body> {
  return {
    StartExecution: (body) => {
      const result = engine.startExecution({
        stateMachineArn: requiredString(body, 'stateMachineArn'),
        name: optionalString(body, 'name'),
        input: optionalString(body, 'input'),
      });
      return { executionArn: result.executionArn, startDate: seconds(result.startDate) };
    },
    SendTaskSuccess: (body) => {
      engine.sendTaskSuccess(requiredString(body, 'taskToken'), requiredString(body, 'output'));
      return {};
    },
    SendTaskFailure: (body) => {
      engine.sendTaskFailure(requiredString(body, 'taskToken'), optionalString(body, 'error'), optionalString(body, 'cause'));
      return {};
    },
    SendTaskHeartbeat: (body) => {
      engine.sendTaskHeartbeat(requiredString(body, 'taskToken'));
      return {};
    },
    DescribeExecution: (body) => describe(engine.describeExecution(requiredString(body, 'executionArn'))),
    StopExecution: (body) => {
      const { stopDate } = engine.stopExecution(requiredString(body, 'executionArn'), {
        error: optionalString(body, 'error'),
        cause: optionalString(body, 'cause'),
      });
      return { stopDate: seconds(stopDate) };
    },
    RedriveExecution: (body) => {
      const { redriveDate } = engine.redriveExecution(requiredString(body, 'executionArn'));
      return { redriveDate: seconds(redriveDate) };
    },
    ListExecutions: (body) => {
      const list = engine.listExecutions(optionalString(body, 'stateMachineArn'), optionalString(body, 'statusFilter') as ExecutionStatus | undefined);
      const { items, nextToken } = page(list, body);
      return {
        executions: items.map((e) => ({ ...e, startDate: seconds(e.startDate), stopDate: seconds(e.stopDate) })),
        ...(nextToken ? { nextToken } : {}),
      };
    },
    GetExecutionHistory: (body) => {
      let events = historyEvents(engine.getExecutionHistory(requiredString(body, 'executionArn')), body.includeExecutionData !== false);
      if (body.reverseOrder === true) events = events.reverse();
      const { items, nextToken } = page(events, body);
      return { events: items, ...(nextToken ? { nextToken } : {}) };
    },
    DescribeStateMachine: (body) => {
      const arn = requiredString(body, 'stateMachineArn');
      const machine = engine.listStateMachines().find((m) => m.stateMachineArn === arn);
      if (!machine) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
      return { stateMachineArn: machine.stateMachineArn, name: machine.name, status: 'ACTIVE', type: 'STANDARD', creationDate: 0 };
    },
    ListStateMachines: () => ({
      stateMachines: engine.listStateMachines().map((m) => ({
        stateMachineArn: m.stateMachineArn,
        name: m.name,
        type: 'STANDARD',
        creationDate: 0,
      })),
    }),
  };
}

function send(res: ServerResponse, status: number, body: Body): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, name: string, message: string): void {
  send(res, status, { __type: `${ERROR_NAMESPACE}#${name}`, message });
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startSfnServer(engine: LocalStepFunctions, options: { port?: number; host?: string } = {}): Promise<SfnServer> {
  const ops = operations(engine);
  const server = createServer((req, res) => {
    void (async () => {
      try {
        if (req.method !== 'POST') {
          sendError(res, 400, 'UnknownOperationException', 'Only POST / with X-Amz-Target is supported');
          return;
        }
        const target = String(req.headers['x-amz-target'] ?? '');
        const [service, operation] = target.split('.');
        const op = service === 'AWSStepFunctions' ? ops[operation ?? ''] : undefined;
        if (!op) {
          req.resume();
          sendError(res, 400, 'UnknownOperationException', `Unknown operation ${target || '(no X-Amz-Target)'}`);
          return;
        }
        const text = await readBody(req);
        if (text === null) {
          res.setHeader('connection', 'close');
          sendError(res, 413, 'ValidationException', 'Request body larger than 1 MB');
          req.resume();
          return;
        }
        let body: Body;
        try {
          const parsed = text === '' ? {} : (JSON.parse(text) as unknown);
          if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
          body = parsed as Body;
        } catch {
          sendError(res, 400, 'SerializationException', 'The request body is not a JSON object');
          return;
        }
        send(res, 200, op(body));
      } catch (error) {
        const name = (error as Error)?.name ?? 'Error';
        if (CLIENT_ERRORS.has(name)) sendError(res, 400, name, (error as Error).message);
        else sendError(res, 500, 'InternalFailure', 'Internal error of the local Step Functions');
      }
    })();
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
