import { describe, expect, it } from 'vitest';
import { citationVi, instrumentOf } from '../../../functions/domain/explanations/instruments';
import { formatFraction, formatMoney, formatPercent } from '../../../functions/domain/explanations/format';
import { BASE_SALARY_TABLE } from '../../../functions/domain/rules/baseSalary';
import { HOUSEHOLD_LADDER_TABLE, HOUSEHOLD_PERIODS_TABLE, HOUSEHOLD_RATE_TABLE } from '../../../functions/domain/rules/householdRates';
import { REGIONAL_MINIMUM_WAGE_SCHEDULE } from '../../../functions/domain/rules/regionalMinimumWage';
import { SALARY_ADJUSTMENT_TABLES } from '../../../functions/domain/rules/salaryAdjustmentCoefficients';
import { LUMP_SUM_AMOUNT_RULES, RETIREMENT_SURVIVOR_FUND_RATES } from '../../../functions/domain/lumpSum/lumpSumAmount';
import { UNEMPLOYMENT_LAWS } from '../../../functions/domain/unemployment/unemploymentHistory';
import { ENGLISH_IN_VI } from './englishWords';

describe('instruments in Vietnamese and English', () => {
  it('names the article before the instrument, as Vietnamese citations do', () => {
    expect(instrumentOf('Decree 146/2018/NĐ-CP Art. 7(1)(e)', '2018-12-01')).toEqual({
      code: 'DECREE_146_2018_ND_CP', vi: 'điểm e khoản 1 Điều 7 Nghị định số 146/2018/NĐ-CP', en: 'Decree 146/2018/NĐ-CP Art. 7(1)(e)', effectiveFrom: '2018-12-01',
    });
    expect(citationVi('Law 58/2014/QH13 Art. 60(2)(a)-(b), Art. 77(2)(a)-(b)')).toBe(
      'điểm a–b khoản 2 Điều 60, điểm a–b khoản 2 Điều 77 Luật Bảo hiểm xã hội số 58/2014/QH13',
    );
    expect(citationVi('Resolution 56/2025/NQ-HĐND')).toBe('Nghị quyết số 56/2025/NQ-HĐND');
  });

  it('drops the rule data provenance asides from both languages', () => {
    const i = instrumentOf('Decree 146/2018/NĐ-CP; Decision 595/QĐ-BHXH (household payment method) (verify)', '2018-12-01');
    expect(i).toMatchObject({ vi: 'Nghị định số 146/2018/NĐ-CP; Quyết định số 595/QĐ-BHXH', en: 'Decree 146/2018/NĐ-CP; Decision 595/QĐ-BHXH' });
  });

  it('every citation an explanation can show reads in Vietnamese with no English word', () => {
    const citations = [
      ...BASE_SALARY_TABLE.map((e) => e.instrument),
      ...HOUSEHOLD_RATE_TABLE.map((e) => e.instrument),
      ...HOUSEHOLD_LADDER_TABLE.map((e) => e.instrument),
      ...HOUSEHOLD_PERIODS_TABLE.map((e) => e.instrument),
      ...REGIONAL_MINIMUM_WAGE_SCHEDULE.map((e) => e.instrument),
      ...Object.values(SALARY_ADJUSTMENT_TABLES).map((t) => t.instrument),
      ...LUMP_SUM_AMOUNT_RULES.flatMap((r) => Object.values(r.articles)),
      ...RETIREMENT_SURVIVOR_FUND_RATES.map((r) => r.instrument),
      ...UNEMPLOYMENT_LAWS.map((l) => `${l.instrument} ${l.benefitArticle}`),
    ];
    for (const c of citations) {
      const vi = citationVi(c);
      expect(vi, c).not.toBeNull();
      expect(vi, c).not.toMatch(ENGLISH_IN_VI);
    }
  });

  it('money and percentages as each language writes them', () => {
    expect(formatMoney(79_695, 'vi')).toBe('79.695 đồng');
    expect(formatMoney(79_695, 'en')).toBe('VND 79,695');
    expect(formatMoney('7838437.5', 'vi')).toBe('7.838.437,5 đồng');
    expect(formatPercent(4.5, 'vi')).toBe('4,5 %');
    expect(formatPercent(4.5, 'en')).toBe('4.5%');
    expect(formatFraction('100', '3', 'vi')).toBe('≈ 33,33 đồng');
  });
});
