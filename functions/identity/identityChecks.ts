/**
 * Identity checks shared by every service (docs/design.md, "Identity checks"): one check of a declared identity
 * against the national population registry, optionally with a staff approval from the review queue.
 *
 * PERSON
 *   1. offline pre-checks (ID digits vs declared year of birth / sex): no registry call when they fail;
 *   2. findPerson: not found → HEAD_OF_HOUSEHOLD_NOT_FOUND (role head) or PERSON_NOT_FOUND;
 *   3. compare name (normalized), date of birth, sex (when declared).
 *   Passing without approval → verifiedBy REGISTRY, result.person = the registry's values (canonical NFC name).
 *
 * HOUSEHOLD_MEMBERS (subject = the verified head)
 *   findHouseholdByHead: not found → HOUSEHOLD_NOT_FOUND, except when the head was verified by STAFF
 *   (context.headVerifiedBy) → a household of the head alone; otherwise the household pre-check
 *   (householdCheck.ts): ADDRESS_MISMATCH > PERSON_NOT_FOUND > CHILD_UNDER_6_UNREGISTERED.
 *
 * With an approval (a ReviewDecisionPayload with decision APPROVE, as the review queue sends it):
 *   - the corrections are applied to the subject;
 *   - the reviewed reason (`approval.reviewedReasonCode`) is accepted: staff vouched for exactly that problem;
 *   - the check runs again with the corrected data; any *other* problem → NEEDS_REVIEW again (the workflow
 *     opens a new review item); when nothing but the accepted problem remains → PASSED, verifiedBy STAFF.
 *   Examples: PERSON approved for HEAD_OF_HOUSEHOLD_NOT_FOUND with a corrected ID that the registry knows is
 *   compared with the registry (a mismatch → NEEDS_REVIEW); still not found → PASSED (STAFF) with the subject.
 *   HOUSEHOLD_MEMBERS approved for ADDRESS_MISMATCH / CHILD_UNDER_6_UNREGISTERED → PASSED with the household as
 *   the registry returned it; approved for HOUSEHOLD_NOT_FOUND → the head alone.
 *   A mismatch accepted by staff keeps the (corrected) declared value for that field in result.person; the
 *   other fields take the registry's values.
 *
 * Registry errors (RegistryUnavailableError, name 'RegistryUnavailable') propagate: the ASL retries/catches them.
 * registrySnapshot = what the registry returned (person or household), or null (not called / not found).
 */
import type {
  CheckKind,
  IdentityClaim,
  HouseholdCheckResult,
  PersonCheckResult,
  RegistryHousehold,
  RegistryHouseholdMember,
  RegistryPerson,
  ReviewDecisionPayload,
  ReviewReasonCode,
  Sex,
  SubjectRole,
  VerifiedBy,
} from '../domain/types';
import type { PopulationRegistry } from '../adapters/populationRegistry';
import { isPersonalIdFormat, precheckPersonalId } from '../domain/identity/personalId';
import { compareWithRegistry } from '../domain/identity/compareIdentity';
import { checkHousehold, householdReasonCode } from '../domain/identity/householdCheck';
import { RegistryUnavailableError, ValidationError } from '../shared/errors';

export interface CheckRequest {
  checkKind: CheckKind;
  subjectRole: SubjectRole;
  subject: IdentityClaim;
  context: { headVerifiedBy?: VerifiedBy | null };
  /** The staff decision the workflow resumed with (`$.review`), or null on the first run. */
  approval: ReviewDecisionPayload | null;
}

export interface CheckOutcome {
  outcome: 'PASSED' | 'NEEDS_REVIEW';
  reasonCode: ReviewReasonCode | null;
  verifiedBy: VerifiedBy | null;
  result: PersonCheckResult | HouseholdCheckResult | null;
  registrySnapshot: unknown;
}

type MismatchCode = 'NAME_MISMATCH' | 'DATE_OF_BIRTH_MISMATCH' | 'SEX_MISMATCH';

