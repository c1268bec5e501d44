/**
 * Unemployment-insurance (BHTN) contribution history: what BHXH confirms to the public employment service
 * centre, which then decides the benefit (Decree 28/2015/NĐ-CP Art. 16; Decree 374/2025/NĐ-CP).
 * Pure rules, no I/O. Source: /work/shared/domain.md §4.
 *
 * Law by TERMINATION DATE: Law on Employment 38/2013/QH13 (Art. 43, 49, 50) before 2026-01-01; Law on
 * Employment 74/2025/QH15 (Art. 38 ff.) from 2026-01-01. Every parameter is in UNEMPLOYMENT_LAWS.
 *
 * Readings (to be checked against the official texts; the answers state them without a provenance marker):
 * - The "24 (36) months before the contract ended" window is the 24 (36) calendar months ENDING WITH the
 *   month of the termination date, inclusive. UI months after the termination month are ignored (reported).
 * - Overlapping periods count once per month. The salary of such a month is that of the period that started
 *   first (the first contract concluded is the one that carries UI when a worker holds several), then input
 *   order.
 * - "Last 6 contribution months" = the 6 latest distinct UI months up to the termination month.
 * - Benefit = 60 % × (sum of those 6 salaries ÷ 6), exact; capped exactly; rounded half up to the đồng once,
 *   at the end (the law sets no rounding rule).
 * - Cap: 5 × regional minimum wage of the region of the last UI contribution month. 2025 law: the wage in force
 *   in the last contribution month (its first day). 2013 law (Art. 50(1)): the same cap for salaries decided
 *   by the employer, taken at the termination date; the 2013 cap for State pay scales (5 × base salary) is NOT
 *   modelled — every period is read as an employer-decided salary.
 * - Duration: 3 months for 12–36 contribution months, +1 per further full 12 months, max 12.
 * - Reserved (bảo lưu), domain.md: "One benefit month uses 12 contribution months; unused months above 36 and
 *   up to 144 are reserved". Months used = all months up to 36 (the first 3 benefit months) + 12 per further
 *   benefit month; reserved = min(total, 144) − used. So 50 → 4 months (36 + 12 = 48 used) → 2 reserved;
 *   36 → 0; 37 → 1; 144 → 12 months, 0 reserved; 145 → 12 months, 0 reserved (months above 144 are not kept).
 *   It assumes the benefit is granted as estimated; totalUiMonths is the whole record given (months already
 *   used by an earlier benefit must not be in the input).
 * - Only the contribution conditions are assessed; the other conditions (termination reason, registration
 *   within 3 months, not re-employed …) are the employment service centre's decision.
 */
import { citationVi } from '../explanations/instruments';
import type { Region } from '../rules/regionalMinimumWage';
import { regionalMinimumWage } from '../rules/regionalMinimumWage';
import {
  assertIsoDate,
  collapseMonths,
  firstDayOfMonth,
  frac,
  fracCompare,
  fracMul,
  fracView,
  invalidInput,
  monthIndex,
  monthIndexOfDate,
  monthRanges,
  roundHalfUp,
  toSafeNumber,
  validatePeriods,
  yearMonthOf,
  type Bilingual,
  type CitedLegalBasis,
  type ContributionPeriod,
  type FractionView,
} from '../lumpSum/months';

export type { ContributionPeriod } from '../lumpSum/months';

/**
 * Type of the contract that ended. Both laws' categories:
 * - Law 38/2013 Art. 43(1): (a) indefinite; (b) definite term; (c) seasonal / specific task of 3 to < 12 months.
 *   The 36-month window applies to 3 to < 12 months (domain.md §4); contracts under 3 months are not covered.
 * - Law 74/2025: contracts of 1 month or more are covered; the 36-month window applies to 1 to < 12 months.
 */
