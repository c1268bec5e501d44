/**
 * Regional minimum wage (mức lương tối thiểu vùng), VND per month, by region and effective date.
 * Pure data + lookup. A new decree is one more entry in REGIONAL_MINIMUM_WAGE_SCHEDULE.
 *
 * Sources: /work/shared/domain.md §4 for Decree 74/2024 and Decree 293/2025. The earlier entries (2015-01-01 to
 * 2024-06-30, Decrees 103/2014 … 38/2022) come from outside domain.md and are marked `verify: true`: check them
 * against the decrees' official text before relying on them (a correction is a one-line data change).
 * Dates before the first entry (2015-01-01) are not covered: the lookup returns null (callers must not guess a
 * wage for a period the data does not cover).
 */

export type Region = 'I' | 'II' | 'III' | 'IV';

export const REGIONS: readonly Region[] = ['I', 'II', 'III', 'IV'];

export interface RegionalMinimumWageEntry {
  /** First day the amounts apply (YYYY-MM-DD, inclusive). */
  effectiveFrom: string;
  instrument: string;
  /** VND per month (integer đồng). */
  monthly: Readonly<Record<Region, number>>;
  /** true when the amounts were not taken from domain.md (seen in one secondary source only): check before relying on them. */
  verify?: boolean;
}

/** Ascending by effectiveFrom. */
export const REGIONAL_MINIMUM_WAGE_SCHEDULE: readonly RegionalMinimumWageEntry[] = [
  {
    effectiveFrom: '2015-01-01',
    instrument: 'Decree 103/2014/NĐ-CP',
    monthly: { I: 3_100_000, II: 2_750_000, III: 2_400_000, IV: 2_150_000 },
    verify: true,
  },
  {
    effectiveFrom: '2016-01-01',
    instrument: 'Decree 122/2015/NĐ-CP',
    monthly: { I: 3_500_000, II: 3_100_000, III: 2_700_000, IV: 2_400_000 },
    verify: true,
  },
  {
    effectiveFrom: '2017-01-01',
    instrument: 'Decree 153/2016/NĐ-CP',
    monthly: { I: 3_750_000, II: 3_320_000, III: 2_900_000, IV: 2_580_000 },
    verify: true,
  },
  {
    effectiveFrom: '2018-01-01',
    instrument: 'Decree 141/2017/NĐ-CP',
    monthly: { I: 3_980_000, II: 3_530_000, III: 3_090_000, IV: 2_760_000 },
    verify: true,
  },
  {
    effectiveFrom: '2019-01-01',
    instrument: 'Decree 157/2018/NĐ-CP',
    monthly: { I: 4_180_000, II: 3_710_000, III: 3_250_000, IV: 2_920_000 },
    verify: true,
  },
  {
    // In force until 2022-06-30: no increase in 2021.
    effectiveFrom: '2020-01-01',
    instrument: 'Decree 90/2019/NĐ-CP',
    monthly: { I: 4_420_000, II: 3_920_000, III: 3_430_000, IV: 3_070_000 },
    verify: true,
  },
  {
    effectiveFrom: '2022-07-01',
    instrument: 'Decree 38/2022/NĐ-CP',
    monthly: { I: 4_680_000, II: 4_160_000, III: 3_640_000, IV: 3_250_000 },
    verify: true,
  },
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
  /** Present (true) when the schedule entry is marked verify. */
  verify?: boolean;
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
  return {
    region,
    amount: entry.monthly[region],
    instrument: entry.instrument,
    effectiveFrom: entry.effectiveFrom,
    ...(entry.verify ? { verify: true } : {}),
  };
}
