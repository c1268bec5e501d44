/**
 * Household health insurance (BHYT hộ gia đình) parameters as dated data (domain.md §2).
 * Each table is ordered by effectiveFrom; lookups pick the entry in force on the payment date.
 * A change in law is one new line in the relevant table.
 */
import type { RenewalPeriodMonths } from '../types';
import { effectiveOn, nextEffectiveDateAfter } from '../dates';

interface Dated {
  instrument: string;
  effectiveFrom: string;
  /** true when the parameter was seen in one secondary source only or sources conflict (domain.md "verify"). */
  verify?: boolean;
}

/** Contribution rate of the first member, in basis points of the base salary (450 bp = 4.5 %). */
export interface HouseholdRate extends Dated {
  basisPoints: number;
}

/**
 * Discount ladder (giảm trừ mức đóng): share of the first member's amount by position, in whole percent.
 * sharesPercent[i] applies to position i + 1; positions past the end use the last share.
 */
export interface HouseholdLadder extends Dated {
  sharesPercent: readonly number[];
}

/** Allowed payment periods (phương thức đóng), in months. */
export interface HouseholdPeriods extends Dated {
  months: readonly RenewalPeriodMonths[];
}

export const HOUSEHOLD_RATE_TABLE: readonly HouseholdRate[] = [
  { basisPoints: 450, instrument: 'Decree 146/2018/NĐ-CP Art. 7(1)(e)', effectiveFrom: '2018-12-01' },
  { basisPoints: 450, instrument: 'Decree 188/2025/NĐ-CP Art. 6(5)', effectiveFrom: '2025-08-15' },
];

export const HOUSEHOLD_LADDER_TABLE: readonly HouseholdLadder[] = [
  { sharesPercent: [100, 70, 60, 50, 40], instrument: 'Decree 146/2018/NĐ-CP Art. 7(1)(e)', effectiveFrom: '2018-12-01' },
  { sharesPercent: [100, 70, 60, 50, 40], instrument: 'Decree 188/2025/NĐ-CP Art. 6(5)', effectiveFrom: '2025-08-15' },
];

export const HOUSEHOLD_PERIODS_TABLE: readonly HouseholdPeriods[] = [
  {
    months: [3, 6, 12],
    instrument: 'Decree 146/2018/NĐ-CP; Decision 595/QĐ-BHXH (household payment method)',
    effectiveFrom: '2018-12-01',
    verify: true,
  },
];

export function householdRateOn(date: string): HouseholdRate {
  return effectiveOn(HOUSEHOLD_RATE_TABLE, date, 'household contribution rate');
}

export function householdLadderOn(date: string): HouseholdLadder {
  return effectiveOn(HOUSEHOLD_LADDER_TABLE, date, 'household discount ladder');
}

/** Share in percent for a 1-based ladder position on `date` (5th and later: the last share, 40 %). */
export function ladderSharePercent(position: number, date: string): number {
  if (!Number.isInteger(position) || position < 1) throw new RangeError(`Ladder position must be ≥ 1: ${position}`);
  const { sharesPercent } = householdLadderOn(date);
  return sharesPercent[Math.min(position, sharesPercent.length) - 1];
}

export function allowedPeriodsOn(date: string): HouseholdPeriods {
  return effectiveOn(HOUSEHOLD_PERIODS_TABLE, date, 'household payment periods');
}

export function isAllowedPeriod(months: number, date: string): months is RenewalPeriodMonths {
  return (allowedPeriodsOn(date).months as readonly number[]).includes(months);
}

/** Earliest date strictly after `date` on which any household table (rate, ladder, periods) changes, or null. */
export function nextHouseholdRuleChangeAfter(date: string): string | null {
  const dates = [HOUSEHOLD_RATE_TABLE, HOUSEHOLD_LADDER_TABLE, HOUSEHOLD_PERIODS_TABLE]
    .map((table) => nextEffectiveDateAfter(table, date))
    .filter((d): d is string => d !== null)
    .sort();
  return dates[0] ?? null;
}
