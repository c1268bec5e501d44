/**
 * Every error code is documented (issue 11): each code a typed error is constructed with anywhere in functions/
 * is in the OpenAPI document for some route (functions/api/openapi/errorCodes.ts), or is one of the
 * workflow-only codes. The end-to-end tests check the other half: an error answer's code must be in its route's
 * documented list for that status (the document's `enum`, test/support/openApiValidation.ts).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../functions/api/openapi/document';
import { NON_HTTP_CODES, REFUND_DUE_CODES, errorCodesOf, routeErrorCodes } from '../../functions/api/openapi/errorCodes';
import { routes } from '../../functions/catalog';

const doc = buildOpenApiDocument() as any;

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

/** The text of the call's arguments from `open` (the index of its "(") to the matching ")". */
function argumentsAt(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}

/** Codes passed to a typed error: `new XxxError(…'CODE'…)` and `super('CODE', …)` of the AppError subclasses. */
function thrownCodes(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of tsFiles('functions')) {
    if (file.includes(`${path.sep}openapi${path.sep}`)) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/new (AppError|ConflictError|ForbiddenError|UnauthorizedError|ValidationError|NotFoundError)\(|super\(/g)) {
      const args = argumentsAt(text, m.index! + m[0].length - 1);
      if (m[0] === 'super(' && !/^\s*'[A-Z]/.test(args)) continue;
      for (const c of args.matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g)) found.set(c[1], file);
    }
  }
  return found;
}

const documented = new Set(
  Object.values(doc.paths as Record<string, Record<string, any>>).flatMap((ops) =>
    Object.values(ops).flatMap((op) =>
      Object.values(op.responses as Record<string, any>).flatMap((r) => r.content?.['application/json']?.schema?.allOf?.[1]?.properties?.code?.enum ?? []),
    ),
  ),
);

describe('the error codes of the OpenAPI document', () => {
  it('lists every code a typed error is thrown with, on some route (or it is a workflow-only code)', () => {
    const codes = thrownCodes();
    expect(codes.size).toBeGreaterThan(40);
    const missing = [...codes].filter(([code]) => !documented.has(code) && !(NON_HTTP_CODES as readonly string[]).includes(code));
    expect(missing.map(([code, file]) => `${code} (${file})`)).toEqual([]);
  });

  it('lists every refund reason as a 409 of the payment callback', () => {
    const source = readFileSync('functions/household/householdPayments.ts', 'utf8');
    const union = /export type RefundReasonCode =([^;]+);/.exec(source)![1];
    expect([...union.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]).sort()).toEqual([...REFUND_DUE_CODES].sort());
    const op = doc.paths['/v1/payment-callbacks'].post;
    expect(op.responses['409'].content['application/json'].schema.allOf[1].properties.code.enum).toEqual(
      expect.arrayContaining(['GATEWAY_REFERENCE_REUSED', ...REFUND_DUE_CODES]),
    );
  });

  it('has a list for every catalog route and nothing else, and puts each code under its status', () => {
    expect(Object.keys(routeErrorCodes).sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    const claim = doc.paths['/v1/review-items/{itemId}/claim'].post.responses;
    expect(claim['404'].content['application/json'].schema.allOf[1].properties.code.enum).toEqual(['REVIEW_ITEM_NOT_FOUND']);
    expect(claim['409'].content['application/json'].schema.allOf[1].properties.code.enum).toContain('ITEM_ALREADY_CLAIMED');
    expect(claim['409'].description).toContain('`ITEM_ALREADY_CLAIMED`');
    const quote = errorCodesOf({ method: 'POST', path: '/v1/household-renewals/quote', auth: 'consumer', body: true, bodyOptional: false, query: false });
    expect(quote[400]).toEqual(['MALFORMED_JSON', 'MISSING_BODY', 'VALIDATION_FAILED', 'INVALID_PERSONAL_ID', 'INVALID_DATE_OF_BIRTH']);
    expect(quote[401]).toEqual(['UNAUTHENTICATED']);
    expect(quote[403]).toEqual(['INSUFFICIENT_SCOPE']);
    expect(quote[503]).toEqual(['REGISTRY_UNAVAILABLE']);
    // A staff route without items or roles answers no 403 at all.
    expect(doc.paths['/v1/staff/me'].get.responses['403']).toBeUndefined();
  });
});
