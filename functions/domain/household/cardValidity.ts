/**
 * Validity of the card a household renewal issues (thời điểm thẻ BHYT có giá trị sử dụng).
 *
 * HI Law Art. 16(3), as amended by Law 51/2024/QH15 (effective 2025-07-01); applied by BHXH's collection
 * procedure (Decision 595/QĐ-BHXH as amended by Decision 505/QĐ-BHXH):
 * - CONTINUOUS: paid while the current card is still valid (paymentDate ≤ expiresOn) → the new card follows on,
 *   valid from the day after the current expiry.
 * - RESUMED: paid after expiry but less than 3 months into the gap → valid from the payment date. (A card is
 *   never backdated: nobody is covered, or billed, for days already passed uncovered.)
 * - NEW: first enrolment (no card on record) or a gap of 3 months or more → valid 30 days after payment.
 *
 * Decisions:
 * - Participation counts whatever the group of the previous card (e.g. a worker whose employer card ended last
 *   month continues without the 30-day wait): the law speaks of participation, not of the household group.
 * - The gap runs from the day after expiry to the payment date, across calendar years too (BHXH practice);
 *   "3 months or more" means paymentDate ≥ (expiresOn + 1 day) + 3 calendar months.
 */
import type { HealthInsuranceCard } from '../types';
import { addDays, addMonths, compareDates, lastDayOfMonthsPeriod } from '../dates';

export const CARD_VALIDITY_RULE = {
  /** Waiting period after payment for a first enrolment or a long gap, in days. */
  waitingDays: 30,
  /** A gap of this many months or more breaks continuity. */
  gapMonths: 3,
  instrument: 'Law on Health Insurance Art. 16(3), as amended by Law 51/2024/QH15',
  effectiveFrom: '2025-07-01',
} as const;

export type RenewalContinuity = 'CONTINUOUS' | 'RESUMED' | 'NEW';

export function renewalContinuity(card: HealthInsuranceCard | null, paymentDate: string): RenewalContinuity {
  if (!card) return 'NEW';
  if (compareDates(paymentDate, card.expiresOn) <= 0) return 'CONTINUOUS';
  const firstUncoveredDay = addDays(card.expiresOn, 1);
  const gapBreaksAt = addMonths(firstUncoveredDay, CARD_VALIDITY_RULE.gapMonths);
  return compareDates(paymentDate, gapBreaksAt) < 0 ? 'RESUMED' : 'NEW';
}

/**
 * The new card's validity when paid on `paymentDate` for `periodMonths` months:
 * expiresOn = validFrom + periodMonths months − 1 day, month-end safe (dates.lastDayOfMonthsPeriod):
 * from 2026-02-01 one month ends 2026-02-28; from 2026-01-31 one month also ends 2026-02-28 (no matching day
 * in February, so the period ends on its last day and the next one starts 2026-03-01 without a gap).
 */
export function renewedCardValidity(
  card: HealthInsuranceCard | null,
  paymentDate: string,
  periodMonths: number,
): { validFrom: string; expiresOn: string } {
  if (!Number.isInteger(periodMonths) || periodMonths < 1) throw new RangeError(`periodMonths must be a positive integer: ${periodMonths}`);
  const continuity = renewalContinuity(card, paymentDate);
  const validFrom =
    continuity === 'CONTINUOUS'
      ? addDays(card!.expiresOn, 1)
      : continuity === 'RESUMED'
        ? paymentDate
        : addDays(paymentDate, CARD_VALIDITY_RULE.waitingDays);
  return { validFrom, expiresOn: lastDayOfMonthsPeriod(validFrom, periodMonths) };
}

/**
 * The last payment date on which `renewedCardValidity(card, d, n)` still gives the same dates as on
 * `paymentDate`: a continuous renewal follows on from the current expiry whenever it is paid up to that expiry;
 * a resumed or new enrolment starts from the payment date, so its dates hold for that day only.
 */
export function lastPaymentDateKeepingValidity(card: HealthInsuranceCard | null, paymentDate: string): string {
  return renewalContinuity(card, paymentDate) === 'CONTINUOUS' ? card!.expiresOn : paymentDate;
}
