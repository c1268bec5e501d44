/**
 * The OpenAPI document's examples (issue 11) are answers recorded from a run of the local system
 * (`npm run openapi -- --examples`, scripts/record-examples.ts → docs/openapi-examples.json), merged in by
 * document.ts. Every one must validate against the schema of its operation and status, as every end-to-end
 * answer does; every route but the document itself has at least one.
 */
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument, recordedExamples } from '../../functions/api/openapi/document';
import { routes } from '../../functions/catalog';
import { assertDocumentedResponse } from '../support/openApiValidation';

const doc = buildOpenApiDocument() as any;

const examples = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, ops]) =>
  Object.entries(ops).flatMap(([method, op]) =>
    Object.entries(op.responses as Record<string, any>).flatMap(([status, response]) =>
      Object.entries(response.content ?? {}).flatMap(([mediaType, media]: [string, any]) =>
        Object.entries(media.examples ?? {}).map(([name, example]: [string, any]) => ({
          method: method.toUpperCase(),
          path,
          status: Number(status),
          mediaType,
          name,
          value: example.value,
        })),
      ),
    ),
  ),
);

describe('the recorded examples of the OpenAPI document', () => {
  it('are there for every route (but the document itself) and a documented error of most', () => {
    const recorded = recordedExamples();
    const withExamples = new Set(examples.map((e) => `${e.method} ${e.path}`));
    const without = routes.map((r) => `${r.method} ${r.path}`).filter((k) => !withExamples.has(k));
    expect(without).toEqual(['GET /v1/openapi.json']);
    expect(examples.filter((e) => e.status >= 400).length).toBeGreaterThan(25);
    expect(Object.keys(recorded).length).toBe(routes.length - 1);
  });

  it.each(examples.map((e) => [`${e.method} ${e.path} ${e.status} ${e.name}`, e] as const))('%s validates against its schema', (_, e) => {
    expect(() => assertDocumentedResponse(e.method, e.path, e.status, e.mediaType, e.value)).not.toThrow();
    if (e.mediaType === 'text/csv') expect(typeof e.value).toBe('string');
  });

  it('show the worked examples with their real figures', () => {
    const quote = doc.paths['/v1/household-renewals/quote'].post;
    expect(quote.responses['200'].content['application/json'].examples.workedExample.value.total).toBe(3825360);
    expect(quote.requestBody.content['application/json'].examples.workedExample.value.head.personalId).toBe('040084003917');
    const app = doc.paths['/v1/applications/{applicationId}'].get.responses['200'].content['application/json'].examples;
    expect(app.unemploymentHistoryCompleted.value.result.estimatedMonthlyBenefit).toBe(12000000);
    expect(app.lumpSumCompleted.value.result.amount).toBe(78384375);
    const claimed = doc.paths['/v1/review-items/{itemId}/claim'].post.responses['409'].content['application/json'].examples;
    expect(claimed.alreadyClaimed.value.code).toBe('ITEM_ALREADY_CLAIMED');
  });
});
