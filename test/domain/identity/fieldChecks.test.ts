import { describe, expect, it } from 'vitest';
import { fieldChecks } from '../../../functions/domain/identity/fieldChecks';
import type { IdentityClaim, RegistryHousehold, RegistryPerson } from '../../../functions/domain/types';

const OPENED = '2026-12-16T02:14:00.000Z'; // 09:14 in Vietnam
const byField = (rows: ReturnType<typeof fieldChecks>) => Object.fromEntries(rows.map((r) => [r.field, r]));

describe('field checks of a review item: what was checked, never "not in the database" unless the registry said so', () => {
  it('ID vs date-of-birth pre-check failure: the registry was never asked; the date of birth says how, digit by digit', () => {
    const claim: IdentityClaim = { personalId: '079087001234', fullName: 'Trần Thị Bình', dateOfBirth: '1978-05-02', sex: 'MALE' };
    const rows = byField(fieldChecks({ checkKind: 'PERSON', reasonCode: 'ID_INCONSISTENT_WITH_DATE_OF_BIRTH', submitted: claim, registrySnapshot: null, openedAt: OPENED }));
    expect(rows.dateOfBirth).toMatchObject({ declared: '1978-05-02', registry: null, outcome: 'INCONSISTENT' });
    expect(rows.dateOfBirth.why).toEqual({
      code: 'PRECHECK_ID_YEAR',
      message: {
        vi: 'Chữ số thứ 5–6 của số định danh cho năm sinh 1987 (chữ số thứ 4 là 0: sinh trong các năm 1900–1999); ngày sinh kê khai 02/05/1978 cho năm sinh 1978',
        en: 'Digits 5–6 of the ID say 1987 (digit 4 is 0: born 1900–1999); the declared date of birth 02/05/1978 says 1978',
      },
    });
    for (const field of ['personalId', 'fullName', 'sex'] as const) {
      expect(rows[field]).toMatchObject({ outcome: 'NOT_CHECKED', registry: null, why: { code: 'REGISTRY_NOT_ASKED_PRECHECK' } });
    }
    expect(JSON.stringify(rows)).not.toMatch(/NOT_FOUND|Không có trong/);
  });

  it('the century digit: digits 5–6 agree but digit 4 puts the birth in another century', () => {
    const claim: IdentityClaim = { personalId: '079287001234', fullName: 'A', dateOfBirth: '1987-01-01' };
    const [, , dob] = fieldChecks({ checkKind: 'PERSON', reasonCode: 'ID_INCONSISTENT_WITH_DATE_OF_BIRTH', submitted: claim, registrySnapshot: null, openedAt: OPENED });
    expect(dob.why?.code).toBe('PRECHECK_ID_CENTURY');
    expect(dob.why?.message.en).toBe('Digits 5–6 of the ID are 87 but digit 4 is 2: born 2000–2099, so the ID says 2087; the declared date of birth 01/01/1987 says 1987');
  });

  it('ID vs sex pre-check failure: the sex row says which digit and what it codes', () => {
    const claim: IdentityClaim = { personalId: '079190001234', fullName: 'A', dateOfBirth: '1990-01-01', sex: 'MALE' };
    const rows = byField(fieldChecks({ checkKind: 'PERSON', reasonCode: 'ID_INCONSISTENT_WITH_SEX', submitted: claim, registrySnapshot: null, openedAt: OPENED }));
    expect(rows.sex).toMatchObject({ outcome: 'INCONSISTENT', why: { message: { vi: 'Chữ số thứ 4 của số định danh là 1 (giới tính nữ); giới tính kê khai là nam' } } });
    expect(rows.dateOfBirth.outcome).toBe('NOT_CHECKED');
  });

  it('household not found where the head was verified: the head fields are verified, only the household is not found', () => {
    const head: IdentityClaim = { personalId: '079090001234', fullName: 'Nguyễn Văn An', dateOfBirth: '1990-03-14', sex: 'MALE' };
    const rows = fieldChecks({ checkKind: 'HOUSEHOLD_MEMBERS', reasonCode: 'HOUSEHOLD_NOT_FOUND', submitted: head, registrySnapshot: null, headVerifiedBy: 'REGISTRY', openedAt: OPENED });
    expect(rows.map((r) => [r.field, r.outcome])).toEqual([
      ['personalId', 'VERIFIED_EARLIER'], ['fullName', 'VERIFIED_EARLIER'], ['dateOfBirth', 'VERIFIED_EARLIER'], ['sex', 'VERIFIED_EARLIER'], ['household', 'NOT_FOUND'],
    ]);
    expect(rows[0].why?.message.vi).toBe('Chủ hộ đã được xác minh với CSDLQG về dân cư ở bước trước');
    expect(rows[4].why?.message.en).toBe('The population registry answered: no household is headed by this person');
    const byStaff = fieldChecks({ checkKind: 'HOUSEHOLD_MEMBERS', reasonCode: 'HOUSEHOLD_NOT_FOUND', submitted: head, registrySnapshot: null, headVerifiedBy: 'STAFF', openedAt: OPENED });
    expect(byStaff[0].why?.code).toBe('HEAD_VERIFIED_BY_STAFF');
  });

  it('registry down: nothing checked, with the time (Vietnam) and the attempts', () => {
    const claim: IdentityClaim = { personalId: '079090001234', fullName: 'A', dateOfBirth: '1990-03-14' };
    const rows = fieldChecks({
      checkKind: 'PERSON', reasonCode: 'REGISTRY_UNAVAILABLE', submitted: claim, registrySnapshot: null, openedAt: OPENED,
      registryOutage: { lastAttemptAt: '2026-12-16T02:14:30.000Z', attempts: 3 },
    });
    expect(rows.every((r) => r.outcome === 'NOT_CHECKED' && r.why?.code === 'REGISTRY_UNREACHABLE')).toBe(true);
    expect(rows[0].why?.message).toEqual({
      vi: 'Chưa đối chiếu: không kết nối được CSDLQG về dân cư lúc 09:14 ngày 16/12/2026, sau 3 lần thử',
      en: 'Not checked: the population registry was unreachable at 09:14 on 16/12/2026, 3 attempts',
    });
    expect(rows[3]).toMatchObject({ field: 'sex', declared: null });
    // Attempts not recorded: the opening time, without a count.
    const unknown = fieldChecks({ checkKind: 'HOUSEHOLD_MEMBERS', reasonCode: 'REGISTRY_UNAVAILABLE', submitted: claim, registrySnapshot: null, openedAt: OPENED });
    expect(unknown[4]).toMatchObject({ field: 'household', outcome: 'NOT_CHECKED' });
    expect(unknown[4].why?.message.en).toBe('Not checked: the population registry was unreachable at 09:14 on 16/12/2026 (after the automatic retries)');
    expect(unknown[0].outcome).toBe('VERIFIED_EARLIER');
  });

  it('a real mismatch: declared beside the registry value, diacritics noted; an undeclared sex shows the registry value', () => {
    const claim: IdentityClaim = { personalId: '079069002284', fullName: 'Cao Van Thang', dateOfBirth: '1969-02-15' };
    const person: RegistryPerson = { personalId: '079069002284', fullName: 'Cao Văn Thắng', dateOfBirth: '1969-02-14', sex: 'MALE' };
    const rows = byField(fieldChecks({ checkKind: 'PERSON', reasonCode: 'NAME_MISMATCH', submitted: claim, registrySnapshot: person, openedAt: OPENED }));
    expect(rows.personalId).toMatchObject({ outcome: 'MATCH' });
    expect(rows.fullName).toEqual({ field: 'fullName', declared: 'Cao Van Thang', registry: 'Cao Văn Thắng', outcome: 'DIFFERS', note: 'DIFFERS_ONLY_BY_DIACRITICS' });
    expect(rows.dateOfBirth).toMatchObject({ declared: '1969-02-15', registry: '1969-02-14', outcome: 'DIFFERS' });
    expect(rows.sex).toMatchObject({ declared: null, registry: 'MALE', outcome: 'NOT_DECLARED' });
  });

  it('the registry said it has no such person: NOT_FOUND, said as the registry’s answer; an ID that is not 12 digits was never looked up', () => {
    const claim: IdentityClaim = { personalId: '036075006138', fullName: 'A', dateOfBirth: '1975-01-01' };
    const rows = fieldChecks({ checkKind: 'PERSON', reasonCode: 'HEAD_OF_HOUSEHOLD_NOT_FOUND', submitted: claim, registrySnapshot: null, openedAt: OPENED });
    expect(rows.every((r) => r.outcome === 'NOT_FOUND' && r.why?.code === 'REGISTRY_NO_RECORD')).toBe(true);
    const bad = fieldChecks({ checkKind: 'PERSON', reasonCode: 'PERSON_NOT_FOUND', submitted: { ...claim, personalId: '03607500613' }, registrySnapshot: null, openedAt: OPENED });
    expect(bad.every((r) => r.outcome === 'NOT_CHECKED' && r.why?.code === 'REGISTRY_NOT_ASKED_ID_FORMAT')).toBe(true);
  });

  it('a household the registry returned: the head compared, the household found', () => {
    const household: RegistryHousehold = {
      householdId: 'HH-79-0001', headPersonalId: '079090001234', address: { code: 'A', text: '12 Lê Lợi' },
      members: [{ personalId: '079090001234', fullName: 'Nguyễn Văn An', dateOfBirth: '1990-03-14', sex: 'MALE', relationToHead: 'CHU_HO', identityLinked: true }],
    };
    const head: IdentityClaim = { personalId: '079090001234', fullName: 'Nguyễn Văn An', dateOfBirth: '1990-03-14', sex: 'MALE' };
    const rows = fieldChecks({ checkKind: 'HOUSEHOLD_MEMBERS', reasonCode: 'ADDRESS_MISMATCH', submitted: head, registrySnapshot: household, openedAt: OPENED });
    expect(rows.map((r) => r.outcome)).toEqual(['MATCH', 'MATCH', 'MATCH', 'MATCH', 'FOUND']);
    expect(rows[4].registry).toBe('HH-79-0001 — 12 Lê Lợi');
  });
});
