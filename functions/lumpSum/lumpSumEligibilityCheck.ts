/**
 * The lump-sum step that calls no AWS service (CheckLumpSumEligibility) and what it shares with the amount: the
 * contribution time a claim may pay out (after the person's latest settlement) and the eligibility decision,
 * from the pure rules of domain/lumpSum. Apart from lumpSumService.ts (which re-exports them) so that the
 * eligibility step's Lambda bundle carries no AWS SDK.
 */
import type { SettlementMarker, StoredContributionPeriod } from '../adapters/contributionRecordsRepository';
import { PROCEED, stop, type CheckDecision } from '../applications/decisions';
import {
  checkLumpSumEligibility,
  siContributionMonths,
  type LumpSumEligibilityResult,
  type LumpSumEvidence,
  type LumpSumReason,
} from '../domain/lumpSum/lumpSumEligibility';
import { monthIndex, yearMonthOf, type CitedLegalBasis } from '../domain/lumpSum/months';
import { decodePersonalId } from '../domain/identity/personalId';
import type { IdentityClaim } from '../domain/types';

/** Evidence of the invoked case, plus the date the retirement age is reached (case a; an input, see the rules). */
export type LumpSumClaimEvidence = LumpSumEvidence & { retirementAgeReachedOn?: string };

// ---------------------------------------------------------------------------------------------------------------
// The contribution record a claim is about

/** Which contribution time a claim pays out, as recorded in the eligibility, the breakdown and the marker. */
export interface ClaimedRecord {
  /** First SI month not yet paid out (null: none left). */
  from: string | null;
  /** Last SI month not yet paid out: the settledThrough of this claim's marker (null: none left). */
  settledThrough: string | null;
  /** The latest earlier settlement (another application's), or null when the record was never paid out. */
  previousSettlement: Pick<SettlementMarker, 'applicationId' | 'paymentOrderId' | 'settledOn' | 'settledThrough'> | null;
}

export interface ClaimableRecord extends ClaimedRecord {
  /** The periods after the previous settledThrough (a period running across it starts the month after). */
  periods: StoredContributionPeriod[];
}

function monthsBetween(from: string, to: string): number {
  return monthIndex(to) - monthIndex(from) + 1;
}

/**
 * The contribution time a claim may pay out: the periods after the latest settledThrough among the person's
 * settlements (months up to and including it are already paid). Settlements of `applicationId` itself are
 * ignored (a retried step of the application that settled computes what it settled). A period running across
 * settledThrough keeps its months after it; its State support (voluntary periods) is prorated by months, half
 * up to the đồng (verify: the support is recorded per period, not per month).
 */
export function claimableRecord(
  periods: readonly StoredContributionPeriod[],
  settlements: readonly SettlementMarker[],
  applicationId: string,
): ClaimableRecord {
  let previous: SettlementMarker | null = null;
  for (const m of settlements) {
    if (m.applicationId === applicationId) continue;
    if (!previous || m.settledThrough > previous.settledThrough) previous = m;
  }
  const through = previous?.settledThrough ?? null;
  const remaining: StoredContributionPeriod[] = [];
  for (const p of periods) {
    if (through === null || p.from > through) {
      remaining.push(p);
      continue;
    }
    if (p.to <= through) continue;
    const from = yearMonthOf(monthIndex(through) + 1);
    const trimmed: StoredContributionPeriod = { ...p, from };
    if (typeof p.stateSupportAmount === 'number') {
      const total = BigInt(monthsBetween(p.from, p.to));
      const kept = BigInt(monthsBetween(from, p.to));
      trimmed.stateSupportAmount = Number((BigInt(p.stateSupportAmount) * kept * 2n + total) / (total * 2n));
    }
    remaining.push(trimmed);
  }
  const { months } = siContributionMonths(remaining);
  return {
    periods: remaining,
    from: months[0]?.month ?? null,
    settledThrough: months.at(-1)?.month ?? null,
    previousSettlement: previous
      ? { applicationId: previous.applicationId, paymentOrderId: previous.paymentOrderId, settledOn: previous.settledOn, settledThrough: previous.settledThrough }
      : null,
  };
}

export function claimedRecordOf(record: ClaimableRecord): ClaimedRecord {
  return { from: record.from, settledThrough: record.settledThrough, previousSettlement: record.previousSettlement };
}

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
  /** The contribution time the claim is about (the facts and conditions are of it alone). */
  contributionRecord: ClaimedRecord;
}

export type EligibilityDecision = CheckDecision<LumpSumStopCode> & { eligibility: EligibilitySummary | null };

export function alreadySettled(marker: Pick<SettlementMarker, 'settledOn' | 'paymentOrderId'>) {
  return stop('ALREADY_SETTLED' as const, [
    { code: 'NOT_SETTLED_BEFORE', params: { settledOn: marker.settledOn, paymentOrderId: marker.paymentOrderId } },
  ]);
}

/**
 * Step CheckLumpSumEligibility. `settlements` are the markers read with the history: the rules apply to the
 * contribution time after the latest of them; when nothing is left the claim stops with ALREADY_SETTLED (the
 * settlement transaction is still the guard for concurrent claims).
 */
export function checkEligibility(params: {
  applicationId: string;
  applicationDate: string;
  reason: LumpSumReason;
  person: IdentityClaim;
  periods: StoredContributionPeriod[];
  evidence: LumpSumClaimEvidence | null;
  settlements: SettlementMarker[];
}): EligibilityDecision {
  const { person } = params;
  const record = claimableRecord(params.periods, params.settlements, params.applicationId);
  if (record.previousSettlement && record.settledThrough === null) return { ...alreadySettled(record.previousSettlement), eligibility: null };

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
    periods: record.periods,
    evidence,
  });
  const eligibility: EligibilitySummary = {
    law: result.law,
    legalCase: result.legalCase,
    reason: result.reason,
    facts: result.facts,
    conditions: result.conditions,
    legalBasis: result.legalBasis,
    contributionRecord: claimedRecordOf(record),
  };
  if (result.eligible) return { ...PROCEED, eligibility };

  // Every failed condition, with its dates and figures, under the article invoked (reasonCatalog renders them).
  const failed = result.conditions.filter((c) => !c.met);
  return {
    ...stop(
      'NOT_ELIGIBLE' as const,
      failed.map((c) => ({ code: c.code, params: c.params })),
    ),
    eligibility,
  };
}
