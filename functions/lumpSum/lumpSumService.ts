/**
 * Lump-sum social-insurance withdrawal (hưởng BHXH một lần): the services used by the workflow's step handlers
 * and by the HTTP API. The rules are the pure ones of domain/lumpSum/*.
 *
 *   submitLumpSumClaim       POST /v1/lump-sum-claims (generic idempotent submission)
 *   checkEligibility         step CheckLumpSumEligibility: law in force on the application date, applied to the
 *                            contribution time not yet paid out (claimableRecord); an ineligible claim stops with
 *                            NOT_ELIGIBLE and the precise legal reason (the failed conditions with their dates);
 *                            nothing left to pay out stops with ALREADY_SETTLED
 *   computeAmount            step ComputeLumpSumAmount: the amount of that contribution time with its breakdown
 *                            (coefficients of the settlement year); computeAmountStep adds what the workflow
 *                            records while the settlement year's coefficient table is not published (below)
 *   settle                   step SettleLumpSum: EXACTLY ONCE per settled contribution record (below)
 *
 * Per contribution record. A lump sum pays out the contribution time not yet used for any benefit. Each
 * settlement marker states `settledThrough`, the last month it paid out; a claim considers only the months
 * after the latest settledThrough of the person (claimableRecord), so a person who withdrew, contributed again
 * (a new job) and stopped again can claim the new time, and only it. Nothing left → ALREADY_SETTLED.
 *
 * Exactly once. Settlement is ONE TransactWriteItems:
 *   1. Put SETTLEMENT#LUMP_SUM#<settledThrough> marker, condition attribute_not_exists  ← the guard
 *   2. Put PAYMENT_ORDER#<id> (id derived from the application id), condition attribute_not_exists
 *   3. Update the application → COMPLETED with the breakdown (condition: not yet terminal)
 * Concurrent or repeated claims for one record (any Idempotency-Key) read the same periods and markers, so they
 * compute the same settledThrough and race on the same item 1: DynamoDB lets one transaction commit; every
 * other one is cancelled with ConditionalCheckFailed on the marker and ends REJECTED ALREADY_SETTLED. A
 * TransactionConflict (two transactions on the marker at the same instant) is transient: the ASL retries and the
 * retry then sees the marker. A retry of the application that did settle (lost response, Lambda retry) finds the
 * application COMPLETED and returns its recorded result.
 *
 * Rule data not published yet. The coefficient table is per settlement year, and a year's table is published
 * (and deployed, a data change) some weeks into that year. Until then ComputeLumpSumAmount throws
 * RuleDataUnavailable; the ASL retries it for weeks (long interval) and the claim goes on by itself once the table
 * is there. The first such failure records a WAITING_FOR_RULE_DATA timeline event; when the retries are spent, a
 * final attempt (onRuleDataUnavailable RECORD_FAILED) records FAILED RULE_DATA_UNAVAILABLE naming what is missing
 * (vi + en), so the officer sees why, not a generic workflow error.
 *
 * The bank account never travels through the workflow: the settle step reads it from the stored request.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../adapters/dynamo';
import { applicationsRepository, type ApplicationRecord } from '../adapters/applicationsRepository';
import {
  getSettlement,
  paymentOrderPut,
  settlementMarkerPut,
  type BankAccount,
  type PaymentOrder,
  type SettlementMarker,
  type StoredContributionPeriod,
} from '../adapters/contributionRecordsRepository';
import type { ApplicationReason } from '../adapters/applicationsRepository';
import { serviceSubmitter } from '../applications/submitApplication';
import { PROCEED, completedResultOf, requireApplication, type CheckDecision } from '../applications/outcomes';
import type { LumpSumReason } from '../domain/lumpSum/lumpSumEligibility';
import { calculateLumpSumAmount, type LumpSumAmountBreakdown } from '../domain/lumpSum/lumpSumAmount';
import { RuleDataUnavailableError, type CitedLegalBasis } from '../domain/lumpSum/months';
import { expectedPublication } from '../domain/rules/salaryAdjustmentCoefficients';
import { type OutcomeReasonCode } from '../domain/reviewReasons';
import type { IdentityClaim } from '../domain/types';
import { config } from '../shared/config';
import { nowIso, vietnamDate } from '../shared/clock';
import { ConflictError, TransientError, ValidationError } from '../shared/errors';
import { logger, maskPersonalId } from '../shared/logger';
import { asStepError } from '../shared/steps';
import { alreadySettled, claimableRecord, claimedRecordOf, type ClaimedRecord, type EligibilitySummary, type LumpSumClaimEvidence } from './lumpSumEligibilityCheck';

export {
  checkEligibility,
  claimableRecord,
  type ClaimableRecord,
  type ClaimedRecord,
  type EligibilityDecision,
  type EligibilitySummary,
  type LumpSumClaimEvidence,
  type LumpSumStopCode,
} from './lumpSumEligibilityCheck';

export const SERVICE = 'LUMP_SUM_WITHDRAWAL' as const;
export const APPLICATION_ID_PREFIX = 'LS-';

export interface LumpSumClaimRequest {
  applicant: IdentityClaim;
  reason: LumpSumReason;
  bankAccount: BankAccount;
  evidence: LumpSumClaimEvidence | null;
}

/** POST: the generic idempotent submission (applications/submitApplication.ts) with this service's input. */
export const submitLumpSumClaim = /* @__PURE__ */ serviceSubmitter<LumpSumClaimRequest>({
  service: SERVICE,
  idPrefix: APPLICATION_ID_PREFIX,
  stateMachineArn: () => config.lumpSumWithdrawalStateMachineArn(),
  workflowInput: (record, request) => ({
    applicant: request.applicant,
    reason: request.reason,
    evidence: request.evidence,
    // The law in force on the application date decides (Vietnam calendar date of the submission).
    applicationDate: vietnamDate(new Date(record.createdAt)),
  }),
  logFields: (request) => ({ applicant: maskPersonalId(request.applicant.personalId), reason: request.reason }),
});

