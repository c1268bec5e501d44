/**
 * Small pure helpers shared by the lump-sum and unemployment rules: calendar months ('YYYY-MM'), dates
 * ('YYYY-MM-DD', calendar arithmetic in UTC), contribution periods collapsed to distinct months, exact
 * fractions (bigint) for money, and the error types these rules throw.
 *
 * Kept here (not in functions/domain/dates.ts) on purpose: that file is owned by another module.
 */
import { AppError, ValidationError } from '../../shared/errors';
import type { LegalBasis } from '../types';
import type { Region } from '../rules/regionalMinimumWage';

// ---------------------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------------------

/** Malformed input (bad date, from > to, negative salary, …): a 400 for the API. */
export function invalidInput(en: string, vi: string, details?: unknown): ValidationError {
  return new ValidationError(vi, en, details);
}

/**
 * The legal data does not cover the case (e.g. no coefficient table for the settlement year, an application
 * date before the first law on record). Never answered with a guess: a 422 for the API.
 */
export class RuleDataUnavailableError extends AppError {
  constructor(messageVi: string, messageEn: string, details?: unknown) {
    super('RULE_DATA_UNAVAILABLE', 422, messageVi, messageEn, details);
    this.name = 'RuleDataUnavailable';
  }
}

// ---------------------------------------------------------------------------------------------------------
// Legal basis as answered
// ---------------------------------------------------------------------------------------------------------

/**
 * LegalBasis (functions/domain/types.ts) plus a note on how the parameter is applied. It is part of public answers:
 * no provenance marker ("verify", a source still to be checked) — those stay in the rule data and the code
 * comments where the parameter is defined.
 */
export interface CitedLegalBasis extends LegalBasis {
  note?: string;
}

export interface Bilingual {
  vi: string;
  en: string;
}

// ---------------------------------------------------------------------------------------------------------
// Dates and months
// ---------------------------------------------------------------------------------------------------------

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Validates a 'YYYY-MM-DD' calendar date (UTC calendar: 2025-02-29 is rejected). Returns it unchanged. */
export function assertIsoDate(date: string, field = 'date'): string {
  const m = typeof date === 'string' ? DATE_RE.exec(date) : null;
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    const t = new Date(Date.UTC(y, mo - 1, d));
    if (t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d) return date;
  }
  throw invalidInput(`${field}: invalid date ${JSON.stringify(date)} (expected YYYY-MM-DD)`, `${field}: ngày không hợp lệ`);
}

/**
 * Month index = year × 12 + (month − 1): consecutive months have consecutive indexes, so month arithmetic is
 * integer arithmetic.
 */
export function monthIndex(yearMonth: string, field = 'month'): number {
  const m = typeof yearMonth === 'string' ? MONTH_RE.exec(yearMonth) : null;
  if (!m) {
    throw invalidInput(
      `${field}: invalid month ${JSON.stringify(yearMonth)} (expected YYYY-MM)`,
      `${field}: tháng không hợp lệ`,
    );
  }
  return Number(m[1]) * 12 + (Number(m[2]) - 1);
}

