/**
 * GET /v1/health over the local system (the catalog's public route, the real handler functions/api/health.ts):
 * 200 ok when every part is up; 503 naming the part when a table or Step Functions is down; 200 degraded when
 * only the population registry is down. A part is taken down by pointing its env var elsewhere (the handler
 * reads the same env vars in every invocation, as in AWS). The body never names a host, a table or an error.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type { LocalSystem } from '../../local/runtime';
import { freePort } from '../../local/dynamoLocal';
import { handler } from '../../functions/api/health';
import { routes } from '../../functions/catalog';
import { startTestSystem } from '../support/localSystem';

const PARTS = ['applicationsTable', 'reviewItemsTable', 'insuranceRecordsTable', 'paymentsTable', 'stepFunctions', 'populationRegistry'];
const allUp = Object.fromEntries(PARTS.map((p) => [p, 'up']));

let system: LocalSystem;
const saved: Record<string, string | undefined> = {};

/** Points an env var elsewhere for one test (restored after it). */
function setEnv(name: string, value: string): void {
  if (!(name in saved)) saved[name] = process.env[name];
  process.env[name] = value;
}

async function health(headers: Record<string, string> = {}) {
  const res = await fetch(`${system.apiUrl}/v1/health`, { headers });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text), headers: res.headers };
}

beforeAll(async () => {
  // The checks' bound is generous: a part is down because it is, never because a loaded machine was slow.
  system = await startTestSystem({ env: { HEALTH_CHECK_TIMEOUT_MS: '20000' } });
}, 90_000);
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
    delete saved[name];
  }
});
afterAll(async () => {
  await system?.stop();
});

describe('GET /v1/health', () => {
  it('is a public catalog route (no credentials)', () => {
    expect(routes.filter((r) => r.path === '/v1/health')).toEqual([{ method: 'GET', path: '/v1/health', fn: 'HealthApi', auth: 'public' }]);
  });

  it('answers 200 ok with every part up, without any credentials', async () => {
    const res = await health();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', parts: allUp });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('answers the same with a token nobody knows (credentials are not looked at)', async () => {
    const res = await health({ authorization: 'Bearer not-a-token' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
  });

  it('answers 503 naming the table that is missing, and nothing about it beyond its part name', async () => {
    setEnv('REVIEW_ITEMS_TABLE', 'bhxh-missing-review-items-table');
    const res = await health();
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      status: 'down',
      code: 'SERVICE_UNAVAILABLE',
      message: { vi: expect.any(String), en: expect.any(String) },
      parts: { ...allUp, reviewItemsTable: 'down' },
    });
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.text).not.toContain('bhxh-missing');
    expect(res.text).not.toContain('127.0.0.1');
    expect(res.text).not.toMatch(/ResourceNotFound|exception/i);
  });

  it('answers 503 stepFunctions down when a workflow of the stack is unknown to the Step Functions endpoint', async () => {
    setEnv('LUMP_SUM_WITHDRAWAL_STATE_MACHINE_ARN', system.stateMachineArn('LumpSumWithdrawal').replace(/LumpSumWithdrawal$/, 'Gone'));
    const res = await health();
    expect(res.status).toBe(503);
    expect(res.body.parts).toEqual({ ...allUp, stepFunctions: 'down' });
    expect(res.text).not.toContain('Gone');
  });

  it('answers 503 when the Step Functions endpoint does not answer at all', async () => {
    setEnv('AWS_ENDPOINT_URL_SFN', `http://127.0.0.1:${await freePort()}`);
    const { resetStepFunctionsClient } = await import('../../functions/adapters/stepFunctions');
    resetStepFunctionsClient();
    try {
      const res = await health();
      expect(res.status).toBe(503);
      expect(res.body.parts).toEqual({ ...allUp, stepFunctions: 'down' });
    } finally {
      process.env.AWS_ENDPOINT_URL_SFN = saved.AWS_ENDPOINT_URL_SFN;
      resetStepFunctionsClient();
    }
  });

  it('answers 200 degraded, naming the registry, when only the population registry is down (BHXH keeps taking applications)', async () => {
    setEnv('POPULATION_REGISTRY_URL', `http://127.0.0.1:${await freePort()}`);
    const res = await health();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'degraded', parts: { ...allUp, populationRegistry: 'down' } });
    expect(res.text).not.toContain('127.0.0.1');
  });

  it('answers 503 (not degraded) when a table is down as well as the registry', async () => {
    setEnv('POPULATION_REGISTRY_URL', `http://127.0.0.1:${await freePort()}`);
    setEnv('PAYMENTS_TABLE', 'bhxh-missing-payments');
    const res = await health();
    expect(res.status).toBe(503);
    expect(res.body.parts).toEqual({ ...allUp, populationRegistry: 'down', paymentsTable: 'down' });
  });

  it('handler level: a table env var that is not set at all is that table down', async () => {
    setEnv('APPLICATIONS_TABLE', '');
    const event = {
      httpMethod: 'GET',
      path: '/v1/health',
      resource: '/v1/health',
      headers: {},
      multiValueHeaders: {},
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
      requestContext: { requestId: 'health-test', resourcePath: '/v1/health', httpMethod: 'GET', path: '/v1/health' },
    } as unknown as APIGatewayProxyEvent;
    const res = await handler(event, {} as Context);
    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body).parts).toEqual({ ...allUp, applicationsTable: 'down' });
  });
});
