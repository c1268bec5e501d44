/**
 * Household renewal payments: the payment request an application gets when it reaches AWAITING_PAYMENT, the
 * payment gateway's signed callback (POST /v1/payment-callbacks), and what happens to money that cannot buy
 * what its quote said (a refund due, never dropped).
 *
 * Callback, order of checks:
 *   1. signature + timestamp: X-Payment-Signature = "sha256=" + hex HMAC-SHA256(secret, "<X-Payment-Timestamp>.<raw
 *      body>"), tried with the current and the previous secret (rotation), constant-time; the timestamp within
 *      ±300 s of this system's clock → else 401 INVALID_SIGNATURE / STALE_SIGNATURE
 *   2. body { paymentRequestId, gatewayReference, amount, paidAt } → else 400
 *   3. gateway reference already recorded: same request + amount → the recorded answer again (idempotent, nothing
 *      written); anything else → 409 GATEWAY_REFERENCE_REUSED, nothing changes
 *   4. payment request unknown → 404; 5. amount ≠ requested → 422 AMOUNT_MISMATCH, nothing recorded
 *   6. APPLY (one transaction: gateway txn Put attribute_not_exists + request OPEN → PAID + application
 *      AWAITING_PAYMENT, no payment yet, same paymentRequestId → payment recorded [+ the household hold]) and resume
 *      the workflow; or REFUND_DUE (one transaction: the gateway txn with outcome REFUND_DUE and its reason) →
 *      409 with the reason's code and `details.refundDue: true`.
 *
 * Deadlines use this system's clock when the callback arrives (the gateway's `paidAt` is recorded for
 * reconciliation, not trusted for deadlines); the signed timestamp bounds how late a callback can be replayed.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { SendTaskFailureCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import * as z from 'zod';
import { dynamo } from '../adapters/dynamo';
import { stepFunctions } from '../adapters/stepFunctions';
import { applicationsRepository, type ApplicationReason, type ApplicationRecord, type TransitionParams } from '../adapters/applicationsRepository';
import {
  decodeQuote,
  paymentsRepository,
  type RequestQuote,
  type GatewayTransactionItem,
  type PaymentReason,
  type PaymentRequestItem,
  type TransactItem,
} from '../adapters/paymentsRepository';
import { paymentWebhookSecrets } from '../adapters/secrets';
import { renewedCardValidity } from '../domain/household/cardValidity';
import { compareDates } from '../domain/dates';
import type { HouseholdQuote, PaymentConfirmation } from '../domain/types';
import { config } from '../shared/config';
import { now as clockNow, vietnamDate } from '../shared/clock';
import { AppError, ConflictError, NotFoundError, UnauthorizedError, ValidationError } from '../shared/errors';
import { PAYMENT_REQUEST_ID_PATTERN } from '../shared/ids';
import { logger } from '../shared/logger';
import { validationIssues } from '../shared/validationMessages';
import { cancellationCodes } from '../reviewQueue/reviewItemsRepository';
import { holdItemsOnPayment, releaseHoldItems, type HoldPlan } from './renewalHolds';
import { renewalCardItems } from './householdRenewal';

/** How far the signed timestamp may be from this system's clock, either way. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
const APPLY_MAX_ATTEMPTS = 3;

// ---------------------------------------------------------------------------------------------------------------
// Reasons a payment is a refund due

export type RefundReasonCode =
  | 'PAYMENT_DEADLINE_PASSED'
  | 'APPLICATION_CLOSED'
  | 'ALREADY_PAID'
  | 'RENEWAL_SUPERSEDED'
  | 'RENEWAL_IN_PROGRESS'
  | 'QUOTE_EXPIRED'
  | 'CARD_CHANGED_SINCE_QUOTE';

const REFUND = { vi: 'khoản đã nộp sẽ được hoàn trả', en: 'the amount paid will be refunded' };

const REFUND_REASONS: Record<RefundReasonCode, { vi: string; en: string }> = {
  PAYMENT_DEADLINE_PASSED: { vi: 'Đã quá hạn thanh toán của hồ sơ', en: 'The payment deadline of the application has passed' },
  APPLICATION_CLOSED: { vi: 'Hồ sơ đã kết thúc trước khi nhận được tiền', en: 'The application ended before the payment arrived' },
  ALREADY_PAID: {
    vi: 'Yêu cầu thanh toán đã được thanh toán bằng một giao dịch khác',
    en: 'The payment request was already paid by another transaction',
  },
  RENEWAL_SUPERSEDED: {
    vi: 'Hộ gia đình đã được gia hạn bằng một hồ sơ khác thanh toán trước',
    en: 'The household is being renewed by another application that was paid first',
  },
  RENEWAL_IN_PROGRESS: {
    vi: 'Hộ gia đình hoặc thành viên đang được gia hạn bằng một hồ sơ khác',
    en: 'The household or a member is being renewed by another application',
  },
  QUOTE_EXPIRED: {
    vi: 'Mức đóng hoặc thời hạn thẻ đã báo không còn áp dụng cho ngày thanh toán',
    en: 'The quoted amounts or card dates no longer apply on the payment date',
  },
  CARD_CHANGED_SINCE_QUOTE: {
    vi: 'Thẻ BHYT của thành viên đã thay đổi sau khi tính mức đóng',
    en: "A member's health-insurance card changed after the quote",
  },
};

export function refundReason(code: string): PaymentReason {
  const base = (REFUND_REASONS as Record<string, { vi: string; en: string } | undefined>)[code] ?? {
    vi: `Hồ sơ đã kết thúc (mã lý do: ${code})`,
    en: `The application has ended (reason code: ${code})`,
  };
  return { code, vi: `${base.vi}; ${REFUND.vi}`, en: `${base.en}; ${REFUND.en}` };
}

/** The 409 a refund-due payment is answered with (the same every time the callback is repeated). */
function refundDueError(txn: GatewayTransactionItem): AppError {
  const reason = txn.reason ?? refundReason('APPLICATION_CLOSED');
  return new AppError(reason.code, 409, reason.vi, reason.en, {
    refundDue: true,
    refundId: txn.gatewayReference,
    gatewayReference: txn.gatewayReference,
    paymentRequestId: txn.paymentRequestId,
    applicationId: txn.applicationId,
    amount: txn.amount,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Signature

function invalidSignature(): UnauthorizedError {
  return new UnauthorizedError('INVALID_SIGNATURE', 'Chữ ký X-Payment-Signature không hợp lệ', 'The X-Payment-Signature is missing or invalid');
}

/** The bytes the gateway signs: "<timestamp>.<raw body>". */
export function signedPayload(timestamp: string, rawBody: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), rawBody]);
}

