/**
 * Review-queue search (tìm kiếm yêu cầu xem xét), the pure part: what a query `q` asks for, and the search keys an
 * item is found by. No AWS, no secrets: the personal ID's keyed hash is made by the caller (reviewQueue/reviewSearch.ts).
 *
 * A query is one of
 *   REVIEW_ITEM_ID   "RV-…"                      the item itself (case-insensitive)
 *   APPLICATION_ID   "HR-…", "LS-…", "UI-…"      every item of that application
 *   PERSONAL_ID      12 digits                   exact: looked up by its keyed hash, never in clear
 *   NAME             letters                     diacritics-insensitive; every word of the query must be the start
 *                                                of a word of the name ("nguyen an" finds "Nguyễn Văn An")
 * Anything else is a 400 with a stable code: too short, too long, a partial personal ID, no usable word.
 */
import { ValidationError } from '../shared/errors';

export const SEARCH_QUERY_MIN = 2;
export const SEARCH_QUERY_MAX = 100;
/** Words of a name that become search keys (a name has rarely more than 6). */
export const MAX_NAME_TOKENS = 8;
/** The shortest query word looked up in the index (shorter ones only narrow what the others found). */
export const MIN_LOOKUP_TOKEN = 2;

export type SearchQuery =
  | { kind: 'REVIEW_ITEM_ID'; itemId: string }
  | { kind: 'APPLICATION_ID'; applicationId: string }
  | { kind: 'PERSONAL_ID'; personalId: string }
  | { kind: 'NAME'; tokens: string[] };

export type SearchKind = SearchQuery['kind'];

const REVIEW_ITEM_ID = /^RV-[0-9A-Z]{26}$/;
const APPLICATION_ID = /^(HR|LS|UI)-[0-9A-Z]{10,40}$/;
const DIGITS = /^\d+$/;

/**
 * A name as search words: Unicode NFD, combining marks removed, đ/Đ → d, lower-case, split on anything that is
 * not a letter or a digit. "Nguyễn  Văn-An" → ["nguyen", "van", "an"].
 */
export function nameTokens(name: string): string[] {
  const folded = name
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase();
  return folded.split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0);
}

/** The distinct words of a name that are stored as keys (first MAX_NAME_TOKENS). */
export function nameSearchTokens(names: (string | null | undefined)[]): string[] {
  const out = new Set<string>();
  for (const name of names) {
    if (typeof name !== 'string') continue;
    for (const token of nameTokens(name)) out.add(token);
  }
  return [...out].slice(0, MAX_NAME_TOKENS);
}

/** True when every query word starts a word of the name (the check of a name search's candidates). */
export function nameMatches(queryTokens: string[], candidateNames: (string | null | undefined)[]): boolean {
  const words = nameSearchTokens(candidateNames);
  return queryTokens.every((q) => words.some((w) => w.startsWith(q)));
}

function invalid(code: string, vi: string, en: string): ValidationError {
  return new ValidationError(vi, en, undefined, code);
}

/** Reads `q` (as typed) into a search, or throws a 400 ValidationError with a stable code. */
export function parseSearchQuery(raw: string): SearchQuery {
  const q = raw.normalize('NFC').replace(/\s+/gu, ' ').trim();
  if (q.length < SEARCH_QUERY_MIN) {
    throw invalid(
      'SEARCH_QUERY_TOO_SHORT',
      `Từ khóa tìm kiếm phải có ít nhất ${SEARCH_QUERY_MIN} ký tự`,
      `The search query must have at least ${SEARCH_QUERY_MIN} characters`,
    );
  }
  if (q.length > SEARCH_QUERY_MAX) {
    throw invalid(
      'SEARCH_QUERY_TOO_LONG',
      `Từ khóa tìm kiếm dài tối đa ${SEARCH_QUERY_MAX} ký tự`,
      `The search query has at most ${SEARCH_QUERY_MAX} characters`,
    );
  }
  const upper = q.toUpperCase();
  if (REVIEW_ITEM_ID.test(upper)) return { kind: 'REVIEW_ITEM_ID', itemId: upper };
  if (APPLICATION_ID.test(upper)) return { kind: 'APPLICATION_ID', applicationId: upper };
  const compact = q.replace(/[\s.-]/g, '');
  if (DIGITS.test(compact)) {
    if (compact.length === 12) return { kind: 'PERSONAL_ID', personalId: compact };
    throw invalid(
      'SEARCH_PERSONAL_ID_INCOMPLETE',
      'Tìm theo số định danh cá nhân cần nhập đủ 12 chữ số',
      'A search by personal ID needs all 12 digits',
    );
  }
  const tokens = [...new Set(nameTokens(q))].slice(0, MAX_NAME_TOKENS);
  if (!tokens.some((t) => t.length >= MIN_LOOKUP_TOKEN)) {
    throw invalid(
      'SEARCH_QUERY_TOO_SHORT',
      `Cần ít nhất một từ có từ ${MIN_LOOKUP_TOKEN} chữ cái trở lên`,
      `The query needs at least one word of ${MIN_LOOKUP_TOKEN} or more letters`,
    );
  }
  return { kind: 'NAME', tokens };
}
