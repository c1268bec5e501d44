/**
 * Response schemas of the staff routes (review queue and console, functions/api/reviewItems.ts and
 * reviewConsole.ts), from the views the services build: reviewItemsRepository.ts toStaffView / toAuditView,
 * reviewConsole.ts (queue rows, stats, context, audit trail, officers, reveal) and household/paymentReports.ts
 * (refunds due). Open objects (`looseObject`) as every response schema; a `reason` is left open (its shape is
 * the reasons' own, documented where it is made).
 */
import { reasonSchema, refundReasonSchema } from './reasonSchemas';
import * as z from 'zod';
import { APPLICATION_STATUSES, REVIEW_REASON_CODES, SERVICE_NAMES } from '../../domain/types';

const isoInstant = z.string().meta({ format: 'date-time' });
const calendarDate = z.string().meta({ format: 'date' });
const vnd = z.number().int().meta({ description: 'Integer VND' });
const service = z.enum(SERVICE_NAMES);
const applicationStatus = z.enum(APPLICATION_STATUSES);
const reason = reasonSchema.meta({ description: 'Why the item is in the queue: the review reason code and its message, ready to show.' });

export const reviewItemStatus = z.enum(['OPEN', 'CLAIMED', 'APPROVED', 'REJECTED', 'EXPIRED']).meta({ id: 'ReviewItemStatus' });
const reviewReasonCode = z.enum(REVIEW_REASON_CODES).meta({ id: 'ReviewReasonCode' });

const identityClaim = z
  .looseObject({
    personalId: z.string().meta({ description: 'Masked (the last digits only) unless revealed' }),
    fullName: z.string(),
    dateOfBirth: calendarDate,
    sex: z.enum(['MALE', 'FEMALE']).optional(),
  })
  .meta({ id: 'IdentityClaim', description: 'An identity as declared (or as the registry has it).' });

const comparisonRow = z.looseObject({
  field: z.enum(['personalId', 'fullName', 'dateOfBirth', 'sex']),
  submitted: z.string().nullable(),
  registry: z.string().nullable().meta({ description: 'null when the registry has no record of the person' }),
  matches: z.boolean(),
  note: z.enum(['DIFFERS_ONLY_BY_DIACRITICS', 'DIFFERS_ONLY_BY_NORMALIZATION']).optional(),
});

const fieldCheck = z
  .looseObject({
    field: z.enum(['personalId', 'fullName', 'dateOfBirth', 'sex', 'household']),
    declared: z.string().nullable().meta({ description: 'What the citizen declared (personal ID masked); null: not declared' }),
    registry: z.string().nullable().meta({ description: 'What the registry returned; null: nothing returned (see outcome and why)' }),
    outcome: z.enum(['MATCH', 'DIFFERS', 'NOT_DECLARED', 'NOT_FOUND', 'INCONSISTENT', 'NOT_CHECKED', 'VERIFIED_EARLIER', 'FOUND']).meta({
      description:
        'NOT_FOUND only when the registry answered it has no record; NOT_CHECKED when it was not asked (an offline pre-check failed) or not reachable; ' +
        'INCONSISTENT: the pre-check found the value contradicts the personal ID digits; VERIFIED_EARLIER: the head, verified before the household check',
    }),
    note: z.enum(['DIFFERS_ONLY_BY_DIACRITICS', 'DIFFERS_ONLY_BY_NORMALIZATION']).optional(),
    why: z
      .looseObject({
        code: z.enum([
          'PRECHECK_ID_YEAR', 'PRECHECK_ID_CENTURY', 'PRECHECK_ID_SEX', 'REGISTRY_NOT_ASKED_PRECHECK', 'REGISTRY_NOT_ASKED_ID_FORMAT',
          'REGISTRY_UNREACHABLE', 'REGISTRY_ANSWER_NOT_KEPT', 'REGISTRY_NO_RECORD', 'REGISTRY_NO_HOUSEHOLD', 'HEAD_VERIFIED_BY_REGISTRY', 'HEAD_VERIFIED_BY_STAFF',
        ]),
        message: z.looseObject({ vi: z.string(), en: z.string() }),
      })
      .optional()
      .meta({ description: 'Why the field has no registry value, or how the pre-check failed (e.g. the ID digits against the declared year of birth)' }),
  })
  .meta({ id: 'FieldCheck', description: 'What was checked for one field of the declaration.' });

