import { describe, expect, it } from 'vitest';
import { checkHousehold, householdReasonCode } from '../../../functions/domain/identity/householdCheck';
import type { RegistryHousehold, RegistryHouseholdMember } from '../../../functions/domain/types';
import { FATHER, HOUSEHOLD_ADDRESS, MOTHER, SON, member } from '../fixtures';

const OTHER = { code: 'ADDR-01-777', text: '5 Tràng Tiền, Hà Nội' };
const AS_OF = '2026-07-01';

function household(members: RegistryHouseholdMember[]): RegistryHousehold {
  return { householdId: 'HH-1', headPersonalId: FATHER.personalId, address: HOUSEHOLD_ADDRESS, members };
}

describe('checkHousehold', () => {
  it('no problems when everyone shares the address and is linked', () => {
    expect(checkHousehold(household([FATHER, MOTHER, SON]), AS_OF)).toEqual({ reasonCode: null, problems: [] });
  });

  it('a temporary address at the household counts', () => {
    const lodger = { ...MOTHER, permanentAddress: OTHER, temporaryAddress: HOUSEHOLD_ADDRESS };
    expect(checkHousehold(household([FATHER, lodger]), AS_OF).reasonCode).toBeNull();
  });

  it('ADDRESS_MISMATCH when a member shares neither address (or has none)', () => {
    const away = { ...MOTHER, permanentAddress: OTHER, temporaryAddress: undefined };
    expect(checkHousehold(household([FATHER, away]), AS_OF)).toEqual({
      reasonCode: 'ADDRESS_MISMATCH',
      problems: [{ personalId: MOTHER.personalId, problem: 'ADDRESS_MISMATCH' }],
    });
    const noAddress = { ...SON, permanentAddress: undefined };
    expect(checkHousehold(household([FATHER, noAddress]), AS_OF).reasonCode).toBe('ADDRESS_MISMATCH');
  });

  it('CHILD_UNDER_6_UNREGISTERED for an unlinked child under 6 (no address on record is not a mismatch)', () => {
    const baby = member('079224000011', 'Nguyễn Văn Bi', '2024-02-10', 'CON', { identityLinked: false, permanentAddress: undefined });
    expect(checkHousehold(household([FATHER, MOTHER, baby]), AS_OF)).toEqual({
      reasonCode: 'CHILD_UNDER_6_UNREGISTERED',
      problems: [{ personalId: baby.personalId, problem: 'CHILD_UNDER_6_UNREGISTERED' }],
    });
    // age is taken on asOfDate: 6th birthday 2030-02-10
    expect(checkHousehold(household([baby]), '2030-02-09').reasonCode).toBe('CHILD_UNDER_6_UNREGISTERED');
    expect(checkHousehold(household([baby]), '2030-02-10').reasonCode).toBe('PERSON_NOT_FOUND');
  });

  it('an unlinked member aged 6 or more → PERSON_NOT_FOUND', () => {
    const adult = { ...MOTHER, identityLinked: false };
    expect(checkHousehold(household([FATHER, adult]), AS_OF)).toEqual({
      reasonCode: 'PERSON_NOT_FOUND',
      problems: [{ personalId: MOTHER.personalId, problem: 'PERSON_NOT_FOUND' }],
    });
  });

  it('ADDRESS_MISMATCH takes precedence; every problem is listed', () => {
    const baby = member('079224000011', 'Nguyễn Văn Bi', '2024-02-10', 'CON', { identityLinked: false });
    const away = { ...MOTHER, permanentAddress: OTHER };
    const result = checkHousehold(household([FATHER, baby, away]), AS_OF);
    expect(result.reasonCode).toBe('ADDRESS_MISMATCH');
    expect(result.problems).toEqual([
      { personalId: baby.personalId, problem: 'CHILD_UNDER_6_UNREGISTERED' },
      { personalId: MOTHER.personalId, problem: 'ADDRESS_MISMATCH' },
    ]);
    // after staff accept the address problem, the next one surfaces
    expect(householdReasonCode(result.problems.filter((p) => p.problem !== 'ADDRESS_MISMATCH'))).toBe('CHILD_UNDER_6_UNREGISTERED');
  });
});
