/**
 * The unemployment-history steps that call no AWS service (CheckLastEmployer, ComputeUnemploymentHistory): the
 * pure rules of domain/unemployment/unemploymentHistory.ts applied to the workflow's data. Apart from
 * unemploymentHistoryService.ts (which re-exports them) so that their Lambda bundles carry no AWS SDK.
 */
import type { EmployerStatus, StoredContributionPeriod } from '../adapters/contributionRecordsRepository';
import { PROCEED, stop, type CheckDecision } from '../applications/decisions';
import {
  assessUnemploymentHistory,
  type UiContractType,
  type UnemploymentBlockedReason,
  type UnemploymentHistoryAssessment,
} from '../domain/unemployment/unemploymentHistory';
import type { ContributionPeriod } from '../domain/lumpSum/months';
import { ConflictError } from '../shared/errors';

export interface AssessmentInput {
  terminationDate: string;
  contractType: UiContractType;
  periods: StoredContributionPeriod[];
  /** The last employer's status (LoadContributionHistory); null when the record has no employer period. */
  lastEmployer: EmployerStatus | null;
}

/** UI periods need a region (the cap's regional minimum wage); a voluntary period never carries UI. */
function uiPeriods(periods: readonly StoredContributionPeriod[]): ContributionPeriod[] {
  return periods
    .filter((p) => !p.voluntary && p.schemes.includes('UI'))
    .map((p) => ({ ...p, region: p.region! }));
}

function assess(input: AssessmentInput) {
  return assessUnemploymentHistory({
    terminationDate: input.terminationDate,
    contractType: input.contractType,
    periods: uiPeriods(input.periods),
    // No employer period at all: nothing to close, the assessment finds no months.
    lastEmployerStatus: input.lastEmployer ?? { closed: true, owesContributions: false },
  });
}

/**
 * Step CheckLastEmployer: proceeds when the last employer has closed the record and owes nothing; otherwise
 * stops with EMPLOYER_OWES_CONTRIBUTIONS (checked first: it is what keeps a record open) or EMPLOYER_NOT_CLOSED,
 * naming the employer.
 */
export function checkLastEmployer(input: AssessmentInput): CheckDecision<UnemploymentBlockedReason> {
  const outcome = assess(input);
  if (outcome.status !== 'BLOCKED') return PROCEED;
  const employer = input.lastEmployer!;
  const params = { employerName: employer.name, employerCode: employer.code };
  return stop(outcome.reasonCode, [
    { code: outcome.reasonCode === 'EMPLOYER_OWES_CONTRIBUTIONS' ? 'EMPLOYER_NO_DEBT' : 'EMPLOYER_RECORD_CLOSED', params },
  ]);
}

/** Step ComputeUnemploymentHistory: the assessment under the law in force on the termination date. */
export function computeUnemploymentHistory(input: AssessmentInput): UnemploymentHistoryAssessment {
  const outcome = assess(input);
  if (outcome.status === 'BLOCKED') {
    throw new ConflictError(outcome.reasonCode, outcome.message.vi, outcome.message.en);
  }
  return outcome;
}
