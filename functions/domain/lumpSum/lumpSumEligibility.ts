/**
 * Lump-sum social insurance (BHXH một lần): may this person withdraw? Pure rules, no I/O.
 * Source: /work/shared/domain.md §3.
 *
 * Law by APPLICATION DATE:
 * - before 2025-07-01: Law on Social Insurance 58/2014/QH13 Art. 60(1) (Art. 77(1) for voluntary participants)
 *   with Resolution 93/2015/QH13 (the one-year-gap case);
 * - from 2025-07-01: Law on Social Insurance 41/2024/QH15 Art. 70(1).
 * Every parameter is in LUMP_SUM_ELIGIBILITY_LAWS.
 *
 * Readings (verify):
 * - Retirement age is an INPUT (`person.retirementAgeReachedOn`): the retirement-age roadmap (Labour Code 2019
 *   Art. 169, Decree 135/2020) and its reductions (hard work, disability …) are out of scope. Case (a) needs that
 *   date to be on or before the application date.
 * - Case (a) minimum: < 20 years under Law 58/2014 (the 15-year variant of its Art. 54(3) is not modelled),
 *   < 15 years under Law 41/2024.
 * - "12 months outside insurance" = whole calendar months after the last contribution month (compulsory or
 *   voluntary) up to the application date: applicationMonth − lastContributionMonth − 1 ≥ 12. Last contribution
 *   2025-06 → outside insurance from 2025-07-01 → eligible from 2026-07-01. The same count is used for the
 *   Resolution 93/2015 "one year after leaving work / stopping voluntary contributions".
 * - Case (đ) "started before 2025-07-01": the first contribution month (any SI period) is 2025-06 or earlier.
 * - Working-capacity loss ≥ 81 % / especially severe disability is a case only under Law 41/2024 Art. 70(1)(d).
 * - Listed diseases: Law 58/2014 also lists leprosy and "other diseases listed by the Ministry of Health";
 *   Law 41/2024 lists cancer, paralysis, decompensated cirrhosis, severe tuberculosis, AIDS.
 * - Armed forces: demobilised / discharged / leaving the service and not eligible for a pension (evidence).
 * - Contribution time counts distinct months of periods with 'SI' (compulsory and voluntary; overlaps once).
 */
import {
  assertIsoDate,
  collapseMonths,
  firstDayOfMonth,
  formatMonths,
  invalidInput,
  monthIndex,
  monthIndexOfDate,
  validatePeriods,
  type Bilingual,
  type CitedLegalBasis,
  type SiContributionPeriod,
} from './months';
import type { Sex } from '../types';
import { citationVi } from '../explanations/instruments';

export type { SiContributionPeriod } from './months';

/** The case the applicant invokes (letters of Law 41/2024 Art. 70(1); Law 58/2014 Art. 60(1) in brackets). */
export type LumpSumReason =
  /** (a) [60(1)(a)] retirement age reached without the minimum years for a pension. */
  | 'RETIREMENT_AGE_UNDER_MIN_YEARS'
  /** (b) [60(1)(b)] leaving to settle abroad. */
  | 'SETTLING_ABROAD'
  /** (c) [60(1)(c)] a listed life-threatening disease. */
  | 'LISTED_DISEASE'
  /** (d) working-capacity loss of 81 % or more, or especially severe disability (Law 41/2024 only). */
  | 'WORK_CAPACITY_LOSS_81'
  /** (đ) [Resolution 93/2015] 12 months outside insurance with fewer than 20 years of contributions. */
  | 'ONE_YEAR_GAP'
  /** (e) [60(1)(d)] armed forces: demobilisation, discharge, leaving the service, without a pension. */
  | 'ARMED_FORCES_DISCHARGE';

