/**
 * The reason an answer shows (functions/domain/reasonCatalog.ts renderReason): a code, its message in Vietnamese
 * and English, the failed legal condition as a code with its dates and figures.
 */
import * as z from 'zod';
import { CONDITION_CODES, REASON_CODES } from '../../domain/reasonCatalog';
import { REFUND_DUE_CODES } from './errorCodes';

const paramValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const reasonConditionSchema = z
  .object({
    code: z.enum(CONDITION_CODES as [string, ...string[]]).meta({ description: 'The legal condition that is not met.' }),
    params: z.record(z.string(), paramValue).meta({ description: "The condition's dates (YYYY-MM-DD), months (YYYY-MM) and figures." }),
  })
  .meta({ id: 'ReasonCondition', description: 'A failed legal condition, as a code with its dates and figures.' });

export const reasonSchema = z
  .object({
    code: z.enum(REASON_CODES).meta({ description: 'Why: a stable code (an engine error is WORKFLOW_ERROR).' }),
    message: z
      .object({ vi: z.string(), en: z.string() })
      .meta({ description: 'Ready to show: entirely Vietnamese (with Vietnamese legal citations) / entirely English.' }),
    condition: reasonConditionSchema.optional(),
    additionalConditions: z.array(reasonConditionSchema).optional().meta({ description: 'Further conditions not met.' }),
    note: z.string().optional().meta({ description: "The reviewing officer's own words (a rejection reason)." }),
  })
  .meta({ id: 'Reason', description: 'A reason a portal can show as it is.' });

/** Why a payment is a refund due (functions/household/householdPayments.ts RefundReasonCode), ready to show. */
export const refundReasonSchema = z
  .object({
    code: z.enum(REFUND_DUE_CODES).meta({ description: 'Why the payment bought nothing.' }),
    message: z.object({ vi: z.string(), en: z.string() }).meta({ description: 'Entirely Vietnamese / entirely English.' }),
  })
  .meta({ id: 'RefundReason', description: 'Why a payment is to be refunded.' });
