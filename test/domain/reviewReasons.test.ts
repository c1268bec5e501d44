import { describe, expect, it } from 'vitest';
import { outcomeReasonLabel, reviewReasonLabel } from '../../functions/domain/reviewReasons';
import type { ReviewReasonCode } from '../../functions/domain/types';

const ALL: ReviewReasonCode[] = [
  'HEAD_OF_HOUSEHOLD_NOT_FOUND',
  'PERSON_NOT_FOUND',
  'NAME_MISMATCH',
  'DATE_OF_BIRTH_MISMATCH',
  'SEX_MISMATCH',
  'ID_INCONSISTENT_WITH_DATE_OF_BIRTH',
  'ID_INCONSISTENT_WITH_SEX',
  'ADDRESS_MISMATCH',
  'CHILD_UNDER_6_UNREGISTERED',
  'HOUSEHOLD_NOT_FOUND',
  'REGISTRY_UNAVAILABLE',
];

describe('review reason labels', () => {
  it('every code has distinct Vietnamese and English labels', () => {
    const labels = ALL.map(reviewReasonLabel);
    for (const l of labels) {
      expect(l.vi.length).toBeGreaterThan(10);
      expect(l.en.length).toBeGreaterThan(10);
    }
    expect(new Set(labels.map((l) => l.en)).size).toBe(ALL.length);
  });

  it('uses the field wording', () => {
    expect(reviewReasonLabel('HEAD_OF_HOUSEHOLD_NOT_FOUND').vi).toBe('Không tồn tại thông tin chủ hộ trong cơ sở dữ liệu quốc gia về dân cư');
    expect(reviewReasonLabel('ADDRESS_MISMATCH').vi).toBe('Các thành viên kê khai không cùng địa chỉ thường trú hoặc tạm trú');
    expect(reviewReasonLabel('PERSON_NOT_FOUND').vi).toBe('Số định danh không tồn tại trong cơ sở dữ liệu quốc gia về dân cư');
    expect(reviewReasonLabel('CHILD_UNDER_6_UNREGISTERED').vi).toMatch(/^Số định danh không tồn tại trong cơ sở dữ liệu quốc gia về dân cư \(trẻ em dưới 6 tuổi/);
  });

  it('unknown code throws', () => {
    expect(() => reviewReasonLabel('NOPE' as ReviewReasonCode)).toThrow(RangeError);
  });
});

describe('outcome reason labels', () => {
  it('workflow codes', () => {
    for (const code of ['REVIEW_DEADLINE_PASSED', 'PAYMENT_NOT_RECEIVED', 'NO_BILLABLE_MEMBERS', 'REJECTED_BY_REVIEWER', 'WORKFLOW_ERROR', 'ALREADY_SETTLED']) {
      const l = outcomeReasonLabel(code);
      expect(l.vi).not.toContain(code);
      expect(l.en).not.toContain(code);
    }
    expect(outcomeReasonLabel('PAYMENT_NOT_RECEIVED')).toEqual({
      vi: 'Không nhận được tiền đóng trong thời hạn thanh toán',
      en: 'Payment was not received before the payment deadline',
    });
  });

  it('the lump sum\'s RULE_DATA_UNAVAILABLE is one of them (not a label of its own in the service)', () => {
    expect(outcomeReasonLabel('RULE_DATA_UNAVAILABLE')).toEqual({
      vi: 'Chưa có dữ liệu quy định cần để tính mức hưởng bảo hiểm xã hội một lần',
      en: 'The legal data needed to compute the lump sum has not been published yet',
    });
    // a copy: a caller changing its label cannot change the list
    outcomeReasonLabel('RULE_DATA_UNAVAILABLE').en = 'changed';
    expect(outcomeReasonLabel('RULE_DATA_UNAVAILABLE').en).toBe('The legal data needed to compute the lump sum has not been published yet');
  });

  it('every workflow and business-stop code has its own distinct labels', () => {
    const codes = [
      'REVIEW_DEADLINE_PASSED', 'PAYMENT_NOT_RECEIVED', 'NO_BILLABLE_MEMBERS', 'REJECTED_BY_REVIEWER', 'WORKFLOW_ERROR',
      'ALREADY_SETTLED', 'NOT_ELIGIBLE', 'EMPLOYER_NOT_CLOSED', 'EMPLOYER_OWES_CONTRIBUTIONS', 'RULE_DATA_UNAVAILABLE',
    ];
    const labels = codes.map(outcomeReasonLabel);
    for (const [i, l] of labels.entries()) {
      expect(l.en, codes[i]).not.toMatch(/reason code/);
      expect(l.vi, codes[i]).not.toMatch(/mã lý do/);
    }
    expect(new Set(labels.map((l) => l.vi)).size).toBe(codes.length);
    expect(new Set(labels.map((l) => l.en)).size).toBe(codes.length);
  });

  it('review codes and a generic fallback', () => {
    expect(outcomeReasonLabel('REGISTRY_UNAVAILABLE')).toEqual(reviewReasonLabel('REGISTRY_UNAVAILABLE'));
    expect(outcomeReasonLabel('SOMETHING_NEW')).toEqual({
      vi: 'Hồ sơ đã kết thúc (mã lý do: SOMETHING_NEW)',
      en: 'The application has ended (reason code: SOMETHING_NEW)',
    });
    expect(outcomeReasonLabel('toString').en).toContain('toString');
  });
});
