/**
 * Every error code each route answers, by HTTP status (issue 11): what the route's own code path throws (its
 * handler, the service it calls, the review policy, …), read from the typed errors (functions/shared/errors.ts
 * and the AppError subclasses of the services). The codes every route of a kind shares are added by
 * `errorCodesOf`: the middleware's (a body: MALFORMED_JSON, MISSING_BODY, VALIDATION_FAILED; a query:
 * VALIDATION_FAILED; a path parameter: INVALID_PATH_PARAMETER; 500 INTERNAL_ERROR), the caller's credentials
 * (consumer: 401 UNAUTHENTICATED, 403 INSUFFICIENT_SCOPE; staff: 401 UNAUTHENTICATED; the payment gateway:
 * 401 INVALID_SIGNATURE / STALE_SIGNATURE) and the gateway's (413 PAYLOAD_TOO_LARGE on a POST, 504
 * GATEWAY_TIMEOUT).
 *
 * The OpenAPI document lists them as an `enum` of the error body's `code` per status, so the end-to-end
 * tests (every answer is validated against the document) fail on a code a route answers but does not document;
 * test/api/openapiErrorCodes.test.ts fails on a code thrown anywhere in functions/ that no route documents and
 * that is not one of the workflow-only codes below.
 */
import type { RouteAuth } from './contract';

type CodesByStatus = Partial<Record<number, readonly string[]>>;

/** The reasons a payment is a refund due (functions/household/householdPayments.ts RefundReasonCode): the callback's 409 code. */
export const REFUND_DUE_CODES = [
  'PAYMENT_DEADLINE_PASSED',
  'APPLICATION_CLOSED',
  'ALREADY_PAID',
  'RENEWAL_SUPERSEDED',
  'RENEWAL_IN_PROGRESS',
  'QUOTE_EXPIRED',
  'CARD_CHANGED_SINCE_QUOTE',
] as const;

/** A review item that cannot be acted on any more (reviewPolicy.ts resolvedConflict / deadlineConflict). */
const ITEM_CLOSED = ['ITEM_ALREADY_RESOLVED', 'ITEM_EXPIRED', 'REVIEW_ITEM_CLOSED'] as const;
/** loadItemForStaff: unknown, or another province's. */
const ITEM_LOOKUP: CodesByStatus = { 403: ['OTHER_PROVINCE'], 404: ['REVIEW_ITEM_NOT_FOUND'] };
const SUBMISSION: CodesByStatus = { 400: ['INVALID_IDEMPOTENCY_KEY'], 422: ['IDEMPOTENCY_KEY_REUSED'] };

/** The route's own codes (keyed by "<METHOD> <path>" as in the catalog). */
export const routeErrorCodes: Record<string, CodesByStatus> = {
  'GET /v1/health': {},
  'GET /v1/openapi.json': {},
  'POST /v1/household-renewals/quote': {
    // precheckPersonalId's own checks (the body schema already refuses such an ID or date).
    400: ['INVALID_PERSONAL_ID', 'INVALID_DATE_OF_BIRTH'],
    422: ['IDENTITY_NOT_VERIFIED', 'NO_BILLABLE_MEMBERS', 'HOUSEHOLD_TOO_LARGE'],
    503: ['REGISTRY_UNAVAILABLE'],
  },
  'POST /v1/household-renewals': SUBMISSION,
  'POST /v1/unemployment-history-requests': SUBMISSION,
  'POST /v1/lump-sum-claims': SUBMISSION,
  'GET /v1/applications/{applicationId}': { 400: ['INVALID_APPLICATION_ID'], 404: ['APPLICATION_NOT_FOUND'] },
  'POST /v1/payment-callbacks': {
    404: ['PAYMENT_REQUEST_NOT_FOUND'],
    409: ['GATEWAY_REFERENCE_REUSED', ...REFUND_DUE_CODES],
    422: ['AMOUNT_MISMATCH'],
    503: ['PAYMENT_CONFLICT'],
  },
  // q: reviewSearch.ts parseSearchQuery
  'GET /v1/review-items': { 400: ['INVALID_CURSOR', 'SEARCH_QUERY_TOO_SHORT', 'SEARCH_QUERY_TOO_LONG', 'SEARCH_PERSONAL_ID_INCOMPLETE'] },
  'GET /v1/review-items/{itemId}': ITEM_LOOKUP,
  'POST /v1/review-items/{itemId}/claim': {
    ...ITEM_LOOKUP,
    409: ['ITEM_ALREADY_CLAIMED', ...ITEM_CLOSED, 'VERSION_CONFLICT'],
  },
  'POST /v1/review-items/{itemId}/resolve': {
    ...ITEM_LOOKUP,
    400: [
      'INVALID_DECISION',
      'REASON_REQUIRED',
      'INVALID_CORRECTIONS',
      'CORRECTIONS_NOT_ALLOWED',
      'CORRECTION_INCONSISTENT',
      'INVALID_PERSONAL_ID',
      'INVALID_DATE_OF_BIRTH',
    ],
    409: [
      ...ITEM_CLOSED,
      'ITEM_NOT_CLAIMED',
      'ITEM_ALREADY_CLAIMED',
      'VERSION_CONFLICT',
      'APPLICATION_CLOSED',
      'APPLICATION_NOT_IN_REVIEW',
      'CONCURRENT_UPDATE',
      'DECISION_NOT_DELIVERED',
    ],
  },
  'POST /v1/review-items/{itemId}/recheck-registry': {
    ...ITEM_LOOKUP,
    403: ['SUPERVISOR_ONLY', 'OTHER_PROVINCE'],
    409: ['NOT_REGISTRY_UNAVAILABLE'],
  },
  'POST /v1/review-items/recheck-registry': { 403: ['SUPERVISOR_ONLY'] },
  'GET /v1/staff/me': {},
  'GET /v1/staff/officers': { 403: ['SUPERVISOR_ONLY'] },
  'GET /v1/review-queue': { 400: ['INVALID_CURSOR'] },
  'GET /v1/review-stats': {},
  'GET /v1/review-audit.csv': {
    400: ['INVALID_DATE_RANGE', 'DATE_RANGE_TOO_LONG'],
    403: ['SUPERVISOR_ONLY'],
    422: ['EXPORT_TOO_LARGE'],
  },
  'GET /v1/refunds-due': { 403: ['SUPERVISOR_ONLY'] },
  'GET /v1/review-notices': { 403: ['SUPERVISOR_ONLY'] },
  'GET /v1/payments-reconciliation.csv': { 400: ['INVALID_DATE_RANGE'], 403: ['SUPERVISOR_ONLY'] },
  'GET /v1/review-items/{itemId}/context': ITEM_LOOKUP,
  'GET /v1/review-items/{itemId}/audit': ITEM_LOOKUP,
  'POST /v1/review-items/{itemId}/release': {
    ...ITEM_LOOKUP,
    409: ['ITEM_NOT_CLAIMED', ...ITEM_CLOSED, 'ITEM_ALREADY_CLAIMED', 'VERSION_CONFLICT'],
  },
  'POST /v1/review-items/{itemId}/reassign': {
    ...ITEM_LOOKUP,
    403: ['SUPERVISOR_ONLY', 'OTHER_PROVINCE'],
    409: [...ITEM_CLOSED, 'VERSION_CONFLICT'],
    422: ['UNKNOWN_OFFICER'],
  },
  'POST /v1/review-items/{itemId}/reveal': { ...ITEM_LOOKUP, 400: ['PURPOSE_REQUIRED'] },
};

