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
import { serviceSubmitter } from '../applications/submitApplication';
import { completedResultOf, requireApplication } from '../applications/outcomes';
import type { UiContractType, UnemploymentHistoryAssessment } from '../domain/unemployment/unemploymentHistory';
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
export const submitUnemploymentHistoryRequest = /* @__PURE__ */ serviceSubmitter<UnemploymentHistoryRequest>({
  service: SERVICE,
  idPrefix: APPLICATION_ID_PREFIX,
  stateMachineArn: () => config.unemploymentHistoryStateMachineArn(),
  workflowInput: (_record, request) => ({ ...request }),
  logFields: (request) => ({ applicant: maskPersonalId(request.applicant.personalId), terminationDate: request.terminationDate }),
});

export { checkLastEmployer, computeUnemploymentHistory, type AssessmentInput } from './unemploymentAssessment';

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
