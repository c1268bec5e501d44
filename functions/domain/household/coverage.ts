/**
 * Who in a household is billed by the household renewal (domain.md §2).
 *
 * Only members of the household group are counted and billed. A member is excluded when, on the as-of date,
 * (1) they hold a card in force in another coverage group (employee, pensioner, State budget, State-supported,
 * near-poor), or (2) they are a child under 6: the State budget pays for them by law
 * (HI Law Art. 12, groups paid by the State budget), even when no card is on record yet.
 * Rule (1) is checked first, so a child under 6 with a State-budget card reads COVERED_BY_STATE_BUDGET.
 * HOUSEHOLD cards, expired cards of any group, and no card at all → billable.
 */
import type {
  CoverageGroup,
  ExcludedMember,
  ExclusionReason,
  HealthInsuranceCard,
  HouseholdClassification,
  MemberWithCard,
  RegistryHouseholdMember,
} from '../types';
import { ageOn, compareDates } from '../dates';

/** Age (whole years) below which the State budget pays (trẻ em dưới 6 tuổi). */
export const STATE_PAID_CHILD_AGE_LIMIT = 6;

export type MemberCoverage =
  | { billable: true }
  | { billable: false; reason: ExclusionReason; reasonText: { vi: string; en: string } };

const GROUP_EXCLUSION: Record<Exclude<CoverageGroup, 'HOUSEHOLD'>, ExclusionReason> = {
  EMPLOYEE: 'COVERED_BY_EMPLOYER',
  PENSIONER: 'COVERED_AS_PENSIONER',
  STATE_BUDGET: 'COVERED_BY_STATE_BUDGET',
  STATE_SUPPORTED: 'COVERED_WITH_STATE_SUPPORT',
  NEAR_POOR: 'COVERED_AS_NEAR_POOR',
};

const REASON_TEXT: Record<ExclusionReason, { vi: string; en: string }> = {
  COVERED_BY_EMPLOYER: {
    vi: 'Đã có thẻ BHYT do người lao động và người sử dụng lao động đóng',
    en: 'Already insured through employment (paid by the employee and the employer)',
  },
  COVERED_AS_PENSIONER: {
    vi: 'Đã có thẻ BHYT do tổ chức bảo hiểm xã hội đóng (hưởng lương hưu, trợ cấp)',
    en: 'Already insured as a pensioner or benefit recipient (paid by social insurance)',
  },
  COVERED_BY_STATE_BUDGET: {
    vi: 'Đã có thẻ BHYT do ngân sách nhà nước đóng',
    en: 'Already insured by the State budget',
  },
  COVERED_WITH_STATE_SUPPORT: {
    vi: 'Đã có thẻ BHYT thuộc nhóm được ngân sách nhà nước hỗ trợ mức đóng (học sinh, sinh viên)',
    en: 'Already insured in a State-supported group (pupils, students)',
  },
  COVERED_AS_NEAR_POOR: {
    vi: 'Đã có thẻ BHYT theo diện hộ cận nghèo',
    en: 'Already insured as a member of a near-poor household',
  },
  CHILD_UNDER_6: {
    vi: 'Trẻ em dưới 6 tuổi được ngân sách nhà nước đóng BHYT',
    en: 'Children under 6 are insured by the State budget',
  },
};

export function exclusionReasonText(reason: ExclusionReason): { vi: string; en: string } {
  return REASON_TEXT[reason];
}

/** validFrom ≤ date ≤ expiresOn (both ends inclusive). */
export function isCardInForce(card: HealthInsuranceCard, date: string): boolean {
  return compareDates(card.validFrom, date) <= 0 && compareDates(date, card.expiresOn) <= 0;
}

export function classifyMember(
  member: RegistryHouseholdMember,
  card: HealthInsuranceCard | null,
  asOfDate: string,
): MemberCoverage {
  if (card && card.personalId !== member.personalId) {
    throw new Error('classifyMember: the card belongs to another person');
  }
  if (card && card.coverageGroup !== 'HOUSEHOLD' && isCardInForce(card, asOfDate)) {
    return excluded(GROUP_EXCLUSION[card.coverageGroup]);
  }
  if (ageOn(member.dateOfBirth, asOfDate) < STATE_PAID_CHILD_AGE_LIMIT) return excluded('CHILD_UNDER_6');
  return { billable: true };
}

/** Splits the members into billable and excluded, each keeping the given order. */
export function classifyHousehold(members: MemberWithCard[], asOfDate: string): HouseholdClassification {
  const result: HouseholdClassification = { billable: [], excluded: [] };
  for (const entry of members) {
    const coverage = classifyMember(entry.member, entry.card, asOfDate);
    if (coverage.billable) {
      result.billable.push(entry);
    } else {
      const { personalId, fullName, dateOfBirth, relationToHead } = entry.member;
      const row: ExcludedMember = { personalId, fullName, dateOfBirth, relationToHead, reason: coverage.reason, reasonText: coverage.reasonText };
      result.excluded.push(row);
    }
  }
  return result;
}

function excluded(reason: ExclusionReason): MemberCoverage {
  return { billable: false, reason, reasonText: { ...REASON_TEXT[reason] } };
}
