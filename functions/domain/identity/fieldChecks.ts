/**
 * What was checked, field by field, for one review item (the staff console's field table): for each field the
 * citizen's declared value, what the population registry (CSDLQG về dân cư) returned — or that it was not
 * checked and why. Computed on the server from the item alone (its reason code, check kind, the declaration,
 * the registry's snapshot and, for outages, when the registry was last tried), so the console never guesses.
 *
 * "Not in the database" (NOT_FOUND) is said only when the registry answered that it has no record:
 *   - an offline pre-check failure (personalId.ts: digit 4 = century/sex, digits 5–6 = year of birth) never asked
 *     the registry: the inconsistent field says how ("digits 5–6 of the ID say 1987, the declared date of birth
 *     says 1978"), the others are NOT_CHECKED;
 *   - an ID that is not 12 digits was never sent to the registry either;
 *   - a household check runs only after the head was verified (by the registry, or by staff): the head's fields
 *     are VERIFIED_EARLIER; only the household row says what the household lookup found;
 *   - an unreachable registry: NOT_CHECKED "registry unreachable at 09:14, 3 attempts".
 *
 * Pure: no AWS, no clock. Times are shown in Vietnam time (UTC+7, no daylight saving).
 */
import type { CheckKind, IdentityClaim, RegistryHousehold, RegistryPerson, ReviewReasonCode, Sex, VerifiedBy } from '../types';
import { decodePersonalId, isPersonalIdFormat } from './personalId';
import { namesMatch, sameLettersIgnoringDiacritics } from './names';

export type CheckedField = 'personalId' | 'fullName' | 'dateOfBirth' | 'sex' | 'household';

/**
 * MATCH / DIFFERS: the registry's value agrees / disagrees with the declaration.
 * NOT_DECLARED: the citizen gave no value (sex is optional); the registry's value, if any, is shown.
 * NOT_FOUND: the registry answered that it has no such record.
 * INCONSISTENT: the offline pre-check found the declared value contradicts the personal ID's digits.
 * NOT_CHECKED: the registry was not asked or not reachable for this field (`why` says which).
 * VERIFIED_EARLIER: verified in an earlier check of the same application (the head, before the household).
 * FOUND: the registry returned the record (the household); its members are listed with their problems.
 */
export type FieldCheckOutcome = 'MATCH' | 'DIFFERS' | 'NOT_DECLARED' | 'NOT_FOUND' | 'INCONSISTENT' | 'NOT_CHECKED' | 'VERIFIED_EARLIER' | 'FOUND';

export type FieldCheckReasonCode =
  | 'PRECHECK_ID_YEAR'
  | 'PRECHECK_ID_CENTURY'
  | 'PRECHECK_ID_SEX'
  | 'REGISTRY_NOT_ASKED_PRECHECK'
  | 'REGISTRY_NOT_ASKED_ID_FORMAT'
  | 'REGISTRY_UNREACHABLE'
  | 'REGISTRY_ANSWER_NOT_KEPT'
  | 'REGISTRY_NO_RECORD'
  | 'REGISTRY_NO_HOUSEHOLD'
  | 'HEAD_VERIFIED_BY_REGISTRY'
  | 'HEAD_VERIFIED_BY_STAFF';

export interface FieldCheckWhy {
  code: FieldCheckReasonCode;
  message: { vi: string; en: string };
}

export interface FieldCheck {
  field: CheckedField;
  /** What the citizen declared (null: not declared). */
  declared: string | null;
  /** What the registry returned for it (null: nothing returned — see outcome). */
  registry: string | null;
  outcome: FieldCheckOutcome;
  /** Names only: why they match after normalization, or why they almost match. */
  note?: 'DIFFERS_ONLY_BY_DIACRITICS' | 'DIFFERS_ONLY_BY_NORMALIZATION';
  why?: FieldCheckWhy;
}

/** When the registry was last tried for an item opened because it was unreachable. */
export interface RegistryOutage {
  lastAttemptAt: string;
  /** Attempts made (null: not recorded). */
  attempts: number | null;
}