// ---------------------------------------------------------------------------------------------------------------
// Amount

/** The rules' breakdown of the contribution time claimed, and which time that is. */
export type LumpSumAmount = LumpSumAmountBreakdown & { contributionRecord: ClaimedRecord };

export interface AmountParams {
  /** The claim (its own settlement, if retried, is not an earlier one). */
  applicationId?: string;
  applicationDate: string;
  reason: LumpSumReason;
  periods: StoredContributionPeriod[];
  /** The person's settlements (default none). */
  settlements?: SettlementMarker[];
}

/**
 * Step ComputeLumpSumAmount: the amount of the contribution time after the latest settlement, under the
 * application date's law, coefficients of today's year. Throws RuleDataUnavailable when the data is missing.
 */
export function computeAmount(params: AmountParams): LumpSumAmount {
  const record = claimableRecord(params.periods, params.settlements ?? [], params.applicationId ?? '');
  const breakdown = calculateLumpSumAmount({
    applicationDate: params.applicationDate,
    settlementDate: vietnamDate(),
    reason: params.reason,
    periods: record.periods,
  });
  return { ...breakdown, contributionRecord: claimedRecordOf(record) };
}

export const WAITING_FOR_RULE_DATA = 'WAITING_FOR_RULE_DATA';
export const RULE_DATA_UNAVAILABLE = 'RULE_DATA_UNAVAILABLE' satisfies OutcomeReasonCode;

/** What the step does when the rule data is missing: WAIT (record that the claim waits, rethrow: the ASL retries) or RECORD_FAILED (the last attempt). */
export type RuleDataMissingAction = 'WAIT' | 'RECORD_FAILED';

/**
 * The ComputeLumpSumAmount step: computeAmount, and when the rule data is missing, what the workflow records
 * before the error goes back to the ASL (which retries WAIT for weeks; see the file header):
 * - WAIT: a WAITING_FOR_RULE_DATA timeline event, once (the application's status does not change);
 * - RECORD_FAILED: the application FAILED, reason RULE_DATA_UNAVAILABLE naming what is missing, since when the
 *   claim waited, in Vietnamese and English. The ASL then records its shared failure, which keeps this reason.
 * Either way the RuleDataUnavailable error is rethrown.
 */
