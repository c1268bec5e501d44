/**
 * Reasons a portal can show as they are (issue 11 part 3).
 *
 * What an application STORES is small: `{ code, condition?: { code, params }, additionalConditions?, note? }`;
 * what an answer SHOWS is rendered from it at answer time (renderReason):
 *   { code, message: { vi, en }, condition?: { code, params }, additionalConditions?, note? }
 * - `code`: the reason code (REASON_CODES); an engine error name (States.TaskFailed, Lambda.Unknown …) is shown
 *   as WORKFLOW_ERROR, never as the raw engine text.
 * - `condition`: the failed legal condition as a code (CONDITION_CODES) with its dates and figures; the message
 *   is built from the catalog's templates below, the Vietnamese entirely in Vietnamese with Vietnamese legal
 *   citations (instruments.citationVi: "điểm đ khoản 1 Điều 70 Luật Bảo hiểm xã hội số 41/2024/QH15"), the
 *   English entirely in English.
 * - `note`: a free text given by an officer (the rejection reason typed in the console), shown as written.
 * Reasons stored before this shape (`{ code, vi, en, detail: "vi / en" }`) are still read: rendered with their
 * texts, English citations inside the Vietnamese rewritten in Vietnamese, provenance markers removed.
 * Pure: no AWS imports.
 */
import { citationVi, withoutAsides } from './explanations/instruments';
import { formatDate, formatMonth, formatMonthCount, formatNumber, type Lang } from './explanations/format';
import type { LumpSumReason } from './lumpSum/lumpSumEligibility';
import { outcomeReasonLabel, type Label } from './reviewReasons';
import { REVIEW_REASON_CODES } from './types';

export type ReasonParamValue = string | number | boolean | null;
export type ReasonParams = Record<string, ReasonParamValue>;

export interface ReasonCondition {
  code: ConditionCode;
  params: ReasonParams;
}

/** What an application stores (plus the legacy fields of reasons stored before this shape). */
export interface StoredReason {
  code: string;
  condition?: ReasonCondition;
  additionalConditions?: ReasonCondition[];
  /** An officer's free text. */
  note?: string | null;
  /** Legacy (before issue 11 part 3). */
  vi?: string;
  en?: string;
  detail?: string | null;
}

/** What an answer shows. */
export interface RenderedReason {
  code: ReasonCode;
  message: Label;
  condition?: ReasonCondition;
  additionalConditions?: ReasonCondition[];
  note?: string;
}

