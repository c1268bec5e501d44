import { describe, expect, it } from 'vitest';
import { calculateLumpSumAmount, halfYearsOf, type LumpSumAmountInput } from '../../../functions/domain/lumpSum/lumpSumAmount';
import { RuleDataUnavailableError, frac, roundHalfUp, type SiContributionPeriod } from '../../../functions/domain/lumpSum/months';
import { ValidationError } from '../../../functions/shared/errors';

function period(from: string, to: string, monthlySalary: number, extra: Partial<SiContributionPeriod> = {}): SiContributionPeriod {
  return { employer: 'Công ty A', employerCode: 'DN001', from, to, monthlySalary, schemes: ['SI', 'UI', 'HI'], region: 'I', ...extra };
}

function voluntary(from: string, to: string, monthlySalary: number, stateSupportAmount?: number): SiContributionPeriod {
  return { employer: '', employerCode: '', from, to, monthlySalary, schemes: ['SI'], voluntary: true, ...(stateSupportAmount !== undefined ? { stateSupportAmount } : {}) };
}

function amount(periods: SiContributionPeriod[], extra: Partial<LumpSumAmountInput> = {}) {
  return calculateLumpSumAmount({ applicationDate: '2026-03-10', reason: 'ONE_YEAR_GAP', periods, ...extra });
}

describe('worked example (domain.md §3, settled 2026)', () => {
  it('03/2011–12/2013 at 5,000,000 + 01/2014–06/2016 at 6,000,000 → exactly 78,384,375', () => {
    const r = amount([period('2011-03', '2013-12', 5_000_000), period('2014-01', '2016-06', 6_000_000)]);
    expect(r.law.id).toBe('LAW_41_2024');
    expect(r.settlementYear).toBe(2026);
    expect(r.coefficientTable).toEqual({ settlementYear: 2026, instrument: 'BHXH letter 340/BHXH-CSXH', issuedOn: '2026-02-03' });
    // the answer carries no provenance marker (they stay in the rule data)
    expect(JSON.stringify(r)).not.toMatch(/verify/i);
    expect(r.totalMonths).toBe(64);
    expect(r.monthsBefore2014).toBe(34);
    expect(r.monthsFrom2014).toBe(30);
    expect(r.salaryLines.map((l) => [l.year, l.months, l.coefficient, l.adjustedTotal.display])).toEqual([
      [2011, 10, '1.65', '82,500,000'],
      [2012, 12, '1.51', '90,600,000'],
      [2013, 12, '1.42', '85,200,000'],
      [2014, 12, '1.36', '97,920,000'],
      [2015, 12, '1.36', '97,920,000'],
      [2016, 6, '1.32', '47,520,000'],
    ]);
    expect(r.adjustedSalaryTotal.display).toBe('501,660,000');
    expect(r.averageMonthlySalary).toEqual({ numerator: '15676875', denominator: '2', display: '7,838,437.5' });
    expect(r.yearsBefore2014).toEqual({ wholeYears: 2, halfYears: 4 });
    expect(r.carriedMonths).toBe(10);
    expect(r.yearsFrom2014).toEqual({ months: 40, wholeYears: 3, oddMonths: 4, halfYears: 7 });
    expect(r.benefitMonths.display).toBe('10');
    expect(r.method).toBe('YEARS_OF_CONTRIBUTION');
    expect(r.amount).toBe(78_384_375);
    expect(r.netAmount).toEqual({ numerator: '78384375', denominator: '1', display: '78,384,375' });
    expect(r.legalBasis.map((b) => b.parameter)).toEqual(['LUMP_SUM_MONTHS_PER_YEAR', 'LUMP_SUM_ODD_MONTHS', 'SALARY_ADJUSTMENT_COEFFICIENTS']);
  });

  it('same result under Law 58/2014 (application 2025-06-30) when settled in 2026', () => {
    const r = amount([period('2011-03', '2013-12', 5_000_000), period('2014-01', '2016-06', 6_000_000)], {
      applicationDate: '2025-06-30',
      settlementDate: '2026-01-15',
    });
    expect(r.law.id).toBe('LAW_58_2014');
    expect(r.legalBasis[0].instrument).toBe('Law 58/2014/QH13 Art. 60(2)(a)-(b), Art. 77(2)(a)-(b)');
    expect(r.amount).toBe(78_384_375);
  });
});

