/**
 * The local API server (API Gateway REST proxy + Cognito authorizer from dev tokens) with injected handlers.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { startApiServer, type ApiServer } from '../../local/apiServer';
import { claimsForToken, consumerClaimsForToken, devConsumerClientsEnv, devIdentities } from '../../local/devIdentities';
import { consumerPrincipal, httpApi, staffPrincipal } from '../../functions/shared/http';
import { ANY_SERVICE_SCOPE, apiFunctionSpecs, routes } from '../../functions/catalog';
import { provinces } from '../../functions/shared/provinces';

const seen: { entry: string; event: APIGatewayProxyEvent; remainingMs: number }[] = [];
let throwNext = false;

/** A fake handler module per entry: echoes what it received. The review-items one is built with the real http.ts stack. */
const reviewItems = httpApi([
  { method: 'GET', path: '/v1/review-items', handler: async (event) => ({ statusCode: 200, body: { principal: staffPrincipal(event) } }) },
]);

async function loadHandler(entry: string) {
  return async (event: APIGatewayProxyEvent, context: { getRemainingTimeInMillis(): number }) => {
    seen.push({ entry, event, remainingMs: context.getRemainingTimeInMillis() });
    if (throwNext) {
      throwNext = false;
      throw new Error('handler bug');
    }
    if (entry === apiFunctionSpecs.ReviewItemsApi.entry && event.resource === '/v1/review-items') {
      return reviewItems(event, context as never);
    }
    return {
      statusCode: 202,
      headers: { 'content-type': 'application/json; charset=utf-8', 'x-handler': entry },
      body: JSON.stringify({ ok: true }),
    };
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (res: Response): Promise<any> => res.json();

let api: ApiServer;
let staticDir: string;

beforeAll(async () => {
  staticDir = mkdtempSync(path.join(tmpdir(), 'console-'));
  mkdirSync(path.join(staticDir, 'assets'));
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Bảng điều khiển</title>');
  writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  api = await startApiServer({ port: 0, loadHandler, devIdentities: devIdentities(), staticDir });
});

afterAll(async () => {
  await api?.stop();
});

beforeEach(() => {
  seen.length = 0;
});

describe('local API server', () => {
  it('routes a consumer GET to the catalog function with path parameters, the access-token claims and an API Gateway proxy event', async () => {
    const res = await fetch(`${api.url}/v1/applications/APP-123?lang=vi&x=1&x=2`, {
      headers: { 'X-Trace': 'abc', Authorization: 'Bearer dev-consumer-portal' },
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-handler')).toBe(apiFunctionSpecs.ApplicationsApi.entry);
    expect(await json(res)).toEqual({ ok: true });
    const { entry, event, remainingMs } = seen[0];
    expect(entry).toBe(apiFunctionSpecs.ApplicationsApi.entry);
    expect(remainingMs).toBeGreaterThan(0);
    expect(event).toMatchObject({
      httpMethod: 'GET',
      path: '/v1/applications/APP-123',
      resource: '/v1/applications/{applicationId}',
      pathParameters: { applicationId: 'APP-123' },
      queryStringParameters: { lang: 'vi', x: '2' },
      multiValueQueryStringParameters: { lang: ['vi'], x: ['1', '2'] },
      body: null,
      isBase64Encoded: false,
      requestContext: {
        stage: 'local',
        resourcePath: '/v1/applications/{applicationId}',
        httpMethod: 'GET',
        authorizer: { claims: { client_id: 'dev-client-portal', token_use: 'access', scope: ANY_SERVICE_SCOPE.join(' ') } },
      },
    });
    expect(event.headers['X-Trace']).toBe('abc');
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.requestContext.identity.sourceIp).toBe('127.0.0.1');
  });

  it('passes the raw body through untouched, so an HMAC over it verifies', async () => {
    const raw = '{ "gatewayReference" : "PAY-1",\n  "amount": 1134000 }';
    const signature = createHmac('sha256', 'secret').update(raw).digest('hex');
    const res = await fetch(`${api.url}/v1/payment-callbacks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-payment-signature': `sha256=${signature}`, 'x-payment-timestamp': '1780000000' },
      body: raw,
    });
    expect(res.status).toBe(202);
    const { event } = seen[0];
    expect(event.body).toBe(raw);
    expect(createHmac('sha256', 'secret').update(event.body!).digest('hex')).toBe(signature);
    expect(event.headers['x-payment-timestamp'] ?? event.headers['X-Payment-Timestamp']).toBe('1780000000');
    expect(event.resource).toBe('/v1/payment-callbacks');
  });

  it('answers 401 on a staff route without a token or with an unknown one, before the handler', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-a-dev-token' }, { authorization: 'Basic dev-staff-79' }] as Record<string, string>[]) {
      const res = await fetch(`${api.url}/v1/review-items`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(await json(res)).toEqual({
        code: 'UNAUTHENTICATED',
        message: { vi: expect.any(String), en: expect.any(String) },
      });
    }
    expect(seen).toHaveLength(0);
  });

  it('answers 401 + www-authenticate on every consumer route without a consumer token (none, unknown, a staff token), before the handler', async () => {
    for (const route of routes.filter((r) => r.auth === 'consumer')) {
      const url = api.url + route.path.replace('{applicationId}', 'HR-0000000000');
      for (const headers of [{}, { authorization: 'Bearer not-a-dev-token' }, { authorization: 'Bearer dev-staff-79' }] as Record<string, string>[]) {
        const res = await fetch(url, { method: route.method, headers, body: route.method === 'POST' ? '{}' : undefined });
        expect(res.status, `${route.method} ${route.path} ${JSON.stringify(headers)}`).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
        expect(await json(res)).toEqual({ code: 'UNAUTHENTICATED', message: { vi: expect.any(String), en: expect.any(String) } });
      }
    }
    expect(seen).toHaveLength(0);
  });

  it('gives the handler the Cognito claims of dev-staff-79 (read by staffPrincipal)', async () => {
    const res = await fetch(`${api.url}/v1/review-items`, { headers: { Authorization: 'Bearer dev-staff-79' } });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.principal).toEqual({ staffId: 'staff.79.1', name: expect.any(String), provinceCode: '79', roles: ['staff'] });
    const claims = seen[0].event.requestContext.authorizer!.claims;
    expect(claims).toMatchObject({ 'cognito:username': 'staff.79.1', 'custom:province': '79', 'cognito:groups': 'staff' });
    expect(claims.sub).toMatch(/^[0-9a-f-]{36}$/);

    const sup = await fetch(`${api.url}/v1/review-items`, { headers: { Authorization: 'Bearer dev-supervisor-01' } });
    expect((await json(sup)).principal).toMatchObject({ staffId: 'staff.01.2', provinceCode: '01', roles: ['staff', 'supervisor'] });
  });

  it('answers 404 JSON for an unknown path or a method the route does not have', async () => {
    for (const [method, url] of [
      ['GET', '/v1/nope'],
      ['GET', '/v1/household-renewals'],
      ['POST', '/v1/applications/APP-1'],
    ]) {
      const res = await fetch(api.url + url, { method });
      expect(res.status, `${method} ${url}`).toBe(404);
      expect(await json(res)).toEqual({ code: 'ROUTE_NOT_FOUND', message: { vi: 'Không có đường dẫn này', en: 'No such route' } });
    }
    expect(seen).toHaveLength(0);
  });

  it('answers 413 JSON for a body over 1 MB', async () => {
    const res = await fetch(`${api.url}/v1/household-renewals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) }),
    });
    expect(res.status).toBe(413);
    expect((await json(res)).code).toBe('PAYLOAD_TOO_LARGE');
    expect(seen).toHaveLength(0);
  });

  it('answers 502 JSON when the handler throws (as API Gateway does for a failed Lambda)', async () => {
    throwNext = true;
    const res = await fetch(`${api.url}/v1/applications/APP-1`, { headers: { Authorization: 'Bearer dev-consumer-vssid' } });
    expect(res.status).toBe(502);
    expect((await json(res)).code).toBe('INTERNAL_ERROR');
  });

  it('lists the routes at GET /, answers CORS preflights, and serves the console', async () => {
    const index = await json((await fetch(`${api.url}/`)));
    expect(index.routes).toHaveLength(routes.length);
    expect(index.routes).toContainEqual({ method: 'GET', path: '/v1/review-items/{itemId}', auth: 'staff' });

    const pre = await fetch(`${api.url}/v1/review-items`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(pre.headers.get('access-control-allow-headers')).toBe('authorization,content-type');

    const html = await fetch(`${api.url}/console/`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await html.text()).toContain('Bảng điều khiển');
    const js = await fetch(`${api.url}/console/assets/app.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const spa = await fetch(`${api.url}/console/review/123`);
    expect(await spa.text()).toContain('<!doctype html>');
    expect((await fetch(`${api.url}/console/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${api.url}/console/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
  });
});

describe('dev identities', () => {
  it('has dev-staff-<code> and dev-supervisor-<code> for every province', () => {
    const ids = devIdentities();
    expect(ids).toHaveLength(provinces.length * 2);
    for (const p of provinces) {
      expect(claimsForToken(`dev-staff-${p.code}`)).toMatchObject({ 'custom:province': p.code, 'cognito:groups': 'staff', 'cognito:username': `staff.${p.code}.1` });
      expect(claimsForToken(`dev-supervisor-${p.code}`)).toMatchObject({ 'custom:province': p.code, 'cognito:groups': 'staff,supervisor' });
    }
    expect(new Set(ids.map((d) => d.staffId)).size).toBe(ids.length);
    expect(claimsForToken('dev-staff-00')).toBeNull();
    expect(claimsForToken(undefined)).toBeNull();
  });
});

describe('dev consumers', () => {
  it('dev-consumer-portal and dev-consumer-vssid are access tokens with every service scope, named by CONSUMER_CLIENTS', () => {
    const env = process.env.CONSUMER_CLIENTS;
    process.env.CONSUMER_CLIENTS = devConsumerClientsEnv();
    try {
      for (const [token, consumerId] of [['dev-consumer-portal', 'portal'], ['dev-consumer-vssid', 'vssid']]) {
        const claims = consumerClaimsForToken(token)!;
        expect(claims.token_use).toBe('access');
        const event = { requestContext: { authorizer: { claims } } } as never;
        expect(consumerPrincipal(event, ANY_SERVICE_SCOPE)).toMatchObject({ consumerId, scopes: ANY_SERVICE_SCOPE });
      }
    } finally {
      if (env === undefined) delete process.env.CONSUMER_CLIENTS;
      else process.env.CONSUMER_CLIENTS = env;
    }
    expect(consumerClaimsForToken('dev-staff-79')).toBeNull();
    expect(consumerClaimsForToken(undefined)).toBeNull();
    // A staff ID token is no consumer.
    expect(() => consumerPrincipal({ requestContext: { authorizer: { claims: claimsForToken('dev-staff-79') } } } as never, ANY_SERVICE_SCOPE)).toThrow(
      expect.objectContaining({ code: 'UNAUTHENTICATED', httpStatus: 401 }),
    );
  });
});