/** Every reason code an answer may carry (the OpenAPI enum). */
export const REASON_CODES = [
  ...REVIEW_REASON_CODES,
  'REVIEW_DEADLINE_PASSED',
  'PAYMENT_NOT_RECEIVED',
  'NO_BILLABLE_MEMBERS',
  'REJECTED_BY_REVIEWER',
  'WORKFLOW_ERROR',
  'ALREADY_SETTLED',
  'NOT_ELIGIBLE',
  'EMPLOYER_NOT_CLOSED',
  'EMPLOYER_OWES_CONTRIBUTIONS',
  'RULE_DATA_UNAVAILABLE',
  'WORKFLOW_STOPPED',
  'WORKFLOW_TIMED_OUT',
  'WORKFLOW_FAILED',
  'CARD_CHANGED_SINCE_QUOTE',
  'RENEWAL_IN_PROGRESS',
  // Unemployment history (the result's eligibility reason).
  'ELIGIBLE',
  'CONTRACT_NOT_COVERED',
  'INSUFFICIENT_MONTHS_IN_WINDOW',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export function isReasonCode(code: string): code is ReasonCode {
  return (REASON_CODES as readonly string[]).includes(code);
}

// ---------------------------------------------------------------------------------------------------------
// Citations

/**
 * The citations of the laws the conditions name (copied from LUMP_SUM_ELIGIBILITY_LAWS and UNEMPLOYMENT_LAWS so
 * every API bundle, which renders reasons, does not carry the rules; a test keeps the copies equal).
 */
const LAW_58 = (a: string, b?: string) => `Law 58/2014/QH13 Art. 60(1)(${a})${b ? `, Art. 77(1)(${b})` : ''}`;
const LAW_41 = (x: string) => `Law 41/2024/QH15 Art. 70(1)(${x})`;
export const LUMP_SUM_LAW_CITATIONS: readonly { id: string; instrument: string; cases: Readonly<Partial<Record<LumpSumReason, string>>> }[] = [
  {
    id: 'LAW_58_2014',
    instrument: 'Law on Social Insurance 58/2014/QH13 + Resolution 93/2015/QH13',
    cases: {
      RETIREMENT_AGE_UNDER_MIN_YEARS: LAW_58('a', 'a'),
      SETTLING_ABROAD: LAW_58('b', 'b'),
      LISTED_DISEASE: LAW_58('c', 'c'),
      ONE_YEAR_GAP: 'Resolution 93/2015/QH13 Art. 1',
      ARMED_FORCES_DISCHARGE: LAW_58('d'),
    },
  },
  {
    id: 'LAW_41_2024',
    instrument: 'Law on Social Insurance 41/2024/QH15',
    cases: {
      RETIREMENT_AGE_UNDER_MIN_YEARS: LAW_41('a'),
      SETTLING_ABROAD: LAW_41('b'),
      LISTED_DISEASE: LAW_41('c'),
      WORK_CAPACITY_LOSS_81: LAW_41('d'),
      ONE_YEAR_GAP: LAW_41('đ'),
      ARMED_FORCES_DISCHARGE: LAW_41('e'),
    },
  },
];

export const UNEMPLOYMENT_LAW_CITATIONS: readonly { id: string; instrument: string; eligibilityArticle: string }[] = [
  { id: 'LAW_38_2013', instrument: 'Law on Employment 38/2013/QH13', eligibilityArticle: 'Art. 43(1), Art. 49(2)' },
  { id: 'LAW_74_2025', instrument: 'Law on Employment 74/2025/QH15', eligibilityArticle: 'Art. 38' },
];

const LUMP_SUM_LAW_IDS = LUMP_SUM_LAW_CITATIONS.map((l) => l.id);
const UNEMPLOYMENT_LAW_IDS = UNEMPLOYMENT_LAW_CITATIONS.map((l) => l.id);

/** The English citation, and its Vietnamese name, of a lump-sum case under a law (the law itself without a case). */
export function lumpSumCitation(lawId: ReasonParamValue, reason?: ReasonParamValue): Label | null {
  const law = LUMP_SUM_LAW_CITATIONS.find((l) => l.id === lawId);
  if (!law) return null;
  const en = (typeof reason === 'string' ? law.cases[reason as LumpSumReason] : undefined) ?? law.instrument;
  return { vi: citationVi(en) ?? en, en: withoutAsides(en) };
}

export function unemploymentCitation(lawId: ReasonParamValue): Label | null {
  const law = UNEMPLOYMENT_LAW_CITATIONS.find((l) => l.id === lawId);
  if (!law) return null;
  const en = `${law.instrument} ${law.eligibilityArticle}`;
  return { vi: citationVi(en) ?? en, en };
}

/** English citations inside a Vietnamese text ("… theo Law 41/2024/QH15 Art. 70(1)(đ)") named in Vietnamese. */
export function vietnameseCitations(text: string): string {
  const citation =
    /\b(?:Law(?: on [A-Z][a-z]+(?: [A-Z][a-z]+)*)?|Decree|Circular|Resolution|Decision)\s+\d+\/\d{4}\/[A-ZĐ0-9-]+(?:\s*Art\.\s*[0-9]+(?:\([0-9a-zđ]+\))*(?:,\s*Art\.\s*[0-9]+(?:\([0-9a-zđ]+\))*)*)?(?:\s*\+\s*(?:Resolution|Decree|Circular|Decision)\s+\d+\/\d{4}\/[A-ZĐ0-9-]+)?/g;
  return text
    .replace(citation, (c) => citationVi(c) ?? c)
    .replace(/\s*\(verify\)/gi, '')
    .replace(/\s{2,}/g, ' ');
}

// ---------------------------------------------------------------------------------------------------------
// The catalog of conditions

type Template = (p: ReasonParams, lang: Lang) => string;

const str = (v: ReasonParamValue | undefined): string => (v === null || v === undefined ? '' : String(v));
const date = (v: ReasonParamValue | undefined, lang: Lang) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? formatDate(v, lang) : str(v));
const month = (v: ReasonParamValue | undefined, lang: Lang) => (typeof v === 'string' && /^\d{4}-\d{2}$/.test(v) ? formatMonth(v, lang) : str(v));
const months = (v: ReasonParamValue | undefined, lang: Lang) => (typeof v === 'number' ? formatMonthCount(v, lang) : str(v));
const years = (v: ReasonParamValue | undefined, lang: Lang) => (lang === 'vi' ? `${str(v)} năm` : `${str(v)} years`);
const t = (lang: Lang, vi: string, en: string) => (lang === 'vi' ? vi : en);