const deadlineBasis = z
  .enum(['WORKING_TIME', 'CALENDAR_DAYS', 'STACK_TIMEOUT', 'CALENDAR'])
  .meta({
    id: 'DeadlineBasis',
    description:
      "How the target and deadline were counted: the province's working time; calendar days (a year without public-holiday data); " +
      "the stack's shorter review timeout (calendar hours); CALENDAR: calendar hours (an item opened without a planned window)",
  });

const decision = z.looseObject({
  decision: z.enum(['APPROVE', 'REJECT']),
  reviewItemId: z.string(),
  decidedBy: z.string().meta({ description: 'Staff id (never a personal ID)' }),
  decidedAt: isoInstant,
  corrections: z.looseObject({}).nullable().meta({ description: 'APPROVE only: the corrected identity fields' }),
});

export const reviewItemSchema = z
  .looseObject({
    itemId: z.string(),
    provinceCode: z.string(),
    status: reviewItemStatus,
    service,
    applicationId: z.string(),
    checkKind: z.enum(['PERSON', 'HOUSEHOLD_MEMBERS']),
    subjectRole: z.enum(['HEAD_OF_HOUSEHOLD', 'APPLICANT']),
    reasonCode: reviewReasonCode,
    reason,
    submitted: identityClaim,
    registrySnapshot: z.unknown().meta({ description: "What the registry returned (masked), or null: the person, or the head's household" }),
    comparison: z.array(comparisonRow).meta({ description: 'Submitted vs registry, field by field (registry null whatever the reason; fieldChecks says what was checked)' }),
    fieldChecks: z.array(fieldCheck).meta({ description: 'What was checked, field by field: declared, the registry answer, or not checked and why; empty for items opened before it was recorded' }),
    reviewWindow: z
      .looseObject({
        basis: deadlineBasis,
        missingHolidayYear: z.number().int().nullable().meta({ description: 'CALENDAR_DAYS: the year without public-holiday data' }),
      })
      .nullable()
      .meta({ description: 'How the target and the deadline were counted; null for items opened before working time (calendar hours)' }),
    householdProblems: z.array(z.looseObject({})).optional().meta({ description: 'Household snapshots only: every member problem the pre-check finds' }),
    createdAt: isoInstant,
    dueAt: isoInstant.meta({ description: 'The review deadline: the application ends EXPIRED then' }),
    claimedBy: z.string().nullable(),
    claimedAt: isoInstant.nullable(),
    decision: decision.nullable(),
    resume: z.enum(['NONE', 'PENDING', 'DONE']).meta({ description: 'Delivery of the decision to the waiting workflow' }),
    resumeNote: z.string().nullable(),
    closedReason: z.string().nullable().meta({ description: 'Why the item was closed without a decision when its application ended' }),
    version: z.number().int().min(1).meta({ description: 'Send it back as expectedVersion to act only on what was read' }),
    revealed: z.boolean(),
  })
  .meta({ id: 'ReviewItem', description: 'A review item as staff see it (personal IDs masked, never a task token).' });

const auditView = z.looseObject({ action: z.string(), at: isoInstant, by: z.string(), detail: z.looseObject({}).nullable() });

export const reviewItemDetailSchema = reviewItemSchema
  .extend({
    history: z.array(auditView).meta({ description: 'Every action on the item, oldest first' }),
  })
  .meta({ id: 'ReviewItemDetail', description: 'A review item with its history.' });

export const reviewItemListSchema = z
  .looseObject({
    items: z.array(reviewItemSchema),
    nextCursor: z.string().nullable().meta({ description: 'Pass as cursor for the next page; null: the last page (always null for a search)' }),
    searchedBy: z
      .enum(['REVIEW_ITEM_ID', 'APPLICATION_ID', 'PERSONAL_ID', 'NAME'])
      .optional()
      .meta({ description: 'A search (q) only: what the query was read as' }),
    truncated: z.boolean().optional().meta({ description: 'A search (q) only: more items matched than are returned; narrow the query' }),
  })
  .meta({ id: 'ReviewItemPage', description: 'A page of the queue, or the matches of a search (q: newest first, not paged).' });

