import type { CoverageGroup, HealthInsuranceCard, MemberWithCard, RegistryHouseholdMember, Sex } from '../../functions/domain/types';

export const HOUSEHOLD_ADDRESS = { code: 'ADDR-79-001', text: '12 Lê Lợi, Phường Bến Thành, TP. Hồ Chí Minh' };

export function member(
  personalId: string,
  fullName: string,
  dateOfBirth: string,
  relationToHead: string,
  extra: Partial<RegistryHouseholdMember> = {},
): RegistryHouseholdMember {
  const sex: Sex = Number(personalId[3]) % 2 === 0 ? 'MALE' : 'FEMALE';
  return {
    personalId,
    fullName,
    dateOfBirth,
    sex,
    permanentAddress: HOUSEHOLD_ADDRESS,
    householdId: 'HH-1',
    relationToHead,
    identityLinked: true,
    ...extra,
  };
}

export function card(personalId: string, coverageGroup: CoverageGroup, validFrom: string, expiresOn: string): HealthInsuranceCard {
  return { personalId, socialInsuranceNumber: `79${personalId.slice(-8)}`, coverageGroup, validFrom, expiresOn };
}

/** The worked example's household (domain.md §2): father insured at work, mother, grandmother, two children. */
export const FATHER = member('079085000001', 'Nguyễn Văn An', '1985-03-12', 'CHU_HO');
export const MOTHER = member('079187000002', 'Trần Thị Bình', '1987-05-20', 'VO');
export const GRANDMOTHER = member('079155000003', 'Lê Thị Cúc', '1955-11-02', 'ME');
export const SON = member('079212000004', 'Nguyễn Văn Dũng', '2012-09-01', 'CON');
export const DAUGHTER = member('079314000005', 'Nguyễn Thị Én', '2014-01-15', 'CON');

export function withCard(m: RegistryHouseholdMember, c: HealthInsuranceCard | null = null): MemberWithCard {
  return { member: m, card: c };
}
