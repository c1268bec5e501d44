/**
 * Lump-sum social insurance (BHXH một lần): the amount. Pure rules, no I/O. Source: /work/shared/domain.md §3.
 *
 * Law by APPLICATION DATE (Law 58/2014/QH13 Art. 60(2), Art. 77(2) before 2025-07-01; Law 41/2024/QH15 from
 * 2025-07-01 — same parameters, different citations). Coefficient table by SETTLEMENT YEAR (settlementDate,
 * default the application date).
 *
 * Arithmetic is exact (bigint fractions) throughout; the ONLY rounding is at the very end: the net amount is
 * rounded half up to the đồng (x.5 → x+1). Steps:
 * 1. Distinct SI months (compulsory and voluntary; a month covered twice counts once; its salary is that of the
 *    compulsory period, then the earliest-started one).
 * 2. Average monthly salary = Σ(monthly salary × coefficient of the month's year) ÷ total months, exact.
 *    Voluntary income uses the same table (no separate voluntary table on record — verify).
 * 3. Years: months before 2014-01 → whole years at 1.5 months each; their odd months (P mod 12) are CARRIED
 *    into the from-2014 period (Circular 59/2015/TT-BLĐTBXH practice — also when there is no from-2014
 *    contribution, verify); from-2014 months + carried → whole years + odd months, odd 1–6 = half a year,
 *    7–11 = a whole year (Law 41/2024 Art. 5(6)), at 2 months per year. Counts are reported in half years.
 * 4. Fewer than 12 months in total: the contributions actually paid (Σ monthly salary × the retirement and
 *    survivor fund rate of that month — 16 % … 22 %, see RETIREMENT_SURVIVOR_FUND_RATES — unadjusted, verify), at
 *    most 2 × the average monthly salary. The breakdown reports the rate of each run of months (rateLines) and
 *    cites every rate used: months across a rate change (e.g. 2013-12 → 2014-01) are paid in at both.
 * 5. Minus the State support paid towards voluntary contributions (Σ stateSupportAmount of voluntary periods),
 *    except in case (c) listed diseases (verify); never below 0.
 */
import {
  decimalToFraction,
  salaryAdjustmentCoefficient,
  salaryAdjustmentTable,
  SalaryAdjustmentDataMissingError,
  type SalaryAdjustmentCoefficient,
  type SalaryAdjustmentTable,
} from '../rules/salaryAdjustmentCoefficients';
import {
  assertIsoDate,
  frac,
  fracAdd,
  fracCompare,
  fracMul,
  fracSub,
  fracView,
  invalidInput,
  monthIndex,
  monthIndexOfDate,
  roundHalfUp,
  RuleDataUnavailableError,
  toSafeNumber,
  validatePeriods,
  yearMonthOf,
  yearOfIndex,
  type CitedLegalBasis,
  type Fraction,
  type FractionView,
  type SiContributionPeriod,
} from './months';
import { LUMP_SUM_REASONS, siContributionMonths, type LumpSumLawId, type LumpSumReason } from './lumpSumEligibility';

export interface LumpSumAmountRules {
  id: LumpSumLawId;
  /** Applications filed on or after this date. */
  effectiveFrom: string;
  instrument: string;
  /** First month of the "from 2014" period. */
  splitMonth: string;
  /** Months of average salary per contribution year before splitMonth (decimal string). */
  monthsPerYearBefore: string;
  /** Months of average salary per contribution year from splitMonth. */
  monthsPerYearFrom: string;
  /** Odd months up to this count are half a year; above it (to 11) a whole year. */
  oddMonthsHalfYearUpTo: number;
  /** Totals below this many months use the "amount actually paid in" rule. */
  underOneYearMonths: number;
  /** Cap of that rule, in months of average salary. */
  underOneYearCapMonths: number;
  /** Reasons for which the State support for voluntary contributions is NOT deducted. */
  stateSupportKeptFor: readonly LumpSumReason[];
  articles: { rates: string; oddMonths: string; underOneYear: string; stateSupport: string };
}