describe('the worked example settled in other years: that year\'s coefficient table', () => {
  const periods = () => [period('2011-03', '2013-12', 5_000_000), period('2014-01', '2016-06', 6_000_000)];

  it('filed and settled 2025-06-15 under Law 58/2014: Circular 01/2025 → exactly 75,912,500', () => {
    const r = amount(periods(), { applicationDate: '2025-06-15', settlementDate: '2025-06-15' });
    expect(r.law.id).toBe('LAW_58_2014');
    expect(r.coefficientTable).toEqual({ settlementYear: 2025, instrument: 'Circular 01/2025/TT-BLĐTBXH' });
    // 10×5,000,000×1.60 + 12×5,000,000×(1.47+1.37) + 12×6,000,000×(1.32+1.31) + 6×6,000,000×1.28 = 485,840,000
    expect(r.salaryLines.map((l) => [l.year, l.coefficient, l.adjustedTotal.display])).toEqual([
      [2011, '1.60', '80,000,000'],
      [2012, '1.47', '88,200,000'],
      [2013, '1.37', '82,200,000'],
      [2014, '1.32', '95,040,000'],
      [2015, '1.31', '94,320,000'],
      [2016, '1.28', '46,080,000'],
    ]);
    expect(r.adjustedSalaryTotal.display).toBe('485,840,000');
    expect(r.averageMonthlySalary.display).toBe('7,591,250'); // ÷ 64 months
    expect(r.benefitMonths.display).toBe('10'); // 1.5 × 2 + 2 × 3.5
    expect(r.amount).toBe(75_912_500);
  });

  it('settled 2024-09-02 (application 2024-09-02): Circular 20/2023 → exactly 73,212,500', () => {
    const r = amount(periods(), { applicationDate: '2024-09-02', settlementDate: '2024-09-02' });
    expect(r.coefficientTable).toEqual({ settlementYear: 2024, instrument: 'Circular 20/2023/TT-BLĐTBXH' });
    // 10×5M×1.54 + 12×5M×(1.41+1.33) + 12×6M×(1.27+1.27) + 6×6M×1.23 = 468,560,000; ÷ 64 = 7,321,250; × 10
    expect(r.adjustedSalaryTotal.display).toBe('468,560,000');
    expect(r.amount).toBe(73_212_500);
  });
});

