/**
 * Comparing Vietnamese full names. Registry and declarations differ in Unicode form more often than in
 * substance: composed (NFC) vs decomposed (NFD) diacritics, letter case, doubled or non-breaking spaces.
 */

/** NFC, Vietnamese lower case, trimmed, every run of whitespace (incl. NBSP, tabs, newlines) → one space. */
export function normalizeName(s: string): string {
  return s.normalize('NFC').toLocaleLowerCase('vi').normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/** Same name once normalized (the comparison the identity check uses). */
export function namesMatch(a: string, b: string): boolean {
  return normalizeName(a) === normalizeName(b);
}

/** Normalized name without diacritics: tone and vowel marks removed, đ → d ("Nguyễn Đức" → "nguyen duc"). */
export function stripDiacritics(s: string): string {
  return normalizeName(s).normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').normalize('NFC');
}

/**
 * Same letters once diacritics are ignored. True for names that already match; the console shows
 * "differs only in diacritics" when this is true and namesMatch is false.
 */
export function sameLettersIgnoringDiacritics(a: string, b: string): boolean {
  return stripDiacritics(a) === stripDiacritics(b);
}