/** Ascending by effectiveFrom. */
export const LUMP_SUM_AMOUNT_RULES: readonly LumpSumAmountRules[] = [
  {
    id: 'LAW_58_2014',
    effectiveFrom: '2016-01-01',
    instrument: 'Law on Social Insurance 58/2014/QH13',
    splitMonth: '2014-01',
    monthsPerYearBefore: '1.5',
    monthsPerYearFrom: '2',
    oddMonthsHalfYearUpTo: 6,
    underOneYearMonths: 12,
    underOneYearCapMonths: 2,
    stateSupportKeptFor: ['LISTED_DISEASE'],
    articles: {
      rates: 'Law 58/2014/QH13 Art. 60(2)(a)-(b), Art. 77(2)(a)-(b)',
      oddMonths: 'Decree 115/2015/NĐ-CP; Circular 59/2015/TT-BLĐTBXH (odd months, carry of pre-2014 odd months)',
      underOneYear: 'Law 58/2014/QH13 Art. 60(2)(c), Art. 77(2)(c)',
      stateSupport: 'Law 58/2014/QH13 Art. 77 (voluntary); Decree 134/2015/NĐ-CP',
    },
  },
  {
    id: 'LAW_41_2024',
    effectiveFrom: '2025-07-01',
    instrument: 'Law on Social Insurance 41/2024/QH15',
    splitMonth: '2014-01',
    monthsPerYearBefore: '1.5',
    monthsPerYearFrom: '2',
    oddMonthsHalfYearUpTo: 6,
    underOneYearMonths: 12,
    underOneYearCapMonths: 2,
    stateSupportKeptFor: ['LISTED_DISEASE'],
    articles: {
      rates: 'Law 41/2024/QH15 Art. 71',
      oddMonths: 'Law 41/2024/QH15 Art. 5(6); Circular 59/2015/TT-BLĐTBXH practice (carry of pre-2014 odd months)',
      underOneYear: 'Law 41/2024/QH15 Art. 71',
      stateSupport: 'Law 41/2024/QH15 Art. 71',
    },
  },
];

/** Rate of the retirement and survivor fund (employee + employer), used for the "amount actually paid in". */
export interface FundRateEntry {
  /** First contribution month, 'YYYY-MM'. */
  effectiveFrom: string;
  ratePercent: number;
  instrument: string;
  verify: boolean;
}

/**
 * Ascending; each rate applies from its month until the next entry. Months before the first entry (2007-01) have
 * no rate on record (RuleDataUnavailable if needed, never a guess). The pre-2014 rates come from outside
 * domain.md (verify): Law 71/2006/QH11 raised the employee share by 1 point and the employer share by 1 point
 * every two years from 2010 until 8 % + 14 % in 2014; voluntary participation (from 2008-01) followed the same
 * total rates (Art. 100(1)).
 */
export const RETIREMENT_SURVIVOR_FUND_RATES: readonly FundRateEntry[] = [
  {
    effectiveFrom: '2007-01',
    ratePercent: 16,
    instrument:
      'Law on Social Insurance 71/2006/QH11 Art. 91(1), 92(1)(c) (5 % employee + 11 % employer); Art. 100(1) ' +
      '(16 % of chosen income for voluntary participants, from 2008-01)',
    verify: true,
  },
  {
    effectiveFrom: '2010-01',
    ratePercent: 18,
    instrument: 'Law on Social Insurance 71/2006/QH11 Art. 91(1), 92(1)(c) (6 % employee + 12 % employer); Art. 100(1) (18 %)',
    verify: true,
  },
  {
    effectiveFrom: '2012-01',
    ratePercent: 20,
    instrument: 'Law on Social Insurance 71/2006/QH11 Art. 91(1), 92(1)(c) (7 % employee + 13 % employer); Art. 100(1) (20 %)',
    verify: true,
  },
  {
    effectiveFrom: '2014-01',
    ratePercent: 22,
    instrument:
      'Law 58/2014/QH13 Art. 85(1), 86(1), 87(1) (8 % employee + 14 % employer; 22 % of chosen income for ' +
      'voluntary participants); Law 41/2024/QH15 Art. 33–36',
    verify: true,
  },
];

