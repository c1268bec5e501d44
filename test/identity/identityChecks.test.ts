import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { useLocalTables } from '../support/tables';
import { applicationsRepository } from '../../functions/adapters/applicationsRepository';
import { nowIso } from '../../functions/shared/clock';
import { handler as runIdentityCheckStep } from '../../functions/steps/runIdentityCheck';
import { runIdentityCheck, type CheckRequest } from '../../functions/identity/identityChecks';
import type { PopulationRegistry } from '../../functions/adapters/populationRegistry';
import { RegistryUnavailableError } from '../../functions/shared/errors';
import type {
  ApplicationStatus,
  IdentityClaim,
  RegistryHousehold,
  RegistryHouseholdMember,
  RegistryPerson,
  ReviewDecisionPayload,
  ReviewReasonCode,
} from '../../functions/domain/types';

const TODAY = '2025-09-01';

/** In-memory population registry: people and households by personal ID; records every call. */
class FakeRegistry implements PopulationRegistry {
  calls: string[] = [];
  unavailable = false;
  constructor(
    private people: RegistryPerson[] = [],
    private households: RegistryHousehold[] = [],
  ) {}
  async findPerson(id: string) {
    this.calls.push(`person:${id}`);
    if (this.unavailable) throw new RegistryUnavailableError('test');
    return this.people.find((p) => p.personalId === id) ?? null;
  }
  async findHouseholdByHead(id: string) {
    this.calls.push(`household:${id}`);
    if (this.unavailable) throw new RegistryUnavailableError('test');
    return this.households.find((h) => h.headPersonalId === id) ?? null;
  }
}

const HOME = { code: 'ADDR-79-001', text: '12 Lê Lợi, Phường Sài Gòn, TP. Hồ Chí Minh' };
const ELSEWHERE = { code: 'ADDR-01-777', text: '1 Tràng Tiền, Hà Nội' };

// 079 (HCM) · 0 = 1900s male · 85 · sequence
const HEAD: RegistryPerson = { personalId: '079085001234', fullName: 'Nguyễn Văn An', dateOfBirth: '1985-03-14', sex: 'MALE', permanentAddress: HOME };
const WIFE: RegistryPerson = { personalId: '079188004321', fullName: 'Trần Thị Bình', dateOfBirth: '1988-07-02', sex: 'FEMALE', permanentAddress: HOME };
// 2 = 2000s male
const CHILD: RegistryPerson = { personalId: '079221000111', fullName: 'Nguyễn Minh Khang', dateOfBirth: '2021-05-20', sex: 'MALE', permanentAddress: HOME };
const OTHER: RegistryPerson = { personalId: '079090005555', fullName: 'Lê Văn Cường', dateOfBirth: '1990-01-01', sex: 'MALE', permanentAddress: HOME };

const member = (p: RegistryPerson, relationToHead: string, extra: Partial<RegistryHouseholdMember> = {}): RegistryHouseholdMember => ({
  ...p,
  relationToHead,
  identityLinked: true,
  ...extra,
});

const household = (members: RegistryHouseholdMember[]): RegistryHousehold => ({
  householdId: 'HH-79-0001',
  headPersonalId: HEAD.personalId,
  address: HOME,
  members,
});

const claimOf = (p: RegistryPerson, extra: Partial<IdentityClaim> = {}): IdentityClaim => ({
  personalId: p.personalId,
  fullName: p.fullName,
  dateOfBirth: p.dateOfBirth,
  sex: p.sex,
  ...extra,
});

const person = (subject: IdentityClaim, opts: Partial<CheckRequest> = {}): CheckRequest => ({
  checkKind: 'PERSON',
  subjectRole: 'HEAD_OF_HOUSEHOLD',
  subject,
  context: {},
  approval: null,
  ...opts,
});

const members = (subject: IdentityClaim, opts: Partial<CheckRequest> = {}): CheckRequest => ({
  checkKind: 'HOUSEHOLD_MEMBERS',
  subjectRole: 'HEAD_OF_HOUSEHOLD',
  subject,
  context: { headVerifiedBy: 'REGISTRY' },
  approval: null,
  ...opts,
});

