/**
 * Step PriceHouseholdRenewal: `{ applicationId, periodMonths, classification, headPersonalId? }` → HouseholdQuote,
 * priced for payment today (Vietnam date) with this province's support. Throws `NoBillableMembers` when nobody
 * is left to bill (ASL Catch) and `HouseholdTooLarge` above 99 billable members (one transaction renews all).
 * The head (first on the discount ladder when billable) is `headPersonalId` when the ASL passes it, else the
 * member the registry lists as head ("CHU_HO").
 */
import * as z from 'zod';
import { headPersonalIdOf, priceClassification } from '../household/householdPricing';
import type { HouseholdClassification } from '../domain/types';
import { vietnamDate } from '../shared/clock';
import { stepHandler } from '../shared/steps';

const inputSchema = z.object({
  applicationId: z.string().min(1),
  periodMonths: z.number().int(),
  headPersonalId: z.string().min(1).optional(),
  classification: z.object({
    billable: z.array(z.looseObject({ member: z.looseObject({ personalId: z.string() }), card: z.unknown() })),
    excluded: z.array(z.looseObject({ personalId: z.string() })),
  }),
});

export const handler = stepHandler(
  'PriceHouseholdRenewal',
  inputSchema,
  (input) => {
    const classification = input.classification as unknown as HouseholdClassification;
    const headPersonalId = input.headPersonalId ?? headPersonalIdOf(classification) ?? '';
    return priceClassification(classification, { periodMonths: input.periodMonths, paymentDate: vietnamDate(), headPersonalId });
  },
  (quote) => ({ members: quote.members.length, total: quote.total, validThrough: quote.validThrough }),
);
