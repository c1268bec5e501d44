import { describe, expect, it } from 'vitest';
import { addWorkingHours, hoursPerWorkingDay, isWorkingDay, workingMsBetween } from '../../functions/domain/workingTime';
import { PUBLIC_HOLIDAYS, PublicHolidayDataMissingError } from '../../functions/domain/rules/publicHolidays';

const HOUR = 3_600_000;

describe('working time of a provincial office', () => {
  it('a 120-working-hour review window opened on the eve of Tết 2026 ends three weeks after the holiday, not during it', () => {
    // Fri 13/2 10:00 local: 1.5 h + 4 h that day; 14–22/2 off (Tết Bính Ngọ + weekends); then 14 full days from
    // Mon 23/2 (to Thu 12/3) and 2.5 h on Fri 13/3 → 10:00 local.
    expect(addWorkingHours('2026-02-13T03:00:00.000Z', 120)).toBe('2026-03-13T03:00:00.000Z');
    // In calendar hours the same window would have ended on 18/2, in the middle of Tết.
    expect(isWorkingDay('2026-02-18')).toBe(false);
  });

  it('weekends and the lunch break do not count', () => {
    // Fri 5/6/2026 16:00 local + 8 h: 1 h on Friday, Mon 8/6 07:30–11:30 and 13:00–16:00.
    expect(addWorkingHours('2026-06-05T09:00:00.000Z', 8)).toBe('2026-06-08T09:00:00.000Z');
    // Opened on Saturday night: the count starts Monday 07:30; 4 h later is the end of the morning.
    expect(addWorkingHours('2026-06-06T15:00:00.000Z', 4)).toBe('2026-06-08T04:30:00.000Z');
    // Opened during the lunch break: the count starts at 13:00.
    expect(addWorkingHours('2026-06-08T05:00:00.000Z', 1)).toBe('2026-06-08T07:00:00.000Z');
  });

  it('counts the working time left between two instants', () => {
    expect(workingMsBetween('2026-02-13T03:00:00.000Z', '2026-02-23T03:00:00.000Z')).toBe(8 * HOUR);
    expect(workingMsBetween('2026-06-08T00:30:00.000Z', '2026-06-08T10:00:00.000Z')).toBe(8 * HOUR);
    expect(workingMsBetween('2026-06-08T10:00:00.000Z', '2026-06-08T00:30:00.000Z')).toBe(0);
    // add and between agree
    const start = '2026-04-24T02:15:00.000Z';
    const end = addWorkingHours(start, 37.5);
    expect(workingMsBetween(start, end)).toBe(37.5 * HOUR);
  });

  it('a swapped Saturday is a working day and the swapped weekday is not (30/4–4/5/2025)', () => {
    expect(isWorkingDay('2025-04-26')).toBe(true);
    expect(isWorkingDay('2025-05-02')).toBe(false);
    expect(isWorkingDay('2025-05-05')).toBe(true);
    // Giỗ Tổ 2026 falls on Sunday 26/4 and is taken on Monday 27/4
    expect(isWorkingDay('2026-04-27')).toBe(false);
  });

  it('a province schedule with other periods', () => {
    const schedule = { periods: [{ from: '07:00', to: '11:00' }, { from: '13:30', to: '17:00' }] };
    expect(hoursPerWorkingDay(schedule)).toBe(7.5);
    expect(addWorkingHours('2026-06-08T00:00:00.000Z', 7.5, schedule)).toBe('2026-06-08T10:00:00.000Z');
    expect(() => addWorkingHours('2026-06-08T00:00:00.000Z', 1, { periods: [{ from: '13:00', to: '12:00' }] })).toThrow(RangeError);
  });

  it('refuses to count through a year without holiday data instead of guessing', () => {
    expect(() => addWorkingHours('2027-12-30T02:00:00.000Z', 40)).toThrow(PublicHolidayDataMissingError);
    expect(() => isWorkingDay('2024-12-31')).toThrow(PublicHolidayDataMissingError);
  });
});

describe('public-holiday data', () => {
  for (const year of Object.values(PUBLIC_HOLIDAYS)) {
    it(`${year.year}: the 11 statutory days off, on weekdays of the year, each once; swaps balanced`, () => {
      const weekday = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay();
      const dates = year.days.map((d) => d.date);
      expect(new Set(dates).size).toBe(dates.length);
      for (const d of dates) {
        expect(d.startsWith(`${year.year}-`)).toBe(true);
        expect([1, 2, 3, 4, 5]).toContain(weekday(d));
      }
      expect(year.days.filter((d) => d.kind !== 'SWAPPED')).toHaveLength(11); // Labour Code Art. 112: 1+5+1+1+1+2
      expect(year.days.filter((d) => d.kind === 'SWAPPED')).toHaveLength(year.workingSaturdays.length);
      for (const s of year.workingSaturdays) expect(weekday(s)).toBe(6);
      expect(year.instrument.vi).not.toMatch(/\b(Law|Article|Decree|Circular)\b/);
      expect(year.instrument.en).not.toMatch(/Luật|Điều|Nghị định|Bộ luật/);
    });
  }
});
