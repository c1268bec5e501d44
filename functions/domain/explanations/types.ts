/**
 * An explanation of an amount, beside the amount in every answer: the same reasoning as a Vietnamese sentence,
 * an English sentence, and structured steps (each figure with its unit and the instrument that sets it).
 * Built by the pure modules of this folder from the figures the rules already computed: an explanation never
 * computes the amount another way, it shows how the amount was reached.
 */
import type { Instrument } from './instruments';

export type { Instrument } from './instruments';

export type ExplanationStepCode =
  // household health insurance
  | 'BASE_SALARY'
  | 'CONTRIBUTION_RATE'
  | 'LADDER_SHARE'
  | 'PROVINCIAL_SUPPORT'
  | 'MONTHLY_AMOUNT'
  | 'MONTHS'
  // lump sum
  | 'REVALUED_SALARY'
  | 'TOTAL_MONTHS'
  | 'AVERAGE_SALARY'
  | 'YEARS_BEFORE_2014'
  | 'YEARS_FROM_2014'
  | 'BENEFIT_MONTHS'
  | 'CONTRIBUTIONS_PAID'
  | 'UNDER_ONE_YEAR_CAP'
  | 'GROSS_AMOUNT'
  | 'STATE_SUPPORT_DEDUCTED'
  // unemployment benefit
  | 'LAST_MONTHS_AVERAGE'
  | 'BENEFIT_RATE'
  | 'UNCAPPED_BENEFIT'
  | 'REGIONAL_MINIMUM_WAGE'
  | 'BENEFIT_CAP'
  | 'BENEFIT_DURATION'
  // every explanation ends with the amount it explains
  | 'RESULT';

export type ExplanationUnit = 'VND' | 'PERCENT' | 'MONTHS' | 'YEARS' | 'COEFFICIENT' | 'SALARY_MONTHS' | 'MULTIPLE';

export interface ExplanationStep {
  code: ExplanationStepCode;
  /** The figure (a JSON number; `exact` holds it when it is not a whole or short decimal number). */
  value: number;
  unit: ExplanationUnit;
  /** Exact value of a fraction (decimal-string numerator and denominator), when `value` is rounded for JSON. */
  exact?: { numerator: string; denominator: string };
  /** The instrument that sets the figure (absent for a figure of the person's own record or a result). */
  instrument?: Instrument;
  /** Lump sum: the contribution year of a revalued salary. */
  year?: number;
  /** Months the figure covers (a year's months, odd months of a period). */
  months?: number;
  /** Lump sum: the year's salaries before revaluation; household: the ladder position. */
  salaryTotal?: number;
  /** Lump sum: the salary adjustment coefficient, as written in the table ('1.65'). */
  coefficient?: string;
  /** Household: 1-based position on the discount ladder. */
  position?: number;
  /** Unemployment: the region of the regional minimum wage. */
  region?: string;
  /** A count of half years, or the multiple of a cap. */
  halfYears?: number;
  multiple?: number;
  /** The step changes nothing (e.g. the cap was not reached): shown, but not applied. */
  applied?: boolean;
}

export interface Explanation {
  vi: string;
  en: string;
  steps: ExplanationStep[];
}
