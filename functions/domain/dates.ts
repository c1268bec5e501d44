/**
 * Calendar-date helpers for 'YYYY-MM-DD' dates (Asia/Ho_Chi_Minh calendar dates, as the domain uses them).
 *
 * A calendar date has no time zone: all arithmetic here runs on UTC midnights (Date.UTC / getUTC*), never on
 * local time, so the result does not depend on the machine's TZ or on daylight-saving rules.
 */

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

interface Ymd {
  year: number;
  month: number; // 1–12
  day: number; // 1–31
}

/** True when `s` is a real calendar date written 'YYYY-MM-DD' (e.g. '2026-02-30' is not). */
export function isValidCalendarDate(s: string): boolean {
  const m = typeof s === 'string' ? DATE_PATTERN.exec(s) : null;
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function parse(date: string): Ymd {
  if (!isValidCalendarDate(date)) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

function format({ year, month, day }: Ymd): string {
  if (year < 0 || year > 9999) throw new RangeError(`Year out of range: ${year}`);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function toEpochDay({ year, month, day }: Ymd): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

function fromEpochDay(epochDay: number): Ymd {
  const d = new Date(epochDay * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Number of days in a month (month 1–12), leap years included. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `date` plus `days` calendar days (negative to go back). */
export function addDays(date: string, days: number): string {
  if (!Number.isInteger(days)) throw new RangeError(`days must be an integer: ${days}`);
  return format(fromEpochDay(toEpochDay(parse(date)) + days));
}

/**
 * `date` plus `months` calendar months, month-end safe: when the target month is shorter, the day is clamped
 * to its last day ('2026-01-31' + 1 month = '2026-02-28'; '2024-01-31' + 1 month = '2024-02-29').
 */
export function addMonths(date: string, months: number): string {
  if (!Number.isInteger(months)) throw new RangeError(`months must be an integer: ${months}`);
  const { year, month, day } = parse(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  return format({ year: targetYear, month: targetMonth, day: Math.min(day, daysInMonth(targetYear, targetMonth)) });
}

/** -1 when a is before b, 0 when equal, 1 when after. Both must be valid calendar dates. */
export function compareDates(a: string, b: string): -1 | 0 | 1 {
  const da = toEpochDay(parse(a));
  const db = toEpochDay(parse(b));
  return da < db ? -1 : da > db ? 1 : 0;
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return toEpochDay(parse(to)) - toEpochDay(parse(from));
}

export function minDate(a: string, b: string): string {
  return compareDates(a, b) <= 0 ? a : b;
}

export function maxDate(a: string, b: string): string {
  return compareDates(a, b) >= 0 ? a : b;
}

/** 31 December of the date's year: the end of the fiscal year (năm tài chính = calendar year in Vietnam). */
export function endOfYear(date: string): string {
  return `${date.slice(0, 4)}-12-31`;
}

/**
 * Age in whole years on `date` (tuổi tròn). The birthday counts from the day itself; someone born on 29 February
 * reaches a new age on 1 March in non-leap years. Throws when `date` is before `dateOfBirth`.
 */
export function ageOn(dateOfBirth: string, date: string): number {
  const b = parse(dateOfBirth);
  const d = parse(date);
  if (compareDates(date, dateOfBirth) < 0) throw new RangeError(`${date} is before the date of birth ${dateOfBirth}`);
  const beforeBirthday = d.month < b.month || (d.month === b.month && d.day < b.day);
  return d.year - b.year - (beforeBirthday ? 1 : 0);
}

/**
 * The entry of a dated table in force on `date`: the one with the latest `effectiveFrom` ≤ date.
 * Throws when `date` is before every entry (the table does not cover it).
 */
export function effectiveOn<T extends { effectiveFrom: string }>(table: readonly T[], date: string, what: string): T {
  let found: T | undefined;
  for (const entry of table) {
    if (compareDates(entry.effectiveFrom, date) <= 0 && (!found || compareDates(entry.effectiveFrom, found.effectiveFrom) > 0)) {
      found = entry;
    }
  }
  if (!found) throw new RangeError(`No ${what} in force on ${date}`);
  return found;
}

/** The earliest `effectiveFrom` strictly after `date` in a dated table, or null. */
export function nextEffectiveDateAfter(table: readonly { effectiveFrom: string }[], date: string): string | null {
  let next: string | null = null;
  for (const entry of table) {
    if (compareDates(entry.effectiveFrom, date) > 0 && (next === null || compareDates(entry.effectiveFrom, next) < 0)) {
      next = entry.effectiveFrom;
    }
  }
  return next;
}

/**
 * Last day (inclusive) of a period of `months` calendar months starting on `start` (inclusive): the day before
 * `start + months`, e.g. 2026-02-01 + 1 month → 2026-02-28, 2026-03-01 + 1 month → 2026-03-31.
 * Month-end safe: when the final month has no day matching start's day, the period ends on that month's last
 * day (2026-01-31 + 1 month → 2026-02-28; 2026-01-30 + 1 month → 2026-02-28), so consecutive periods
 * (next start = previous end + 1 day) never overlap and never leave a gap.
 */
export function lastDayOfMonthsPeriod(start: string, months: number): string {
  if (!Number.isInteger(months) || months < 1) throw new RangeError(`months must be a positive integer: ${months}`);
  const end = addMonths(start, months);
  const clamped = Number(end.slice(8, 10)) < Number(start.slice(8, 10));
  return clamped ? end : addDays(end, -1);
}
