/**
 * Local API server: plays API Gateway (REST API, Lambda proxy integration) and its Cognito authorizer in front
 * of the real API handler modules of the catalog.
 *
 * - Routes come from `routes` in functions/catalog.ts; each request becomes an `APIGatewayProxyEvent` (raw body
 *   string, so an HMAC over the raw body verifies) for `handler(event, context)` of `apiFunctionSpecs[fn].entry`.
 * - Staff routes need `Authorization: Bearer <dev token>` (local/devIdentities.ts), consumer routes a dev consumer
 *   token (`dev-consumer-portal`, `dev-consumer-vssid`: access-token claims); without a valid one the request is
 *   answered 401 (+ `www-authenticate: Bearer`) before the handler, as the authorizer would. With one, the handler
 *   sees the claims in `requestContext.authorizer.claims`.
 * - Unknown route or method → 404 JSON (the error shape of functions/shared/http.ts); body over 1 MB → 413;
 *   a request target that is not a path or has malformed percent-encoding, or a request Node's HTTP parser
 *   rejects → 400 MALFORMED_REQUEST; headers over `maxHeaderSize` → 431 HEADERS_TOO_LARGE. Headers, query and
 *   path parameters are null-prototype objects, so any key (`constructor`, `__proto__` …) is plain data; a
 *   repeated header or query key has its last value in `headers`/`queryStringParameters` and all of them in the
 *   multi-value forms, as API Gateway REST passes them.
 *   a handler that throws → 502, one slower than its timeout (≤ 29 s, API Gateway's limit) → 504.
 * - `GET /` lists the routes; `/console/` serves the staff console bundle (`staticDir`); CORS for local use.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { apiFunctionSpecs, routes as catalogRoutes, type RouteSpec } from '../functions/catalog';
import { claimsForToken, consumerClaimsForToken, devConsumers, type DevConsumer, type DevIdentity } from './devIdentities';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult | any> | any;

export interface ApiServerOptions {
  port?: number;
  host?: string;
  /** Loads a handler from a catalog entry path (default: dynamic import of `<repoRoot>/<entry>`, export `handler`). */
  loadHandler?: (entry: string) => Promise<ApiHandler>;
  /** The bearer tokens the authorizer accepts. */
  devIdentities: DevIdentity[];
  /** The consumer bearer tokens the authorizer accepts on consumer routes (default: local/devIdentities.ts's). */
  devConsumers?: DevConsumer[];
  /** Directory served at /console/ (the staff console bundle). */
  staticDir?: string;
  /** Routes (default: the catalog's). */
  routes?: RouteSpec[];
  /** Node's limit on the request line + headers (default Node's, 16 KiB); a request over it is answered 431. */
  maxHeaderSize?: number;
  /** Request log (method, path, status, duration; never headers or bodies). */
  logger?: { info?: (message: string, data?: Record<string, unknown>) => void };
}

export interface ApiServer {
  url: string;
  port: number;
  stop: () => Promise<void>;
}

export const MAX_BODY_BYTES = 1024 * 1024;
const API_GATEWAY_TIMEOUT_SECONDS = 29;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

type ErrorJson = { code: string; message: { vi: string; en: string } };

const errors = {
  notFound: { code: 'ROUTE_NOT_FOUND', message: { vi: 'Không có đường dẫn này', en: 'No such route' } },
  unauthenticated: {
    code: 'UNAUTHENTICATED',
    message: { vi: 'Chưa xác thực hoặc mã xác thực không hợp lệ', en: 'Missing or invalid credentials' },
  },
  badRequest: {
    code: 'MALFORMED_REQUEST',
    message: { vi: 'Yêu cầu không đúng định dạng HTTP hoặc đường dẫn không hợp lệ', en: 'The request is malformed (HTTP syntax or URL encoding)' },
  },
  headersTooLarge: {
    code: 'HEADERS_TOO_LARGE',
    message: { vi: 'Phần tiêu đề (header) của yêu cầu quá lớn', en: 'The request headers are too large' },
  },
  requestTimeout: {
    code: 'REQUEST_TIMEOUT',
    message: { vi: 'Yêu cầu không được gửi hết trong thời gian cho phép', en: 'The request was not received in time' },
  },
  tooLarge: {
    code: 'PAYLOAD_TOO_LARGE',
    message: { vi: 'Nội dung yêu cầu vượt quá 1 MB', en: 'The request body exceeds 1 MB' },
  },
  badGateway: {
    code: 'INTERNAL_ERROR',
    message: { vi: 'Lỗi hệ thống, vui lòng thử lại sau', en: 'Internal error, please try again later' },
  },
  timeout: {
    code: 'GATEWAY_TIMEOUT',
    message: { vi: 'Hệ thống phản hồi quá thời gian cho phép', en: 'The service did not answer in time' },
  },
} satisfies Record<string, ErrorJson>;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

