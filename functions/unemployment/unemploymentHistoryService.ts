/**
 * Unemployment-insurance contribution history (xác nhận quá trình đóng BHTN): the services used by the workflow's
 * step handlers and by the HTTP API. The rules are the pure ones of domain/unemployment/unemploymentHistory.ts.
 *
 *   submitUnemploymentHistoryRequest   POST /v1/unemployment-history-requests (generic idempotent submission)
 *   checkLastEmployer                  step CheckLastEmployer: an employer that owes contributions or has not
 *                                      closed the record stops the confirmation with that reason (never a
 *                                      wrong answer)
 *   computeUnemploymentHistory         step ComputeUnemploymentHistory: the assessment (law by termination date)
 *   recordUnemploymentHistory          step RecordUnemploymentHistory: application → COMPLETED with the result
 *
 * A worker who does not meet the contribution condition still gets a COMPLETED confirmation, with
 * `eligible: false` and the reason: the confirmation itself is the service; the employment service centre decides.
 */
import { applicationsRepository, type ApplicationRecord } from '../adapters/applicationsRepository';
import type { EmployerStatus, StoredContributionPeriod } from '../adapters/contributionRecordsRepository';
import { serviceSubmitter } from '../applications/submitApplication';
import {
  PROCEED,
  completedResultOf,
  requireApplication,
  stop,
  type CheckDecision,
} from '../applications/outcomes';
import {
  assessUnemploymentHistory,
  type UiContractType,
  type UnemploymentBlockedReason,
  type UnemploymentHistoryAssessment,
} from '../domain/unemployment/unemploymentHistory';
import type { ContributionPeriod } from '../domain/lumpSum/months';
import type { IdentityClaim } from '../domain/types';
import { config } from '../shared/config';
import { ConflictError } from '../shared/errors';
import { logger, maskPersonalId } from '../shared/logger';

export const SERVICE = 'UNEMPLOYMENT_HISTORY' as const;
export const APPLICATION_ID_PREFIX = 'UI-';

export interface UnemploymentHistoryRequest {
  applicant: IdentityClaim;
  /** Date the labour / working contract ended. */
  terminationDate: string;
  contractType: UiContractType;
  /** The public employment service centre asking for the confirmation. */
  requestingCentre: string;
}

/** POST: the generic idempotent submission (applications/submitApplication.ts) with this service's input. */
export const submitUnemploymentHistoryRequest = serviceSubmitter<UnemploymentHistoryRequest>({
  service: SERVICE,
  idPrefix: APPLICATION_ID_PREFIX,
  stateMachineArn: () => config.unemploymentHistoryStateMachineArn(),
  workflowInput: (_record, request) => ({ ...request }),
  logFields: (request) => ({ applicant: maskPersonalId(request.applicant.personalId), terminationDate: request.terminationDate }),
});

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
  return stop(outcome.reasonCode, {
    vi: `${outcome.message.vi} Đơn vị: ${employer.name} (mã ${employer.code}).`,
    en: `${outcome.message.en} Employer: ${employer.name} (code ${employer.code}).`,
  });
}

/** Step ComputeUnemploymentHistory: the assessment under the law in force on the termination date. */
export function computeUnemploymentHistory(input: AssessmentInput): UnemploymentHistoryAssessment {
  const outcome = assess(input);
  if (outcome.status === 'BLOCKED') {
    throw new ConflictError(outcome.reasonCode, outcome.message.vi, outcome.message.en);
  }
  return outcome;
}

export type UnemploymentHistoryResult = Omit<UnemploymentHistoryAssessment, 'status'> & {
  requestingCentre: string;
  lastEmployer: { code: string; name: string } | null;
};

/**
 * Step RecordUnemploymentHistory: application → COMPLETED with the confirmation. Idempotent: an application
 * already COMPLETED returns its recorded result.
 */
export async function recordUnemploymentHistory(params: {
  applicationId: string;
  assessment: UnemploymentHistoryAssessment;
  lastEmployer: { code: string; name: string } | null;
  requestingCentre: string;
}): Promise<UnemploymentHistoryResult> {
  const { applicationId, assessment } = params;
  const before = await requireApplication(applicationId);
  const done = completedResultOf<UnemploymentHistoryResult>(before);
  if (done) return done;

  const { status: _status, ...confirmation } = assessment;
  const result: UnemploymentHistoryResult = {
    ...confirmation,
    requestingCentre: params.requestingCentre,
    lastEmployer: params.lastEmployer ? { code: params.lastEmployer.code, name: params.lastEmployer.name } : null,
  };
  try {
    await applicationsRepository.transition(applicationId, {
      to: 'COMPLETED',
      event: 'COMPLETED',
      detail: {
        eligible: result.eligible,
        totalUiMonths: result.totalUiMonths,
        estimatedMonthlyBenefit: result.estimatedMonthlyBenefit,
      },
      set: { result },
    });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    // Lost a race with a concurrent retry (or the application ended meanwhile): decide on what is stored.
    const current: ApplicationRecord = await requireApplication(applicationId);
    const recorded = completedResultOf<UnemploymentHistoryResult>(current);
    if (recorded) return recorded;
    throw error;
  }
  logger.info('Unemployment history confirmed', {
    applicationId,
    eligible: result.eligible,
    totalUiMonths: result.totalUiMonths,
    law: result.law.id,
  });
  return result;
}
