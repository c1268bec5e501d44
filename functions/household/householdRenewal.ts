/**
 * Household health-insurance renewal (gia hạn thẻ BHYT hộ gia đình): the services used by both the workflow's
 * step handlers and the HTTP API.
 *
 *   quoteHousehold              synchronous quote for POST /v1/household-renewals/quote (no side effects)
 *   submitHouseholdRenewal      POST /v1/household-renewals: idempotent create + StartExecution
 *   classifyMembers             step ClassifyHouseholdMembers
 *   recordQuoteAndAwaitPayment  step AwaitHouseholdPayment (waitForTaskToken)
 *   confirmPayment              POST /v1/applications/{id}/payment (payment gateway callback, HMAC-signed)
 *   renewCards                  step RenewHouseholdCards: every card + COMPLETED in ONE transaction
 *
 * Decisions (see also the function comments):
 * - Idempotency: with an Idempotency-Key the application id is derived from sha256(service|consumer|key), so a
 *   retried submit lands on the same item and starts the execution with the same name (StartExecution is
 *   idempotent by name; ExecutionAlreadyExists counts as started). The canonical request hash detects the same
 *   key reused for a different body (422 IDEMPOTENCY_KEY_REUSED).
 * - Payment: signature = HMAC-SHA256 of the raw body (secret via adapters/secrets). Recorded first (conditioned on AWAITING_PAYMENT and no payment yet), then the workflow is resumed.
 *   A failed resume keeps the payment and answers 202 so the gateway retries; the retry (same reference) is
 *   idempotent and re-sends the task success while the token is still on record.
 * - Renewal: cards are re-read at renewal time (the RenewCards input carries the quote and the payment, not the
 *   classification), validity is recomputed for the actual payment date, and every Put is conditioned on the
 *   expiry just read. A card changed between that read and the write cancels the transaction: it is re-read and
 *   the renewal recomputed (bounded; then TransientError so the workflow retries). A card that meanwhile moved to
 *   another coverage group and is in force on the payment date means the member is no longer billable: the
 *   renewal refuses (CARD_CHANGED_SINCE_QUOTE, the application ends FAILED and staff settle the refund) rather
 *   than overwrite an employer/State card with a household one.
 * - Size: one TransactWriteItems holds at most 100 items (cards + the application), so a household with more than
 *   99 billable members is refused at quote time (HOUSEHOLD_TOO_LARGE, 422) instead of being split: a split would
 *   break "all cards and COMPLETED together".
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { dynamo } from '../adapters/dynamo';
import { stepFunctions } from '../adapters/stepFunctions';
import {
  applicationsRepository,
  type ApplicationRecord,
} from '../adapters/applicationsRepository';
import { paymentWebhookSecret } from '../adapters/secrets';
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
import { renewedCardValidity } from '../domain/household/cardValidity';
import { priceHousehold } from '../domain/household/householdContribution';
import { reviewReasonLabel } from '../domain/reviewReasons';
import { compareDates } from '../domain/dates';
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
import { addSeconds, now as clockNow, nowIso, vietnamDate } from '../shared/clock';
import {
  AppError,
  ConflictError,
  NotFoundError,
  RegistryUnavailableError,
  TransientError,
  UnauthorizedError,
  ValidationError,
} from '../shared/errors';
import { logger, maskPersonalId } from '../shared/logger';
import { provinceSettings } from '../shared/provinces';
import { validationIssues } from '../shared/validationMessages';
import { asStepError } from '../shared/steps';

export const SERVICE = 'HOUSEHOLD_RENEWAL' as const;
export const APPLICATION_ID_PREFIX = 'HR-';
/** Cards per transaction: 100 items max, one of them the application. */
export const MAX_BILLABLE_MEMBERS = 99;
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