const approval = (reviewedReasonCode: ReviewReasonCode, corrections: Partial<IdentityClaim> | null = null): ReviewDecisionPayload => ({
  decision: 'APPROVE',
  reviewItemId: 'RV-ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  decidedBy: 'staff-79-a',
  decidedAt: '2025-09-01T03:00:00.000Z',
  corrections,
  reason: null,
  evidenceNote: 'Đã xác minh với Công an phường',
  reviewedReasonCode,
});

describe('runIdentityCheck — PERSON', () => {
  it('passes against the registry and continues with the registry values', async () => {
    const registry = new FakeRegistry([HEAD]);
    const out = await runIdentityCheck(person(claimOf(HEAD)), registry, TODAY);
    expect(out).toEqual({
      outcome: 'PASSED',
      reasonCode: null,
      verifiedBy: 'REGISTRY',
      result: { person: { personalId: HEAD.personalId, fullName: HEAD.fullName, dateOfBirth: HEAD.dateOfBirth, sex: 'MALE' } },
      registrySnapshot: HEAD,
    });
    expect(registry.calls).toEqual([`person:${HEAD.personalId}`]);
  });

  it('passes a decomposed (NFD), differently cased, oddly spaced name and returns the registry (NFC) name', async () => {
    const declared = '  nguyễn   VĂN\u00a0an '.normalize('NFD');
    expect(declared).not.toBe(HEAD.fullName);
    const out = await runIdentityCheck(person(claimOf(HEAD, { fullName: declared })), new FakeRegistry([HEAD]), TODAY);
    expect(out.outcome).toBe('PASSED');
    expect((out.result as { person: IdentityClaim }).person.fullName).toBe(HEAD.fullName);
  });

  it('passes without a declared sex (nothing to contradict) and fills it from the registry', async () => {
    const out = await runIdentityCheck(person(claimOf(HEAD, { sex: undefined })), new FakeRegistry([HEAD]), TODAY);
    expect(out.outcome).toBe('PASSED');
    expect((out.result as { person: IdentityClaim }).person.sex).toBe('MALE');
  });

  it('ID_INCONSISTENT_WITH_DATE_OF_BIRTH before any registry call', async () => {
    const registry = new FakeRegistry([HEAD]);
    const out = await runIdentityCheck(person(claimOf(HEAD, { dateOfBirth: '1986-03-14' })), registry, TODAY);
    expect(out).toEqual({ outcome: 'NEEDS_REVIEW', reasonCode: 'ID_INCONSISTENT_WITH_DATE_OF_BIRTH', verifiedBy: null, result: null, registrySnapshot: null });
    expect(registry.calls).toEqual([]);
  });

  it('ID_INCONSISTENT_WITH_SEX before any registry call', async () => {
    const registry = new FakeRegistry([HEAD]);
    const out = await runIdentityCheck(person(claimOf(HEAD, { sex: 'FEMALE' })), registry, TODAY);
    expect(out.reasonCode).toBe('ID_INCONSISTENT_WITH_SEX');
    expect(out.outcome).toBe('NEEDS_REVIEW');
    expect(registry.calls).toEqual([]);
  });

  it('HEAD_OF_HOUSEHOLD_NOT_FOUND for a head, PERSON_NOT_FOUND for an applicant (snapshot null)', async () => {
    const head = await runIdentityCheck(person(claimOf(HEAD)), new FakeRegistry([]), TODAY);
    expect(head).toMatchObject({ outcome: 'NEEDS_REVIEW', reasonCode: 'HEAD_OF_HOUSEHOLD_NOT_FOUND', registrySnapshot: null, result: null });
    const applicant = await runIdentityCheck(person(claimOf(HEAD), { subjectRole: 'APPLICANT' }), new FakeRegistry([]), TODAY);
    expect(applicant).toMatchObject({ outcome: 'NEEDS_REVIEW', reasonCode: 'PERSON_NOT_FOUND', registrySnapshot: null });
  });

  it('a malformed personal ID is not found, without calling the registry', async () => {
    const registry = new FakeRegistry([HEAD]);
    const out = await runIdentityCheck(person(claimOf(HEAD, { personalId: '07908500123' }), { subjectRole: 'APPLICANT' }), registry, TODAY);
    expect(out.reasonCode).toBe('PERSON_NOT_FOUND');
    expect(registry.calls).toEqual([]);
  });

  it.each([
    ['NAME_MISMATCH', { fullName: 'Nguyễn Văn Ân' }],
    ['DATE_OF_BIRTH_MISMATCH', { dateOfBirth: '1985-03-15' }],
  ] as const)('%s with the registry person as snapshot', async (code, change) => {
    const out = await runIdentityCheck(person(claimOf(HEAD, change)), new FakeRegistry([HEAD]), TODAY);
    expect(out).toEqual({ outcome: 'NEEDS_REVIEW', reasonCode: code, verifiedBy: null, result: null, registrySnapshot: HEAD });
  });

  it('SEX_MISMATCH when the registry records another sex than the declared (and ID-consistent) one', async () => {
    const registryRecord = { ...HEAD, sex: 'FEMALE' as const };
    const out = await runIdentityCheck(person(claimOf(HEAD)), new FakeRegistry([registryRecord]), TODAY);
    expect(out).toMatchObject({ outcome: 'NEEDS_REVIEW', reasonCode: 'SEX_MISMATCH', registrySnapshot: registryRecord });
  });

  it('lets RegistryUnavailableError propagate (the ASL retries and catches it)', async () => {
    const registry = new FakeRegistry([HEAD]);
    registry.unavailable = true;
    await expect(runIdentityCheck(person(claimOf(HEAD)), registry, TODAY)).rejects.toMatchObject({ name: 'RegistryUnavailable' });
  });
});

