/**
 * Step CheckLumpSumEligibility: `{ applicationId, applicationDate, reason, person, periods, evidence, settlement }`
 * → `{ ok, reasonCode, reason, eligibility }`. ok false: NOT_ELIGIBLE (the failed conditions, with their dates
 * and article) or ALREADY_SETTLED; the ASL records it REJECTED through RecordOutcome.
 */
import { z } from 'zod';
import { checkEligibility } from '../lumpSum/lumpSumService';
import type { LumpSumClaimEvidence } from '../lumpSum/lumpSumService';
import { stepHandler } from '../shared/steps';
import { lumpSumClaimInputSchema, personSchema, settlementSchema } from './schemas';

const inputSchema = lumpSumClaimInputSchema.extend({
  person: personSchema,
  evidence: z.looseObject({}).nullish().transform((e) => (e ?? null) as LumpSumClaimEvidence | null),
  settlement: settlementSchema,
});

export const handler = stepHandler('CheckLumpSumEligibility', inputSchema, checkEligibility, (decision) => ({
  ok: decision.ok,
  reasonCode: decision.reasonCode,
  law: decision.eligibility?.law.id ?? null,
}));
