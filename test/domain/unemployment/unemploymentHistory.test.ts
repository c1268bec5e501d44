import { describe, expect, it } from 'vitest';
import {
  assessUnemploymentHistory,
  benefitDurationMonths,
  usedAndReservedMonths,
  UNEMPLOYMENT_LAWS,
  type ContributionPeriod,
  type UnemploymentHistoryAssessment,
  type UnemploymentHistoryInput,
  type UnemploymentHistoryResult,
} from '../../../functions/domain/unemployment/unemploymentHistory';
import { ValidationError } from '../../../functions/shared/errors';

const OK = { closed: true, owesContributions: false };

function period(from: string, to: string, monthlySalary: number, extra: Partial<ContributionPeriod> = {}): ContributionPeriod {
  return { employer: 'Công ty A', employerCode: 'DN001', from, to, monthlySalary, schemes: ['SI', 'UI', 'HI'], region: 'I', ...extra };
}

function assess(input: Partial<UnemploymentHistoryInput> & Pick<UnemploymentHistoryInput, 'terminationDate' | 'periods'>): UnemploymentHistoryAssessment {
  const r: UnemploymentHistoryResult = assessUnemploymentHistory({ contractType: 'INDEFINITE', lastEmployerStatus: OK, ...input });
  if (r.status !== 'ASSESSED') throw new Error(`expected ASSESSED, got ${JSON.stringify(r)}`);
  return r;
}

describe('worked example (domain.md §4): 2026, region I, 50 months', () => {
  it('average 20,000,000 → 12,000,000 a month for 4 months, 2 months reserved', () => {
    const r = assess({ terminationDate: '2026-02-15', periods: [period('2022-01', '2026-02', 20_000_000)] });
    expect(r.law.id).toBe('LAW_74_2025');
    expect(r.totalUiMonths).toBe(50);
    expect(r.eligible).toBe(true);
    expect(r.reasonCode).toBe('ELIGIBLE');
    expect(r.monthsWithinWindow).toBe(24);
    expect(r.window).toEqual({ months: 24, from: '2024-03', to: '2026-02' });
    expect(r.estimatedMonthlyBenefit).toBe(12_000_000);
    expect(r.benefitCalculation?.averageMonthlySalary.display).toBe('20,000,000');
    expect(r.benefitCalculation?.capApplied).toBe(false);
    expect(r.benefitCalculation?.cap).toMatchObject({ region: 'I', regionalMinimumWage: 5_310_000, amount: 26_550_000, instrument: 'Decree 293/2025/NĐ-CP', referenceDate: '2026-02-01' });
    expect(r.benefitDurationMonths).toBe(4);
    expect(r.usedMonths).toBe(48);
    expect(r.reservedMonths).toBe(2);
    expect(r.reason.en).toContain('24 months of unemployment-insurance contributions within the 24 months 2024-03 to 2026-02');
    expect(r.reason.en).toContain('Law on Employment 74/2025/QH15 Art. 38');
    expect(r.legalBasis.map((b) => b.parameter)).toEqual([
      'UI_ELIGIBILITY_WINDOW',
      'UI_BENEFIT_RATE',
      'UI_BENEFIT_CAP',
      'UI_BENEFIT_DURATION',
      'UI_RESERVED_MONTHS',
    ]);
  });

  it('average 50,000,000 → capped at 5 × 5,310,000 = 26,550,000', () => {
    const r = assess({ terminationDate: '2026-02-15', periods: [period('2022-01', '2026-02', 50_000_000)] });
    expect(r.benefitCalculation?.uncappedBenefit.display).toBe('30,000,000');
    expect(r.benefitCalculation?.capApplied).toBe(true);
    expect(r.estimatedMonthlyBenefit).toBe(26_550_000);
    expect(r.benefitDurationMonths).toBe(4);
    expect(r.reservedMonths).toBe(2);
  });
});

