/**
 * Step PriceHouseholdRenewal: `{ applicationId, periodMonths, classification, headPersonalId? }` → HouseholdQuote,
 * priced for payment today (Vietnam date) with this province's support. Throws `NoBillableMembers` when nobody
 * is left to bill (ASL Catch) and `HouseholdTooLarge` above 99 billable members (one transaction renews all).
 * The head (first on the discount ladder when billable) is `headPersonalId` when the ASL passes it, else the
 * member the registry lists as head ("CHU_HO").
 */
import { z } from 'zod';
import { asStepError, headPersonalIdOf, priceClassification } from '../household/householdRenewal';
import type { HouseholdClassification, HouseholdQuote } from '../domain/types';
import { vietnamDate } from '../shared/clock';
import { ValidationError } from '../shared/errors';
import { logger } from '../shared/logger';

const inputSchema = z.object({
  applicationId: z.string().min(1),
  periodMonths: z.number().int(),
  headPersonalId: z.string().min(1).optional(),
  classification: z.object({
    billable: z.array(z.looseObject({ member: z.looseObject({ personalId: z.string() }), card: z.unknown() })),
    excluded: z.array(z.looseObject({ personalId: z.string() })),
  }),
});

export async function handler(event: unknown): Promise<HouseholdQuote> {
  const parsed = inputSchema.safeParse(event);
  if (!parsed.success) {
    throw new ValidationError('Dữ liệu bước tính mức đóng không hợp lệ', 'Invalid PriceHouseholdRenewal input', {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const { applicationId, periodMonths } = parsed.data;
  const classification = parsed.data.classification as unknown as HouseholdClassification;
  logger.resetKeys(); // no key of an earlier invocation leaks into this one
  logger.appendKeys({ applicationId });
  try {
    const headPersonalId = parsed.data.headPersonalId ?? headPersonalIdOf(classification) ?? '';
    const quote = priceClassification(classification, { periodMonths, paymentDate: vietnamDate(), headPersonalId });
    logger.info('Household priced', { members: quote.members.length, total: quote.total, validThrough: quote.validThrough });
    return quote;
  } catch (error) {
    throw asStepError(error);
  }
}
