/** Comparing a declared identity with the population registry's record (CSDLQG về dân cư). */
import type { IdentityClaim, IdentityFieldComparison, RegistryPerson } from '../types';
import { namesMatch, sameLettersIgnoringDiacritics } from './names';

/**
 * First mismatch, in this order: name (normalized: NFC, case, whitespace), date of birth (exact), sex (only
 * when declared). null when the declaration agrees with the registry. The personal IDs are assumed equal
 * (the person was looked up by it).
 */
export function compareWithRegistry(
  claim: IdentityClaim,
  person: RegistryPerson,
): 'NAME_MISMATCH' | 'DATE_OF_BIRTH_MISMATCH' | 'SEX_MISMATCH' | null {
  if (!namesMatch(claim.fullName, person.fullName)) return 'NAME_MISMATCH';
  if (claim.dateOfBirth !== person.dateOfBirth) return 'DATE_OF_BIRTH_MISMATCH';
  if (claim.sex !== undefined && claim.sex !== person.sex) return 'SEX_MISMATCH';
  return null;
}

/**
 * Side-by-side rows for the staff console: personalId, fullName, dateOfBirth, sex (always these four, in this
 * order). With no registry record every row has registry null and matches false.
 * Name notes: DIFFERS_ONLY_BY_NORMALIZATION when the raw strings differ but match once normalized (matches
 * true); DIFFERS_ONLY_BY_DIACRITICS when they do not match but have the same letters (matches false).
 */
export function fieldComparison(claim: IdentityClaim, person: RegistryPerson | null): IdentityFieldComparison[] {
  const rows: IdentityFieldComparison[] = [
    exactRow('personalId', claim.personalId, person?.personalId ?? null),
    nameRow(claim.fullName, person?.fullName ?? null),
    exactRow('dateOfBirth', claim.dateOfBirth, person?.dateOfBirth ?? null),
  ];
  const sexRow = exactRow('sex', claim.sex ?? null, person?.sex ?? null);
  if (claim.sex === undefined && person) sexRow.matches = true; // not declared: nothing to contradict
  rows.push(sexRow);
  return rows;
}

function exactRow(field: IdentityFieldComparison['field'], submitted: string | null, registry: string | null): IdentityFieldComparison {
  return { field, submitted, registry, matches: registry !== null && submitted === registry };
}

function nameRow(submitted: string, registry: string | null): IdentityFieldComparison {
  const row: IdentityFieldComparison = { field: 'fullName', submitted, registry, matches: false };
  if (registry === null) return row;
  if (namesMatch(submitted, registry)) {
    row.matches = true;
    if (submitted !== registry) row.note = 'DIFFERS_ONLY_BY_NORMALIZATION';
  } else if (sameLettersIgnoringDiacritics(submitted, registry)) {
    row.note = 'DIFFERS_ONLY_BY_DIACRITICS';
  }
  return row;
}
