import { describe, expect, it } from 'vitest';
import {
  NoBillableMembersError,
  monthlyContribution,
  priceHousehold,
  quoteValidThrough,
} from '../../../functions/domain/household/householdContribution';
import { classifyHousehold } from '../../../functions/domain/household/coverage';
import { AppError } from '../../../functions/shared/errors';
import type { MemberWithCard } from '../../../functions/domain/types';
import { DAUGHTER, FATHER, GRANDMOTHER, MOTHER, SON, card, member, withCard } from '../fixtures';

function workedExample(paymentDate = '2026-07-01') {
  const members: MemberWithCard[] = [
    withCard(FATHER, card(FATHER.personalId, 'EMPLOYEE', '2026-01-01', '2026-12-31')),
    withCard(MOTHER, card(MOTHER.personalId, 'HOUSEHOLD', '2025-07-15', '2026-07-14')),
    withCard(GRANDMOTHER, card(GRANDMOTHER.personalId, 'HOUSEHOLD', '2025-07-15', '2026-07-14')),
    withCard(SON, card(SON.personalId, 'HOUSEHOLD', '2025-07-15', '2026-07-14')),
    withCard(DAUGHTER, card(DAUGHTER.personalId, 'HOUSEHOLD', '2025-07-15', '2026-07-14')),
  ];
  const classification = classifyHousehold(members, paymentDate);
  return { ...classification, periodMonths: 12, paymentDate, headPersonalId: FATHER.personalId };
}

describe('monthlyContribution', () => {
  it('per-month ladder at 2,530,000', () => {
    expect([100, 70, 60, 50, 40].map((s) => monthlyContribution(2_530_000, 450, s))).toEqual([113_850, 79_695, 68_310, 56_925, 45_540]);
  });

  it('per-month ladder at 2,340,000', () => {
    expect([100, 70, 60, 50, 40].map((s) => monthlyContribution(2_340_000, 450, s))).toEqual([105_300, 73_710, 63_180, 52_650, 42_120]);
  });

  it('rounds half up to whole đồng only at the monthly amount', () => {
    // 1,000,011 × 4.5 % = 45,000.495 → 45,000 ; 1,000,012 × 4.5 % = 45,000.54 → 45,001
    expect(monthlyContribution(1_000_011, 450, 100)).toBe(45_000);
    expect(monthlyContribution(1_000_012, 450, 100)).toBe(45_001);
    // exactly half: 1,000 × 4.5 % × 70 % = 31.5 → 32
    expect(monthlyContribution(1_000, 450, 70)).toBe(32);
    // with 30 % support: 113,850 × 70 % = 79,695
    expect(monthlyContribution(2_530_000, 450, 100, 3_000)).toBe(79_695);
  });
});