export interface FieldCheckInput {
  checkKind: CheckKind;
  reasonCode: ReviewReasonCode;
  submitted: IdentityClaim;
  registrySnapshot: unknown;
  /** HOUSEHOLD_MEMBERS: who verified the head (null: not recorded — the head was verified, by whom is unknown). */
  headVerifiedBy?: VerifiedBy | null;
  /** REGISTRY_UNAVAILABLE: when the registry was last tried (default: when the item was opened). */
  registryOutage?: RegistryOutage | null;
  /** When the item was opened (the outage time when none was recorded). */
  openedAt: string;
}

const PERSON_FIELDS = ['personalId', 'fullName', 'dateOfBirth', 'sex'] as const;
type PersonField = (typeof PERSON_FIELDS)[number];

const SEX_TEXT: Record<Sex, { vi: string; en: string }> = { MALE: { vi: 'nam', en: 'male' }, FEMALE: { vi: 'nữ', en: 'female' } };

export function isRegistryHousehold(snapshot: unknown): snapshot is RegistryHousehold {
  return !!snapshot && typeof snapshot === 'object' && Array.isArray((snapshot as RegistryHousehold).members);
}

export function isRegistryPerson(snapshot: unknown): snapshot is RegistryPerson {
  return !!snapshot && typeof snapshot === 'object' && typeof (snapshot as RegistryPerson).personalId === 'string' && !isRegistryHousehold(snapshot);
}

function declaredOf(claim: IdentityClaim, field: PersonField): string | null {
  return claim[field] ?? null;
}

function why(code: FieldCheckReasonCode, vi: string, en: string): FieldCheckWhy {
  return { code, message: { vi, en } };
}

/** "09:14 ngày 16/12/2026" / "09:14 on 16/12/2026", Vietnam time. */
export function vietnamTimeText(instant: string): { vi: string; en: string } {
  const local = new Date(Date.parse(instant) + 7 * 3_600_000).toISOString();
  const hhmm = local.slice(11, 16);
  const date = `${local.slice(8, 10)}/${local.slice(5, 7)}/${local.slice(0, 4)}`;
  return { vi: `${hhmm} ngày ${date}`, en: `${hhmm} on ${date}` };
}

const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** Why the pre-check found the declared date of birth inconsistent with the ID: the digits, then the declaration. */
export function yearPrecheckWhy(claim: IdentityClaim): FieldCheckWhy {
  const declaredYear = claim.dateOfBirth.slice(0, 4);
  const digit4 = claim.personalId[3];
  const yy = claim.personalId.slice(4, 6);
  let decodedYear: number;
  try {
    decodedYear = decodePersonalId(claim.personalId).birthYear;
  } catch {
    return why(
      'PRECHECK_ID_CENTURY',
      `Chữ số thứ 4 của số định danh là ${digit4}: không phải mã thế kỷ và giới tính đang dùng (0–5); ngày sinh kê khai ${dmy(claim.dateOfBirth)} cho năm sinh ${declaredYear}`,
      `Digit 4 of the ID is ${digit4}: not a century and sex code in use (0–5); the declared date of birth ${dmy(claim.dateOfBirth)} says ${declaredYear}`,
    );
  }
  const centuryStart = decodedYear - Number(yy);
  const centuryVi = `chữ số thứ 4 là ${digit4}: sinh trong các năm ${centuryStart}–${centuryStart + 99}`;
  const centuryEn = `digit 4 is ${digit4}: born ${centuryStart}–${centuryStart + 99}`;
  if (yy === declaredYear.slice(2)) {
    return why(
      'PRECHECK_ID_CENTURY',
      `Chữ số thứ 5–6 của số định danh là ${yy} nhưng ${centuryVi}, tức năm sinh ${decodedYear}; ngày sinh kê khai ${dmy(claim.dateOfBirth)} cho năm sinh ${declaredYear}`,
      `Digits 5–6 of the ID are ${yy} but ${centuryEn}, so the ID says ${decodedYear}; the declared date of birth ${dmy(claim.dateOfBirth)} says ${declaredYear}`,
    );
  }
  return why(
    'PRECHECK_ID_YEAR',
    `Chữ số thứ 5–6 của số định danh cho năm sinh ${decodedYear} (${centuryVi}); ngày sinh kê khai ${dmy(claim.dateOfBirth)} cho năm sinh ${declaredYear}`,
    `Digits 5–6 of the ID say ${decodedYear} (${centuryEn}); the declared date of birth ${dmy(claim.dateOfBirth)} says ${declaredYear}`,
  );
}