/** Step AwaitHouseholdPayment: stores the quote and the (server-only) task token; application → AWAITING_PAYMENT. */
export async function recordQuoteAndAwaitPayment(params: {
  applicationId: string;
  quote: HouseholdQuote;
  paymentTimeoutSeconds: number;
  taskToken: string;
}): Promise<{ applicationId: string; status: 'AWAITING_PAYMENT'; paymentDueAt: string }> {
  const { applicationId, quote, paymentTimeoutSeconds, taskToken } = params;
  const record = await applicationsRepository.get(applicationId);
  if (!record) throw applicationNotFound();
  if (record.status === 'AWAITING_PAYMENT' && record.payment && record.paymentDueAt) {
    // A retried invocation (new token) after the payment was already recorded: keep the quote and the payment,
    // only replace the token so the gateway's retried callback resumes this wait.
    await applicationsRepository.transition(applicationId, {
      event: 'PAYMENT_WAIT_RENEWED',
      set: { paymentTaskToken: taskToken },
      allowedFrom: ['AWAITING_PAYMENT'],
    });
    return { applicationId, status: 'AWAITING_PAYMENT', paymentDueAt: record.paymentDueAt };
  }
  const paymentDueAt = addSeconds(clockNow(), paymentTimeoutSeconds).toISOString();
  await applicationsRepository.transition(applicationId, {
    to: 'AWAITING_PAYMENT',
    event: 'AWAITING_PAYMENT',
    detail: { total: quote.total, validThrough: quote.validThrough, paymentDueAt },
    set: { quote, paymentTaskToken: taskToken, paymentDueAt },
  });
  return { applicationId, status: 'AWAITING_PAYMENT', paymentDueAt };
}

// ---------------------------------------------------------------------------------------------------------------
// Payment callback

export const paymentCallbackSchema = z.object({
  paymentReference: z.string().min(1).max(64),
  amount: z.number().int().positive(),
});

export interface PaymentCallbackResult {
  /** 200: recorded and the workflow resumed (or already had); 202: recorded, resume pending (gateway retries). */
  httpStatus: 200 | 202;
  body: {
    applicationId: string;
    status: ApplicationRecord['status'];
    paymentReference: string;
    amount: number;
    paidAt: string;
    workflowResumed: boolean;
  };
}

/**
 * HMAC-SHA256 of the raw body with the gateway's shared secret, compared in constant time. The secret comes from
 * adapters/secrets (PAYMENT_WEBHOOK_SECRET directly, or the Secrets Manager secret PAYMENT_WEBHOOK_SECRET_ARN
 * that the stack passes in AWS).
 */
async function verifySignature(rawBody: Buffer, signatureHeader: string | undefined): Promise<void> {
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec((signatureHeader ?? '').trim());
  const expected = createHmac('sha256', await paymentWebhookSecret()).update(rawBody).digest();
  const given = match ? Buffer.from(match[1], 'hex') : Buffer.alloc(expected.length);
  // Compare even when the header is malformed, so the timing does not tell which case it was.
  const equal = timingSafeEqual(expected, given);
  if (!match || !equal) {
    throw new UnauthorizedError(
      'INVALID_SIGNATURE',
      'Chữ ký X-Payment-Signature không hợp lệ',
      'The X-Payment-Signature is missing or invalid',
    );
  }
}

function parsePaymentBody(rawBody: Buffer): z.infer<typeof paymentCallbackSchema> {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new ValidationError('Nội dung yêu cầu không phải JSON hợp lệ', 'The request body is not valid JSON', undefined, 'MALFORMED_JSON');
  }
  const parsed = paymentCallbackSchema.safeParse(json);
  if (!parsed.success) {
    throw new ValidationError('Dữ liệu gửi lên không hợp lệ', 'The request data is invalid', {
      issues: validationIssues(parsed.error.issues, json),
    });
  }
  return parsed.data;
}

