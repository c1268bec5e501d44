import { describe, expect, it } from 'vitest';
import { workingHours, workingScheduleOf } from '../../functions/shared/workingHours';
import { hoursPerWorkingDay } from '../../functions/domain/workingTime';
import { provinces } from '../../functions/shared/provinces';

describe('working hours of the provinces (config/workingHours.json)', () => {
  it('every province has a valid working day (8 h by default: 07:30–11:30, 13:00–17:00)', () => {
    for (const p of provinces) expect(hoursPerWorkingDay(workingScheduleOf(p.code)), p.code).toBeGreaterThan(0);
    expect(hoursPerWorkingDay(workingScheduleOf('79'))).toBe(8);
    for (const code of Object.keys(workingHours.provinces)) expect(provinces.map((p) => p.code)).toContain(code);
  });
});
