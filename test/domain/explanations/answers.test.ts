import { describe, expect, it } from 'vitest';
import { answeredResult, withoutProvenance } from '../../../functions/domain/explanations/answers';
import { calculateLumpSumAmount } from '../../../functions/domain/lumpSum/lumpSumAmount';
import { assessUnemploymentHistory } from '../../../functions/domain/unemployment/unemploymentHistory';

const period = (from: string, to: string, monthlySalary: number) =>
  ({ employer: 'Công ty A', employerCode: 'DN001', from, to, monthlySalary, schemes: ['SI', 'UI', 'HI'] as ('SI' | 'UI' | 'HI')[], region: 'I' as const });

describe('answered results', () => {
  it('lump sum: the explanation right after the amount; a result stored with verify markers loses them', () => {
    const breakdown = calculateLumpSumAmount({ applicationDate: '2026-03-10', reason: 'ONE_YEAR_GAP', periods: [period('2011-03', '2013-12', 5_000_000), period('2014-01', '2016-06', 6_000_000)] });
    const stored = JSON.parse(JSON.stringify({
      paymentOrderId: 'PO-1',
      amount: breakdown.amount,
      currency: 'VND',
      breakdown: { ...breakdown, coefficientTable: { ...breakdown.coefficientTable, verify: true } },
      legalBasis: [{ parameter: 'X', value: 'y', instrument: 'Law 41/2024/QH15', effectiveFrom: '2025-07-01', verify: true, note: 'Reading of domain.md §3' }],
    }));
    const answer = answeredResult('LUMP_SUM_WITHDRAWAL', stored);
    expect(Object.keys(answer).slice(0, 3)).toEqual(['paymentOrderId', 'amount', 'explanation']);
    expect((answer.explanation as { vi: string }).vi).toContain('Mức hưởng: 7.838.437,5 đồng × 10 = 78.384.375 đồng.');
    expect(answer.legalBasis).toEqual([{ parameter: 'X', value: 'y', instrument: 'Law 41/2024/QH15', effectiveFrom: '2025-07-01' }]);
    expect(JSON.stringify(answer)).not.toMatch(/verify|domain\.md|Reading of/i);
  });

  it('unemployment: the explanation right after the estimated benefit; not eligible → none', () => {
    const assessed = assessUnemploymentHistory({
      terminationDate: '2026-03-31', contractType: 'INDEFINITE', periods: [period('2022-02', '2026-03', 20_000_000)], lastEmployerStatus: { closed: true, owesContributions: false },
    });
    const answer = answeredResult('UNEMPLOYMENT_HISTORY', JSON.parse(JSON.stringify(assessed)));
    const keys = Object.keys(answer);
    expect(keys[keys.indexOf('estimatedMonthlyBenefit') + 1]).toBe('explanation');
    expect((answer.explanation as { en: string }).en).toContain('Estimated unemployment benefit: VND 12,000,000 a month.');
    const notEligible = assessUnemploymentHistory({
      terminationDate: '2026-03-31', contractType: 'INDEFINITE', periods: [period('2025-10', '2026-03', 20_000_000)], lastEmployerStatus: { closed: true, owesContributions: false },
    });
    expect(answeredResult('UNEMPLOYMENT_HISTORY', JSON.parse(JSON.stringify(notEligible)))).not.toHaveProperty('explanation');
  });

  it('withoutProvenance keeps notes on how a rule applies and drops notes on sources', () => {
    expect(withoutProvenance({ a: [{ note: 'Window read as the calendar months ending with the termination month, inclusive.', verify: true }, { note: 'x (verify)' }] }))
      .toEqual({ a: [{ note: 'Window read as the calendar months ending with the termination month, inclusive.' }, {}] });
  });
});
