/**
 * Staff HTTP API of the review queue (Cognito-authorized; the staff member's province scopes everything):
 *   GET  /v1/review-items                     ?status&reason&service&cursor&limit → { items, nextCursor }
 *                                             ?q=<RV- id | application id | 12-digit personal ID | name>&status&reason
 *                                             &service&limit → { items, nextCursor: null, searchedBy, truncated }
 *                                             (the caller's province only; reviewQueue/reviewSearch.ts)
 *   GET  /v1/review-items/{itemId}            → item view + comparison (submitted vs registry) + history
 *   POST /v1/review-items/{itemId}/claim      { expectedVersion? } → item view (409 claimed / resolved)
 *   POST /v1/review-items/{itemId}/resolve    { decision, corrections?, evidenceNote?, reason? }
 *        → 200 { item, resumePending: false } | 202 { item, resumePending: true } (recorded, delivery pending)
 * Views come from toStaffView (whitelist: never a task token; personal IDs masked).
 */
import * as z from 'zod';
import { httpApi, parseBody, parseQuery, pathParam, staffPrincipal } from '../shared/http';
import { claimReviewItem, getReviewItem, listReviewItems, resolveReviewItem } from '../reviewQueue/reviewQueue';
import { searchReviewItems } from '../reviewQueue/reviewSearch';
import { REVIEW_REASON_CODES, SERVICE_NAMES } from '../domain/types';
import { msg } from '../shared/validationMessages';

export const listQuerySchema = z.object({
  q: z
    .string()
    .max(400)
    .optional()
    .meta({ description: 'Search: RV- id, application id, 12-digit personal ID or name (2–100 characters; not paged)' }),
  status: z.enum(['OPEN', 'CLAIMED', 'APPROVED', 'REJECTED', 'EXPIRED']).optional(),
  reason: z.enum(REVIEW_REASON_CODES).optional(),
  service: z.enum(SERVICE_NAMES).optional(),
  cursor: z.string().min(1).max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

export const claimBodySchema = z.object({ expectedVersion: z.number().int().positive().optional() }).strict();

export const resolveBodySchema = z
  .object({
    decision: z.enum(['APPROVE', 'REJECT']),
    corrections: z
      .object({
        personalId: z.string().regex(/^\d{12}$/, msg('must be 12 digits', 'Số định danh cá nhân phải gồm 12 chữ số')).optional(),
        fullName: z.string().trim().min(1).max(200).optional(),
        dateOfBirth: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, msg('must be YYYY-MM-DD', 'Ngày sinh phải theo định dạng YYYY-MM-DD')).optional(),
        sex: z.enum(['MALE', 'FEMALE']).optional(),
      })
      .strict()
      .optional(),
    evidenceNote: z.string().max(2000).optional(),
    reason: z.string().max(2000).optional(),
  })
  .strict();

export const handler = httpApi([
  {
    method: 'GET',
    path: '/v1/review-items',
    handler: async (event) => {
      const principal = staffPrincipal(event);
      const { q, ...query } = parseQuery(listQuerySchema, event);
      if (q !== undefined) return { statusCode: 200, body: await searchReviewItems(principal, q, query) };
      return { statusCode: 200, body: await listReviewItems(principal, query) };
    },
  },
  {
    method: 'GET',
    path: '/v1/review-items/{itemId}',
    handler: async (event) => {
      const principal = staffPrincipal(event);
      return { statusCode: 200, body: await getReviewItem(principal, pathParam(event, 'itemId')) };
    },
  },
  {
    method: 'POST',
    path: '/v1/review-items/{itemId}/claim',
    handler: async (event) => {
      const principal = staffPrincipal(event);
      const body = event.jsonBody === undefined ? {} : parseBody(claimBodySchema, event);
      return { statusCode: 200, body: await claimReviewItem(principal, pathParam(event, 'itemId'), body.expectedVersion) };
    },
  },
  {
    method: 'POST',
    path: '/v1/review-items/{itemId}/resolve',
    handler: async (event) => {
      const principal = staffPrincipal(event);
      const body = parseBody(resolveBodySchema, event);
      const out = await resolveReviewItem(principal, pathParam(event, 'itemId'), body);
      return { statusCode: out.resumePending ? 202 : 200, body: out };
    },
  },
]);
