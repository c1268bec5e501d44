import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  ageOn,
  compareDates,
  daysBetween,
  effectiveOn,
  endOfYear,
  isValidCalendarDate,
  lastDayOfMonthsPeriod,
  nextEffectiveDateAfter,
} from '../../functions/domain/dates';

describe('calendar dates', () => {
  it('validates calendar dates', () => {
    expect(isValidCalendarDate('2024-02-29')).toBe(true);
    expect(isValidCalendarDate('2026-02-29')).toBe(false);
    expect(isValidCalendarDate('2026-04-31')).toBe(false);
    expect(isValidCalendarDate('2026-13-01')).toBe(false);
    expect(isValidCalendarDate('2026-1-01')).toBe(false);
    expect(isValidCalendarDate('2026-01-01T00:00:00Z')).toBe(false);
  });

  it('adds days across month, year and leap boundaries', () => {
    expect(addDays('2026-07-01', 30)).toBe('2026-07-31');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-07-01', -1)).toBe('2026-06-30');
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
  });

  it('adds months month-end safe', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(addMonths('2026-07-01', 12)).toBe('2027-07-01');
  });

  it('gives the last day of a period of months', () => {
    expect(lastDayOfMonthsPeriod('2026-07-01', 12)).toBe('2027-06-30');
    expect(lastDayOfMonthsPeriod('2026-02-01', 1)).toBe('2026-02-28');
    expect(lastDayOfMonthsPeriod('2026-03-01', 1)).toBe('2026-03-31');
    expect(lastDayOfMonthsPeriod('2026-01-31', 1)).toBe('2026-02-28');
    expect(lastDayOfMonthsPeriod('2026-01-28', 1)).toBe('2026-02-27');
    expect(lastDayOfMonthsPeriod('2026-08-15', 6)).toBe('2027-02-14');
  });

  it('compares and measures', () => {
    expect(compareDates('2026-06-30', '2026-07-01')).toBe(-1);
    expect(compareDates('2026-07-01', '2026-07-01')).toBe(0);
    expect(compareDates('2027-01-01', '2026-12-31')).toBe(1);
    expect(daysBetween('2026-01-01', '2026-12-31')).toBe(364);
    expect(endOfYear('2026-07-01')).toBe('2026-12-31');
  });

  it('computes age in whole years', () => {
    expect(ageOn('2020-07-01', '2026-06-30')).toBe(5);
    expect(ageOn('2020-07-01', '2026-07-01')).toBe(6);
    expect(ageOn('2020-02-29', '2026-02-28')).toBe(5);
    expect(ageOn('2020-02-29', '2026-03-01')).toBe(6);
    expect(() => ageOn('2026-07-02', '2026-07-01')).toThrow(RangeError);
  });

  it('looks up dated tables', () => {
    const table = [
      { effectiveFrom: '2020-01-01', v: 1 },
      { effectiveFrom: '2025-01-01', v: 2 },
    ];
    expect(effectiveOn(table, '2024-12-31', 'x').v).toBe(1);
    expect(effectiveOn(table, '2025-01-01', 'x').v).toBe(2);
    expect(() => effectiveOn(table, '2019-12-31', 'x')).toThrow(RangeError);
    expect(nextEffectiveDateAfter(table, '2024-06-01')).toBe('2025-01-01');
    expect(nextEffectiveDateAfter(table, '2025-01-01')).toBeNull();
  });
});
