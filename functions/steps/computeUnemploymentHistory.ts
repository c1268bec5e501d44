/**
 * Step ComputeUnemploymentHistory: `{ applicationId, terminationDate, contractType, periods, lastEmployer }` →
 * the assessment (confirmed periods, UI months, months in the 24/36-month window, eligibility with its reason,
 * estimated benefit with the cap, duration, reserved months, legal basis) under the law of the termination date.
 */
import { computeUnemploymentHistory } from '../unemployment/unemploymentAssessment';
import { stepHandler } from '../shared/steps';
import { uiAssessmentInputSchema } from './schemas';

export const handler = stepHandler('ComputeUnemploymentHistory', uiAssessmentInputSchema, computeUnemploymentHistory, (a) => ({
  eligible: a.eligible,
  law: a.law.id,
}));