describe('law by termination date: 2025-12-31 vs 2026-01-01', () => {
  it('a 1-to-under-3-month contract is not covered under Law 38/2013 (terminated 2025-12-31)', () => {
    const r = assess({ terminationDate: '2025-12-31', contractType: 'FIXED_TERM_1_TO_UNDER_3', periods: [period('2024-01', '2025-12', 10_000_000)] });
    expect(r.law.id).toBe('LAW_38_2013');
    expect(r.contractClass).toBe('NOT_COVERED');
    expect(r.eligible).toBe(false);
    expect(r.reasonCode).toBe('CONTRACT_NOT_COVERED');
    expect(r.reason.en).toBe(
      'Contract type FIXED_TERM_1_TO_UNDER_3 is not covered by unemployment insurance under Law on Employment 38/2013/QH13 Art. 43(1), Art. 49(2) (terminated 2025-12-31).',
    );
    expect(r.estimatedMonthlyBenefit).toBeNull();
    expect(r.benefitDurationMonths).toBe(0);
    expect(r.reservedMonths).toBe(0);
  });

  it('the same contract terminated 2026-01-01 is a short contract under Law 74/2025 (36-month window)', () => {
    const r = assess({ terminationDate: '2026-01-01', contractType: 'FIXED_TERM_1_TO_UNDER_3', periods: [period('2024-01', '2025-12', 10_000_000)] });
    expect(r.law.id).toBe('LAW_74_2025');
    expect(r.contractClass).toBe('SHORT');
    expect(r.window).toEqual({ months: 36, from: '2023-02', to: '2026-01' });
    expect(r.monthsWithinWindow).toBe(24);
    expect(r.eligible).toBe(true);
  });

  it('cap: 2013 law at termination 2025-12-31 uses Decree 74/2024 (5 × 4,960,000)', () => {
    const r = assess({ terminationDate: '2025-12-31', periods: [period('2023-01', '2025-12', 50_000_000)] });
    expect(r.law.id).toBe('LAW_38_2013');
    expect(r.estimatedMonthlyBenefit).toBe(24_800_000);
    expect(r.benefitCalculation?.cap).toMatchObject({ instrument: 'Decree 74/2024/NĐ-CP', referenceDate: '2025-12-31', amount: 24_800_000 });
    expect(r.legalBasis.find((b) => b.parameter === 'UI_BENEFIT_CAP')?.note).toContain('State pay scales is not modelled');
  });

  it('cap: 2025 law terminated 2026-01-01 with the last contribution month 2026-01 uses Decree 293/2025', () => {
    const r = assess({ terminationDate: '2026-01-01', periods: [period('2023-01', '2026-01', 50_000_000)] });
    expect(r.estimatedMonthlyBenefit).toBe(26_550_000);
    expect(r.benefitCalculation?.cap?.referenceDate).toBe('2026-01-01');
  });

  it('cap: 2025 law but last contribution month 2025-12 → the wage in force in 2025-12 (Decree 74/2024)', () => {
    const r = assess({ terminationDate: '2026-01-01', periods: [period('2023-01', '2025-12', 50_000_000)] });
    expect(r.law.id).toBe('LAW_74_2025');
    expect(r.estimatedMonthlyBenefit).toBe(24_800_000);
    expect(r.benefitCalculation?.cap).toMatchObject({ instrument: 'Decree 74/2024/NĐ-CP', referenceDate: '2025-12-01' });
  });

  it('cap uses the region of the last contribution month', () => {
    const r = assess({
      terminationDate: '2026-03-31',
      periods: [period('2023-01', '2025-12', 50_000_000, { region: 'I' }), period('2026-01', '2026-03', 50_000_000, { region: 'II', employerCode: 'DN002' })],
    });
    expect(r.benefitCalculation?.cap).toMatchObject({ region: 'II', regionalMinimumWage: 4_730_000, amount: 23_650_000 });
    expect(r.estimatedMonthlyBenefit).toBe(23_650_000);
  });

  it('2013 law terminated 2024-03-15: the cap is the Decree 38/2022 wage on that date (5 × 4,680,000), not reached by 6,000,000', () => {
    const r = assess({ terminationDate: '2024-03-15', periods: [period('2022-01', '2024-03', 10_000_000)] });
    expect(r.law.id).toBe('LAW_38_2013');
    expect(r.eligible).toBe(true);
    expect(r.benefitCalculation?.uncappedBenefit.display).toBe('6,000,000');
    expect(r.benefitCalculation?.cap).toEqual({
      region: 'I',
      regionalMinimumWage: 4_680_000,
      multiple: 5,
      amount: 23_400_000,
      instrument: 'Decree 38/2022/NĐ-CP',
      effectiveFrom: '2022-07-01',
      referenceDate: '2024-03-15',
    });
    expect(r.benefitCalculation?.capApplied).toBe(false);
    expect(r.benefitCalculation?.note).toBeUndefined();
    expect(r.estimatedMonthlyBenefit).toBe(6_000_000);
    expect(r.benefitDurationMonths).toBe(3);
  });
});

