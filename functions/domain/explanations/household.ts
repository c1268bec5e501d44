/**
 * Explanations of a household health-insurance quote: for each billable member, the base salary in force on the
 * payment date × 4.5 % × the ladder share (× the share left after provincial support) = the monthly amount,
 * × the months = the period amount, each figure with its instrument; for the quote, the sum of the members.
 *
 * Built from the quote itself (its figures and its legal basis), so a quote stored before explanations existed
 * is explained the same way, and the quote that travels through the workflow and is stored in the payment
 * request does not grow (95 members × ~2 KB of explanation stay out of the Step Functions state).
 */
import type { HouseholdQuote, LegalBasis, QuotedMember } from '../types';
import { fractionDecimal, formatDate, formatMoney, formatMonthCount, formatNumber, formatPercent, type Lang } from './format';
import { instrumentOf, type Instrument } from './instruments';
import { baseSalaryOn } from '../rules/baseSalary';
import { allowedPeriodsOn, householdLadderOn, householdRateOn } from '../rules/householdRates';
import type { Explanation, ExplanationStep } from './types';

export type ExplainedQuotedMember = QuotedMember & { explanation: Explanation };

export type ExplainedHouseholdQuote = Omit<HouseholdQuote, 'members'> & {
  members: ExplainedQuotedMember[];
  explanation: Explanation;
};

function basisOf(quote: HouseholdQuote, parameter: string): LegalBasis | undefined {
  return quote.legalBasis.find((b) => b.parameter === parameter);
}

/** '4.5%' → 4.5; '30%' → 30. */
function percentValue(text: string): number {
  const m = /^(\d+(?:\.\d+)?)%$/.exec(text.trim());
  if (!m) throw new RangeError(`not a percentage: ${JSON.stringify(text)}`);
  return Number(m[1]);
}

/** Percent (at most two decimals) → basis points, exactly. */
function basisPoints(percent: number): bigint {
  return BigInt(Math.round(percent * 100));
}

interface QuoteFigures {
  baseSalary: number;
  baseInstrument: Instrument;
  ratePercent: number;
  rateInstrument: Instrument;
  ladderInstrument: Instrument;
  periodInstrument: Instrument;
  support: { percent: number; instrument: Instrument }[];
  supportPercent: number;
}

/**
 * The figures of a quote with their instruments: from the quote's own legal basis, or — for a quote that does
 * not carry one — from the rule data in force on its payment date (the data the quote was priced with).
 */
function figuresOf(quote: HouseholdQuote): QuoteFigures {
  const inForce = (parameter: string): LegalBasis => {
    const d = quote.paymentDate;
    if (parameter === 'BASE_SALARY') {
      const e = baseSalaryOn(d);
      return { parameter, value: String(e.amount), instrument: e.instrument, effectiveFrom: e.effectiveFrom };
    }
    if (parameter === 'HOUSEHOLD_RATE') {
      const e = householdRateOn(d);
      return { parameter, value: `${e.basisPoints / 100}%`, instrument: e.instrument, effectiveFrom: e.effectiveFrom };
    }
    if (parameter === 'HOUSEHOLD_DISCOUNT_LADDER') {
      const e = householdLadderOn(d);
      return { parameter, value: e.sharesPercent.map((x) => `${x}%`).join('/'), instrument: e.instrument, effectiveFrom: e.effectiveFrom };
    }
    const e = allowedPeriodsOn(d);
    return { parameter, value: `${quote.periodMonths} months`, instrument: e.instrument, effectiveFrom: e.effectiveFrom };
  };
  const [base, rate, ladder, period] = ['BASE_SALARY', 'HOUSEHOLD_RATE', 'HOUSEHOLD_DISCOUNT_LADDER', 'PAYMENT_PERIOD'].map(
    (p) => basisOf(quote, p) ?? inForce(p),
  );
  const support = quote.legalBasis
    .filter((b) => b.parameter === 'PROVINCIAL_SUPPORT')
    .map((b) => ({ percent: percentValue(b.value), instrument: instrumentOf(b.instrument, b.effectiveFrom) }));
  return {
    baseSalary: quote.baseSalary,
    baseInstrument: instrumentOf(base.instrument, base.effectiveFrom),
    ratePercent: percentValue(rate.value),
    rateInstrument: instrumentOf(rate.instrument, rate.effectiveFrom),
    ladderInstrument: instrumentOf(ladder.instrument, ladder.effectiveFrom),
    periodInstrument: instrumentOf(period.instrument, period.effectiveFrom),
    support,
    supportPercent: Math.min(100, support.reduce((sum, s) => sum + s.percent, 0)),
  };
}

