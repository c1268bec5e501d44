/**
 * Household health-insurance renewal (gia hạn thẻ BHYT hộ gia đình): the services used by both the workflow's
 * step handlers and the HTTP API.
 *
 *   quoteHousehold              synchronous quote for POST /v1/household-renewals/quote (no side effects)
 *   submitHouseholdRenewal      POST /v1/household-renewals: idempotent create + StartExecution
 *   classifyMembers             step ClassifyHouseholdMembers
 *   recordQuoteAndAwaitPayment  step AwaitHouseholdPayment (waitForTaskToken)
 *   (payment callback           householdPayments.receivePaymentCallback, POST /v1/payment-callbacks)
 *   renewCards                  step RenewHouseholdCards: every card + COMPLETED in ONE transaction
 *
 * Decisions (see also the function comments):
 * - Idempotency: with an Idempotency-Key the application id is derived from sha256(service|consumer|key), so a
 *   retried submit lands on the same item and starts the execution with the same name (StartExecution is
 *   idempotent by name; ExecutionAlreadyExists counts as started). The canonical request hash detects the same
 *   key reused for a different body (422 IDEMPOTENCY_KEY_REUSED).
 * - Payment: the application gets a payment request at AWAITING_PAYMENT (householdPayments.ts has the signed
 *   callback, the refunds due and the order of checks).
 * - Renewal: the cards get exactly the quoted dates; every Put is conditioned on the expiry the quote was computed
 *   from. A card that changed since the quote (another expiry, or another coverage group in force on the payment
 *   date) is never extended silently: CARD_CHANGED_SINCE_QUOTE, the application ends FAILED and the payment is a
 *   refund due (one transaction, RecordOutcome).
 * - Size: one TransactWriteItems holds at most 100 items. The largest are the renewal (a card Put and a card-hold
 *   Delete per member + the household hold + the application = 2n + 2) and the payment (gateway txn + request +
 *   application + household hold + a card hold per member + ≤ 3 superseded contenders × 2), so a household with
 *   more than 49 billable members is refused at quote time (HOUSEHOLD_TOO_LARGE, 422) instead of being split: a
 *   split would break "all cards and COMPLETED together".
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../adapters/dynamo';
import {
  applicationsRepository,
  type ApplicationRecord,
  type PaymentRequestView,
} from '../adapters/applicationsRepository';
import { paymentsRepository } from '../adapters/paymentsRepository';
import { cancellationCodes } from '../reviewQueue/reviewItemsRepository';
import { paymentRequestId as newPaymentRequestId } from '../shared/ids';
import { joinHouseholdHold, rejectRenewalInProgress, releaseHoldItems, RenewalInProgressError } from './renewalHolds';
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
import { priceHousehold } from '../domain/household/householdContribution';
import { reviewReasonLabel } from '../domain/reviewReasons';
import { minDate } from '../domain/dates';
import type {
  ExcludedMember,
  HouseholdClassification,
  HouseholdQuote,
  IdentityClaim,
  PaymentConfirmation,
  PersonCheckResult,
  HouseholdCheckResult,
  RegistryHouseholdMember,
  RenewalPeriodMonths,
  ReviewReasonCode,
} from '../domain/types';
import { config } from '../shared/config';
import { addSeconds, now as clockNow, nowIso } from '../shared/clock';
import {
  AppError,
  ConflictError,
  NotFoundError,
  RegistryUnavailableError,
  TransientError,
} from '../shared/errors';
import { logger, maskPersonalId } from '../shared/logger';
import { provinceSettings } from '../shared/provinces';
import { asStepError } from '../shared/steps';

export const SERVICE = 'HOUSEHOLD_RENEWAL' as const;
export const APPLICATION_ID_PREFIX = 'HR-';
/** Billable members per renewal: 2n + 2 items (cards, card holds, household hold, application) ≤ 100. */
export const MAX_BILLABLE_MEMBERS = 49;
/** Attempts of the renewal transaction when a card changed between read and write. */
const RENEW_MAX_ATTEMPTS = 3;

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

export class HouseholdTooLargeError extends AppError {
  constructor(billable: number) {
    super(
      'HOUSEHOLD_TOO_LARGE',
      422,
      `Hộ gia đình có ${billable} thành viên phải đóng, vượt quá ${MAX_BILLABLE_MEMBERS} thành viên xử lý trực tuyến; vui lòng liên hệ cơ quan BHXH`,
      `The household has ${billable} billable members, more than the ${MAX_BILLABLE_MEMBERS} handled online; please contact the social insurance office`,
      { billable, max: MAX_BILLABLE_MEMBERS },
    );
    this.name = 'HouseholdTooLarge';
  }
}

/** A member's card moved to another coverage group (in force on the payment date) after the quote. */
export class CardChangedSinceQuoteError extends AppError {
  constructor(maskedPersonalIds: string[]) {
    super(
      'CARD_CHANGED_SINCE_QUOTE',
      409,
      'Thẻ BHYT của thành viên đã chuyển sang nhóm đối tượng khác sau khi tính mức đóng; cán bộ sẽ xử lý khoản đã nộp',
      "A member's health-insurance card moved to another coverage group after the quote; staff will settle the payment",
      { members: maskedPersonalIds },
    );
    this.name = 'CardChangedSinceQuote';
  }
}

