/**
 * Each locally simulated invocation has its own logging context, as each Lambda invocation has in AWS: with many
 * requests (and workflow steps) in flight in the one local process, every log line carries the ids of the
 * invocation that wrote it — requestId/path (httpApi), applicationId (stepHandler) and the invocation's own
 * Lambda context (function_request_id, function_name) — never another's.
 *
 * Concurrency is forced, not hoped for: every handler waits at a barrier until all of them have started (and
 * appended their keys), and only then logs.
 */
import '../../local/stepFunctions/polyfills';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { startApiServer, type ApiServer } from '../../local/apiServer';
import { devIdentities } from '../../local/devIdentities';
import { fakeLambdaContext, LocalStepFunctions } from '../../local/stepFunctions/localStepFunctions';
import { httpApi, pathParam } from '../../functions/shared/http';
import { invocationHandler, logger } from '../../functions/shared/logger';
import { stepHandler } from '../../functions/shared/steps';
import type { RouteSpec } from '../../functions/catalog';

const CONCURRENT = 24;

/** Resolves for everyone once `n` callers have arrived. */
function barrier(n: number): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  return () => {
    arrived += 1;
    if (arrived === n) release();
    return all;
  };
}

type Line = Record<string, unknown> & { message: string; marker?: string };

/**
 * The logger's output, whichever console Powertools writes to (its own on process.stdout/stderr, or the global
 * console with POWERTOOLS_DEV): every JSON line with a `marker`.
 */
function captureLogLines(): { lines: Line[]; stop: () => void } {
  const lines: Line[] = [];
  const take = (chunk: unknown) => {
    for (const text of String(chunk).split(/\n(?=\{)/)) {
      try {
        const parsed = JSON.parse(text) as Line;
        if (parsed && typeof parsed === 'object' && 'marker' in parsed) lines.push(parsed);
      } catch {
        // not a log line of ours
      }
    }
  };
  const spies = [
    ...(['stdout', 'stderr'] as const).map((s) => {
      const stream = process[s];
      const write = stream.write.bind(stream);
      return vi.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
        take(chunk);
        return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write);
    }),
    ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((level) => {
      // eslint-disable-next-line no-console
      const original = console[level].bind(console);
      return vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        take(args[0]);
        original(...args);
      });
    }),
  ];
  return { lines, stop: () => spies.forEach((s) => s.mockRestore()) };
}

let api: ApiServer;
let arrive = barrier(CONCURRENT);
/** The Lambda context each request's invocation got from the local API server, by API Gateway requestId. */
const contextOf = new Map<string, Context>();

const probeStep = stepHandler(
  'ProbeStep',
  z.object({ applicationId: z.string(), marker: z.string(), wait: z.boolean() }),
  async ({ marker, wait }) => {
    if (wait) await arrive();
    logger.warn('step working', { marker });
    await new Promise((resolve) => setImmediate(resolve));
    logger.warn('step still working', { marker });
    return { marker };
  },
  () => ({}),
);

const echo = httpApi([
  {
    method: 'GET',
    path: '/v1/probe/{marker}',
    handler: async (event) => {
      const marker = pathParam(event, 'marker');
      await arrive();
      logger.warn('request working', { marker });
      await new Promise((resolve) => setImmediate(resolve));
      logger.warn('request still working', { marker });
      return { statusCode: 200, body: { marker, requestId: event.requestContext.requestId } };
    },
  },
  {
    // A request that runs a step in-process (as the local engine does when a request starts an execution).
    method: 'GET',
    path: '/v1/nested/{marker}',
    handler: async (event) => {
      const marker = pathParam(event, 'marker');
      logger.warn('outer before', { marker });
      const stepContext = fakeLambdaContext('ProbeStepFn');
      await probeStep({ applicationId: `APP-${marker}`, marker: `${marker}-step`, wait: false }, stepContext);
      logger.warn('outer after', { marker });
      return { statusCode: 200, body: { requestId: event.requestContext.requestId, stepRequestId: stepContext.awsRequestId } };
    },
  },
]);