type DeadTokenError = 'TaskTimedOut' | 'TaskDoesNotExist' | 'InvalidToken';
const DEAD_TOKEN_ERRORS = new Set<string>(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken'] satisfies DeadTokenError[]);

/**
 * Resumes the payment wait. Returns 'RESUMED', 'TOKEN_DEAD' (the workflow already resumed or timed out: retrying
 * cannot help) or 'FAILED' (worth retrying).
 */
async function resumeWorkflow(record: ApplicationRecord, confirmation: PaymentConfirmation): Promise<'RESUMED' | 'TOKEN_DEAD' | 'FAILED'> {
  if (!record.paymentTaskToken) return 'TOKEN_DEAD';
  try {
    await stepFunctions().send(
      new SendTaskSuccessCommand({ taskToken: record.paymentTaskToken, output: JSON.stringify(confirmation) }),
    );
  } catch (error) {
    const name = (error as Error).name;
    logger.warn('Payment recorded but the workflow was not resumed', { applicationId: record.applicationId, errorName: name });
    return DEAD_TOKEN_ERRORS.has(name) ? 'TOKEN_DEAD' : 'FAILED';
  }
  try {
    // The token has served its purpose: drop it (renewCards drops it too; whichever runs first).
    await applicationsRepository.transition(record.applicationId, {
      event: 'PAYMENT_FORWARDED',
      detail: { paymentReference: confirmation.paymentReference },
      remove: ['paymentTaskToken'],
      allowedFrom: ['AWAITING_PAYMENT'],
    });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
  }
  return 'RESUMED';
}

function confirmationOf(record: ApplicationRecord): PaymentConfirmation {
  const p = record.payment as unknown as PaymentConfirmation;
  return { paymentReference: p.paymentReference, amount: p.amount, paidAt: p.paidAt, paymentDate: p.paymentDate };
}

function callbackResult(
  record: ApplicationRecord,
  payment: PaymentConfirmation,
  outcome: 'RESUMED' | 'TOKEN_DEAD' | 'FAILED',
  status?: ApplicationRecord['status'],
): PaymentCallbackResult {
  return {
    httpStatus: outcome === 'FAILED' ? 202 : 200,
    body: {
      applicationId: record.applicationId,
      status: status ?? record.status,
      paymentReference: payment.paymentReference,
      amount: payment.amount,
      paidAt: payment.paidAt,
      workflowResumed: outcome !== 'FAILED',
    },
  };
}

/** A repeated callback for a payment already on record: 200 (re-sending the task success if still pending). */
async function repeatedCallback(record: ApplicationRecord, body: { paymentReference: string; amount: number }): Promise<PaymentCallbackResult> {
  const recorded = confirmationOf(record);
  if (recorded.paymentReference !== body.paymentReference || recorded.amount !== body.amount) {
    throw new ConflictError(
      'PAYMENT_ALREADY_RECORDED',
      'Hồ sơ đã được ghi nhận thanh toán với một giao dịch khác',
      'A different payment is already recorded for this application',
      { applicationId: record.applicationId },
    );
  }
  const pending = record.status === 'AWAITING_PAYMENT' && !!record.paymentTaskToken;
  const outcome = pending ? await resumeWorkflow(record, recorded) : 'RESUMED';
  return callbackResult(record, recorded, outcome);
}

/**
 * The payment gateway's callback. Order of checks: signature (401) → body (400) → application (404) →
 * already paid with this reference (200, idempotent) → state (409) → deadline (409) → amount (422) → quote
 * validity (409 QUOTE_EXPIRED) → record the payment (conditioned) → resume the workflow (202 if that fails).
 */
export async function confirmPayment(
  applicationId: string,
  rawBody: string | Buffer,
  signatureHeader: string | undefined,
): Promise<PaymentCallbackResult> {
  const raw = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  await verifySignature(raw, signatureHeader);
  const body = parsePaymentBody(raw);

  const record = await applicationsRepository.get(applicationId);
  if (!record || record.service !== SERVICE) throw applicationNotFound();
  if (record.payment) return repeatedCallback(record, body);
  if (record.status !== 'AWAITING_PAYMENT' || !record.quote) {
    throw new ConflictError(
      'INVALID_STATE',
      'Hồ sơ không ở trạng thái chờ thanh toán',
      'The application is not awaiting payment',
      { applicationId, status: record.status },
    );
  }
  const paidAtDate = clockNow();
  const quote = record.quote as unknown as HouseholdQuote;
  if (record.paymentDueAt && paidAtDate.toISOString() > record.paymentDueAt) {
    throw new ConflictError(
      'PAYMENT_DEADLINE_PASSED',
      'Đã quá hạn thanh toán của hồ sơ',
      'The payment deadline of this application has passed',
      { applicationId, paymentDueAt: record.paymentDueAt },
    );
  }
  if (body.amount !== quote.total) {
    throw new AppError(
      'AMOUNT_MISMATCH',
      422,
      'Số tiền thanh toán không khớp với số tiền phải đóng',
      'The amount paid does not match the amount due',
      { expected: quote.total, received: body.amount },
    );
  }
  const payment: PaymentConfirmation = {
    paymentReference: body.paymentReference,
    amount: body.amount,
    paidAt: paidAtDate.toISOString(),
    paymentDate: vietnamDate(paidAtDate),
  };
  if (compareDates(payment.paymentDate, quote.validThrough) > 0) {
    throw new ConflictError(
      'QUOTE_EXPIRED',
      'Mức đóng đã hết hiệu lực (thay đổi lương cơ sở hoặc sang năm tài chính mới); cần tính lại mức đóng',
      'The quote has expired (a base-salary change or a new fiscal year); the amount must be quoted again',
      { applicationId, validThrough: quote.validThrough, paymentDate: payment.paymentDate },
    );
  }

  const recorded = await recordPayment(applicationId, payment);
  if (!recorded) {
    // Lost a race with another callback: decide on what is stored now.
    const current = await applicationsRepository.get(applicationId);
    if (current?.payment) return repeatedCallback(current, body);
    throw new ConflictError(
      'INVALID_STATE',
      'Hồ sơ không ở trạng thái chờ thanh toán',
      'The application is not awaiting payment',
      { applicationId, status: current?.status },
    );
  }
  logger.info('Payment recorded', { applicationId, amount: payment.amount });
  const outcome = await resumeWorkflow(record, payment);
  return callbackResult(record, payment, outcome, 'AWAITING_PAYMENT');
}

/** Records the payment if the application is AWAITING_PAYMENT with no payment yet; false when the condition fails. */
async function recordPayment(applicationId: string, payment: PaymentConfirmation): Promise<boolean> {
  const item = applicationsRepository.transitionUpdate(applicationId, {
    event: 'PAYMENT_RECEIVED',
    detail: { paymentReference: payment.paymentReference, amount: payment.amount, paymentDate: payment.paymentDate },
    set: { payment },
    allowedFrom: ['AWAITING_PAYMENT'],
  });
  const update = item.Update!;
  // "No payment yet" on top of the repository's status condition.
  update.ConditionExpression = `(${update.ConditionExpression}) AND attribute_not_exists(#noPayment)`;
  update.ExpressionAttributeNames = { ...update.ExpressionAttributeNames, '#noPayment': 'payment' };
  try {
    await dynamo().send(new TransactWriteCommand({ TransactItems: [item] }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'TransactionCanceledException') {
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
      if (reasons.some((r) => r.Code === 'ConditionalCheckFailed')) return false;
    }
    throw error;
  }
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
 * Step RenewHouseholdCards: every quoted member's HEALTH_CARD (validity for the actual payment date) and the
 * application → COMPLETED with the result, in ONE TransactWriteItems. Idempotent: an application already
 * COMPLETED with this payment returns its recorded result.
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
    const movedAway = quote.members.filter((m) => {
      const card = cards.get(m.personalId);
      return card && card.coverageGroup !== 'HOUSEHOLD' && isCardInForce(card, payment.paymentDate);
    });
    if (movedAway.length > 0) throw new CardChangedSinceQuoteError(movedAway.map((m) => maskPersonalId(m.personalId)));

    const at = nowIso();
    const members: RenewalResult['members'] = [];
    const items: TransactItem[] = quote.members.map((m) => {
      const card = cards.get(m.personalId) ?? null;
      const validity = renewedCardValidity(card, payment.paymentDate, quote.periodMonths);
      members.push({ personalId: m.personalId, fullName: m.fullName, cardValidFrom: validity.validFrom, cardExpiresOn: validity.expiresOn });
      return renewCardUpdate(card ?? { personalId: m.personalId }, validity, card ? card.expiresOn : null, { applicationId, at });
    });
    const result: RenewalResult = {
      ...(params.householdId ? { householdId: params.householdId } : {}),
      paymentReference: payment.paymentReference,
      amountPaid: payment.amount,
      members,
      excluded: quote.excluded,
    };
    items.push(
      applicationsRepository.transitionUpdate(applicationId, {
        to: 'COMPLETED',
        event: 'COMPLETED',
        detail: { paymentReference: payment.paymentReference, cardsRenewed: members.length },
        set: { result, payment: recordedPayment ?? payment },
        remove: ['paymentTaskToken'],
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
        cardsChanged: reasons.slice(0, -1).filter((r) => r.Code === 'ConditionalCheckFailed').length,
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