export function sexPrecheckWhy(claim: IdentityClaim): FieldCheckWhy {
  const digit4 = claim.personalId[3];
  const idSex = SEX_TEXT[Number(digit4) % 2 === 0 ? 'MALE' : 'FEMALE'];
  const declared = claim.sex ? SEX_TEXT[claim.sex] : { vi: '—', en: '—' };
  return why(
    'PRECHECK_ID_SEX',
    `Chữ số thứ 4 của số định danh là ${digit4} (giới tính ${idSex.vi}); giới tính kê khai là ${declared.vi}`,
    `Digit 4 of the ID is ${digit4} (${idSex.en}); the declared sex is ${declared.en}`,
  );
}

function outageWhy(outage: RegistryOutage): FieldCheckWhy {
  const at = vietnamTimeText(outage.lastAttemptAt);
  const n = outage.attempts;
  return why(
    'REGISTRY_UNREACHABLE',
    `Chưa đối chiếu: không kết nối được CSDLQG về dân cư lúc ${at.vi}${n ? `, sau ${n} lần thử` : ' (sau các lần thử lại tự động)'}`,
    `Not checked: the population registry was unreachable at ${at.en}${n ? `, ${n} attempt${n === 1 ? '' : 's'}` : ' (after the automatic retries)'}`,
  );
}

const NOT_ASKED_PRECHECK = /* @__PURE__ */ why(
  'REGISTRY_NOT_ASKED_PRECHECK',
  'Chưa đối chiếu với CSDLQG về dân cư: kiểm tra sơ bộ số định danh không đạt nên hệ thống chưa gửi yêu cầu tra cứu',
  'Not checked against the population registry: the offline check of the personal ID failed, so the registry was not asked',
);
const NOT_ASKED_FORMAT = /* @__PURE__ */ why(
  'REGISTRY_NOT_ASKED_ID_FORMAT',
  'Chưa đối chiếu với CSDLQG về dân cư: số định danh kê khai không gồm đúng 12 chữ số nên không tra cứu được',
  'Not checked against the population registry: the declared ID is not 12 digits, so it could not be looked up',
);
const ANSWER_NOT_KEPT = /* @__PURE__ */ why(
  'REGISTRY_ANSWER_NOT_KEPT',
  'Không có bản ghi trả lời của CSDLQG về dân cư cho yêu cầu này',
  'No copy of the population registry’s answer was kept for this item',
);

function rowsNotChecked(claim: IdentityClaim, reason: FieldCheckWhy): FieldCheck[] {
  return PERSON_FIELDS.map((field) => ({ field, declared: declaredOf(claim, field), registry: null, outcome: 'NOT_CHECKED' as const, why: reason }));
}

/** Declaration vs the registry's record, field by field. */
export function compareFields(claim: IdentityClaim, person: RegistryPerson): FieldCheck[] {
  return PERSON_FIELDS.map((field): FieldCheck => {
    const declared = declaredOf(claim, field);
    const registry = person[field] ?? null;
    if (declared === null) return { field, declared, registry, outcome: 'NOT_DECLARED' };
    if (field === 'fullName' && registry !== null) {
      if (namesMatch(declared, registry)) {
        return { field, declared, registry, outcome: 'MATCH', ...(declared !== registry ? { note: 'DIFFERS_ONLY_BY_NORMALIZATION' as const } : {}) };
      }
      return { field, declared, registry, outcome: 'DIFFERS', ...(sameLettersIgnoringDiacritics(declared, registry) ? { note: 'DIFFERS_ONLY_BY_DIACRITICS' as const } : {}) };
    }
    return { field, declared, registry, outcome: declared === registry ? 'MATCH' : 'DIFFERS' };
  });
}