/** base × rate % × share % × (100 − support) %, exact, as a decimal string (the quote rounds it to the đồng). */
function exactMonthly(f: QuoteFigures, sharePercent: number): { text: string; approximate: boolean; whole: boolean } {
  const numerator = BigInt(f.baseSalary) * basisPoints(f.ratePercent) * BigInt(sharePercent) * (10_000n - basisPoints(f.supportPercent));
  const denominator = 10_000n * 100n * 10_000n;
  return { ...fractionDecimal(numerator, denominator, 4), whole: numerator % denominator === 0n };
}

function ordinal(position: number, lang: Lang): string {
  if (lang === 'vi') return position === 1 ? 'thứ nhất' : `thứ ${position}`;
  const suffix = position % 100 >= 11 && position % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][position % 10] ?? 'th';
  return `${position}${suffix}`;
}

function sameInstrument(a: Instrument, b: Instrument): boolean {
  return a.en === b.en;
}

/** The explanation of one quoted member's monthly and period amounts. */
export function explainQuotedMember(quote: HouseholdQuote, member: QuotedMember, figures: QuoteFigures = figuresOf(quote)): Explanation {
  const f = figures;
  const exact = exactMonthly(f, member.sharePercent);
  const lastShare = member.sharePercent;
  const steps: ExplanationStep[] = [
    { code: 'BASE_SALARY', value: f.baseSalary, unit: 'VND', instrument: f.baseInstrument },
    { code: 'CONTRIBUTION_RATE', value: f.ratePercent, unit: 'PERCENT', instrument: f.rateInstrument },
    { code: 'LADDER_SHARE', value: member.sharePercent, unit: 'PERCENT', position: member.ladderPosition, instrument: f.ladderInstrument },
    ...f.support.map((s): ExplanationStep => ({ code: 'PROVINCIAL_SUPPORT', value: s.percent, unit: 'PERCENT', instrument: s.instrument })),
    { code: 'MONTHLY_AMOUNT', value: member.monthlyAmount, unit: 'VND' },
    { code: 'MONTHS', value: quote.periodMonths, unit: 'MONTHS', instrument: f.periodInstrument },
    { code: 'RESULT', value: member.periodAmount, unit: 'VND' },
  ];

  const sentence = (lang: Lang): string => {
    const money = (v: number | string) => formatMoney(v, lang);
    const pct = (v: number) => formatPercent(v, lang);
    const ladderAndRate = sameInstrument(f.rateInstrument, f.ladderInstrument);
    const supportPart = f.support.length
      ? lang === 'vi'
        ? ` × (100 % − ${pct(f.supportPercent)} ngân sách địa phương hỗ trợ theo ${f.support.map((s) => s.instrument.vi).join('; ')})`
        : ` × (100% − ${pct(f.supportPercent)} provincial support, ${f.support.map((s) => s.instrument.en).join('; ')})`
      : '';
    // The quote rounds the monthly amount half up to the đồng (its only rounding): say so when it changed the figure.
    const unrounded = `${exact.approximate ? '≈ ' : ''}${money(exact.text)}`;
    const rounded = exact.whole ? '' : lang === 'vi' ? ` = ${unrounded}, làm tròn đến đồng` : ` = ${unrounded}, rounded to the đồng`;
    if (lang === 'vi') {
      const who =
        member.ladderPosition === 1
          ? `${member.fullName} là người thứ nhất của hộ cùng đóng nên đóng đủ mức: `
          : `${member.fullName} là người ${ordinal(member.ladderPosition, 'vi')} của hộ cùng đóng nên đóng ${pct(lastShare)} mức đóng của người thứ nhất: `;
      const rate = ladderAndRate
        ? ` × ${pct(f.ratePercent)} × ${pct(lastShare)} (tỷ lệ đóng và mức giảm trừ theo ${f.rateInstrument.vi})`
        : ` × ${pct(f.ratePercent)} (tỷ lệ đóng theo ${f.rateInstrument.vi}) × ${pct(lastShare)} (mức giảm trừ theo ${f.ladderInstrument.vi})`;
      return (
        who +
        `${money(f.baseSalary)} (mức lương cơ sở áp dụng tại ngày thanh toán ${formatDate(quote.paymentDate, 'vi')}, theo ${f.baseInstrument.vi})` +
        rate +
        supportPart +
        `${rounded} = ${money(member.monthlyAmount)} mỗi tháng; ${money(member.monthlyAmount)} × ${formatMonthCount(quote.periodMonths, 'vi')} = ${money(member.periodAmount)}.`
      );
    }
    const who =
      member.ladderPosition === 1
        ? `${member.fullName} is the first member paying in this household and pays the full amount: `
        : `${member.fullName} is the ${ordinal(member.ladderPosition, 'en')} member paying in this household and pays ${pct(lastShare)} of the first member's amount: `;
    const rate = ladderAndRate
      ? ` × ${pct(f.ratePercent)} × ${pct(lastShare)} (contribution rate and discount, ${f.rateInstrument.en})`
      : ` × ${pct(f.ratePercent)} (contribution rate, ${f.rateInstrument.en}) × ${pct(lastShare)} (discount, ${f.ladderInstrument.en})`;
    return (
      who +
      `${money(f.baseSalary)} (the base salary in force on the payment date, ${formatDate(quote.paymentDate, 'en')}, ${f.baseInstrument.en})` +
      rate +
      supportPart +
      `${rounded} = ${money(member.monthlyAmount)} a month; ${money(member.monthlyAmount)} × ${formatMonthCount(quote.periodMonths, 'en')} = ${money(member.periodAmount)}.`
    );
  };
  return { vi: sentence('vi'), en: sentence('en'), steps };
}

