/**
 * The reason catalog (functions/domain/reasonCatalog.ts): every reason and condition code renders in Vietnamese
 * and English, the Vietnamese with no English legal word, the English with no Vietnamese citation; the stored →
 * rendered shape; reasons stored before it (`vi/en/detail`) still read; engine errors shown as WORKFLOW_ERROR.
 */
import { describe, expect, it } from 'vitest';
import {
  CONDITION_CODES,
  REASON_CODES,
  renderReason,
  unemploymentResultReason,
  vietnameseCitations,
  type ReasonCondition,
} from '../../functions/domain/reasonCatalog';
import { ENGLISH_IN_VI } from './explanations/englishWords';
import { LUMP_SUM_LAW_CITATIONS, UNEMPLOYMENT_LAW_CITATIONS } from '../../functions/domain/reasonCatalog';
import { LUMP_SUM_ELIGIBILITY_LAWS } from '../../functions/domain/lumpSum/lumpSumEligibility';
import { UNEMPLOYMENT_LAWS } from '../../functions/domain/unemployment/unemploymentHistory';

const VIETNAMESE_CITATION = /\b(Điều|Luật|khoản|điểm|Nghị định|Nghị quyết|Thông tư)\b/u;

/** Sample params of every condition (the producers' shape). */
const SAMPLES: Record<string, ReasonCondition['params']> = {
  CASE_PROVIDED_BY_LAW: { law: 'LAW_58_2014', case: 'WORK_CAPACITY_LOSS_81', applicationDate: '2025-06-30', effectiveFrom: '2016-01-01' },
  HAS_CONTRIBUTIONS: { law: 'LAW_41_2024', case: 'ONE_YEAR_GAP', applicationDate: '2026-11-22', totalMonths: 0 },
  RETIREMENT_AGE_REACHED: { law: 'LAW_41_2024', case: 'RETIREMENT_AGE_UNDER_MIN_YEARS', applicationDate: '2026-11-22', retirementAgeReachedOn: '2027-03-01' },
  BELOW_PENSION_MINIMUM_YEARS: { law: 'LAW_41_2024', case: 'RETIREMENT_AGE_UNDER_MIN_YEARS', applicationDate: '2026-11-22', totalMonths: 200, minimumYears: 15 },
  SETTLEMENT_ABROAD_EVIDENCED: { law: 'LAW_41_2024', case: 'SETTLING_ABROAD', applicationDate: '2026-11-22', evidenced: false },
  DISEASE_LISTED: { law: 'LAW_41_2024', case: 'LISTED_DISEASE', applicationDate: '2026-11-22', disease: 'LEPROSY' },
  WORK_CAPACITY_LOSS: { law: 'LAW_41_2024', case: 'WORK_CAPACITY_LOSS_81', applicationDate: '2026-11-22', lossPercent: 61, minimumPercent: 81, especiallySevereDisability: false },
  STARTED_BEFORE_CUTOFF: { law: 'LAW_41_2024', case: 'ONE_YEAR_GAP', applicationDate: '2026-11-22', firstContributionMonth: '2025-08', cutoff: '2025-07-01' },
  MONTHS_WITHOUT_CONTRIBUTIONS: {
    law: 'LAW_41_2024', case: 'ONE_YEAR_GAP', applicationDate: '2026-11-22',
    lastContributionMonth: '2026-05', monthsWithoutContributions: 5, requiredMonths: 12, eligibleFrom: '2027-06-01',
  },
  BELOW_MAXIMUM_YEARS: { law: 'LAW_41_2024', case: 'ONE_YEAR_GAP', applicationDate: '2026-11-22', totalMonths: 257, maximumYears: 20 },
  ARMED_FORCES_SEPARATED: { law: 'LAW_58_2014', case: 'ARMED_FORCES_DISCHARGE', applicationDate: '2025-01-10', separationDate: '2025-02-01' },
  NOT_ELIGIBLE_FOR_PENSION: { law: 'LAW_41_2024', case: 'ARMED_FORCES_DISCHARGE', applicationDate: '2026-11-22', eligibleForPension: true },
  NOT_SETTLED_BEFORE: { settledOn: '2025-03-14', paymentOrderId: 'PO-9' },
  REVIEW_DECIDED_IN_TIME: { reviewReason: 'NAME_MISMATCH' },
  UI_MONTHS_IN_WINDOW: {
    law: 'LAW_74_2025', monthsWithinWindow: 9, windowMonths: 24, windowFrom: '2024-07', windowTo: '2026-06', terminationDate: '2026-06-30', requiredMonths: 12,
  },
  UI_CONTRACT_COVERED: { law: 'LAW_38_2013', contractType: 'SEASONAL_UNDER_3_MONTHS', terminationDate: '2025-03-31' },
  EMPLOYER_RECORD_CLOSED: { employerName: 'Cong ty B', employerCode: 'B' },
  EMPLOYER_NO_DEBT: { employerName: 'Cong ty B', employerCode: 'B' },
  RULE_DATA_PUBLISHED: { settlementYear: 2027, month: null, waitedFrom: '2027-01-15', waitedUntil: '2027-03-31' },
  NO_OTHER_RENEWAL_IN_PROGRESS: { holderApplicationId: 'HR-01J0000000000000000000000' },
  CARDS_UNCHANGED_SINCE_QUOTE: { membersChanged: 2, refundDue: true },
};

