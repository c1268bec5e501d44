/**
 * The one HTTP middleware stack (middy + @middy/http-router), built once for every API handler:
 * routing by method and path, JSON body parsing (malformed → 400 MALFORMED_JSON), typed errors → JSON
 * `{ code, message: { vi, en }, details? }` with their status, anything unexpected → 500 INTERNAL_ERROR
 * (logged; a bug, never expected for bad input), security headers, and a logging context per invocation with
 * the request id, the resource path and the Lambda context in every line (shared/logger.ts).
 * Every issue of a 400 VALIDATION_FAILED is `{ path, message (en), messageVi, code }` (shared/validationMessages.ts).
 */
import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { z } from 'zod';
import { AppError, ForbiddenError, ValidationError, UnauthorizedError, type ErrorBody } from './errors';
import { config } from './config';
import { logger, runInvocation } from './logger';
import { completeIssue, validationIssues } from './validationMessages';

export type HttpEvent = APIGatewayProxyEvent & { jsonBody?: unknown };

export interface HttpResult {
  statusCode: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface HttpRoute {
  method: 'GET' | 'POST';
  path: string;
  handler: (event: HttpEvent) => Promise<HttpResult>;
}

const baseHeaders = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

/** JSON unless the route answers text with its own content type (e.g. a CSV export): then the text as is. */
function respond(result: HttpResult): APIGatewayProxyResult {
  const headers = { ...baseHeaders, ...result.headers };
  const isText = typeof result.body === 'string' && !headers['content-type'].startsWith('application/json');
  return {
    statusCode: result.statusCode,
    headers,
    body: result.body === undefined ? '' : isText ? (result.body as string) : JSON.stringify(result.body),
  };
}

/**
 * Issues built elsewhere as `{ path, message }` only (a service's own checks, the payment callback) get
 * `messageVi` and `code` too, so that every error body lists its issues in the same shape as parseBody's.
 */
function withCompleteIssues(body: ErrorBody): ErrorBody {
  const issues = (body.details as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return body;
  const complete = issues.map((i) => completeIssue(typeof i === 'object' && i !== null ? i : {}));
  return { ...body, details: { ...(body.details as object), issues: complete } };
}

export function errorResult(error: unknown): HttpResult {
  if (error instanceof AppError) return { statusCode: error.httpStatus, body: withCompleteIssues(error.toBody()) };
  const status = (error as { statusCode?: number }).statusCode;
  if (status === 404 || status === 405) {
    return {
      statusCode: 404,
      body: { code: 'ROUTE_NOT_FOUND', message: { vi: 'Không có đường dẫn này', en: 'No such route' } },
    };
  }
  logger.error('Unexpected error', { error: error as Error });
  return {
    statusCode: 500,
    body: {
      code: 'INTERNAL_ERROR',
      message: { vi: 'Lỗi hệ thống, vui lòng thử lại sau', en: 'Internal error, please try again later' },
    },
  };
}

/** Parses the JSON body (if any) before routing; a malformed body is a 400, never a 500. */
const jsonBody: middy.MiddlewareObj<HttpEvent, APIGatewayProxyResult> = {
  before: (request) => {
    const { event } = request;
    // The invocation's own logging context (httpApi opens it): its keys are this request's only.
    logger.resetKeys();
    logger.appendKeys({ requestId: event.requestContext?.requestId, path: event.resource ?? event.path });
    if (event.body === null || event.body === undefined || event.body === '') return;
    const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    try {
      event.jsonBody = JSON.parse(raw);
    } catch {
      throw new ValidationError(
        'Nội dung yêu cầu không phải JSON hợp lệ',
        'The request body is not valid JSON',
        undefined,
        'MALFORMED_JSON',
      );
    }
  },
};

const errorMapper: middy.MiddlewareObj<HttpEvent, APIGatewayProxyResult> = {
  onError: (request) => {
    request.response = respond(errorResult(request.error));
  },
};

/**
 * Builds a Lambda handler for a set of routes. Each call runs in its own logging context (shared/logger.ts
 * runInvocation): its lines carry its requestId, path and Lambda context, whatever else runs concurrently.
 */
export function httpApi(routes: HttpRoute[]): (event: HttpEvent, context?: Context) => Promise<APIGatewayProxyResult> {
  const router = httpRouterHandler(
    routes.map((route) => ({
      method: route.method,
      path: route.path,
      handler: async (event: APIGatewayProxyEvent) => respond(await route.handler(event as HttpEvent)),
    })),
  );
  const stack = middy<HttpEvent, APIGatewayProxyResult, Error, Context>()
    .use(jsonBody)
    .use(errorMapper)
    .handler(router as unknown as (event: HttpEvent, context: Context) => Promise<APIGatewayProxyResult>);
  return (event, context) => runInvocation(context, () => stack(event, context as Context));
}

/** Validates the parsed JSON body with a zod schema; a failure is a 400 listing every problem (en + vi + code). */
export function parseBody<S extends z.ZodType>(schema: S, event: HttpEvent): z.infer<S> {
  if (event.jsonBody === undefined) {
    throw new ValidationError('Thiếu nội dung yêu cầu (JSON)', 'The request body (JSON) is missing', undefined, 'MISSING_BODY');
  }
  const parsed = schema.safeParse(event.jsonBody);
  if (!parsed.success) {
    throw new ValidationError('Dữ liệu gửi lên không hợp lệ', 'The request data is invalid', {
      issues: validationIssues(parsed.error.issues, event.jsonBody, 'body'),
    });
  }
  return parsed.data;
}

/** Validates the query string with a zod schema; a failure is a 400 listing every problem (en + vi + code). */
export function parseQuery<S extends z.ZodType>(schema: S, event: HttpEvent): z.infer<S> {
  const query = event.queryStringParameters ?? {};
  const parsed = schema.safeParse(query);
  if (!parsed.success) {
    throw new ValidationError('Tham số truy vấn không hợp lệ', 'The query parameters are invalid', {
      issues: validationIssues(parsed.error.issues, query, 'query'),
    });
  }
  return parsed.data;
}

export function pathParam(event: HttpEvent, name: string): string {
  const value = event.pathParameters?.[name];
  if (!value) throw new ValidationError(`Thiếu tham số ${name}`, `Missing path parameter ${name}`);
  try {
    return decodeURIComponent(value);
  } catch {
    throw new ValidationError(
      `Tham số ${name} trên đường dẫn không hợp lệ`,
      `The path parameter ${name} is not valid`,
      undefined,
      'INVALID_PATH_PARAMETER',
    );
  }
}

/** Case-insensitive header lookup (API Gateway keeps the client's casing). */
export function header(event: HttpEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const found = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === wanted);
  return found?.[1] ?? undefined;
}

export type StaffRole = 'staff' | 'supervisor';

export interface StaffPrincipal {
  staffId: string;
  name: string;
  provinceCode: string;
  roles: StaffRole[];
}

function parseGroups(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== 'string' || raw === '') return [];
  // API Gateway REST passes Cognito groups as "a,b" or "[a b]".
  return raw.replace(/^\[|\]$/g, '').split(/[,\s]+/).filter(Boolean);
}