function fundRateFor(index: number): FundRateEntry | null {
  let found: FundRateEntry | null = null;
  for (const r of RETIREMENT_SURVIVOR_FUND_RATES) if (monthIndex(r.effectiveFrom) <= index) found = r;
  return found;
}

/** The amount rules for an application filed on `applicationDate`. */
export function lumpSumAmountRulesFor(applicationDate: string): LumpSumAmountRules {
  assertIsoDate(applicationDate, 'applicationDate');
  let rules: LumpSumAmountRules | null = null;
  for (const r of LUMP_SUM_AMOUNT_RULES) if (r.effectiveFrom <= applicationDate) rules = r;
  if (!rules) {
    throw invalidInput(
      `applicationDate ${applicationDate} precedes ${LUMP_SUM_AMOUNT_RULES[0].effectiveFrom}, the first law on record`,
      `Ngày nộp hồ sơ ${applicationDate} trước ${LUMP_SUM_AMOUNT_RULES[0].effectiveFrom}, chưa có quy định trong dữ liệu`,
    );
  }
  return rules;
}

export interface LumpSumAmountInput {
  applicationDate: string;
  /** Settlement date; its year picks the coefficient table. Default: applicationDate. */
  settlementDate?: string;
  /** The case invoked (case (c) keeps the State support for voluntary contributions). */
  reason: LumpSumReason;
  periods: readonly SiContributionPeriod[];
}

export interface SalaryLine {
  year: number;
  months: number;
  /** Σ monthly salary of the year's months, đồng. */
  salaryTotal: number;
  coefficient: string;
  coefficientBucket: number | '<1995';
  /** salaryTotal × coefficient, exact. */
  adjustedTotal: FractionView;
}

/** Under one year: a run of consecutive months of one period paid in at one fund rate. */
export interface FundRateLine {
  /** First and last month of the run, 'YYYY-MM'. */
  from: string;
  to: string;
  months: number;
  /** Σ monthly salary of the run's months, đồng (unadjusted). */
  salaryTotal: number;
  ratePercent: number;
  /** The rate's first month ('YYYY-MM'), as in RETIREMENT_SURVIVOR_FUND_RATES. */
  rateEffectiveFrom: string;
  /** salaryTotal × ratePercent %, exact. */
  contributions: FractionView;
}

export interface LumpSumAmountBreakdown {
  law: { id: LumpSumLawId; instrument: string; effectiveFrom: string };
  settlementYear: number;
  coefficientTable: { settlementYear: number; instrument: string; issuedOn?: string };
  totalMonths: number;
  monthsBefore2014: number;
  monthsFrom2014: number;
  overlappingMonths: number;
  salaryLines: SalaryLine[];
  adjustedSalaryTotal: FractionView;
  /** Exact: adjustedSalaryTotal ÷ totalMonths. */
  averageMonthlySalary: FractionView;
  /** Whole years before 2014 (odd months carried), in half years too. */
  yearsBefore2014: { wholeYears: number; halfYears: number };
  /** Odd months before 2014 moved into the from-2014 period. */
  carriedMonths: number;
  /** From-2014 months including the carried ones, rounded per the odd-month rule. */
  yearsFrom2014: { months: number; wholeYears: number; oddMonths: number; halfYears: number };
  /** 1.5 × yearsBefore2014 + 2 × yearsFrom2014, in months of average salary. */
  benefitMonths: FractionView;
  method: 'YEARS_OF_CONTRIBUTION' | 'UNDER_ONE_YEAR';
  /**
   * Present when method = UNDER_ONE_YEAR. contributionsPaid = Σ rateLines' contributions; the lines are in month
   * order and each has its own rate (no single rate: the months may span several).
   */
  underOneYear: { contributionsPaid: FractionView; rateLines: FundRateLine[]; cap: FractionView; capApplied: boolean } | null;
  /** Before the State-support deduction, exact. */
  grossAmount: FractionView;
  /** Σ stateSupportAmount of voluntary periods. */
  stateSupportTotal: number;
  /** Deducted from the gross amount (0 in case (c)). */
  stateSupportDeducted: number;
  /** max(0, gross − deducted), exact. */
  netAmount: FractionView;
  /** netAmount rounded half up to the đồng — the only rounding. */
  amount: number;
  rounding: string;
  legalBasis: CitedLegalBasis[];
}

