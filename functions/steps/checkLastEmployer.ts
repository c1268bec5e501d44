/**
 * Step CheckLastEmployer: `{ applicationId, terminationDate, contractType, periods, lastEmployer }` →
 * `{ ok, reasonCode, reason }`. ok false (EMPLOYER_OWES_CONTRIBUTIONS | EMPLOYER_NOT_CLOSED) stops the
 * confirmation: the ASL records it REJECTED with that reason through RecordOutcome.
 */
import { checkLastEmployer } from '../unemployment/unemploymentAssessment';
import { stepHandler } from '../shared/steps';
import { uiAssessmentInputSchema } from './schemas';

export const handler = stepHandler('CheckLastEmployer', uiAssessmentInputSchema, checkLastEmployer, (decision) => ({
  ok: decision.ok,
  reasonCode: decision.reasonCode,
}));