export const LUMP_SUM_REASONS: readonly LumpSumReason[] = [
  'RETIREMENT_AGE_UNDER_MIN_YEARS',
  'SETTLING_ABROAD',
  'LISTED_DISEASE',
  'WORK_CAPACITY_LOSS_81',
  'ONE_YEAR_GAP',
  'ARMED_FORCES_DISCHARGE',
];

export type ListedDisease =
  | 'CANCER'
  | 'PARALYSIS'
  | 'DECOMPENSATED_CIRRHOSIS'
  | 'SEVERE_TUBERCULOSIS'
  | 'AIDS'
  | 'LEPROSY'
  /** Another disease listed by the Ministry of Health (Law 58/2014 only). */
  | 'OTHER_MOH_LISTED';

export interface LumpSumEvidence {
  /** (b) A document showing settlement abroad (visa, residence permit …) was produced. */
  settlementAbroadDocument?: boolean;
  /** (c) The disease named in the medical conclusion. */
  disease?: ListedDisease;
  /** (d) Working-capacity loss assessed by the medical council, percent. */
  workCapacityLossPercent?: number;
  /** (d) Especially severe disability certified. */
  especiallySevereDisability?: boolean;
  /** (e) Date of the demobilisation / discharge / leaving decision. */
  armedForcesSeparationDate?: string;
  /** (e) true when the person meets the pension conditions (then no lump sum). */
  eligibleForPension?: boolean;
}

export interface LumpSumPerson {
  dateOfBirth: string;
  sex: Sex;
  /** Date the person reached (or reaches) their retirement age; an input, see the file header. */
  retirementAgeReachedOn?: string;
}

export interface LumpSumEligibilityInput {
  applicationDate: string;
  reason: LumpSumReason;
  person: LumpSumPerson;
  periods: readonly SiContributionPeriod[];
  evidence?: LumpSumEvidence;
}

export type LumpSumLawId = 'LAW_58_2014' | 'LAW_41_2024';

export interface LumpSumEligibilityLaw {
  id: LumpSumLawId;
  /** Applications filed on or after this date (until the next law). */
  effectiveFrom: string;
  instrument: string;
  /** Article of each case the law provides; a reason missing here is not a case under this law. */
  cases: Readonly<Partial<Record<LumpSumReason, string>>>;
  /** Case (a): fewer than this many years of contributions. */
  retirementMinimumYears: number;
  /** Case (đ) / one-year gap: whole months outside insurance required. */
  gapMonths: number;
  /** Case (đ) / one-year gap: fewer than this many years of contributions. */
  gapMaximumYears: number;
  /** Case (đ): contributions must have started before this date (null: no such condition). */
  gapStartedBefore: string | null;
  listedDiseases: readonly ListedDisease[];
  /** Case (d): minimum working-capacity loss, percent (null: not a case). */
  workCapacityLossMinPercent: number | null;
}

