/**
 * Step RenewHouseholdCards: `{ applicationId, quote, payment, householdId? }` → the renewal result. Every member's
 * HEALTH_CARD and the application → COMPLETED in one DynamoDB transaction; a retry after success returns the
 * recorded result (householdRenewal.renewCards).
 */
import { z } from 'zod';
import { asStepError, renewCards, type RenewalResult } from '../household/householdRenewal';
import type { HouseholdQuote, PaymentConfirmation } from '../domain/types';
import { ValidationError } from '../shared/errors';
import { logger } from '../shared/logger';

const inputSchema = z.object({
  applicationId: z.string().min(1),
  householdId: z.string().nullish(),
  quote: z.looseObject({
    periodMonths: z.number().int(),
    members: z.array(z.looseObject({ personalId: z.string(), fullName: z.string() })),
    excluded: z.array(z.unknown()),
  }),
  payment: z.object({
    paymentReference: z.string().min(1),
    amount: z.number().int().positive(),
    paidAt: z.string(),
    paymentDate: z.string(),
  }),
});

export async function handler(event: unknown): Promise<RenewalResult> {
  const parsed = inputSchema.safeParse(event);
  if (!parsed.success) {
    throw new ValidationError('Dữ liệu bước gia hạn thẻ không hợp lệ', 'Invalid RenewHouseholdCards input', {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const { applicationId, householdId } = parsed.data;
  logger.resetKeys(); // no key of an earlier invocation leaks into this one
  logger.appendKeys({ applicationId });
  try {
    return await renewCards({
      applicationId,
      householdId: householdId ?? null,
      quote: parsed.data.quote as unknown as HouseholdQuote,
      payment: parsed.data.payment as PaymentConfirmation,
    });
  } catch (error) {
    throw asStepError(error);
  }
}
