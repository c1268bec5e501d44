/**
 * Step AwaitHouseholdPayment (lambda:invoke.waitForTaskToken): `{ applicationId, quote, paymentTimeoutSeconds,
 * taskToken, classification?, householdId? }` → stores the quote and the task token (server-side only), opens
 * the payment request and joins the household renewal hold, application → AWAITING_PAYMENT (one transaction).
 * A household already held by a paid renewal → the application ends REJECTED RENEWAL_IN_PROGRESS and the step
 * fails with `RenewalInProgress` (ASL Catch). The payment callback (POST /v1/payment-callbacks) resumes the
 * workflow with a PaymentConfirmation. The task token is never logged.
 */
import * as z from 'zod';
import { recordQuoteAndAwaitPayment } from '../household/householdRenewal';
import type { HouseholdClassification, HouseholdQuote } from '../domain/types';
import { stepHandler } from '../shared/steps';

const inputSchema = z.object({
  applicationId: z.string().min(1),
  quote: z.looseObject({ total: z.number().int().positive(), validThrough: z.string(), members: z.array(z.unknown()) }),
  paymentTimeoutSeconds: z.number().positive(),
  taskToken: z.string().min(1),
  householdId: z.string().min(1).nullish(),
  classification: z
    .looseObject({ billable: z.array(z.looseObject({ member: z.looseObject({ personalId: z.string() }), card: z.unknown() })) })
    .optional(),
});

export const handler = stepHandler(
  'AwaitHouseholdPayment',
  inputSchema,
  ({ applicationId, quote, paymentTimeoutSeconds, taskToken, householdId, classification }) =>
    recordQuoteAndAwaitPayment({
      applicationId,
      quote: quote as unknown as HouseholdQuote,
      paymentTimeoutSeconds,
      taskToken,
      householdId: householdId ?? null,
      classification: classification as unknown as HouseholdClassification | undefined,
    }),
  (out) => ({ paymentDueAt: out.paymentDueAt }),
);