/** Ascending by effectiveFrom. */
export const LUMP_SUM_ELIGIBILITY_LAWS: readonly LumpSumEligibilityLaw[] = [
  {
    id: 'LAW_58_2014',
    effectiveFrom: '2016-01-01',
    instrument: 'Law on Social Insurance 58/2014/QH13 + Resolution 93/2015/QH13',
    cases: {
      RETIREMENT_AGE_UNDER_MIN_YEARS: 'Law 58/2014/QH13 Art. 60(1)(a), Art. 77(1)(a)',
      SETTLING_ABROAD: 'Law 58/2014/QH13 Art. 60(1)(b), Art. 77(1)(b)',
      LISTED_DISEASE: 'Law 58/2014/QH13 Art. 60(1)(c), Art. 77(1)(c)',
      ONE_YEAR_GAP: 'Resolution 93/2015/QH13 Art. 1',
      ARMED_FORCES_DISCHARGE: 'Law 58/2014/QH13 Art. 60(1)(d)',
    },
    retirementMinimumYears: 20,
    gapMonths: 12,
    gapMaximumYears: 20,
    gapStartedBefore: null,
    listedDiseases: ['CANCER', 'PARALYSIS', 'DECOMPENSATED_CIRRHOSIS', 'LEPROSY', 'SEVERE_TUBERCULOSIS', 'AIDS', 'OTHER_MOH_LISTED'],
    workCapacityLossMinPercent: null,
  },
  {
    id: 'LAW_41_2024',
    effectiveFrom: '2025-07-01',
    instrument: 'Law on Social Insurance 41/2024/QH15',
    cases: {
      RETIREMENT_AGE_UNDER_MIN_YEARS: 'Law 41/2024/QH15 Art. 70(1)(a)',
      SETTLING_ABROAD: 'Law 41/2024/QH15 Art. 70(1)(b)',
      LISTED_DISEASE: 'Law 41/2024/QH15 Art. 70(1)(c)',
      WORK_CAPACITY_LOSS_81: 'Law 41/2024/QH15 Art. 70(1)(d)',
      ONE_YEAR_GAP: 'Law 41/2024/QH15 Art. 70(1)(đ)',
      ARMED_FORCES_DISCHARGE: 'Law 41/2024/QH15 Art. 70(1)(e)',
    },
    retirementMinimumYears: 15,
    gapMonths: 12,
    gapMaximumYears: 20,
    gapStartedBefore: '2025-07-01',
    listedDiseases: ['CANCER', 'PARALYSIS', 'DECOMPENSATED_CIRRHOSIS', 'SEVERE_TUBERCULOSIS', 'AIDS'],
    workCapacityLossMinPercent: 81,
  },
];

/** The law that governs an application filed on `applicationDate`. */
export function lumpSumLawFor(applicationDate: string): LumpSumEligibilityLaw {
  assertIsoDate(applicationDate, 'applicationDate');
  let law: LumpSumEligibilityLaw | null = null;
  for (const l of LUMP_SUM_ELIGIBILITY_LAWS) if (l.effectiveFrom <= applicationDate) law = l;
  if (!law) {
    throw invalidInput(
      `applicationDate ${applicationDate} precedes ${LUMP_SUM_ELIGIBILITY_LAWS[0].effectiveFrom}, the first law on record`,
      `Ngày nộp hồ sơ ${applicationDate} trước ${LUMP_SUM_ELIGIBILITY_LAWS[0].effectiveFrom}, chưa có quy định trong dữ liệu`,
    );
  }
  return law;
}

export type LumpSumConditionCode =
  | 'CASE_PROVIDED_BY_LAW'
  | 'HAS_CONTRIBUTIONS'
  | 'RETIREMENT_AGE_REACHED'
  | 'BELOW_PENSION_MINIMUM_YEARS'
  | 'SETTLEMENT_ABROAD_EVIDENCED'
  | 'DISEASE_LISTED'
  | 'WORK_CAPACITY_LOSS'
  | 'STARTED_BEFORE_CUTOFF'
  | 'MONTHS_WITHOUT_CONTRIBUTIONS'
  | 'BELOW_MAXIMUM_YEARS'
  | 'ARMED_FORCES_SEPARATED'
  | 'NOT_ELIGIBLE_FOR_PENSION';

export interface LumpSumCondition {
  code: LumpSumConditionCode;
  met: boolean;
  detail: Bilingual;
  /** The condition's dates and figures (a failed one becomes the reason's condition: reasonCatalog.ts). */
  params: Record<string, string | number | boolean | null>;
}

export interface LumpSumContributionFacts {
  /** Distinct SI months (compulsory + voluntary). */
  totalMonths: number;
  total: Bilingual;
  compulsoryMonths: number;
  voluntaryMonths: number;
  firstContributionMonth: string | null;
  lastContributionMonth: string | null;
  /** Whole months after the last contribution month up to the application date (null without contributions). */
  monthsWithoutContributions: number | null;
}

