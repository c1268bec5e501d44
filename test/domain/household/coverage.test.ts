import { describe, expect, it } from 'vitest';
import { classifyHousehold, classifyMember, isCardInForce } from '../../../functions/domain/household/coverage';
import type { CoverageGroup, ExclusionReason } from '../../../functions/domain/types';
import { DAUGHTER, FATHER, GRANDMOTHER, MOTHER, SON, card, member, withCard } from '../fixtures';

const AS_OF = '2026-07-01';

describe('classifyMember', () => {
  const groups: [CoverageGroup, ExclusionReason, string][] = [
    ['EMPLOYEE', 'COVERED_BY_EMPLOYER', 'Đã có thẻ BHYT do người lao động và người sử dụng lao động đóng'],
    ['PENSIONER', 'COVERED_AS_PENSIONER', 'Đã có thẻ BHYT do tổ chức bảo hiểm xã hội đóng (hưởng lương hưu, trợ cấp)'],
    ['STATE_BUDGET', 'COVERED_BY_STATE_BUDGET', 'Đã có thẻ BHYT do ngân sách nhà nước đóng'],
    ['STATE_SUPPORTED', 'COVERED_WITH_STATE_SUPPORT', 'Đã có thẻ BHYT thuộc nhóm được ngân sách nhà nước hỗ trợ mức đóng (học sinh, sinh viên)'],
    ['NEAR_POOR', 'COVERED_AS_NEAR_POOR', 'Đã có thẻ BHYT theo diện hộ cận nghèo'],
  ];

  it.each(groups)('a card in force in group %s excludes with %s', (group, reason, vi) => {
    const result = classifyMember(FATHER, card(FATHER.personalId, group, '2026-01-01', '2026-12-31'), AS_OF);
    expect(result).toMatchObject({ billable: false, reason, reasonText: { vi } });
    if (!result.billable) expect(result.reasonText.en.length).toBeGreaterThan(10);
  });

  it('card in force inclusive at both ends', () => {
    const c = card(FATHER.personalId, 'EMPLOYEE', '2026-07-01', '2026-07-01');
    expect(isCardInForce(c, '2026-07-01')).toBe(true);
    expect(isCardInForce(c, '2026-06-30')).toBe(false);
    expect(isCardInForce(c, '2026-07-02')).toBe(false);
    expect(classifyMember(FATHER, c, '2026-07-01').billable).toBe(false);
  });

  it('expired card of any group, a card not yet valid, a HOUSEHOLD card, or no card → billable', () => {
    expect(classifyMember(FATHER, card(FATHER.personalId, 'EMPLOYEE', '2025-01-01', '2026-06-30'), AS_OF)).toEqual({ billable: true });
    expect(classifyMember(FATHER, card(FATHER.personalId, 'NEAR_POOR', '2026-07-02', '2026-12-31'), AS_OF)).toEqual({ billable: true });
    expect(classifyMember(FATHER, card(FATHER.personalId, 'HOUSEHOLD', '2026-01-01', '2026-12-31'), AS_OF)).toEqual({ billable: true });
    expect(classifyMember(FATHER, null, AS_OF)).toEqual({ billable: true });
  });

  it('a child under 6 is excluded even with no card; turning 6 makes them billable', () => {
    const child = member('079220000009', 'Nguyễn Văn Tí', '2020-07-02', 'CON');
    expect(classifyMember(child, null, AS_OF)).toEqual({
      billable: false,
      reason: 'CHILD_UNDER_6',
      reasonText: { vi: 'Trẻ em dưới 6 tuổi được ngân sách nhà nước đóng BHYT', en: 'Children under 6 are insured by the State budget' },
    });
    expect(classifyMember(child, null, '2026-07-02')).toEqual({ billable: true });
    // With a household card on record too (State budget pays by law).
    expect(classifyMember(child, card(child.personalId, 'HOUSEHOLD', '2026-01-01', '2026-12-31'), AS_OF)).toMatchObject({ reason: 'CHILD_UNDER_6' });
    // A State-budget card in force reads as such.
    expect(classifyMember(child, card(child.personalId, 'STATE_BUDGET', '2020-07-02', '2026-09-30'), AS_OF)).toMatchObject({
      reason: 'COVERED_BY_STATE_BUDGET',
    });
  });

  it('refuses a card of another person', () => {
    expect(() => classifyMember(FATHER, card(MOTHER.personalId, 'EMPLOYEE', '2026-01-01', '2026-12-31'), AS_OF)).toThrow();
  });
});

describe('classifyHousehold', () => {
  it('splits the worked example, keeping order', () => {
    const employerCard = card(FATHER.personalId, 'EMPLOYEE', '2026-01-01', '2026-12-31');
    const result = classifyHousehold(
      [withCard(FATHER, employerCard), withCard(MOTHER), withCard(GRANDMOTHER), withCard(SON), withCard(DAUGHTER)],
      AS_OF,
    );
    expect(result.billable.map((m) => m.member.personalId)).toEqual([MOTHER, GRANDMOTHER, SON, DAUGHTER].map((m) => m.personalId));
    expect(result.excluded).toEqual([
      {
        personalId: FATHER.personalId,
        fullName: 'Nguyễn Văn An',
        dateOfBirth: '1985-03-12',
        relationToHead: 'CHU_HO',
        reason: 'COVERED_BY_EMPLOYER',
        reasonText: {
          vi: 'Đã có thẻ BHYT do người lao động và người sử dụng lao động đóng',
          en: 'Already insured through employment (paid by the employee and the employer)',
        },
      },
    ]);
  });

  it('everyone excluded → no billable members', () => {
    const baby = member('079324000010', 'Nguyễn Thị Bé', '2024-03-03', 'CON');
    const result = classifyHousehold([withCard(FATHER, card(FATHER.personalId, 'PENSIONER', '2020-01-01', '2030-12-31')), withCard(baby)], AS_OF);
    expect(result.billable).toEqual([]);
    expect(result.excluded.map((e) => e.reason)).toEqual(['COVERED_AS_PENSIONER', 'CHILD_UNDER_6']);
  });
});
