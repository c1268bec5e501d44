/**
 * Explanation of a lump-sum social-insurance amount (BHXH một lần), from the breakdown the rules computed
 * (lumpSum/lumpSumAmount.ts): each year's salaries × that year's adjustment coefficient → revalued; their sum ÷
 * the months → the average monthly salary; the years before 2014 at 1.5 months and from 2014 at 2 months, with
 * the carry and rounding of odd months; (under one year: the contributions paid, at most 2 months); the State
 * support for voluntary contributions deducted when it is; the amount. Every figure is the breakdown's own.
 */
import { LUMP_SUM_AMOUNT_RULES, type LumpSumAmountBreakdown } from '../lumpSum/lumpSumAmount';
import type { FractionView } from '../lumpSum/months';
import { formatFraction, formatMoney, formatMonth, formatMonthCount, formatNumber, formatPercent, fractionNumber, type Lang } from './format';
import { instrumentOf, type Instrument } from './instruments';
import type { Explanation, ExplanationStep } from './types';

/** The breakdown fields an explanation reads (the JSON the workflow carries has exactly these). */
export type ExplainableLumpSum = Pick<
  LumpSumAmountBreakdown,
  | 'law'
  | 'coefficientTable'
  | 'totalMonths'
  | 'monthsBefore2014'
  | 'monthsFrom2014'
  | 'salaryLines'
  | 'adjustedSalaryTotal'
  | 'averageMonthlySalary'
  | 'yearsBefore2014'
  | 'carriedMonths'
  | 'yearsFrom2014'
  | 'benefitMonths'
  | 'method'
  | 'underOneYear'
  | 'grossAmount'
  | 'stateSupportTotal'
  | 'stateSupportDeducted'
  | 'netAmount'
  | 'amount'
>;

function fractionStep(code: ExplanationStep['code'], f: FractionView, unit: ExplanationStep['unit'], extra: Partial<ExplanationStep> = {}): ExplanationStep {
  const whole = f.denominator === '1';
  return {
    code,
    value: fractionNumber(f.numerator, f.denominator),
    unit,
    ...(whole ? {} : { exact: { numerator: f.numerator, denominator: f.denominator } }),
    ...extra,
  };
}

const money = (f: FractionView, lang: Lang) => formatFraction(f.numerator, f.denominator, lang);
const number = (f: FractionView, lang: Lang) => formatFraction(f.numerator, f.denominator, lang, false);
const years = (halfYears: number, lang: Lang) => formatNumber(String(halfYears / 2), lang);

