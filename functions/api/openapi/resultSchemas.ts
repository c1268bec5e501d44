/**
 * The `result` of a COMPLETED application, per service, as the services store it and the application view
 * shows it: household renewal (householdPayments.ts: the cards renewed), unemployment-history confirmation
 * (unemployment/unemploymentHistoryService.ts UnemploymentHistoryResult) and lump-sum settlement
 * (lumpSum/lumpSumService.ts LumpSumResult). Open objects at every level: results gain fields (explanations)
 * without breaking a client; reasons and eligibility conditions are left open (their shape is the reasons').
 */
import { reasonSchema } from './reasonSchemas';
import * as z from 'zod';
import { explanationSchema } from './explanationSchemas';

const calendarDate = z.string().meta({ format: 'date' });
const month = z.string().meta({ description: 'YYYY-MM' });
const vnd = z.number().int().meta({ description: 'Integer VND' });
const months = z.number().int().min(0);
const legalBasisItem = z.looseObject({ parameter: z.string(), value: z.string(), instrument: z.string(), effectiveFrom: calendarDate });
const lawInForce = z
  .looseObject({ id: z.string(), instrument: z.string(), effectiveFrom: calendarDate })
  .meta({ id: 'LawInForce', description: 'The law that applies, with its effective date.' });
const fraction = z
  .looseObject({ numerator: z.string(), denominator: z.string(), display: z.string() })
  .meta({ id: 'ExactFraction', description: 'An exact rational figure (integer numerator / denominator, as strings) and its display.' });

export const householdRenewalResultSchema = z
  .looseObject({
    householdId: z.string(),
    paymentReference: z.string().meta({ description: "The payment gateway's reference" }),
    amountPaid: vnd,
    members: z.array(
      z.looseObject({ personalId: z.string().meta({ description: 'Masked' }), fullName: z.string(), cardValidFrom: calendarDate, cardExpiresOn: calendarDate }),
    ),
    excluded: z.array(z.looseObject({ personalId: z.string(), fullName: z.string(), reason: z.string() })),
  })
  .meta({ id: 'HouseholdRenewalResult', description: 'The cards renewed, to the dates the quote showed.' });

export const unemploymentHistoryResultSchema = z
  .looseObject({
    eligible: z.boolean(),
    law: lawInForce,
    terminationDate: calendarDate,
    contractType: z.string(),
    contractClass: z.string(),
    confirmedUiPeriods: z.array(
      z.looseObject({
        employer: z.string(),
        employerCode: z.string(),
        from: month,
        to: month,
        monthlySalary: vnd,
        region: z.string(),
        countedMonths: months,
      }),
    ),
    totalUiMonths: months,
    window: z.looseObject({ months: months, from: month, to: month }),
    monthsWithinWindow: months,
    reasonCode: z.string().optional(),
    reason: reasonSchema.optional().meta({ description: 'The eligibility reason: the contribution condition, met or not, with its figures.' }),
    estimatedMonthlyBenefit: vnd.nullable().meta({ description: 'null when not eligible' }),
    explanation: explanationSchema.optional().meta({ description: 'How estimatedMonthlyBenefit was reached (when a benefit is estimated).' }),
    benefitCalculation: z
      .looseObject({
        averageMonthlySalary: fraction,
        ratePercent: z.number(),
        cap: z.looseObject({ region: z.string(), regionalMinimumWage: vnd, multiple: z.number(), amount: vnd, instrument: z.string() }),
        capApplied: z.boolean(),
        amount: vnd,
      })
      .nullable(),
    benefitDurationMonths: months,
    usedMonths: months,
    reservedMonths: months,
    legalBasis: z.array(legalBasisItem),
    requestingCentre: z.string(),
    lastEmployer: z.looseObject({ code: z.string(), name: z.string() }).nullable(),
  })
  .meta({ id: 'UnemploymentHistoryResult', description: "BHXH's confirmation of the unemployment-insurance contribution history (the centre decides the benefit)." });

export const lumpSumResultSchema = z
  .looseObject({
    paymentOrderId: z.string(),
    amount: vnd,
    currency: z.literal('VND'),
    settledOn: calendarDate,
    settledFrom: month,
    settledThrough: month.meta({ description: 'The last month paid out (the settlement marker)' }),
    bankAccount: z.looseObject({ bankCode: z.string(), accountNumber: z.string().meta({ description: 'Masked' }) }),
    beneficiaryName: z.string(),
    breakdown: z
      .looseObject({
        amount: vnd,
        law: lawInForce,
        settlementYear: z.number().int(),
        totalMonths: months,
        monthsBefore2014: months,
        monthsFrom2014: months,
        salaryLines: z.array(
          z.looseObject({ year: z.number().int(), months, salaryTotal: vnd, coefficient: z.string(), adjustedTotal: fraction }),
        ),
        adjustedSalaryTotal: fraction,
        averageMonthlySalary: fraction,
        benefitMonths: fraction,
        method: z.string(),
        stateSupportDeducted: vnd,
        legalBasis: z.array(legalBasisItem),
      })
      .meta({ description: 'The amount, from each period salary × coefficient to the net amount' }),
    eligibility: z.looseObject({ law: lawInForce, facts: z.looseObject({ totalMonths: months }) }),
    legalBasis: z.array(legalBasisItem),
    explanation: explanationSchema.optional().meta({ description: 'How amount was reached.' }),
  })
  .meta({ id: 'LumpSumResult', description: 'The lump sum settled: the payment order and how its amount was computed.' });

export const applicationResultSchema = z
  .union([householdRenewalResultSchema, unemploymentHistoryResultSchema, lumpSumResultSchema])
  .meta({ description: "COMPLETED: the service's result (HouseholdRenewalResult, UnemploymentHistoryResult or LumpSumResult)." });