const DISEASES: Record<string, Label> = {
  CANCER: { vi: 'ung thư', en: 'cancer' },
  PARALYSIS: { vi: 'bại liệt', en: 'paralysis' },
  DECOMPENSATED_CIRRHOSIS: { vi: 'xơ gan mất bù', en: 'decompensated cirrhosis' },
  SEVERE_TUBERCULOSIS: { vi: 'lao nặng', en: 'severe tuberculosis' },
  AIDS: { vi: 'AIDS', en: 'AIDS' },
  LEPROSY: { vi: 'phong', en: 'leprosy' },
  OTHER_MOH_LISTED: { vi: 'bệnh khác thuộc danh mục của Bộ Y tế', en: 'another disease listed by the Ministry of Health' },
};

const lawName = (p: ReasonParams, lang: Lang) => {
  const c = lumpSumCitation(p.law);
  return c ? c[lang] : str(p.law);
};

export const CONDITIONS = {
  // Lump sum (functions/domain/lumpSum/lumpSumEligibility.ts), params always with { law, case }.
  CASE_PROVIDED_BY_LAW: (p, l) =>
    t(
      l,
      `${lawName(p, l)} (áp dụng cho hồ sơ nộp từ ngày ${date(p.effectiveFrom, l)}) không quy định trường hợp hưởng đã chọn`,
      `${lawName(p, l)} (applications from ${date(p.effectiveFrom, l)}) provides no such case`,
    ),
  HAS_CONTRIBUTIONS: (_p, l) => t(l, 'không có thời gian đóng bảo hiểm xã hội', 'no social-insurance contributions are on record'),
  RETIREMENT_AGE_REACHED: (p, l) =>
    p.retirementAgeReachedOn
      ? t(
          l,
          `chưa đủ tuổi nghỉ hưu: đủ tuổi vào ngày ${date(p.retirementAgeReachedOn, l)}, sau ngày nộp hồ sơ ${date(p.applicationDate, l)}`,
          `the retirement age is reached on ${date(p.retirementAgeReachedOn, l)}, after the application date ${date(p.applicationDate, l)}`,
        )
      : t(l, 'thiếu ngày đủ tuổi nghỉ hưu', 'the date the retirement age is reached is missing'),
  BELOW_PENSION_MINIMUM_YEARS: (p, l) =>
    t(
      l,
      `đã có ${months(p.totalMonths, l)} đóng, từ ${years(p.minimumYears, l)} trở lên: đủ điều kiện hưởng lương hưu`,
      `${months(p.totalMonths, l)} of contributions, ${years(p.minimumYears, l)} or more: the pension conditions are met`,
    ),
  SETTLEMENT_ABROAD_EVIDENCED: (_p, l) => t(l, 'thiếu giấy tờ chứng minh ra nước ngoài định cư', 'no evidence of settlement abroad was produced'),
  DISEASE_LISTED: (p, l) =>
    p.disease
      ? t(l, `bệnh ${DISEASES[str(p.disease)]?.vi ?? str(p.disease)} không thuộc danh mục`, `${DISEASES[str(p.disease)]?.en ?? str(p.disease)} is not a listed disease`)
      : t(l, 'thiếu kết luận y khoa về bệnh', 'no medical conclusion names the disease'),
  WORK_CAPACITY_LOSS: (p, l) =>
    p.lossPercent === null || p.lossPercent === undefined
      ? t(l, 'thiếu kết luận mức suy giảm khả năng lao động', 'no working-capacity loss assessment was produced')
      : t(
          l,
          `mức suy giảm khả năng lao động ${formatNumber(Number(p.lossPercent), l)}%, dưới ${formatNumber(Number(p.minimumPercent), l)}%`,
          `working-capacity loss of ${formatNumber(Number(p.lossPercent), l)}%, below ${formatNumber(Number(p.minimumPercent), l)}%`,
        ),
  STARTED_BEFORE_CUTOFF: (p, l) =>
    t(
      l,
      `bắt đầu đóng từ tháng ${month(p.firstContributionMonth, l)}, không trước ngày ${date(p.cutoff, l)}`,
      `contributions started in ${month(p.firstContributionMonth, l)}, not before ${date(p.cutoff, l)}`,
    ),
  MONTHS_WITHOUT_CONTRIBUTIONS: (p, l) =>
    p.lastContributionMonth
      ? t(
          l,
          `mới ${months(p.monthsWithoutContributions, l)} không đóng bảo hiểm xã hội kể từ tháng đóng cuối cùng ${month(p.lastContributionMonth, l)} (tính đến ngày ${date(p.applicationDate, l)}); cần đủ ${months(p.requiredMonths, l)}, đủ từ ngày ${date(p.eligibleFrom, l)}`,
          `only ${months(p.monthsWithoutContributions, l)} without contributions since the last contribution month, ${month(p.lastContributionMonth, l)} (as of ${date(p.applicationDate, l)}); ${months(p.requiredMonths, l)} are required, met from ${date(p.eligibleFrom, l)}`,
        )
      : t(l, 'không có tháng đóng cuối cùng', 'there is no last contribution month'),
  BELOW_MAXIMUM_YEARS: (p, l) =>
    t(
      l,
      `đã có ${months(p.totalMonths, l)} đóng, từ ${years(p.maximumYears, l)} trở lên`,
      `${months(p.totalMonths, l)} of contributions, ${years(p.maximumYears, l)} or more`,
    ),
  ARMED_FORCES_SEPARATED: (p, l) =>
    p.separationDate
      ? t(
          l,
          `quyết định phục viên, xuất ngũ, thôi việc ngày ${date(p.separationDate, l)}, sau ngày nộp hồ sơ ${date(p.applicationDate, l)}`,
          `the demobilisation or discharge decision of ${date(p.separationDate, l)} is after the application date ${date(p.applicationDate, l)}`,
        )
      : t(l, 'thiếu quyết định phục viên, xuất ngũ, thôi việc', 'no demobilisation or discharge decision was produced'),
  NOT_ELIGIBLE_FOR_PENSION: (_p, l) =>
    t(l, 'đủ điều kiện hưởng lương hưu: không hưởng một lần theo trường hợp này', 'the pension conditions are met: no lump sum in this case'),
  // Lump sum: the contribution record was paid out before.
  NOT_SETTLED_BEFORE: (p, l) =>
    t(
      l,
      `quá trình đóng đã được giải quyết hưởng một lần ngày ${date(p.settledOn, l)} (lệnh chi ${str(p.paymentOrderId)}); không giải quyết lần thứ hai`,
      `the record was paid out as a lump sum on ${date(p.settledOn, l)} (payment order ${str(p.paymentOrderId)}); it cannot be paid twice`,
    ),
  // A review that was not decided before its deadline: what it was about (a review reason code).
  REVIEW_DECIDED_IN_TIME: (p, l) => {
    const about = isReasonCode(str(p.reviewReason)) ? outcomeReasonLabel(str(p.reviewReason))[l] : str(p.reviewReason);
    return t(l, `hồ sơ chờ xem xét vì: ${about.charAt(0).toLowerCase()}${about.slice(1)}`, `the application was under review because: ${about.charAt(0).toLowerCase()}${about.slice(1)}`);
  },
  // Lump sum: the rule data the amount needs was not published before the claim's last attempt.
  RULE_DATA_PUBLISHED: (p, l) => {
    const what = p.settlementYear
      ? t(
          l,
          `bảng hệ số điều chỉnh tiền lương và thu nhập tháng đã đóng bảo hiểm xã hội cho hồ sơ giải quyết năm ${str(p.settlementYear)} chưa được ban hành`,
          `the salary-adjustment coefficients for claims settled in ${str(p.settlementYear)} have not been published`,
        )
      : p.month
        ? t(l, `chưa có tỷ lệ đóng quỹ hưu trí, tử tuất cho tháng ${month(p.month, l)}`, `no retirement and survivorship fund rate is on record for ${month(p.month, l)}`)
        : t(l, 'dữ liệu pháp lý cần để tính mức hưởng chưa được ban hành', 'the legal data the amount needs has not been published');
    return p.waitedFrom && p.waitedUntil
      ? t(
          l,
          `${what}; hồ sơ đã chờ từ ngày ${date(p.waitedFrom, l)} đến ngày ${date(p.waitedUntil, l)} và sẽ được giải quyết lại khi dữ liệu được ban hành`,
          `${what}; the claim waited from ${date(p.waitedFrom, l)} to ${date(p.waitedUntil, l)} and will be processed again once the data is published`,
        )
      : what;
  },
  // Household renewal: another renewal of the same household holds it (or paid first).
  NO_OTHER_RENEWAL_IN_PROGRESS: (p, l) =>
    t(l, `hồ sơ ${str(p.holderApplicationId)} đang gia hạn thẻ cho hộ gia đình này`, `application ${str(p.holderApplicationId)} is renewing this household`),
  // Household renewal: a card changed between the quote and the payment; the payment is refunded.
  CARDS_UNCHANGED_SINCE_QUOTE: (p, l) =>
    t(l, `số thành viên có thẻ thay đổi: ${str(p.membersChanged)}`, `members whose card changed: ${str(p.membersChanged)}`),
  // Unemployment history (functions/domain/unemployment/unemploymentHistory.ts), params with { law }.
  UI_MONTHS_IN_WINDOW: (p, l) => {
    const met = Number(p.monthsWithinWindow) >= Number(p.requiredMonths);
    const within = `${months(p.monthsWithinWindow, l)}`;
    const window = t(l, `trong ${months(p.windowMonths, l)} từ tháng ${month(p.windowFrom, l)} đến tháng ${month(p.windowTo, l)}`, `within the ${months(p.windowMonths, l)} from ${month(p.windowFrom, l)} to ${month(p.windowTo, l)}`);
    const ended = t(l, `trước khi chấm dứt hợp đồng ngày ${date(p.terminationDate, l)}`, `before the contract ended on ${date(p.terminationDate, l)}`);
    const need = months(p.requiredMonths, l);
    return met
      ? t(l, `${within} đóng bảo hiểm thất nghiệp ${window} ${ended}, từ đủ ${need}`, `${within} of unemployment-insurance contributions ${window} ${ended}, at least ${need}`)
      : t(l, `chỉ có ${within} đóng bảo hiểm thất nghiệp ${window} ${ended}; cần từ đủ ${need}`, `only ${within} of unemployment-insurance contributions ${window} ${ended}; ${need} are required`);
  },
  UI_CONTRACT_COVERED: (p, l) =>
    t(
      l,
      `loại hợp đồng ${str(p.contractType)} không thuộc đối tượng tham gia bảo hiểm thất nghiệp (chấm dứt ngày ${date(p.terminationDate, l)})`,
      `contract type ${str(p.contractType)} is not covered by unemployment insurance (ended on ${date(p.terminationDate, l)})`,
    ),
  EMPLOYER_RECORD_CLOSED: (p, l) =>
    t(l, `đơn vị ${str(p.employerName)} (mã ${str(p.employerCode)}) chưa chốt quá trình đóng`, `employer ${str(p.employerName)} (code ${str(p.employerCode)}) has not closed the record`),
  EMPLOYER_NO_DEBT: (p, l) =>
    t(l, `đơn vị ${str(p.employerName)} (mã ${str(p.employerCode)}) còn nợ tiền đóng`, `employer ${str(p.employerName)} (code ${str(p.employerCode)}) owes contributions`),
} satisfies Record<string, Template>;

