/**
 * The local API server never answers 500 for a request's shape: prototype-named query keys, headers and path
 * parameters are plain data (down to the handlers' helpers of functions/shared/http.ts), repeated headers come
 * as API Gateway REST passes them, malformed targets and percent-encoding are 400, headers over Node's
 * `maxHeaderSize` are 431, unknown methods 404 — each in the error shape `{ code, message: { vi, en } }`.
 * Requests are written byte for byte on a socket (node:net), so nothing normalises them on the way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { z } from 'zod';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { startApiServer, type ApiServer } from '../../local/apiServer';
import { devIdentities } from '../../local/devIdentities';
import { header, httpApi, parseQuery, pathParam, staffPrincipal } from '../../functions/shared/http';
import type { RouteSpec } from '../../functions/catalog';

/** Names an attacker or an unlucky client can pick that are members of Object.prototype (or special to it). */
const PROTOTYPE_NAMES = [
  'constructor',
  '__proto__',
  'toString',
  'toLocaleString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  'prototype',
] as const;

const echoHandler = httpApi([
  {
    method: 'GET',
    path: '/v1/echo/{itemId}',
    handler: async (event) => ({
      statusCode: 200,
      body: {
        itemId: pathParam(event, 'itemId'),
        query: event.queryStringParameters,
        multiQuery: event.multiValueQueryStringParameters,
        headers: event.headers,
        multiHeaders: event.multiValueHeaders,
        probe: header(event, event.queryStringParameters?.probe ?? 'x-probe') ?? null,
      },
    }),
  },
  {
    method: 'GET',
    path: '/v1/strict',
    handler: async (event) => ({ statusCode: 200, body: parseQuery(z.object({ day: z.string().max(10).optional() }).strict(), event) }),
  },
  {
    method: 'GET',
    path: '/v1/loose',
    handler: async (event) => ({ statusCode: 200, body: parseQuery(z.object({ limit: z.coerce.number().int().optional() }), event) }),
  },
  {
    method: 'GET',
    path: '/v1/staff',
    handler: async (event) => ({ statusCode: 200, body: staffPrincipal(event) }),
  },
]);

const testRoutes: RouteSpec[] = [
  { method: 'GET', path: '/v1/echo/{itemId}', fn: 'ReviewItemsApi', auth: 'paymentGateway' },
  { method: 'GET', path: '/v1/strict', fn: 'ReviewItemsApi', auth: 'paymentGateway' },
  { method: 'GET', path: '/v1/loose', fn: 'ReviewItemsApi', auth: 'paymentGateway' },
  { method: 'GET', path: '/v1/staff', fn: 'ReviewItemsApi', auth: 'staff' },
];

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: () => any;
}

let api: ApiServer;

/** Writes `head` (request line + headers, CRLF-separated, without the blank line) and reads the whole answer. */
function raw(head: string, body = ''): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(api.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const all = Buffer.concat(chunks).toString('utf8');
      const split = all.indexOf('\r\n\r\n');
      if (split < 0) return reject(new Error(`no HTTP answer: ${JSON.stringify(all.slice(0, 200))}`));
      const [statusLine, ...lines] = all.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) headers[line.slice(0, line.indexOf(':')).toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
      const text = all.slice(split + 4);
      resolve({ status: Number(statusLine.split(' ')[1]), headers, text, json: () => JSON.parse(text) });
    });
    socket.end(`${head}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n${body}`);
  });
}

const get = (target: string, headerLines: string[] = []) => raw([`GET ${target} HTTP/1.1`, ...headerLines].join('\r\n'));

const errorShape = (code: string) => ({ code, message: { vi: expect.any(String), en: expect.any(String) } });

beforeAll(async () => {
  api = await startApiServer({
    port: 0,
    routes: testRoutes,
    devIdentities: devIdentities(),
    loadHandler: async () => (event: APIGatewayProxyEvent, context) => echoHandler(event, context),
  });
});

afterAll(async () => {
  await api?.stop();
});

