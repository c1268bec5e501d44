/**
 * The OpenAPI 3.1 document of the province API, generated from the catalog's routes (method, path, auth,
 * scopes) and the route contracts (contract.ts: the zod schemas the handlers validate with, and the response
 * schemas). JSON Schema comes from zod 4's own `z.toJSONSchema` (draft 2020-12, the dialect of OpenAPI 3.1), so
 * no zod→OpenAPI library is needed: the document is plain data built here. Schemas with a `meta({ id })` become
 * `#/components/schemas/<id>`. Every route's error answers are per status the Error body with its codes as an
 * `enum` (errorCodes.ts); the examples are answers recorded from a run of the local system
 * (docs/openapi-examples.json, written by `npm run openapi -- --examples`, scripts/record-examples.ts).
 *
 * `npm run openapi` writes it to docs/openapi.json (committed; a test fails when it is stale), which
 * `GET /v1/openapi.json` serves.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as z from 'zod';
import { CONSUMER_RESOURCE_SERVER, consumerScopes, routes, type RouteSpec } from '../../catalog';
import { acceptedSchema, errorBodySchema, routeContracts, webhookEventSchema } from './contract';
import { errorCodesOf } from './errorCodes';

type Json = Record<string, unknown>;

interface RecordedExample {
  summary: string;
  request?: unknown;
  value: unknown;
}
/** docs/openapi-examples.json: operation ("<METHOD> <path>") → status → example name → what the system answered. */
type RecordedExamples = Record<string, Record<string, Record<string, RecordedExample>>>;

const EXAMPLES_FILE = new URL('../../../docs/openapi-examples.json', import.meta.url);

/** The examples recorded from a real run (scripts/record-examples.ts); none when the file is not there. */
export function recordedExamples(): RecordedExamples {
  if (!existsSync(EXAMPLES_FILE)) return {};
  return (JSON.parse(readFileSync(EXAMPLES_FILE, 'utf8')) as { operations: RecordedExamples }).operations;
}

/** Puts the recorded answers into the operation's responses, and the bodies of its successes into its requestBody. */
function mergeExamples(key: string, operation: Json, recorded: RecordedExamples[string] | undefined): void {
  if (!recorded) return;
  const responses = operation.responses as Record<string, Json>;
  const requestExamples: Record<string, Json> = {};
  for (const [status, byName] of Object.entries(recorded)) {
    const response = responses[status];
    if (!response) throw new Error(`Recorded example of ${key} answered ${status}, which the document does not list`);
    const content = response.content as Record<string, Json> | undefined;
    const media = content && Object.values(content)[0];
    if (!media) continue;
    media.examples = Object.fromEntries(Object.entries(byName).map(([name, e]) => [name, { summary: e.summary, value: e.value }]));
    if (Number(status) < 300) {
      for (const [name, e] of Object.entries(byName)) if (e.request !== undefined) requestExamples[name] = { summary: e.summary, value: e.request };
    }
  }
  const body = (operation.requestBody as { content?: Record<string, Json> } | undefined)?.content?.['application/json'];
  if (body && Object.keys(requestExamples).length) body.examples = requestExamples;
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 202: 'Accepted', 400: 'Invalid request (VALIDATION_FAILED or a more precise code)', 401: 'Missing or invalid credentials',
  403: 'Not allowed for this caller', 404: 'Not found (or not the caller’s)', 409: 'Conflict with the current state', 422: 'Understood but refused',
  413: 'Request body too large (over 1 MB)', 429: 'Throttled', 431: 'Request headers too large', 500: 'Internal error',
  503: 'A part of the system is unavailable', 504: 'The service did not answer in time',
};