export type UiContractType =
  /** HĐLĐ / HĐLV không xác định thời hạn. */
  | 'INDEFINITE'
  /** Xác định thời hạn, from 12 to 36 months. */
  | 'FIXED_TERM_12_TO_36'
  /** Xác định thời hạn, from 3 to under 12 months. */
  | 'FIXED_TERM_3_TO_UNDER_12'
  /** Xác định thời hạn, from 1 to under 3 months (covered from 2026-01-01 only). */
  | 'FIXED_TERM_1_TO_UNDER_3'
  /** Mùa vụ / công việc nhất định, from 3 to under 12 months (Law 38/2013 Art. 43(1)(c) wording). */
  | 'SEASONAL_OR_TASK_3_TO_UNDER_12'
  /** Mùa vụ / công việc nhất định, from 1 to under 3 months (covered from 2026-01-01 only). */
  | 'SEASONAL_OR_TASK_1_TO_UNDER_3'
  /** Under 1 month: covered by neither law. */
  | 'UNDER_1_MONTH';

export const UI_CONTRACT_TYPES: readonly UiContractType[] = [
  'INDEFINITE',
  'FIXED_TERM_12_TO_36',
  'FIXED_TERM_3_TO_UNDER_12',
  'FIXED_TERM_1_TO_UNDER_3',
  'SEASONAL_OR_TASK_3_TO_UNDER_12',
  'SEASONAL_OR_TASK_1_TO_UNDER_3',
  'UNDER_1_MONTH',
];

/** Which window a contract type gets under a law: 24 months, 36 months, or not a UI participant. */
export type ContractClass = 'STANDARD' | 'SHORT' | 'NOT_COVERED';

export type UnemploymentLawId = 'LAW_38_2013' | 'LAW_74_2025';

export interface UnemploymentLaw {
  id: UnemploymentLawId;
  /** Applies to contracts terminated on or after this date (until the next law's effectiveFrom). */
  effectiveFrom: string;
  instrument: string;
  eligibilityArticle: string;
  benefitArticle: string;
  contractClass: Readonly<Record<UiContractType, ContractClass>>;
  requiredMonths: number;
  windowMonths: Readonly<Record<'STANDARD' | 'SHORT', number>>;
  benefitRatePercent: number;
  averageOfLastMonths: number;
  capMultipleOfRegionalMinimumWage: number;
  /** When the regional minimum wage of the cap is taken. */
  capReference: 'LAST_CONTRIBUTION_MONTH' | 'TERMINATION_DATE';
  duration: {
    baseBenefitMonths: number;
    baseCoversContributionMonthsUpTo: number;
    contributionMonthsPerExtraBenefitMonth: number;
    maxBenefitMonths: number;
    reserveCeilingContributionMonths: number;
  };
  notes: string[];
}

const DURATION = {
  baseBenefitMonths: 3,
  baseCoversContributionMonthsUpTo: 36,
  contributionMonthsPerExtraBenefitMonth: 12,
  maxBenefitMonths: 12,
  reserveCeilingContributionMonths: 144,
} as const;