/**
 * The staff member calling, from the Cognito authorizer's claims (the local API server plays the authorizer
 * from dev tokens). Throws 401 when there is no staff identity.
 */
export function staffPrincipal(event: HttpEvent): StaffPrincipal {
  const claims = (event.requestContext?.authorizer?.claims ?? {}) as Record<string, unknown>;
  const staffId = String(claims['cognito:username'] ?? claims.sub ?? '');
  const provinceCode = String(claims['custom:province'] ?? '');
  const roles = parseGroups(claims['cognito:groups']).filter((g): g is StaffRole => g === 'staff' || g === 'supervisor');
  if (!staffId || !/^\d{2}$/.test(provinceCode) || roles.length === 0) throw new UnauthorizedError();
  return { staffId, name: String(claims.name ?? staffId), provinceCode, roles };
}

export interface ConsumerPrincipal {
  /** Stable consumer name ("portal", "vssid"): CONSUMER_CLIENTS maps the app client id to it (else the client id). */
  consumerId: string;
  /** The Cognito app client the access token was issued to. */
  clientId: string;
  scopes: string[];
}

/**
 * The consumer calling (national portal, VssID, …), from the claims of a Cognito ACCESS token issued by the
 * client-credentials grant (`token_use: access`, `client_id`, `scope` space-separated), as API Gateway's Cognito
 * authorizer hands them over (the local API server plays it from dev consumer tokens). No consumer identity —
 * no claims, or a staff ID token — → 401 UNAUTHENTICATED; none of `requiredScopes` → 403 INSUFFICIENT_SCOPE.
 */
export function consumerPrincipal(event: HttpEvent, requiredScopes: readonly string[]): ConsumerPrincipal {
  const claims = (event.requestContext?.authorizer?.claims ?? {}) as Record<string, unknown>;
  const clientId = typeof claims.client_id === 'string' ? claims.client_id : '';
  if (claims.token_use !== 'access' || !clientId) throw new UnauthorizedError();
  const scopes = (typeof claims.scope === 'string' ? claims.scope : '').split(/\s+/).filter(Boolean);
  if (!requiredScopes.some((s) => scopes.includes(s))) {
    throw new ForbiddenError(
      'INSUFFICIENT_SCOPE',
      'Ứng dụng khách không được cấp quyền (scope) cho dịch vụ này',
      `The client is not granted a scope for this service (one of: ${requiredScopes.join(', ')})`,
    );
  }
  const names = config.consumerClients();
  return { consumerId: Object.hasOwn(names, clientId) ? names[clientId] : clientId, clientId, scopes };
}
