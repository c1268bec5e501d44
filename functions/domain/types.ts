/**
 * Domain vocabulary shared by all services. Pure types: no AWS imports anywhere under functions/domain.
 * Dates are Asia/Ho_Chi_Minh calendar dates as 'YYYY-MM-DD'; instants are ISO-8601 strings; money is integer đồng.
 */

export const SERVICE_NAMES = ['HOUSEHOLD_RENEWAL', 'UNEMPLOYMENT_HISTORY', 'LUMP_SUM_WITHDRAWAL'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/**
 * Every status an application can be in. WAITING_FOR_RULE_DATA (lump sum): the amount needs legal data that is
 * not published yet (the settlement year's salary-adjustment table); the claim goes on by itself once it is.
 * WAITING_FOR_REGISTRY (every service): an identity check found the national population registry unreachable; the
 * application retries with back-off over the province's window and goes on by itself once the registry answers.
 */
export const APPLICATION_STATUSES = [
  'RECEIVED',
  'VERIFYING',
  'WAITING_FOR_REGISTRY',
  'IN_REVIEW',
  'WAITING_FOR_RULE_DATA',
  'AWAITING_PAYMENT',
  'COMPLETED',
  'REJECTED',
  'EXPIRED',
  'FAILED',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const TERMINAL_STATUSES: readonly ApplicationStatus[] = ['COMPLETED', 'REJECTED', 'EXPIRED', 'FAILED'];
/** The statuses an application can still leave. */
export const ACTIVE_STATUSES: readonly ApplicationStatus[] = APPLICATION_STATUSES.filter((s) => !TERMINAL_STATUSES.includes(s));

export type Sex = 'MALE' | 'FEMALE';

/** What a citizen (or a portal on their behalf) declares about a person. */
export interface IdentityClaim {
  /** 12-digit personal identification number (số định danh cá nhân). */
  personalId: string;
  fullName: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  sex?: Sex;
}

export interface Address {
  /** Stable code of the registered address (the registry's address id). */
  code: string;
  text: string;
}

/** A person as the national population database (CSDLQG về dân cư) returns them. */
export interface RegistryPerson {
  personalId: string;
  fullName: string;
  dateOfBirth: string;
  sex: Sex;
  /** Permanent residence (thường trú). */
  permanentAddress?: Address;
  /** Temporary residence (tạm trú). */
  temporaryAddress?: Address;
  householdId?: string;
}

export interface RegistryHouseholdMember extends RegistryPerson {
  /** Relation to the head as the registry records it, e.g. "CHU_HO", "VO", "CON". */
  relationToHead: string;
  /**
   * false when the member is listed in the household book but their identity is not yet linked in the
   * registry (frequent for children under 6 whose birth registration is not yet linked).
   */
  identityLinked: boolean;
}

export interface RegistryHousehold {
  householdId: string;
  headPersonalId: string;
  address: Address;
  members: RegistryHouseholdMember[];
}

/** Why an identity check needs a staff decision. Labels in reviewReasons.ts. */
export const REVIEW_REASON_CODES = [
  'HEAD_OF_HOUSEHOLD_NOT_FOUND',
  'PERSON_NOT_FOUND',
  'NAME_MISMATCH',
  'DATE_OF_BIRTH_MISMATCH',
  'SEX_MISMATCH',
  'ID_INCONSISTENT_WITH_DATE_OF_BIRTH',
  'ID_INCONSISTENT_WITH_SEX',
  'ADDRESS_MISMATCH',
  'CHILD_UNDER_6_UNREGISTERED',
  'HOUSEHOLD_NOT_FOUND',
  'REGISTRY_UNAVAILABLE',
] as const;

export type ReviewReasonCode = (typeof REVIEW_REASON_CODES)[number];

/** Coverage groups of an existing health-insurance participant (nhóm đối tượng). */
export type CoverageGroup =
  | 'HOUSEHOLD' // hộ gia đình — the only group the household renewal bills
  | 'EMPLOYEE' // người lao động và người sử dụng lao động đóng
  | 'PENSIONER' // do tổ chức BHXH đóng (hưu trí, trợ cấp)
  | 'STATE_BUDGET' // ngân sách nhà nước đóng (e.g. trẻ em dưới 6 tuổi)
  | 'STATE_SUPPORTED' // ngân sách nhà nước hỗ trợ (học sinh, sinh viên)
  | 'NEAR_POOR'; // hộ cận nghèo

/** The health-insurance card of a participant as held in BHXH's own records. */
export interface HealthInsuranceCard {
  personalId: string;
  /** 10-digit social insurance number (mã số BHXH), also the card number since 2021. */
  socialInsuranceNumber: string;
  coverageGroup: CoverageGroup;
  /** YYYY-MM-DD, inclusive */
  validFrom: string;
  /** YYYY-MM-DD, inclusive */
  expiresOn: string;
}

export type RenewalPeriodMonths = 3 | 6 | 12;

/** Why a household member is left out of the bill. */
export type ExclusionReason =
  | 'COVERED_BY_EMPLOYER' // insured at work
  | 'COVERED_AS_PENSIONER'
  | 'COVERED_BY_STATE_BUDGET' // incl. children under 6
  | 'COVERED_WITH_STATE_SUPPORT' // pupils, students
  | 'COVERED_AS_NEAR_POOR'
  | 'CHILD_UNDER_6'; // budget-paid by law even when no card is on record yet

export interface LegalBasis {
  parameter: string;
  value: string;
  instrument: string;
  effectiveFrom: string;
}

export interface QuotedMember {
  personalId: string;
  fullName: string;
  dateOfBirth: string;
  relationToHead: string;
  /** 1 for the first member of the household group, 2 for the second, … */
  ladderPosition: number;
  /** Share of the first member's amount, in percent (100, 70, 60, 50, 40). */
  sharePercent: number;
  monthlyAmount: number;
  periodAmount: number;
  /** New card validity if paid on the quote's payment date. */
  cardValidFrom: string;
  cardExpiresOn: string;
}

export interface ExcludedMember {
  personalId: string;
  fullName: string;
  dateOfBirth: string;
  relationToHead: string;
  reason: ExclusionReason;
  reasonText: { vi: string; en: string };
}

export interface HouseholdQuote {
  periodMonths: RenewalPeriodMonths;
  /** The payment date the amounts are computed for (base salary in force on that date). */
  paymentDate: string;
  baseSalary: number;
  /** Last payment date on which this quote's amounts remain valid (day before a base-salary change, if any). */
  validThrough: string;
  members: QuotedMember[];
  excluded: ExcludedMember[];
  total: number;
  legalBasis: LegalBasis[];
}

export interface TimelineEntry {
  at: string;
  status?: ApplicationStatus;
  event: string;
  detail?: Record<string, unknown>;
}

/** A staff decision on a review item, as sent back to the waiting workflow. */
export interface ReviewDecision {
  decision: 'APPROVE' | 'REJECT';
  reviewItemId: string;
  /** Staff id of who decided (never a personal ID number). */
  decidedBy: string;
  decidedAt: string;
  /** Corrected identity data (APPROVE only); fields left out keep the submitted value. */
  corrections: Partial<IdentityClaim> | null;
  /** Rejection reason (REJECT) or null. */
  reason: string | null;
  evidenceNote: string | null;
}

export type CheckKind = 'PERSON' | 'HOUSEHOLD_MEMBERS';
export type SubjectRole = 'HEAD_OF_HOUSEHOLD' | 'APPLICANT';
export type VerifiedBy = 'REGISTRY' | 'STAFF';

/** Result of a PERSON check: the identity the application continues with. */
export interface PersonCheckResult {
  person: IdentityClaim & { sex?: Sex };
}

/** Result of a HOUSEHOLD_MEMBERS check: the household as the registry returned it (head included). */
export interface HouseholdCheckResult {
  householdId: string | null;
  members: RegistryHouseholdMember[];
}

/** A household member with the health-insurance card BHXH holds for them (null: none on record). */
export interface MemberWithCard {
  member: RegistryHouseholdMember;
  card: HealthInsuranceCard | null;
}

export interface HouseholdClassification {
  billable: MemberWithCard[];
  excluded: ExcludedMember[];
}

/** What the payment gateway's callback resumes the workflow with. */
export interface PaymentConfirmation {
  /** The gateway's transaction reference. */
  paymentReference: string;
  /** The payment request it paid. */
  paymentRequestId?: string;
  amount: number;
  paidAt: string;
  /** Asia/Ho_Chi_Minh date of paidAt */
  paymentDate: string;
}

/** One row of the staff console's side-by-side view of a declaration and the registry (compareIdentity.ts). */
export interface IdentityFieldComparison {
  field: 'personalId' | 'fullName' | 'dateOfBirth' | 'sex';
  /** null when the field was not declared (sex is optional). */
  submitted: string | null;
  /** null when the registry has no record of the person. */
  registry: string | null;
  /** false whenever the registry has no record; true for an undeclared field the registry knows. */
  matches: boolean;
  /** Names only: why they match after normalization, or why they almost match. */
  note?: 'DIFFERS_ONLY_BY_DIACRITICS' | 'DIFFERS_ONLY_BY_NORMALIZATION';
}

/** Problems found by the household pre-check (identity/householdCheck.ts), in precedence order. */
export type HouseholdProblemCode = 'ADDRESS_MISMATCH' | 'PERSON_NOT_FOUND' | 'CHILD_UNDER_6_UNREGISTERED';

export interface HouseholdMemberProblem {
  personalId: string;
  problem: HouseholdProblemCode;
}

/**
 * What the review queue sends back to the waiting workflow (SendTaskSuccess output, `$.review` in the ASL): the
 * staff decision plus the reason code that was reviewed, so the re-check (RunIdentityCheck with `approval`)
 * knows which problem staff vouched for.
 */
export interface ReviewDecisionPayload extends ReviewDecision {
  reviewedReasonCode: ReviewReasonCode;
}
