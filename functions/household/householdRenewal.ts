/**
 * Household health-insurance renewal (gia hạn thẻ BHYT hộ gia đình): the services used by both the workflow's
 * step handlers and the HTTP API.
 *
 *   quoteHousehold              synchronous quote for POST /v1/household-renewals/quote (no side effects)
 *   submitHouseholdRenewal      POST /v1/household-renewals: idempotent create + StartExecution
 *   classifyMembers             step ClassifyHouseholdMembers
 *   recordQuoteAndAwaitPayment  step AwaitHouseholdPayment (waitForTaskToken)
 *   (payment callback           householdPayments.receivePaymentCallback, POST /v1/payment-callbacks: renews every
 *                               card and completes the application in ONE transaction; renewalCardItems here)
 *
 * Decisions (see also the function comments):
 * - Idempotency: an Idempotency-Key maps to the (random) application id through its idempotency record, so a
 *   retried submit lands on the same application and starts the execution with the same name (StartExecution is
 *   idempotent by name; ExecutionAlreadyExists counts as started). The canonical request hash detects the same
 *   key reused for a different body (422 IDEMPOTENCY_KEY_REUSED).
 * - Payment: the application gets a payment request at AWAITING_PAYMENT, which holds the quote (written once) and
 *   the wait's task token (householdPayments.ts has the signed callback, the refunds due and the order of checks).
 * - Renewal: the cards get exactly the quoted dates; every Put is conditioned on the expiry the quote was computed
 *   from. A card that changed since the quote (another expiry, or another coverage group in force on the payment
 *   date) is never extended silently: CARD_CHANGED_SINCE_QUOTE, the application ends FAILED and the payment is a
 *   refund due (one transaction, in the payment callback).
 * - Cost (issue 10): a 4-member renewal writes 20 WRU (was ~70): submit 2 (two Puts), AwaitHouseholdPayment 4
 *   (hold, request, application), the payment transaction 14 (gateway txn, application, 4 cards, hold: 7 items
 *   × 2). The application item stays under 1 KB; the quote is never rewritten.
 * - Size: one TransactWriteItems holds at most 100 items. The largest is the payment (gateway txn + application +
 *   a card per member + the household hold + ≤ 3 superseded contenders = n + 5), so a household with more than
 *   95 billable members is refused at quote time (HOUSEHOLD_TOO_LARGE, 422) instead of being split: a split would
 *   break "all cards and COMPLETED together".
 */
import { applicationsRepository, type ApplicationRecord } from '../adapters/applicationsRepository';
import { encodeQuote, paymentsRepository } from '../adapters/paymentsRepository';
import { paymentRequestId as newPaymentRequestId } from '../shared/ids';
import { holderOf, joinHouseholdHold, rejectRenewalInProgress, RenewalInProgressError } from './renewalHolds';
import {
  canonicalJson,
  submitApplication,
  type ServiceSubmission,
  type SubmitResult,
} from '../applications/submitApplication';
import { getHealthCards, renewCardUpdate, type TransactItem } from '../adapters/insuranceRecordsRepository';
import type { PopulationRegistry } from '../adapters/populationRegistry';
import { runIdentityCheck } from '../identity/identityChecks';
import { classifyHousehold, isCardInForce } from '../domain/household/coverage';
import { lastPaymentDateKeepingValidity } from '../domain/household/cardValidity';
import { reviewReasonLabel } from '../domain/reviewReasons';
import { minDate } from '../domain/dates';
import type {
  HouseholdClassification,
  HouseholdQuote,
  IdentityClaim,
  PersonCheckResult,
  HouseholdCheckResult,
  RegistryHouseholdMember,
  RenewalPeriodMonths,
  ReviewReasonCode,
} from '../domain/types';
import { config } from '../shared/config';
import { addSeconds, now as clockNow } from '../shared/clock';
import {
  AppError,
  ConflictError,
  NotFoundError,
  RegistryUnavailableError,
  TransientError,
} from '../shared/errors';
import { maskPersonalId } from '../shared/logger';
import { asStepError } from '../shared/steps';
import { assertRenewableSize, priceClassification } from './householdPricing';

export {
  assertRenewableSize,
  headPersonalIdOf,
  HouseholdTooLargeError,
  MAX_BILLABLE_MEMBERS,
  priceClassification,
} from './householdPricing';

export const SERVICE = 'HOUSEHOLD_RENEWAL' as const;
export const APPLICATION_ID_PREFIX = 'HR-';