export async function runIdentityCheck(req: CheckRequest, registry: PopulationRegistry, today: string): Promise<CheckOutcome> {
  const approval = req.approval ?? null;
  if (approval && approval.decision !== 'APPROVE') {
    // The workflow only re-runs the check after an approval; a rejection ends it.
    throw new ValidationError(
      'Chỉ kiểm tra lại sau khi cán bộ phê duyệt',
      'A check is only re-run after an approval',
      { decision: approval.decision },
      'APPROVAL_NOT_APPROVE',
    );
  }
  const subject = applyCorrections(req.subject, approval?.corrections ?? null);
  const accepted = approval ? approval.reviewedReasonCode : null;
  return req.checkKind === 'PERSON'
    ? checkPerson(subject, req.subjectRole, accepted, registry)
    : checkHouseholdMembers(subject, req.context.headVerifiedBy ?? null, accepted, registry, today);
}

/** The subject with the staff's corrections applied (absent / null / empty fields keep the submitted value). */
export function applyCorrections(subject: IdentityClaim, corrections: Partial<IdentityClaim> | null): IdentityClaim {
  const out: IdentityClaim = { ...subject };
  if (!corrections) return out;
  if (typeof corrections.personalId === 'string' && corrections.personalId !== '') out.personalId = corrections.personalId;
  if (typeof corrections.fullName === 'string' && corrections.fullName.trim() !== '') out.fullName = corrections.fullName;
  if (typeof corrections.dateOfBirth === 'string' && corrections.dateOfBirth !== '') out.dateOfBirth = corrections.dateOfBirth;
  if (corrections.sex === 'MALE' || corrections.sex === 'FEMALE') out.sex = corrections.sex;
  return out;
}

async function checkPerson(
  subject: IdentityClaim,
  role: SubjectRole,
  accepted: ReviewReasonCode | null,
  registry: PopulationRegistry,
): Promise<CheckOutcome> {
  const notFound: ReviewReasonCode = role === 'HEAD_OF_HOUSEHOLD' ? 'HEAD_OF_HOUSEHOLD_NOT_FOUND' : 'PERSON_NOT_FOUND';
  // Staff who vouched only that the registry was down verified nothing about the person: once the registry answers,
  // the registry verifies (a supervisor's registry re-check resumes such items this way).
  const verifiedBy: VerifiedBy = accepted && accepted !== 'REGISTRY_UNAVAILABLE' ? 'STAFF' : 'REGISTRY';

  // Not a 12-digit number: nothing the registry could find (the APIs validate this; staff can correct it).
  if (!isPersonalIdFormat(subject.personalId)) return needsReview(notFound, null);

  const precheck = precheckPersonalId(subject);
  if (precheck && precheck !== accepted) return needsReview(precheck, null);

  const person = await findPersonOrStaffWord(registry, subject.personalId, accepted);
  if (person === STAFF_VOUCHED) return passed('STAFF', { person: claimOnly(subject) }, null);
  if (!person) {
    if (accepted === notFound) return passed(verifiedBy, { person: claimOnly(subject) }, null);
    return needsReview(notFound, null);
  }

  let mismatch = compareWithRegistry(subject, person);
  if (mismatch && mismatch === accepted) {
    // Staff vouched for this field: look for any other mismatch with that field taken as the registry's.
    mismatch = compareWithRegistry(withRegistryValue(subject, person, mismatch), person);
  }
  if (mismatch) return needsReview(mismatch, person);
  return passed(verifiedBy, { person: resultPerson(subject, person, accepted) }, person);
}

