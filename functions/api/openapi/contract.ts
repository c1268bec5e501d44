/**
 * The HTTP contract of every catalog route, as zod schemas: the request bodies and queries are the very schemas
 * the handlers validate with (imported, not copied); the response bodies are described here. The OpenAPI
 * document (document.ts) is generated from this table and the catalog's routes, so a route without a contract
 * entry, or a contract entry without a route, fails its test (test/api/openapi.test.ts).
 *
 * Response schemas are open objects (`looseObject`): they name and type every field a client relies on, and
 * tolerate fields added later (additive changes do not break an integrator).
 */
import * as z from 'zod';
import { APPLICATION_STATUSES, SERVICE_NAMES } from '../../domain/types';
import { householdRenewalBodySchema } from '../householdRenewals';
import { unemploymentHistoryBodySchema } from '../unemploymentHistoryRequests';
import { lumpSumClaimBodySchema } from '../lumpSumClaims';
import { paymentCallbackSchema } from '../../household/householdPayments';
import { claimBodySchema, listQuerySchema, resolveBodySchema } from '../reviewItems';
import {
  auditCsvQuerySchema,
  queueQuerySchema,
  reassignBodySchema,
  reconciliationQuerySchema,
  releaseBodySchema,
  revealBodySchema,
} from '../reviewConsole';
import {
  auditTrailSchema,
  reviewNoticesSchema,
  itemContextSchema,
  officersSchema,
  refundsDueSchema,
  resolveAnswerSchema,
  registryRecheckResultSchema,
  registryRecheckSummarySchema,
  revealSchema,
  reviewItemDetailSchema,
  reviewItemListSchema,
  reviewItemSchema,
  reviewQueueSchema,
  reviewStatsSchema,
  staffMeSchema,
} from './staffSchemas';
import { applicationResultSchema } from './resultSchemas';
import { explanationSchema } from './explanationSchemas';
import { reasonSchema } from './reasonSchemas';

const text = z.object({ vi: z.string(), en: z.string() }).meta({ id: 'LocalizedText', description: 'The same text in Vietnamese and in English.' });

export const errorBodySchema = z
  .object({
    code: z.string().meta({ description: 'Stable machine-readable code (e.g. VALIDATION_FAILED, APPLICATION_NOT_FOUND).' }),
    message: text,
    details: z
      .looseObject({
        issues: z
          .array(z.looseObject({ path: z.string(), message: z.string(), messageVi: z.string(), code: z.string() }))
          .optional(),
      })
      .optional(),
  })
  .meta({ id: 'Error', description: 'Every error answer: a stable code and a message in Vietnamese and English.' });

const applicationStatus = z
  .enum(APPLICATION_STATUSES)
  .meta({ id: 'ApplicationStatus' });
const serviceName = z.enum(SERVICE_NAMES).meta({ id: 'ServiceName' });
const isoInstant = z.string().meta({ format: 'date-time' });

export const acceptedSchema = z
  .object({ applicationId: z.string(), status: applicationStatus })
  .meta({ id: 'Accepted', description: 'A submission taken: follow it at the Location header (GET /v1/applications/{applicationId}).' });

export const applicationViewSchema = z
  .looseObject({
    applicationId: z.string(),
    service: serviceName,
    provinceCode: z.string(),
    status: applicationStatus,
    createdAt: isoInstant,
    updatedAt: isoInstant,
    quote: z.lazy(() => householdQuoteSchema).optional(),
    paymentDueAt: isoInstant.optional(),
    paymentRequest: z
      .looseObject({ paymentRequestId: z.string(), amount: z.number().int(), dueAt: isoInstant, status: z.enum(['OPEN', 'PAID', 'CLOSED']) })
      .optional(),
    result: applicationResultSchema.optional(),
    waitingForRuleData: z
      .object({
        missing: text,
        settlementYear: z.number().int().optional(),
        expectedBy: z.string().meta({ format: 'date', description: 'When the missing table is expected to be published' }).optional(),
        since: isoInstant,
      })
      .optional()
      .meta({
        id: 'RuleDataWait',
        description:
          'Only while status is WAITING_FOR_RULE_DATA: the legal data the amount needs is not published yet (the settlement year\'s salary-adjustment table). The claim goes on by itself once it is.',
      }),
    waitingForRegistry: z
      .object({
        since: isoInstant,
        attempts: z.number().int().meta({ description: 'Retries scheduled so far' }),
        nextAttemptAt: isoInstant,
        until: isoInstant.meta({ description: 'When, if the registry still does not answer, a review officer is asked instead' }),
      })
      .optional()
      .meta({
        id: 'RegistryWait',
        description:
          "Only while status is WAITING_FOR_REGISTRY: the national population registry did not answer the identity check; the application retries with back-off over the province's window and goes on by itself once it answers.",
      }),
    reason: reasonSchema.optional().meta({ description: 'Why the application ended REJECTED, EXPIRED or FAILED.' }),
    timeline: z.array(z.looseObject({ at: isoInstant, event: z.string(), status: applicationStatus.optional() })),
  })
  .meta({ id: 'Application', description: "The consumer's own application (personal IDs masked)." });