export const resolveAnswerSchema = z
  .looseObject({
    item: reviewItemSchema,
    resumePending: z.boolean().meta({ description: 'true (202): the decision is recorded; the sweeper delivers it to the workflow later' }),
    resumeNote: z.string().nullable(),
  })
  .meta({ id: 'ReviewDecisionRecorded' });

export const registryRecheckResultSchema = z
  .object({
    itemId: z.string(),
    applicationId: z.string(),
    outcome: z.enum(['RESUMED', 'NEW_REASON', 'STILL_UNAVAILABLE', 'CHANGED_MEANWHILE']).meta({
      description:
        'RESUMED: the registry check passed, the item is approved in the supervisor\'s name and the application goes on; NEW_REASON: the registry answered with another problem, the item stays open with it; STILL_UNAVAILABLE: nothing changed; CHANGED_MEANWHILE: someone acted on the item meanwhile, nothing written',
    }),
    reasonCode: z.enum(REVIEW_REASON_CODES).meta({ description: "The item's reason after the re-check" }),
    resumePending: z.boolean().optional(),
  })
  .meta({ id: 'RegistryRecheckResult' });

export const registryRecheckSummarySchema = z
  .object({
    checked: z.number().int(),
    resumed: z.number().int(),
    newReason: z.number().int(),
    stillUnavailable: z.number().int(),
    items: z.array(registryRecheckResultSchema),
    more: z.boolean().meta({ description: 'More REGISTRY_UNAVAILABLE items are left than one call re-checks (50): call again' }),
  })
  .meta({ id: 'RegistryRecheckSummary' });

export const staffMeSchema = z
  .looseObject({
    staffId: z.string(),
    name: z.string(),
    provinceCode: z.string(),
    provinceName: z.string(),
    roles: z.array(z.enum(['staff', 'supervisor'])),
    supervisor: z.boolean(),
    escalateAfterHours: z.number(),
    reviewDeadlineHours: z.number(),
  })
  .meta({ id: 'StaffMember', description: 'The signed-in officer and the province settings the console uses.' });

export const officersSchema = z
  .looseObject({
    officers: z.array(z.looseObject({ staffId: z.string(), name: z.string(), roles: z.array(z.string()), lastSeenAt: isoInstant })),
  })
  .meta({ id: 'Officers', description: "The province's officers who have signed in at least once." });

const queueRow = z.looseObject({
  itemId: z.string(),
  applicationId: z.string(),
  fullName: z.string().nullable().meta({ description: "The citizen's name as submitted" }),
  maskedPersonalId: z.string().nullable().meta({ description: "The citizen's personal ID, masked (never in full)" }),
  status: reviewItemStatus,
  service,
  reasonCode: reviewReasonCode,
  reason,
  createdAt: isoInstant,
  dueAt: isoInstant,
  escalateAt: isoInstant.meta({ description: "The officer's target time (Hạn xử lý)" }),
  overdue: z.boolean(),
  pastDeadline: z.boolean(),
  escalated: z.boolean(),
  escalatedAt: isoInstant.nullable(),
  claimedBy: z.string().nullable(),
  claimedByName: z.string().nullable().meta({ description: "The holder's display name (null: unknown)" }),
  claimedAt: isoInstant.nullable(),
  decidedBy: z.string().nullable(),
  decidedByName: z.string().nullable().meta({ description: "The deciding officer's display name (null: unknown)" }),
  decidedAt: isoInstant.nullable(),
  expiredAt: isoInstant.nullable(),
  version: z.number().int(),
});

export const reviewQueueSchema = z
  .looseObject({
    now: isoInstant,
    status: z.enum(['ACTIVE', 'OPEN', 'CLAIMED', 'APPROVED', 'REJECTED', 'EXPIRED']),
    items: z.array(queueRow).meta({ description: "Queue rows: the citizen's name and masked personal ID, the officers' names" }),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'ReviewQueuePage' });

