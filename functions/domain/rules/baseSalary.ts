/**
 * Base salary (mức lương cơ sở), VND per month, by effective date (domain.md §1).
 * Health-insurance contributions use the base salary in force on the payment date
 * (Decree 146/2018/NĐ-CP Art. 10(3)). A new decree is one new line in BASE_SALARY_TABLE.
 */
import { effectiveOn, nextEffectiveDateAfter } from '../dates';

export interface BaseSalary {
  /** Integer đồng per month. */
  amount: number;
  instrument: string;
  /** YYYY-MM-DD, first day the amount applies. */
  effectiveFrom: string;
}

export const BASE_SALARY_TABLE: readonly BaseSalary[] = [
  { amount: 1_490_000, instrument: 'Decree 38/2019/NĐ-CP', effectiveFrom: '2019-07-01' },
  { amount: 1_800_000, instrument: 'Decree 24/2023/NĐ-CP', effectiveFrom: '2023-07-01' },
  { amount: 2_340_000, instrument: 'Decree 73/2024/NĐ-CP', effectiveFrom: '2024-07-01' },
  { amount: 2_530_000, instrument: 'Decree 161/2026/NĐ-CP', effectiveFrom: '2026-07-01' },
];

/** The base salary in force on `date`. Throws RangeError for a date before the table starts. */
export function baseSalaryOn(date: string): BaseSalary {
  return effectiveOn(BASE_SALARY_TABLE, date, 'base salary');
}

/** Effective date of the next base-salary change strictly after `date`, or null when the table has none. */
export function nextBaseSalaryChangeAfter(date: string): string | null {
  return nextEffectiveDateAfter(BASE_SALARY_TABLE, date);
}