describe('cap from the regional minimum wage history (before 2024-07-01)', () => {
  it('2013-law termination in 2023 at 50,000,000: 60 % = 30,000,000 capped at 5 × 4,680,000 = 23,400,000 (Decree 38/2022)', () => {
    const r = assess({ terminationDate: '2023-09-15', periods: [period('2021-01', '2023-09', 50_000_000)] });
    expect(r.law.id).toBe('LAW_38_2013');
    expect(r.totalUiMonths).toBe(33);
    expect(r.monthsWithinWindow).toBe(24);
    expect(r.eligible).toBe(true);
    expect(r.benefitCalculation?.uncappedBenefit.display).toBe('30,000,000');
    expect(r.benefitCalculation?.capApplied).toBe(true);
    expect(r.benefitCalculation?.cap).toMatchObject({ region: 'I', regionalMinimumWage: 4_680_000, amount: 23_400_000, instrument: 'Decree 38/2022/NĐ-CP', referenceDate: '2023-09-15' });
    expect(r.estimatedMonthlyBenefit).toBe(23_400_000);
    expect([r.benefitDurationMonths, r.usedMonths, r.reservedMonths]).toEqual([3, 33, 0]);
  });

  it('2013 law, the exact Decree 38/2022 boundary: terminated 2022-06-30 → 5 × 4,420,000 (Decree 90/2019); 2022-07-01 → 5 × 4,680,000', () => {
    const periods = [period('2020-01', '2022-07', 50_000_000)];
    const before = assess({ terminationDate: '2022-06-30', periods });
    expect(before.benefitCalculation?.cap).toMatchObject({ regionalMinimumWage: 4_420_000, amount: 22_100_000, instrument: 'Decree 90/2019/NĐ-CP' });
    expect(before.estimatedMonthlyBenefit).toBe(22_100_000);
    const after = assess({ terminationDate: '2022-07-01', periods });
    expect(after.benefitCalculation?.cap).toMatchObject({ regionalMinimumWage: 4_680_000, amount: 23_400_000, instrument: 'Decree 38/2022/NĐ-CP' });
    expect(after.estimatedMonthlyBenefit).toBe(23_400_000);
  });

  it('2013 law, first covered date 2015-01-01, region IV: 5 × 2,150,000 = 10,750,000 (Decree 103/2014)', () => {
    const r = assess({ terminationDate: '2015-01-01', periods: [period('2013-01', '2015-01', 20_000_000, { region: 'IV' })] });
    expect(r.law.id).toBe('LAW_38_2013');
    expect(r.benefitCalculation?.cap).toMatchObject({ region: 'IV', regionalMinimumWage: 2_150_000, amount: 10_750_000, instrument: 'Decree 103/2014/NĐ-CP', referenceDate: '2015-01-01' });
    expect(r.estimatedMonthlyBenefit).toBe(10_750_000);
  });

  it('2026 termination, last contribution month 2024-06 (short contract, 36-month window): cap 5 × 4,680,000 = 23,400,000 from Decree 38/2022', () => {
    const r = assess({ terminationDate: '2026-05-31', contractType: 'FIXED_TERM_3_TO_UNDER_12', periods: [period('2023-06', '2024-06', 40_000_000)] });
    expect(r.law.id).toBe('LAW_74_2025');
    expect(r.window).toEqual({ months: 36, from: '2023-06', to: '2026-05' });
    expect(r.monthsWithinWindow).toBe(13);
    expect(r.eligible).toBe(true);
    expect(r.benefitCalculation?.uncappedBenefit.display).toBe('24,000,000');
    expect(r.benefitCalculation?.cap).toEqual({
      region: 'I',
      regionalMinimumWage: 4_680_000,
      multiple: 5,
      amount: 23_400_000,
      instrument: 'Decree 38/2022/NĐ-CP',
      effectiveFrom: '2022-07-01',
      referenceDate: '2024-06-01',
    });
    expect(r.benefitCalculation?.capApplied).toBe(true);
    expect(r.estimatedMonthlyBenefit).toBe(23_400_000);
  });

  it('2026 termination, last contribution month 2024-07 instead: Decree 74/2024 (5 × 4,960,000 = 24,800,000), not capped at 24,000,000', () => {
    const r = assess({ terminationDate: '2026-05-31', contractType: 'FIXED_TERM_3_TO_UNDER_12', periods: [period('2023-07', '2024-07', 40_000_000)] });
    expect(r.benefitCalculation?.cap).toMatchObject({ regionalMinimumWage: 4_960_000, amount: 24_800_000, instrument: 'Decree 74/2024/NĐ-CP', referenceDate: '2024-07-01' });
    expect(r.benefitCalculation?.capApplied).toBe(false);
    expect(r.estimatedMonthlyBenefit).toBe(24_000_000);
  });

  it('an eligible assessment always has wage data now: the cap reference date is never before 2015-01-01', () => {
    // 2013 law: the cap date is the termination date, and that law starts 2015-01-01 (earlier dates are refused).
    expect(() => assessUnemploymentHistory({ terminationDate: '2014-12-31', contractType: 'INDEFINITE', lastEmployerStatus: OK, periods: [period('2013-01', '2014-12', 10_000_000)] })).toThrow(ValidationError);
    // 2025 law: eligibility needs 12 months inside the window, so the last contribution month is at least 2023-02.
    const r = assess({ terminationDate: '2026-01-31', contractType: 'FIXED_TERM_1_TO_UNDER_3', periods: [period('2013-01', '2014-12', 10_000_000), period('2023-02', '2024-01', 10_000_000)] });
    expect(r.eligible).toBe(true);
    expect(r.benefitCalculation?.cap).toMatchObject({ referenceDate: '2024-01-01', instrument: 'Decree 38/2022/NĐ-CP' });
    expect(r.estimatedMonthlyBenefit).toBe(6_000_000);
  });
});