export type ConditionCode = keyof typeof CONDITIONS;
export const CONDITION_CODES = Object.keys(CONDITIONS) as ConditionCode[];

const LUMP_SUM_CONDITIONS = new Set<string>([
  'CASE_PROVIDED_BY_LAW',
  'HAS_CONTRIBUTIONS',
  'RETIREMENT_AGE_REACHED',
  'BELOW_PENSION_MINIMUM_YEARS',
  'SETTLEMENT_ABROAD_EVIDENCED',
  'DISEASE_LISTED',
  'WORK_CAPACITY_LOSS',
  'STARTED_BEFORE_CUTOFF',
  'MONTHS_WITHOUT_CONTRIBUTIONS',
  'BELOW_MAXIMUM_YEARS',
  'ARMED_FORCES_SEPARATED',
  'NOT_ELIGIBLE_FOR_PENSION',
]);

/** The condition's sentence, in one language. */
export function conditionText(condition: ReasonCondition, lang: Lang): string {
  const template = (CONDITIONS as Record<string, Template>)[condition.code];
  if (!template) return t(lang, 'điều kiện không được đáp ứng', 'a condition is not met');
  return template(condition.params ?? {}, lang);
}

/** The legal basis the conditions are of (the first condition's law), or null. */
function basisOf(condition: ReasonCondition): Label | null {
  const p = condition.params ?? {};
  if (LUMP_SUM_CONDITIONS.has(condition.code) && LUMP_SUM_LAW_IDS.includes(str(p.law))) {
    return condition.code === 'CASE_PROVIDED_BY_LAW' ? null : lumpSumCitation(p.law, p.case);
  }
  if (condition.code.startsWith('UI_') && UNEMPLOYMENT_LAW_IDS.includes(str(p.law))) return unemploymentCitation(p.law);
  return null;
}