/** Ascending by effectiveFrom. */
export const UNEMPLOYMENT_LAWS: readonly UnemploymentLaw[] = [
  {
    id: 'LAW_38_2013',
    effectiveFrom: '2015-01-01',
    instrument: 'Law on Employment 38/2013/QH13',
    eligibilityArticle: 'Art. 43(1), Art. 49(2)',
    benefitArticle: 'Art. 50',
    contractClass: {
      INDEFINITE: 'STANDARD',
      FIXED_TERM_12_TO_36: 'STANDARD',
      FIXED_TERM_3_TO_UNDER_12: 'SHORT',
      FIXED_TERM_1_TO_UNDER_3: 'NOT_COVERED',
      SEASONAL_OR_TASK_3_TO_UNDER_12: 'SHORT',
      SEASONAL_OR_TASK_1_TO_UNDER_3: 'NOT_COVERED',
      UNDER_1_MONTH: 'NOT_COVERED',
    },
    requiredMonths: 12,
    windowMonths: { STANDARD: 24, SHORT: 36 },
    benefitRatePercent: 60,
    averageOfLastMonths: 6,
    capMultipleOfRegionalMinimumWage: 5,
    capReference: 'TERMINATION_DATE',
    duration: DURATION,
    notes: [
      'Cap modelled for salaries decided by the employer only (5 × regional minimum wage at termination); ' +
        'the cap of 5 × base salary for State pay scales is not modelled.',
    ],
  },
  {
    id: 'LAW_74_2025',
    effectiveFrom: '2026-01-01',
    instrument: 'Law on Employment 74/2025/QH15',
    eligibilityArticle: 'Art. 38',
    benefitArticle: 'Art. 39',
    contractClass: {
      INDEFINITE: 'STANDARD',
      FIXED_TERM_12_TO_36: 'STANDARD',
      FIXED_TERM_3_TO_UNDER_12: 'SHORT',
      FIXED_TERM_1_TO_UNDER_3: 'SHORT',
      SEASONAL_OR_TASK_3_TO_UNDER_12: 'SHORT',
      SEASONAL_OR_TASK_1_TO_UNDER_3: 'SHORT',
      UNDER_1_MONTH: 'NOT_COVERED',
    },
    requiredMonths: 12,
    windowMonths: { STANDARD: 24, SHORT: 36 },
    benefitRatePercent: 60,
    averageOfLastMonths: 6,
    capMultipleOfRegionalMinimumWage: 5,
    capReference: 'LAST_CONTRIBUTION_MONTH',
    duration: DURATION,
    notes: [],
  },
];

/** The law that governs a contract terminated on `terminationDate`. */
export function unemploymentLawFor(terminationDate: string): UnemploymentLaw {
  assertIsoDate(terminationDate, 'terminationDate');
  let law: UnemploymentLaw | null = null;
  for (const l of UNEMPLOYMENT_LAWS) if (l.effectiveFrom <= terminationDate) law = l;
  if (!law) {
    throw invalidInput(
      `terminationDate ${terminationDate} precedes ${UNEMPLOYMENT_LAWS[0].effectiveFrom}, the first law on record`,
      `Ngày chấm dứt hợp đồng ${terminationDate} trước ${UNEMPLOYMENT_LAWS[0].effectiveFrom}, chưa có quy định trong dữ liệu`,
    );
  }
  return law;
}

// ---------------------------------------------------------------------------------------------------------
// Input and output
// ---------------------------------------------------------------------------------------------------------

export interface UnemploymentHistoryInput {
  /** Date the labour / working contract ended, 'YYYY-MM-DD'. */
  terminationDate: string;
  contractType: UiContractType;
  periods: readonly ContributionPeriod[];
  lastEmployerStatus: {
    /** The last employer has closed (chốt) the worker's contribution record. */
    closed: boolean;
    /** The last employer owes contributions (nợ đóng), so the record cannot be confirmed. */
    owesContributions: boolean;
  };
}

export type UnemploymentBlockedReason = 'EMPLOYER_NOT_CLOSED' | 'EMPLOYER_OWES_CONTRIBUTIONS';

/** The record cannot be confirmed yet: no assessment is made (never a wrong answer). */
export interface UnemploymentHistoryBlocked {
  status: 'BLOCKED';
  reasonCode: UnemploymentBlockedReason;
  message: Bilingual;
}

export type UnemploymentEligibilityCode = 'ELIGIBLE' | 'CONTRACT_NOT_COVERED' | 'INSUFFICIENT_MONTHS_IN_WINDOW';

export interface ConfirmedUiPeriod {
  employer: string;
  employerCode: string;
  from: string;
  to: string;
  monthlySalary: number;
  region: Region;
  /** Months of this period that count (not already counted for an earlier-ranked overlapping period, not after termination). */
  countedMonths: number;
}

