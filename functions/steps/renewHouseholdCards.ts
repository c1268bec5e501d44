/**
 * Step RenewHouseholdCards: `{ applicationId, quote, payment, householdId? }` → the renewal result. Every member's
 * HEALTH_CARD and the application → COMPLETED in one DynamoDB transaction; a retry after success returns the
 * recorded result (householdRenewal.renewCards).
 */
import { z } from 'zod';
import { renewCards } from '../household/householdRenewal';
import type { HouseholdQuote, PaymentConfirmation } from '../domain/types';
import { stepHandler } from '../shared/steps';

const inputSchema = z.object({
  applicationId: z.string().min(1),
  householdId: z.string().nullish(),
  quote: z.looseObject({
    periodMonths: z.number().int(),
    members: z.array(z.looseObject({ personalId: z.string(), fullName: z.string(), cardValidFrom: z.string(), cardExpiresOn: z.string() })),
    excluded: z.array(z.unknown()),
  }),
  payment: z.object({
    paymentReference: z.string().min(1),
    paymentRequestId: z.string().optional(),
    amount: z.number().int().positive(),
    paidAt: z.string(),
    paymentDate: z.string(),
  }),
});

export const handler = stepHandler(
  'RenewHouseholdCards',
  inputSchema,
  (input) =>
    renewCards({
      applicationId: input.applicationId,
      householdId: input.householdId ?? null,
      quote: input.quote as unknown as HouseholdQuote,
      payment: input.payment as PaymentConfirmation,
    }),
  (result) => ({ members: result.members.length, excluded: result.excluded.length, amountPaid: result.amountPaid }),
);