const testRoutes: RouteSpec[] = [
  { method: 'GET', path: '/v1/probe/{marker}', fn: 'ReviewItemsApi', auth: 'paymentGateway' },
  { method: 'GET', path: '/v1/nested/{marker}', fn: 'ReviewItemsApi', auth: 'paymentGateway' },
];

beforeAll(async () => {
  api = await startApiServer({
    port: 0,
    routes: testRoutes,
    devIdentities: devIdentities(),
    loadHandler: async () => (event: APIGatewayProxyEvent, context: Context) => {
      contextOf.set(event.requestContext.requestId, context);
      return echo(event, context);
    },
  });
});

afterAll(async () => {
  await api?.stop();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a logging context per invocation', () => {
  it(`${CONCURRENT} concurrent API requests: each line carries its own requestId, path and Lambda context`, async () => {
    arrive = barrier(CONCURRENT);
    const capture = captureLogLines();
    const markers = Array.from({ length: CONCURRENT }, (_, i) => `m${String(i).padStart(2, '0')}`);
    const answers = await Promise.all(
      markers.map(async (marker) => {
        const res = await fetch(`${api.url}/v1/probe/${marker}`);
        expect(res.status).toBe(200);
        return (await res.json()) as { marker: string; requestId: string };
      }),
    );
    logger.warn('after the requests', { marker: 'outside' });
    capture.stop();

    const requestIds = new Set(answers.map((a) => a.requestId));
    expect(requestIds.size).toBe(CONCURRENT);
    for (const { marker, requestId } of answers) {
      const context = contextOf.get(requestId)!;
      expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
      const lines = capture.lines.filter((l) => l.marker === marker);
      expect(lines.map((l) => l.message).sort()).toEqual(['request still working', 'request working']);
      for (const line of lines) {
        expect(line).toMatchObject({
          requestId,
          path: '/v1/probe/{marker}',
          function_request_id: context.awsRequestId,
          function_name: 'ReviewItemsApi',
          level: 'WARN',
        });
      }
    }
    const awsRequestIds = new Set(answers.map((a) => contextOf.get(a.requestId)!.awsRequestId));
    expect(awsRequestIds.size).toBe(CONCURRENT);

    // Outside any invocation: none of the requests' keys stayed behind.
    const outside = capture.lines.filter((l) => l.marker === 'outside');
    expect(outside).toHaveLength(1);
    expect(outside[0]).not.toHaveProperty('requestId');
    expect(outside[0]).not.toHaveProperty('path');
    expect(outside[0]).not.toHaveProperty('function_request_id');
  });

  it(`${CONCURRENT} concurrent step invocations (as the local engine invokes them): each line carries its own applicationId and Lambda context`, async () => {
    arrive = barrier(CONCURRENT);
    const capture = captureLogLines();
    const runs = Array.from({ length: CONCURRENT }, (_, i) => ({
      applicationId: `HR-${1000 + i}`,
      marker: `s${i}`,
      context: fakeLambdaContext('ProbeStepFn'),
    }));
    const outputs = await Promise.all(runs.map((r) => probeStep({ applicationId: r.applicationId, marker: r.marker, wait: true }, r.context)));
    capture.stop();

    expect(outputs.map((o) => o.marker)).toEqual(runs.map((r) => r.marker));
    for (const run of runs) {
      const lines = capture.lines.filter((l) => l.marker === run.marker);
      expect(lines.map((l) => l.message).sort()).toEqual(['step still working', 'step working']);
      for (const line of lines) {
        expect(line).toMatchObject({ applicationId: run.applicationId, function_request_id: run.context.awsRequestId, function_name: 'ProbeStepFn' });
        expect(line).not.toHaveProperty('requestId');
      }
    }
  });

  it(`${CONCURRENT} concurrent executions in the local Step Functions engine: each step's lines carry its applicationId and the context the engine gave it`, async () => {
    arrive = barrier(CONCURRENT);
    const engineContexts = new Map<string, string>();
    const engine = new LocalStepFunctions({
      workflows: [
        {
          name: 'ProbeFlow',
          definition: { StartAt: 'Probe', States: { Probe: { Type: 'Task', Resource: '${ProbeStepFnFunctionArn}', End: true } } },
        },
      ],
      handlers: {
        ProbeStepFn: async (payload: { applicationId: string }, context: Context) => {
          engineContexts.set(payload.applicationId, context.awsRequestId);
          return probeStep(payload, context);
        },
      },
      logger: {},
    });
    const capture = captureLogLines();
    const ids = Array.from({ length: CONCURRENT }, (_, i) => `LS-${2000 + i}`);
    const arns = ids.map(
      (applicationId) =>
        engine.startExecution({
          stateMachineArn: engine.stateMachineArn('ProbeFlow'),
          name: applicationId,
          input: JSON.stringify({ applicationId, marker: `e-${applicationId}`, wait: true }),
        }).executionArn,
    );
    const results = await Promise.all(arns.map((a) => engine.waitForExecution(a, 60_000)));
    capture.stop();
    expect(results.map((r) => r.status)).toEqual(ids.map(() => 'SUCCEEDED'));
    expect(new Set(engineContexts.values()).size).toBe(CONCURRENT);
    for (const applicationId of ids) {
      const lines = capture.lines.filter((l) => l.marker === `e-${applicationId}`);
      expect(lines).toHaveLength(2);
      for (const line of lines) {
        expect(line).toMatchObject({ applicationId, function_request_id: engineContexts.get(applicationId), function_name: 'ProbeStepFn' });
      }
    }
  });

  it('a step run in-process during a request has its own context; the request keeps its own around it', async () => {
    const capture = captureLogLines();
    const answers = await Promise.all(
      ['n1', 'n2', 'n3'].map(async (marker) => {
        const res = await fetch(`${api.url}/v1/nested/${marker}`);
        expect(res.status).toBe(200);
        return { marker, ...((await res.json()) as { requestId: string; stepRequestId: string }) };
      }),
    );
    capture.stop();
    for (const { marker, requestId, stepRequestId } of answers) {
      const outer = capture.lines.filter((l) => l.marker === marker);
      expect(outer.map((l) => l.message)).toEqual(['outer before', 'outer after']);
      for (const line of outer) {
        expect(line).toMatchObject({ requestId, function_request_id: contextOf.get(requestId)!.awsRequestId });
        expect(line).not.toHaveProperty('applicationId');
      }
      const inner = capture.lines.filter((l) => l.marker === `${marker}-step`);
      expect(inner).toHaveLength(2);
      for (const line of inner) {
        expect(line).toMatchObject({ applicationId: `APP-${marker}`, function_request_id: stepRequestId, function_name: 'ProbeStepFn' });
        expect(line).not.toHaveProperty('requestId');
      }
    }
  });

  it('scheduled handlers (invocationHandler) log with their own Lambda context, concurrently too', async () => {
    arrive = barrier(CONCURRENT);
    const scheduled = invocationHandler(async (event?: { marker: string }) => {
      await arrive();
      logger.appendKeys({ run: event!.marker });
      await new Promise((resolve) => setImmediate(resolve));
      logger.warn('scheduled run', { marker: event!.marker });
      return event!.marker;
    });
    const capture = captureLogLines();
    const runs = Array.from({ length: CONCURRENT }, (_, i) => ({ marker: `t${i}`, context: fakeLambdaContext('ResumeSweeper') }));
    await Promise.all(runs.map((r) => scheduled({ marker: r.marker }, r.context)));
    capture.stop();
    for (const run of runs) {
      const lines = capture.lines.filter((l) => l.marker === run.marker);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ run: run.marker, function_request_id: run.context.awsRequestId, function_name: 'ResumeSweeper' });
    }
  });
});
