/**
 * Explanation of the estimated unemployment benefit (trợ cấp thất nghiệp) in a contribution-history
 * confirmation, from the assessment the rules computed (unemployment/unemploymentHistory.ts): the last six
 * contribution months' average → 60 % → the cap (5 × the regional minimum wage, with its decree) → the monthly
 * benefit; the months of benefit and the months reserved. Every figure is the assessment's own.
 */
import { UNEMPLOYMENT_LAWS, type UnemploymentHistoryAssessment } from '../unemployment/unemploymentHistory';
import { formatDate, formatFraction, formatMoney, formatMonth, formatMonthCount, formatNumber, formatPercent, fractionNumber, type Lang } from './format';
import { instrumentOf } from './instruments';
import type { Explanation, ExplanationStep } from './types';

export type ExplainableUnemployment = Pick<
  UnemploymentHistoryAssessment,
  'law' | 'benefitCalculation' | 'estimatedMonthlyBenefit' | 'benefitDurationMonths' | 'totalUiMonths' | 'usedMonths' | 'reservedMonths'
>;

/** The explanation of the estimated benefit, or null when no benefit is calculated (not eligible). */
export function explainUnemploymentBenefit(a: ExplainableUnemployment): Explanation | null {
  const calc = a.benefitCalculation;
  if (!calc) return null;
  const law = UNEMPLOYMENT_LAWS.find((l) => l.id === a.law.id);
  if (!law) throw new RangeError(`no unemployment law ${a.law.id}`);
  const benefitInstrument = instrumentOf(`${law.instrument} ${law.benefitArticle}`, law.effectiveFrom);
  const wageInstrument = calc.cap ? instrumentOf(calc.cap.instrument, calc.cap.effectiveFrom) : null;
  const salaryTotal = calc.lastMonths.reduce((sum, m) => sum + m.monthlySalary, 0);
  const n = calc.lastMonths.length;
  const first = calc.lastMonths[0]?.month;
  const last = calc.lastMonths[n - 1]?.month;
  const avg = calc.averageMonthlySalary;
  const uncapped = calc.uncappedBenefit;

  const steps: ExplanationStep[] = [
    {
      code: 'LAST_MONTHS_AVERAGE',
      value: fractionNumber(avg.numerator, avg.denominator),
      unit: 'VND',
      months: n,
      salaryTotal,
      ...(avg.denominator === '1' ? {} : { exact: { numerator: avg.numerator, denominator: avg.denominator } }),
    },
    { code: 'BENEFIT_RATE', value: calc.ratePercent, unit: 'PERCENT', instrument: benefitInstrument },
    {
      code: 'UNCAPPED_BENEFIT',
      value: fractionNumber(uncapped.numerator, uncapped.denominator),
      unit: 'VND',
      ...(uncapped.denominator === '1' ? {} : { exact: { numerator: uncapped.numerator, denominator: uncapped.denominator } }),
    },
  ];
  if (calc.cap && wageInstrument) {
    steps.push(
      { code: 'REGIONAL_MINIMUM_WAGE', value: calc.cap.regionalMinimumWage, unit: 'VND', region: calc.cap.region, instrument: wageInstrument },
      { code: 'BENEFIT_CAP', value: calc.cap.amount, unit: 'VND', multiple: calc.cap.multiple, applied: calc.capApplied, instrument: benefitInstrument },
    );
  }
  if (calc.amount !== null) steps.push({ code: 'RESULT', value: calc.amount, unit: 'VND' });
  steps.push({ code: 'BENEFIT_DURATION', value: a.benefitDurationMonths, unit: 'MONTHS', months: a.totalUiMonths, instrument: benefitInstrument });

  const sentence = (lang: Lang): string => {
    const vi = lang === 'vi';
    const money = (v: number) => formatMoney(v, lang);
    const span = first === last ? formatMonth(first, lang) : vi ? `${formatMonth(first, lang)} đến ${formatMonth(last, lang)}` : `${formatMonth(first, lang)} to ${formatMonth(last, lang)}`;
    const out: string[] = [];
    out.push(
      vi
        ? `Bình quân tiền lương tháng đóng bảo hiểm thất nghiệp của ${n} tháng đóng cuối cùng (${span}): ${money(salaryTotal)} ÷ ${n} = ${formatFraction(avg.numerator, avg.denominator, lang)}.`
        : `Average monthly salary of the last ${n} contribution months (${span}): ${money(salaryTotal)} ÷ ${n} = ${formatFraction(avg.numerator, avg.denominator, lang)}.`,
    );
    out.push(
      vi
        ? `Mức hưởng hằng tháng bằng ${formatPercent(calc.ratePercent, lang)} mức bình quân (${benefitInstrument.vi}): ${formatFraction(avg.numerator, avg.denominator, lang)} × ${formatPercent(calc.ratePercent, lang)} = ${formatFraction(uncapped.numerator, uncapped.denominator, lang)}.`
        : `The monthly benefit is ${formatPercent(calc.ratePercent, lang)} of the average (${benefitInstrument.en}): ${formatFraction(avg.numerator, avg.denominator, lang)} × ${formatPercent(calc.ratePercent, lang)} = ${formatFraction(uncapped.numerator, uncapped.denominator, lang)}.`,
    );
    if (calc.cap && wageInstrument) {
      const c = calc.cap;
      const wage = vi
        ? `${c.multiple} × ${money(c.regionalMinimumWage)} (lương tối thiểu vùng ${c.region} theo ${wageInstrument.vi}, áp dụng tại ngày ${formatDate(c.referenceDate, lang)}) = ${money(c.amount)}`
        : `${c.multiple} × ${money(c.regionalMinimumWage)} (the region ${c.region} minimum wage, ${wageInstrument.en}, in force on ${formatDate(c.referenceDate, lang)}) = ${money(c.amount)}`;
      out.push(
        calc.capApplied
          ? vi
            ? `Mức này vượt mức tối đa ${wage}, nên mức hưởng là ${money(c.amount)}.`
            : `This exceeds the cap of ${wage}, so the benefit is ${money(c.amount)}.`
          : vi
            ? `Mức này không vượt mức tối đa ${wage}.`
            : `This is below the cap of ${wage}.`,
      );
    }
    if (calc.amount !== null) {
      const rounded = !calc.capApplied && uncapped.denominator !== '1';
      out.push(
        vi
          ? `Trợ cấp thất nghiệp ước tính: ${money(calc.amount)} mỗi tháng${rounded ? ' (làm tròn đến đồng)' : ''}.`
          : `Estimated unemployment benefit: ${money(calc.amount)} a month${rounded ? ' (rounded to the đồng)' : ''}.`,
      );
    } else if (calc.note) {
      out.push(calc.note[lang]);
    }
    const d = law.duration;
    out.push(
      vi
        ? `Thời gian hưởng: ${formatMonthCount(a.totalUiMonths, lang)} đóng → ${formatMonthCount(a.benefitDurationMonths, lang)} (${d.baseBenefitMonths} tháng cho ${law.requiredMonths} đến ${d.baseCoversContributionMonthsUpTo} tháng đóng, thêm 1 tháng cho mỗi ${d.contributionMonthsPerExtraBenefitMonth} tháng đóng tiếp theo, tối đa ${d.maxBenefitMonths} tháng)` +
            (a.reservedMonths ? `; ${formatNumber(a.reservedMonths, lang)} tháng đóng chưa dùng được bảo lưu.` : '.')
        : `Benefit duration: ${formatMonthCount(a.totalUiMonths, lang)} of contributions → ${formatMonthCount(a.benefitDurationMonths, lang)} (${d.baseBenefitMonths} months for ${law.requiredMonths} to ${d.baseCoversContributionMonthsUpTo} contribution months, 1 more for each further ${d.contributionMonthsPerExtraBenefitMonth}, at most ${d.maxBenefitMonths})` +
            (a.reservedMonths ? `; ${formatMonthCount(a.reservedMonths, lang)} of contributions not used are reserved.` : '.'),
    );
    return out.join(' ');
  };
  return { vi: sentence('vi'), en: sentence('en'), steps };
}
