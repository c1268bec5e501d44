/**
 * Price of a household health-insurance renewal (mức đóng BHYT hộ gia đình), domain.md §1–2.
 *
 * monthly(member) = baseSalary × rate × ladderShare × (100 % − provincial support %)
 * - baseSalary: in force on the payment date (Decree 146/2018/NĐ-CP Art. 10(3)).
 * - rate: 4.5 % (450 bp); ladder: 100/70/60/50/40 % by position, 5th and later 40 %.
 * - ROUNDING: exactly one place — the monthly amount of each member, half up to a whole đồng (bigint, exact
 *   before that). periodAmount = monthly × months and total = Σ periodAmount are exact integer sums.
 *   With the published base salaries and shares every monthly amount is already a whole number of đồng.
 * Ladder order: the head of household first when billable, then the other billable members in the given order.
 * The discount counts the members paying together in this renewal (the law counts members joining the
 * household group in the same fiscal year; members paid separately earlier in the year are not tracked here).
 */
import type { ExcludedMember, HouseholdQuote, LegalBasis, MemberWithCard, QuotedMember } from '../types';
import type { ProvincialSupport } from '../../shared/provinces';
import { AppError, ValidationError } from '../../shared/errors';
import { addDays, compareDates, endOfYear, isValidCalendarDate, minDate } from '../dates';
import { baseSalaryOn, nextBaseSalaryChangeAfter } from '../rules/baseSalary';
import {
  allowedPeriodsOn,
  householdLadderOn,
  householdRateOn,
  isAllowedPeriod,
  ladderSharePercent,
  nextHouseholdRuleChangeAfter,
} from '../rules/householdRates';
import { outcomeReasonLabel } from '../reviewReasons';
import { CARD_VALIDITY_RULE, renewedCardValidity } from './cardValidity';

/** Thrown when every member is excluded; `name` is the Step Functions error name (Catch "NoBillableMembers"). */
export class NoBillableMembersError extends AppError {
  constructor() {
    const label = outcomeReasonLabel('NO_BILLABLE_MEMBERS');
    super('NO_BILLABLE_MEMBERS', 422, label.vi, label.en);
    this.name = 'NoBillableMembers';
  }
}

export interface PriceHouseholdInput {
  billable: MemberWithCard[];
  excluded: ExcludedMember[];
  periodMonths: number;
  /** YYYY-MM-DD (Asia/Ho_Chi_Minh) the amounts are computed for. */
  paymentDate: string;
  headPersonalId: string;
  /** The province's support (config/provinces.json householdSupport); only group "HOUSEHOLD" applies here. */
  provincialSupport?: ProvincialSupport[];
}

/** Provincial support entries that reduce a household-group contribution. */
export const HOUSEHOLD_SUPPORT_GROUP = 'HOUSEHOLD';

/**
 * Monthly amount in đồng: baseSalary × rateBp/10 000 × share%/100 × (100 − support‱)/10 000, rounded half up
 * to a whole đồng — the only rounding step of the household price.
 */