/** The body of a status-change webhook (functions/domain/webhooks.ts): the public view at that change, wrapped. */
export const webhookEventSchema = z
  .object({
    eventId: z.string().regex(/^EV-[0-9a-f]{64}$/).meta({ description: 'The same on every retry of one change (X-Webhook-Id): de-duplicate on it' }),
    type: z.literal('application.status_changed'),
    occurredAt: isoInstant.meta({ description: 'When the status changed (the application\'s updatedAt)' }),
    applicationId: z.string(),
    service: serviceName,
    status: applicationStatus,
    previousStatus: applicationStatus.optional(),
    application: applicationViewSchema,
  })
  .meta({
    id: 'ApplicationStatusChanged',
    description:
      'Sent when an application reaches WAITING_FOR_REGISTRY, IN_REVIEW, WAITING_FOR_RULE_DATA, AWAITING_PAYMENT (with the payment request), COMPLETED (with the result), REJECTED, EXPIRED or FAILED (with the reason). `application` is what GET /v1/applications/{applicationId} answers at that change.',
  });

const vnd = z.number().int().meta({ description: 'Integer VND' });
const calendarDate = z.string().meta({ format: 'date', description: 'Asia/Ho_Chi_Minh calendar date' });
const legalBasis = z
  .looseObject({ parameter: z.string(), value: z.string(), instrument: z.string(), effectiveFrom: calendarDate })
  .meta({ id: 'LegalBasis', description: 'A legal parameter with the instrument that sets it and its effective date.' });

export const householdQuoteSchema = z
  .looseObject({
    periodMonths: z.union([z.literal(3), z.literal(6), z.literal(12)]),
    paymentDate: calendarDate,
    baseSalary: vnd,
    validThrough: calendarDate,
    members: z.array(
      z.looseObject({
        personalId: z.string().meta({ description: 'Masked (the last digits only)' }),
        fullName: z.string(),
        dateOfBirth: calendarDate,
        relationToHead: z.string(),
        ladderPosition: z.number().int().min(1),
        sharePercent: z.number(),
        monthlyAmount: vnd,
        periodAmount: vnd,
        cardValidFrom: calendarDate,
        cardExpiresOn: calendarDate,
        explanation: explanationSchema.meta({ description: 'Why this member pays monthlyAmount and periodAmount.' }),
      }),
    ),
    excluded: z.array(
      z.looseObject({ personalId: z.string(), fullName: z.string(), dateOfBirth: calendarDate, relationToHead: z.string(), reason: z.string(), reasonText: text }),
    ),
    total: vnd,
    explanation: explanationSchema.meta({ description: "The total as the sum of the members' period amounts." }),
    legalBasis: z.array(legalBasis),
  })
  .meta({ id: 'HouseholdQuote', description: 'The household contribution: each billable member on the discount ladder, the members excluded and why, the total.' });

export const healthSchema = z
  .looseObject({ status: z.enum(['ok', 'degraded', 'down']), parts: z.record(z.string(), z.enum(['up', 'down'])) })
  .meta({ id: 'Health' });

export const paymentCallbackAnswerSchema = z
  .looseObject({
    outcome: z.string().meta({ description: 'APPLIED: the payment renewed the cards and completed the application.' }),
    paymentRequestId: z.string(),
    gatewayReference: z.string(),
    applicationId: z.string(),
    amount: z.number().int(),
    paidAt: isoInstant,
    status: applicationStatus,
    workflowResumed: z.boolean().meta({ description: 'false (202): recorded, but the workflow could not be told yet; it ends by itself.' }),
  })
  .meta({ id: 'PaymentCallbackAnswer', description: 'The payment recorded (200), or recorded with the workflow not told yet (202); the same answer to a repeated callback.' });

export type RouteAuth = 'consumer' | 'staff' | 'paymentGateway' | 'public';

export interface RouteContract {
  summary: string;
  tag: string;
  body?: z.ZodType;
  /** The body may be left out (an empty POST). */
  bodyOptional?: boolean;
  query?: z.ZodType;
  /** Success status → schema (`text/csv` for CSV exports). Error statuses and codes: errorCodes.ts. */
  responses: Record<number, z.ZodType | 'csv'>;
}