// ---------------------------------------------------------------------------------------------------------------
// Errors

export class IdentityNotVerifiedError extends AppError {
  constructor(reasonCode: ReviewReasonCode, checkKind: 'PERSON' | 'HOUSEHOLD_MEMBERS') {
    const label = reviewReasonLabel(reasonCode);
    super(
      'IDENTITY_NOT_VERIFIED',
      422,
      `Không thể tính mức đóng: ${label.vi}. Vui lòng nộp hồ sơ để cán bộ xem xét.`,
      `Cannot quote: ${label.en}. Please submit an application so that staff can review it.`,
      { reasonCode, checkKind, reason: label },
    );
    this.name = 'IdentityNotVerified';
  }
}

function applicationNotFound(): NotFoundError {
  return new NotFoundError({ vi: 'hồ sơ', en: 'Application' }, 'APPLICATION_NOT_FOUND');
}

// ---------------------------------------------------------------------------------------------------------------
// Classification and quote

/** Loads the members' cards and splits the household into billable and excluded members. */
export async function classifyMembers(
  members: RegistryHouseholdMember[],
  asOfDate: string,
): Promise<HouseholdClassification> {
  const cards = await getHealthCards(members.map((m) => m.personalId));
  return classifyHousehold(
    members.map((member) => ({ member, card: cards.get(member.personalId) ?? null })),
    asOfDate,
  );
}

export interface HouseholdRenewalRequest {
  head: IdentityClaim;
  periodMonths: RenewalPeriodMonths;
}

/**
 * The synchronous quote: verifies the head and fetches the household from the registry, classifies and prices
 * for payment today. Anything that would need a staff decision is a 422 IDENTITY_NOT_VERIFIED (a quote never
 * opens a review item); a registry outage is a 503 REGISTRY_UNAVAILABLE.
 */
export async function quoteHousehold(
  request: HouseholdRenewalRequest,
  registry: PopulationRegistry,
  today: string,
): Promise<HouseholdQuote> {
  const person = await runIdentityCheck(
    { checkKind: 'PERSON', subjectRole: 'HEAD_OF_HOUSEHOLD', subject: request.head, context: {}, approval: null },
    registry,
    today,
  );
  requirePassed(person, 'PERSON');
  const head = (person.result as PersonCheckResult).person;

  const household = await runIdentityCheck(
    {
      checkKind: 'HOUSEHOLD_MEMBERS',
      subjectRole: 'HEAD_OF_HOUSEHOLD',
      subject: head,
      context: { headVerifiedBy: person.verifiedBy ?? undefined },
      approval: null,
    },
    registry,
    today,
  );
  requirePassed(household, 'HOUSEHOLD_MEMBERS');
  const { members } = household.result as HouseholdCheckResult;

  const classification = await classifyMembers(members, today);
  return priceClassification(classification, {
    periodMonths: request.periodMonths,
    paymentDate: today,
    headPersonalId: head.personalId,
  });
}

function requirePassed(
  outcome: { outcome: 'PASSED' | 'NEEDS_REVIEW'; reasonCode: ReviewReasonCode | null; result: unknown },
  checkKind: 'PERSON' | 'HOUSEHOLD_MEMBERS',
): void {
  if (outcome.outcome === 'PASSED' && outcome.result) return;
  if (outcome.reasonCode === 'REGISTRY_UNAVAILABLE') throw new RegistryUnavailableError();
  throw new IdentityNotVerifiedError(outcome.reasonCode ?? 'PERSON_NOT_FOUND', checkKind);
}

// ---------------------------------------------------------------------------------------------------------------
// Submit (the generic, idempotent submission of functions/applications/submitApplication.ts)

export { canonicalJson, type SubmitResult };

const submission: ServiceSubmission<HouseholdRenewalRequest> = {
  service: SERVICE,
  idPrefix: APPLICATION_ID_PREFIX,
  stateMachineArn: () => config.householdRenewalStateMachineArn(),
  workflowInput: (_record, request) => ({
    head: request.head,
    periodMonths: request.periodMonths,
    paymentTimeoutSeconds: config.paymentTimeoutSeconds(),
  }),
  logFields: (request) => ({ head: maskPersonalId(request.head.personalId) }),
};

