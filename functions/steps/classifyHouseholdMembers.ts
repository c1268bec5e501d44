/**
 * Step ClassifyHouseholdMembers: `{ applicationId, members, periodMonths }` → HouseholdClassification.
 * Loads the members' health-insurance cards (BHXH records) and leaves out those already covered by another
 * group (and children under 6), as of today's Vietnam date.
 */
import * as z from 'zod';
import { classifyMembers } from '../household/householdRenewal';
import type { RegistryHouseholdMember } from '../domain/types';
import { vietnamDate } from '../shared/clock';
import { stepHandler } from '../shared/steps';

const inputSchema = z.object({
  applicationId: z.string().min(1),
  // The registry's members as the identity check returned them (head included); kept as given.
  members: z.array(z.looseObject({ personalId: z.string().min(1), dateOfBirth: z.string(), relationToHead: z.string() })),
  periodMonths: z.number().int(),
});

export const handler = stepHandler(
  'ClassifyHouseholdMembers',
  inputSchema,
  ({ members }) => classifyMembers(members as unknown as RegistryHouseholdMember[], vietnamDate()),
  (classification) => ({ billable: classification.billable.length, excluded: classification.excluded.length }),
);