describe('12 months within the window', () => {
  it('exactly 12 months in the 24 months before termination → eligible', () => {
    const r = assess({ terminationDate: '2026-03-10', periods: [period('2024-04', '2025-03', 10_000_000)] });
    expect(r.window).toEqual({ months: 24, from: '2024-04', to: '2026-03' });
    expect(r.monthsWithinWindow).toBe(12);
    expect(r.eligible).toBe(true);
    expect(r.benefitDurationMonths).toBe(3);
    expect(r.estimatedMonthlyBenefit).toBe(6_000_000);
  });

  it('11 months in the window (12 in total, one month before it) → not eligible, with the dates and counts', () => {
    const r = assess({ terminationDate: '2026-03-10', periods: [period('2024-03', '2025-02', 10_000_000)] });
    expect(r.totalUiMonths).toBe(12);
    expect(r.monthsWithinWindow).toBe(11);
    expect(r.eligible).toBe(false);
    expect(r.reasonCode).toBe('INSUFFICIENT_MONTHS_IN_WINDOW');
    expect(r.reason.en).toBe(
      'Only 11 months of unemployment-insurance contributions within the 24 months 2024-04 to 2026-03 before the contract ended on 2026-03-10; 12 required (Law on Employment 74/2025/QH15 Art. 38).',
    );
    expect(r.reason.vi).toContain('Chỉ có 11 tháng đóng bảo hiểm thất nghiệp trong 24 tháng 2024-04 – 2026-03');
    expect(r.estimatedMonthlyBenefit).toBeNull();
    expect(r.benefitDurationMonths).toBe(0);
  });

  it('short contract (3 to under 12 months, 2013 law): 12 months within 36 → eligible where 24 would not be', () => {
    const periods = [period('2022-08', '2023-07', 8_000_000)];
    const short = assess({ terminationDate: '2025-06-30', contractType: 'SEASONAL_OR_TASK_3_TO_UNDER_12', periods });
    expect(short.law.id).toBe('LAW_38_2013');
    expect(short.window).toEqual({ months: 36, from: '2022-07', to: '2025-06' });
    expect(short.monthsWithinWindow).toBe(12);
    expect(short.eligible).toBe(true);
    const indefinite = assess({ terminationDate: '2025-06-30', contractType: 'INDEFINITE', periods });
    expect(indefinite.window).toEqual({ months: 24, from: '2023-07', to: '2025-06' });
    expect(indefinite.monthsWithinWindow).toBe(1);
    expect(indefinite.eligible).toBe(false);
  });

  it('short contract (2025 law), exact 36-month edge: terminated 2026-06-30, 2023-07..2024-06 → 12 in the window → eligible', () => {
    const r = assess({ terminationDate: '2026-06-30', contractType: 'FIXED_TERM_1_TO_UNDER_3', periods: [period('2023-07', '2024-06', 8_000_000)] });
    expect(r.law.id).toBe('LAW_74_2025');
    expect(r.contractClass).toBe('SHORT');
    expect(r.window).toEqual({ months: 36, from: '2023-07', to: '2026-06' });
    expect(r.totalUiMonths).toBe(12);
    expect(r.monthsWithinWindow).toBe(12);
    expect(r.eligible).toBe(true);
    expect(r.reasonCode).toBe('ELIGIBLE');
    // Last contribution month 2024-06 → cap 5 × 4,680,000 (Decree 38/2022), not reached: 60 % × 8,000,000.
    expect(r.benefitCalculation?.cap).toMatchObject({ amount: 23_400_000, instrument: 'Decree 38/2022/NĐ-CP', referenceDate: '2024-06-01' });
    expect(r.estimatedMonthlyBenefit).toBe(4_800_000);
    expect(r.benefitDurationMonths).toBe(3);
  });

  it('short contract (2025 law), one month earlier: 2023-06..2024-05 → 11 in the window (12 in total) → not eligible', () => {
    const r = assess({ terminationDate: '2026-06-30', contractType: 'FIXED_TERM_1_TO_UNDER_3', periods: [period('2023-06', '2024-05', 8_000_000)] });
    expect(r.window).toEqual({ months: 36, from: '2023-07', to: '2026-06' });
    expect(r.totalUiMonths).toBe(12);
    expect(r.monthsWithinWindow).toBe(11);
    expect(r.eligible).toBe(false);
    expect(r.reasonCode).toBe('INSUFFICIENT_MONTHS_IN_WINDOW');
    expect(r.reason.en).toBe(
      'Only 11 months of unemployment-insurance contributions within the 36 months 2023-07 to 2026-06 before the contract ended on 2026-06-30; 12 required (Law on Employment 74/2025/QH15 Art. 38).',
    );
    expect(r.estimatedMonthlyBenefit).toBeNull();
    expect(r.benefitCalculation).toBeNull();
    expect(r.benefitDurationMonths).toBe(0);
  });

  it('under 1 month is covered by neither law', () => {
    for (const terminationDate of ['2025-12-31', '2026-01-01']) {
      const r = assess({ terminationDate, contractType: 'UNDER_1_MONTH', periods: [period('2024-01', '2025-12', 10_000_000)] });
      expect(r.reasonCode).toBe('CONTRACT_NOT_COVERED');
    }
  });

  it('periods without UI (SI/HI only) are not confirmed and do not count', () => {
    const r = assess({
      terminationDate: '2026-03-10',
      periods: [period('2024-04', '2024-12', 10_000_000, { schemes: ['SI', 'HI'] }), period('2025-01', '2025-12', 10_000_000)],
    });
    expect(r.confirmedUiPeriods).toHaveLength(1);
    expect(r.totalUiMonths).toBe(12);
  });

  it('UI months after the termination month are ignored and reported', () => {
    const r = assess({ terminationDate: '2026-03-10', periods: [period('2025-01', '2026-05', 10_000_000)] });
    expect(r.totalUiMonths).toBe(15);
    expect(r.ignoredMonthsAfterTermination).toBe(2);
    expect(r.uiMonthRanges).toEqual([{ from: '2025-01', to: '2026-03', months: 15 }]);
  });
});

