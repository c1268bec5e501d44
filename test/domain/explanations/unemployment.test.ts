import { describe, expect, it } from 'vitest';
import { assessUnemploymentHistory, type UnemploymentHistoryAssessment } from '../../../functions/domain/unemployment/unemploymentHistory';
import type { ContributionPeriod } from '../../../functions/domain/lumpSum/months';
import { explainUnemploymentBenefit } from '../../../functions/domain/explanations/unemployment';
import { ENGLISH_IN_VI } from './englishWords';

function period(from: string, to: string, monthlySalary: number, extra: Partial<ContributionPeriod> = {}): ContributionPeriod {
  return { employer: 'Công ty A', employerCode: 'DN001', from, to, monthlySalary, schemes: ['SI', 'UI', 'HI'], region: 'I', ...extra };
}

function assess(periods: ContributionPeriod[], terminationDate = '2026-03-31'): UnemploymentHistoryAssessment {
  const r = assessUnemploymentHistory({ terminationDate, contractType: 'INDEFINITE', periods, lastEmployerStatus: { closed: true, owesContributions: false } });
  if (r.status !== 'ASSESSED') throw new Error('blocked');
  return r;
}

describe('unemployment benefit explanation', () => {
  it('domain.md §4 worked example: 50 months, average 20,000,000 → 60 % = 12,000,000 (below the cap) for 4 months, 2 reserved', () => {
    const a = assess([period('2022-02', '2026-03', 20_000_000)]);
    expect([a.totalUiMonths, a.estimatedMonthlyBenefit, a.benefitDurationMonths, a.reservedMonths]).toEqual([50, 12_000_000, 4, 2]);
    const e = explainUnemploymentBenefit(a)!;
    expect(e.vi).toBe(
      'Bình quân tiền lương tháng đóng bảo hiểm thất nghiệp của 6 tháng đóng cuối cùng (10/2025 đến 03/2026): 120.000.000 đồng ÷ 6 = 20.000.000 đồng. ' +
        'Mức hưởng hằng tháng bằng 60 % mức bình quân (Điều 39 Luật Việc làm số 74/2025/QH15): 20.000.000 đồng × 60 % = 12.000.000 đồng. ' +
        'Mức này không vượt mức tối đa 5 × 5.310.000 đồng (lương tối thiểu vùng I theo Nghị định số 293/2025/NĐ-CP, áp dụng tại ngày 01/03/2026) = 26.550.000 đồng. ' +
        'Trợ cấp thất nghiệp ước tính: 12.000.000 đồng mỗi tháng. ' +
        'Thời gian hưởng: 50 tháng đóng → 4 tháng (3 tháng cho 12 đến 36 tháng đóng, thêm 1 tháng cho mỗi 12 tháng đóng tiếp theo, tối đa 12 tháng); 2 tháng đóng chưa dùng được bảo lưu.',
    );
    expect(e.en).toContain('The monthly benefit is 60% of the average (Law on Employment 74/2025/QH15 Art. 39): VND 20,000,000 × 60% = VND 12,000,000.');
    expect(e.en).toContain('Estimated unemployment benefit: VND 12,000,000 a month.');
    expect(e.steps).toEqual([
      { code: 'LAST_MONTHS_AVERAGE', value: 20_000_000, unit: 'VND', months: 6, salaryTotal: 120_000_000 },
      {
        code: 'BENEFIT_RATE', value: 60, unit: 'PERCENT',
        instrument: { code: 'LAW_74_2025_QH15', vi: 'Điều 39 Luật Việc làm số 74/2025/QH15', en: 'Law on Employment 74/2025/QH15 Art. 39', effectiveFrom: '2026-01-01' },
      },
      { code: 'UNCAPPED_BENEFIT', value: 12_000_000, unit: 'VND' },
      {
        code: 'REGIONAL_MINIMUM_WAGE', value: 5_310_000, unit: 'VND', region: 'I',
        instrument: { code: 'DECREE_293_2025_ND_CP', vi: 'Nghị định số 293/2025/NĐ-CP', en: 'Decree 293/2025/NĐ-CP', effectiveFrom: '2026-01-01' },
      },
      { code: 'BENEFIT_CAP', value: 26_550_000, unit: 'VND', multiple: 5, applied: false, instrument: expect.objectContaining({ code: 'LAW_74_2025_QH15' }) },
      { code: 'RESULT', value: 12_000_000, unit: 'VND' },
      { code: 'BENEFIT_DURATION', value: 4, unit: 'MONTHS', months: 50, instrument: expect.objectContaining({ code: 'LAW_74_2025_QH15' }) },
    ]);
    expect(e.vi).not.toMatch(ENGLISH_IN_VI);
  });

  it('average 50,000,000: 30,000,000 capped at 5 × 5,310,000 = 26,550,000', () => {
    const e = explainUnemploymentBenefit(assess([period('2022-02', '2026-03', 50_000_000)]))!;
    expect(e.vi).toContain('50.000.000 đồng × 60 % = 30.000.000 đồng. Mức này vượt mức tối đa 5 × 5.310.000 đồng');
    expect(e.vi).toContain('= 26.550.000 đồng, nên mức hưởng là 26.550.000 đồng. Trợ cấp thất nghiệp ước tính: 26.550.000 đồng mỗi tháng.');
    expect(e.steps.find((s) => s.code === 'BENEFIT_CAP')).toMatchObject({ value: 26_550_000, applied: true });
    expect(e.steps.find((s) => s.code === 'RESULT')).toEqual({ code: 'RESULT', value: 26_550_000, unit: 'VND' });
  });

  it('2013 law: the cap of Decree 74/2024 at termination; an odd average is rounded once', () => {
    const a = assess([period('2023-01', '2025-12', 10_000_001)], '2025-12-31');
    // 60 % × 10,000,001 = 6,000,000.6 → 6,000,001
    expect(a.estimatedMonthlyBenefit).toBe(6_000_001);
    const e = explainUnemploymentBenefit(a)!;
    expect(e.vi).toContain('10.000.001 đồng × 60 % = 6.000.000,6 đồng.');
    expect(e.vi).toContain('(lương tối thiểu vùng I theo Nghị định số 74/2024/NĐ-CP, áp dụng tại ngày 31/12/2025) = 24.800.000 đồng');
    expect(e.vi).toContain('Trợ cấp thất nghiệp ước tính: 6.000.001 đồng mỗi tháng (làm tròn đến đồng).');
    expect(e.vi).toContain('Điều 50 Luật Việc làm số 38/2013/QH13');
    expect(e.vi).not.toMatch(ENGLISH_IN_VI);
  });

  it('not eligible: no benefit, no explanation', () => {
    expect(explainUnemploymentBenefit(assess([period('2025-10', '2026-03', 20_000_000)]))).toBeNull();
  });
});
