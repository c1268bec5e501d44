/**
 * Pre-check of a household as the registry returns it (members include the head).
 *
 * - ADDRESS_MISMATCH: a member shares neither a permanent (thường trú) nor a temporary (tạm trú) address code
 *   with the household's address — the declared people are not one household (Residence Law 2020).
 *   A member whose identity is not linked and who has no address on record is not an address problem (the
 *   registry simply has no residence data for them yet); any address on record that differs is.
 * - PERSON_NOT_FOUND: a member aged 6 or more whose identity is not linked (identityLinked false): their ID is
 *   not in the population database, the same field failure as for a single person ("Số định danh không tồn
 *   tại …"), and no card can be issued on an unverified ID. (Decision: reuses PERSON_NOT_FOUND, no new code.)
 * - CHILD_UNDER_6_UNREGISTERED: a member under 6 on asOfDate whose identity is not linked (frequent: birth
 *   registration not yet linked). Such a child is excluded from the bill anyway (State budget).
 *
 * Every problem is listed; reasonCode is the first present in HOUSEHOLD_PROBLEM_PRECEDENCE:
 * ADDRESS_MISMATCH (the household itself is in doubt, so the ladder is too) > PERSON_NOT_FOUND (an adult who
 * would be billed cannot be verified) > CHILD_UNDER_6_UNREGISTERED (benign for the bill).
 * After a staff approval the caller can drop the accepted code's problems and call householdReasonCode again.
 */
import type { HouseholdMemberProblem, HouseholdProblemCode, RegistryHousehold, RegistryHouseholdMember } from '../types';
import { ageOn } from '../dates';
import { STATE_PAID_CHILD_AGE_LIMIT } from '../household/coverage';

export const HOUSEHOLD_PROBLEM_PRECEDENCE: readonly HouseholdProblemCode[] = [
  'ADDRESS_MISMATCH',
  'PERSON_NOT_FOUND',
  'CHILD_UNDER_6_UNREGISTERED',
];

export interface HouseholdCheck {
  reasonCode: HouseholdProblemCode | null;
  problems: HouseholdMemberProblem[];
}

export function checkHousehold(household: RegistryHousehold, asOfDate: string): HouseholdCheck {
  const problems: HouseholdMemberProblem[] = [];
  for (const member of household.members) {
    if (!sharesAddress(member, household.address.code)) problems.push({ personalId: member.personalId, problem: 'ADDRESS_MISMATCH' });
    if (member.identityLinked === false) {
      const underSix = ageOn(member.dateOfBirth, asOfDate) < STATE_PAID_CHILD_AGE_LIMIT;
      problems.push({ personalId: member.personalId, problem: underSix ? 'CHILD_UNDER_6_UNREGISTERED' : 'PERSON_NOT_FOUND' });
    }
  }
  return { reasonCode: householdReasonCode(problems), problems };
}

/** The reason code to review first for a list of problems (null when there are none). */
export function householdReasonCode(problems: readonly HouseholdMemberProblem[]): HouseholdProblemCode | null {
  return HOUSEHOLD_PROBLEM_PRECEDENCE.find((code) => problems.some((p) => p.problem === code)) ?? null;
}

function sharesAddress(member: RegistryHouseholdMember, addressCode: string): boolean {
  const codes = [member.permanentAddress?.code, member.temporaryAddress?.code].filter((c): c is string => c !== undefined);
  if (codes.length === 0 && member.identityLinked === false) return true; // no residence data yet: not evidence
  return codes.includes(addressCode);
}