export function yearMonthOf(index: number): string {
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

export function yearOfIndex(index: number): number {
  return Math.floor(index / 12);
}

/** Month index of a 'YYYY-MM-DD' date. */
export function monthIndexOfDate(date: string, field = 'date'): number {
  assertIsoDate(date, field);
  return monthIndex(date.slice(0, 7), field);
}

/** 'YYYY-MM-01' of a month index. */
export function firstDayOfMonth(index: number): string {
  return `${yearMonthOf(index)}-01`;
}

/** "20 năm 3 tháng" / "20 years 3 months" (0 parts left out; 0 months → "0 tháng" / "0 months"). */
export function formatMonths(months: number): Bilingual {
  const years = Math.floor(months / 12);
  const rest = months % 12;
  const vi: string[] = [];
  const en: string[] = [];
  if (years > 0) {
    vi.push(`${years} năm`);
    en.push(`${years} ${years === 1 ? 'year' : 'years'}`);
  }
  if (rest > 0 || years === 0) {
    vi.push(`${rest} tháng`);
    en.push(`${rest} ${rest === 1 ? 'month' : 'months'}`);
  }
  return { vi: vi.join(' '), en: en.join(' ') };
}

// ---------------------------------------------------------------------------------------------------------
// Contribution periods
// ---------------------------------------------------------------------------------------------------------

export type Scheme = 'SI' | 'UI' | 'HI';

/** One line of a contribution record (quá trình đóng): one employer, one salary, a range of months. */
export interface ContributionPeriod {
  employer: string;
  employerCode: string;
  /** First month, 'YYYY-MM', inclusive. */
  from: string;
  /** Last month, 'YYYY-MM', inclusive. */
  to: string;
  /** Monthly salary (or, for voluntary periods, chosen monthly income) the contributions were based on, đồng. */
  monthlySalary: number;
  /** SI = social insurance (retirement/survivor fund), UI = unemployment, HI = health. */
  schemes: readonly Scheme[];
  region: Region;
}

/** A period of the social-insurance record as the lump-sum rules read it (voluntary periods included). */
export interface SiContributionPeriod extends Omit<ContributionPeriod, 'region'> {
  /** Not meaningful for voluntary periods. */
  region?: Region;
  /** BHXH tự nguyện (voluntary social insurance). */
  voluntary?: boolean;
  /** Total State support (đồng) paid towards this period's voluntary contributions (not per month). */
  stateSupportAmount?: number;
}

type AnyPeriod = Omit<ContributionPeriod, 'region'> & { region?: Region; voluntary?: boolean; stateSupportAmount?: number };

/** Validates the shape of every period; throws ValidationError on the first problem. */
export function validatePeriods(periods: readonly AnyPeriod[], requireRegion: boolean): void {
  if (!Array.isArray(periods)) throw invalidInput('periods must be an array', 'periods phải là một danh sách');
  periods.forEach((p, i) => {
    const at = `periods[${i}]`;
    const from = monthIndex(p.from, `${at}.from`);
    const to = monthIndex(p.to, `${at}.to`);
    if (from > to) {
      throw invalidInput(`${at}: from ${p.from} is after to ${p.to}`, `${at}: tháng bắt đầu ${p.from} sau tháng kết thúc ${p.to}`);
    }
    if (!Number.isSafeInteger(p.monthlySalary) || p.monthlySalary < 0) {
      throw invalidInput(`${at}.monthlySalary must be a non-negative integer (đồng)`, `${at}.monthlySalary phải là số nguyên không âm (đồng)`);
    }
    if (!Array.isArray(p.schemes) || p.schemes.some((s: string) => s !== 'SI' && s !== 'UI' && s !== 'HI')) {
      throw invalidInput(`${at}.schemes must list SI, UI or HI`, `${at}.schemes chỉ gồm SI, UI, HI`);
    }
    if (requireRegion && !['I', 'II', 'III', 'IV'].includes(p.region as string)) {
      throw invalidInput(`${at}.region must be I, II, III or IV`, `${at}.region phải là I, II, III hoặc IV`);
    }
    if (p.stateSupportAmount !== undefined && (!Number.isSafeInteger(p.stateSupportAmount) || p.stateSupportAmount < 0)) {
      throw invalidInput(`${at}.stateSupportAmount must be a non-negative integer (đồng)`, `${at}.stateSupportAmount phải là số nguyên không âm (đồng)`);
    }
  });
}

/** One distinct contribution month and the period chosen to represent it. */
export interface ContributionMonth<P> {
  index: number;
  month: string;
  period: P;
  /** Position of the period in the input array. */
  periodIndex: number;
}

export interface CollapsedMonths<P> {
  /** Ascending by month, one entry per distinct month. */
  months: ContributionMonth<P>[];
  /** Number of distinct months covered by more than one period (counted once in `months`). */
  overlappingMonths: number;
}

/**
 * Distinct months covered by the periods that pass `include`. A month covered by several periods counts once;
 * the period representing it (its salary) is the first by `rank` (ascending), then input order.
 */
export function collapseMonths<P extends { from: string; to: string }>(
  periods: readonly P[],
  include: (p: P) => boolean,
  rank: (p: P) => number = () => 0,
): CollapsedMonths<P> {
  const byMonth = new Map<number, { period: P; periodIndex: number; count: number }>();
  periods.forEach((period, periodIndex) => {
    if (!include(period)) return;
    const from = monthIndex(period.from);
    const to = monthIndex(period.to);
    for (let i = from; i <= to; i++) {
      const current = byMonth.get(i);
      if (!current) {
        byMonth.set(i, { period, periodIndex, count: 1 });
        continue;
      }
      current.count++;
      if (rank(period) < rank(current.period)) {
        current.period = period;
        current.periodIndex = periodIndex;
      }
    }
  });
  const months = [...byMonth.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([index, v]) => ({ index, month: yearMonthOf(index), period: v.period, periodIndex: v.periodIndex }));
  let overlappingMonths = 0;
  for (const v of byMonth.values()) if (v.count > 1) overlappingMonths++;
  return { months, overlappingMonths };
}

/** Maximal runs of consecutive months, as 'YYYY-MM' ranges. */
export function monthRanges(indexes: readonly number[]): { from: string; to: string; months: number }[] {
  const out: { from: string; to: string; months: number }[] = [];
  let start: number | null = null;
  let prev = 0;
  for (const i of indexes) {
    if (start !== null && i === prev + 1) {
      prev = i;
      continue;
    }
    if (start !== null) out.push({ from: yearMonthOf(start), to: yearMonthOf(prev), months: prev - start + 1 });
    start = i;
    prev = i;
  }
  if (start !== null) out.push({ from: yearMonthOf(start), to: yearMonthOf(prev), months: prev - start + 1 });
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Exact fractions
// ---------------------------------------------------------------------------------------------------------

/** numerator / denominator, reduced, denominator > 0. */
export interface Fraction {
  numerator: bigint;
  denominator: bigint;
}

/** JSON-safe view of a Fraction (bigint does not serialise). */
export interface FractionView {
  numerator: string;
  denominator: string;
  /** Decimal with thousands commas, e.g. '7,838,437.5'; non-terminating values show 4 decimals and '…'. */
  display: string;
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function frac(numerator: bigint | number, denominator: bigint | number = 1n): Fraction {
  let n = BigInt(numerator);
  let d = BigInt(denominator);
  if (d === 0n) throw new RangeError('zero denominator');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d) || 1n;
  return { numerator: n / g, denominator: d / g };
}

export function fracAdd(a: Fraction, b: Fraction): Fraction {
  return frac(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator);
}

export function fracSub(a: Fraction, b: Fraction): Fraction {
  return frac(a.numerator * b.denominator - b.numerator * a.denominator, a.denominator * b.denominator);
}

export function fracMul(a: Fraction, b: Fraction): Fraction {
  return frac(a.numerator * b.numerator, a.denominator * b.denominator);
}

export function fracCompare(a: Fraction, b: Fraction): -1 | 0 | 1 {
  const l = a.numerator * b.denominator;
  const r = b.numerator * a.denominator;
  return l < r ? -1 : l > r ? 1 : 0;
}

export function fracMin(a: Fraction, b: Fraction): Fraction {
  return fracCompare(a, b) <= 0 ? a : b;
}

/** Round half up (towards +∞ at .5) to an integer. The only rounding primitive these rules use. */
export function roundHalfUp(f: Fraction): bigint {
  // floor(f + 1/2) = floor((2n + d) / 2d)
  const n = 2n * f.numerator + f.denominator;
  const d = 2n * f.denominator;
  const q = n / d;
  return n % d !== 0n && n < 0n ? q - 1n : q;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function fracView(f: Fraction): FractionView {
  const negative = f.numerator < 0n;
  const n = negative ? -f.numerator : f.numerator;
  const whole = n / f.denominator;
  let rest = n % f.denominator;
  let decimals = '';
  let terminated = rest === 0n;
  for (let i = 0; i < 12 && rest !== 0n; i++) {
    rest *= 10n;
    decimals += String(rest / f.denominator);
    rest %= f.denominator;
    terminated = rest === 0n;
  }
  if (!terminated) decimals = `${decimals.slice(0, 4)}…`;
  const display = `${negative ? '-' : ''}${groupThousands(String(whole))}${decimals ? `.${decimals}` : ''}`;
  return { numerator: String(f.numerator), denominator: String(f.denominator), display };
}

/** A Fraction known to be an integer number of đồng, as a JS number (throws if not an integer or too large). */
export function toSafeNumber(v: bigint): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new RangeError(`${v} is outside the safe integer range`);
  return n;
}
