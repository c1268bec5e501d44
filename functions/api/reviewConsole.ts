/**
 * Staff console HTTP API (Cognito-authorized; the officer's province scopes everything; roles checked here):
 *   GET  /v1/staff/me                            → the signed-in officer (province, roles)
 *   GET  /v1/review-queue                        ?status=ACTIVE|OPEN|CLAIMED|APPROVED|REJECTED|EXPIRED&service&reason
 *                                                 &escalated=true|false&limit → { now, items: rows (no personal data) }
 *   GET  /v1/review-stats                        → counts per status (+ per reason, per officer, oldest open: supervisors)
 *   GET  /v1/review-audit.csv                    ?from=YYYY-MM-DD&to=YYYY-MM-DD → text/csv (province's audit rows)
 *   GET  /v1/review-items/{itemId}/context       → escalation + the application's timeline (masked)
 *   GET  /v1/review-items/{itemId}/audit         → the item's audit trail (who, what, when, before / after)
 *   POST /v1/review-items/{itemId}/release       { expectedVersion? } → item view (holder or supervisor)
 *   POST /v1/review-items/{itemId}/reassign      { toStaffId, expectedVersion?, note? } → item view (supervisor, else 403)
 *   POST /v1/review-items/{itemId}/reveal        { purpose? } → { personalId, registryPersonalId } (audited)
 * The queue's own routes (list / get / claim / resolve) are in reviewItems.ts.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { z } from 'zod';
import { httpApi, parseBody, pathParam, staffPrincipal, type HttpEvent } from '../shared/http';
import { ValidationError } from '../shared/errors';
import { REVIEW_REASON_CODES } from '../domain/types';
import {
  auditCsv,
  itemAuditTrail,
  itemContext,
  listConsoleQueue,
  reassignReviewItem,
  releaseReviewItem,
  revealPersonalId,
  reviewStats,
  whoAmI,
} from '../reviewQueue/reviewConsole';


const queueQuerySchema = z
  .object({
    status: z.enum(['ACTIVE', 'OPEN', 'CLAIMED', 'APPROVED', 'REJECTED', 'EXPIRED']).optional(),
    service: z.enum(['HOUSEHOLD_RENEWAL', 'UNEMPLOYMENT_HISTORY', 'LUMP_SUM_WITHDRAWAL']).optional(),
    reason: z.enum(REVIEW_REASON_CODES).optional(),
    escalated: z.enum(['true', 'false']).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .strict();

const auditCsvQuerySchema = z.object({ from: z.string().min(1).max(10), to: z.string().min(1).max(10) }).strict();

const versionSchema = z.number().int().positive().optional();
const releaseBodySchema = z.object({ expectedVersion: versionSchema }).strict();
const reassignBodySchema = z
  .object({ toStaffId: z.string().trim().min(1).max(128), expectedVersion: versionSchema, note: z.string().max(500).optional() })
  .strict();
const revealBodySchema = z.object({ purpose: z.string().max(500).optional() }).strict();

function parseQuery<S extends z.ZodType>(schema: S, event: HttpEvent): z.infer<S> {
  const parsed = schema.safeParse(event.queryStringParameters ?? {});
  if (!parsed.success) {
    throw new ValidationError('Tham số truy vấn không hợp lệ', 'The query parameters are invalid', {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return parsed.data;
}

const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

const api = httpApi([
  {
    method: 'GET',
    path: '/v1/staff/me',
    handler: async (event) => ({ statusCode: 200, body: whoAmI(staffPrincipal(event)) }),
  },
  {
    method: 'GET',
    path: '/v1/review-queue',
    handler: async (event) => {
      const principal = staffPrincipal(event);
      const q = parseQuery(queueQuerySchema, event);
      const body = await listConsoleQueue(principal, {
        status: q.status,
        service: q.service,
        reason: q.reason,
        escalated: q.escalated === undefined ? undefined : q.escalated === 'true',
        limit: q.limit,
      });
      return { statusCode: 200, body };
    },
  },
  {
    method: 'GET',
    path: '/v1/review-stats',
    handler: async (event) => ({ statusCode: 200, body: await reviewStats(staffPrincipal(event)) }),
  },
  {
    method: 'GET',
    path: '/v1/review-audit.csv',
    handler: async (event) => {
      const principal = staffPrincipal(event);
      const q = parseQuery(auditCsvQuerySchema, event);
      const out = await auditCsv(principal, q.from, q.to);
      return {
        statusCode: 200,
        // The shared stack JSON-encodes bodies; `handler` below turns this one back into raw CSV text.
        body: out.csv,
        headers: {
          'content-type': CSV_CONTENT_TYPE,
          'content-disposition': `attachment; filename="${out.filename}"`,
          'x-audit-rows': String(out.rows),
          // Readable by the console when it is served from another origin than the API.
          'access-control-expose-headers': 'content-disposition, x-audit-rows',
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/v1/review-items/{itemId}/context',
    handler: async (event) => ({ statusCode: 200, body: await itemContext(staffPrincipal(event), pathParam(event, 'itemId')) }),
  },
  {
    method: 'GET',
    path: '/v1/review-items/{itemId}/audit',
    handler: async (event) => ({ statusCode: 200, body: await itemAuditTrail(staffPrincipal(event), pathParam(event, 'itemId')) }),
  },
  {
    method: 'POST',
    path: '/v1/review-items/{itemId}/release',
    handler: async (event) => {
      const principal = staffPrincipal(event);
      const body = event.jsonBody === undefined ? {} : parseBody(releaseBodySchema, event);
      return { statusCode: 200, body: await releaseReviewItem(principal, pathParam(event, 'itemId'), body.expectedVersion) };
    },
  },
  {
    method: 'POST',
    path: '/v1/review-items/{itemId}/reassign',
    handler: async (event) => {
      const principal = staffPrincipal(event);
      const body = parseBody(reassignBodySchema, event);
      return { statusCode: 200, body: await reassignReviewItem(principal, pathParam(event, 'itemId'), body) };
    },
  },
  {
    method: 'POST',
    path: '/v1/review-items/{itemId}/reveal',
    handler: async (event) => {
      const principal = staffPrincipal(event);
      const body = event.jsonBody === undefined ? {} : parseBody(revealBodySchema, event);
      return { statusCode: 200, body: await revealPersonalId(principal, pathParam(event, 'itemId'), body.purpose) };
    },
  },
]);

/** The middy stack plus one step: a CSV answer goes out as raw text, not as a JSON string. */
export async function handler(event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
  const result = (await api(event as HttpEvent, context)) as APIGatewayProxyResult;
  const contentType = Object.entries(result.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  if (result.statusCode === 200 && contentType === CSV_CONTENT_TYPE && typeof result.body === 'string' && result.body.startsWith('"')) {
    return { ...result, body: JSON.parse(result.body) as string };
  }
  return result;
}