/** Converts one zod schema; its `$defs` are hoisted into `components` and their refs rewritten. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output', components: Record<string, Json>): Json {
  const out = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any', reused: 'inline' }) as Json;
  delete out.$schema;
  const defs = (out.$defs ?? {}) as Record<string, Json>;
  delete out.$defs;
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (!node || typeof node !== 'object') return node;
    const copy: Json = {};
    for (const [k, v] of Object.entries(node)) {
      copy[k] = k === '$ref' && typeof v === 'string' ? v.replace(/^#\/\$defs\//, '#/components/schemas/') : rewrite(v);
    }
    return copy;
  };
  for (const [id, def] of Object.entries(defs)) components[id] = rewrite(def) as Json;
  // A schema that is itself registered (meta id) becomes a component too.
  const id = (z.globalRegistry.get(schema) as { id?: string } | undefined)?.id;
  const converted = rewrite(out) as Json;
  if (id) {
    const ref = `#/components/schemas/${id}`;
    // zod already put a registered root into $defs and answered a $ref to it.
    if (converted.$ref !== ref) {
      delete converted.id;
      components[id] = converted;
    }
    return { $ref: ref };
  }
  return converted;
}

function securityOf(route: RouteSpec): Json[] {
  switch (route.auth) {
    case 'consumer':
      return [{ consumerOAuth: route.scopes ?? [], consumerApiKey: [] }];
    case 'staff':
      return [{ staffIdToken: [] }];
    case 'paymentGateway':
      return [{ paymentSignature: [], paymentTimestamp: [] }];
    case 'public':
      return [];
  }
}

/** What API Gateway itself answers when it throttles (the stage, the method or the consumer's usage plan). */
const gatewayMessageSchema = z
  .looseObject({ message: z.string() })
  .meta({ id: 'GatewayMessage', description: "API Gateway's own answer (throttling), e.g. { \"message\": \"Too Many Requests\" }" });

const LOCATION_HEADER = {
  Location: { description: 'The application: GET /v1/applications/{applicationId}', schema: { type: 'string' } },
};
const CSV_HEADERS = {
  'Content-Disposition': { description: 'attachment; filename="…csv"', schema: { type: 'string' } },
  'X-Audit-Rows': { description: 'The number of data rows', schema: { type: 'integer' } },
};
const WWW_AUTHENTICATE_HEADER = {
  'WWW-Authenticate': { description: '`Bearer` when the token is missing or not accepted', schema: { type: 'string' } },
};

const TAG_DESCRIPTIONS: Record<string, string> = {
  Operations: 'Health and this document: no credentials.',
  Webhooks: "Status changes sent to the consumer's webhook URL, signed with its secret (README, \"Status-change webhooks\").",
  'Household renewal': 'Household health-insurance renewal with the discount ladder: quote, then submit (consumers).',
  'Unemployment history': "Confirmation of a worker's unemployment-insurance contribution history (consumers).",
  'Lump sum': 'Lump-sum social-insurance withdrawal (consumers).',
  Applications: "A consumer's own applications, any service.",
  Payments: "The payment gateway's signed callback; refunds due and the daily reconciliation (supervisors).",
  'Review queue': 'Identity checks that need a person: list, read, claim, decide (provincial staff).',
  'Staff console': "The staff console's reads, exports and actions (provincial staff; some for supervisors only).",
};

