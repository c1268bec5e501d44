/**
 * Step ClassifyHouseholdMembers: `{ applicationId, members, periodMonths }` → HouseholdClassification.
 * Loads the members' health-insurance cards (BHXH records) and leaves out those already covered by another
 * group (and children under 6), as of today's Vietnam date.
 */
import { z } from 'zod';
import { asStepError, classifyMembers } from '../household/householdRenewal';
import type { HouseholdClassification, RegistryHouseholdMember } from '../domain/types';
import { vietnamDate } from '../shared/clock';
import { ValidationError } from '../shared/errors';
import { logger } from '../shared/logger';

const inputSchema = z.object({
  applicationId: z.string().min(1),
  // The registry's members as the identity check returned them (head included); kept as given.
  members: z.array(z.looseObject({ personalId: z.string().min(1), dateOfBirth: z.string(), relationToHead: z.string() })),
  periodMonths: z.number().int(),
});

export async function handler(event: unknown): Promise<HouseholdClassification> {
  const parsed = inputSchema.safeParse(event);
  if (!parsed.success) {
    throw new ValidationError('Dữ liệu bước phân loại không hợp lệ', 'Invalid ClassifyHouseholdMembers input', {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const { applicationId, members } = parsed.data;
  logger.resetKeys(); // no key of an earlier invocation leaks into this one
  logger.appendKeys({ applicationId });
  try {
    const classification = await classifyMembers(members as unknown as RegistryHouseholdMember[], vietnamDate());
    logger.info('Household classified', { billable: classification.billable.length, excluded: classification.excluded.length });
    return classification;
  } catch (error) {
    throw asStepError(error);
  }
}
