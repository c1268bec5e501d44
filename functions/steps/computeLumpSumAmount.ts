/**
 * Step ComputeLumpSumAmount: `{ applicationId, applicationDate, reason, periods }` → the amount with its breakdown
 * (years before / from 2014, average salary with the adjustment coefficients, amount, legal basis).
 * RuleDataUnavailable (no coefficient table for the year) is not retried: the application ends FAILED for staff.
 */
import { computeAmount } from '../lumpSum/lumpSumService';
import { stepHandler } from '../shared/steps';
import { lumpSumClaimInputSchema } from './schemas';

export const handler = stepHandler('ComputeLumpSumAmount', lumpSumClaimInputSchema, computeAmount, (breakdown) => ({
  amount: breakdown.amount,
  method: breakdown.method,
}));