/** An error answer of `status`: the Error body whose `code` is one of `codes` (errorCodes.ts). */
function errorResponse(status: number, codes: string[], errorRef: Json): Json {
  return {
    description: `${STATUS_TEXT[status] ?? 'Error'}. Codes: ${codes.map((c) => `\`${c}\``).join(', ')}.`,
    content: { 'application/json': { schema: { allOf: [errorRef, { type: 'object', properties: { code: { enum: codes } } }] } } },
  };
}

export function buildOpenApiDocument(): Json {
  const components: Record<string, Json> = {};
  const paths: Record<string, Record<string, Json>> = {};
  const errorRef = jsonSchema(errorBodySchema, 'output', components);
  const examples = recordedExamples();
  const gatewayMessageRef = jsonSchema(gatewayMessageSchema, 'output', components);
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    const contract = routeContracts[key];
    if (!contract) throw new Error(`No contract for route ${key} (functions/api/openapi/contract.ts)`);
    const parameters: Json[] = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1], in: 'path', required: true, schema: { type: 'string' },
    }));
    if (contract.query) {
      const q = jsonSchema(contract.query, 'input', components) as { properties?: Record<string, Json>; required?: string[] };
      for (const [name, schema] of Object.entries(q.properties ?? {})) {
        parameters.push({ name, in: 'query', required: (q.required ?? []).includes(name), schema });
      }
    }
    if (route.method === 'POST' && ['consumer'].includes(route.auth) && route.path !== '/v1/household-renewals/quote') {
      parameters.push({
        name: 'Idempotency-Key', in: 'header', required: false,
        description: 'Repeat a submission safely: the same key (1–128 visible ASCII characters) returns the same application.',
        schema: { type: 'string', minLength: 1, maxLength: 128 },
      });
    }
    const responses: Record<string, Json> = {};
    for (const [status, schema] of Object.entries(contract.responses)) {
      responses[status] = {
        description: STATUS_TEXT[Number(status)] ?? 'Answer',
        ...(schema === 'csv' ? { headers: CSV_HEADERS } : {}),
        ...(status === '202' && contract.responses[202] === acceptedSchema ? { headers: LOCATION_HEADER } : {}),
        content: schema === 'csv' ? { 'text/csv': { schema: { type: 'string' } } } : { 'application/json': { schema: jsonSchema(schema, 'output', components) } },
      };
    }
    const shape = { method: route.method, path: route.path, auth: route.auth, body: !!contract.body, bodyOptional: !!contract.bodyOptional, query: !!contract.query };
    for (const [status, codes] of Object.entries(errorCodesOf(shape))) {
      responses[status] ??= errorResponse(Number(status), codes, errorRef);
    }
    if (route.auth === 'consumer' || route.auth === 'staff') responses['401'].headers = WWW_AUTHENTICATE_HEADER;
    responses['429'] = {
      description: 'Throttled by API Gateway: retry later (the stage, the method or, for a consumer, its usage plan)',
      content: { 'application/json': { schema: gatewayMessageRef } },
    };
    const sortedResponses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)));
    const operation: Json = {
      operationId: operationIdOf(route),
      summary: contract.summary,
      tags: [contract.tag],
      security: securityOf(route),
      ...(parameters.length ? { parameters } : {}),
      ...(contract.body
        ? { requestBody: { required: !contract.bodyOptional, content: { 'application/json': { schema: jsonSchema(contract.body, 'input', components) } } } }
        : {}),
      responses: sortedResponses,
    };
    mergeExamples(key, operation, examples[key]);
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation;
  }
  const extra = Object.keys(routeContracts).filter((k) => !routes.some((r) => `${r.method} ${r.path}` === k));
  if (extra.length) throw new Error(`Contracts without a route: ${extra.join(', ')}`);

  const tags = [...new Set([...Object.values(routeContracts).map((c) => c.tag), 'Webhooks'])].map((name) => ({
    name,
    ...(TAG_DESCRIPTIONS[name] ? { description: TAG_DESCRIPTIONS[name] } : {}),
  }));
  return {
    openapi: '3.1.0',
    info: {
      title: 'BHXH e-services (one province stack)',
      version: '1.0.0',
      description:
        'Online public services of Vietnam Social Security (BHXH) for the national public-service portal and the VssID app: household health-insurance renewal with discount, unemployment-insurance contribution history, lump-sum social-insurance withdrawal; and the review queue of provincial staff. Money is integer VND; dates are Asia/Ho_Chi_Minh calendar dates. Every error is `{ code, message: { vi, en } }`.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-BHXH' },
    },
    servers: [{ url: 'http://localhost:3000', description: 'npm start (local system)' }, { url: 'https://{apiHost}', variables: { apiHost: { default: 'api.example.invalid', description: "A province stack's API host" } } }],
    tags,
    paths,
    webhooks: webhooksOf(components),
    components: {
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
      securitySchemes: {
        consumerOAuth: {
          type: 'oauth2',
          description: `OAuth 2.0 client credentials of the province's Cognito user pool; one scope per service (resource server "${CONSUMER_RESOURCE_SERVER}"). Locally: the bearer tokens dev-consumer-portal / dev-consumer-vssid.`,
          flows: {
            clientCredentials: {
              tokenUrl: 'https://bhxh-eservices-province.auth.ap-southeast-1.amazoncognito.com/oauth2/token',
              scopes: {
                [consumerScopes.HOUSEHOLD_RENEWAL]: 'Household health-insurance renewal',
                [consumerScopes.UNEMPLOYMENT_HISTORY]: 'Unemployment-insurance contribution history',
                [consumerScopes.LUMP_SUM_WITHDRAWAL]: 'Lump-sum social-insurance withdrawal',
              },
            },
          },
        },
        consumerApiKey: {
          type: 'apiKey',
          in: 'header',
          name: 'x-api-key',
          description:
            "The consumer's API Gateway key (AWS; its usage plan throttles per consumer; it is not the identity). API Gateway answers a missing or unknown key 403 `{ \"message\": \"Forbidden\" }`. The local system does not check it.",
        },
        staffIdToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            "A provincial officer's Cognito ID token (staff console; groups `staff`, `supervisor`; claim `custom:province` scopes every answer to that province). Locally: the bearer tokens dev-staff-<province> / dev-supervisor-<province>, e.g. dev-staff-79.",
        },
        paymentSignature: {
          type: 'apiKey', in: 'header', name: 'X-Payment-Signature',
          description: '`sha256=` + hex HMAC-SHA256 of `"<X-Payment-Timestamp>.<raw body>"` with the shared secret (the current or the previous one while it rotates).',
        },
        paymentTimestamp: { type: 'apiKey', in: 'header', name: 'X-Payment-Timestamp', description: 'Unix seconds; more than 300 s from the server clock is refused.' },
        webhookSignature: {
          type: 'apiKey', in: 'header', name: 'X-Webhook-Signature',
          description: "Sent by this system on a status-change webhook: `sha256=` + hex HMAC-SHA256 of `\"<X-Webhook-Timestamp>.<raw body>\"` with the consumer's webhook secret.",
        },
        webhookTimestamp: { type: 'apiKey', in: 'header', name: 'X-Webhook-Timestamp', description: 'Unix seconds of the webhook attempt; refuse one more than 300 s from your clock.' },
      },
    },
  };
}