/**
 * Creates the application (RECEIVED) and starts its workflow, idempotently:
 * - the same Idempotency-Key (same consumer) and the same body → the same application (the idempotency record maps
 *   the key to its random id), no second item, the execution started once (by name); a crash between the create
 *   and the start is repaired by the retry, which finds the item without executionArn and starts it;
 * - the same key with another body → 422 IDEMPOTENCY_KEY_REUSED.
 */
export async function submitHouseholdRenewal(
  params: { body: HouseholdRenewalRequest; idempotencyKey?: string; consumerId: string },
  now: Date,
): Promise<SubmitResult> {
  const { body, idempotencyKey, consumerId } = params;
  const request: HouseholdRenewalRequest = { head: body.head, periodMonths: body.periodMonths };
  return submitApplication(submission, { request, idempotencyKey, consumerId }, now);
}

// ---------------------------------------------------------------------------------------------------------------
// Awaiting payment

/** The instant a Vietnam calendar day ends (23:59:59.999 Asia/Ho_Chi_Minh), as ISO. */
function endOfVietnamDay(date: string): string {
  return new Date(Date.parse(`${date}T23:59:59.999+07:00`)).toISOString();
}

/** Personal ID → expiry of the card the quote was computed from (null: no card on record). */
async function quotedCardsOf(quote: HouseholdQuote, classification?: HouseholdClassification): Promise<Record<string, string | null>> {
  const ids = quote.members.map((m) => m.personalId);
  const fromClassification = new Map((classification?.billable ?? []).map((b) => [b.member.personalId, b.card]));
  const missing = ids.filter((id) => !fromClassification.has(id));
  const read = missing.length > 0 ? await getHealthCards(missing) : new Map();
  return Object.fromEntries(ids.map((id) => [id, (fromClassification.has(id) ? fromClassification.get(id) : read.get(id))?.expiresOn ?? null]));
}

/**
 * Step AwaitHouseholdPayment: opens the payment request (with the quote and the server-only task token) and
 * moves the application to AWAITING_PAYMENT. The request's deadline is the payment timeout, but never later than
 * the last payment date on which the quote can be honoured exactly (its amounts: validThrough; its card dates:
 * cardValidity.lastPaymentDateKeepingValidity). A retried invocation keeps the open request (and its deadline)
 * and only replaces the token.
 *
 * Three ordered conditional writes instead of one transaction (issue 10: 4 WRU instead of 8 for 4 members):
 *   1. join the household hold (Put attribute_not_exists / Update on the version read), naming the request id;
 *   2. Put the payment request (attribute_not_exists): amount, deadline, token, the quote (compressed, once);
 *   3. the application → AWAITING_PAYMENT with paymentRequestId and householdId (conditioned on its status).
 * Why that is as safe: money only moves through the payment callback, which needs the application
 * AWAITING_PAYMENT naming that request (3, written last: before it nobody, the gateway included, knows the
 * request id) and conditions its own transaction on exactly that. A crash after 1 or 2 leaves a contender entry
 * or a request nobody can name: the workflow's retry joins again (replacing the entry) with a new request, and
 * a contender whose application never got further or has ended is dropped by the next join and skipped by the
 * winner's payment. A winner paying between 1 and 3 supersedes this application (REJECTED, conditioned on its
 * status), so 3 fails its condition and the step ends RenewalInProgress, as if it had lost the join.
 */