export interface LumpSumEligibilityResult {
  eligible: boolean;
  reason: LumpSumReason;
  law: { id: LumpSumLawId; instrument: string; effectiveFrom: string };
  /** Article of the invoked case, or null when this law does not provide it. */
  legalCase: string | null;
  /** Every condition of the case, evaluated (not short-circuited). */
  conditions: LumpSumCondition[];
  failedConditions: LumpSumConditionCode[];
  /** The first failed condition's detail, or a summary when eligible. */
  explanation: Bilingual;
  facts: LumpSumContributionFacts;
  legalBasis: CitedLegalBasis[];
}

const REASON_LABEL: Record<LumpSumReason, Bilingual> = {
  RETIREMENT_AGE_UNDER_MIN_YEARS: { vi: 'đủ tuổi nghỉ hưu nhưng chưa đủ số năm đóng', en: 'retirement age without the minimum years' },
  SETTLING_ABROAD: { vi: 'ra nước ngoài định cư', en: 'settling abroad' },
  LISTED_DISEASE: { vi: 'mắc bệnh thuộc danh mục', en: 'listed disease' },
  WORK_CAPACITY_LOSS_81: { vi: 'suy giảm khả năng lao động từ 81% trở lên', en: 'working-capacity loss of 81 % or more' },
  ONE_YEAR_GAP: { vi: 'sau 12 tháng không tham gia bảo hiểm xã hội', en: '12 months outside social insurance' },
  ARMED_FORCES_DISCHARGE: { vi: 'phục viên, xuất ngũ, thôi việc (lực lượng vũ trang)', en: 'armed-forces demobilisation / discharge' },
};

/** Distinct SI months: compulsory before voluntary, then the earliest-started period, represents a month. */
export function siContributionMonths(periods: readonly SiContributionPeriod[]) {
  return collapseMonths(
    periods,
    (p) => p.schemes.includes('SI'),
    (p) => (p.voluntary ? 1_000_000 : 0) + monthIndex(p.from),
  );
}