describe('runIdentityCheck — PERSON with a staff approval', () => {
  it('HEAD_OF_HOUSEHOLD_NOT_FOUND approved, still not found → PASSED by STAFF with the subject', async () => {
    const subject = claimOf(OTHER);
    const out = await runIdentityCheck(person(subject, { approval: approval('HEAD_OF_HOUSEHOLD_NOT_FOUND') }), new FakeRegistry([]), TODAY);
    expect(out).toEqual({ outcome: 'PASSED', reasonCode: null, verifiedBy: 'STAFF', result: { person: subject }, registrySnapshot: null });
  });

  it('HEAD_OF_HOUSEHOLD_NOT_FOUND approved with a corrected ID the registry knows → re-verified, PASSED by STAFF', async () => {
    const registry = new FakeRegistry([HEAD]);
    const subject = claimOf(HEAD, { personalId: '079085009999' });
    const out = await runIdentityCheck(
      person(subject, { approval: approval('HEAD_OF_HOUSEHOLD_NOT_FOUND', { personalId: HEAD.personalId }) }),
      registry,
      TODAY,
    );
    expect(registry.calls).toEqual([`person:${HEAD.personalId}`]);
    expect(out).toMatchObject({ outcome: 'PASSED', verifiedBy: 'STAFF', registrySnapshot: HEAD });
    expect((out.result as { person: IdentityClaim }).person.personalId).toBe(HEAD.personalId);
  });

  it('HEAD_OF_HOUSEHOLD_NOT_FOUND approved with a corrected ID whose record disagrees → NEEDS_REVIEW with the new problem', async () => {
    const subject = claimOf(HEAD, { personalId: '079085009999', dateOfBirth: '1985-04-01' });
    const out = await runIdentityCheck(
      person(subject, { approval: approval('HEAD_OF_HOUSEHOLD_NOT_FOUND', { personalId: HEAD.personalId }) }),
      new FakeRegistry([HEAD]),
      TODAY,
    );
    expect(out).toMatchObject({ outcome: 'NEEDS_REVIEW', reasonCode: 'DATE_OF_BIRTH_MISMATCH', registrySnapshot: HEAD, verifiedBy: null });
  });

  it('NAME_MISMATCH approved → PASSED by STAFF, keeping the declared name', async () => {
    const subject = claimOf(HEAD, { fullName: 'Nguyễn Văn Ân' });
    const out = await runIdentityCheck(person(subject, { approval: approval('NAME_MISMATCH') }), new FakeRegistry([HEAD]), TODAY);
    expect(out).toMatchObject({ outcome: 'PASSED', verifiedBy: 'STAFF', registrySnapshot: HEAD });
    expect((out.result as { person: IdentityClaim }).person).toEqual({ ...claimOf(HEAD), fullName: 'Nguyễn Văn Ân' });
  });

  it('NAME_MISMATCH approved, with a further date-of-birth mismatch → NEEDS_REVIEW DATE_OF_BIRTH_MISMATCH', async () => {
    const subject = claimOf(HEAD, { fullName: 'Nguyễn Văn Ân', dateOfBirth: '1985-12-31' });
    const out = await runIdentityCheck(person(subject, { approval: approval('NAME_MISMATCH') }), new FakeRegistry([HEAD]), TODAY);
    expect(out.reasonCode).toBe('DATE_OF_BIRTH_MISMATCH');
  });

  it('NAME_MISMATCH approved with the name corrected to the registry → PASSED with the registry name', async () => {
    const subject = claimOf(HEAD, { fullName: 'Nguyen Van An' });
    const out = await runIdentityCheck(
      person(subject, { approval: approval('NAME_MISMATCH', { fullName: 'Nguyễn Văn An' }) }),
      new FakeRegistry([HEAD]),
      TODAY,
    );
    expect(out).toMatchObject({ outcome: 'PASSED', verifiedBy: 'STAFF' });
    expect((out.result as { person: IdentityClaim }).person.fullName).toBe('Nguyễn Văn An');
  });

  it('DATE_OF_BIRTH_MISMATCH approved → PASSED keeping the declared date', async () => {
    const subject = claimOf(HEAD, { dateOfBirth: '1985-03-15' });
    const out = await runIdentityCheck(person(subject, { approval: approval('DATE_OF_BIRTH_MISMATCH') }), new FakeRegistry([HEAD]), TODAY);
    expect(out).toMatchObject({ outcome: 'PASSED', verifiedBy: 'STAFF' });
    expect((out.result as { person: IdentityClaim }).person.dateOfBirth).toBe('1985-03-15');
  });

  it('SEX_MISMATCH approved → PASSED', async () => {
    const registryRecord = { ...HEAD, sex: 'FEMALE' as const };
    const out = await runIdentityCheck(person(claimOf(HEAD), { approval: approval('SEX_MISMATCH') }), new FakeRegistry([registryRecord]), TODAY);
    expect(out).toMatchObject({ outcome: 'PASSED', verifiedBy: 'STAFF' });
    expect((out.result as { person: IdentityClaim }).person.sex).toBe('MALE');
  });

  it('ID_INCONSISTENT_WITH_DATE_OF_BIRTH approved with the corrected date → checked against the registry, PASSED', async () => {
    const registry = new FakeRegistry([HEAD]);
    const subject = claimOf(HEAD, { dateOfBirth: '1986-03-14' });
    const out = await runIdentityCheck(
      person(subject, { approval: approval('ID_INCONSISTENT_WITH_DATE_OF_BIRTH', { dateOfBirth: '1985-03-14' }) }),
      registry,
      TODAY,
    );
    expect(out).toMatchObject({ outcome: 'PASSED', verifiedBy: 'STAFF', registrySnapshot: HEAD });
    expect(registry.calls).toHaveLength(1);
  });

  it('ID_INCONSISTENT_WITH_SEX accepted as is → still compared with the registry (which can disagree)', async () => {
    const subject = claimOf(HEAD, { sex: 'FEMALE' });
    const out = await runIdentityCheck(person(subject, { approval: approval('ID_INCONSISTENT_WITH_SEX') }), new FakeRegistry([HEAD]), TODAY);
    expect(out).toMatchObject({ outcome: 'NEEDS_REVIEW', reasonCode: 'SEX_MISMATCH' });
  });

  it('an approval for another problem does not hide a pre-check failure', async () => {
    const registry = new FakeRegistry([HEAD]);
    const out = await runIdentityCheck(
      person(claimOf(HEAD), { approval: approval('HEAD_OF_HOUSEHOLD_NOT_FOUND', { dateOfBirth: '1990-01-01' }) }),
      registry,
      TODAY,
    );
    expect(out.reasonCode).toBe('ID_INCONSISTENT_WITH_DATE_OF_BIRTH');
    expect(registry.calls).toEqual([]);
  });

  it('REGISTRY_UNAVAILABLE approved → the check runs again against the registry, which verifies the person', async () => {
    const out = await runIdentityCheck(person(claimOf(HEAD), { approval: approval('REGISTRY_UNAVAILABLE') }), new FakeRegistry([HEAD]), TODAY);
    expect(out).toMatchObject({ outcome: 'PASSED', verifiedBy: 'REGISTRY', registrySnapshot: HEAD });
  });

  it('REGISTRY_UNAVAILABLE approved while the registry is still down → PASSED on the staff member\'s word', async () => {
    const registry = new FakeRegistry([HEAD]);
    registry.unavailable = true;
    const out = await runIdentityCheck(person(claimOf(HEAD), { approval: approval('REGISTRY_UNAVAILABLE') }), registry, TODAY);
    expect(out).toMatchObject({ outcome: 'PASSED', verifiedBy: 'STAFF', registrySnapshot: null });
    expect((out.result as { person: IdentityClaim }).person.personalId).toBe(HEAD.personalId);
  });

  it('another approval does not pass a person while the registry is down', async () => {
    const registry = new FakeRegistry([HEAD]);
    registry.unavailable = true;
    await expect(
      runIdentityCheck(person(claimOf(HEAD), { approval: approval('NAME_MISMATCH') }), registry, TODAY),
    ).rejects.toBeInstanceOf(RegistryUnavailableError);
  });

  it('refuses a REJECT decision as an approval', async () => {
    const reject = { ...approval('NAME_MISMATCH'), decision: 'REJECT' as const };
    await expect(runIdentityCheck(person(claimOf(HEAD), { approval: reject }), new FakeRegistry([HEAD]), TODAY)).rejects.toMatchObject({
      code: 'APPROVAL_NOT_APPROVE',
    });
  });
});