export async function recordQuoteAndAwaitPayment(params: {
  applicationId: string;
  quote: HouseholdQuote;
  paymentTimeoutSeconds: number;
  taskToken: string;
  classification?: HouseholdClassification;
  householdId?: string | null;
}): Promise<{ applicationId: string; status: 'AWAITING_PAYMENT'; paymentDueAt: string; paymentRequestId: string }> {
  const { applicationId, quote, paymentTimeoutSeconds, taskToken } = params;
  const record = await applicationsRepository.get(applicationId);
  if (!record) throw applicationNotFound();
  if (record.status === 'AWAITING_PAYMENT' && record.paymentRequestId) {
    const request = await paymentsRepository.getRequest(record.paymentRequestId);
    if (request) {
      await paymentsRepository.replaceTaskToken(request.paymentRequestId, taskToken);
      return { applicationId, status: 'AWAITING_PAYMENT', paymentDueAt: request.dueAt, paymentRequestId: request.paymentRequestId };
    }
  }
  supersededAlready(record);
  const quoteCards = await quotedCardsOf(quote, params.classification);
  const honouredThrough = quote.members.reduce(
    (through, m) => {
      const expiresOn = quoteCards[m.personalId];
      const card = expiresOn === null ? null : { personalId: m.personalId, socialInsuranceNumber: '', coverageGroup: 'HOUSEHOLD' as const, validFrom: expiresOn, expiresOn };
      return minDate(through, lastPaymentDateKeepingValidity(card, quote.paymentDate));
    },
    quote.validThrough,
  );
  const at = clockNow();
  const timeoutAt = addSeconds(at, paymentTimeoutSeconds).toISOString();
  const paymentDueAt = [timeoutAt, endOfVietnamDay(honouredThrough)].sort()[0];
  const paymentRequestId = newPaymentRequestId();
  const householdId = params.householdId ?? null;

  try {
    // 1. the household hold
    const hold = await joinHouseholdHold(record, householdId, paymentRequestId);
    if (!hold.ok) {
      await rejectRenewalInProgress(record, hold.holderApplicationId);
      throw new RenewalInProgressError(hold.holderApplicationId);
    }
    // 2. the payment request, with the quote (written once) and the token
    await paymentsRepository.createRequest({
      paymentRequestId,
      applicationId,
      provinceCode: record.provinceCode,
      amount: quote.total,
      dueAt: paymentDueAt,
      createdAt: at.toISOString(),
      householdId,
      taskToken,
      quoteZ: encodeQuote({ quote: quote as unknown as Record<string, unknown>, quoteCards }),
    });
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') {
      // The hold changed between the read and the write (another renewal joined or paid): decide again.
      throw new TransientError('AwaitHouseholdPayment: the household hold changed meanwhile');
    }
    throw error instanceof RenewalInProgressError ? error : asStepError(error);
  }
  // 3. the application, last
  try {
    await applicationsRepository.transition(applicationId, {
      to: 'AWAITING_PAYMENT',
      event: 'AWAITING_PAYMENT',
      // Only the amount (the officers' timeline shows it): the view shows the payment request, kept out of the item
      // to keep it under 1 KB.
      detail: { total: quote.total },
      set: { paymentRequestId, ...(householdId ? { householdId } : {}) },
      allowedFrom: ['RECEIVED', 'VERIFYING', 'IN_REVIEW'],
    });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw asStepError(error);
    const current = await applicationsRepository.get(applicationId);
    if (current) supersededAlready(current);
    throw error;
  }
  return { applicationId, status: 'AWAITING_PAYMENT', paymentDueAt, paymentRequestId };
}

/** An application another renewal's payment has already superseded: RenewalInProgress (its reason is recorded). */
function supersededAlready(record: ApplicationRecord): void {
  if (record.status === 'REJECTED' && record.reason?.code === 'RENEWAL_IN_PROGRESS') {
    throw new RenewalInProgressError(holderOf(record.reason) ?? 'unknown');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Renewal (the payment callback's transaction: householdPayments.ts)

/**
 * The card changes a payment would make, or the members whose card changed since the quote: a card whose expiry
 * is not the one the quote was computed from, or that moved to another coverage group in force on the payment
 * date, is never extended silently (CARD_CHANGED_SINCE_QUOTE).
 */
export async function renewalCardItems(params: {
  applicationId: string;
  quote: HouseholdQuote;
  quoteCards: Record<string, string | null>;
  paymentDate: string;
  at: string;
}): Promise<{ ok: true; items: TransactItem[] } | { ok: false; changed: string[] }> {
  const { applicationId, quote, quoteCards, paymentDate, at } = params;
  assertRenewableSize(quote.members.length);
  const cards = await getHealthCards(quote.members.map((m) => m.personalId));
  const changed = quote.members.filter((m) => {
    const card = cards.get(m.personalId);
    if (card && card.coverageGroup !== 'HOUSEHOLD' && isCardInForce(card, paymentDate)) return true;
    return quoteCards[m.personalId] !== undefined && (card?.expiresOn ?? null) !== quoteCards[m.personalId];
  });
  if (changed.length > 0) return { ok: false, changed: changed.map((m) => maskPersonalId(m.personalId)) };
  const items = quote.members.map((m) => {
    const card = cards.get(m.personalId) ?? null;
    const expected = quoteCards[m.personalId] !== undefined ? quoteCards[m.personalId] : card ? card.expiresOn : null;
    return renewCardUpdate(card ?? { personalId: m.personalId }, { validFrom: m.cardValidFrom, expiresOn: m.cardExpiresOn }, expected, { applicationId, at });
  });
  return { ok: true, items };
}
