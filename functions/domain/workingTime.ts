/**
 * Working time of a provincial office (thời gian làm việc): review targets and deadlines count working hours,
 * not calendar hours. A working day is Monday–Friday (Quyết định số 188/1999/QĐ-TTg: 40 hours a week, Saturday
 * and Sunday off) that is not a public holiday, plus a Saturday worked in exchange for a swapped day; its hours
 * are the office's periods (by default 07:30–11:30 and 13:00–17:00, 8 hours). Times are instants (ISO strings);
 * days and periods are Asia/Ho_Chi_Minh local time, which is UTC+7 all year (no daylight saving), so the
 * arithmetic is exact and independent of the machine's time zone.
 *
 * Pure: no AWS, no clock. The holiday data is functions/domain/rules/publicHolidays.ts.
 */
import { addDays } from './dates';
import { PUBLIC_HOLIDAYS, publicHolidayYear, type PublicHolidayYear } from './rules/publicHolidays';

const VIETNAM_OFFSET_MS = 7 * 3_600_000;
const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
/** Working time never looks further than this many calendar days ahead (a bound, not a rule). */
const MAX_CALENDAR_DAYS = 400;

export interface WorkingPeriod {
  /** Local time 'HH:MM' (Asia/Ho_Chi_Minh). */
  from: string;
  to: string;
}

export interface WorkingSchedule {
  periods: readonly WorkingPeriod[];
  holidays?: Readonly<Record<number, PublicHolidayYear>>;
}

export const DEFAULT_WORKING_PERIODS: readonly WorkingPeriod[] = [
  { from: '07:30', to: '11:30' },
  { from: '13:00', to: '17:00' },
];

export const DEFAULT_SCHEDULE: WorkingSchedule = { periods: DEFAULT_WORKING_PERIODS };

function minutesOf(hhmm: string): number {
  const m = HHMM.exec(hhmm);
  if (!m) throw new RangeError(`Not a local time HH:MM: ${JSON.stringify(hhmm)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Periods as minute ranges, validated: non-empty, increasing, not overlapping. */
function periodMinutes(schedule: WorkingSchedule): [number, number][] {
  const out = schedule.periods.map((p): [number, number] => [minutesOf(p.from), minutesOf(p.to)]);
  if (out.length === 0) throw new RangeError('A working schedule needs at least one period');
  out.forEach(([from, to], i) => {
    if (!(to > from)) throw new RangeError(`Working period ${schedule.periods[i].from}–${schedule.periods[i].to} is empty`);
    if (i > 0 && from < out[i - 1][1]) throw new RangeError('Working periods overlap or are not in order');
  });
  return out;
}

/** The Asia/Ho_Chi_Minh calendar date of an instant. */
export function vietnamDateOf(instantMs: number): string {
  return new Date(instantMs + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant of local time `minutes` after midnight of a Vietnamese calendar date. */
function instantOf(date: string, minutes: number): number {
  return Date.parse(`${date}T00:00:00Z`) - VIETNAM_OFFSET_MS + minutes * 60_000;
}

/** Is this Vietnamese calendar date a working day? Throws PublicHolidayDataMissingError for a year without data. */
export function isWorkingDay(date: string, holidays: Readonly<Record<number, PublicHolidayYear>> = PUBLIC_HOLIDAYS): boolean {
  const year = publicHolidayYear(Number(date.slice(0, 4)), holidays);
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday
  if (weekday === 6 && year.workingSaturdays.includes(date)) return true;
  if (weekday === 0 || weekday === 6) return false;
  return !year.days.some((d) => d.date === date);
}

/** Working intervals [start, end) in epoch ms on the given date (none on a day off). */
function intervalsOn(date: string, periods: [number, number][], holidays?: Readonly<Record<number, PublicHolidayYear>>): [number, number][] {
  if (!isWorkingDay(date, holidays)) return [];
  return periods.map(([from, to]) => [instantOf(date, from), instantOf(date, to)]);
}

function parseInstant(iso: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new RangeError(`Not an instant: ${JSON.stringify(iso)}`);
  return ms;
}

/**
 * The instant at which `hours` of working time have passed after `start` (ISO). Starting outside working time,
 * the count begins at the next working period; the result is the exact instant inside a period (or its end).
 */
export function addWorkingHours(start: string, hours: number, schedule: WorkingSchedule = DEFAULT_SCHEDULE): string {
  if (!(hours >= 0) || !Number.isFinite(hours)) throw new RangeError(`Working hours must be ≥ 0: ${hours}`);
  const periods = periodMinutes(schedule);
  const startMs = parseInstant(start);
  let remaining = Math.round(hours * 3_600_000);
  let date = vietnamDateOf(startMs);
  for (let i = 0; i < MAX_CALENDAR_DAYS; i++, date = addDays(date, 1)) {
    for (const [from, to] of intervalsOn(date, periods, schedule.holidays)) {
      const begin = Math.max(from, startMs);
      if (begin >= to) continue;
      if (remaining <= to - begin) return new Date(begin + remaining).toISOString();
      remaining -= to - begin;
    }
  }
  throw new RangeError(`${hours} working hours do not fit in ${MAX_CALENDAR_DAYS} calendar days`);
}

/** Working time between two instants, in ms (0 when `to` is not after `from`). */
export function workingMsBetween(from: string, to: string, schedule: WorkingSchedule = DEFAULT_SCHEDULE): number {
  const periods = periodMinutes(schedule);
  const fromMs = parseInstant(from);
  const toMs = parseInstant(to);
  if (toMs <= fromMs) return 0;
  const lastDate = vietnamDateOf(toMs);
  let total = 0;
  let date = vietnamDateOf(fromMs);
  for (let i = 0; i < MAX_CALENDAR_DAYS + 1; i++, date = addDays(date, 1)) {
    for (const [begin, end] of intervalsOn(date, periods, schedule.holidays)) {
      total += Math.max(0, Math.min(end, toMs) - Math.max(begin, fromMs));
    }
    if (date === lastDate) return total;
  }
  throw new RangeError(`The interval ${from} – ${to} is longer than ${MAX_CALENDAR_DAYS} calendar days`);
}

/** Working hours of a full working day under the schedule (8 by default). */
export function hoursPerWorkingDay(schedule: WorkingSchedule = DEFAULT_SCHEDULE): number {
  return periodMinutes(schedule).reduce((sum, [from, to]) => sum + (to - from), 0) / 60;
}
