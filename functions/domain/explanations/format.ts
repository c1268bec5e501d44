/**
 * Numbers, money and dates as a Vietnamese or an English reader writes them, for the explanations of amounts.
 * Written out by hand (no Intl): the text must be the same on every runtime.
 *   vi: 79.695 đồng · 7.838.437,5 đồng · 4,5 % · 01/07/2026
 *   en: VND 79,695 · VND 7,838,437.5 · 4.5% · 1 July 2026
 */

export type Lang = 'vi' | 'en';

const SEPARATORS: Record<Lang, { thousands: string; decimal: string }> = {
  vi: { thousands: '.', decimal: ',' },
  en: { thousands: ',', decimal: '.' },
};

/**
 * A non-negative decimal written as digits (e.g. '7838437.5', '2340000', '1.65') in the reader's notation.
 * Accepts a number too (converted with String, so pass only integers or short decimals).
 */
export function formatNumber(value: number | string, lang: Lang): string {
  const text = typeof value === 'number' ? String(value) : value;
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new RangeError(`not a plain decimal: ${JSON.stringify(text)}`);
  const { thousands, decimal } = SEPARATORS[lang];
  const whole = m[2].replace(/\B(?=(\d{3})+(?!\d))/g, thousands);
  return `${m[1]}${whole}${m[3] ? decimal + m[3] : ''}`;
}

/** Money in đồng: "79.695 đồng" / "VND 79,695". */
export function formatMoney(value: number | string, lang: Lang): string {
  const n = formatNumber(value, lang);
  return lang === 'vi' ? `${n} đồng` : `VND ${n}`;
}

/** A percentage: "4,5 %" / "4.5%". */
export function formatPercent(value: number | string, lang: Lang): string {
  const n = formatNumber(value, lang);
  return lang === 'vi' ? `${n} %` : `${n}%`;
}

const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A calendar date 'YYYY-MM-DD': "01/07/2026" / "1 July 2026". */
export function formatDate(date: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not a date: ${JSON.stringify(date)}`);
  return lang === 'vi' ? `${m[3]}/${m[2]}/${m[1]}` : `${Number(m[3])} ${EN_MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

/** A calendar month 'YYYY-MM': "03/2011" / "March 2011". */
export function formatMonth(month: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) throw new RangeError(`not a month: ${JSON.stringify(month)}`);
  return lang === 'vi' ? `${m[2]}/${m[1]}` : `${EN_MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

/** "12 tháng" / "12 months" (1 month). */
export function formatMonthCount(months: number, lang: Lang): string {
  return lang === 'vi' ? `${formatNumber(months, lang)} tháng` : `${formatNumber(months, lang)} ${months === 1 ? 'month' : 'months'}`;
}

/**
 * An exact fraction (decimal-string numerator / denominator, as in a FractionView) as a decimal with at most
 * `maxDecimals` decimals: exact when it terminates within them, otherwise rounded half up and `approximate`.
 */
export function fractionDecimal(numerator: string | bigint, denominator: string | bigint, maxDecimals = 2): { text: string; approximate: boolean } {
  const n = BigInt(numerator);
  const d = BigInt(denominator);
  if (d <= 0n || n < 0n) throw new RangeError('fractionDecimal: non-negative fractions with a positive denominator only');
  const scale = 10n ** BigInt(maxDecimals);
  const scaled = n * scale;
  const exact = scaled % d === 0n;
  let q = scaled / d;
  if (!exact && 2n * (scaled % d) >= d) q += 1n;
  const whole = q / scale;
  let decimals = (q % scale).toString().padStart(maxDecimals, '0').replace(/0+$/, '');
  if (maxDecimals === 0) decimals = '';
  return { text: decimals ? `${whole}.${decimals}` : `${whole}`, approximate: !exact };
}

/** A fraction as the reader writes it, "≈ " in front when it had to be rounded for display. */
export function formatFraction(numerator: string | bigint, denominator: string | bigint, lang: Lang, money = true): string {
  const { text, approximate } = fractionDecimal(numerator, denominator);
  const shown = money ? formatMoney(text, lang) : formatNumber(text, lang);
  return approximate ? `≈ ${shown}` : shown;
}

/** The fraction as a JSON number (for Step.value; the exact value travels beside it when it is not whole). */
export function fractionNumber(numerator: string | bigint, denominator: string | bigint): number {
  return Number(fractionDecimal(numerator, denominator, 6).text);
}