/** Half-year count of a number of months under the odd-month rule (1–6 → half a year, 7–11 → a whole year). */
export function halfYearsOf(months: number, halfYearUpTo = 6): { wholeYears: number; oddMonths: number; halfYears: number } {
  const wholeYears = Math.floor(months / 12);
  const oddMonths = months % 12;
  const extra = oddMonths === 0 ? 0 : oddMonths <= halfYearUpTo ? 1 : 2;
  return { wholeYears, oddMonths, halfYears: wholeYears * 2 + extra };
}

/** The lump-sum amount with its breakdown. Throws ValidationError / RuleDataUnavailable (never guesses). */
export function calculateLumpSumAmount(input: LumpSumAmountInput): LumpSumAmountBreakdown {
  const { applicationDate, reason, periods } = input;
  assertIsoDate(applicationDate, 'applicationDate');
  const settlementDate = input.settlementDate ?? applicationDate;
  assertIsoDate(settlementDate, 'settlementDate');
  if (!LUMP_SUM_REASONS.includes(reason)) {
    throw invalidInput(`reason must be one of ${LUMP_SUM_REASONS.join(', ')}`, 'Trường hợp hưởng không hợp lệ');
  }
  validatePeriods(periods, false);
  const rules = lumpSumAmountRulesFor(applicationDate);
  const settlementYear = yearOfIndex(monthIndexOfDate(settlementDate));

  const { months, overlappingMonths } = siContributionMonths(periods);
  if (months.length === 0) {
    throw invalidInput('no social-insurance (SI) contribution months in the periods', 'Không có thời gian đóng bảo hiểm xã hội');
  }

  // 2. Adjusted salaries, grouped by year; exact.
  let table: SalaryAdjustmentTable;
  const coefficients = new Map<number, SalaryAdjustmentCoefficient>();
  try {
    table = salaryAdjustmentTable(settlementYear);
    for (const m of months) {
      const y = yearOfIndex(m.index);
      if (!coefficients.has(y)) coefficients.set(y, salaryAdjustmentCoefficient(settlementYear, y));
    }
  } catch (e) {
    if (e instanceof SalaryAdjustmentDataMissingError) {
      throw new RuleDataUnavailableError(
        `Chưa có hệ số điều chỉnh tiền lương cho hồ sơ giải quyết năm ${settlementYear}`,
        e.message,
        { settlementYear },
      );
    }
    throw e;
  }
  const lines = new Map<number, { months: number; salaryTotal: bigint }>();
  for (const m of months) {
    const y = yearOfIndex(m.index);
    const line = lines.get(y) ?? { months: 0, salaryTotal: 0n };
    line.months++;
    line.salaryTotal += BigInt(m.period.monthlySalary);
    lines.set(y, line);
  }
  let adjustedTotal: Fraction = frac(0);
  const salaryLines: SalaryLine[] = [];
  for (const [year, line] of [...lines.entries()].sort((a, b) => a[0] - b[0])) {
    const c = coefficients.get(year)!;
    const adjusted = fracMul(frac(line.salaryTotal), frac(c.numerator, c.denominator));
    adjustedTotal = fracAdd(adjustedTotal, adjusted);
    salaryLines.push({
      year,
      months: line.months,
      salaryTotal: toSafeNumber(line.salaryTotal),
      coefficient: c.text,
      coefficientBucket: c.bucket,
      adjustedTotal: fracView(adjusted),
    });
  }
  const totalMonths = months.length;
  const average = fracMul(adjustedTotal, frac(1, totalMonths));

  // 3. Years before / from 2014 with the carry of pre-2014 odd months.
  const split = monthIndex(rules.splitMonth);
  const monthsBefore2014 = months.filter((m) => m.index < split).length;
  const monthsFrom2014 = totalMonths - monthsBefore2014;
  const preWholeYears = Math.floor(monthsBefore2014 / 12);
  const carriedMonths = monthsBefore2014 % 12;
  const from = halfYearsOf(monthsFrom2014 + carriedMonths, rules.oddMonthsHalfYearUpTo);
  const rateBefore = decimal(rules.monthsPerYearBefore);
  const rateFrom = decimal(rules.monthsPerYearFrom);
  // benefit months = rateBefore × years before + rateFrom × (half years from 2014 ÷ 2); exact.
  const benefitMonths = fracAdd(fracMul(rateBefore, frac(preWholeYears)), fracMul(rateFrom, frac(from.halfYears, 2)));

  let gross: Fraction;
  let underOneYear: LumpSumAmountBreakdown['underOneYear'] = null;
  let method: LumpSumAmountBreakdown['method'];
  const fundRatesUsed: FundRateEntry[] = []; // ascending (months are)
  if (totalMonths < rules.underOneYearMonths) {
    // 4. Amount actually paid in, capped at 2 × average.
    method = 'UNDER_ONE_YEAR';
    let paid: Fraction = frac(0);
    const runs: { from: number; to: number; periodIndex: number; rate: FundRateEntry; salaryTotal: bigint }[] = [];
    for (const m of months) {
      const rate = fundRateFor(m.index);
      if (!rate) {
        throw new RuleDataUnavailableError(
          `Chưa có tỷ lệ đóng quỹ hưu trí, tử tuất cho tháng ${m.month}`,
          `no retirement/survivor fund rate on record for ${m.month}`,
          { month: m.month },
        );
      }
      paid = fracAdd(paid, frac(BigInt(m.period.monthlySalary) * BigInt(rate.ratePercent), 100));
      const run = runs.at(-1);
      if (run && run.to === m.index - 1 && run.periodIndex === m.periodIndex && run.rate === rate) {
        run.to = m.index;
        run.salaryTotal += BigInt(m.period.monthlySalary);
      } else {
        runs.push({ from: m.index, to: m.index, periodIndex: m.periodIndex, rate, salaryTotal: BigInt(m.period.monthlySalary) });
      }
    }
    fundRatesUsed.push(...new Set(runs.map((r) => r.rate)));
    const rateLines: FundRateLine[] = runs.map((r) => ({
      from: yearMonthOf(r.from),
      to: yearMonthOf(r.to),
      months: r.to - r.from + 1,
      salaryTotal: toSafeNumber(r.salaryTotal),
      ratePercent: r.rate.ratePercent,
      rateEffectiveFrom: r.rate.effectiveFrom,
      contributions: fracView(frac(r.salaryTotal * BigInt(r.rate.ratePercent), 100)),
    }));
    const cap = fracMul(average, frac(rules.underOneYearCapMonths));
    const capApplied = fracCompare(paid, cap) > 0;
    gross = capApplied ? cap : paid;
    underOneYear = { contributionsPaid: fracView(paid), rateLines, cap: fracView(cap), capApplied };
  } else {
    method = 'YEARS_OF_CONTRIBUTION';
    gross = fracMul(average, benefitMonths);
  }

  // 5. State support for voluntary contributions.
  let stateSupportTotal = 0n;
  for (const p of periods) if (p.voluntary && p.schemes.includes('SI')) stateSupportTotal += BigInt(p.stateSupportAmount ?? 0);
  const keep = rules.stateSupportKeptFor.includes(reason);
  const deducted = keep ? 0n : stateSupportTotal;
  let net = fracSub(gross, frac(deducted));
  if (fracCompare(net, frac(0)) < 0) net = frac(0);

  // The only rounding: half up to the đồng, at the end.
  const amount = toSafeNumber(roundHalfUp(net));

  const legalBasis: CitedLegalBasis[] = [
    {
      parameter: 'LUMP_SUM_MONTHS_PER_YEAR',
      value: `${rules.monthsPerYearBefore} months per year before ${rules.splitMonth}, ${rules.monthsPerYearFrom} from ${rules.splitMonth}`,
      instrument: rules.articles.rates,
      effectiveFrom: rules.effectiveFrom,
    },
    {
      parameter: 'LUMP_SUM_ODD_MONTHS',
      value: `1–${rules.oddMonthsHalfYearUpTo} odd months = half a year, ${rules.oddMonthsHalfYearUpTo + 1}–11 = a whole year; pre-2014 odd months carried into the from-2014 period`,
      instrument: rules.articles.oddMonths,
      effectiveFrom: rules.effectiveFrom,
      // A reading still to be checked (file header, step 3): the answer states the rule, not its provenance.
      note: 'Carry applied also when there is no from-2014 contribution.',
    },
    {
      parameter: 'SALARY_ADJUSTMENT_COEFFICIENTS',
      value: `table for claims settled in ${table.settlementYear}`,
      instrument: table.issuedOn ? `${table.instrument} (${table.issuedOn})` : table.instrument,
      effectiveFrom: `${table.settlementYear}-01-01`,
      // table.source, checkedAgainstOfficialText and note stay in the rule data (salaryAdjustmentCoefficients.ts).
    },
  ];
  if (method === 'UNDER_ONE_YEAR') {
    legalBasis.push({
      parameter: 'LUMP_SUM_UNDER_ONE_YEAR',
      value: `amount actually paid in, at most ${rules.underOneYearCapMonths} × average monthly salary`,
      instrument: rules.articles.underOneYear,
      effectiveFrom: rules.effectiveFrom,
    });
    // Every fund rate the months were paid in at, in month order.
    for (const rate of fundRatesUsed) {
      const lines = underOneYear!.rateLines.filter((l) => l.rateEffectiveFrom === rate.effectiveFrom);
      legalBasis.push({
        parameter: 'RETIREMENT_SURVIVOR_FUND_RATE',
        value:
          `${rate.ratePercent}% of the monthly salary (employee + employer), unadjusted, for ` +
          lines.map((l) => (l.from === l.to ? l.from : `${l.from}..${l.to}`)).join(', '),
        instrument: rate.instrument,
        effectiveFrom: `${rate.effectiveFrom}-01`,
      });
    }
  }
  if (stateSupportTotal > 0n) {
    legalBasis.push({
      parameter: 'LUMP_SUM_STATE_SUPPORT_EXCLUDED',
      value: keep ? `not deducted (case ${reason})` : 'State support for voluntary contributions deducted',
      instrument: rules.articles.stateSupport,
      effectiveFrom: rules.effectiveFrom,
    });
  }

  return {
    law: { id: rules.id, instrument: rules.instrument, effectiveFrom: rules.effectiveFrom },
    settlementYear,
    coefficientTable: { settlementYear: table.settlementYear, instrument: table.instrument, ...(table.issuedOn ? { issuedOn: table.issuedOn } : {}) },
    totalMonths,
    monthsBefore2014,
    monthsFrom2014,
    overlappingMonths,
    salaryLines,
    adjustedSalaryTotal: fracView(adjustedTotal),
    averageMonthlySalary: fracView(average),
    yearsBefore2014: { wholeYears: preWholeYears, halfYears: preWholeYears * 2 },
    carriedMonths,
    yearsFrom2014: { months: monthsFrom2014 + carriedMonths, ...from },
    benefitMonths: fracView(benefitMonths),
    method,
    underOneYear,
    grossAmount: fracView(gross),
    stateSupportTotal: toSafeNumber(stateSupportTotal),
    stateSupportDeducted: toSafeNumber(deducted),
    netAmount: fracView(net),
    amount,
    rounding: 'Exact fractions throughout; the net amount is rounded half up to the đồng once, at the end.',
    legalBasis,
  };
}

function decimal(text: string): Fraction {
  const { numerator, denominator } = decimalToFraction(text);
  return frac(numerator, denominator);
}