function applicationNotFound(): NotFoundError {
  return new NotFoundError({ vi: 'hồ sơ', en: 'Application' }, 'APPLICATION_NOT_FOUND');
}

export function assertRenewableSize(billable: number): void {
  if (billable > MAX_BILLABLE_MEMBERS) throw new HouseholdTooLargeError(billable);
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

/** Prices a classification for a payment date with this stack's provincial support. */
export function priceClassification(
  classification: HouseholdClassification,
  params: { periodMonths: number; paymentDate: string; headPersonalId: string },
): HouseholdQuote {
  assertRenewableSize(classification.billable.length);
  return priceHousehold({
    billable: classification.billable,
    excluded: classification.excluded,
    periodMonths: params.periodMonths,
    paymentDate: params.paymentDate,
    headPersonalId: params.headPersonalId,
    provincialSupport: provinceSettings(config.provinceCode())?.householdSupport ?? [],
  });
}

/**
 * The head of household's personal ID from a classification: the member the registry lists as head
 * ("CHU_HO"), billable or excluded.
 */
export function headPersonalIdOf(classification: HouseholdClassification): string | null {
  const billableHead = classification.billable.find((m) => m.member.relationToHead === 'CHU_HO');
  if (billableHead) return billableHead.member.personalId;
  return classification.excluded.find((m) => m.relationToHead === 'CHU_HO')?.personalId ?? null;
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
 * Step AwaitHouseholdPayment: stores the quote and the (server-only) task token and opens the payment request,
 * application → AWAITING_PAYMENT, all in ONE transaction. The request's deadline is the payment timeout, but never
 * later than the last payment date on which the quote can be honoured exactly (its amounts: validThrough; its
 * card dates: cardValidity.lastPaymentDateKeepingValidity). A retried invocation keeps the open request (and a
 * payment already recorded) and only replaces the token.
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
  if (record.status === 'AWAITING_PAYMENT' && record.paymentRequest && record.paymentDueAt) {
    await applicationsRepository.transition(applicationId, {
      event: 'PAYMENT_WAIT_RENEWED',
      set: { paymentTaskToken: taskToken },
      allowedFrom: ['AWAITING_PAYMENT'],
    });
    return { applicationId, status: 'AWAITING_PAYMENT', paymentDueAt: record.paymentDueAt, paymentRequestId: record.paymentRequest.paymentRequestId };
  }
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
  const paymentRequest: PaymentRequestView = { paymentRequestId: newPaymentRequestId(), amount: quote.total, dueAt: paymentDueAt, status: 'OPEN' };

  const hold = await joinHouseholdHold(
    record,
    { householdId: params.householdId ?? null, personalIds: quote.members.map((m) => m.personalId) },
    paymentRequest.paymentRequestId,
  );
  if (!hold.ok) {
    await rejectRenewalInProgress(record, hold.holderApplicationId);
    throw new RenewalInProgressError(hold.holderApplicationId);
  }
  const items: TransactItem[] = [
    paymentsRepository.putRequest({
      ...paymentRequest,
      applicationId,
      provinceCode: record.provinceCode,
      createdAt: at.toISOString(),
    }),
    applicationsRepository.transitionUpdate(applicationId, {
      to: 'AWAITING_PAYMENT',
      event: 'AWAITING_PAYMENT',
      detail: { total: quote.total, validThrough: quote.validThrough, paymentDueAt, paymentRequestId: paymentRequest.paymentRequestId },
      set: {
        quote,
        paymentTaskToken: taskToken,
        paymentDueAt,
        paymentRequest,
        paymentRequestId: paymentRequest.paymentRequestId,
        quoteCards,
        renewalHold: hold.renewalHold,
      },
      allowedFrom: ['RECEIVED', 'VERIFYING', 'IN_REVIEW'],
    }),
    ...hold.items,
  ];
  try {
    await dynamo().send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    const codes = cancellationCodes(error);
    if (!codes) throw asStepError(error);
    // Another invocation won the race, or the hold changed: the workflow retries and decides again.
    throw new TransientError(`AwaitHouseholdPayment transaction cancelled (${codes.join(',')})`);
  }
  return { applicationId, status: 'AWAITING_PAYMENT', paymentDueAt, paymentRequestId: paymentRequest.paymentRequestId };
}

// ---------------------------------------------------------------------------------------------------------------
// Renewal

export interface RenewalResult {
  householdId?: string | null;
  paymentReference: string;
  amountPaid: number;
  members: { personalId: string; fullName: string; cardValidFrom: string; cardExpiresOn: string }[];
  excluded: ExcludedMember[];
}

function completedResult(record: ApplicationRecord, paymentReference: string): RenewalResult | null {
  if (record.status !== 'COMPLETED') return null;
  const result = record.result as unknown as RenewalResult | undefined;
  if (result?.paymentReference === paymentReference) return result;
  throw new ConflictError(
    'INVALID_STATE',
    'Hồ sơ đã hoàn thành với một giao dịch thanh toán khác',
    'The application was completed with a different payment',
    { applicationId: record.applicationId },
  );
}

/**
 * Step RenewHouseholdCards: every quoted member's HEALTH_CARD, written with exactly the dates the quote showed,
 * each Put conditioned on the expiry the quote was computed from (application.quoteCards), the household hold
 * released, and the application → COMPLETED with the result, in ONE TransactWriteItems. A card that changed
 * since the quote is never extended silently: CardChangedSinceQuote (the ASL records FAILED
 * CARD_CHANGED_SINCE_QUOTE through RecordOutcome, whose transaction also marks the payment REFUND_DUE).
 * Idempotent: an application already COMPLETED with this payment returns its recorded result.
 */
export async function renewCards(params: {
  applicationId: string;
  quote: HouseholdQuote;
  payment: PaymentConfirmation;
  householdId?: string | null;
}): Promise<RenewalResult> {
  const { applicationId, quote, payment } = params;
  assertRenewableSize(quote.members.length);

  for (let attempt = 1; ; attempt++) {
    const record = await applicationsRepository.get(applicationId);
    if (!record) throw applicationNotFound();
    const done = completedResult(record, payment.paymentReference);
    if (done) return done;
    if (record.status !== 'AWAITING_PAYMENT') {
      throw new ConflictError('INVALID_STATE', 'Hồ sơ không ở trạng thái chờ thanh toán', 'The application is not awaiting payment', {
        applicationId,
        status: record.status,
      });
    }
    const recordedPayment = record.payment as unknown as PaymentConfirmation | undefined;
    if (recordedPayment && recordedPayment.paymentReference !== payment.paymentReference) {
      throw new ConflictError('PAYMENT_ALREADY_RECORDED', 'Hồ sơ đã ghi nhận một giao dịch thanh toán khác', 'A different payment is recorded for this application', {
        applicationId,
      });
    }

    const cards = await getHealthCards(quote.members.map((m) => m.personalId));
    const quoted = record.quoteCards;
    const changed = quote.members.filter((m) => {
      const card = cards.get(m.personalId);
      if (card && card.coverageGroup !== 'HOUSEHOLD' && isCardInForce(card, payment.paymentDate)) return true;
      return quoted !== undefined && quoted[m.personalId] !== undefined && (card?.expiresOn ?? null) !== quoted[m.personalId];
    });
    if (changed.length > 0) throw new CardChangedSinceQuoteError(changed.map((m) => maskPersonalId(m.personalId)));

    const at = nowIso();
    const members: RenewalResult['members'] = [];
    const items: TransactItem[] = quote.members.map((m) => {
      const card = cards.get(m.personalId) ?? null;
      const validity = { validFrom: m.cardValidFrom, expiresOn: m.cardExpiresOn };
      members.push({ personalId: m.personalId, fullName: m.fullName, cardValidFrom: validity.validFrom, cardExpiresOn: validity.expiresOn });
      const expected = quoted?.[m.personalId] !== undefined ? quoted[m.personalId] : card ? card.expiresOn : null;
      return renewCardUpdate(card ?? { personalId: m.personalId }, validity, expected, { applicationId, at });
    });
    const result: RenewalResult = {
      ...(params.householdId ? { householdId: params.householdId } : {}),
      paymentReference: payment.paymentReference,
      amountPaid: payment.amount,
      members,
      excluded: quote.excluded,
    };
    items.push(...(await releaseHoldItems(record)));
    items.push(
      applicationsRepository.transitionUpdate(applicationId, {
        to: 'COMPLETED',
        event: 'COMPLETED',
        detail: { paymentReference: payment.paymentReference, cardsRenewed: members.length },
        set: { result, payment: recordedPayment ?? payment },
        remove: ['paymentTaskToken', 'renewalHold'],
        allowedFrom: ['AWAITING_PAYMENT'],
      }),
    );

    try {
      await dynamo().send(new TransactWriteCommand({ TransactItems: items }));
      logger.info('Household cards renewed', { applicationId, cards: members.length });
      return result;
    } catch (error) {
      if ((error as Error).name !== 'TransactionCanceledException') throw asStepError(error);
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
      const applicationFailed = reasons[items.length - 1]?.Code === 'ConditionalCheckFailed';
      logger.warn('Renewal transaction cancelled', {
        applicationId,
        attempt,
        applicationFailed,
        cardsChanged: reasons.slice(0, quote.members.length).filter((r) => r.Code === 'ConditionalCheckFailed').length,
      });
      // Application changed (completed by a concurrent retry, expired …) or a card changed: re-read and decide.
      if (attempt >= RENEW_MAX_ATTEMPTS) {
        if (applicationFailed) {
          const current = await applicationsRepository.get(applicationId);
          const finished = current && completedResult(current, payment.paymentReference);
          if (finished) return finished;
        }
        throw new TransientError(`Renewal transaction cancelled ${attempt} times for ${applicationId}`);
      }
    }
  }
}