/** The status-change webhook each consumer receives at its registered URL (functions/events/deliverWebhook.ts). */
function webhooksOf(components: Record<string, Json>): Json {
  const header = (name: string, description: string, schema: Json = { type: 'string' }) => ({ name, in: 'header', required: true, description, schema });
  return {
    applicationStatusChanged: {
      post: {
        operationId: 'applicationStatusChanged',
        summary: "An application of the consumer changed status (sent to the consumer's webhook URL)",
        description:
          'Signed with the consumer\'s webhook secret: verify `X-Webhook-Signature` = `sha256=` + hex HMAC-SHA256 of `"<X-Webhook-Timestamp>.<raw body>"` before parsing, and refuse a timestamp more than 300 s from your clock. Answer 2xx within 5 s; anything else is retried after 10 s, 30 s, 90 s, 5 min, then every 15 min (12 attempts in all) with the same X-Webhook-Id; deliveries may repeat or arrive out of order, so de-duplicate on the id and order by `occurredAt`.',
        tags: ['Webhooks'],
        security: [{ webhookSignature: [], webhookTimestamp: [] }],
        parameters: [
          header('X-Webhook-Id', 'EV- + sha256 of the application, status and version: the same on every retry of one change', { type: 'string', pattern: '^EV-[0-9a-f]{64}$' }),
        ],
        requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(webhookEventSchema, 'output', components) } } },
        responses: { '2XX': { description: 'Received (any other answer, or none within 5 s, is retried)' } },
      },
    },
  };
}

function operationIdOf(route: RouteSpec): string {
  const words = route.path
    .replace(/^\/v1\//, '')
    .replace(/\.csv$/, '-csv')
    .replace(/\.json$/, '')
    .split(/[/-]/)
    .filter(Boolean)
    .map((w) => (w.startsWith('{') ? `by-${w.slice(1, -1)}` : w));
  const camel = words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('').replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
  return `${route.method.toLowerCase()}${camel[0].toUpperCase()}${camel.slice(1)}`;
}
