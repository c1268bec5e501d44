/**
 * Step AwaitHouseholdPayment (lambda:invoke.waitForTaskToken): `{ applicationId, quote, paymentTimeoutSeconds,
 * taskToken }` → stores the quote and the task token (server-side only), application → AWAITING_PAYMENT. The
 * payment callback (POST /v1/applications/{id}/payment) resumes the workflow with a PaymentConfirmation.
 * The task token is never logged.
 */
import { z } from 'zod';
import { recordQuoteAndAwaitPayment } from '../household/householdRenewal';
import type { HouseholdQuote } from '../domain/types';
import { stepHandler } from '../shared/steps';

const inputSchema = z.object({
  applicationId: z.string().min(1),
  quote: z.looseObject({ total: z.number().int().positive(), validThrough: z.string(), members: z.array(z.unknown()) }),
  paymentTimeoutSeconds: z.number().positive(),
  taskToken: z.string().min(1),
});

export const handler = stepHandler(
  'AwaitHouseholdPayment',
  inputSchema,
  ({ applicationId, quote, paymentTimeoutSeconds, taskToken }) =>
    recordQuoteAndAwaitPayment({ applicationId, quote: quote as unknown as HouseholdQuote, paymentTimeoutSeconds, taskToken }),
  (out) => ({ paymentDueAt: out.paymentDueAt }),
);