describe('periods before / from 2014', () => {
  it('only pre-2014 (34 months): 2 years × 1.5 + 10 carried months → 1 year × 2 = 5 months', () => {
    const r = amount([period('2011-03', '2013-12', 5_000_000)]);
    expect(r.monthsFrom2014).toBe(0);
    expect(r.carriedMonths).toBe(10);
    expect(r.yearsFrom2014).toEqual({ months: 10, wholeYears: 0, oddMonths: 10, halfYears: 2 });
    expect(r.averageMonthlySalary.display).toBe('7,597,058.8235…');
    expect(r.averageMonthlySalary).toMatchObject({ numerator: '129150000', denominator: '17' });
    expect(r.benefitMonths.display).toBe('5');
    expect(r.grossAmount).toMatchObject({ numerator: '645750000', denominator: '17' }); // 37,985,294.117…
    expect(r.amount).toBe(37_985_294);
  });

  it('only pre-2014, whole years: 2012–2013 → 2 × 1.5 = 3 months', () => {
    const r = amount([period('2012-01', '2013-12', 5_000_000)]);
    expect(r.carriedMonths).toBe(0);
    expect(r.yearsFrom2014).toEqual({ months: 0, wholeYears: 0, oddMonths: 0, halfYears: 0 });
    // (12 × 1.51 + 12 × 1.42) × 5,000,000 / 24 = 7,325,000
    expect(r.averageMonthlySalary.display).toBe('7,325,000');
    expect(r.amount).toBe(21_975_000);
  });

  it('only post-2014 (30 months = 2.5 years) → 5 months', () => {
    const r = amount([period('2020-01', '2022-06', 10_000_000)]);
    expect(r.monthsBefore2014).toBe(0);
    expect(r.yearsBefore2014).toEqual({ wholeYears: 0, halfYears: 0 });
    expect(r.yearsFrom2014).toEqual({ months: 30, wholeYears: 2, oddMonths: 6, halfYears: 5 });
    expect(r.averageMonthlySalary.display).toBe('11,420,000');
    expect(r.amount).toBe(57_100_000);
  });

  it('odd months 6 → half a year, 7 → a whole year', () => {
    const six = amount([period('2020-01', '2021-06', 10_000_000)]);
    expect(six.yearsFrom2014).toEqual({ months: 18, wholeYears: 1, oddMonths: 6, halfYears: 3 });
    expect(six.benefitMonths.display).toBe('3');
    expect(six.amount).toBe(34_600_000);
    const seven = amount([period('2020-01', '2021-07', 10_000_000)]);
    expect(seven.yearsFrom2014).toEqual({ months: 19, wholeYears: 1, oddMonths: 7, halfYears: 4 });
    expect(seven.benefitMonths.display).toBe('4');
    expect(seven.grossAmount).toMatchObject({ numerator: '876000000', denominator: '19' }); // 46,105,263.157…
    expect(seven.amount).toBe(46_105_263);
  });

  it('pre-2014 odd months 6 vs 7 (carried): 1.5 + 1 = 2.5 vs 1.5 + 2 = 3.5 months', () => {
    const six = amount([period('2012-07', '2013-12', 5_000_000)]);
    expect(six.carriedMonths).toBe(6);
    expect(six.yearsBefore2014).toEqual({ wholeYears: 1, halfYears: 2 });
    expect(six.yearsFrom2014.halfYears).toBe(1);
    expect(six.benefitMonths.display).toBe('2.5');
    const seven = amount([period('2012-06', '2013-12', 5_000_000)]);
    expect(seven.carriedMonths).toBe(7);
    expect(seven.yearsFrom2014.halfYears).toBe(2);
    expect(seven.benefitMonths.display).toBe('3.5');
  });

  it('carry makes a whole year: 5 pre-2014 odd months + 7 from 2014 = 1 year (not 0.5 + 0.5 … )', () => {
    const r = amount([period('2012-01', '2013-05', 5_000_000), period('2014-01', '2014-07', 6_000_000)]);
    expect(r.yearsBefore2014.wholeYears).toBe(1);
    expect(r.carriedMonths).toBe(5);
    expect(r.yearsFrom2014).toEqual({ months: 12, wholeYears: 1, oddMonths: 0, halfYears: 2 });
    expect(r.benefitMonths.display).toBe('3.5');
  });

  it('years before 1995 use the <1995 bucket (5.81)', () => {
    const r = amount([period('1994-01', '1995-12', 1_000_000)]);
    expect(r.salaryLines.map((l) => [l.year, l.coefficientBucket, l.coefficient])).toEqual([
      [1994, '<1995', '5.81'],
      [1995, 1995, '4.91'],
    ]);
    // average = (12 × 5.81 + 12 × 4.91) × 1,000,000 / 24 = 5,360,000; 2 years × 1.5 = 3 months
    expect(r.averageMonthlySalary.display).toBe('5,360,000');
    expect(r.amount).toBe(16_080_000);
  });
});