export interface BenefitCalculation {
  lastMonths: { month: string; monthlySalary: number; employerCode: string }[];
  averageMonthlySalary: FractionView;
  ratePercent: number;
  /** 60 % of the average, exact, before the cap. */
  uncappedBenefit: FractionView;
  cap: {
    region: Region;
    regionalMinimumWage: number;
    multiple: number;
    amount: number;
    instrument: string;
    effectiveFrom: string;
    /** The date whose regional minimum wage applies. */
    referenceDate: string;
  } | null;
  capApplied: boolean;
  /** Rounded half up to the đồng, once, after the cap. */
  amount: number | null;
  note?: Bilingual;
}

export interface UnemploymentHistoryAssessment {
  status: 'ASSESSED';
  law: { id: UnemploymentLawId; instrument: string; effectiveFrom: string };
  terminationDate: string;
  terminationMonth: string;
  contractType: UiContractType;
  contractClass: ContractClass;
  /** The input periods with UI in their schemes, with the months each contributes. */
  confirmedUiPeriods: ConfirmedUiPeriod[];
  /** Distinct UI months as consecutive ranges. */
  uiMonthRanges: { from: string; to: string; months: number }[];
  totalUiMonths: number;
  overlappingMonths: number;
  /** UI months after the termination month: not counted. */
  ignoredMonthsAfterTermination: number;
  window: { months: number; from: string; to: string };
  monthsWithinWindow: number;
  requiredMonths: number;
  eligible: boolean;
  reasonCode: UnemploymentEligibilityCode;
  reason: Bilingual;
  /** 60 % of the last-6-month average, capped; null when not eligible or when no wage data covers the cap. */
  estimatedMonthlyBenefit: number | null;
  benefitCalculation: BenefitCalculation | null;
  /** 0 when not eligible. */
  benefitDurationMonths: number;
  /** Contribution months consumed by benefitDurationMonths. */
  usedMonths: number;
  reservedMonths: number;
  legalBasis: CitedLegalBasis[];
}

export type UnemploymentHistoryResult = UnemploymentHistoryAssessment | UnemploymentHistoryBlocked;

// ---------------------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------------------

/** Benefit months for a number of contribution months (0 below 12). */
export function benefitDurationMonths(contributionMonths: number, law: UnemploymentLaw = UNEMPLOYMENT_LAWS[UNEMPLOYMENT_LAWS.length - 1]): number {
  const d = law.duration;
  if (contributionMonths < law.requiredMonths) return 0;
  if (contributionMonths <= d.baseCoversContributionMonthsUpTo) return d.baseBenefitMonths;
  const extra = Math.floor((contributionMonths - d.baseCoversContributionMonthsUpTo) / d.contributionMonthsPerExtraBenefitMonth);
  return Math.min(d.baseBenefitMonths + extra, d.maxBenefitMonths);
}

/** Contribution months used by a benefit and months reserved (see the file header for the reading). */
export function usedAndReservedMonths(
  contributionMonths: number,
  law: UnemploymentLaw = UNEMPLOYMENT_LAWS[UNEMPLOYMENT_LAWS.length - 1],
): { durationMonths: number; usedMonths: number; reservedMonths: number } {
  const d = law.duration;
  const durationMonths = benefitDurationMonths(contributionMonths, law);
  if (durationMonths === 0) return { durationMonths, usedMonths: 0, reservedMonths: 0 };
  const usedMonths = Math.min(
    contributionMonths,
    d.baseCoversContributionMonthsUpTo + (durationMonths - d.baseBenefitMonths) * d.contributionMonthsPerExtraBenefitMonth,
  );
  const reservedMonths = Math.max(0, Math.min(contributionMonths, d.reserveCeilingContributionMonths) - usedMonths);
  return { durationMonths, usedMonths, reservedMonths };
}