/** Eligibility for a lump-sum withdrawal. Throws ValidationError on malformed input. */
export function checkLumpSumEligibility(input: LumpSumEligibilityInput): LumpSumEligibilityResult {
  const { applicationDate, reason, person, periods } = input;
  const evidence = input.evidence ?? {};
  assertIsoDate(applicationDate, 'applicationDate');
  if (!LUMP_SUM_REASONS.includes(reason)) {
    throw invalidInput(`reason must be one of ${LUMP_SUM_REASONS.join(', ')}`, 'Trường hợp hưởng không hợp lệ');
  }
  if (!person) throw invalidInput('person is required', 'Thiếu thông tin người lao động');
  assertIsoDate(person.dateOfBirth, 'person.dateOfBirth');
  if (person.retirementAgeReachedOn !== undefined) assertIsoDate(person.retirementAgeReachedOn, 'person.retirementAgeReachedOn');
  if (evidence.armedForcesSeparationDate !== undefined) assertIsoDate(evidence.armedForcesSeparationDate, 'evidence.armedForcesSeparationDate');
  validatePeriods(periods, false);

  const law = lumpSumLawFor(applicationDate);
  const applicationMonth = monthIndexOfDate(applicationDate, 'applicationDate');
  const { months } = siContributionMonths(periods);
  const totalMonths = months.length;
  const first = months[0];
  const last = months[months.length - 1];
  const voluntaryMonths = months.filter((m) => m.period.voluntary).length;
  // Whole calendar months after the last contribution month, before the application month (0 while contributing).
  const monthsWithoutContributions = last ? Math.max(0, applicationMonth - last.index - 1) : null;
  const facts: LumpSumContributionFacts = {
    totalMonths,
    total: formatMonths(totalMonths),
    compulsoryMonths: totalMonths - voluntaryMonths,
    voluntaryMonths,
    firstContributionMonth: first ? first.month : null,
    lastContributionMonth: last ? last.month : null,
    monthsWithoutContributions,
  };

  const legalCase = law.cases[reason] ?? null;
  const conditions: LumpSumCondition[] = [];
  const base = { law: law.id, case: reason, applicationDate };
  let params: Record<string, string | number | boolean | null> = {};
  const add = (code: LumpSumConditionCode, met: boolean, vi: string, en: string) => {
    conditions.push({ code, met, detail: { vi, en }, params: { ...base, ...params } });
    params = {};
  };
  const legalCaseVi = legalCase ? (citationVi(legalCase) ?? legalCase) : null;
  const instrumentVi = citationVi(law.instrument) ?? law.instrument;
  const total = formatMonths(totalMonths);

  params = { effectiveFrom: law.effectiveFrom };
  add(
    'CASE_PROVIDED_BY_LAW',
    legalCase !== null,
    legalCase
      ? `Trường hợp "${REASON_LABEL[reason].vi}" được quy định tại ${legalCaseVi}.`
      : `${instrumentVi} (áp dụng cho hồ sơ nộp từ ${law.effectiveFrom}; hồ sơ nộp ngày ${applicationDate}) không quy định trường hợp "${REASON_LABEL[reason].vi}".`,
    legalCase
      ? `Case "${REASON_LABEL[reason].en}" is provided by ${legalCase}.`
      : `${law.instrument} (applications from ${law.effectiveFrom}; this one filed ${applicationDate}) provides no "${REASON_LABEL[reason].en}" case.`,
  );
  params = { totalMonths };
  add(
    'HAS_CONTRIBUTIONS',
    totalMonths > 0,
    totalMonths > 0 ? `Có ${total.vi} đóng bảo hiểm xã hội.` : 'Không có thời gian đóng bảo hiểm xã hội.',
    totalMonths > 0 ? `${total.en} of social-insurance contributions on record.` : 'No social-insurance contributions on record.',
  );

  if (legalCase !== null) {
    switch (reason) {
      case 'RETIREMENT_AGE_UNDER_MIN_YEARS': {
        const on = person.retirementAgeReachedOn;
        if (!on) {
          params = { retirementAgeReachedOn: null };
          add('RETIREMENT_AGE_REACHED', false, 'Thiếu ngày đủ tuổi nghỉ hưu.', 'The date the retirement age is reached is missing.');
        } else {
          const reached = on <= applicationDate;
          params = { retirementAgeReachedOn: on };
          add(
            'RETIREMENT_AGE_REACHED',
            reached,
            reached ? `Đủ tuổi nghỉ hưu từ ${on} (≤ ngày nộp ${applicationDate}).` : `Chưa đủ tuổi nghỉ hưu: đủ tuổi vào ${on}, sau ngày nộp ${applicationDate}.`,
            reached ? `Retirement age reached on ${on} (≤ application date ${applicationDate}).` : `Retirement age not reached: reached on ${on}, after the application date ${applicationDate}.`,
          );
        }
        const min = law.retirementMinimumYears;
        const below = totalMonths < min * 12;
        params = { totalMonths, minimumYears: min };
        add(
          'BELOW_PENSION_MINIMUM_YEARS',
          below,
          below ? `${total.vi} < ${min} năm.` : `${total.vi} ≥ ${min} năm: đủ điều kiện hưởng lương hưu, không hưởng một lần theo trường hợp này.`,
          below ? `${total.en} < ${min} years.` : `${total.en} ≥ ${min} years: pension conditions met, no lump sum in this case.`,
        );
        break;
      }
      case 'SETTLING_ABROAD': {
        const ok = evidence.settlementAbroadDocument === true;
        params = { evidenced: ok };
        add(
          'SETTLEMENT_ABROAD_EVIDENCED',
          ok,
          ok ? 'Có giấy tờ chứng minh ra nước ngoài định cư.' : 'Thiếu giấy tờ chứng minh ra nước ngoài định cư.',
          ok ? 'Evidence of settlement abroad produced.' : 'No evidence of settlement abroad.',
        );
        break;
      }
      case 'LISTED_DISEASE': {
        const d = evidence.disease;
        const ok = d !== undefined && law.listedDiseases.includes(d);
        params = { disease: d ?? null };
        add(
          'DISEASE_LISTED',
          ok,
          d === undefined ? 'Thiếu kết luận y khoa về bệnh.' : ok ? `Bệnh ${d} thuộc danh mục của ${legalCaseVi}.` : `Bệnh ${d} không thuộc danh mục của ${legalCaseVi}.`,
          d === undefined ? 'No medical conclusion naming the disease.' : ok ? `${d} is listed in ${legalCase}.` : `${d} is not listed in ${legalCase}.`,
        );
        break;
      }
      case 'WORK_CAPACITY_LOSS_81': {
        const min = law.workCapacityLossMinPercent ?? 81;
        const pct = evidence.workCapacityLossPercent;
        const severe = evidence.especiallySevereDisability === true;
        const ok = severe || (pct !== undefined && pct >= min);
        params = { lossPercent: pct ?? null, minimumPercent: min, especiallySevereDisability: severe };
        add(
          'WORK_CAPACITY_LOSS',
          ok,
          severe ? 'Người khuyết tật đặc biệt nặng.' : pct === undefined ? 'Thiếu kết luận mức suy giảm khả năng lao động.' : `Suy giảm khả năng lao động ${pct}% ${ok ? '≥' : '<'} ${min}%.`,
          severe ? 'Especially severe disability certified.' : pct === undefined ? 'No working-capacity loss assessment.' : `Working-capacity loss ${pct}% ${ok ? '≥' : '<'} ${min}%.`,
        );
        break;
      }
      case 'ONE_YEAR_GAP': {
        if (law.gapStartedBefore !== null) {
          const cutoff = monthIndexOfDate(law.gapStartedBefore);
          const ok = first !== undefined && first.index < cutoff;
          params = { firstContributionMonth: first?.month ?? null, cutoff: law.gapStartedBefore };
          add(
            'STARTED_BEFORE_CUTOFF',
            ok,
            first === undefined
              ? 'Không có thời gian đóng.'
              : ok
                ? `Bắt đầu đóng từ ${first.month}, trước ${law.gapStartedBefore}.`
                : `Bắt đầu đóng từ ${first.month}, từ ${law.gapStartedBefore} trở đi: không áp dụng trường hợp đ.`,
            first === undefined
              ? 'No contributions.'
              : ok
                ? `Started contributing ${first.month}, before ${law.gapStartedBefore}.`
                : `Started contributing ${first.month}, on or after ${law.gapStartedBefore}: case đ unavailable.`,
          );
        }
        const need = law.gapMonths;
        if (!last || monthsWithoutContributions === null) {
          params = { lastContributionMonth: null, requiredMonths: need };
          add('MONTHS_WITHOUT_CONTRIBUTIONS', false, 'Không có tháng đóng cuối cùng.', 'No last contribution month.');
        } else {
          const ok = monthsWithoutContributions >= need;
          const eligibleFrom = firstDayOfMonth(last.index + need + 1);
          const shown = monthsWithoutContributions;
          params = { lastContributionMonth: last.month, monthsWithoutContributions: shown, requiredMonths: need, eligibleFrom };
          add(
            'MONTHS_WITHOUT_CONTRIBUTIONS',
            ok,
            ok
              ? `${shown} tháng không đóng kể từ tháng đóng cuối cùng ${last.month} (≥ ${need}).`
              : `Mới ${shown} tháng không đóng kể từ tháng đóng cuối cùng ${last.month} (tính đến ${applicationDate}); cần ${need} tháng, đủ từ ${eligibleFrom}.`,
            ok
              ? `${shown} months without contributions since the last contribution month ${last.month} (≥ ${need}).`
              : `Only ${shown} months since the last contribution month ${last.month} (as of ${applicationDate}), ${need} required; met from ${eligibleFrom}.`,
          );
        }
        const max = law.gapMaximumYears;
        const below = totalMonths < max * 12;
        params = { totalMonths, maximumYears: max };
        add(
          'BELOW_MAXIMUM_YEARS',
          below,
          below ? `${total.vi} < ${max} năm.` : `${total.vi} ≥ ${max} năm.`,
          below ? `${total.en} < ${max} years.` : `${total.en} ≥ ${max} years.`,
        );
        break;
      }
      case 'ARMED_FORCES_DISCHARGE': {
        const date = evidence.armedForcesSeparationDate;
        const ok = date !== undefined && date <= applicationDate;
        params = { separationDate: date ?? null };
        add(
          'ARMED_FORCES_SEPARATED',
          ok,
          date === undefined ? 'Thiếu quyết định phục viên, xuất ngũ, thôi việc.' : ok ? `Quyết định phục viên/xuất ngũ/thôi việc ngày ${date}.` : `Quyết định ngày ${date} sau ngày nộp ${applicationDate}.`,
          date === undefined ? 'No demobilisation / discharge decision.' : ok ? `Demobilisation / discharge decision of ${date}.` : `Decision dated ${date}, after the application date ${applicationDate}.`,
        );
        const pension = evidence.eligibleForPension === true;
        params = { eligibleForPension: pension };
        add(
          'NOT_ELIGIBLE_FOR_PENSION',
          !pension,
          pension ? 'Đủ điều kiện hưởng lương hưu: không hưởng một lần theo trường hợp này.' : 'Không đủ điều kiện hưởng lương hưu.',
          pension ? 'Meets the pension conditions: no lump sum in this case.' : 'Does not meet the pension conditions.',
        );
        break;
      }
    }
  }

  const failed = conditions.filter((c) => !c.met);
  const eligible = failed.length === 0;
  const explanation: Bilingual = eligible
    ? {
        vi: `Đủ điều kiện hưởng bảo hiểm xã hội một lần (${legalCaseVi}): ${conditions.map((c) => c.detail.vi).join(' ')}`,
        en: `Eligible for the lump sum (${legalCase}): ${conditions.map((c) => c.detail.en).join(' ')}`,
      }
    : failed[0].detail;

  const legalBasis: CitedLegalBasis[] = [
    {
      parameter: 'LUMP_SUM_LAW',
      value: `${law.id}: applications from ${law.effectiveFrom}`,
      instrument: law.instrument,
      effectiveFrom: law.effectiveFrom,
    },
  ];
  if (legalCase) {
    const basis: CitedLegalBasis = {
      parameter: `LUMP_SUM_CASE_${reason}`,
      value: REASON_LABEL[reason].en,
      instrument: legalCase,
      effectiveFrom: law.effectiveFrom,
    };
    if (reason === 'RETIREMENT_AGE_UNDER_MIN_YEARS') {
      basis.value = `retirement age reached (input date) with fewer than ${law.retirementMinimumYears} years`;
    }
    if (reason === 'ONE_YEAR_GAP') {
      basis.value =
        `${law.gapMonths} whole months after the last contribution month, fewer than ${law.gapMaximumYears} years` +
        (law.gapStartedBefore ? `, started before ${law.gapStartedBefore}` : '');
      basis.note = 'Months outside insurance = applicationMonth − lastContributionMonth − 1.';
    }
    if (reason === 'LISTED_DISEASE') {
      basis.value = `listed diseases: ${law.listedDiseases.join(', ')}`;
    }
    legalBasis.push(basis);
  }

  return {
    eligible,
    reason,
    law: { id: law.id, instrument: law.instrument, effectiveFrom: law.effectiveFrom },
    legalCase,
    conditions,
    failedConditions: failed.map((c) => c.code),
    explanation,
    facts,
    legalBasis,
  };
}
