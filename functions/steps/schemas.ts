/**
 * zod shapes of the data the contribution-record workflows pass between their steps (unemployment history and
 * lump sum): one definition per shape, used by every step handler that receives it. Loose objects: a step
 * checks what it relies on and passes the rest through unchanged.
 */
import * as z from 'zod';
import { LUMP_SUM_REASONS, type LumpSumReason } from '../domain/lumpSum/lumpSumEligibility';
import { UI_CONTRACT_TYPES, type UiContractType } from '../domain/unemployment/unemploymentHistory';

export const contributionPeriodSchema = z.looseObject({
  employer: z.string(),
  employerCode: z.string(),
  from: z.string(),
  to: z.string(),
  monthlySalary: z.number().int().min(0),
  schemes: z.array(z.enum(['SI', 'UI', 'HI'])),
  region: z.enum(['I', 'II', 'III', 'IV']).optional(),
  voluntary: z.boolean().optional(),
  stateSupportAmount: z.number().int().min(0).optional(),
});

export const periodsSchema = z.array(contributionPeriodSchema);

export const lastEmployerSchema = z
  .looseObject({ code: z.string(), name: z.string(), closed: z.boolean(), owesContributions: z.boolean() })
  .nullable();

const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);

/** A lump-sum settlement marker (LoadContributionHistory): the record paid out through settledThrough. */
export const settlementMarkerSchema = z.looseObject({
  personalId: z.string(),
  applicationId: z.string(),
  paymentOrderId: z.string(),
  amount: z.number(),
  settledOn: z.string(),
  settledThrough: monthSchema,
  settledFrom: monthSchema.optional(),
});

/** The latest marker, as executions started before settlements were per record pass it. */
export const settlementSchema = settlementMarkerSchema.nullable();

/** Every marker of the person (LoadContributionHistory `settlements`). */
export const settlementsSchema = z.array(settlementMarkerSchema);

export const personSchema = z.object({
  personalId: z.string().min(1),
  fullName: z.string().min(1),
  dateOfBirth: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  sex: z
    .enum(['MALE', 'FEMALE'])
    .nullish()
    .transform((s) => s ?? undefined),
});

export const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const lumpSumReasonSchema = z.enum(LUMP_SUM_REASONS as [LumpSumReason, ...LumpSumReason[]]);

/** What the unemployment-history checks and the assessment read. */
export const uiAssessmentInputSchema = z.object({
  applicationId: z.string().min(1),
  terminationDate: dateSchema,
  contractType: z.enum(UI_CONTRACT_TYPES as [UiContractType, ...UiContractType[]]),
  periods: periodsSchema,
  lastEmployer: lastEmployerSchema,
});

/**
 * What the lump-sum rules read about a claim: the periods and the settlements (the rules apply to the time
 * after the latest one). `settlement` (one marker) is what executions started before per-record settlements
 * pass; eligibility adds the person and the evidence.
 */
export const lumpSumClaimFields = z.object({
  applicationId: z.string().min(1),
  applicationDate: dateSchema,
  reason: lumpSumReasonSchema,
  periods: periodsSchema,
  settlements: settlementsSchema.optional(),
  settlement: settlementSchema.optional(),
});

type SettlementInput = z.infer<typeof settlementMarkerSchema>;

/** `settlements` from either form (none when neither is given). */
export function withSettlements<T extends { settlements?: SettlementInput[]; settlement?: SettlementInput | null }>(
  input: T,
): Omit<T, 'settlement' | 'settlements'> & { settlements: SettlementInput[] } {
  const { settlement, settlements, ...rest } = input;
  return { ...rest, settlements: settlements ?? (settlement ? [settlement] : []) };
}
