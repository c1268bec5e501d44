import { describe, expect, it } from 'vitest';
import { priceHousehold } from '../../../functions/domain/household/householdContribution';
import { classifyHousehold } from '../../../functions/domain/household/coverage';
import { explainHouseholdQuote } from '../../../functions/domain/explanations/household';
import { answeredQuote } from '../../../functions/domain/explanations/answers';
import type { MemberWithCard } from '../../../functions/domain/types';
import type { ProvincialSupport } from '../../../functions/shared/provinces';
import { DAUGHTER, FATHER, GRANDMOTHER, MOTHER, SON, card, member, withCard } from '../fixtures';
import { ENGLISH_IN_VI } from './englishWords';

/** domain.md §2 worked example: mother, grandmother, two children, 12 months paid 2026-07-01, father insured at work. */
function workedQuote(extra: Partial<Parameters<typeof priceHousehold>[0]> = {}) {
  const members: MemberWithCard[] = [
    withCard(FATHER, card(FATHER.personalId, 'EMPLOYEE', '2026-01-01', '2026-12-31')),
    withCard(MOTHER, card(MOTHER.personalId, 'HOUSEHOLD', '2025-07-15', '2026-07-14')),
    withCard(GRANDMOTHER, card(GRANDMOTHER.personalId, 'HOUSEHOLD', '2025-07-15', '2026-07-14')),
    withCard(SON, card(SON.personalId, 'HOUSEHOLD', '2025-07-15', '2026-07-14')),
    withCard(DAUGHTER, card(DAUGHTER.personalId, 'HOUSEHOLD', '2025-07-15', '2026-07-14')),
  ];
  return priceHousehold({ ...classifyHousehold(members, '2026-07-01'), periodMonths: 12, paymentDate: '2026-07-01', headPersonalId: FATHER.personalId, ...extra });
}

