/**
 * Step CheckLumpSumEligibility: `{ applicationId, applicationDate, reason, person, periods, evidence, settlements }`
 * → `{ ok, reasonCode, reason, eligibility }`. The rules apply to the contribution time after the latest
 * settlement's settledThrough (eligibility.contributionRecord says which months). ok false: NOT_ELIGIBLE (the
 * failed conditions, with their dates and article) or ALREADY_SETTLED (no month left to pay out); the ASL
 * records it REJECTED through RecordOutcome.
 */
import * as z from 'zod';
import { checkEligibility } from '../lumpSum/lumpSumEligibilityCheck';
import type { LumpSumClaimEvidence } from '../lumpSum/lumpSumEligibilityCheck';
import type { SettlementMarker } from '../adapters/contributionRecordsRepository';
import { stepHandler } from '../shared/steps';
import { lumpSumClaimFields, personSchema, withSettlements } from './schemas';

const inputSchema = lumpSumClaimFields
  .extend({
    person: personSchema,
    evidence: z.looseObject({}).nullish().transform((e) => (e ?? null) as LumpSumClaimEvidence | null),
  })
  .transform(withSettlements);

export const handler = stepHandler(
  'CheckLumpSumEligibility',
  inputSchema,
  (input) => checkEligibility({ ...input, settlements: input.settlements as SettlementMarker[] }),
  (decision) => ({
    ok: decision.ok,
    reasonCode: decision.reasonCode,
    law: decision.eligibility?.law.id ?? null,
    settledThrough: decision.eligibility?.contributionRecord.settledThrough ?? null,
  }),
);