describe('duration and reserved months', () => {
  const law = UNEMPLOYMENT_LAWS[1];
  it.each([
    [11, 0, 0, 0],
    [12, 3, 12, 0],
    [35, 3, 35, 0],
    [36, 3, 36, 0],
    [37, 3, 36, 1],
    [47, 3, 36, 11],
    [48, 4, 48, 0],
    [50, 4, 48, 2],
    [143, 11, 132, 11],
    [144, 12, 144, 0],
    [145, 12, 144, 0],
    [200, 12, 144, 0],
  ])('%i contribution months → %i benefit months, %i used, %i reserved', (months, duration, used, reserved) => {
    expect(benefitDurationMonths(months, law)).toBe(duration);
    expect(usedAndReservedMonths(months, law)).toEqual({ durationMonths: duration, usedMonths: used, reservedMonths: reserved });
  });

  it.each([
    ['2023-03', 36, 3, 0],
    ['2023-02', 37, 3, 1],
    ['2014-03', 144, 12, 0],
    ['2014-02', 145, 12, 0],
  ])('full assessment from %s to 2026-02: %i months → %i benefit months, %i reserved', (from, total, duration, reserved) => {
    const r = assess({ terminationDate: '2026-02-27', periods: [period(from, '2026-02', 10_000_000)] });
    expect(r.totalUiMonths).toBe(total);
    expect(r.benefitDurationMonths).toBe(duration);
    expect(r.reservedMonths).toBe(reserved);
  });
});