const BLOCKED_MESSAGES: Record<UnemploymentBlockedReason, Bilingual> = {
  EMPLOYER_OWES_CONTRIBUTIONS: {
    vi: 'Đơn vị sử dụng lao động cuối cùng còn nợ tiền đóng bảo hiểm; chưa thể xác nhận quá trình đóng bảo hiểm thất nghiệp.',
    en: 'The last employer owes contributions; the unemployment-insurance record cannot be confirmed yet.',
  },
  EMPLOYER_NOT_CLOSED: {
    vi: 'Đơn vị sử dụng lao động cuối cùng chưa chốt quá trình đóng bảo hiểm; chưa thể xác nhận quá trình đóng bảo hiểm thất nghiệp.',
    en: "The last employer has not closed the worker's contribution record; the unemployment-insurance record cannot be confirmed yet.",
  },
};

/**
 * Assesses the UI contribution record of a worker whose contract ended on `terminationDate`.
 * Throws ValidationError on malformed input.
 */
export function assessUnemploymentHistory(input: UnemploymentHistoryInput): UnemploymentHistoryResult {
  const { terminationDate, contractType, periods, lastEmployerStatus } = input;
  assertIsoDate(terminationDate, 'terminationDate');
  if (!UI_CONTRACT_TYPES.includes(contractType)) {
    throw invalidInput(`contractType must be one of ${UI_CONTRACT_TYPES.join(', ')}`, 'contractType không hợp lệ');
  }
  if (!lastEmployerStatus || typeof lastEmployerStatus.closed !== 'boolean' || typeof lastEmployerStatus.owesContributions !== 'boolean') {
    throw invalidInput('lastEmployerStatus.closed and .owesContributions are required booleans', 'Thiếu trạng thái đơn vị cuối cùng');
  }
  validatePeriods(periods, true);

  // Owing contributions is checked first: it is the cause that keeps a record from being closed.
  if (lastEmployerStatus.owesContributions) {
    return { status: 'BLOCKED', reasonCode: 'EMPLOYER_OWES_CONTRIBUTIONS', message: BLOCKED_MESSAGES.EMPLOYER_OWES_CONTRIBUTIONS };
  }
  if (!lastEmployerStatus.closed) {
    return { status: 'BLOCKED', reasonCode: 'EMPLOYER_NOT_CLOSED', message: BLOCKED_MESSAGES.EMPLOYER_NOT_CLOSED };
  }

  const law = unemploymentLawFor(terminationDate);
  const contractClass = law.contractClass[contractType];
  const terminationMonthIndex = monthIndexOfDate(terminationDate, 'terminationDate');
  const terminationMonth = yearMonthOf(terminationMonthIndex);

  // Distinct UI months; the first-started period represents a month covered twice.
  const collapsed = collapseMonths(periods, (p) => p.schemes.includes('UI'), (p) => monthIndex(p.from));
  const counted = collapsed.months.filter((m) => m.index <= terminationMonthIndex);
  const ignoredMonthsAfterTermination = collapsed.months.length - counted.length;
  const totalUiMonths = counted.length;

  const countedPerPeriod = new Map<number, number>();
  for (const m of counted) countedPerPeriod.set(m.periodIndex, (countedPerPeriod.get(m.periodIndex) ?? 0) + 1);
  const confirmedUiPeriods: ConfirmedUiPeriod[] = [];
  periods.forEach((p, i) => {
    if (!p.schemes.includes('UI')) return;
    confirmedUiPeriods.push({
      employer: p.employer,
      employerCode: p.employerCode,
      from: p.from,
      to: p.to,
      monthlySalary: p.monthlySalary,
      region: p.region,
      countedMonths: countedPerPeriod.get(i) ?? 0,
    });
  });
  confirmedUiPeriods.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));

  const windowLength = contractClass === 'SHORT' ? law.windowMonths.SHORT : law.windowMonths.STANDARD;
  const windowStart = terminationMonthIndex - windowLength + 1;
  const window = { months: windowLength, from: yearMonthOf(windowStart), to: terminationMonth };
  const monthsWithinWindow = counted.filter((m) => m.index >= windowStart).length;

  const legalBasis = buildLegalBasis(law, contractClass, windowLength);
  const lawRef = `${law.instrument} ${law.eligibilityArticle}`;
  const lawRefVi = citationVi(lawRef) ?? lawRef;

  let reasonCode: UnemploymentEligibilityCode;
  let reason: Bilingual;
  if (contractClass === 'NOT_COVERED') {
    reasonCode = 'CONTRACT_NOT_COVERED';
    reason = {
      vi: `Loại hợp đồng ${contractType} không thuộc đối tượng tham gia bảo hiểm thất nghiệp theo ${lawRefVi} (chấm dứt ngày ${terminationDate}).`,
      en: `Contract type ${contractType} is not covered by unemployment insurance under ${lawRef} (terminated ${terminationDate}).`,
    };
  } else if (monthsWithinWindow < law.requiredMonths) {
    reasonCode = 'INSUFFICIENT_MONTHS_IN_WINDOW';
    reason = {
      vi:
        `Chỉ có ${monthsWithinWindow} tháng đóng bảo hiểm thất nghiệp trong ${windowLength} tháng ${window.from} – ${window.to} ` +
        `trước khi chấm dứt hợp đồng ngày ${terminationDate}; cần từ đủ ${law.requiredMonths} tháng (${lawRefVi}).`,
      en:
        `Only ${monthsWithinWindow} months of unemployment-insurance contributions within the ${windowLength} months ` +
        `${window.from} to ${window.to} before the contract ended on ${terminationDate}; ${law.requiredMonths} required (${lawRef}).`,
    };
  } else {
    reasonCode = 'ELIGIBLE';
    reason = {
      vi:
        `Đủ điều kiện về thời gian đóng: ${monthsWithinWindow} tháng đóng bảo hiểm thất nghiệp trong ${windowLength} tháng ` +
        `${window.from} – ${window.to} trước khi chấm dứt hợp đồng ngày ${terminationDate} (≥ ${law.requiredMonths} tháng, ${lawRefVi}).`,
      en:
        `Contribution condition met: ${monthsWithinWindow} months of unemployment-insurance contributions within the ` +
        `${windowLength} months ${window.from} to ${window.to} before the contract ended on ${terminationDate} ` +
        `(≥ ${law.requiredMonths} required, ${lawRef}).`,
    };
  }
  const eligible = reasonCode === 'ELIGIBLE';

  let benefitCalculation: BenefitCalculation | null = null;
  let duration = { durationMonths: 0, usedMonths: 0, reservedMonths: 0 };
  if (eligible) {
    duration = usedAndReservedMonths(totalUiMonths, law);
    benefitCalculation = calculateBenefit(law, counted, terminationDate);
  }

  return {
    status: 'ASSESSED',
    law: { id: law.id, instrument: law.instrument, effectiveFrom: law.effectiveFrom },
    terminationDate,
    terminationMonth,
    contractType,
    contractClass,
    confirmedUiPeriods,
    uiMonthRanges: monthRanges(counted.map((m) => m.index)),
    totalUiMonths,
    overlappingMonths: collapsed.overlappingMonths,
    ignoredMonthsAfterTermination,
    window,
    monthsWithinWindow,
    requiredMonths: law.requiredMonths,
    eligible,
    reasonCode,
    reason,
    estimatedMonthlyBenefit: benefitCalculation?.amount ?? null,
    benefitCalculation,
    benefitDurationMonths: duration.durationMonths,
    usedMonths: duration.usedMonths,
    reservedMonths: duration.reservedMonths,
    legalBasis,
  };
}

