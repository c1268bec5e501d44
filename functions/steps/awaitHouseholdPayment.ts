/**
 * Step AwaitHouseholdPayment (lambda:invoke.waitForTaskToken): `{ applicationId, quote, paymentTimeoutSeconds,
 * taskToken }` → stores the quote and the task token (server-side only), application → AWAITING_PAYMENT. The
 * payment callback (POST /v1/applications/{id}/payment) resumes the workflow with a PaymentConfirmation.
 * The task token is never logged.
 */
import { z } from 'zod';
import { asStepError, recordQuoteAndAwaitPayment } from '../household/householdRenewal';
import type { HouseholdQuote } from '../domain/types';
import { ValidationError } from '../shared/errors';
import { logger } from '../shared/logger';

const inputSchema = z.object({
  applicationId: z.string().min(1),
  quote: z.looseObject({ total: z.number().int().positive(), validThrough: z.string(), members: z.array(z.unknown()) }),
  paymentTimeoutSeconds: z.number().positive(),
  taskToken: z.string().min(1),
});

export async function handler(event: unknown): Promise<{ applicationId: string; status: 'AWAITING_PAYMENT'; paymentDueAt: string }> {
  const parsed = inputSchema.safeParse(event);
  if (!parsed.success) {
    throw new ValidationError('Dữ liệu bước chờ thanh toán không hợp lệ', 'Invalid AwaitHouseholdPayment input', {
      // Paths and messages only: never echo the task token.
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const { applicationId, paymentTimeoutSeconds, taskToken } = parsed.data;
  logger.resetKeys(); // no key of an earlier invocation leaks into this one
  logger.appendKeys({ applicationId });
  try {
    const out = await recordQuoteAndAwaitPayment({
      applicationId,
      quote: parsed.data.quote as unknown as HouseholdQuote,
      paymentTimeoutSeconds,
      taskToken,
    });
    logger.info('Awaiting payment', { paymentDueAt: out.paymentDueAt });
    return out;
  } catch (error) {
    throw asStepError(error);
  }
}
