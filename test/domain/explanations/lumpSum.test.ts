import { describe, expect, it } from 'vitest';
import { calculateLumpSumAmount, type LumpSumAmountInput } from '../../../functions/domain/lumpSum/lumpSumAmount';
import type { SiContributionPeriod } from '../../../functions/domain/lumpSum/months';
import { explainLumpSumAmount } from '../../../functions/domain/explanations/lumpSum';
import { ENGLISH_IN_VI } from './englishWords';

function period(from: string, to: string, monthlySalary: number, extra: Partial<SiContributionPeriod> = {}): SiContributionPeriod {
  return { employer: 'Công ty A', employerCode: 'DN001', from, to, monthlySalary, schemes: ['SI', 'UI', 'HI'], region: 'I', ...extra };
}

function explained(periods: SiContributionPeriod[], extra: Partial<LumpSumAmountInput> = {}) {
  const breakdown = calculateLumpSumAmount({ applicationDate: '2026-03-10', reason: 'ONE_YEAR_GAP', periods, ...extra });
  // The workflow carries the breakdown as JSON: explain what it carries.
  return { breakdown, explanation: explainLumpSumAmount(JSON.parse(JSON.stringify(breakdown))) };
}

describe('lump-sum explanation', () => {
  it('domain.md §3 worked example: revalued salaries → 7,838,437.5 average → 2 + 3.5 years → 10 months → 78,384,375', () => {
    const { breakdown, explanation } = explained([period('2011-03', '2013-12', 5_000_000), period('2014-01', '2016-06', 6_000_000)]);
    expect(breakdown.amount).toBe(78_384_375);
    expect(explanation.vi).toContain('năm 2011: 50.000.000 đồng (10 tháng) × 1,65 = 82.500.000 đồng;');
    expect(explanation.vi).toContain('năm 2016: 36.000.000 đồng (6 tháng) × 1,32 = 47.520.000 đồng.');
    expect(explanation.vi).toContain('(Công văn số 340/BHXH-CSXH của Bảo hiểm xã hội Việt Nam, áp dụng cho hồ sơ giải quyết năm 2026)');
    expect(explanation.vi).toContain('Bình quân tiền lương tháng: 501.660.000 đồng ÷ 64 tháng = 7.838.437,5 đồng.');
    expect(explanation.vi).toContain('Thời gian đóng trước năm 2014: 34 tháng = 2 năm, 10 tháng lẻ được chuyển sang giai đoạn từ năm 2014.');
    expect(explanation.vi).toContain('Thời gian đóng từ năm 2014: 30 + 10 = 40 tháng = 3 năm 4 tháng, tính là 3,5 năm');
    expect(explanation.vi).toContain('khoản 6 Điều 5 Luật Bảo hiểm xã hội số 41/2024/QH15');
    expect(explanation.vi).toContain('Số tháng lương được hưởng: 1,5 × 2 + 2 × 3,5 = 10 tháng');
    expect(explanation.vi).toContain('Mức hưởng: 7.838.437,5 đồng × 10 = 78.384.375 đồng. Số tiền được hưởng: 78.384.375 đồng.');
    expect(explanation.en).toContain('Average monthly salary: VND 501,660,000 ÷ 64 months = VND 7,838,437.5.');
    expect(explanation.en).toContain('Contributions from 2014: 30 + 10 = 40 months = 3 years 4 months, counted as 3.5 years');
    expect(explanation.en).toContain('Amount: VND 7,838,437.5 × 10 = VND 78,384,375. Amount paid: VND 78,384,375.');
    expect(explanation.vi).not.toMatch(ENGLISH_IN_VI);

    const step = (code: string) => explanation.steps.filter((s) => s.code === code);
    expect(step('REVALUED_SALARY').map((s) => [s.year, s.months, s.salaryTotal, s.coefficient, s.value])).toEqual([
      [2011, 10, 50_000_000, '1.65', 82_500_000],
      [2012, 12, 60_000_000, '1.51', 90_600_000],
      [2013, 12, 60_000_000, '1.42', 85_200_000],
      [2014, 12, 72_000_000, '1.36', 97_920_000],
      [2015, 12, 72_000_000, '1.36', 97_920_000],
      [2016, 6, 36_000_000, '1.32', 47_520_000],
    ]);
    expect(step('REVALUED_SALARY')[0].instrument).toEqual({
      code: 'LETTER_340_BHXH_CSXH', vi: 'Công văn số 340/BHXH-CSXH của Bảo hiểm xã hội Việt Nam', en: 'BHXH letter 340/BHXH-CSXH', effectiveFrom: '2026-01-01',
    });
    expect(step('AVERAGE_SALARY')).toEqual([{ code: 'AVERAGE_SALARY', value: 7_838_437.5, unit: 'VND', exact: { numerator: '15676875', denominator: '2' } }]);
    expect(step('YEARS_BEFORE_2014')[0]).toMatchObject({ value: 2, unit: 'YEARS', months: 34 });
    expect(step('YEARS_FROM_2014')[0]).toMatchObject({ value: 3.5, unit: 'YEARS', months: 40, halfYears: 7 });
    expect(step('BENEFIT_MONTHS')[0]).toMatchObject({ value: 10, unit: 'SALARY_MONTHS' });
    expect(explanation.steps.at(-1)).toEqual({ code: 'RESULT', value: 78_384_375, unit: 'VND' });
    // the arithmetic of the steps is the amount
    const sum = step('REVALUED_SALARY').reduce((t, s) => t + s.value, 0);
    expect(sum / step('TOTAL_MONTHS')[0].value).toBe(step('AVERAGE_SALARY')[0].value);
    expect(step('AVERAGE_SALARY')[0].value * step('BENEFIT_MONTHS')[0].value).toBe(breakdown.amount);
  });

  it('voluntary State support deducted, a non-terminating average shown as ≈ and the amount rounded once', () => {
    const { breakdown, explanation } = explained([
      period('2020-01', '2022-06', 10_000_000),
      period('2022-07', '2023-01', 7_000_001, { schemes: ['SI'], voluntary: true, stateSupportAmount: 500_000 }),
    ]);
    // 37 months: 30 × 10,000,000 × coef + 7 × 7,000,001 × coef, ÷ 37 (not a terminating decimal)
    expect(breakdown.totalMonths).toBe(37);
    expect(breakdown.stateSupportDeducted).toBe(500_000);
    expect(explanation.vi).toMatch(/Bình quân tiền lương tháng: [\d.]+(,\d+)? đồng ÷ 37 tháng = ≈ [\d.]+,\d{1,2} đồng\./);
    expect(explanation.vi).toContain('Trừ 500.000 đồng Nhà nước đã hỗ trợ đóng bảo hiểm xã hội tự nguyện (Điều 71 Luật Bảo hiểm xã hội số 41/2024/QH15)');
    const formatted = new Intl.NumberFormat('de-DE').format(breakdown.amount);
    expect(explanation.vi).toContain(`Số tiền được hưởng: ${formatted} đồng (làm tròn đến đồng).`);
    expect(explanation.steps.find((s) => s.code === 'STATE_SUPPORT_DEDUCTED')).toMatchObject({ value: 500_000, applied: true });
    expect(explanation.steps.at(-1)).toEqual({ code: 'RESULT', value: breakdown.amount, unit: 'VND' });
    expect(explanation.vi).not.toMatch(ENGLISH_IN_VI);
  });

  it('only from 2014 (72 months = 6 years): 2 × 6 = 12 months of the average, no pre-2014 term', () => {
    const { breakdown, explanation } = explained([period('2019-06', '2025-05', 10_000_000)]);
    expect(breakdown.benefitMonths.display).toBe('12');
    expect(explanation.vi).not.toContain('trước năm 2014:');
    expect(explanation.vi).toContain('Thời gian đóng từ năm 2014: 72 tháng = 6 năm.');
    expect(explanation.vi).toContain('Số tháng lương được hưởng: 2 × 6 = 12 tháng');
    expect(explanation.en).toContain('Months of salary due: 2 × 6 = 12 (');
    const average = explanation.steps.find((s) => s.code === 'AVERAGE_SALARY')!;
    expect(Math.round(average.value * 12)).toBe(breakdown.amount);
  });

  it('under one year: the contributions paid at 22 %, below the cap of 2 months of the average', () => {
    const { breakdown, explanation } = explained([period('2025-01', '2025-06', 10_000_000)]);
    expect(breakdown.amount).toBe(13_200_000);
    expect(explanation.vi).toContain(
      'Thời gian đóng dưới một năm (6 tháng): mức hưởng bằng số tiền đã đóng vào quỹ hưu trí, tử tuất (01/2025–06/2025: 60.000.000 đồng × 22 % = 13.200.000 đồng), tổng 13.200.000 đồng, ' +
        'tối đa 2 tháng bình quân tiền lương = 20.000.000 đồng',
    );
    expect(explanation.vi).toContain('chưa vượt mức tối đa: 13.200.000 đồng. Số tiền được hưởng: 13.200.000 đồng.');
    expect(explanation.steps.find((s) => s.code === 'UNDER_ONE_YEAR_CAP')).toMatchObject({ value: 20_000_000, multiple: 2, applied: false });
    expect(explanation.vi).not.toMatch(ENGLISH_IN_VI);
  });
});