const count = z.number().int().min(0);
export const reviewStatsSchema = z
  .looseObject({
    now: isoInstant,
    provinceCode: z.string(),
    byStatus: z.looseObject({ OPEN: count, CLAIMED: count, APPROVED: count, REJECTED: count, EXPIRED: count }),
    decidedWindowDays: z.number().int(),
    overdue: count,
    escalated: count,
    byReason: z.record(z.string(), z.looseObject({ open: count, claimed: count })).optional().meta({ description: 'Supervisors only' }),
    byStaff: z
      .record(z.string(), z.looseObject({ claimed: count, overdue: count, approved30d: count, rejected30d: count }))
      .optional()
      .meta({ description: 'Supervisors only' }),
    oldestOpen: z.looseObject({ itemId: z.string(), createdAt: isoInstant, ageSeconds: z.number() }).nullable().optional().meta({ description: 'Supervisors only' }),
  })
  .meta({ id: 'ReviewStats' });

export const reviewNoticesSchema = z
  .looseObject({
    now: isoInstant,
    notices: z.array(
      z.looseObject({
        kind: z.enum(['ESCALATED']),
        itemId: z.string(),
        reasonCode: reviewReasonCode,
        reason,
        at: isoInstant.meta({ description: 'When the supervisors were told' }),
        openedAt: isoInstant,
        escalateAt: isoInstant,
        dueAt: isoInstant,
        ageHours: z.number().int().min(0).meta({ description: "The item's age when the notice was sent" }),
      }),
    ).meta({ description: 'Newest first (the last 50); nothing personal: open the item to see whom it is about' }),
  })
  .meta({ id: 'ReviewNotices', description: "The province's supervisor notices (escalated review items)." });

export const itemContextSchema = z
  .looseObject({
    itemId: z.string(),
    now: isoInstant,
    escalateAt: isoInstant,
    overdue: z.boolean(),
    pastDeadline: z.boolean(),
    escalated: z.boolean(),
    escalatedAt: isoInstant.nullable(),
    application: z
      .looseObject({
        applicationId: z.string(),
        service,
        status: applicationStatus,
        createdAt: isoInstant,
        updatedAt: isoInstant,
        reason: reasonSchema.nullable(),
        timeline: z.array(z.looseObject({ at: isoInstant, event: z.string() })),
      })
      .nullable(),
  })
  .meta({ id: 'ReviewItemContext', description: "The item's escalation and its application's timeline (masked)." });

const nullableObject = z.looseObject({}).nullable();
export const auditTrailSchema = z
  .looseObject({
    itemId: z.string(),
    entries: z.array(
      z.looseObject({
        itemId: z.string(),
        seq: z.string(),
        action: z.string(),
        at: isoInstant,
        by: z.string().meta({ description: 'Staff id, or "system"' }),
        byName: z.string().nullable().meta({ description: "The officer's display name (null: the system, or unknown)" }),
        before: nullableObject,
        after: nullableObject,
        detail: nullableObject,
      }),
    ),
    officerNames: z.record(z.string(), z.string()).meta({ description: 'Staff id → display name of every officer the entries name' }),
  })
  .meta({ id: 'ReviewAuditTrail', description: 'Who did what and when, with the state before and after.' });

export const revealSchema = z
  .looseObject({
    itemId: z.string(),
    revealedAt: isoInstant,
    personalId: z.string().meta({ description: 'The full submitted personal ID' }),
    registryPersonalId: z.string().nullable().meta({ description: "The registry's, when it has a record" }),
  })
  .meta({ id: 'RevealedPersonalId', description: 'The unmasked personal IDs of one item; the reveal is audited with its purpose.' });

export const refundsDueSchema = z
  .looseObject({
    items: z.array(
      z.looseObject({
        refundId: z.string(),
        gatewayReference: z.string(),
        paymentRequestId: z.string(),
        applicationId: z.string(),
        amount: vnd,
        paidAt: isoInstant,
        receivedAt: isoInstant,
        reason: refundReasonSchema.nullable(),
      }),
    ),
    count,
    totalAmount: vnd,
  })
  .meta({ id: 'RefundsDue', description: 'Payments that bought nothing, to refund (supervisors).' });