/**
 * Codes thrown only inside workflows (step Lambdas: Step Functions error names, recorded as reasons, never an
 * HTTP answer) or by the health check's own 503 body (documented by its Health schema).
 */
export const NON_HTTP_CODES = [
  'INVALID_STATE',
  'APPROVAL_NOT_APPROVE',
  'SETTLEMENT_CANCELLED',
  'RULE_DATA_UNAVAILABLE',
  'SERVICE_UNAVAILABLE',
  // The unemployment assessment's conflict codes are the employer's reason codes (EMPLOYER_NOT_CLOSED, …): a step error.
] as const;

/** What a route is, for the codes it shares with its kind. */
export interface RouteShape {
  method: 'GET' | 'POST';
  path: string;
  auth: RouteAuth;
  body: boolean;
  bodyOptional: boolean;
  query: boolean;
}

const merge = (into: Record<number, Set<string>>, codes: CodesByStatus) => {
  for (const [status, list] of Object.entries(codes)) for (const code of list ?? []) (into[Number(status)] ??= new Set()).add(code);
};

/** Every error code of a route, by status (sorted statuses, codes in a stable order). */
export function errorCodesOf(route: RouteShape): Record<number, string[]> {
  const out: Record<number, Set<string>> = {};
  const own = routeErrorCodes[`${route.method} ${route.path}`];
  if (!own) throw new Error(`No error codes for route ${route.method} ${route.path} (functions/api/openapi/errorCodes.ts)`);
  if (route.body) merge(out, { 400: ['MALFORMED_JSON', ...(route.bodyOptional || route.auth === 'paymentGateway' ? [] : ['MISSING_BODY']), 'VALIDATION_FAILED'] });
  if (route.query) merge(out, { 400: ['VALIDATION_FAILED'] });
  if (route.path.includes('{')) merge(out, { 400: ['INVALID_PATH_PARAMETER'] });
  if (route.auth === 'consumer') merge(out, { 401: ['UNAUTHENTICATED'], 403: ['INSUFFICIENT_SCOPE'] });
  if (route.auth === 'staff') merge(out, { 401: ['UNAUTHENTICATED'] });
  if (route.auth === 'paymentGateway') merge(out, { 401: ['INVALID_SIGNATURE', 'STALE_SIGNATURE'] });
  merge(out, own);
  if (route.method === 'POST') merge(out, { 413: ['PAYLOAD_TOO_LARGE'] });
  merge(out, { 500: ['INTERNAL_ERROR'], 504: ['GATEWAY_TIMEOUT'] });
  return Object.fromEntries(
    Object.entries(out)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([status, codes]) => [status, [...codes]]),
  );
}