describe('local API server: prototype-named keys are plain data', () => {
  for (const name of PROTOTYPE_NAMES) {
    it(`query key ${name}: last value and all values reach the handler; parseQuery strips or rejects it with a 400`, async () => {
      for (const key of [name, encodeURIComponent(name), name.replace(/^./, (c) => `%${c.charCodeAt(0).toString(16)}`)]) {
        const res = await get(`/v1/echo/item?${key}=1&${key}=2`);
        expect(res.status, key).toBe(200);
        const body = res.json();
        expect(Object.keys(body.query)).toEqual([name]);
        expect(body.query[name]).toBe('2');
        expect(body.multiQuery[name]).toEqual(['1', '2']);
      }
      const loose = await get(`/v1/loose?${name}=1&limit=5`);
      expect(loose.status).toBe(200);
      expect(loose.json()).toEqual({ limit: 5 });

      const strict = await get(`/v1/strict?${name}=1`);
      expect(strict.status).toBe(400);
      expect(strict.json()).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { issues: [{ code: 'unrecognized_keys', messageVi: expect.stringContaining(name) }] },
      });
    });

    it(`header ${name}: passed with the client's casing and found by header()`, async () => {
      const res = await get(`/v1/echo/item?probe=${encodeURIComponent(name)}`, [`${name}: 1`, `X-Probe: p`]);
      expect(res.status).toBe(200);
      const body = res.json();
      expect(body.headers[name]).toBe('1');
      expect(body.multiHeaders[name]).toEqual(['1']);
      expect(body.probe).toBe('1');

      // Not sent: header() finds nothing (no inherited member is taken for a header).
      const absent = await get(`/v1/echo/item?probe=${encodeURIComponent(name)}`);
      expect(absent.status).toBe(200);
      expect(absent.json().probe).toBeNull();
    });

    it(`path parameter ${name}: routed and read by pathParam()`, async () => {
      const res = await get(`/v1/echo/${name}`);
      expect(res.status).toBe(200);
      expect(res.json().itemId).toBe(name);
    });
  }

  it('a staff route with a prototype-named header and query key still authorises from the bearer token', async () => {
    const res = await get('/v1/staff?constructor=1&__proto__=x', ['toString: 1', 'hasOwnProperty: 1', 'Authorization: Bearer dev-staff-79']);
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ staffId: expect.any(String), provinceCode: '79' });
    const denied = await get('/v1/staff?constructor=1', ['constructor: Bearer dev-staff-79']);
    expect(denied.status).toBe(401);
    expect(denied.json()).toEqual(errorShape('UNAUTHENTICATED'));
  });
});

describe('local API server: repeated headers as API Gateway REST passes them', () => {
  it('the last value in headers, every value in order in multiValueHeaders; distinct casings stay distinct keys', async () => {
    const res = await get('/v1/echo/item', ['X-Probe: first', 'X-Probe: second', 'X-Probe: third', 'x-other: a', 'X-Other: b']);
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body.headers['X-Probe']).toBe('third');
    expect(body.multiHeaders['X-Probe']).toEqual(['first', 'second', 'third']);
    expect(body.probe).toBe('third');
    expect(body.multiHeaders['x-other']).toEqual(['a']);
    expect(body.multiHeaders['X-Other']).toEqual(['b']);
  });
});