export async function computeAmountStep(
  params: AmountParams & { applicationId: string; onRuleDataUnavailable: RuleDataMissingAction },
): Promise<LumpSumAmount> {
  try {
    return computeAmount(params);
  } catch (error) {
    if (!(error instanceof RuleDataUnavailableError)) throw error;
    const final = params.onRuleDataUnavailable === 'RECORD_FAILED';
    try {
      if (final) await recordRuleDataUnavailable(params.applicationId, error);
      else await recordWaitingForRuleData(params.applicationId, error);
    } catch (recordingError) {
      // The wait goes on even if the event cannot be written (the ASL retries RuleDataUnavailable, not this).
      // On the final attempt a transient fault is retried by the ASL so the precise reason is not lost; any other
      // fault leaves the shared RecordFailure to record a generic FAILED.
      logger.error('Could not record the missing rule data on the application', { applicationId: params.applicationId, error: recordingError as Error });
      if (final && asStepError(recordingError) instanceof TransientError) throw recordingError;
    }
    throw error;
  }
}

function waitingSince(record: ApplicationRecord): string | null {
  return record.timeline.find((t) => t.event === WAITING_FOR_RULE_DATA)?.at ?? null;
}

async function recordWaitingForRuleData(applicationId: string, error: RuleDataUnavailableError): Promise<void> {
  const record = await requireApplication(applicationId);
  if (waitingSince(record) !== null) return;
  const details = (error.details as { settlementYear?: number } | undefined) ?? {};
  const missing = { vi: error.messageVi, en: error.messageEn };
  const expectedBy = details.settlementYear ? expectedPublication(details.settlementYear) : null;
  // The public status says so (not VERIFYING), with what is missing and by when it is expected.
  await applicationsRepository.transition(applicationId, {
    to: 'WAITING_FOR_RULE_DATA',
    event: WAITING_FOR_RULE_DATA,
    detail: { missing, ...details, ...(expectedBy ? { expectedBy } : {}) },
    set: { waitingForRuleData: { missing, ...details, ...(expectedBy ? { expectedBy } : {}), since: nowIso() } },
  });
  logger.warn('Waiting for rule data', { applicationId, missing: error.messageEn });
}

/** The reason a claim records when the rule data it waited for was not published in time. */
export function ruleDataUnavailableReason(error: RuleDataUnavailableError, since: string, until: string): ApplicationReason {
  const details = (error.details as { settlementYear?: number; month?: string } | undefined) ?? {};
  return {
    code: RULE_DATA_UNAVAILABLE,
    condition: {
      code: 'RULE_DATA_PUBLISHED',
      params: { settlementYear: details.settlementYear ?? null, month: details.month ?? null, waitedFrom: since, waitedUntil: until },
    },
  };
}

async function recordRuleDataUnavailable(applicationId: string, error: RuleDataUnavailableError): Promise<void> {
  const record = await requireApplication(applicationId);
  if (record.status === 'FAILED') return;
  const until = vietnamDate();
  const since = waitingSince(record);
  const reason = ruleDataUnavailableReason(error, since ? vietnamDate(new Date(since)) : until, until);
  await applicationsRepository.transition(applicationId, {
    to: 'FAILED',
    event: 'OUTCOME_RECORDED',
    detail: { reasonCode: RULE_DATA_UNAVAILABLE },
    set: { reason },
    remove: ['openReviewItemId', 'waitingForRuleData'],
  });
  logger.warn('Rule data still unavailable: application failed', { applicationId, missing: error.messageEn });
}

// ---------------------------------------------------------------------------------------------------------------
// Settlement (exactly once)

export interface LumpSumResult {
  paymentOrderId: string;
  amount: number;
  currency: 'VND';
  settledOn: string;
  /** The contribution months paid out: settledFrom..settledThrough ('YYYY-MM'). */
  settledFrom: string;
  settledThrough: string;
  /** Masked: bank code and the last 4 digits only. */
  bankAccount: { bankCode: string; accountNumber: string };
  beneficiaryName: string;
  /** Years before 2014, years from 2014, average salary, amount: the rules' breakdown. */
  breakdown: LumpSumAmount;
  eligibility: EligibilitySummary;
  legalBasis: CitedLegalBasis[];
}

export type SettlementDecision = CheckDecision<'ALREADY_SETTLED'> & { result: LumpSumResult | null };

export function maskAccountNumber(accountNumber: string): string {
  return '*'.repeat(Math.max(0, accountNumber.length - 4)) + accountNumber.slice(-4);
}

/** The payment order id of an application's settlement (deterministic: a retry writes the same order). */
export function paymentOrderIdFor(applicationId: string): string {
  return `PO-${applicationId.replace(/^[A-Z]{2}-/, '')}`;
}

type Cancellation = { CancellationReasons?: { Code?: string }[] };

