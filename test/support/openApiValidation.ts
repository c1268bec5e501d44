/**
 * Validates every API response an end-to-end test receives against docs/openapi.json (issue 11): the status must
 * be documented for the operation, a JSON body must match its schema, and an error's code must be one the document
 * lists for that route and status (functions/api/openapi/errorCodes.ts). A response the document does not describe
 * fails the test that received it, so the document cannot drift from the code.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

type Json = Record<string, any>;
const document = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8')) as Json;

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
const toLocalRefs = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(toLocalRefs);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', 'components#/$defs/') : toLocalRefs(v)]),
  );
};
ajv.addSchema({ $id: 'components', $defs: toLocalRefs(document.components.schemas) as Json });

const operations = Object.entries(document.paths as Record<string, Record<string, Json>>).flatMap(([template, methods]) =>
  Object.entries(methods).map(([method, op]) => ({
    method: method.toUpperCase(),
    pattern: new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`),
    template,
    op,
  })),
);
const compiled = new Map<string, ValidateFunction>();

/** Throws when `status`/`body` is not what docs/openapi.json documents for `method path`. */
export function assertDocumentedResponse(method: string, url: string, status: number, contentType: string | null, body: unknown): void {
  const path = url.split('?')[0];
  const operation = operations.find((o) => o.method === method && o.pattern.test(path));
  if (!operation) {
    if (status === 404 || status === 405) return; // an unknown route: ROUTE_NOT_FOUND, documented nowhere by nature
    throw new Error(`OpenAPI: ${method} ${path} is not documented`);
  }
  const response = operation.op.responses[String(status)];
  if (!response) throw new Error(`OpenAPI: ${method} ${operation.template} answered ${status}, which the document does not list (${JSON.stringify(body)?.slice(0, 300)})`);
  const schema = response.content?.['application/json']?.schema;
  if (!schema || !(contentType ?? '').includes('json')) return;
  const key = `${method} ${operation.template} ${status}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(toLocalRefs(schema) as Json);
    compiled.set(key, validate);
  }
  const codes = (schema as Json).allOf?.[1]?.properties?.code?.enum as string[] | undefined;
  const code = (body as { code?: unknown } | undefined)?.code;
  if (codes && typeof code === 'string' && !codes.includes(code)) {
    throw new Error(
      `OpenAPI: ${key} answered the error code ${code}, which the document does not list for it (${codes.join(', ')}): add it to functions/api/openapi/errorCodes.ts`,
    );
  }
  if (!validate(body)) {
    throw new Error(`OpenAPI: ${key} body does not match the document: ${ajv.errorsText(validate.errors)} — ${JSON.stringify(body)?.slice(0, 400)}`);
  }
}

/** Throws when a webhook body is not what docs/openapi.json documents for the webhook `name` (its `webhooks`). */
export function assertDocumentedWebhook(name: string, body: unknown): void {
  const schema = document.webhooks?.[name]?.post?.requestBody?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`OpenAPI: webhook ${name} is not documented`);
  const key = `webhook ${name}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(toLocalRefs(schema) as Json);
    compiled.set(key, validate);
  }
  if (!validate(body)) throw new Error(`OpenAPI: ${key} body does not match the document: ${ajv.errorsText(validate.errors)} — ${JSON.stringify(body)?.slice(0, 400)}`);
}