describe('household quote explanations', () => {
  it('the second member: 2,530,000 × 4.5 % × 70 % = 79,695 a month, × 12 = 956,340, in words and in steps', () => {
    const quote = explainHouseholdQuote(workedQuote());
    const grandmother = quote.members[1];
    expect(grandmother).toMatchObject({ fullName: 'Lê Thị Cúc', monthlyAmount: 79_695, periodAmount: 956_340 });
    expect(grandmother.explanation.vi).toBe(
      'Lê Thị Cúc là người thứ 2 của hộ cùng đóng nên đóng 70 % mức đóng của người thứ nhất: ' +
        '2.530.000 đồng (mức lương cơ sở áp dụng tại ngày thanh toán 01/07/2026, theo Nghị định số 161/2026/NĐ-CP) × 4,5 % × 70 % ' +
        '(tỷ lệ đóng và mức giảm trừ theo khoản 5 Điều 6 Nghị định số 188/2025/NĐ-CP) = 79.695 đồng mỗi tháng; ' +
        '79.695 đồng × 12 tháng = 956.340 đồng.',
    );
    expect(grandmother.explanation.en).toBe(
      "Lê Thị Cúc is the 2nd member paying in this household and pays 70% of the first member's amount: " +
        'VND 2,530,000 (the base salary in force on the payment date, 1 July 2026, Decree 161/2026/NĐ-CP) × 4.5% × 70% ' +
        '(contribution rate and discount, Decree 188/2025/NĐ-CP Art. 6(5)) = VND 79,695 a month; VND 79,695 × 12 months = VND 956,340.',
    );
    expect(grandmother.explanation.steps).toEqual([
      {
        code: 'BASE_SALARY', value: 2_530_000, unit: 'VND',
        instrument: { code: 'DECREE_161_2026_ND_CP', vi: 'Nghị định số 161/2026/NĐ-CP', en: 'Decree 161/2026/NĐ-CP', effectiveFrom: '2026-07-01' },
      },
      {
        code: 'CONTRIBUTION_RATE', value: 4.5, unit: 'PERCENT',
        instrument: { code: 'DECREE_188_2025_ND_CP', vi: 'khoản 5 Điều 6 Nghị định số 188/2025/NĐ-CP', en: 'Decree 188/2025/NĐ-CP Art. 6(5)', effectiveFrom: '2025-08-15' },
      },
      {
        code: 'LADDER_SHARE', value: 70, unit: 'PERCENT', position: 2,
        instrument: { code: 'DECREE_188_2025_ND_CP', vi: 'khoản 5 Điều 6 Nghị định số 188/2025/NĐ-CP', en: 'Decree 188/2025/NĐ-CP Art. 6(5)', effectiveFrom: '2025-08-15' },
      },
      { code: 'MONTHLY_AMOUNT', value: 79_695, unit: 'VND' },
      {
        code: 'MONTHS', value: 12, unit: 'MONTHS',
        instrument: { code: 'DECREE_146_2018_ND_CP', vi: 'Nghị định số 146/2018/NĐ-CP; Quyết định số 595/QĐ-BHXH', en: 'Decree 146/2018/NĐ-CP; Decision 595/QĐ-BHXH', effectiveFrom: '2018-12-01' },
      },
      { code: 'RESULT', value: 956_340, unit: 'VND' },
    ]);
  });

  it('every member: the steps multiply to the quoted amounts; the total is their sum (3,825,360)', () => {
    const quote = explainHouseholdQuote(workedQuote());
    expect(quote.members.map((m) => m.explanation.steps.find((s) => s.code === 'LADDER_SHARE')?.value)).toEqual([100, 70, 60, 50, 40].slice(0, 4));
    for (const m of quote.members) {
      const v = (code: string) => m.explanation.steps.find((s) => s.code === code)!.value;
      expect((v('BASE_SALARY') * v('CONTRIBUTION_RATE') * v('LADDER_SHARE')) / 10_000).toBe(m.monthlyAmount);
      expect(v('MONTHLY_AMOUNT') * v('MONTHS')).toBe(v('RESULT'));
      expect(v('RESULT')).toBe(m.periodAmount);
    }
    expect(quote.members[0].explanation.vi).toContain('Trần Thị Bình là người thứ nhất của hộ cùng đóng nên đóng đủ mức: 2.530.000 đồng');
    expect(quote.members[0].explanation.vi).toContain('= 113.850 đồng mỗi tháng; 113.850 đồng × 12 tháng = 1.366.200 đồng.');
    expect(quote.explanation.vi).toBe('Tổng số tiền đóng cho 4 người trong 12 tháng: 1.366.200 + 956.340 + 819.720 + 683.100 = 3.825.360 đồng.');
    expect(quote.explanation.en).toBe('Total for 4 members for 12 months: 1,366,200 + 956,340 + 819,720 + 683,100 = VND 3,825,360.');
    expect(quote.explanation.steps.at(-1)).toEqual({ code: 'RESULT', value: 3_825_360, unit: 'VND' });
  });

  it('the Vietnamese text has no English legal word and no provenance marker; the answer has no "verify"', () => {
    const quote = explainHouseholdQuote(workedQuote());
    for (const m of quote.members) expect(m.explanation.vi).not.toMatch(ENGLISH_IN_VI);
    expect(JSON.stringify(quote)).not.toMatch(/verify/i);
  });

  it('a quote stored with the old "(verify)" marker is answered without it', () => {
    const stored = workedQuote();
    stored.legalBasis = stored.legalBasis.map((b) => (b.parameter === 'PAYMENT_PERIOD' ? { ...b, instrument: `${b.instrument} (verify)` } : b));
    expect(JSON.stringify(answeredQuote(stored))).not.toMatch(/verify/i);
    expect(answeredQuote(stored).legalBasis.find((b) => b.parameter === 'PAYMENT_PERIOD')?.instrument).toBe('Decree 146/2018/NĐ-CP; Decision 595/QĐ-BHXH (household payment method)');
  });

  it('payment before 2026-07-01: the base salary then in force (2,340,000, Decree 73/2024), 6 months', () => {
    const quote = explainHouseholdQuote(workedQuote({ paymentDate: '2026-06-30', periodMonths: 6 }));
    const first = quote.members[0];
    expect(first).toMatchObject({ monthlyAmount: 105_300, periodAmount: 631_800 });
    expect(first.explanation.vi).toContain('2.340.000 đồng (mức lương cơ sở áp dụng tại ngày thanh toán 30/06/2026, theo Nghị định số 73/2024/NĐ-CP)');
    expect(first.explanation.vi).toContain('= 105.300 đồng mỗi tháng; 105.300 đồng × 6 tháng = 631.800 đồng.');
  });

  it('the largest household handled online (95 members): each explained at its ladder share, the answer stays small', async () => {
    const { MAX_BILLABLE_MEMBERS } = await import('../../../functions/household/householdPricing');
    const billable = Array.from({ length: MAX_BILLABLE_MEMBERS }, (_, i) =>
      withCard(member(`0791900${String(i).padStart(5, '0')}`, `Thành viên ${i + 1}`, '1990-01-01', i === 0 ? 'CHU_HO' : 'CON')));
    const quote = priceHousehold({ billable, excluded: [], periodMonths: 12, paymentDate: '2026-07-01', headPersonalId: billable[0].member.personalId });
    const answered = answeredQuote(quote);
    expect(answered.members).toHaveLength(95);
    expect(answered.members[94].explanation.vi).toContain('Thành viên 95 là người thứ 95 của hộ cùng đóng nên đóng 40 % mức đóng của người thứ nhất');
    expect(answered.members[94].explanation.vi).toContain('= 45.540 đồng mỗi tháng; 45.540 đồng × 12 tháng = 546.480 đồng.');
    // computed when answering: the quote the workflow carries and the payment request stores has no explanation
    expect(JSON.stringify(quote)).not.toContain('explanation');
    expect(Buffer.byteLength(JSON.stringify(answered))).toBeLessThan(400_000);
  });

  it('provincial support: its share and its resolution are in the sentence; a rounded monthly amount says so', () => {
    const support: ProvincialSupport[] = [{ group: 'HOUSEHOLD', percent: 30, instrument: 'Resolution 56/2025/NQ-HĐND', effectiveFrom: '2026-01-01' }];
    const quote = explainHouseholdQuote(workedQuote({ provincialSupport: support }));
    // 2,530,000 × 4.5 % × 70 % × 70 % = 55,786.5 → 55,787 (half up)
    const second = quote.members[1];
    expect(second.monthlyAmount).toBe(55_787);
    expect(second.explanation.vi).toContain(
      '× (100 % − 30 % ngân sách địa phương hỗ trợ theo Nghị quyết số 56/2025/NQ-HĐND) = 55.786,5 đồng, làm tròn đến đồng = 55.787 đồng mỗi tháng',
    );
    expect(second.explanation.en).toContain('× (100% − 30% provincial support, Resolution 56/2025/NQ-HĐND) = VND 55,786.5, rounded to the đồng = VND 55,787 a month');
    expect(second.explanation.steps.find((s) => s.code === 'PROVINCIAL_SUPPORT')).toMatchObject({ value: 30, unit: 'PERCENT', instrument: { code: 'RESOLUTION_56_2025_NQ_HDND' } });
    expect(second.explanation.vi).not.toMatch(ENGLISH_IN_VI);
  });
});