function householdText(h: RegistryHousehold): string {
  return `${h.householdId} — ${h.address.text}`;
}

/** The field table of a review item (always the four identity fields; a household check adds `household`). */
export function fieldChecks(input: FieldCheckInput): FieldCheck[] {
  const { submitted: claim, reasonCode, registrySnapshot: snapshot } = input;
  const outage = input.registryOutage ?? { lastAttemptAt: input.openedAt, attempts: null };

  if (input.checkKind === 'HOUSEHOLD_MEMBERS') {
    const headWhy =
      input.headVerifiedBy === 'STAFF'
        ? why('HEAD_VERIFIED_BY_STAFF', 'Chủ hộ đã được cán bộ xác minh ở bước trước', 'The head of household was verified by an officer in an earlier step')
        : why('HEAD_VERIFIED_BY_REGISTRY', 'Chủ hộ đã được xác minh với CSDLQG về dân cư ở bước trước', 'The head of household was verified against the population registry in an earlier step');
    const head = isRegistryHousehold(snapshot) ? snapshot.members.find((m) => m.personalId === claim.personalId) ?? null : null;
    const personRows = head ? compareFields(claim, head) : PERSON_FIELDS.map((field): FieldCheck => ({
      field, declared: declaredOf(claim, field), registry: null, outcome: 'VERIFIED_EARLIER', why: headWhy,
    }));
    let householdRow: FieldCheck;
    if (isRegistryHousehold(snapshot)) householdRow = { field: 'household', declared: null, registry: householdText(snapshot), outcome: 'FOUND' };
    else if (reasonCode === 'REGISTRY_UNAVAILABLE') householdRow = { field: 'household', declared: null, registry: null, outcome: 'NOT_CHECKED', why: outageWhy(outage) };
    else if (reasonCode === 'HOUSEHOLD_NOT_FOUND') {
      householdRow = {
        field: 'household', declared: null, registry: null, outcome: 'NOT_FOUND',
        why: why('REGISTRY_NO_HOUSEHOLD', 'CSDLQG về dân cư trả lời: không có hộ gia đình nào do người này làm chủ hộ', 'The population registry answered: no household is headed by this person'),
      };
    } else householdRow = { field: 'household', declared: null, registry: null, outcome: 'NOT_CHECKED', why: ANSWER_NOT_KEPT };
    return [...personRows, householdRow];
  }

  if (reasonCode === 'ID_INCONSISTENT_WITH_DATE_OF_BIRTH' || reasonCode === 'ID_INCONSISTENT_WITH_SEX') {
    const field: PersonField = reasonCode === 'ID_INCONSISTENT_WITH_SEX' ? 'sex' : 'dateOfBirth';
    return rowsNotChecked(claim, NOT_ASKED_PRECHECK).map((row) =>
      row.field === field ? { ...row, outcome: 'INCONSISTENT', why: field === 'sex' ? sexPrecheckWhy(claim) : yearPrecheckWhy(claim) } : row,
    );
  }
  if (reasonCode === 'REGISTRY_UNAVAILABLE') return rowsNotChecked(claim, outageWhy(outage));
  if (isRegistryPerson(snapshot)) return compareFields(claim, snapshot);
  if (reasonCode === 'PERSON_NOT_FOUND' || reasonCode === 'HEAD_OF_HOUSEHOLD_NOT_FOUND') {
    if (!isPersonalIdFormat(claim.personalId)) return rowsNotChecked(claim, NOT_ASKED_FORMAT);
    const noRecord = why(
      'REGISTRY_NO_RECORD',
      'CSDLQG về dân cư trả lời: không có công dân mang số định danh này',
      'The population registry answered: no citizen has this personal ID',
    );
    return PERSON_FIELDS.map((field) => ({ field, declared: declaredOf(claim, field), registry: null, outcome: 'NOT_FOUND' as const, why: noRecord }));
  }
  return rowsNotChecked(claim, ANSWER_NOT_KEPT);
}
