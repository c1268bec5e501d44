/**
 * Lump-sum social-insurance withdrawal (hưởng BHXH một lần): the services used by the workflow's step handlers
 * and by the HTTP API. The rules are the pure ones of domain/lumpSum/*.
 *
 *   submitLumpSumClaim       POST /v1/lump-sum-claims (generic idempotent submission)
 *   checkEligibility         step CheckLumpSumEligibility: law in force on the application date; an ineligible
 *                            claim stops with NOT_ELIGIBLE and the precise legal reason (the failed conditions
 *                            with their dates); a record already paid out stops with ALREADY_SETTLED
 *   computeAmount            step ComputeLumpSumAmount: the amount with its breakdown (coefficients of the
 *                            settlement year)
 *   settle                   step SettleLumpSum: EXACTLY ONCE per person (below)
 *
 * Exactly once. Settlement is ONE TransactWriteItems:
 *   1. Put SETTLEMENT#LUMP_SUM marker of the person, condition attribute_not_exists  ← the guard
 *   2. Put PAYMENT_ORDER#<id> (id derived from the application id), condition attribute_not_exists
 *   3. Update the application → COMPLETED with the breakdown (condition: not yet terminal)
 * Concurrent or repeated claims of one person (any Idempotency-Key) race on item 1: DynamoDB lets one
 * transaction commit; every other one is cancelled with ConditionalCheckFailed on the marker and ends REJECTED
 * ALREADY_SETTLED. A TransactionConflict (two transactions on the marker at the same instant) is transient: the
 * ASL retries and the retry then sees the marker. A retry of the application that did settle (lost response,
 * Lambda retry) finds the application COMPLETED and returns its recorded result.
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
import { serviceSubmitter } from '../applications/submitApplication';
import {
  PROCEED,
  completedResultOf,
  requireApplication,
  stop,
  type CheckDecision,
} from '../applications/outcomes';
import {
  checkLumpSumEligibility,
  type LumpSumEligibilityResult,
  type LumpSumEvidence,
  type LumpSumReason,
} from '../domain/lumpSum/lumpSumEligibility';
import { calculateLumpSumAmount, type LumpSumAmountBreakdown } from '../domain/lumpSum/lumpSumAmount';
import type { CitedLegalBasis } from '../domain/lumpSum/months';
import { decodePersonalId } from '../domain/identity/personalId';
import type { IdentityClaim } from '../domain/types';
import { config } from '../shared/config';
import { nowIso, vietnamDate } from '../shared/clock';
import { ConflictError, TransientError } from '../shared/errors';
import { logger, maskPersonalId } from '../shared/logger';

export const SERVICE = 'LUMP_SUM_WITHDRAWAL' as const;
export const APPLICATION_ID_PREFIX = 'LS-';

/** Evidence of the invoked case, plus the date the retirement age is reached (case a; an input, see the rules). */
export type LumpSumClaimEvidence = LumpSumEvidence & { retirementAgeReachedOn?: string };

export interface LumpSumClaimRequest {
  applicant: IdentityClaim;
  reason: LumpSumReason;
  bankAccount: BankAccount;
  evidence: LumpSumClaimEvidence | null;
}