export function monthlyContribution(baseSalary: number, rateBasisPoints: number, sharePercent: number, supportBasisPoints = 0): number {
  for (const [name, v] of Object.entries({ baseSalary, rateBasisPoints, sharePercent, supportBasisPoints })) {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer: ${v}`);
  }
  if (supportBasisPoints > 10_000) throw new RangeError(`support cannot exceed 100 %: ${supportBasisPoints} bp`);
  const numerator = BigInt(baseSalary) * BigInt(rateBasisPoints) * BigInt(sharePercent) * BigInt(10_000 - supportBasisPoints);
  const denominator = 10_000n * 100n * 10_000n;
  return Number(roundHalfUp(numerator, denominator));
}

/** numerator / denominator rounded half up (both non-negative). */
function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  return 2n * (numerator % denominator) >= denominator ? quotient + 1n : quotient;
}

export function priceHousehold(input: PriceHouseholdInput): HouseholdQuote {
  const { paymentDate, periodMonths, headPersonalId } = input;
  if (!isValidCalendarDate(paymentDate)) {
    throw new ValidationError('Ngày thanh toán không hợp lệ', 'Invalid payment date', { paymentDate });
  }
  if (!isAllowedPeriod(periodMonths, paymentDate)) {
    throw new ValidationError('Số tháng đóng không hợp lệ', 'Invalid payment period', {
      periodMonths,
      allowed: allowedPeriodsOn(paymentDate).months,
    });
  }
  if (input.billable.length === 0) throw new NoBillableMembersError();

  const base = baseSalaryOn(paymentDate);
  const rate = householdRateOn(paymentDate);
  const ladder = householdLadderOn(paymentDate);
  const support = supportInForce(input.provincialSupport ?? [], paymentDate);
  const supportBp = Math.min(10_000, support.reduce((sum, s) => sum + percentToBasisPoints(s.percent), 0));

  const ordered = [
    ...input.billable.filter((m) => m.member.personalId === headPersonalId),
    ...input.billable.filter((m) => m.member.personalId !== headPersonalId),
  ];
  const members: QuotedMember[] = ordered.map(({ member, card }, index) => {
    const ladderPosition = index + 1;
    const sharePercent = ladderSharePercent(ladderPosition, paymentDate);
    const monthlyAmount = monthlyContribution(base.amount, rate.basisPoints, sharePercent, supportBp);
    const validity = renewedCardValidity(card, paymentDate, periodMonths);
    return {
      personalId: member.personalId,
      fullName: member.fullName,
      dateOfBirth: member.dateOfBirth,
      relationToHead: member.relationToHead,
      ladderPosition,
      sharePercent,
      monthlyAmount,
      periodAmount: monthlyAmount * periodMonths,
      cardValidFrom: validity.validFrom,
      cardExpiresOn: validity.expiresOn,
    };
  });
  const total = members.reduce((sum, m) => sum + m.periodAmount, 0);
  if (!Number.isSafeInteger(total)) throw new RangeError('total exceeds the safe integer range');

  const legalBasis: LegalBasis[] = [
    { parameter: 'BASE_SALARY', value: String(base.amount), instrument: base.instrument, effectiveFrom: base.effectiveFrom },
    { parameter: 'HOUSEHOLD_RATE', value: `${rate.basisPoints / 100}%`, instrument: rate.instrument, effectiveFrom: rate.effectiveFrom },
    {
      parameter: 'HOUSEHOLD_DISCOUNT_LADDER',
      value: ladder.sharesPercent.map((s) => `${s}%`).join('/'),
      instrument: ladder.instrument,
      effectiveFrom: ladder.effectiveFrom,
    },
    {
      parameter: 'PAYMENT_PERIOD',
      value: `${periodMonths} months`,
      // The periods' verify marker stays in the rule data (householdRates.ts): an answer carries no provenance note.
      instrument: allowedPeriodsOn(paymentDate).instrument,
      effectiveFrom: allowedPeriodsOn(paymentDate).effectiveFrom,
    },
    {
      parameter: 'CARD_VALIDITY',
      value: `continuous: day after expiry; within ${CARD_VALIDITY_RULE.gapMonths} months of expiry: payment date; otherwise payment date + ${CARD_VALIDITY_RULE.waitingDays} days`,
      instrument: CARD_VALIDITY_RULE.instrument,
      effectiveFrom: CARD_VALIDITY_RULE.effectiveFrom,
    },
    ...support.map((s) => ({ parameter: 'PROVINCIAL_SUPPORT', value: `${s.percent}%`, instrument: s.instrument, effectiveFrom: s.effectiveFrom })),
  ];

  return {
    periodMonths,
    paymentDate,
    baseSalary: base.amount,
    validThrough: quoteValidThrough(paymentDate, input.provincialSupport ?? []),
    members,
    excluded: input.excluded,
    total,
    legalBasis,
  };
}

/**
 * Last payment date on which the quote's amounts stay valid: the day before the next change of any parameter
 * after the payment date (base salary, rate, ladder, periods, provincial support), and at the latest
 * 31 December of the payment year — the discount ladder and the continuity gap are counted per fiscal year,
 * so a quote never crosses into the next one.
 */
export function quoteValidThrough(paymentDate: string, provincialSupport: ProvincialSupport[] = []): string {
  const candidates = [
    nextBaseSalaryChangeAfter(paymentDate),
    nextHouseholdRuleChangeAfter(paymentDate),
    ...provincialSupport.map((s) => s.effectiveFrom).filter((d) => compareDates(d, paymentDate) > 0),
  ].filter((d): d is string => d !== null);
  return candidates.reduce((through, change) => minDate(through, addDays(change, -1)), endOfYear(paymentDate));
}

function supportInForce(support: ProvincialSupport[], date: string): ProvincialSupport[] {
  return support.filter((s) => s.group === HOUSEHOLD_SUPPORT_GROUP && compareDates(s.effectiveFrom, date) <= 0);
}

/** Support percent → basis points; percents are data with at most two decimals (e.g. 30, 12.5). */
function percentToBasisPoints(percent: number): number {
  const bp = Math.round(percent * 100);
  if (bp < 0 || Math.abs(bp - percent * 100) > 1e-6) throw new RangeError(`Unsupported support percent: ${percent}`);
  return bp;
}
