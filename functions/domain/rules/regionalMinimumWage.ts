/**
 * Regional minimum wage (mức lương tối thiểu vùng), VND per month, by region and effective date.
 * Pure data + lookup. A new decree is one more entry in REGIONAL_MINIMUM_WAGE_SCHEDULE.
 *
 * Source: /work/shared/domain.md §4. Dates before the first entry are not covered: the lookup returns null
 * (callers must not guess a wage for a period the data does not cover).
 */

export type Region = 'I' | 'II' | 'III' | 'IV';

export const REGIONS: readonly Region[] = ['I', 'II', 'III', 'IV'];

export interface RegionalMinimumWageEntry {
  /** First day the amounts apply (YYYY-MM-DD, inclusive). */
  effectiveFrom: string;
  instrument: string;
  /** VND per month (integer đồng). */
  monthly: Readonly<Record<Region, number>>;
}

/** Ascending by effectiveFrom. */
export const REGIONAL_MINIMUM_WAGE_SCHEDULE: readonly RegionalMinimumWageEntry[] = [
  {
    effectiveFrom: '2024-07-01',
    instrument: 'Decree 74/2024/NĐ-CP',
    monthly: { I: 4_960_000, II: 4_410_000, III: 3_860_000, IV: 3_450_000 },
  },
  {
    effectiveFrom: '2026-01-01',
    instrument: 'Decree 293/2025/NĐ-CP',
    monthly: { I: 5_310_000, II: 4_730_000, III: 4_140_000, IV: 3_700_000 },
  },
];

export interface RegionalMinimumWage {
  region: Region;
  /** VND per month. */
  amount: number;
  instrument: string;
  effectiveFrom: string;
}

const DATE_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** The schedule entry in force on `date` (YYYY-MM-DD), or null when the date precedes every entry. */
export function regionalMinimumWageEntryOn(date: string): RegionalMinimumWageEntry | null {
  if (!DATE_RE.test(date)) throw new RangeError(`invalid date ${JSON.stringify(date)} (expected YYYY-MM-DD)`);
  let found: RegionalMinimumWageEntry | null = null;
  // 'YYYY-MM-DD' strings order like the dates they name.
  for (const entry of REGIONAL_MINIMUM_WAGE_SCHEDULE) if (entry.effectiveFrom <= date) found = entry;
  return found;
}

/** The regional minimum wage of `region` in force on `date`, or null when the data does not cover the date. */
export function regionalMinimumWage(region: Region, date: string): RegionalMinimumWage | null {
  if (!REGIONS.includes(region)) throw new RangeError(`invalid region ${JSON.stringify(region)}`);
  const entry = regionalMinimumWageEntryOn(date);
  if (!entry) return null;
  return { region, amount: entry.monthly[region], instrument: entry.instrument, effectiveFrom: entry.effectiveFrom };
}
