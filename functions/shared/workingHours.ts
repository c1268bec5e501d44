/**
 * The working hours of each province's office (config/workingHours.json): the periods of a working day, local time
 * (Monday–Friday except public holidays: domain/workingTime.ts). `defaults` for every province, `provinces`
 * (code → { periods }) for one that keeps other hours. Kept apart from config/provinces.json so that only the
 * functions that count working time carry it. Source: Quyết định số 188/1999/QĐ-TTg (40 hours a week, Monday–Friday)
 * and each province's office hours; test/shared/workingHours.test.ts refuses empty or overlapping periods.
 */
import workingHoursFile from '../../config/workingHours.json';
import type { WorkingPeriod, WorkingSchedule } from '../domain/workingTime';

export interface WorkingHoursFile {
  defaults: { periods: WorkingPeriod[] };
  provinces: Record<string, { periods: WorkingPeriod[] }>;
}

export const workingHours = workingHoursFile as WorkingHoursFile;
const file = workingHours;

/** The province's working schedule (its periods, or the defaults). */
export function workingScheduleOf(provinceCode: string): WorkingSchedule {
  return { periods: file.provinces[provinceCode]?.periods ?? file.defaults.periods };
}