describe('fewer than 12 months in total', () => {
  it('6 months: the amount paid in (22 %), under the 2-month cap', () => {
    const r = amount([period('2025-01', '2025-06', 10_000_000)]);
    expect(r.method).toBe('UNDER_ONE_YEAR');
    expect(r.underOneYear).toEqual({
      contributionsPaid: { numerator: '13200000', denominator: '1', display: '13,200,000' },
      rateLines: [
        {
          from: '2025-01',
          to: '2025-06',
          months: 6,
          salaryTotal: 60_000_000,
          ratePercent: 22,
          rateEffectiveFrom: '2014-01',
          contributions: { numerator: '13200000', denominator: '1', display: '13,200,000' },
        },
      ],
      cap: { numerator: '20000000', denominator: '1', display: '20,000,000' },
      capApplied: false,
    });
    expect(r.amount).toBe(13_200_000);
    const rates = r.legalBasis.filter((b) => b.parameter === 'RETIREMENT_SURVIVOR_FUND_RATE');
    expect(rates).toHaveLength(1);
    expect(rates[0]).toMatchObject({ effectiveFrom: '2014-01-01', value: expect.stringMatching(/^22% .* for 2025-01\.\.2025-06$/) });
    expect(rates[0]).not.toHaveProperty('verify');
  });

  it('11 months: 24,200,000 paid in, capped at 2 × average = 20,000,000', () => {
    const r = amount([period('2025-01', '2025-11', 10_000_000)]);
    expect(r.underOneYear?.capApplied).toBe(true);
    expect(r.amount).toBe(20_000_000);
  });

  it('12 months is a year: 2 months of average salary', () => {
    const r = amount([period('2025-01', '2025-12', 10_000_000)]);
    expect(r.method).toBe('YEARS_OF_CONTRIBUTION');
    expect(r.underOneYear).toBeNull();
    expect(r.amount).toBe(20_000_000);
  });

  it('rounds the paid-in amount only at the end: 3 × 5,000,003 × 22 % = 3,300,001.98 → 3,300,002', () => {
    const r = amount([period('2025-01', '2025-03', 5_000_003)]);
    expect(r.netAmount.display).toBe('3,300,001.98');
    expect(r.amount).toBe(3_300_002);
  });

  it('6 months in 2013: paid in at 20 % (Law 71/2006), 6,000,000, under the cap 2 × 5,000,000 × 1.42 = 14,200,000', () => {
    const r = amount([period('2013-01', '2013-06', 5_000_000)]);
    expect(r.method).toBe('UNDER_ONE_YEAR');
    expect(r.underOneYear).toEqual({
      contributionsPaid: { numerator: '6000000', denominator: '1', display: '6,000,000' },
      rateLines: [
        {
          from: '2013-01',
          to: '2013-06',
          months: 6,
          salaryTotal: 30_000_000,
          ratePercent: 20,
          rateEffectiveFrom: '2012-01',
          contributions: { numerator: '6000000', denominator: '1', display: '6,000,000' },
        },
      ],
      cap: { numerator: '14200000', denominator: '1', display: '14,200,000' },
      capApplied: false,
    });
    expect(r.amount).toBe(6_000_000);
    // the rate of 2013 is cited (Law 71/2006), not the 22 % of 2014
    expect(r.legalBasis.filter((b) => b.parameter === 'RETIREMENT_SURVIVOR_FUND_RATE')).toEqual([
      expect.objectContaining({ effectiveFrom: '2012-01-01', instrument: expect.stringMatching(/^Law on Social Insurance 71\/2006\/QH11/), value: expect.stringMatching(/^20% /) }),
    ]);
  });

  it('2013-10..2014-03 at 5,000,000 (6 months across the 2014 rate change): 3 × 5,000,000 × 20 % + 3 × 5,000,000 × 22 % = 6,300,000', () => {
    // The paid-in amount is Σ monthly salary × the fund rate of that month, UNADJUSTED: the code (and its
    // reading of "the amount actually paid in", marked verify) applies no salary adjustment coefficient to it.
    // 3,000,000 (2013-10..12 at 20 %) + 3,300,000 (2014-01..03 at 22 %) = 6,300,000.
    // The coefficients only enter the cap: average = (3 × 5,000,000 × 1.42 + 3 × 5,000,000 × 1.36) ÷ 6
    // = (21,300,000 + 20,400,000) ÷ 6 = 6,950,000 → cap 2 × 6,950,000 = 13,900,000, not reached.
    const r = amount([period('2013-10', '2014-03', 5_000_000)]);
    expect(r.totalMonths).toBe(6);
    expect(r.monthsBefore2014).toBe(3);
    expect(r.monthsFrom2014).toBe(3);
    expect(r.method).toBe('UNDER_ONE_YEAR');
    expect(r.salaryLines.map((l) => [l.year, l.months, l.coefficient, l.adjustedTotal.display])).toEqual([
      [2013, 3, '1.42', '21,300,000'],
      [2014, 3, '1.36', '20,400,000'],
    ]);
    expect(r.averageMonthlySalary.display).toBe('6,950,000');
    expect(r.underOneYear).toEqual({
      contributionsPaid: { numerator: '6300000', denominator: '1', display: '6,300,000' },
      // one line per rate: the period is split at the rate change, each line with its own rate
      rateLines: [
        {
          from: '2013-10',
          to: '2013-12',
          months: 3,
          salaryTotal: 15_000_000,
          ratePercent: 20,
          rateEffectiveFrom: '2012-01',
          contributions: { numerator: '3000000', denominator: '1', display: '3,000,000' },
        },
        {
          from: '2014-01',
          to: '2014-03',
          months: 3,
          salaryTotal: 15_000_000,
          ratePercent: 22,
          rateEffectiveFrom: '2014-01',
          contributions: { numerator: '3300000', denominator: '1', display: '3,300,000' },
        },
      ],
      cap: { numerator: '13900000', denominator: '1', display: '13,900,000' },
      capApplied: false,
    });
    expect(r.amount).toBe(6_300_000);
    // both rates are cited, in month order, each with its own instrument and the months it applied to
    const rates = r.legalBasis.filter((b) => b.parameter === 'RETIREMENT_SURVIVOR_FUND_RATE');
    expect(rates.map((b) => [b.effectiveFrom, b.value])).toEqual([
      ['2012-01-01', '20% of the monthly salary (employee + employer), unadjusted, for 2013-10..2013-12'],
      ['2014-01-01', '22% of the monthly salary (employee + employer), unadjusted, for 2014-01..2014-03'],
    ]);
    expect(rates[0].instrument).toMatch(/71\/2006\/QH11/);
    expect(rates[1].instrument).toMatch(/58\/2014\/QH13/);
    expect(rates.every((b) => !('verify' in b))).toBe(true);
    // the lines add up to the amount paid in (the amount itself is computed month by month, unchanged)
    const sum = r.underOneYear!.rateLines.reduce((t, l) => t + Number(l.contributions.numerator) / Number(l.contributions.denominator), 0);
    expect(sum).toBe(6_300_000);
  });

  it('two periods at one rate: a line each (their own months and salary), one legal basis for the rate', () => {
    const r = amount([period('2025-01', '2025-03', 5_000_000), period('2025-05', '2025-06', 6_000_000, { employerCode: 'DN002' })]);
    expect(r.underOneYear?.rateLines.map((l) => [l.from, l.to, l.months, l.salaryTotal, l.ratePercent, l.contributions.display])).toEqual([
      ['2025-01', '2025-03', 3, 15_000_000, 22, '3,300,000'],
      ['2025-05', '2025-06', 2, 12_000_000, 22, '2,640,000'],
    ]);
    expect(r.legalBasis.filter((b) => b.parameter === 'RETIREMENT_SURVIVOR_FUND_RATE').map((b) => b.value)).toEqual([
      '22% of the monthly salary (employee + employer), unadjusted, for 2025-01..2025-03, 2025-05..2025-06',
    ]);
    expect(r.amount).toBe(5_940_000);
  });

  it.each([
    ['2007-01', 16],
    ['2009-12', 16],
    ['2010-01', 18],
    ['2011-12', 18],
    ['2012-01', 20],
    ['2013-12', 20],
    ['2014-01', 22],
  ])('one month %s at 10,000,000 → paid in at %i %%', (month, rate) => {
    const r = amount([period(month, month, 10_000_000)]);
    expect(r.underOneYear?.rateLines.map((l) => [l.from, l.to, l.ratePercent])).toEqual([[month, month, rate]]);
    expect(r.legalBasis.filter((b) => b.parameter === 'RETIREMENT_SURVIVOR_FUND_RATE').map((b) => b.value)).toEqual([
      `${rate}% of the monthly salary (employee + employer), unadjusted, for ${month}`,
    ]);
    expect(r.underOneYear?.capApplied).toBe(false);
    expect(r.amount).toBe(100_000 * rate);
  });

  it('no fund rate on record before 2007-01 → RuleDataUnavailable naming the month (never a guess)', () => {
    const run = () => amount([period('2006-12', '2007-03', 5_000_000)]);
    expect(run).toThrow(RuleDataUnavailableError);
    try {
      run();
    } catch (e) {
      expect(e).toMatchObject({ name: 'RuleDataUnavailable', details: { month: '2006-12' } });
      expect((e as Error).message).toMatch(/2006-12/);
    }
    expect(() => amount([period('2000-01', '2000-06', 1_000_000)])).toThrow(RuleDataUnavailableError);
  });

  it('12 months or more before 2007 need no fund rate (the years rule applies)', () => {
    const r = amount([period('2006-01', '2006-12', 1_000_000)]);
    expect(r.method).toBe('YEARS_OF_CONTRIBUTION');
    // 12 × 1,000,000 × 3.05 ÷ 12 = 3,050,000; 1 year before 2014 × 1.5 = 4,575,000
    expect(r.amount).toBe(4_575_000);
  });
});