describe('runIdentityCheck — HOUSEHOLD_MEMBERS', () => {
  const full = household([member(HEAD, 'CHU_HO'), member(WIFE, 'VO'), member(CHILD, 'CON')]);

  it('passes with the household as the registry returned it', async () => {
    const registry = new FakeRegistry([], [full]);
    const out = await runIdentityCheck(members(claimOf(HEAD)), registry, TODAY);
    expect(out).toEqual({
      outcome: 'PASSED',
      reasonCode: null,
      verifiedBy: 'REGISTRY',
      result: { householdId: full.householdId, members: full.members },
      registrySnapshot: full,
    });
    expect(registry.calls).toEqual([`household:${HEAD.personalId}`]);
  });

  it('HOUSEHOLD_NOT_FOUND when the registry has no household for a registry-verified head', async () => {
    const out = await runIdentityCheck(members(claimOf(HEAD)), new FakeRegistry([], []), TODAY);
    expect(out).toEqual({ outcome: 'NEEDS_REVIEW', reasonCode: 'HOUSEHOLD_NOT_FOUND', verifiedBy: null, result: null, registrySnapshot: null });
  });

  it('a head verified by STAFF without a registered household → a household of the head alone', async () => {
    const subject = claimOf(OTHER, { sex: undefined });
    const out = await runIdentityCheck(members(subject, { context: { headVerifiedBy: 'STAFF' } }), new FakeRegistry([], []), TODAY);
    expect(out).toEqual({
      outcome: 'PASSED',
      reasonCode: null,
      verifiedBy: 'STAFF',
      result: {
        householdId: null,
        members: [
          {
            personalId: OTHER.personalId,
            fullName: OTHER.fullName,
            dateOfBirth: OTHER.dateOfBirth,
            sex: 'MALE', // from the ID's century/sex digit
            relationToHead: 'CHU_HO',
            identityLinked: false,
          },
        ],
      },
      registrySnapshot: null,
    });
  });

  it('ADDRESS_MISMATCH when a member lives elsewhere (snapshot = the household)', async () => {
    const h = household([member(HEAD, 'CHU_HO'), member({ ...WIFE, permanentAddress: ELSEWHERE }, 'VO')]);
    const out = await runIdentityCheck(members(claimOf(HEAD)), new FakeRegistry([], [h]), TODAY);
    expect(out).toEqual({ outcome: 'NEEDS_REVIEW', reasonCode: 'ADDRESS_MISMATCH', verifiedBy: null, result: null, registrySnapshot: h });
  });

  it('CHILD_UNDER_6_UNREGISTERED for an unlinked child under 6', async () => {
    const h = household([member(HEAD, 'CHU_HO'), member(CHILD, 'CON', { identityLinked: false })]);
    const out = await runIdentityCheck(members(claimOf(HEAD)), new FakeRegistry([], [h]), TODAY);
    expect(out).toMatchObject({ outcome: 'NEEDS_REVIEW', reasonCode: 'CHILD_UNDER_6_UNREGISTERED', registrySnapshot: h });
  });

  it('PERSON_NOT_FOUND for an unlinked adult member', async () => {
    const h = household([member(HEAD, 'CHU_HO'), member(WIFE, 'VO', { identityLinked: false })]);
    const out = await runIdentityCheck(members(claimOf(HEAD)), new FakeRegistry([], [h]), TODAY);
    expect(out.reasonCode).toBe('PERSON_NOT_FOUND');
  });

  it('ADDRESS_MISMATCH approved → PASSED by STAFF with the household as returned', async () => {
    const h = household([member(HEAD, 'CHU_HO'), member({ ...WIFE, permanentAddress: ELSEWHERE }, 'VO')]);
    const out = await runIdentityCheck(members(claimOf(HEAD), { approval: approval('ADDRESS_MISMATCH') }), new FakeRegistry([], [h]), TODAY);
    expect(out).toEqual({
      outcome: 'PASSED',
      reasonCode: null,
      verifiedBy: 'STAFF',
      result: { householdId: h.householdId, members: h.members },
      registrySnapshot: h,
    });
  });

  it('ADDRESS_MISMATCH approved, an unlinked child remains → NEEDS_REVIEW CHILD_UNDER_6_UNREGISTERED', async () => {
    const h = household([
      member(HEAD, 'CHU_HO'),
      member({ ...WIFE, permanentAddress: ELSEWHERE }, 'VO'),
      member(CHILD, 'CON', { identityLinked: false }),
    ]);
    const out = await runIdentityCheck(members(claimOf(HEAD), { approval: approval('ADDRESS_MISMATCH') }), new FakeRegistry([], [h]), TODAY);
    expect(out).toMatchObject({ outcome: 'NEEDS_REVIEW', reasonCode: 'CHILD_UNDER_6_UNREGISTERED' });
  });

  it('CHILD_UNDER_6_UNREGISTERED approved → PASSED with the household as returned', async () => {
    const h = household([member(HEAD, 'CHU_HO'), member(CHILD, 'CON', { identityLinked: false })]);
    const out = await runIdentityCheck(
      members(claimOf(HEAD), { approval: approval('CHILD_UNDER_6_UNREGISTERED') }),
      new FakeRegistry([], [h]),
      TODAY,
    );
    expect(out).toMatchObject({ outcome: 'PASSED', verifiedBy: 'STAFF', result: { householdId: h.householdId, members: h.members } });
  });

  it('HOUSEHOLD_NOT_FOUND approved → the head alone', async () => {
    const out = await runIdentityCheck(
      members(claimOf(HEAD), { approval: approval('HOUSEHOLD_NOT_FOUND') }),
      new FakeRegistry([], []),
      TODAY,
    );
    expect(out).toMatchObject({ outcome: 'PASSED', verifiedBy: 'STAFF', result: { householdId: null } });
    expect((out.result as { members: RegistryHouseholdMember[] }).members.map((m) => m.relationToHead)).toEqual(['CHU_HO']);
  });

  it('lets RegistryUnavailableError propagate', async () => {
    const registry = new FakeRegistry([], [full]);
    registry.unavailable = true;
    await expect(runIdentityCheck(members(claimOf(HEAD)), registry, TODAY)).rejects.toBeInstanceOf(RegistryUnavailableError);
  });
});