describe('overlapping periods', () => {
  it('count once per month; the month keeps the salary of the period that started first', () => {
    const r = assess({
      terminationDate: '2026-02-20',
      periods: [
        period('2025-07', '2026-02', 30_000_000, { employer: 'Công ty B', employerCode: 'DN002' }),
        period('2025-01', '2025-12', 10_000_000),
      ],
    });
    expect(r.totalUiMonths).toBe(14);
    expect(r.overlappingMonths).toBe(6);
    expect(r.uiMonthRanges).toEqual([{ from: '2025-01', to: '2026-02', months: 14 }]);
    expect(r.confirmedUiPeriods.map((p) => [p.employerCode, p.countedMonths])).toEqual([
      ['DN001', 12],
      ['DN002', 2],
    ]);
    expect(r.benefitCalculation?.lastMonths.map((m) => [m.month, m.monthlySalary])).toEqual([
      ['2025-09', 10_000_000],
      ['2025-10', 10_000_000],
      ['2025-11', 10_000_000],
      ['2025-12', 10_000_000],
      ['2026-01', 30_000_000],
      ['2026-02', 30_000_000],
    ]);
    expect(r.benefitCalculation?.averageMonthlySalary).toEqual({ numerator: '50000000', denominator: '3', display: '16,666,666.6666…' });
    expect(r.estimatedMonthlyBenefit).toBe(10_000_000);
  });

  it('two identical periods count once', () => {
    const p = period('2025-01', '2025-12', 10_000_000);
    const r = assess({ terminationDate: '2025-12-31', periods: [p, { ...p }] });
    expect(r.totalUiMonths).toBe(12);
    expect(r.overlappingMonths).toBe(12);
    expect(r.eligible).toBe(true);
  });

  it('the last 6 months skip gaps (latest 6 distinct UI months)', () => {
    const r = assess({
      terminationDate: '2026-02-10',
      periods: [period('2024-01', '2025-06', 10_000_000), period('2025-12', '2026-02', 20_000_000, { employerCode: 'DN002' })],
    });
    expect(r.benefitCalculation?.lastMonths.map((m) => m.month)).toEqual(['2025-04', '2025-05', '2025-06', '2025-12', '2026-01', '2026-02']);
    expect(r.estimatedMonthlyBenefit).toBe(9_000_000);
  });
});