/**
 * Checks the HMAC against every configured secret (current, previous), each compared in constant time and all
 * of them always computed, so the timing tells neither which secret matched nor whether the header was well
 * formed; then the timestamp's freshness.
 */
export async function verifyCallbackSignature(
  rawBody: Buffer,
  timestampHeader: string | undefined,
  signatureHeader: string | undefined,
): Promise<void> {
  const timestamp = (timestampHeader ?? '').trim();
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec((signatureHeader ?? '').trim());
  const given = match ? Buffer.from(match[1], 'hex') : Buffer.alloc(32);
  const payload = signedPayload(timestamp, rawBody);
  let equal = false;
  for (const secret of await paymentWebhookSecrets()) {
    const expected = createHmac('sha256', secret).update(payload).digest();
    if (timingSafeEqual(expected, given)) equal = true;
  }
  if (!match || !equal || !/^\d{1,12}$/.test(timestamp)) throw invalidSignature();
  const skew = Math.abs(clockNow().getTime() / 1000 - Number(timestamp));
  if (skew > SIGNATURE_TOLERANCE_SECONDS) {
    throw new UnauthorizedError(
      'STALE_SIGNATURE',
      `Chữ ký đã quá ${SIGNATURE_TOLERANCE_SECONDS} giây (X-Payment-Timestamp); cổng thanh toán cần ký lại`,
      `The signature is more than ${SIGNATURE_TOLERANCE_SECONDS} seconds old or ahead (X-Payment-Timestamp); the gateway must sign again`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Body

export const paymentCallbackSchema = z.object({
  paymentRequestId: z.string().regex(PAYMENT_REQUEST_ID_PATTERN, 'paymentRequestId must be PR- followed by 26 base32 characters'),
  gatewayReference: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9._:-]+$/, 'gatewayReference may contain letters, digits and . _ : - only'),
  amount: z.number().int().positive(),
  paidAt: z.iso.datetime({ offset: true }),
});

export type PaymentCallback = z.infer<typeof paymentCallbackSchema>;

function parseCallbackBody(rawBody: Buffer): PaymentCallback {
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

// ---------------------------------------------------------------------------------------------------------------
// Callback

export interface PaymentCallbackResult {
  /** 200: applied and the workflow resumed (or already had); 202: applied, resume pending (the gateway retries). */
  httpStatus: 200 | 202;
  body: {
    outcome: 'APPLIED';
    paymentRequestId: string;
    gatewayReference: string;
    applicationId: string;
    amount: number;
    paidAt: string;
    status: ApplicationRecord['status'];
    workflowResumed: boolean;
  };
}

type DeadTokenError = 'TaskTimedOut' | 'TaskDoesNotExist' | 'InvalidToken';
const DEAD_TOKEN_ERRORS = new Set<string>(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken'] satisfies DeadTokenError[]);

function confirmationOf(txn: Omit<GatewayTransactionItem, 'pk' | 'sk'>): PaymentConfirmation {
  return {
    paymentReference: txn.gatewayReference,
    paymentRequestId: txn.paymentRequestId,
    amount: txn.amount,
    paidAt: txn.receivedAt,
    paymentDate: txn.paymentDate,
  };
}

/**
 * Ends the payment wait of a renewal the callback completed: 'RESUMED' (or already resumed / timed out: the
 * application is COMPLETED either way, and RecordOutcome(unlessPaid) after a timeout finds it so), 'FAILED' when a
 * retry helps (the gateway retries on 202; every repeat of the callback sends it again, writing nothing).
 */
async function resumeWorkflow(request: PaymentRequestItem, confirmation: PaymentConfirmation): Promise<'RESUMED' | 'FAILED'> {
  try {
    await stepFunctions().send(new SendTaskSuccessCommand({ taskToken: request.taskToken, output: JSON.stringify(confirmation) }));
    return 'RESUMED';
  } catch (error) {
    const name = (error as Error).name;
    if (DEAD_TOKEN_ERRORS.has(name)) return 'RESUMED';
    logger.warn('Renewal completed but its payment wait was not ended', { applicationId: request.applicationId, errorName: name });
    return 'FAILED';
  }
}

/** Fails the payment wait of `request` (best effort: a lost call leaves the wait to its own timeout, whose RecordOutcome finds the application ended). */
async function failWait(request: PaymentRequestItem | null, error: string, cause: string): Promise<void> {
  if (!request) return;
  try {
    await stepFunctions().send(new SendTaskFailureCommand({ taskToken: request.taskToken, error, cause }));
  } catch (e) {
    logger.warn('Payment wait not failed', { applicationId: request.applicationId, error, errorName: (e as Error).name });
  }
}

/** Ends the payment wait of an application another one superseded. */
export async function failSupersededWait(paymentRequestId: string | null, applicationId: string): Promise<void> {
  if (!paymentRequestId) return;
  const request = await paymentsRepository.getRequest(paymentRequestId);
  if (request?.applicationId !== applicationId) return;
  await failWait(request, 'RenewalSuperseded', 'Another renewal of the household was paid first');
}

/**
 * The APPLIED answer. `knownStatus`: the status the caller has just written (the callback's own transaction), so
 * the application is not read again; a repeated callback reads it.
 */
async function appliedAnswer(
  txn: Omit<GatewayTransactionItem, 'pk' | 'sk'>,
  request: PaymentRequestItem | null,
  knownStatus?: ApplicationRecord['status'],
): Promise<PaymentCallbackResult> {
  const status = knownStatus ?? (txn.applicationId ? (await applicationsRepository.get(txn.applicationId))?.status : undefined);
  const outcome = request && status === 'COMPLETED' ? await resumeWorkflow(request, confirmationOf(txn)) : 'RESUMED';
  return {
    httpStatus: outcome === 'FAILED' ? 202 : 200,
    body: {
      outcome: 'APPLIED',
      paymentRequestId: txn.paymentRequestId,
      gatewayReference: txn.gatewayReference,
      applicationId: txn.applicationId ?? '',
      amount: txn.amount,
      paidAt: txn.paidAt,
      status: status ?? 'COMPLETED',
      workflowResumed: outcome !== 'FAILED',
    },
  };
}

/** A gateway reference already on record: the same callback again → the same answer; anything else → 409. */
async function answerRecorded(txn: GatewayTransactionItem, body: PaymentCallback): Promise<PaymentCallbackResult> {
  if (txn.paymentRequestId !== body.paymentRequestId || txn.amount !== body.amount) {
    throw new ConflictError(
      'GATEWAY_REFERENCE_REUSED',
      'Mã giao dịch của cổng thanh toán đã được ghi nhận cho một khoản thanh toán khác',
      'This gateway transaction reference is already recorded for another payment',
      { gatewayReference: body.gatewayReference },
    );
  }
  if (txn.outcome === 'REFUND_DUE') throw refundDueError(txn);
  return appliedAnswer(txn, await paymentsRepository.getRequest(txn.paymentRequestId));
}

/**
 * Why this payment cannot buy what its quote said, or null when it can be applied. The request has no status of
 * its own: it is open while its application is AWAITING_PAYMENT naming it with no payment recorded.
 */
function refundReasonFor(request: PaymentRequestItem, record: ApplicationRecord | null, quote: RequestQuote, at: Date): RefundReasonCode | null {
  if (!record || record.paymentRequestId !== request.paymentRequestId) return 'APPLICATION_CLOSED';
  if (record.paymentReference) return 'ALREADY_PAID';
  if (record.status === 'REJECTED' && record.reason?.code === 'RENEWAL_IN_PROGRESS') return 'RENEWAL_SUPERSEDED';
  if (record.status === 'EXPIRED') return 'PAYMENT_DEADLINE_PASSED';
  if (record.status !== 'AWAITING_PAYMENT') return 'APPLICATION_CLOSED';
  if (at.toISOString() > request.dueAt) return 'PAYMENT_DEADLINE_PASSED';
  if (!quoteHoldsOn(quote, vietnamDate(at))) return 'QUOTE_EXPIRED';
  return null;
}

/**
 * The quote can be honoured on `paymentDate`: the amounts are still valid (validThrough) and every member's card
 * dates computed for that date from the card the quote saw are exactly the quoted ones.
 */
export function quoteHoldsOn({ quote: q, quoteCards }: RequestQuote, paymentDate: string): boolean {
  const quote = q as unknown as HouseholdQuote;
  if (compareDates(paymentDate, quote.validThrough) > 0) return false;
  return quote.members.every((m) => {
    const expiresOn = quoteCards[m.personalId];
    if (expiresOn === undefined) return true;
    const card = expiresOn === null ? null : { personalId: m.personalId, socialInsuranceNumber: '', coverageGroup: 'HOUSEHOLD' as const, validFrom: expiresOn, expiresOn };
    const validity = renewedCardValidity(card, paymentDate, quote.periodMonths);
    return validity.validFrom === m.cardValidFrom && validity.expiresOn === m.cardExpiresOn;
  });
}

function transactionItem(
  body: PaymentCallback,
  request: PaymentRequestItem,
  at: Date,
  outcome: 'APPLIED' | 'REFUND_DUE',
  reason?: PaymentReason,
): Omit<GatewayTransactionItem, 'pk' | 'sk'> {
  const provinceCode = config.provinceCode();
  const receivedAt = at.toISOString();
  return {
    gatewayReference: body.gatewayReference,
    paymentRequestId: body.paymentRequestId,
    applicationId: request.applicationId,
    provinceCode,
    amount: body.amount,
    paidAt: body.paidAt,
    receivedAt,
    paymentDate: vietnamDate(at),
    outcome,
    ...(reason ? { reason, refundDueProvince: provinceCode, refundDueAt: receivedAt } : {}),
    reconciliationDay: `${provinceCode}#${vietnamDate(at)}`,
    updatedAt: receivedAt,
  };
}

/** Runs a transaction; the cancellation codes when it was cancelled, null when it was written. */
async function tryTransact(items: TransactItem[]): Promise<(string | undefined)[] | null> {
  try {
    await dynamo().send(new TransactWriteCommand({ TransactItems: items }));
    return null;
  } catch (error) {
    const codes = cancellationCodes(error);
    if (!codes) throw error;
    return codes;
  }
}

/** The application's update of the payment transaction: conditioned on AWAITING_PAYMENT, this request, no payment. */
function paidApplicationUpdate(applicationId: string, paymentRequestId: string, params: Omit<TransitionParams, 'allowedFrom' | 'require'>): TransactItem {
  return applicationsRepository.transitionUpdate(applicationId, {
    ...params,
    allowedFrom: ['AWAITING_PAYMENT'],
    require: { paymentReference: null, paymentRequestId },
  });
}

/**
 * The payment gateway's callback (see the module comment for the order of checks). Applying a payment is ONE
 * transaction (issue 10 lever 1; 14 WRU for 4 members instead of 22 + 26 in two steps): the gateway transaction
 * recorded (once per reference), every quoted member's card renewed to exactly the quoted dates (each Put
 * conditioned on the expiry the quote saw), the application COMPLETED with the payment reference (conditioned on
 * AWAITING_PAYMENT, this request, no payment yet), the household hold released and the other unpaid renewals of
 * the household superseded. Then the wait is ended (SendTaskSuccess) and the workflow just ends. A card changed
 * since the quote: instead, one transaction records the payment as a refund due (CARD_CHANGED_SINCE_QUOTE), the
 * application FAILED with that reason and the hold released; the wait is failed with `CardChangedSinceQuote`.
 */
export async function receivePaymentCallback(
  rawBody: string | Buffer,
  headers: { timestamp?: string; signature?: string },
): Promise<PaymentCallbackResult> {
  const raw = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  await verifyCallbackSignature(raw, headers.timestamp, headers.signature);
  const body = parseCallbackBody(raw);

  for (let attempt = 1; ; attempt++) {
    const recorded = await paymentsRepository.getTransaction(body.gatewayReference);
    if (recorded) return answerRecorded(recorded, body);

    const request = await paymentsRepository.getRequest(body.paymentRequestId);
    if (!request || request.provinceCode !== config.provinceCode()) {
      throw new NotFoundError({ vi: 'yêu cầu thanh toán', en: 'Payment request' }, 'PAYMENT_REQUEST_NOT_FOUND');
    }
    if (body.amount !== request.amount) {
      throw new AppError('AMOUNT_MISMATCH', 422, 'Số tiền thanh toán không khớp với số tiền phải đóng', 'The amount paid does not match the amount due', {
        expected: request.amount,
        received: body.amount,
      });
    }
    const requestQuote = decodeQuote(request);
    const quote = requestQuote.quote as unknown as HouseholdQuote;
    const record = await applicationsRepository.get(request.applicationId);
    const at = clockNow();
    const reasonCode = refundReasonFor(request, record, requestQuote, at);

    if (reasonCode) {
      const txn = transactionItem(body, request, at, 'REFUND_DUE', refundReason(reasonCode));
      const codes = await tryTransact([paymentsRepository.putTransaction(txn)]);
      if (codes === null) {
        logger.warn('Payment recorded as a refund due', { applicationId: request.applicationId, reasonCode, amount: body.amount });
        throw refundDueError({ ...txn, pk: '', sk: 'TXN' });
      }
      continue; // the same reference was recorded meanwhile: answer what is on record
    }

    const app = record!;
    const atIso = at.toISOString();
    const paymentDate = vietnamDate(at);
    const cards = await renewalCardItems({ applicationId: app.applicationId, quote, quoteCards: requestQuote.quoteCards, paymentDate, at: atIso });
    let items: TransactItem[];
    let superseded: HoldPlan['superseded'] = [];
    let cardChanged: string[] | null = null;
    if (cards.ok) {
      const plan = await holdItemsOnPayment(app);
      superseded = plan.superseded;
      items = [
        paymentsRepository.putTransaction(transactionItem(body, request, at, 'APPLIED')),
        paidApplicationUpdate(app.applicationId, request.paymentRequestId, {
          to: 'COMPLETED',
          event: 'COMPLETED',
          detail: { cardsRenewed: quote.members.length }, // the reference is top-level (the result shows it); the rest is on the gateway transaction
          set: { paymentReference: body.gatewayReference },
          remove: ['openReviewItemId'],
        }),
        ...cards.items,
        ...plan.items,
      ];
    } else {
      cardChanged = cards.changed;
      items = [
        paymentsRepository.putTransaction(transactionItem(body, request, at, 'REFUND_DUE', refundReason('CARD_CHANGED_SINCE_QUOTE'))),
        paidApplicationUpdate(app.applicationId, request.paymentRequestId, {
          to: 'FAILED',
          event: 'OUTCOME_RECORDED',
          detail: { reasonCode: 'CARD_CHANGED_SINCE_QUOTE', refundDue: true },
          set: { paymentReference: body.gatewayReference, reason: cardChangedReason(cards.changed.length) },
          remove: ['openReviewItemId'],
        }),
        ...(await releaseHoldItems(app)),
      ];
    }
    const codes = await tryTransact(items);
    if (codes === null) {
      if (cardChanged) {
        logger.warn('A card changed since the quote: payment recorded as a refund due, application FAILED', { applicationId: app.applicationId, members: cardChanged.length });
        await failWait(request, 'CardChangedSinceQuote', `Cards changed since the quote: ${cardChanged.join(', ')}`);
        throw refundDueError({ ...transactionItem(body, request, at, 'REFUND_DUE', refundReason('CARD_CHANGED_SINCE_QUOTE')), pk: '', sk: 'TXN' });
      }
      logger.info('Payment applied: cards renewed, application completed', { applicationId: app.applicationId, amount: body.amount, cards: quote.members.length, superseded: superseded.length });
      for (const loser of superseded) await failSupersededWait(loser.paymentRequestId, loser.applicationId);
      return appliedAnswer(transactionItem(body, request, at, 'APPLIED'), request, 'COMPLETED');
    }
    // Another callback, a card, the hold or a contender changed meanwhile: read again and decide again.
    logger.warn('Payment transaction cancelled; deciding again', { applicationId: app.applicationId, attempt, codes: codes.join(',') });
    if (attempt >= APPLY_MAX_ATTEMPTS) {
      throw new AppError('PAYMENT_CONFLICT', 503, 'Thanh toán đang được xử lý đồng thời; vui lòng gửi lại', 'The payment is being processed concurrently; please retry');
    }
  }
}

/** The reason of an application that was paid but whose card changed since the quote (how many cards changed). */
function cardChangedReason(membersChanged: number): ApplicationReason {
  return { code: 'CARD_CHANGED_SINCE_QUOTE', condition: { code: 'CARDS_UNCHANGED_SINCE_QUOTE', params: { membersChanged, refundDue: true } } };
}

// ---------------------------------------------------------------------------------------------------------------
// Ending an application: its payment

/**
 * Items for the transaction that ends a household application otherwise (RecordOutcome's service): a payment
 * that was recorded but bought nothing → its gateway transaction REFUND_DUE with the outcome's reason. (The
 * payment request needs no write: it is closed because its application is no longer AWAITING_PAYMENT, so a
 * payment arriving later is a refund due.) The payment callback records a payment only together with the
 * COMPLETED cards or, for a changed card, with FAILED and the refund due, so this is a safety net for an
 * application paid but not ended.
 */
export function paymentItemsOnEnd(record: ApplicationRecord, reasonCode: string, status: string): { items: TransactItem[]; refundDue: boolean } {
  if (record.service !== 'HOUSEHOLD_RENEWAL' || !record.paymentReference || status === 'COMPLETED') return { items: [], refundDue: false };
  const at = clockNow().toISOString();
  return {
    items: [paymentsRepository.markTransactionRefundDue(record.paymentReference, record.provinceCode, refundReason(reasonCode), at)],
    refundDue: true,
  };
}
