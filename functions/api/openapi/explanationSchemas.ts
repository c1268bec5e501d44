/**
 * The explanation of an amount (issue 11): a sentence in Vietnamese and in English and the structured steps, each
 * figure with the instrument that sets it. Used beside the household quote's members and total and in the
 * unemployment and lump-sum results.
 */
import * as z from 'zod';

export const instrumentSchema = z
  .object({
    code: z.string().meta({ description: "Stable code of the instrument, e.g. 'DECREE_161_2026_ND_CP'." }),
    vi: z.string().meta({ description: 'Its Vietnamese citation, e.g. "điểm e khoản 1 Điều 7 Nghị định số 146/2018/NĐ-CP".' }),
    en: z.string(),
    effectiveFrom: z.string().meta({ format: 'date' }),
  })
  .meta({ id: 'Instrument', description: 'The legal instrument that sets a figure, named in Vietnamese and in English.' });

export const explanationStepSchema = z
  .looseObject({
    code: z.enum([
      'BASE_SALARY', 'CONTRIBUTION_RATE', 'LADDER_SHARE', 'PROVINCIAL_SUPPORT', 'MONTHLY_AMOUNT', 'MONTHS',
      'REVALUED_SALARY', 'TOTAL_MONTHS', 'AVERAGE_SALARY', 'YEARS_BEFORE_2014', 'YEARS_FROM_2014', 'BENEFIT_MONTHS',
      'CONTRIBUTIONS_PAID', 'UNDER_ONE_YEAR_CAP', 'GROSS_AMOUNT', 'STATE_SUPPORT_DEDUCTED',
      'LAST_MONTHS_AVERAGE', 'BENEFIT_RATE', 'UNCAPPED_BENEFIT', 'REGIONAL_MINIMUM_WAGE', 'BENEFIT_CAP', 'BENEFIT_DURATION',
      'RESULT',
    ]),
    value: z.number(),
    unit: z.enum(['VND', 'PERCENT', 'MONTHS', 'YEARS', 'COEFFICIENT', 'SALARY_MONTHS', 'MULTIPLE']),
    exact: z.object({ numerator: z.string(), denominator: z.string() }).optional().meta({ description: 'The exact value of a fraction (value is it rounded for JSON).' }),
    instrument: instrumentSchema.optional(),
    year: z.number().int().optional(),
    months: z.number().int().optional(),
    salaryTotal: z.number().int().optional(),
    coefficient: z.string().optional(),
    position: z.number().int().optional(),
    region: z.string().optional(),
    halfYears: z.number().int().optional(),
    multiple: z.number().optional(),
    applied: z.boolean().optional(),
  })
  .meta({ id: 'ExplanationStep', description: 'One figure of the calculation, with its unit and the instrument that sets it; the last step is the RESULT.' });

export const explanationSchema = z
  .object({ vi: z.string(), en: z.string(), steps: z.array(explanationStepSchema) })
  .meta({ id: 'Explanation', description: 'How an amount was reached: a sentence in Vietnamese, the same in English, and the structured steps.' });