async function checkHouseholdMembers(
  head: IdentityClaim,
  headVerifiedBy: VerifiedBy | null,
  accepted: ReviewReasonCode | null,
  registry: PopulationRegistry,
  today: string,
): Promise<CheckOutcome> {
  const household = isPersonalIdFormat(head.personalId) ? await registry.findHouseholdByHead(head.personalId) : null;
  if (!household) {
    // The head exists only on staff's word (or staff vouched that no household is registered): the head alone.
    if (headVerifiedBy === 'STAFF' || accepted === 'HOUSEHOLD_NOT_FOUND') {
      return passed('STAFF', { householdId: null, members: [headAlone(head)] }, null);
    }
    return needsReview('HOUSEHOLD_NOT_FOUND', null);
  }
  const { problems } = checkHousehold(household, today);
  const remaining = accepted ? problems.filter((p) => p.problem !== accepted) : problems;
  const reasonCode = householdReasonCode(remaining);
  if (reasonCode) return needsReview(reasonCode, household);
  return passed(accepted && accepted !== 'REGISTRY_UNAVAILABLE' ? 'STAFF' : 'REGISTRY', householdResult(household), household);
}

const STAFF_VOUCHED = Symbol('staff vouched while the registry was down');

/**
 * Looks the person up. When staff approved an item opened because the registry was down (they verified the
 * person another way, e.g. with the provincial police) and the registry is still down, their word stands.
 */
async function findPersonOrStaffWord(
  registry: PopulationRegistry,
  personalId: string,
  accepted: ReviewReasonCode | null,
): Promise<RegistryPerson | null | typeof STAFF_VOUCHED> {
  try {
    return await registry.findPerson(personalId);
  } catch (error) {
    if (accepted === 'REGISTRY_UNAVAILABLE' && error instanceof RegistryUnavailableError) return STAFF_VOUCHED;
    throw error;
  }
}

function needsReview(reasonCode: ReviewReasonCode, registrySnapshot: RegistryPerson | RegistryHousehold | null): CheckOutcome {
  return { outcome: 'NEEDS_REVIEW', reasonCode, verifiedBy: null, result: null, registrySnapshot };
}

function passed(
  verifiedBy: VerifiedBy,
  result: PersonCheckResult | HouseholdCheckResult,
  registrySnapshot: RegistryPerson | RegistryHousehold | null,
): CheckOutcome {
  return { outcome: 'PASSED', reasonCode: null, verifiedBy, result, registrySnapshot };
}

function claimOnly(claim: IdentityClaim): IdentityClaim {
  const person: IdentityClaim = { personalId: claim.personalId, fullName: claim.fullName, dateOfBirth: claim.dateOfBirth };
  if (claim.sex) person.sex = claim.sex;
  return person;
}

function withRegistryValue(claim: IdentityClaim, person: RegistryPerson, field: MismatchCode): IdentityClaim {
  switch (field) {
    case 'NAME_MISMATCH':
      return { ...claim, fullName: person.fullName };
    case 'DATE_OF_BIRTH_MISMATCH':
      return { ...claim, dateOfBirth: person.dateOfBirth };
    case 'SEX_MISMATCH':
      return { ...claim, sex: person.sex };
  }
}

/** The identity the application continues with: the registry's values, except a field whose mismatch staff accepted. */
function resultPerson(claim: IdentityClaim, person: RegistryPerson, accepted: ReviewReasonCode | null): IdentityClaim {
  return {
    personalId: person.personalId,
    fullName: accepted === 'NAME_MISMATCH' ? claim.fullName : person.fullName,
    dateOfBirth: accepted === 'DATE_OF_BIRTH_MISMATCH' ? claim.dateOfBirth : person.dateOfBirth,
    sex: accepted === 'SEX_MISMATCH' && claim.sex ? claim.sex : person.sex,
  };
}

function householdResult(household: RegistryHousehold): HouseholdCheckResult {
  return { householdId: household.householdId, members: household.members };
}

/** Sex coded by digit 4 of a personal ID: even = male, odd = female (domain.md §5). */
function sexFromPersonalId(personalId: string): Sex {
  return Number(personalId[3]) % 2 === 0 ? 'MALE' : 'FEMALE';
}

/** A household of the head alone, built from the (staff-verified) subject. */
function headAlone(head: IdentityClaim): RegistryHouseholdMember {
  return {
    personalId: head.personalId,
    fullName: head.fullName,
    dateOfBirth: head.dateOfBirth,
    sex: head.sex ?? sexFromPersonalId(head.personalId),
    relationToHead: 'CHU_HO',
    identityLinked: false,
  };
}
