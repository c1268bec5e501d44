import { describe, expect, it } from 'vitest';
import { planReviewWindow, timeLeft } from '../../functions/domain/reviewWindow';
import { DEFAULT_SCHEDULE } from '../../functions/domain/workingTime';

const HOUR = 3_600_000;
const rules = { reviewDeadlineHours: 120, escalateAfterHours: 72, schedule: DEFAULT_SCHEDULE };

describe('review window in working time', () => {
  it('opened on the eve of Tết 2027 (Wed 3/2 10:00): target and deadline after the holiday, in working hours', () => {
    // 3/2: 5.5 h; 4–10/2 off (Tết Đinh Mùi 4–5/2 and 8–10/2, the weekend between); from Thu 11/2 8 h a day.
    const w = planReviewWindow('2027-02-03T03:00:00.000Z', rules, 120 * 3600);
    expect(w).toMatchObject({
      basis: 'WORKING_TIME',
      targetAt: '2027-02-23T03:00:00.000Z', // 5.5 h + 8 days + 2.5 h → Tue 23/2 10:00
      dueAt: '2027-03-03T03:00:00.000Z', // 5.5 h + 14 days + 2.5 h → Wed 3/3 10:00
      deadlineWorkingHours: 120,
      targetWorkingHours: 72,
      missingHolidayYear: null,
    });
    // The workflow waits exactly until the deadline.
    expect(w.timeoutSeconds).toBe((Date.parse(w.dueAt) - Date.parse(w.openedAt)) / 1000);
    // In calendar hours the window would have ended on 8/2, during Tết.
    expect(new Date(Date.parse(w.openedAt) + 120 * HOUR).toISOString()).toBe('2027-02-08T03:00:00.000Z');
  });

  it('working time left: all 120 h at opening, nothing spent during Tết, 7 h on the day before the deadline at 11:00', () => {
    const due = '2027-03-03T03:00:00.000Z';
    expect(timeLeft('2027-02-03T03:00:00.000Z', due, 'WORKING_TIME', DEFAULT_SCHEDULE).ms).toBe(120 * HOUR);
    // Sunday 7/2 (Tết): only the 5.5 h of 3/2 are gone.
    expect(timeLeft('2027-02-07T03:00:00.000Z', due, 'WORKING_TIME', DEFAULT_SCHEDULE).ms).toBe(114.5 * HOUR);
    // Tue 2/3 11:00: 0.5 h + 4 h that day, 2.5 h on 3/3.
    expect(timeLeft('2027-03-02T04:00:00.000Z', due, 'WORKING_TIME', DEFAULT_SCHEDULE).ms).toBe(7 * HOUR);
    expect(timeLeft('2027-03-04T04:00:00.000Z', due, 'WORKING_TIME', DEFAULT_SCHEDULE).ms).toBe(0);
  });

  it('a year without holiday data: counts calendar days (120 h = 15 working days → 15 days) and says which year is missing', () => {
    const w = planReviewWindow('2027-12-30T02:00:00.000Z', rules, 120 * 3600);
    expect(w).toMatchObject({
      basis: 'CALENDAR_DAYS',
      dueAt: '2028-01-14T02:00:00.000Z',
      targetAt: '2028-01-08T02:00:00.000Z',
      missingHolidayYear: 2028,
      deadlineWorkingHours: null,
    });
    expect(w.timeoutSeconds).toBe(15 * 24 * 3600);
    // Time left falls back to calendar time too, and says so.
    expect(timeLeft('2027-12-30T02:00:00.000Z', w.dueAt, 'WORKING_TIME', DEFAULT_SCHEDULE)).toEqual({ ms: 15 * 24 * HOUR, basis: 'CALENDAR_DAYS', missingHolidayYear: 2028 });
  });

  it('a stack with a shorter review timeout than the province deadline keeps that timeout (calendar), the target at the same share', () => {
    const w = planReviewWindow('2026-06-08T02:00:00.000Z', rules, 600);
    expect(w).toMatchObject({ basis: 'STACK_TIMEOUT', dueAt: '2026-06-08T02:10:00.000Z', targetAt: '2026-06-08T02:06:00.000Z', timeoutSeconds: 600 });
  });

  it('a province with other working periods', () => {
    const schedule = { periods: [{ from: '07:00', to: '11:00' }, { from: '13:30', to: '17:00' }] };
    const w = planReviewWindow('2026-06-08T00:00:00.000Z', { reviewDeadlineHours: 15, escalateAfterHours: 7.5, schedule }, 15 * 3600);
    expect(w.targetAt).toBe('2026-06-08T10:00:00.000Z');
    expect(w.dueAt).toBe('2026-06-09T10:00:00.000Z');
  });
});