describe('local API server: malformed requests are 400/431/404 in the error shape, never 500', () => {
  const cases: { name: string; head: string; body?: string; status: number; code: string }[] = [
    { name: 'malformed percent-encoding in a path parameter', head: 'GET /v1/echo/%zz HTTP/1.1', status: 400, code: 'MALFORMED_REQUEST' },
    { name: 'a truncated UTF-8 sequence in the path', head: 'GET /v1/echo/%E0%A4 HTTP/1.1', status: 400, code: 'MALFORMED_REQUEST' },
    { name: 'malformed percent-encoding in a query value', head: 'GET /v1/echo/item?a=%E0%A4%A HTTP/1.1', status: 400, code: 'MALFORMED_REQUEST' },
    { name: 'malformed percent-encoding in a query key', head: 'GET /v1/echo/item?%zz=1 HTTP/1.1', status: 400, code: 'MALFORMED_REQUEST' },
    { name: 'a lone % in the query', head: 'GET /v1/echo/item?a=100% HTTP/1.1', status: 400, code: 'MALFORMED_REQUEST' },
    { name: 'a request target that is not a path', head: 'GET a:b HTTP/1.1', status: 400, code: 'MALFORMED_REQUEST' },
    { name: 'the asterisk target on GET', head: 'GET * HTTP/1.1', status: 400, code: 'MALFORMED_REQUEST' },
    { name: 'a protocol-relative-looking path', head: 'GET //v1/echo/item HTTP/1.1', status: 404, code: 'ROUTE_NOT_FOUND' },
    { name: 'garbage instead of a request line', head: 'this is not http', status: 400, code: 'MALFORMED_REQUEST' },
    { name: 'a method Node does not know', head: 'BREW /v1/echo/item HTTP/1.1', status: 400, code: 'MALFORMED_REQUEST' },
    { name: 'a space in a header name', head: 'GET /v1/echo/item HTTP/1.1\r\nBad Header: x', status: 400, code: 'MALFORMED_REQUEST' },
    { name: 'a control character in a header value', head: 'GET /v1/echo/item HTTP/1.1\r\nX-Probe: a\u0001b', status: 400, code: 'MALFORMED_REQUEST' },
    {
      name: 'Content-Length and Transfer-Encoding together',
      head: 'POST /v1/echo/item HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked',
      body: '0\r\n\r\n',
      status: 400,
      code: 'MALFORMED_REQUEST',
    },
    { name: 'two different Content-Length values', head: 'POST /v1/echo/item HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2', body: 'ab', status: 400, code: 'MALFORMED_REQUEST' },
    { name: 'headers over Node\'s maxHeaderSize', head: `GET /v1/echo/item HTTP/1.1\r\nX-Big: ${'a'.repeat(20_000)}`, status: 431, code: 'HEADERS_TOO_LARGE' },
    { name: 'many headers adding up over maxHeaderSize', head: ['GET /v1/echo/item HTTP/1.1', ...Array.from({ length: 400 }, (_, i) => `X-H${i}: ${'b'.repeat(40)}`)].join('\r\n'), status: 431, code: 'HEADERS_TOO_LARGE' },
    { name: 'a method the route does not have', head: 'DELETE /v1/echo/item HTTP/1.1', status: 404, code: 'ROUTE_NOT_FOUND' },
    { name: 'a WebDAV method', head: 'PROPFIND /v1/echo/item HTTP/1.1', status: 404, code: 'ROUTE_NOT_FOUND' },
    { name: 'POST on a GET route with a body', head: 'POST /v1/echo/item HTTP/1.1\r\nContent-Length: 2', body: '{}', status: 404, code: 'ROUTE_NOT_FOUND' },
  ];

  for (const c of cases) {
    it(`${c.name} → ${c.status} ${c.code}`, async () => {
      const res = await raw(c.head, c.body);
      expect(res.status).toBe(c.status);
      expect(res.headers['content-type']).toContain('application/json');
      expect(res.json()).toEqual(errorShape(c.code));
    });
  }

  it('an absolute-form request target is routed like its path', async () => {
    const res = await get(`http://127.0.0.1:${api.port}/v1/echo/item?constructor=1`);
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ itemId: 'item', query: { constructor: '1' } });
  });

  it('a bounded fuzz over prototype names × {query key, query value, header, path} × encodings never answers 5xx', async () => {
    const statuses = new Map<number, number>();
    const encodings = [(s: string) => s, encodeURIComponent, (s: string) => `${s}%`, (s: string) => `%25${s}`, (s: string) => `${s}%2F..`];
    for (const name of PROTOTYPE_NAMES) {
      for (const enc of encodings) {
        const e = enc(name);
        for (const [target, headers] of [
          [`/v1/echo/item?${e}=${e}&${e}`, []],
          [`/v1/loose?${e}=1`, []],
          [`/v1/strict?${e}`, []],
          [`/v1/echo/${e}`, []],
          [`/v1/staff?${e}=1`, [`${name}: ${e}`, `Authorization: Bearer dev-staff-79`]],
          [`/v1/echo/item`, [`${name}: ${e}`, `${name}: again`, `${name.toUpperCase()}: x`]],
        ] as [string, string[]][]) {
          const res = await get(target, headers);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(res.status, `${target} ${headers.join(' | ')}`).toBeLessThan(500);
          expect(res.headers['content-type'], target).toContain('application/json');
          if (res.status >= 400) expect(Object.keys(res.json()), target).toEqual(expect.arrayContaining(['code', 'message']));
        }
      }
    }
    // Both outcomes are exercised: valid shapes reach the handler, malformed ones are refused.
    expect(statuses.get(200)).toBeGreaterThan(0);
    expect(statuses.get(400)).toBeGreaterThan(0);
  });
});

describe('the handlers\' helpers with an event as Lambda receives it in AWS (JSON-parsed: the names are own keys)', () => {
  for (const name of PROTOTYPE_NAMES) {
    it(`${name}: header(), parseQuery() and pathParam() treat it as data`, async () => {
      const n = JSON.stringify(name);
      const event = JSON.parse(
        `{"headers":{${n}:"1","X-Probe":"p"},"queryStringParameters":{${n}:"1","limit":"3"},"pathParameters":{"itemId":${n}}}`,
      );
      expect(Object.hasOwn(event.headers, name)).toBe(true);
      expect(header(event, name)).toBe('1');
      expect(header(event, name.toUpperCase())).toBe('1');
      expect(header({ ...event, headers: JSON.parse('{"X-Probe":"p"}') }, name)).toBeUndefined();
      expect(pathParam(event, 'itemId')).toBe(name);
      expect(parseQuery(z.object({ limit: z.coerce.number().int().optional() }), event)).toEqual({ limit: 3 });
      expect(() => parseQuery(z.object({ limit: z.string().optional() }).strict(), event)).toThrow(
        expect.objectContaining({ httpStatus: 400, code: 'VALIDATION_FAILED' }),
      );
      // The same through the real middleware stack: 200 / 400, never 500.
      const ok = await echoHandler({ ...event, httpMethod: 'GET', path: '/v1/loose', resource: '/v1/loose', body: null, requestContext: {} } as never);
      expect(ok.statusCode).toBe(200);
      const onlyName = JSON.parse(`{${n}:"1"}`);
      const refused = await echoHandler({ ...event, queryStringParameters: onlyName, httpMethod: 'GET', path: '/v1/strict', resource: '/v1/strict', body: null, requestContext: {} } as never);
      expect(refused.statusCode).toBe(400);
      expect(JSON.parse(refused.body).details.issues).toEqual([expect.objectContaining({ code: 'unrecognized_keys', messageVi: expect.stringContaining(name) })]);
    });
  }
});