/** The message of a reason code with its conditions: "<label>: <condition>; <condition> (theo <citation>)." */
export function reasonMessage(code: ReasonCode, conditions: ReasonCondition[]): Label {
  const label = outcomeReasonLabel(code);
  if (conditions.length === 0) return label;
  const basis = basisOf(conditions[0]);
  const out = { vi: '', en: '' };
  for (const lang of ['vi', 'en'] as const) {
    const parts = conditions.map((c) => conditionText(c, lang)).join('; ');
    const cited = basis ? (lang === 'vi' ? ` (theo ${basis.vi})` : ` (under ${basis.en})`) : '';
    out[lang] = `${label[lang]}: ${parts}${cited}.`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Rendering

/** A code an answer shows: unknown codes (engine error names: States.*, Lambda.*, …) become WORKFLOW_ERROR. */
export function shownCode(code: string | null | undefined): ReasonCode {
  return code && isReasonCode(code) ? code : 'WORKFLOW_ERROR';
}

/** "vi / en" (the legacy detail) → its two halves (null when it is not of that form). */
function splitLegacyDetail(detail: string): Label | null {
  const at = detail.indexOf(' / ');
  if (at < 0) return null;
  return { vi: detail.slice(0, at).trim(), en: detail.slice(at + 3).trim() };
}

/** A reason as an answer shows it (the stored shape, or the legacy one). */
export function renderReason(stored: StoredReason): RenderedReason {
  const code = shownCode(stored.code);
  const conditions = [...(stored.condition ? [stored.condition] : []), ...(stored.additionalConditions ?? [])];
  let message: Label;
  if (conditions.length > 0 || stored.vi === undefined || code !== stored.code) {
    message = reasonMessage(code, conditions);
  } else {
    // Legacy: the stored texts, with the detail when it was a "vi / en" pair (a bare detail was the officer's note).
    const detail = stored.detail ? splitLegacyDetail(stored.detail) : null;
    message = {
      vi: vietnameseCitations(detail ? `${stored.vi}: ${detail.vi}` : stored.vi),
      en: withoutVerify(detail ? `${stored.en ?? stored.vi}: ${detail.en}` : (stored.en ?? stored.vi)),
    };
  }
  const legacyNote = stored.vi !== undefined && stored.detail && !splitLegacyDetail(stored.detail) && code === stored.code ? stored.detail : null;
  const note = stored.note ?? legacyNote;
  return {
    code,
    message,
    ...(stored.condition ? { condition: stored.condition } : {}),
    ...(stored.additionalConditions?.length ? { additionalConditions: stored.additionalConditions } : {}),
    ...(note ? { note } : {}),
  };
}

/** A review item's reason as staff answers show it (the same shape as every other reason): `{ code, message }`. */
export function reviewItemReason(code: string): RenderedReason {
  return renderReason({ code });
}

function withoutVerify(text: string): string {
  return text.replace(/\s*\(verify\)/gi, '').replace(/\s{2,}/g, ' ');
}

/** The structured part of a step's Stop (functions/applications/decisions.ts), carried through the workflow. */
export interface StopConditions {
  condition: ReasonCondition;
  additionalConditions?: ReasonCondition[];
}

export function isStopConditions(value: unknown): value is StopConditions {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { condition?: { code?: unknown } }).condition?.code === 'string'
  );
}