/** Keyed by "<METHOD> <path>" exactly as in the catalog's routes. */
export const routeContracts: Record<string, RouteContract> = {
  'GET /v1/health': { summary: 'Health of the province stack', tag: 'Operations', responses: { 200: healthSchema, 503: healthSchema } },
  'POST /v1/household-renewals/quote': {
    summary: 'Quote a household renewal (no side effect)', tag: 'Household renewal',
    body: householdRenewalBodySchema, responses: { 200: householdQuoteSchema },
  },
  'POST /v1/household-renewals': {
    summary: 'Renew the household health-insurance cards of a head of household', tag: 'Household renewal',
    body: householdRenewalBodySchema, responses: { 202: acceptedSchema },
  },
  'POST /v1/unemployment-history-requests': {
    summary: "Confirm a worker's unemployment-insurance contribution history", tag: 'Unemployment history',
    body: unemploymentHistoryBodySchema, responses: { 202: acceptedSchema },
  },
  'POST /v1/lump-sum-claims': {
    summary: 'Claim the lump-sum social-insurance withdrawal', tag: 'Lump sum',
    body: lumpSumClaimBodySchema, responses: { 202: acceptedSchema },
  },
  'GET /v1/applications/{applicationId}': {
    summary: "One of the consumer's applications", tag: 'Applications', responses: { 200: applicationViewSchema },
  },
  'POST /v1/payment-callbacks': {
    summary: "The payment gateway's signed notice of a payment", tag: 'Payments',
    body: paymentCallbackSchema, responses: { 200: paymentCallbackAnswerSchema, 202: paymentCallbackAnswerSchema },
  },
  'GET /v1/review-items': { summary: "The province's review items", tag: 'Review queue', query: listQuerySchema, responses: { 200: reviewItemListSchema } },
  'GET /v1/review-items/{itemId}': { summary: 'One review item', tag: 'Review queue', responses: { 200: reviewItemDetailSchema } },
  'POST /v1/review-items/{itemId}/claim': {
    summary: 'Claim a review item', tag: 'Review queue', body: claimBodySchema, bodyOptional: true, responses: { 200: reviewItemSchema },
  },
  'POST /v1/review-items/{itemId}/resolve': {
    summary: 'Approve or reject a claimed review item', tag: 'Review queue',
    body: resolveBodySchema, responses: { 200: resolveAnswerSchema, 202: resolveAnswerSchema },
  },
  'POST /v1/review-items/{itemId}/recheck-registry': {
    summary: 'Re-run the registry check of a REGISTRY_UNAVAILABLE item (supervisors)', tag: 'Review queue',
    responses: { 200: registryRecheckResultSchema },
  },
  'POST /v1/review-items/recheck-registry': {
    summary: "Re-run the registry check of every active REGISTRY_UNAVAILABLE item of the province (supervisors)", tag: 'Review queue',
    responses: { 200: registryRecheckSummarySchema },
  },
  'GET /v1/staff/me': { summary: 'The signed-in officer', tag: 'Staff console', responses: { 200: staffMeSchema } },
  'GET /v1/staff/officers': { summary: "The province's officers", tag: 'Staff console', responses: { 200: officersSchema } },
  'GET /v1/review-queue': { summary: 'The console queue', tag: 'Staff console', query: queueQuerySchema, responses: { 200: reviewQueueSchema } },
  'GET /v1/review-stats': { summary: 'Queue statistics', tag: 'Staff console', responses: { 200: reviewStatsSchema } },
  'GET /v1/review-notices': { summary: 'Escalations the supervisors were told of (supervisors)', tag: 'Staff console', responses: { 200: reviewNoticesSchema } },
  'GET /v1/review-audit.csv': { summary: 'The audit trail as CSV', tag: 'Staff console', query: auditCsvQuerySchema, responses: { 200: 'csv' } },
  'GET /v1/refunds-due': { summary: 'Payments to refund (supervisors)', tag: 'Payments', responses: { 200: refundsDueSchema } },
  'GET /v1/payments-reconciliation.csv': {
    summary: "A day's payments as CSV (supervisors)", tag: 'Payments', query: reconciliationQuerySchema, responses: { 200: 'csv' },
  },
  'GET /v1/review-items/{itemId}/context': { summary: "The item's escalation and its application's timeline", tag: 'Staff console', responses: { 200: itemContextSchema } },
  'GET /v1/review-items/{itemId}/audit': { summary: "An item's audit trail", tag: 'Staff console', responses: { 200: auditTrailSchema } },
  'POST /v1/review-items/{itemId}/release': {
    summary: 'Release a claimed item', tag: 'Staff console', body: releaseBodySchema, bodyOptional: true, responses: { 200: reviewItemSchema },
  },
  'POST /v1/review-items/{itemId}/reassign': {
    summary: 'Reassign an item to another officer', tag: 'Staff console', body: reassignBodySchema, responses: { 200: reviewItemSchema },
  },
  'POST /v1/review-items/{itemId}/reveal': {
    summary: 'Reveal the full personal ID (audited, with a purpose)', tag: 'Staff console',
    body: revealBodySchema, bodyOptional: true, responses: { 200: revealSchema },
  },
  'GET /v1/openapi.json': { summary: 'This document', tag: 'Operations', responses: { 200: z.looseObject({ openapi: z.string() }) } },
};
