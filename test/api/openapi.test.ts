/**
 * The OpenAPI document (issue 11): generated from the catalog and the zod schemas, committed as docs/openapi.json
 * (so GET /v1/openapi.json serves exactly it), linted by Redocly's recommended ruleset with no error, and
 * covering every catalog route with its security.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { buildOpenApiDocument } from '../../functions/api/openapi/document';
import { routes } from '../../functions/catalog';
import { handler } from '../../functions/api/openapi';
import { assertDocumentedResponse } from '../support/openApiValidation';

const committed = readFileSync('docs/openapi.json', 'utf8');
const generated = buildOpenApiDocument() as any;

describe('the OpenAPI document', () => {
  it('is up to date: docs/openapi.json is what `npm run openapi` generates', () => {
    expect(JSON.parse(committed), 'run `npm run openapi` and commit docs/openapi.json').toEqual(generated);
  });

  it('passes the Redocly linter (recommended rules) with no error', async () => {
    const config = await createConfig({ extends: ['recommended'], rules: { 'info-license-url': 'off' } });
    const problems = await lintFromString({ source: committed, absoluteRef: 'docs/openapi.json', config });
    const errors = problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
    expect(errors).toEqual([]);
  });

  it('documents every catalog route with its security and an Error schema for its errors', () => {
    for (const route of routes) {
      const op = generated.paths[route.path]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      if (route.auth === 'consumer') expect(op.security).toEqual([{ consumerOAuth: route.scopes, consumerApiKey: [] }]);
      expect(op.responses['429'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/GatewayMessage' });
      if (route.auth === 'staff') expect(op.security).toEqual([{ staffIdToken: [] }]);
      if (route.auth === 'public') expect(op.security).toEqual([]);
      if (route.auth === 'paymentGateway') expect(op.security).toEqual([{ paymentSignature: [], paymentTimestamp: [] }]);
      expect(op.responses['500'].content['application/json'].schema.allOf).toEqual([{ $ref: '#/components/schemas/Error' }, { type: 'object', properties: { code: { enum: ['INTERNAL_ERROR'] } } }]);
    }
    const schemes = generated.components.securitySchemes;
    expect(schemes.consumerApiKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-api-key' });
    expect(schemes.paymentSignature).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Payment-Signature' });
    expect(schemes.paymentTimestamp).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Payment-Timestamp' });
    expect(Object.keys(schemes.consumerOAuth.flows.clientCredentials.scopes).sort()).toEqual([...new Set(routes.flatMap((r) => r.scopes ?? []))].sort());
    // The request body of a submission is the schema the handler validates with (zod → JSON Schema 2020-12).
    const body = generated.paths['/v1/household-renewals'].post.requestBody.content['application/json'].schema;
    expect(body.properties.periodMonths).toBeDefined();
    expect(body.required).toEqual(expect.arrayContaining(['head', 'periodMonths']));
  });

  it('is served at GET /v1/openapi.json, the committed document as is', async () => {
    const res = await handler({ httpMethod: 'GET', path: '/v1/openapi.json', resource: '/v1/openapi.json', headers: {}, pathParameters: null, queryStringParameters: null } as any);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual(JSON.parse(committed));
  });

  it('fails a response the document does not describe (the check the end-to-end tests run on every answer)', () => {
    const json = 'application/json';
    const accepted = { applicationId: 'HR-01ABCDEFGHJK', status: 'RECEIVED' };
    expect(() => assertDocumentedResponse('POST', '/v1/household-renewals', 202, json, accepted)).not.toThrow();
    expect(() => assertDocumentedResponse('POST', '/v1/household-renewals', 202, json, { applicationId: 'HR-1', status: 'DONE' })).toThrow(/does not match/);
    expect(() => assertDocumentedResponse('POST', '/v1/household-renewals', 204, json, undefined)).toThrow(/does not list/);
    expect(() => assertDocumentedResponse('GET', '/v1/applications/HR-01ABCDEFGHJK', 500, json, { code: 'INTERNAL_ERROR' })).toThrow(/does not match/);
    // An error code the route does not document for that status fails too (the codes of errorCodes.ts).
    const error = (code: string) => ({ code, message: { vi: 'Không tìm thấy hồ sơ', en: 'Application not found' } });
    expect(() => assertDocumentedResponse('GET', '/v1/applications/HR-01ABCDEFGHJK', 404, json, error('APPLICATION_NOT_FOUND'))).not.toThrow();
    expect(() => assertDocumentedResponse('GET', '/v1/applications/HR-01ABCDEFGHJK', 404, json, error('REVIEW_ITEM_NOT_FOUND'))).toThrow(/error code REVIEW_ITEM_NOT_FOUND, which the document does not list/);
    expect(() => assertDocumentedResponse('DELETE', '/v1/applications/HR-01ABCDEFGHJK', 200, json, {})).toThrow(/not documented/);
  });
});