/**
 * The eligibility reason of an unemployment-history result (stored `reasonCode`, `reason: { vi, en }`, and the
 * figures), as an answer shows it: `{ code, message, condition }` with the months counted in the window.
 */
export function unemploymentResultReason(result: Record<string, unknown>): RenderedReason | null {
  const code = result.reasonCode;
  if (typeof code !== 'string' || !isReasonCode(code)) return null;
  const law = (result.law as { id?: string } | undefined)?.id ?? null;
  const window = (result.window ?? {}) as { months?: number; from?: string; to?: string };
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  const s = (v: unknown) => (typeof v === 'string' ? v : null);
  const condition: ReasonCondition =
    code === 'CONTRACT_NOT_COVERED'
      ? { code: 'UI_CONTRACT_COVERED', params: { law, contractType: s(result.contractType), terminationDate: s(result.terminationDate) } }
      : {
          code: 'UI_MONTHS_IN_WINDOW',
          params: {
            law,
            monthsWithinWindow: num(result.monthsWithinWindow),
            windowMonths: num(window.months),
            windowFrom: s(window.from),
            windowTo: s(window.to),
            terminationDate: s(result.terminationDate),
            requiredMonths: num(result.requiredMonths),
          },
        };
  return { code, message: reasonMessage(code, [condition]), condition };
}