describe('priceHousehold', () => {
  it('worked example (domain.md §2): 3,825,360 đồng, father excluded as insured at work', () => {
    const quote = priceHousehold(workedExample());
    expect(quote.baseSalary).toBe(2_530_000);
    expect(quote.periodMonths).toBe(12);
    expect(quote.paymentDate).toBe('2026-07-01');
    expect(quote.members.map((m) => [m.personalId, m.ladderPosition, m.sharePercent, m.monthlyAmount, m.periodAmount])).toEqual([
      [MOTHER.personalId, 1, 100, 113_850, 1_366_200],
      [GRANDMOTHER.personalId, 2, 70, 79_695, 956_340],
      [SON.personalId, 3, 60, 68_310, 819_720],
      [DAUGHTER.personalId, 4, 50, 56_925, 683_100],
    ]);
    expect(quote.total).toBe(3_825_360);
    expect(quote.excluded).toHaveLength(1);
    expect(quote.excluded[0]).toMatchObject({ personalId: FATHER.personalId, reason: 'COVERED_BY_EMPLOYER' });
    // continuous renewal: cards follow on from 2026-07-15
    expect(quote.members[0]).toMatchObject({
      fullName: 'Trần Thị Bình',
      relationToHead: 'VO',
      dateOfBirth: '1987-05-20',
      cardValidFrom: '2026-07-15',
      cardExpiresOn: '2027-07-14',
    });
    expect(quote.validThrough).toBe('2026-12-31');
    expect(quote.legalBasis).toEqual([
      { parameter: 'BASE_SALARY', value: '2530000', instrument: 'Decree 161/2026/NĐ-CP', effectiveFrom: '2026-07-01' },
      { parameter: 'HOUSEHOLD_RATE', value: '4.5%', instrument: 'Decree 188/2025/NĐ-CP Art. 6(5)', effectiveFrom: '2025-08-15' },
      { parameter: 'HOUSEHOLD_DISCOUNT_LADDER', value: '100%/70%/60%/50%/40%', instrument: 'Decree 188/2025/NĐ-CP Art. 6(5)', effectiveFrom: '2025-08-15' },
      {
        parameter: 'PAYMENT_PERIOD',
        value: '12 months',
        instrument: 'Decree 146/2018/NĐ-CP; Decision 595/QĐ-BHXH (household payment method)',
        effectiveFrom: '2018-12-01',
      },
      {
        parameter: 'CARD_VALIDITY',
        value: 'continuous: day after expiry; within 3 months of expiry: payment date; otherwise payment date + 30 days',
        instrument: 'Law on Health Insurance Art. 16(3), as amended by Law 51/2024/QH15',
        effectiveFrom: '2025-07-01',
      },
    ]);
  });

  it('the head comes first when billable, then the others in the given order', () => {
    const quote = priceHousehold({
      billable: [withCard(SON), withCard(MOTHER), withCard(FATHER)],
      excluded: [],
      periodMonths: 12,
      paymentDate: '2026-07-01',
      headPersonalId: FATHER.personalId,
    });
    expect(quote.members.map((m) => [m.personalId, m.sharePercent])).toEqual([
      [FATHER.personalId, 100],
      [SON.personalId, 70],
      [MOTHER.personalId, 60],
    ]);
  });

  it('one member: 113,850 × 12', () => {
    const quote = priceHousehold({ billable: [withCard(MOTHER)], excluded: [], periodMonths: 12, paymentDate: '2026-07-01', headPersonalId: MOTHER.personalId });
    expect(quote.members).toHaveLength(1);
    expect(quote.total).toBe(1_366_200);
    // first enrolment: valid 30 days after payment
    expect(quote.members[0]).toMatchObject({ cardValidFrom: '2026-07-31', cardExpiresOn: '2027-07-30' });
  });

  it('six members: 5th and 6th at 40 %', () => {
    const extra1 = member('079190000006', 'Phạm Thị Giang', '1990-04-04', 'CON_DAU');
    const extra2 = member('079092000007', 'Phạm Văn Hải', '1992-08-08', 'CON_RE');
    const quote = priceHousehold({
      billable: [FATHER, MOTHER, GRANDMOTHER, SON, extra1, extra2].map((m) => withCard(m)),
      excluded: [],
      periodMonths: 12,
      paymentDate: '2026-07-01',
      headPersonalId: FATHER.personalId,
    });
    expect(quote.members.map((m) => m.sharePercent)).toEqual([100, 70, 60, 50, 40, 40]);
    expect(quote.members.map((m) => m.monthlyAmount)).toEqual([113_850, 79_695, 68_310, 56_925, 45_540, 45_540]);
    expect(quote.total).toBe((113_850 + 79_695 + 68_310 + 56_925 + 45_540 + 45_540) * 12);
    expect(quote.total).toBe(4_918_320);
  });

  it('periods 3 and 6', () => {
    const base = { billable: [withCard(MOTHER), withCard(GRANDMOTHER)], excluded: [], paymentDate: '2026-07-01', headPersonalId: FATHER.personalId };
    const q3 = priceHousehold({ ...base, periodMonths: 3 });
    expect(q3.periodMonths).toBe(3);
    expect(q3.members.map((m) => m.periodAmount)).toEqual([341_550, 239_085]);
    expect(q3.total).toBe(580_635);
    expect(q3.members[0]).toMatchObject({ cardValidFrom: '2026-07-31', cardExpiresOn: '2026-10-30' });
    const q6 = priceHousehold({ ...base, periodMonths: 6 });
    expect(q6.members.map((m) => m.periodAmount)).toEqual([683_100, 478_170]);
    expect(q6.total).toBe(1_161_270);
  });

  it('rejects a period that is not allowed', () => {
    const input = { billable: [withCard(MOTHER)], excluded: [], paymentDate: '2026-07-01', headPersonalId: MOTHER.personalId };
    expect(() => priceHousehold({ ...input, periodMonths: 1 })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', httpStatus: 400 }));
    expect(() => priceHousehold({ ...input, periodMonths: 12, paymentDate: '2026-13-01' })).toThrow(expect.objectContaining({ httpStatus: 400 }));
  });

  it('payment on 2026-06-30 uses 2,340,000 and is valid through 2026-06-30; on 2026-07-01, 2,530,000', () => {
    const before = priceHousehold(workedExample('2026-06-30'));
    expect(before.baseSalary).toBe(2_340_000);
    expect(before.members.map((m) => m.monthlyAmount)).toEqual([105_300, 73_710, 63_180, 52_650]);
    expect(before.total).toBe((105_300 + 73_710 + 63_180 + 52_650) * 12);
    expect(before.total).toBe(3_538_080);
    expect(before.validThrough).toBe('2026-06-30');
    expect(before.legalBasis[0]).toEqual({ parameter: 'BASE_SALARY', value: '2340000', instrument: 'Decree 73/2024/NĐ-CP', effectiveFrom: '2024-07-01' });

    const after = priceHousehold(workedExample('2026-07-01'));
    expect(after.baseSalary).toBe(2_530_000);
    expect(after.total).toBe(3_825_360);
  });

  it('validThrough: day before the next change, at the latest the end of the fiscal year', () => {
    expect(quoteValidThrough('2026-05-10')).toBe('2026-06-30');
    expect(quoteValidThrough('2025-08-01')).toBe('2025-08-14'); // Decree 188/2025 takes over on 2025-08-15
    expect(quoteValidThrough('2026-07-01')).toBe('2026-12-31');
    expect(quoteValidThrough('2026-12-31')).toBe('2026-12-31');
  });

  it('throws NoBillableMembers (name matched by Step Functions) when nobody is billable', () => {
    const input = { billable: [], excluded: [], periodMonths: 12, paymentDate: '2026-07-01', headPersonalId: FATHER.personalId };
    let error: unknown;
    try {
      priceHousehold(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NoBillableMembersError);
    expect(error).toBeInstanceOf(AppError);
    const e = error as NoBillableMembersError;
    expect(e.name).toBe('NoBillableMembers');
    expect(e.code).toBe('NO_BILLABLE_MEMBERS');
    expect(e.httpStatus).toBe(422);
    expect(e.toBody().message.vi).toMatch(/^Không có thành viên nào phải đóng BHYT theo hộ gia đình/);
    expect(e.toBody().message.en).toMatch(/^No member needs to be billed/);
  });

  it('provincial support for the HOUSEHOLD group reduces each amount; other groups and future entries do not', () => {
    const support = [
      { group: 'HOUSEHOLD', percent: 30, instrument: 'Resolution 99/2026/NQ-HĐND (test)', effectiveFrom: '2026-01-01' },
      { group: 'NEAR_POOR', percent: 30, instrument: 'Resolution 56/2025/NQ-HĐND', effectiveFrom: '2025-01-01' },
      { group: 'HOUSEHOLD', percent: 10, instrument: 'Resolution 100/2026/NQ-HĐND (test)', effectiveFrom: '2026-10-01' },
    ];
    const quote = priceHousehold({
      billable: [withCard(MOTHER), withCard(GRANDMOTHER)],
      excluded: [],
      periodMonths: 12,
      paymentDate: '2026-07-01',
      headPersonalId: FATHER.personalId,
      provincialSupport: support,
    });
    // 113,850 × 70 % = 79,695 ; 79,695 × 70 % = 55,786.5 → 55,787 (half up)
    expect(quote.members.map((m) => m.monthlyAmount)).toEqual([79_695, 55_787]);
    expect(quote.total).toBe((79_695 + 55_787) * 12);
    expect(quote.legalBasis.at(-1)).toEqual({ parameter: 'PROVINCIAL_SUPPORT', value: '30%', instrument: 'Resolution 99/2026/NQ-HĐND (test)', effectiveFrom: '2026-01-01' });
    expect(quote.validThrough).toBe('2026-09-30');
  });
});