export function explainLumpSumAmount(b: ExplainableLumpSum): Explanation {
  const rules = LUMP_SUM_AMOUNT_RULES.find((r) => r.id === b.law.id);
  if (!rules) throw new RangeError(`no lump-sum amount rules ${b.law.id}`);
  const table: Instrument = instrumentOf(b.coefficientTable.instrument, `${b.coefficientTable.settlementYear}-01-01`);
  const ratesInstrument = instrumentOf(rules.articles.rates, rules.effectiveFrom);
  const oddInstrument = instrumentOf(rules.articles.oddMonths, rules.effectiveFrom);
  const underInstrument = instrumentOf(rules.articles.underOneYear, rules.effectiveFrom);
  const supportInstrument = instrumentOf(rules.articles.stateSupport, rules.effectiveFrom);
  const before = Number(rules.monthsPerYearBefore);
  const from = Number(rules.monthsPerYearFrom);

  const steps: ExplanationStep[] = [
    ...b.salaryLines.map((l) =>
      fractionStep('REVALUED_SALARY', l.adjustedTotal, 'VND', { year: l.year, months: l.months, salaryTotal: l.salaryTotal, coefficient: l.coefficient, instrument: table }),
    ),
    { code: 'TOTAL_MONTHS', value: b.totalMonths, unit: 'MONTHS' },
    fractionStep('AVERAGE_SALARY', b.averageMonthlySalary, 'VND'),
  ];
  if (b.method === 'YEARS_OF_CONTRIBUTION') {
    steps.push(
      { code: 'YEARS_BEFORE_2014', value: b.yearsBefore2014.wholeYears, unit: 'YEARS', months: b.monthsBefore2014, halfYears: b.yearsBefore2014.halfYears, instrument: ratesInstrument },
      { code: 'YEARS_FROM_2014', value: b.yearsFrom2014.halfYears / 2, unit: 'YEARS', months: b.yearsFrom2014.months, halfYears: b.yearsFrom2014.halfYears, instrument: oddInstrument },
      fractionStep('BENEFIT_MONTHS', b.benefitMonths, 'SALARY_MONTHS', { instrument: ratesInstrument }),
    );
  } else if (b.underOneYear) {
    steps.push(
      fractionStep('CONTRIBUTIONS_PAID', b.underOneYear.contributionsPaid, 'VND', { instrument: underInstrument }),
      fractionStep('UNDER_ONE_YEAR_CAP', b.underOneYear.cap, 'VND', { multiple: rules.underOneYearCapMonths, applied: b.underOneYear.capApplied, instrument: underInstrument }),
    );
  }
  steps.push(fractionStep('GROSS_AMOUNT', b.grossAmount, 'VND'));
  if (b.stateSupportTotal > 0) {
    steps.push({ code: 'STATE_SUPPORT_DEDUCTED', value: b.stateSupportDeducted, unit: 'VND', applied: b.stateSupportDeducted > 0, instrument: supportInstrument });
  }
  steps.push({ code: 'RESULT', value: b.amount, unit: 'VND' });

  const sentence = (lang: Lang): string => {
    const vi = lang === 'vi';
    const out: string[] = [];
    const lines = b.salaryLines
      .map((l) => {
        const y = l.coefficientBucket === '<1995' ? (vi ? `năm ${l.year} (trước năm 1995)` : `${l.year} (before 1995)`) : vi ? `năm ${l.year}` : `${l.year}`;
        return `${y}: ${formatMoney(l.salaryTotal, lang)} (${formatMonthCount(l.months, lang)}) × ${formatNumber(l.coefficient, lang)} = ${money(l.adjustedTotal, lang)}`;
      })
      .join('; ');
    out.push(
      vi
        ? `Tiền lương tháng đóng bảo hiểm xã hội của từng năm được điều chỉnh theo hệ số của năm đó (${table.vi}, áp dụng cho hồ sơ giải quyết năm ${b.coefficientTable.settlementYear}): ${lines}.`
        : `Each year's monthly salaries are revalued with that year's adjustment coefficient (${table.en}, for claims settled in ${b.coefficientTable.settlementYear}): ${lines}.`,
    );
    out.push(
      vi
        ? `Bình quân tiền lương tháng: ${money(b.adjustedSalaryTotal, lang)} ÷ ${formatMonthCount(b.totalMonths, lang)} = ${money(b.averageMonthlySalary, lang)}.`
        : `Average monthly salary: ${money(b.adjustedSalaryTotal, lang)} ÷ ${formatMonthCount(b.totalMonths, lang)} = ${money(b.averageMonthlySalary, lang)}.`,
    );
    if (b.method === 'YEARS_OF_CONTRIBUTION') {
      const f = b.yearsFrom2014;
      const oddRule = vi
        ? `từ 1 đến ${rules.oddMonthsHalfYearUpTo} tháng lẻ tính là nửa năm, từ ${rules.oddMonthsHalfYearUpTo + 1} đến 11 tháng tính là một năm, theo ${oddInstrument.vi}`
        : `1 to ${rules.oddMonthsHalfYearUpTo} odd months count as half a year, ${rules.oddMonthsHalfYearUpTo + 1} to 11 as a whole year, ${oddInstrument.en}`;
      const odd = f.oddMonths
        ? vi
          ? `${f.wholeYears} năm ${f.oddMonths} tháng, tính là ${years(f.halfYears, lang)} năm (${oddRule})`
          : `${f.wholeYears} ${f.wholeYears === 1 ? 'year' : 'years'} ${formatMonthCount(f.oddMonths, lang)}, counted as ${years(f.halfYears, lang)} years (${oddRule})`
        : vi
          ? `${years(f.halfYears, lang)} năm`
          : `${years(f.halfYears, lang)} years`;
      if (b.monthsBefore2014 > 0) {
        out.push(
          vi
            ? `Thời gian đóng trước năm 2014: ${formatMonthCount(b.monthsBefore2014, lang)} = ${b.yearsBefore2014.wholeYears} năm` +
                (b.carriedMonths ? `, ${formatMonthCount(b.carriedMonths, lang)} lẻ được chuyển sang giai đoạn từ năm 2014.` : '.')
            : `Contributions before 2014: ${formatMonthCount(b.monthsBefore2014, lang)} = ${b.yearsBefore2014.wholeYears} ${b.yearsBefore2014.wholeYears === 1 ? 'year' : 'years'}` +
                (b.carriedMonths ? `; the ${formatMonthCount(b.carriedMonths, lang)} left over are carried into the period from 2014.` : '.'),
        );
      }
      const fromMonths = b.carriedMonths ? `${formatNumber(b.monthsFrom2014, lang)} + ${formatNumber(b.carriedMonths, lang)} = ${formatMonthCount(f.months, lang)}` : formatMonthCount(f.months, lang);
      out.push(vi ? `Thời gian đóng từ năm 2014: ${fromMonths} = ${odd}.` : `Contributions from 2014: ${fromMonths} = ${odd}.`);
      // Only the periods that count: "1,5 × 2 + 2 × 3,5", or "2 × 6" when nothing was paid before 2014.
      const terms = [
        b.yearsBefore2014.wholeYears ? `${formatNumber(String(before), lang)} × ${b.yearsBefore2014.wholeYears}` : null,
        f.halfYears ? `${formatNumber(String(from), lang)} × ${years(f.halfYears, lang)}` : null,
      ].filter((x): x is string => x !== null);
      const sum = terms.length ? `${terms.join(' + ')} = ` : '';
      out.push(
        vi
          ? `Số tháng lương được hưởng: ${sum}${number(b.benefitMonths, lang)} tháng (${formatNumber(String(before), lang)} tháng cho mỗi năm trước năm 2014, ${formatNumber(String(from), lang)} tháng cho mỗi năm từ năm 2014, theo ${ratesInstrument.vi}).`
          : `Months of salary due: ${sum}${number(b.benefitMonths, lang)} (${formatNumber(String(before), lang)} months per year before 2014, ${formatNumber(String(from), lang)} per year from 2014, ${ratesInstrument.en}).`,
      );
      out.push(
        vi
          ? `Mức hưởng: ${money(b.averageMonthlySalary, lang)} × ${number(b.benefitMonths, lang)} = ${money(b.grossAmount, lang)}.`
          : `Amount: ${money(b.averageMonthlySalary, lang)} × ${number(b.benefitMonths, lang)} = ${money(b.grossAmount, lang)}.`,
      );
    } else if (b.underOneYear) {
      const u = b.underOneYear;
      const paid = u.rateLines
        .map((l) => {
          const span = l.from === l.to ? formatMonth(l.from, lang) : `${formatMonth(l.from, lang)}–${formatMonth(l.to, lang)}`;
          return `${span}: ${formatMoney(l.salaryTotal, lang)} × ${formatPercent(l.ratePercent, lang)} = ${money(l.contributions, lang)}`;
        })
        .join('; ');
      out.push(
        vi
          ? `Thời gian đóng dưới một năm (${formatMonthCount(b.totalMonths, lang)}): mức hưởng bằng số tiền đã đóng vào quỹ hưu trí, tử tuất (${paid}), tổng ${money(u.contributionsPaid, lang)}, ` +
              `tối đa ${rules.underOneYearCapMonths} tháng bình quân tiền lương = ${money(u.cap, lang)} (${underInstrument.vi}); ` +
              (u.capApplied ? `áp dụng mức tối đa: ${money(b.grossAmount, lang)}.` : `chưa vượt mức tối đa: ${money(b.grossAmount, lang)}.`)
          : `Contributions for under one year (${formatMonthCount(b.totalMonths, lang)}): the amount is what was paid into the retirement and survivor fund (${paid}), ${money(u.contributionsPaid, lang)} in total, ` +
              `at most ${rules.underOneYearCapMonths} months of the average salary = ${money(u.cap, lang)} (${underInstrument.en}); ` +
              (u.capApplied ? `the cap applies: ${money(b.grossAmount, lang)}.` : `below the cap: ${money(b.grossAmount, lang)}.`),
      );
    }
    if (b.stateSupportTotal > 0) {
      out.push(
        b.stateSupportDeducted > 0
          ? vi
            ? `Trừ ${formatMoney(b.stateSupportDeducted, lang)} Nhà nước đã hỗ trợ đóng bảo hiểm xã hội tự nguyện (${supportInstrument.vi}): ${money(b.grossAmount, lang)} − ${formatMoney(b.stateSupportDeducted, lang)} = ${money(b.netAmount, lang)}.`
            : `Less ${formatMoney(b.stateSupportDeducted, lang)} of State support paid towards voluntary contributions (${supportInstrument.en}): ${money(b.grossAmount, lang)} − ${formatMoney(b.stateSupportDeducted, lang)} = ${money(b.netAmount, lang)}.`
          : vi
            ? `Khoản Nhà nước hỗ trợ đóng bảo hiểm xã hội tự nguyện (${formatMoney(b.stateSupportTotal, lang)}) không bị trừ trong trường hợp này (${supportInstrument.vi}).`
            : `The State support paid towards voluntary contributions (${formatMoney(b.stateSupportTotal, lang)}) is not deducted in this case (${supportInstrument.en}).`,
      );
    }
    const rounded = b.netAmount.denominator !== '1';
    out.push(
      vi
        ? `Số tiền được hưởng: ${formatMoney(b.amount, lang)}${rounded ? ' (làm tròn đến đồng)' : ''}.`
        : `Amount paid: ${formatMoney(b.amount, lang)}${rounded ? ' (rounded to the đồng)' : ''}.`,
    );
    return out.join(' ');
  };
  return { vi: sentence('vi'), en: sentence('en'), steps };
}