interface CompiledRoute {
  spec: RouteSpec;
  regex: RegExp;
  params: string[];
}

function compile(spec: RouteSpec): CompiledRoute {
  const params: string[] = [];
  const pattern = spec.path
    .split('/')
    .map((segment) => {
      const greedy = /^\{(\w+)\+\}$/.exec(segment);
      if (greedy) {
        params.push(greedy[1]);
        return '(.+)';
      }
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param) {
        params.push(param[1]);
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { spec, regex: new RegExp(`^${pattern}$`), params };
}

function corsHeaders(req: IncomingMessage): Record<string, string> {
  return {
    'access-control-allow-origin': String(req.headers.origin ?? '*'),
    'access-control-allow-methods': 'GET,POST,OPTIONS',
    'access-control-allow-headers': String(
      req.headers['access-control-request-headers'] ?? 'content-type,authorization,x-payment-signature,x-payment-timestamp,idempotency-key',
    ),
    'access-control-max-age': '600',
    vary: 'Origin',
  };
}

function sendJson(req: IncomingMessage, res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...corsHeaders(req),
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    ...extra,
  });
  res.end(req.method === 'HEAD' ? undefined : text);
}

/** Reads the body; null when it exceeds the limit. */
async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * An object with no prototype: a client-chosen key (`constructor`, `__proto__`, `toString`, `hasOwnProperty` …)
 * is an ordinary own property there, never an inherited member or the prototype setter.
 */
function dictionary<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/**
 * Headers with the client's casing (as API Gateway passes them) plus the multi-value form: a repeated header
 * has its last value in `headers` and every value, in order, in `multiValueHeaders` (API Gateway REST).
 */
function gatewayHeaders(req: IncomingMessage): { headers: Record<string, string>; multi: Record<string, string[]> } {
  const headers = dictionary<string>();
  const multi = dictionary<string[]>();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i];
    const value = req.rawHeaders[i + 1];
    headers[name] = value;
    (multi[name] ??= []).push(value);
  }
  return { headers, multi };
}