// ---------------------------------------------------------------------------------------------------------
// The RunIdentityCheck step handler: application → VERIFYING, then the check over the HTTP registry client
// (a tiny node:http registry here), DynamoDB Local for the application.


describe('RunIdentityCheck step', () => {
  let server: Server;
  let registryDown = false;

  beforeAll(async () => {
    await useLocalTables('identityStep');
    server = createServer((req, res) => {
      if (registryDown) {
        res.writeHead(503).end();
        return;
      }
      const m = /^\/v1\/citizens\/(\d+)$/.exec(req.url ?? '');
      const found = m && [HEAD].find((p) => p.personalId === m[1]);
      if (found) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(found));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    process.env.POPULATION_REGISTRY_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env.POPULATION_REGISTRY_MAX_ATTEMPTS = '1';
    process.env.POPULATION_REGISTRY_TIMEOUT_MS = '1000';
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  async function newApplication(status: ApplicationStatus): Promise<string> {
    const applicationId = `HR-${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    const at = nowIso();
    await applicationsRepository.create({
      applicationId,
      service: 'HOUSEHOLD_RENEWAL',
      provinceCode: '79',
      status,
      request: {},
      createdAt: at,
      updatedAt: at,
      timeline: [],
      version: 1,
    });
    return applicationId;
  }

  const stepInput = (applicationId: string, subject: IdentityClaim, approval: unknown = null) => ({
    applicationId,
    service: 'HOUSEHOLD_RENEWAL',
    provinceCode: '79',
    checkKind: 'PERSON',
    subjectRole: 'HEAD_OF_HOUSEHOLD',
    subject,
    context: {},
    approval,
  });

  it('marks the application VERIFYING once (a retry adds no event) and returns the outcome', async () => {
    const applicationId = await newApplication('RECEIVED');
    const out = await runIdentityCheckStep(stepInput(applicationId, claimOf(HEAD)));
    expect(out).toMatchObject({ outcome: 'PASSED', verifiedBy: 'REGISTRY', registrySnapshot: { personalId: HEAD.personalId } });
    const again = await runIdentityCheckStep(stepInput(applicationId, claimOf(HEAD)));
    expect(again.outcome).toBe('PASSED');
    const app = await applicationsRepository.get(applicationId);
    expect(app!.status).toBe('VERIFYING');
    expect(app!.timeline.map((t) => t.event)).toEqual(['IDENTITY_CHECK_STARTED']);
  });

  it('re-runs after an approval from IN_REVIEW (JSON nulls in the decision tolerated)', async () => {
    const applicationId = await newApplication('IN_REVIEW');
    const out = await runIdentityCheckStep(
      stepInput(applicationId, claimOf(HEAD, { fullName: 'Nguyễn Văn Ân' }), { ...approval('NAME_MISMATCH'), corrections: { fullName: null } }),
    );
    expect(out).toMatchObject({ outcome: 'PASSED', verifiedBy: 'STAFF' });
    expect((await applicationsRepository.get(applicationId))!.status).toBe('VERIFYING');
  });

  it('throws RegistryUnavailable when the registry is down (for the ASL Retry/Catch)', async () => {
    const applicationId = await newApplication('RECEIVED');
    registryDown = true;
    try {
      await expect(runIdentityCheckStep(stepInput(applicationId, claimOf(HEAD)))).rejects.toMatchObject({ name: 'RegistryUnavailable' });
    } finally {
      registryDown = false;
    }
  });

  it('refuses a finished application and invalid input (without echoing personal data)', async () => {
    const done = await newApplication('COMPLETED');
    await expect(runIdentityCheckStep(stepInput(done, claimOf(HEAD)))).rejects.toMatchObject({ code: 'INVALID_STATE' });
    const applicationId = await newApplication('RECEIVED');
    const error = await runIdentityCheckStep({ ...stepInput(applicationId, claimOf(HEAD)), checkKind: 'DNA' }).catch((e) => e);
    expect(error).toMatchObject({ name: 'ValidationError', code: 'VALIDATION_FAILED' });
    expect(JSON.stringify(error.details)).not.toContain(HEAD.personalId);
  });
});
