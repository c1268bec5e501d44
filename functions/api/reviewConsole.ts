/**
 * Staff console HTTP API (Cognito-authorized; the officer's province scopes everything; roles checked here):
 *   GET  /v1/staff/me                            → the signed-in officer (province, roles); records them as known
 *   GET  /v1/staff/officers                      → the province's officers who have signed in (supervisors)
 *   GET  /v1/review-queue                        ?status=ACTIVE|OPEN|CLAIMED|APPROVED|REJECTED|EXPIRED&service&reason
 *                                                 &escalated=true|false&overdue=true&limit&cursor
 *                                                 → { now, status, items: rows (no personal data), nextCursor }
 *   GET  /v1/review-stats                        → counts per status (+ per reason, per officer, oldest open: supervisors)
 *   GET  /v1/review-notices                      → { now, notices }: the escalations supervisors were told of (supervisors)
 *   GET  /v1/review-audit.csv                    ?from=YYYY-MM-DD&to=YYYY-MM-DD → text/csv (supervisors)
 *   GET  /v1/refunds-due                         → { items, count, totalAmount }: payments that bought nothing (supervisors)
 *   GET  /v1/payments-reconciliation.csv         ?day=YYYY-MM-DD → text/csv, every payment received that day (supervisors)
 *   GET  /v1/review-items/{itemId}/audit         → the item's audit trail (who, what, when, before / after)
 *   POST /v1/review-items/{itemId}/release       { expectedVersion? } → item view (holder or supervisor)
 *   POST /v1/review-items/{itemId}/reassign      { toStaffId, expectedVersion?, note? } → item view (supervisor)
 *   POST /v1/review-items/{itemId}/reveal        { purpose } → { personalId, registryPersonalId } (audited)
 * The queue's own routes (list / get / claim / resolve) are in reviewItems.ts; an item's context in reviewItemContext.ts.
 */
import * as z from 'zod';
import { httpApi, parseBody, parseQuery, pathParam, staffPrincipal, type HttpEvent, type HttpRoute } from '../shared/http';
import type { StaffPrincipal } from '../shared/http';
import { REVIEW_REASON_CODES, SERVICE_NAMES } from '../domain/types';
import {
  auditCsv,
  itemAuditTrail,
  listConsoleQueue,
  listOfficers,
  reassignReviewItem,
  releaseReviewItem,
  revealPersonalId,
  reviewStats,
  whoAmI,
} from '../reviewQueue/reviewConsole';
import { reconciliationCsv, refundsDue } from '../household/paymentReports';
import { listNotices } from '../reviewQueue/notices';

const booleanFlag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const queueQuerySchema = z
  .object({
    status: z.enum(['ACTIVE', 'OPEN', 'CLAIMED', 'APPROVED', 'REJECTED', 'EXPIRED']).optional(),
    service: z.enum(SERVICE_NAMES).optional(),
    reason: z.enum(REVIEW_REASON_CODES).optional(),
    escalated: booleanFlag.optional(),
    overdue: booleanFlag.optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
    cursor: z.string().min(1).max(4000).optional(),
  })
  .strict();

export const auditCsvQuerySchema = z.object({ from: z.string().min(1).max(10), to: z.string().min(1).max(10) }).strict();
export const reconciliationQuerySchema = z.object({ day: z.string().min(1).max(10) }).strict();

/** A CSV download: attachment, row count header readable cross-origin. */
const csvResponse = (out: { csv: string; filename: string; rows: number }) => ({
  statusCode: 200,
  body: out.csv,
  headers: {
    'content-type': CSV_CONTENT_TYPE,
    'content-disposition': `attachment; filename="${out.filename}"`,
    'x-audit-rows': String(out.rows),
    // Readable by the console when it is served from another origin than the API.
    'access-control-expose-headers': 'content-disposition, x-audit-rows',
  },
});

const versionSchema = z.number().int().positive().optional();
export const releaseBodySchema = z.object({ expectedVersion: versionSchema }).strict();
export const reassignBodySchema = z
  .object({ toStaffId: z.string().trim().min(1).max(128), expectedVersion: versionSchema, note: z.string().max(500).optional() })
  .strict();
export const revealBodySchema = z.object({ purpose: z.string().max(500).optional() }).strict();

const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

type StaffHandler = (principal: StaffPrincipal, event: HttpEvent) => Promise<unknown>;

/** A staff route answering 200 with what `work` returns, for the officer of the bearer token. */
const staffRoute = (method: HttpRoute['method'], path: string, work: StaffHandler): HttpRoute => ({
  method,
  path,
  handler: async (event) => ({ statusCode: 200, body: await work(staffPrincipal(event), event) }),
});

/** A route on one review item: `work` gets the officer, the item id and the event. */
const itemRoute = (method: HttpRoute['method'], action: string, work: (p: StaffPrincipal, itemId: string, event: HttpEvent) => Promise<unknown>) =>
  staffRoute(method, `/v1/review-items/{itemId}/${action}`, (principal, event) => work(principal, pathParam(event, 'itemId'), event));

/** An optional JSON body (an empty POST is allowed) validated with `schema`. */
const optionalBody = <S extends z.ZodType>(schema: S, event: HttpEvent): Partial<z.infer<S>> =>
  event.jsonBody === undefined ? {} : parseBody(schema, event);

export const handler = httpApi([
  staffRoute('GET', '/v1/staff/me', (principal) => whoAmI(principal)),
  staffRoute('GET', '/v1/staff/officers', (principal) => listOfficers(principal)),
  staffRoute('GET', '/v1/review-queue', (principal, event) => listConsoleQueue(principal, parseQuery(queueQuerySchema, event))),
  staffRoute('GET', '/v1/review-stats', (principal) => reviewStats(principal)),
  staffRoute('GET', '/v1/review-notices', (principal) => listNotices(principal)),
  {
    method: 'GET',
    path: '/v1/review-audit.csv',
    handler: async (event) => {
      const principal = staffPrincipal(event);
      const q = parseQuery(auditCsvQuerySchema, event);
      return csvResponse(await auditCsv(principal, q.from, q.to));
    },
  },
  staffRoute('GET', '/v1/refunds-due', (principal) => refundsDue(principal)),
  {
    method: 'GET',
    path: '/v1/payments-reconciliation.csv',
    handler: async (event) => {
      const principal = staffPrincipal(event);
      const q = parseQuery(reconciliationQuerySchema, event);
      return csvResponse(await reconciliationCsv(principal, q.day));
    },
  },
  itemRoute('GET', 'audit', (principal, itemId) => itemAuditTrail(principal, itemId)),
  itemRoute('POST', 'release', (principal, itemId, event) =>
    releaseReviewItem(principal, itemId, optionalBody(releaseBodySchema, event).expectedVersion),
  ),
  itemRoute('POST', 'reassign', (principal, itemId, event) => reassignReviewItem(principal, itemId, parseBody(reassignBodySchema, event))),
  itemRoute('POST', 'reveal', (principal, itemId, event) => revealPersonalId(principal, itemId, optionalBody(revealBodySchema, event).purpose)),
]);