describe('the reason catalog', () => {
  it("cites the rules' own laws (the catalog's copy of their citations is the rules')", () => {
    expect(LUMP_SUM_LAW_CITATIONS).toEqual(LUMP_SUM_ELIGIBILITY_LAWS.map(({ id, instrument, cases }) => ({ id, instrument, cases })));
    expect(UNEMPLOYMENT_LAW_CITATIONS).toEqual(UNEMPLOYMENT_LAWS.map(({ id, instrument, eligibilityArticle }) => ({ id, instrument, eligibilityArticle })));
  });

  it('has a sample for every condition code (so the checks below cover the whole catalog)', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...CONDITION_CODES].sort());
  });

  it.each(CONDITION_CODES)('%s renders in Vietnamese (no English legal word) and English (no Vietnamese citation)', (code) => {
    const shown = renderReason({ code: 'NOT_ELIGIBLE', condition: { code, params: SAMPLES[code] } });
    expect(shown.message.vi.length).toBeGreaterThan(20);
    expect(shown.message.vi).not.toMatch(ENGLISH_IN_VI);
    expect(shown.message.en).not.toMatch(VIETNAMESE_CITATION);
    // (The letter đ of an article, "Art. 70(1)(đ)", is the law's own numbering.)
    expect(shown.message.en.replace(/\(đ\)/gu, '')).not.toMatch(/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/iu);
    expect(shown.condition).toEqual({ code, params: SAMPLES[code] });
  });

  it.each(REASON_CODES)('reason code %s renders alone in both languages', (code) => {
    const shown = renderReason({ code });
    expect(shown.code).toBe(code);
    expect(shown.message.vi).not.toMatch(ENGLISH_IN_VI);
    expect(shown.message.en).not.toMatch(VIETNAMESE_CITATION);
    expect(shown.message.vi).not.toContain(code);
  });

  it('a lump-sum rejection: the failed conditions with their figures, the Vietnamese citation in the Vietnamese', () => {
    const stored = {
      code: 'NOT_ELIGIBLE',
      condition: { code: 'MONTHS_WITHOUT_CONTRIBUTIONS' as const, params: SAMPLES.MONTHS_WITHOUT_CONTRIBUTIONS },
      additionalConditions: [{ code: 'BELOW_MAXIMUM_YEARS' as const, params: SAMPLES.BELOW_MAXIMUM_YEARS }],
    };
    expect(renderReason(stored)).toEqual({
      code: 'NOT_ELIGIBLE',
      message: {
        vi:
          'Không đủ điều kiện hưởng bảo hiểm xã hội một lần theo quy định: mới 5 tháng không đóng bảo hiểm xã hội kể từ tháng đóng cuối cùng 05/2026 ' +
          '(tính đến ngày 22/11/2026); cần đủ 12 tháng, đủ từ ngày 01/06/2027; đã có 257 tháng đóng, từ 20 năm trở lên ' +
          '(theo điểm đ khoản 1 Điều 70 Luật Bảo hiểm xã hội số 41/2024/QH15).',
        en:
          'The conditions for a lump-sum social-insurance withdrawal are not met: only 5 months without contributions since the last contribution month, ' +
          'May 2026 (as of 22 November 2026); 12 months are required, met from 1 June 2027; 257 months of contributions, 20 years or more ' +
          '(under Law 41/2024/QH15 Art. 70(1)(đ)).',
      },
      condition: stored.condition,
      additionalConditions: stored.additionalConditions,
    });
  });

  it('an engine error name is shown as WORKFLOW_ERROR with the system-error message, never the raw text', () => {
    for (const code of ['States.TaskFailed', 'Lambda.Unknown', 'Sandbox.Timedout', 'TypeError']) {
      const shown = renderReason({ code, vi: 'x', en: 'x', detail: '{"errorMessage":"boom"}' });
      expect(shown).toEqual({
        code: 'WORKFLOW_ERROR',
        message: {
          vi: 'Hệ thống gặp lỗi khi xử lý hồ sơ; vui lòng liên hệ cơ quan bảo hiểm xã hội',
          en: 'A system error stopped the application; please contact the social insurance office',
        },
      });
    }
  });

  it('reads reasons stored before this shape: the "vi / en" detail split, English citations named in Vietnamese', () => {
    const legacy = {
      code: 'NOT_ELIGIBLE',
      vi: 'Không đủ điều kiện hưởng bảo hiểm xã hội một lần theo quy định',
      en: 'The conditions for a lump-sum social-insurance withdrawal are not met',
      detail:
        'Không đủ điều kiện hưởng bảo hiểm xã hội một lần theo Law 41/2024/QH15 Art. 70(1)(đ): Mới 5 tháng không đóng. / ' +
        'Not eligible for the lump sum under Law 41/2024/QH15 Art. 70(1)(đ): Only 5 months.',
    };
    expect(renderReason(legacy)).toEqual({
      code: 'NOT_ELIGIBLE',
      message: {
        vi:
          'Không đủ điều kiện hưởng bảo hiểm xã hội một lần theo quy định: Không đủ điều kiện hưởng bảo hiểm xã hội một lần theo ' +
          'điểm đ khoản 1 Điều 70 Luật Bảo hiểm xã hội số 41/2024/QH15: Mới 5 tháng không đóng.',
        en:
          'The conditions for a lump-sum social-insurance withdrawal are not met: Not eligible for the lump sum under Law 41/2024/QH15 Art. 70(1)(đ): Only 5 months.',
      },
    });
    // An officer's text (no "vi / en" pair) stays the note.
    expect(renderReason({ code: 'NAME_MISMATCH', vi: 'Họ và tên', en: 'Full name', detail: 'Sai họ tên' })).toEqual({
      code: 'NAME_MISMATCH',
      message: { vi: 'Họ và tên', en: 'Full name' },
      note: 'Sai họ tên',
    });
    expect(vietnameseCitations('(≥ 12 tháng, Law on Employment 74/2025/QH15 Art. 38)')).toBe('(≥ 12 tháng, Điều 38 Luật Việc làm số 74/2025/QH15)');
  });

  it('the unemployment eligibility reason of a result: code, message and the months counted in the window', () => {
    const result = {
      law: { id: 'LAW_74_2025' },
      reasonCode: 'INSUFFICIENT_MONTHS_IN_WINDOW',
      reason: { vi: 'cũ (Law on Employment 74/2025/QH15 Art. 38)', en: 'old' },
      terminationDate: '2026-06-30',
      window: { months: 24, from: '2024-07', to: '2026-06' },
      monthsWithinWindow: 9,
      requiredMonths: 12,
    };
    expect(unemploymentResultReason(result)).toEqual({
      code: 'INSUFFICIENT_MONTHS_IN_WINDOW',
      message: {
        vi:
          'Không đủ điều kiện hưởng trợ cấp thất nghiệp về thời gian đóng bảo hiểm thất nghiệp: chỉ có 9 tháng đóng bảo hiểm thất nghiệp trong 24 tháng ' +
          'từ tháng 07/2024 đến tháng 06/2026 trước khi chấm dứt hợp đồng ngày 30/06/2026; cần từ đủ 12 tháng (theo Điều 38 Luật Việc làm số 74/2025/QH15).',
        en:
          'The unemployment-insurance contribution condition for the benefit is not met: only 9 months of unemployment-insurance contributions within the 24 months ' +
          'from July 2024 to June 2026 before the contract ended on 30 June 2026; 12 months are required (under Law on Employment 74/2025/QH15 Art. 38).',
      },
      condition: {
        code: 'UI_MONTHS_IN_WINDOW',
        params: { law: 'LAW_74_2025', monthsWithinWindow: 9, windowMonths: 24, windowFrom: '2024-07', windowTo: '2026-06', terminationDate: '2026-06-30', requiredMonths: 12 },
      },
    });
  });
});