function calculateBenefit(
  law: UnemploymentLaw,
  counted: { index: number; month: string; period: ContributionPeriod }[],
  terminationDate: string,
): BenefitCalculation {
  const last = counted.slice(-law.averageOfLastMonths);
  let sum = 0n;
  for (const m of last) sum += BigInt(m.period.monthlySalary);
  // Exact: average = sum / 6; benefit = average × 60 / 100. No rounding here.
  const average = frac(sum, last.length);
  const uncapped = fracMul(average, frac(law.benefitRatePercent, 100));

  const lastMonth = last[last.length - 1];
  const region = lastMonth.period.region;
  const referenceDate = law.capReference === 'LAST_CONTRIBUTION_MONTH' ? firstDayOfMonth(lastMonth.index) : terminationDate;
  const wage = regionalMinimumWage(region, referenceDate);
  const base: Omit<BenefitCalculation, 'cap' | 'capApplied' | 'amount'> = {
    lastMonths: last.map((m) => ({ month: m.month, monthlySalary: m.period.monthlySalary, employerCode: m.period.employerCode })),
    averageMonthlySalary: fracView(average),
    ratePercent: law.benefitRatePercent,
    uncappedBenefit: fracView(uncapped),
  };
  if (!wage) {
    return {
      ...base,
      cap: null,
      capApplied: false,
      amount: null,
      note: {
        vi: `Chưa có dữ liệu lương tối thiểu vùng áp dụng ngày ${referenceDate}; không ước tính mức hưởng.`,
        en: `No regional minimum wage on record for ${referenceDate}; the benefit is not estimated.`,
      },
    };
  }
  const capAmount = wage.amount * law.capMultipleOfRegionalMinimumWage;
  const capApplied = fracCompare(uncapped, frac(capAmount)) > 0;
  // The only rounding: half up to the đồng, after the cap.
  const amount = capApplied ? capAmount : toSafeNumber(roundHalfUp(uncapped));
  return {
    ...base,
    cap: {
      region,
      regionalMinimumWage: wage.amount,
      multiple: law.capMultipleOfRegionalMinimumWage,
      amount: capAmount,
      instrument: wage.instrument,
      effectiveFrom: wage.effectiveFrom,
      referenceDate,
    },
    capApplied,
    amount,
  };
}