describe('rounding', () => {
  it('exact until the end, then half up to the đồng (10,000,000.5 → 10,000,001)', () => {
    const r = assess({
      terminationDate: '2026-06-30',
      periods: [period('2025-01', '2026-05', 16_666_667), period('2026-06', '2026-06', 16_666_670, { employerCode: 'DN002' })],
    });
    expect(r.benefitCalculation?.averageMonthlySalary.display).toBe('16,666,667.5');
    expect(r.benefitCalculation?.uncappedBenefit).toEqual({ numerator: '20000001', denominator: '2', display: '10,000,000.5' });
    expect(r.estimatedMonthlyBenefit).toBe(10_000_001);
  });
});

describe('blocked: the last employer', () => {
  const periods = [period('2022-01', '2026-02', 20_000_000)];
  it('has not closed the record → BLOCKED EMPLOYER_NOT_CLOSED, no assessment', () => {
    const r = assessUnemploymentHistory({ terminationDate: '2026-02-15', contractType: 'INDEFINITE', periods, lastEmployerStatus: { closed: false, owesContributions: false } });
    expect(r).toEqual({
      status: 'BLOCKED',
      reasonCode: 'EMPLOYER_NOT_CLOSED',
      message: {
        vi: 'Đơn vị sử dụng lao động cuối cùng chưa chốt quá trình đóng bảo hiểm; chưa thể xác nhận quá trình đóng bảo hiểm thất nghiệp.',
        en: "The last employer has not closed the worker's contribution record; the unemployment-insurance record cannot be confirmed yet.",
      },
    });
  });

  it('owes contributions → BLOCKED EMPLOYER_OWES_CONTRIBUTIONS (also when not closed)', () => {
    for (const closed of [true, false]) {
      const r = assessUnemploymentHistory({ terminationDate: '2026-02-15', contractType: 'INDEFINITE', periods, lastEmployerStatus: { closed, owesContributions: true } });
      expect(r.status).toBe('BLOCKED');
      if (r.status === 'BLOCKED') expect(r.reasonCode).toBe('EMPLOYER_OWES_CONTRIBUTIONS');
    }
  });
});

describe('input validation', () => {
  it.each([
    ['from after to', { terminationDate: '2026-02-15', periods: [period('2026-02', '2026-01', 1)] }],
    ['bad month', { terminationDate: '2026-02-15', periods: [period('2026-13', '2026-12', 1)] }],
    ['bad date', { terminationDate: '2026-02-30', periods: [] }],
    ['negative salary', { terminationDate: '2026-02-15', periods: [period('2026-01', '2026-01', -1)] }],
    ['fractional salary', { terminationDate: '2026-02-15', periods: [period('2026-01', '2026-01', 1.5)] }],
    ['bad region', { terminationDate: '2026-02-15', periods: [period('2026-01', '2026-01', 1, { region: 'V' as never })] }],
    ['before the first law', { terminationDate: '2014-12-31', periods: [] }],
  ])('%s → ValidationError', (_, input) => {
    expect(() => assessUnemploymentHistory({ contractType: 'INDEFINITE', lastEmployerStatus: OK, ...input })).toThrow(ValidationError);
  });

  it('unknown contract type → ValidationError', () => {
    expect(() =>
      assessUnemploymentHistory({ terminationDate: '2026-02-15', contractType: 'SEASONAL_3_TO_12' as never, periods: [], lastEmployerStatus: OK }),
    ).toThrow(ValidationError);
  });
});