describe('a single period straddling 2013-12 / 2014-01', () => {
  it('2012-07..2015-03 at 5,000,000: 18 months before 2014 (1 year + 6 carried), 15 from 2014 → 21 months = 2 years; 5.5 months × average', () => {
    const r = amount([period('2012-07', '2015-03', 5_000_000)]);
    expect(r.totalMonths).toBe(33);
    expect(r.monthsBefore2014).toBe(18);
    expect(r.monthsFrom2014).toBe(15);
    expect(r.yearsBefore2014).toEqual({ wholeYears: 1, halfYears: 2 });
    expect(r.carriedMonths).toBe(6);
    expect(r.yearsFrom2014).toEqual({ months: 21, wholeYears: 1, oddMonths: 9, halfYears: 4 });
    expect(r.salaryLines.map((l) => [l.year, l.months, l.coefficient])).toEqual([
      [2012, 6, '1.51'],
      [2013, 12, '1.42'],
      [2014, 12, '1.36'],
      [2015, 3, '1.36'],
    ]);
    // (6 × 1.51 + 12 × 1.42 + 12 × 1.36 + 3 × 1.36) × 5,000,000 = 46.5 × 5,000,000 = 232,500,000 over 33 months
    expect(r.adjustedSalaryTotal.display).toBe('232,500,000');
    expect(r.averageMonthlySalary).toMatchObject({ numerator: '77500000', denominator: '11' });
    // 1.5 × 1 + 2 × 2 = 5.5 months; 5.5 × 232,500,000 ÷ 33 = 38,750,000 exactly
    expect(r.benefitMonths.display).toBe('5.5');
    expect(r.amount).toBe(38_750_000);
  });

  it('the same months as two periods split at 2014-01 give the same result', () => {
    const split = amount([period('2012-07', '2013-12', 5_000_000), period('2014-01', '2015-03', 5_000_000)]);
    const single = amount([period('2012-07', '2015-03', 5_000_000)]);
    expect(split.amount).toBe(single.amount);
    expect([split.monthsBefore2014, split.monthsFrom2014, split.carriedMonths]).toEqual([18, 15, 6]);
  });

  it('2013-12..2014-01 (2 months): one month each side; paid in 5,000,000 × 20 % + 5,000,000 × 22 % = 2,100,000', () => {
    const r = amount([period('2013-12', '2014-01', 5_000_000)]);
    expect([r.monthsBefore2014, r.monthsFrom2014, r.carriedMonths]).toEqual([1, 1, 1]);
    expect(r.yearsFrom2014).toEqual({ months: 2, wholeYears: 0, oddMonths: 2, halfYears: 1 });
    expect(r.method).toBe('UNDER_ONE_YEAR');
    expect(r.underOneYear?.contributionsPaid.display).toBe('2,100,000');
    expect(r.underOneYear?.rateLines.map((l) => [l.from, l.to, l.ratePercent, l.contributions.display])).toEqual([
      ['2013-12', '2013-12', 20, '1,000,000'],
      ['2014-01', '2014-01', 22, '1,100,000'],
    ]);
    expect(r.amount).toBe(2_100_000);
  });
});