/** The explanation of the quote's total: the sum of its members' period amounts. */
export function explainQuoteTotal(quote: HouseholdQuote): Explanation {
  // One member: the total is that member's amount (no sum to show).
  const parts = (lang: Lang) => (quote.members.length > 1 ? `${quote.members.map((m) => formatNumber(m.periodAmount, lang)).join(' + ')} = ` : '');
  const n = quote.members.length;
  return {
    vi:
      `Tổng số tiền đóng cho ${n} người trong ${formatMonthCount(quote.periodMonths, 'vi')}: ` +
      `${parts('vi')}${formatMoney(quote.total, 'vi')}.`,
    en:
      `Total for ${n} ${n === 1 ? 'member' : 'members'} for ${formatMonthCount(quote.periodMonths, 'en')}: ` +
      `${parts('en')}${formatMoney(quote.total, 'en')}.`,
    steps: [
      { code: 'MONTHS', value: quote.periodMonths, unit: 'MONTHS' },
      { code: 'RESULT', value: quote.total, unit: 'VND' },
    ],
  };
}

/**
 * The quote with each member's explanation and the total's (answers use answers.ts `answeredQuote`, which also
 * drops provenance markers of quotes stored before).
 */
export function explainHouseholdQuote(quote: HouseholdQuote): ExplainedHouseholdQuote {
  const figures = figuresOf(quote);
  return {
    ...quote,
    members: quote.members.map((m) => ({ ...m, explanation: explainQuotedMember(quote, m, figures) })),
    explanation: explainQuoteTotal(quote),
  };
}
