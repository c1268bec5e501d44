/**
 * Step ComputeLumpSumAmount: `{ applicationId, applicationDate, reason, periods, settlements, onRuleDataUnavailable? }`
 * → the amount of the contribution time after the latest settlement, with its breakdown (years before / from
 * 2014, average salary with the adjustment coefficients, amount, legal basis, contributionRecord: the months
 * paid out).
 *
 * RuleDataUnavailable (e.g. no coefficient table yet for the settlement year) is thrown back to the ASL, which
 * retries it for weeks: the claim goes on by itself once the table is deployed. Before rethrowing, the step
 * records (lumpSumService.computeAmountStep): `WAIT` (default) a WAITING_FOR_RULE_DATA timeline event, once;
 * `RECORD_FAILED` (the final attempt, after the retries) the application FAILED with reason RULE_DATA_UNAVAILABLE
 * naming the missing data.
 */
import * as z from 'zod';
import { computeAmountStep } from '../lumpSum/lumpSumService';
import type { SettlementMarker } from '../adapters/contributionRecordsRepository';
import { stepHandler } from '../shared/steps';
import { lumpSumClaimFields, withSettlements } from './schemas';

const inputSchema = lumpSumClaimFields
  .extend({ onRuleDataUnavailable: z.enum(['WAIT', 'RECORD_FAILED']).default('WAIT') })
  .transform(withSettlements);

export const handler = stepHandler(
  'ComputeLumpSumAmount',
  inputSchema,
  (input) => computeAmountStep({ ...input, settlements: input.settlements as SettlementMarker[] }),
  (breakdown) => ({
    amount: breakdown.amount,
    method: breakdown.method,
    settledThrough: breakdown.contributionRecord.settledThrough,
  }),
);
