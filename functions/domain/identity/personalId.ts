/**
 * Personal identification number (số định danh cá nhân), 12 digits (domain.md §5; Decree 137/2015/NĐ-CP
 * Art. 13 as amended, Circular 59/2021/TT-BCA Art. 7):
 *   digits 1–3  province of birth registration (001 Hà Nội … 079 TP.HCM … 096 Cà Mau)
 *   digit  4    century and sex: 0/1 → 1900s male/female, 2/3 → 2000s, 4/5 → 2100s (6–9 for later centuries)
 *   digits 5–6  last two digits of the year of birth
 *   digits 7–12 sequence
 * The century/sex digit and the year digits can be checked against a declaration without calling the registry.
 */
import type { IdentityClaim, Sex } from '../types';
import { ValidationError } from '../../shared/errors';
import { isValidCalendarDate } from '../dates';

const PERSONAL_ID_PATTERN = /^[0-9]{12}$/;

/** First year of the century coded by digit 4 (pairs: even = male, odd = female). */
const CENTURY_START: Record<string, number> = { '0': 1900, '1': 1900, '2': 2000, '3': 2000, '4': 2100, '5': 2100 };

export interface DecodedPersonalId {
  birthRegistrationProvinceCode: string;
  sex: Sex;
  birthYear: number;
}

/** Exactly 12 ASCII digits. */
export function isPersonalIdFormat(id: string): boolean {
  return typeof id === 'string' && PERSONAL_ID_PATTERN.test(id);
}

/**
 * Decodes the province, sex and birth year. Throws RangeError when the format is wrong or digit 4 is not a
 * century code in use (6–9: births from 2200).
 */
export function decodePersonalId(id: string): DecodedPersonalId {
  if (!isPersonalIdFormat(id)) throw new RangeError('Not a 12-digit personal identification number');
  const centuryDigit = id[3];
  const centuryStart = CENTURY_START[centuryDigit];
  if (centuryStart === undefined) throw new RangeError(`Unsupported century/sex digit: ${centuryDigit}`);
  return {
    birthRegistrationProvinceCode: id.slice(0, 3),
    sex: Number(centuryDigit) % 2 === 0 ? 'MALE' : 'FEMALE',
    birthYear: centuryStart + Number(id.slice(4, 6)),
  };
}

/**
 * Offline pre-check of a declaration: the ID's year digits and century must give the declared year of birth
 * (→ ID_INCONSISTENT_WITH_DATE_OF_BIRTH, checked first; also when digit 4 is not a century in use), then
 * the sex digit must match the declared sex when one is declared (→ ID_INCONSISTENT_WITH_SEX).
 * A malformed ID or date of birth is bad input, not a review case: it throws ValidationError (400), which the
 * API schemas should already have prevented.
 */
export function precheckPersonalId(
  claim: IdentityClaim,
): 'ID_INCONSISTENT_WITH_DATE_OF_BIRTH' | 'ID_INCONSISTENT_WITH_SEX' | null {
  if (!isPersonalIdFormat(claim.personalId)) {
    throw new ValidationError(
      'Số định danh cá nhân phải gồm đúng 12 chữ số',
      'The personal identification number must be exactly 12 digits',
      undefined,
      'INVALID_PERSONAL_ID',
    );
  }
  if (!isValidCalendarDate(claim.dateOfBirth)) {
    throw new ValidationError('Ngày sinh không hợp lệ', 'Invalid date of birth', undefined, 'INVALID_DATE_OF_BIRTH');
  }
  let decoded: DecodedPersonalId;
  try {
    decoded = decodePersonalId(claim.personalId);
  } catch {
    return 'ID_INCONSISTENT_WITH_DATE_OF_BIRTH';
  }
  if (decoded.birthYear !== Number(claim.dateOfBirth.slice(0, 4))) return 'ID_INCONSISTENT_WITH_DATE_OF_BIRTH';
  if (claim.sex !== undefined && claim.sex !== decoded.sex) return 'ID_INCONSISTENT_WITH_SEX';
  return null;
}