/**
 * Step SettleLumpSum: marker + payment order + COMPLETED in one transaction (see the file header). Returns
 * `{ ok: true, result }`, or `{ ok: false, reasonCode: 'ALREADY_SETTLED', reason }` when another application
 * settled this contribution record first.
 */
export async function settle(params: {
  applicationId: string;
  person: IdentityClaim;
  eligibility: EligibilitySummary;
  amount: LumpSumAmount;
}): Promise<SettlementDecision> {
  const { applicationId, person, amount } = params;
  const record = await requireApplication(applicationId);
  const done = completedResultOf<LumpSumResult>(record);
  if (done) return { ...PROCEED, result: done };

  // The months paid out: those the amount was computed on, which must be those the eligibility was decided on.
  const { from: settledFrom, settledThrough } = amount.contributionRecord;
  if (!settledFrom || !settledThrough || params.eligibility.contributionRecord?.settledThrough !== settledThrough) {
    throw new ValidationError('Dữ liệu bước SettleLumpSum không hợp lệ', 'Invalid SettleLumpSum input', {
      issues: [{ path: 'amount.contributionRecord', message: 'the amount and the eligibility are not about the same contribution months' }],
    });
  }

  const bankAccount = (record.request as unknown as { bankAccount: BankAccount }).bankAccount;
  const paymentOrderId = paymentOrderIdFor(applicationId);
  const at = nowIso();
  const settledOn = vietnamDate();
  const result: LumpSumResult = {
    paymentOrderId,
    amount: amount.amount,
    currency: 'VND',
    settledOn,
    settledFrom,
    settledThrough,
    bankAccount: { bankCode: bankAccount.bankCode, accountNumber: maskAccountNumber(bankAccount.accountNumber) },
    beneficiaryName: person.fullName,
    breakdown: amount,
    eligibility: params.eligibility,
    legalBasis: [...params.eligibility.legalBasis, ...amount.legalBasis],
  };
  const order: PaymentOrder = {
    paymentOrderId,
    personalId: person.personalId,
    applicationId,
    provinceCode: record.provinceCode,
    amount: amount.amount,
    currency: 'VND',
    bankAccount,
    beneficiaryName: person.fullName,
    status: 'ISSUED',
    createdAt: at,
  };
  const items = [
    settlementMarkerPut({
      personalId: person.personalId,
      applicationId,
      paymentOrderId,
      amount: amount.amount,
      settledOn,
      settledAt: at,
      settledFrom,
      settledThrough,
    }),
    paymentOrderPut(order),
    applicationsRepository.transitionUpdate(applicationId, {
      to: 'COMPLETED',
      event: 'SETTLED',
      detail: { paymentOrderId, amount: amount.amount, settledFrom, settledThrough },
      set: { result },
      remove: ['waitingForRuleData'],
    }),
  ];

  try {
    await dynamo().send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if ((error as Error).name !== 'TransactionCanceledException') throw error;
    return settlementCancelled(applicationId, person.personalId, settledThrough, (error as Cancellation).CancellationReasons ?? []);
  }
  logger.info('Lump sum settled', { applicationId, paymentOrderId, amount: amount.amount, settledFrom, settledThrough });
  return { ...PROCEED, result };
}

async function settlementCancelled(
  applicationId: string,
  personalId: string,
  settledThrough: string,
  reasons: { Code?: string }[],
): Promise<SettlementDecision> {
  const codes = reasons.map((r) => r.Code ?? 'None');
  logger.warn('Settlement transaction cancelled', { applicationId, codes });
  if (codes.includes('TransactionConflict')) {
    throw new TransientError(`Settlement transaction conflict for ${applicationId}`);
  }
  if (codes[0] === 'ConditionalCheckFailed') {
    const marker = await getSettlement(personalId, settledThrough);
    if (marker && marker.applicationId !== applicationId) {
      logger.info('Record already settled by another application', { applicationId, personalId: maskPersonalId(personalId), settledThrough });
      return { ...alreadySettled(marker), result: null };
    }
  }
  // This application's own marker, or the application changed: decide on what is stored now.
  const current: ApplicationRecord = await requireApplication(applicationId);
  const recorded = completedResultOf<LumpSumResult>(current);
  if (recorded) return { ...PROCEED, result: recorded };
  throw new ConflictError('SETTLEMENT_CANCELLED', 'Không ghi được quyết toán hưởng một lần', 'The settlement could not be written', {
    applicationId,
    codes,
  });
}