function buildLegalBasis(law: UnemploymentLaw, contractClass: ContractClass, windowLength: number): CitedLegalBasis[] {
  const out: CitedLegalBasis[] = [
    {
      parameter: 'UI_ELIGIBILITY_WINDOW',
      value: `${law.requiredMonths} months within ${windowLength} months before termination (${contractClass})`,
      instrument: `${law.instrument} ${law.eligibilityArticle}`,
      effectiveFrom: law.effectiveFrom,
      note: 'Window read as the calendar months ending with the termination month, inclusive.',
    },
    {
      parameter: 'UI_BENEFIT_RATE',
      value: `${law.benefitRatePercent}% of the average of the last ${law.averageOfLastMonths} contribution months`,
      instrument: `${law.instrument} ${law.benefitArticle}`,
      effectiveFrom: law.effectiveFrom,
    },
    {
      parameter: 'UI_BENEFIT_CAP',
      value:
        `${law.capMultipleOfRegionalMinimumWage} × regional minimum wage ` +
        (law.capReference === 'LAST_CONTRIBUTION_MONTH' ? 'in force at the last contribution month' : 'at termination (employer-decided salaries)'),
      instrument: `${law.instrument} ${law.benefitArticle}`,
      effectiveFrom: law.effectiveFrom,
      ...(law.notes.length ? { note: law.notes.join(' ') } : {}),
    },
    {
      parameter: 'UI_BENEFIT_DURATION',
      value: '3 months for 12–36 contribution months, +1 per further 12 months, at most 12',
      instrument: `${law.instrument} ${law.benefitArticle}`,
      effectiveFrom: law.effectiveFrom,
    },
    {
      parameter: 'UI_RESERVED_MONTHS',
      value: 'min(total, 144) − (36 + 12 × (benefit months − 3))',
      instrument: `${law.instrument} ${law.benefitArticle}; Decree 28/2015/NĐ-CP (bảo lưu)`,
      effectiveFrom: law.effectiveFrom,
      note: 'Unused contribution months above 36 and up to 144 are reserved.',
    },
  ];
  return out;
}
