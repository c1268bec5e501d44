/**
 * The review window of an item (thời hạn xét duyệt), counted in the province's working time (workingTime.ts):
 *   target   ("Hạn xử lý")          opened + escalateAfterHours working hours: overdue and escalated from then on
 *   deadline ("Hết hạn xét duyệt")  opened + reviewDeadlineHours working hours: the workflow's wait times out then
 * The workflow's waitForTaskToken timeout is the deadline minus now (TimeoutSecondsPath), so the wait ends when the
 * item's deadline passes, not 120 calendar hours later in the middle of Tết.
 *
 * Bases:
 *   WORKING_TIME          working hours of the province, public holidays per year (rules/publicHolidays.ts)
 *   CALENDAR_DAYS         a year on the way has no holiday data: fail safe, never crash — the hours are turned into
 *                         working days (hours ÷ hours per working day) and counted as calendar days, and the item
 *                         says so (missingHolidayYear)
 *   STACK_TIMEOUT         the stack runs a shorter review timeout than the province's deadline (tests, a trial
 *                         stack): that timeout, in calendar time, with the target at the same share of it
 *
 * Pure: no AWS, no clock (the instant is passed in).
 */
import { addWorkingHours, hoursPerWorkingDay, workingMsBetween, type WorkingSchedule } from './workingTime';
import { PublicHolidayDataMissingError } from './rules/publicHolidays';

export type ReviewWindowBasis = 'WORKING_TIME' | 'CALENDAR_DAYS' | 'STACK_TIMEOUT';

export interface ReviewWindowRules {
  reviewDeadlineHours: number;
  escalateAfterHours: number;
  schedule: WorkingSchedule;
}

export interface ReviewWindow {
  basis: ReviewWindowBasis;
  openedAt: string;
  targetAt: string;
  dueAt: string;
  /** The workflow's wait: whole seconds from openedAt to dueAt (rounded up, at least 1). */
  timeoutSeconds: number;
  /** Working hours of the window (null for STACK_TIMEOUT). */
  deadlineWorkingHours: number | null;
  targetWorkingHours: number | null;
  /** CALENDAR_DAYS: the first year without public-holiday data. */
  missingHolidayYear: number | null;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * The window of an item opened at `openedAt`. `stackTimeoutSeconds`: the review timeout the stack was deployed with
 * (REVIEW_TIMEOUT_SECONDS, nominally reviewDeadlineHours × 3600); shorter than nominal → STACK_TIMEOUT.
 */
export function planReviewWindow(openedAt: string, rules: ReviewWindowRules, stackTimeoutSeconds?: number | null): ReviewWindow {
  const opened = Date.parse(openedAt);
  if (!Number.isFinite(opened)) throw new RangeError(`Not an instant: ${JSON.stringify(openedAt)}`);
  const timeoutOf = (dueAt: string) => Math.max(1, Math.ceil((Date.parse(dueAt) - opened) / 1000));
  const nominalSeconds = rules.reviewDeadlineHours * 3600;
  if (stackTimeoutSeconds && stackTimeoutSeconds > 0 && stackTimeoutSeconds < nominalSeconds) {
    const share = Math.min(1, rules.escalateAfterHours / rules.reviewDeadlineHours);
    const dueAt = iso(opened + stackTimeoutSeconds * 1000);
    return {
      basis: 'STACK_TIMEOUT', openedAt, dueAt, targetAt: iso(opened + stackTimeoutSeconds * 1000 * share), timeoutSeconds: timeoutOf(dueAt),
      deadlineWorkingHours: null, targetWorkingHours: null, missingHolidayYear: null,
    };
  }
  try {
    const dueAt = addWorkingHours(openedAt, rules.reviewDeadlineHours, rules.schedule);
    const targetAt = addWorkingHours(openedAt, rules.escalateAfterHours, rules.schedule);
    return {
      basis: 'WORKING_TIME', openedAt, dueAt, targetAt, timeoutSeconds: timeoutOf(dueAt),
      deadlineWorkingHours: rules.reviewDeadlineHours, targetWorkingHours: rules.escalateAfterHours, missingHolidayYear: null,
    };
  } catch (error) {
    if (!(error instanceof PublicHolidayDataMissingError)) throw error;
    const perDay = hoursPerWorkingDay(rules.schedule);
    const days = (hours: number) => Math.ceil(hours / perDay);
    const dueAt = iso(opened + days(rules.reviewDeadlineHours) * DAY_MS);
    return {
      basis: 'CALENDAR_DAYS', openedAt, dueAt, targetAt: iso(opened + days(rules.escalateAfterHours) * DAY_MS), timeoutSeconds: timeoutOf(dueAt),
      deadlineWorkingHours: null, targetWorkingHours: null, missingHolidayYear: error.year,
    };
  }
}

export interface TimeLeft {
  /** WORKING_TIME: working ms left; otherwise calendar ms left. 0 once passed. */
  ms: number;
  basis: ReviewWindowBasis;
  /** Set when working time could not be counted (no holiday data): calendar time is given instead. */
  missingHolidayYear: number | null;
}

/** How much time is left from `at` until `until`, in the basis the window was planned in. */
export function timeLeft(at: string, until: string, basis: ReviewWindowBasis, schedule: WorkingSchedule): TimeLeft {
  const calendar = Math.max(0, Date.parse(until) - Date.parse(at));
  if (basis !== 'WORKING_TIME') return { ms: calendar, basis, missingHolidayYear: null };
  try {
    return { ms: workingMsBetween(at, until, schedule), basis, missingHolidayYear: null };
  } catch (error) {
    if (!(error instanceof PublicHolidayDataMissingError)) throw error;
    return { ms: calendar, basis: 'CALENDAR_DAYS', missingHolidayYear: error.year };
  }
}