/** Percent-decoding of one query component (`+` is a space); null when the encoding is malformed. */
function decodeComponent(text: string): string | null {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/**
 * The request target split into its path (still percent-encoded, as the routes match it) and its decoded query
 * (last value and every value per key, null-prototype). Origin-form (`/path?query`) and absolute-form
 * (`http://host/path?query`) targets; anything else, or malformed percent-encoding in the path or the query → null
 * (a 400, as API Gateway answers a request it cannot parse).
 */
function parseTarget(target: string): { pathname: string; query: Record<string, string>; multiQuery: Record<string, string[]> } | null {
  let rest = target;
  if (!rest.startsWith('/')) {
    if (!/^https?:\/\//i.test(rest)) return null;
    try {
      const url = new URL(rest);
      rest = url.pathname + url.search;
    } catch {
      return null;
    }
  }
  const hashAt = rest.indexOf('#');
  if (hashAt >= 0) rest = rest.slice(0, hashAt);
  const queryAt = rest.indexOf('?');
  const pathname = queryAt >= 0 ? rest.slice(0, queryAt) : rest;
  if (decodeComponent(pathname) === null) return null;
  const query = dictionary<string>();
  const multiQuery = dictionary<string[]>();
  const search = queryAt >= 0 ? rest.slice(queryAt + 1) : '';
  for (const pair of search.split('&')) {
    if (pair === '') continue;
    const equalsAt = pair.indexOf('=');
    const key = decodeComponent(equalsAt >= 0 ? pair.slice(0, equalsAt) : pair);
    const value = decodeComponent(equalsAt >= 0 ? pair.slice(equalsAt + 1) : '');
    if (key === null || value === null) return null;
    query[key] = value;
    (multiQuery[key] ??= []).push(value);
  }
  return { pathname, query, multiQuery };
}

function bearerToken(headers: Record<string, string>): string | undefined {
  const entry = Object.entries(headers).find(([k]) => k.toLowerCase() === 'authorization');
  const match = entry ? /^Bearer\s+(\S+)\s*$/i.exec(entry[1]) : null;
  return match?.[1];
}

function lambdaContext(functionName: string, timeoutSeconds: number): Context {
  const deadline = Date.now() + timeoutSeconds * 1000;
  const requestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION ?? 'ap-southeast-1'}:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${requestId.replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

async function serveStatic(req: IncomingMessage, res: ServerResponse, staticDir: string | undefined, pathname: string): Promise<void> {
  if (!staticDir || (req.method !== 'GET' && req.method !== 'HEAD')) {
    sendJson(req, res, 404, errors.notFound);
    return;
  }
  if (pathname === '/console') {
    res.writeHead(301, { location: '/console/' });
    res.end();
    return;
  }
  const root = path.resolve(staticDir);
  let relative: string;
  try {
    relative = decodeURIComponent(pathname.slice('/console/'.length));
  } catch {
    sendJson(req, res, 404, errors.notFound);
    return;
  }
  let file = path.resolve(root, relative || 'index.html');
  if (file !== root && !file.startsWith(root + path.sep)) {
    sendJson(req, res, 404, errors.notFound);
    return;
  }
  const isFile = async (p: string) => (await stat(p).catch(() => null))?.isFile() ?? false;
  if (!(await isFile(file))) {
    const dirIndex = path.join(file, 'index.html');
    if (await isFile(dirIndex)) file = dirIndex;
    else if (!path.extname(file) && (await isFile(path.join(root, 'index.html')))) file = path.join(root, 'index.html'); // SPA route
    else {
      sendJson(req, res, 404, errors.notFound);
      return;
    }
  }
  const content = await readFile(file);
  res.writeHead(200, {
    'content-type': contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': content.length,
    'cache-control': path.basename(file) === 'index.html' ? 'no-cache' : 'public, max-age=300',
    'x-content-type-options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : content);
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const compiled = (options.routes ?? catalogRoutes).map(compile);
  const identities = options.devIdentities;
  const consumers = options.devConsumers ?? devConsumers();
  const loadHandler =
    options.loadHandler ??
    (async (entry: string) => {
      const mod = (await import(pathToFileURL(path.resolve(repoRoot, entry)).href)) as { handler?: ApiHandler };
      if (typeof mod.handler !== 'function') throw new Error(`${entry} does not export a handler function`);
      return mod.handler;
    });
  const handlers = new Map<string, Promise<ApiHandler>>();
  const handlerFor = (entry: string): Promise<ApiHandler> => {
    let loading = handlers.get(entry);
    if (!loading) {
      loading = loadHandler(entry);
      loading.catch(() => handlers.delete(entry)); // retry on the next request after a load failure
      handlers.set(entry, loading);
    }
    return loading;
  };

  const routeIndex = {
    service: 'BHXH e-services (local API Gateway)',
    stage: 'local',
    routes: compiled.map((r) => ({ method: r.spec.method, path: r.spec.path, auth: r.spec.auth })),
    console: options.staticDir ? '/console/' : null,
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const target = parseTarget(req.url ?? '/');
    if (!target) {
      req.resume();
      sendJson(req, res, 400, errors.badRequest);
      return;
    }
    const pathname = target.pathname.length > 1 && target.pathname.endsWith('/') && !target.pathname.startsWith('/console')
      ? target.pathname.slice(0, -1)
      : target.pathname;

    if (method === 'OPTIONS') {
      res.writeHead(204, corsHeaders(req));
      res.end();
      return;
    }
    if (pathname === '/' && (method === 'GET' || method === 'HEAD')) {
      sendJson(req, res, 200, routeIndex);
      return;
    }
    if (pathname === '/console' || pathname.startsWith('/console/')) {
      await serveStatic(req, res, options.staticDir, pathname);
      return;
    }

    let matched: { route: CompiledRoute; params: Record<string, string> } | undefined;
    for (const route of compiled) {
      if (route.spec.method !== method) continue;
      const m = route.regex.exec(pathname);
      if (m) {
        const params = dictionary<string>();
        route.params.forEach((p, i) => (params[p] = m[i + 1]));
        matched = { route, params };
        break;
      }
    }
    if (!matched) {
      req.resume();
      sendJson(req, res, 404, errors.notFound);
      return;
    }

    const body = await readBody(req);
    if (body === null) {
      sendJson(req, res, 413, errors.tooLarge, { connection: 'close' });
      req.resume(); // discard the rest; the connection closes after the answer
      return;
    }

    const { headers, multi } = gatewayHeaders(req);
    const { spec } = matched.route;
    let claims: Record<string, string> | null = null;
    if (spec.auth === 'staff' || spec.auth === 'consumer') {
      const token = bearerToken(headers);
      claims = spec.auth === 'staff' ? claimsForToken(token, identities) : consumerClaimsForToken(token, consumers);
      if (!claims) {
        sendJson(req, res, 401, errors.unauthenticated, { 'www-authenticate': 'Bearer' });
        return;
      }
    }

    const { query, multiQuery } = target;
    const hasQuery = Object.keys(query).length > 0;
    const hasParams = matched.route.params.length > 0;
    const now = new Date();
    const requestId = randomUUID();
    const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
    const event: APIGatewayProxyEvent = {
      resource: spec.path,
      path: pathname,
      httpMethod: method,
      headers,
      multiValueHeaders: multi,
      queryStringParameters: hasQuery ? query : null,
      multiValueQueryStringParameters: hasQuery ? multiQuery : null,
      pathParameters: hasParams ? matched.params : null,
      stageVariables: null,
      body: body.length > 0 ? body.toString('utf8') : null,
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        authorizer: claims ? { claims } : null,
        domainName: String(req.headers.host ?? 'localhost'),
        domainPrefix: 'local',
        extendedRequestId: requestId,
        httpMethod: method,
        identity: {
          accessKey: null,
          accountId: null,
          apiKey: null,
          apiKeyId: null,
          caller: null,
          clientCert: null,
          cognitoAuthenticationProvider: null,
          cognitoAuthenticationType: null,
          cognitoIdentityId: null,
          cognitoIdentityPoolId: null,
          principalOrgId: null,
          sourceIp,
          user: null,
          userAgent: String(req.headers['user-agent'] ?? ''),
          userArn: null,
        },
        path: `/local${pathname}`,
        protocol: `HTTP/${req.httpVersion}`,
        requestId,
        requestTime: now.toUTCString(),
        requestTimeEpoch: now.getTime(),
        resourceId: 'local',
        resourcePath: spec.path,
        stage: 'local',
      },
    };

    const fnSpec = apiFunctionSpecs[spec.fn] as { entry: string; timeoutSeconds?: number };
    const timeoutSeconds = Math.min(fnSpec.timeoutSeconds ?? API_GATEWAY_TIMEOUT_SECONDS, API_GATEWAY_TIMEOUT_SECONDS);
    let timer: NodeJS.Timeout | undefined;
    let result: APIGatewayProxyResult | undefined;
    try {
      const handler = await handlerFor(fnSpec.entry);
      const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutSeconds * 1000)));
      const outcome = await Promise.race([Promise.resolve(handler(event, lambdaContext(spec.fn, timeoutSeconds))), timeout]);
      if (outcome === 'timeout') {
        sendJson(req, res, 504, errors.timeout);
        return;
      }
      result = outcome as APIGatewayProxyResult;
    } catch (error) {
      console.error(`[local-api] ${spec.fn} threw`, error);
      sendJson(req, res, 502, errors.badGateway);
      return;
    } finally {
      clearTimeout(timer);
    }
    if (!result || typeof result !== 'object' || typeof result.statusCode !== 'number') {
      console.error(`[local-api] ${spec.fn} returned a malformed proxy result`);
      sendJson(req, res, 502, errors.badGateway);
      return;
    }

    const outHeaders: Record<string, string | string[]> = { ...corsHeaders(req) };
    for (const [k, v] of Object.entries(result.multiValueHeaders ?? {})) outHeaders[k.toLowerCase()] = v.map(String);
    for (const [k, v] of Object.entries(result.headers ?? {})) outHeaders[k.toLowerCase()] = String(v);
    const payload =
      result.body === undefined || result.body === null
        ? Buffer.alloc(0)
        : result.isBase64Encoded
          ? Buffer.from(result.body, 'base64')
          : Buffer.from(String(result.body), 'utf8');
    outHeaders['content-length'] = String(payload.length);
    res.writeHead(result.statusCode, outHeaders);
    res.end(method === 'HEAD' ? undefined : payload);
  }

  const server = createServer({ maxHeaderSize: options.maxHeaderSize }, (req, res) => {
    const started = Date.now();
    handle(req, res)
      .catch((error: unknown) => {
        console.error('[local-api] request failed', error);
        if (!res.headersSent) sendJson(req, res, 500, errors.badGateway);
        else res.destroy();
      })
      .finally(() => {
        options.logger?.info?.('request', { method: req.method, path: (req.url ?? '').split('?')[0], status: res.statusCode, ms: Date.now() - started });
      });
  });

  // A request Node's HTTP parser rejects never reaches the handler above: answer it here in the error shape
  // (Node's default is a bare 400/431 with no body), unless the client is gone or an answer is already under way.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const [status, reason, body] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? ([431, 'Request Header Fields Too Large', errors.headersTooLarge] as const)
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? ([408, 'Request Timeout', errors.requestTimeout] as const)
          : ([400, 'Bad Request', errors.badRequest] as const);
    const text = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncache-control: no-store\r\n` +
        `content-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
    );
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