describe('voluntary periods and State support', () => {
  const periods = [voluntary('2022-01', '2024-12', 2_000_000, 1_000_000)];

  it('State support is deducted (case đ)', () => {
    const r = amount(periods);
    expect(r.averageMonthlySalary.display).toBe('2,140,000');
    expect(r.grossAmount.display).toBe('12,840,000');
    expect(r.stateSupportTotal).toBe(1_000_000);
    expect(r.stateSupportDeducted).toBe(1_000_000);
    expect(r.amount).toBe(11_840_000);
    expect(r.legalBasis.find((b) => b.parameter === 'LUMP_SUM_STATE_SUPPORT_EXCLUDED')).toEqual({
      parameter: 'LUMP_SUM_STATE_SUPPORT_EXCLUDED',
      value: 'State support for voluntary contributions deducted',
      instrument: 'Law 41/2024/QH15 Art. 71',
      effectiveFrom: '2025-07-01',
    });
  });

  it('State support is kept in case (c) listed diseases', () => {
    const r = amount(periods, { reason: 'LISTED_DISEASE' });
    expect(r.stateSupportDeducted).toBe(0);
    expect(r.amount).toBe(12_840_000);
  });

  it('a compulsory and a voluntary period on the same months count once, at the compulsory salary', () => {
    const r = amount([voluntary('2025-01', '2025-12', 2_000_000), period('2025-01', '2025-12', 10_000_000)]);
    expect(r.totalMonths).toBe(12);
    expect(r.overlappingMonths).toBe(12);
    expect(r.averageMonthlySalary.display).toBe('10,000,000');
    expect(r.amount).toBe(20_000_000);
  });

  it('mixed compulsory then voluntary', () => {
    const r = amount([period('2019-01', '2020-12', 8_000_000), voluntary('2021-01', '2021-12', 3_000_000, 500_000)]);
    // (12 × 1.20 + 12 × 1.16) × 8,000,000 + 12 × 1.14 × 3,000,000 = 226,560,000 + 41,040,000 = 267,600,000 / 36
    expect(r.adjustedSalaryTotal.display).toBe('267,600,000');
    expect(r.averageMonthlySalary.display).toBe('7,433,333.3333…');
    // 3 years × 2 = 6 months → 44,600,000 − 500,000
    expect(r.amount).toBe(44_100_000);
  });

  it('never below zero', () => {
    const r = amount([voluntary('2025-01', '2025-03', 1_500_000, 10_000_000)]);
    expect(r.netAmount.display).toBe('0');
    expect(r.amount).toBe(0);
  });
});