/** POST: the generic idempotent submission (applications/submitApplication.ts) with this service's input. */
export const submitLumpSumClaim = serviceSubmitter<LumpSumClaimRequest>({
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
// Eligibility

export type LumpSumStopCode = 'NOT_ELIGIBLE' | 'ALREADY_SETTLED';

export interface EligibilitySummary {
  law: LumpSumEligibilityResult['law'];
  legalCase: string | null;
  reason: LumpSumReason;
  facts: LumpSumEligibilityResult['facts'];
  conditions: LumpSumEligibilityResult['conditions'];
  legalBasis: CitedLegalBasis[];
}

export type EligibilityDecision = CheckDecision<LumpSumStopCode> & { eligibility: EligibilitySummary | null };

function alreadySettled(marker: SettlementMarker) {
  return stop('ALREADY_SETTLED' as const, {
    vi: `Quá trình đóng bảo hiểm xã hội của người này đã được giải quyết hưởng bảo hiểm xã hội một lần ngày ${marker.settledOn} (lệnh chi ${marker.paymentOrderId}); không giải quyết lần thứ hai.`,
    en: `This person's social-insurance record was already paid out as a lump sum on ${marker.settledOn} (payment order ${marker.paymentOrderId}); it cannot be paid twice.`,
  });
}

/**
 * Step CheckLumpSumEligibility. `settlement` is the marker read with the history: a record already paid out
 * by another application stops here (the settlement transaction is still the guard for concurrent claims).
 */
export function checkEligibility(params: {
  applicationId: string;
  applicationDate: string;
  reason: LumpSumReason;
  person: IdentityClaim;
  periods: StoredContributionPeriod[];
  evidence: LumpSumClaimEvidence | null;
  settlement: SettlementMarker | null;
}): EligibilityDecision {
  const { settlement, person } = params;
  if (settlement && settlement.applicationId !== params.applicationId) return { ...alreadySettled(settlement), eligibility: null };

  const { retirementAgeReachedOn, ...evidence } = params.evidence ?? {};
  const result = checkLumpSumEligibility({
    applicationDate: params.applicationDate,
    reason: params.reason,
    person: {
      dateOfBirth: person.dateOfBirth,
      // The registry's sex; digit 4 of the personal ID when staff vouched for a person the registry lacks.
      sex: person.sex ?? decodePersonalId(person.personalId).sex,
      ...(retirementAgeReachedOn ? { retirementAgeReachedOn } : {}),
    },
    periods: params.periods,
    evidence,
  });
  const eligibility: EligibilitySummary = {
    law: result.law,
    legalCase: result.legalCase,
    reason: result.reason,
    facts: result.facts,
    conditions: result.conditions,
    legalBasis: result.legalBasis,
  };
  if (result.eligible) return { ...PROCEED, eligibility };

  // Every failed condition, with its dates, under the article invoked (or the law when it has no such case).
  const failed = result.conditions.filter((c) => !c.met);
  const basis = result.legalCase ?? `${result.law.instrument} (${result.law.id})`;
  return {
    ...stop('NOT_ELIGIBLE' as const, {
      vi: `Không đủ điều kiện hưởng bảo hiểm xã hội một lần theo ${basis}: ${failed.map((c) => c.detail.vi).join(' ')}`,
      en: `Not eligible for the lump sum under ${basis}: ${failed.map((c) => c.detail.en).join(' ')}`,
    }),
    eligibility,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Amount

/** Step ComputeLumpSumAmount: the amount under the application date's law, coefficients of today's year. */
export function computeAmount(params: {
  applicationDate: string;
  reason: LumpSumReason;
  periods: StoredContributionPeriod[];
}): LumpSumAmountBreakdown {
  return calculateLumpSumAmount({
    applicationDate: params.applicationDate,
    settlementDate: vietnamDate(),
    reason: params.reason,
    periods: params.periods,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Settlement (exactly once)

export interface LumpSumResult {
  paymentOrderId: string;
  amount: number;
  currency: 'VND';
  settledOn: string;
  /** Masked: bank code and the last 4 digits only. */
  bankAccount: { bankCode: string; accountNumber: string };
  beneficiaryName: string;
  /** Years before 2014, years from 2014, average salary, amount: the rules' breakdown. */
  breakdown: LumpSumAmountBreakdown;
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
 * settled this person's record first.
 */
export async function settle(params: {
  applicationId: string;
  person: IdentityClaim;
  eligibility: EligibilitySummary;
  amount: LumpSumAmountBreakdown;
}): Promise<SettlementDecision> {
  const { applicationId, person, amount } = params;
  const record = await requireApplication(applicationId);
  const done = completedResultOf<LumpSumResult>(record);
  if (done) return { ...PROCEED, result: done };

  const bankAccount = (record.request as unknown as { bankAccount: BankAccount }).bankAccount;
  const paymentOrderId = paymentOrderIdFor(applicationId);
  const at = nowIso();
  const settledOn = vietnamDate();
  const result: LumpSumResult = {
    paymentOrderId,
    amount: amount.amount,
    currency: 'VND',
    settledOn,
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
    settlementMarkerPut({ personalId: person.personalId, applicationId, paymentOrderId, amount: amount.amount, settledOn, settledAt: at }),
    paymentOrderPut(order),
    applicationsRepository.transitionUpdate(applicationId, {
      to: 'COMPLETED',
      event: 'SETTLED',
      detail: { paymentOrderId, amount: amount.amount },
      set: { result },
    }),
  ];

  try {
    await dynamo().send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if ((error as Error).name !== 'TransactionCanceledException') throw error;
    return settlementCancelled(applicationId, person.personalId, (error as Cancellation).CancellationReasons ?? []);
  }
  logger.info('Lump sum settled', { applicationId, paymentOrderId, amount: amount.amount });
  return { ...PROCEED, result };
}

async function settlementCancelled(
  applicationId: string,
  personalId: string,
  reasons: { Code?: string }[],
): Promise<SettlementDecision> {
  const codes = reasons.map((r) => r.Code ?? 'None');
  logger.warn('Settlement transaction cancelled', { applicationId, codes });
  if (codes.includes('TransactionConflict')) {
    throw new TransientError(`Settlement transaction conflict for ${applicationId}`);
  }
  if (codes[0] === 'ConditionalCheckFailed') {
    const marker = await getSettlement(personalId);
    if (marker && marker.applicationId !== applicationId) {
      logger.info('Record already settled by another application', { applicationId, personalId: maskPersonalId(personalId) });
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