describe('rounding and data', () => {
  it('round half up at the end: 12 × 1,000,050 in 2013 × 1.42 ÷ 12 × 1.5 = 2,130,106.5 → 2,130,107', () => {
    const r = amount([period('2013-01', '2013-12', 1_000_050)]);
    expect(r.netAmount.display).toBe('2,130,106.5');
    expect(r.amount).toBe(2_130_107);
  });

  it('roundHalfUp', () => {
    expect(roundHalfUp(frac(5, 2))).toBe(3n);
    expect(roundHalfUp(frac(7, 3))).toBe(2n);
    expect(roundHalfUp(frac(-5, 2))).toBe(-2n);
    expect(roundHalfUp(frac(-7, 3))).toBe(-2n);
  });

  it('halfYearsOf', () => {
    expect(halfYearsOf(0)).toEqual({ wholeYears: 0, oddMonths: 0, halfYears: 0 });
    expect(halfYearsOf(1)).toEqual({ wholeYears: 0, oddMonths: 1, halfYears: 1 });
    expect(halfYearsOf(11)).toEqual({ wholeYears: 0, oddMonths: 11, halfYears: 2 });
    expect(halfYearsOf(40)).toEqual({ wholeYears: 3, oddMonths: 4, halfYears: 7 });
  });

  it('no coefficient table for the settlement year → RuleDataUnavailable', () => {
    expect(() => amount([period('2020-01', '2022-06', 10_000_000)], { settlementDate: '2027-01-05' })).toThrow(RuleDataUnavailableError);
  });

  it('no SI months / malformed input → ValidationError', () => {
    expect(() => amount([period('2020-01', '2022-06', 10_000_000, { schemes: ['UI', 'HI'] })])).toThrow(ValidationError);
    expect(() => amount([period('2022-07', '2022-06', 10_000_000)])).toThrow(ValidationError);
    expect(() => amount([period('2020-01', '2022-06', 10_000_000, { stateSupportAmount: -1 })])).toThrow(ValidationError);
  });
});
