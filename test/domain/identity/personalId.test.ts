import { describe, expect, it } from 'vitest';
import { decodePersonalId, isPersonalIdFormat, precheckPersonalId } from '../../../functions/domain/identity/personalId';

describe('personal identification number', () => {
  it('format: exactly 12 ASCII digits', () => {
    expect(isPersonalIdFormat('079085000001')).toBe(true);
    expect(isPersonalIdFormat('07908500000')).toBe(false); // 11 digits
    expect(isPersonalIdFormat('0790850000012')).toBe(false);
    expect(isPersonalIdFormat('07908500000A')).toBe(false);
    expect(isPersonalIdFormat('０７９０８５０００００１')).toBe(false); // full-width digits
    expect(isPersonalIdFormat('079085 00001')).toBe(false);
    expect(isPersonalIdFormat('079085000001\n')).toBe(false);
  });

  it('decodes province, sex and birth year', () => {
    expect(decodePersonalId('079085000001')).toEqual({ birthRegistrationProvinceCode: '079', sex: 'MALE', birthYear: 1985 });
    expect(decodePersonalId('001187000002')).toEqual({ birthRegistrationProvinceCode: '001', sex: 'FEMALE', birthYear: 1987 });
    expect(decodePersonalId('096212000004')).toEqual({ birthRegistrationProvinceCode: '096', sex: 'MALE', birthYear: 2012 });
    expect(decodePersonalId('079300000005')).toEqual({ birthRegistrationProvinceCode: '079', sex: 'FEMALE', birthYear: 2000 });
    expect(decodePersonalId('079499000006')).toEqual({ birthRegistrationProvinceCode: '079', sex: 'MALE', birthYear: 2199 });
    expect(decodePersonalId('079501000007')).toMatchObject({ sex: 'FEMALE', birthYear: 2101 });
  });

  it('decode refuses bad formats and unused century digits', () => {
    expect(() => decodePersonalId('07908500000')).toThrow(RangeError);
    expect(() => decodePersonalId('07908500000X')).toThrow(RangeError);
    expect(() => decodePersonalId('079685000001')).toThrow(RangeError);
  });
});

describe('precheckPersonalId', () => {
  it('passes consistent declarations (sex optional)', () => {
    expect(precheckPersonalId({ personalId: '079085000001', fullName: 'Nguyễn Văn An', dateOfBirth: '1985-03-12', sex: 'MALE' })).toBeNull();
    expect(precheckPersonalId({ personalId: '079314000005', fullName: 'Nguyễn Thị Én', dateOfBirth: '2014-01-15', sex: 'FEMALE' })).toBeNull();
    expect(precheckPersonalId({ personalId: '079187000002', fullName: 'Trần Thị Bình', dateOfBirth: '1987-05-20' })).toBeNull();
  });

  it('year digits that do not match the date of birth', () => {
    expect(precheckPersonalId({ personalId: '079085000001', fullName: 'A', dateOfBirth: '1986-03-12', sex: 'MALE' })).toBe('ID_INCONSISTENT_WITH_DATE_OF_BIRTH');
  });

  it('century that does not match (1900s code, born 2085 / 2000s code, born 1912)', () => {
    expect(precheckPersonalId({ personalId: '079085000001', fullName: 'A', dateOfBirth: '2085-03-12' })).toBe('ID_INCONSISTENT_WITH_DATE_OF_BIRTH');
    expect(precheckPersonalId({ personalId: '079212000004', fullName: 'A', dateOfBirth: '1912-09-01' })).toBe('ID_INCONSISTENT_WITH_DATE_OF_BIRTH');
    expect(precheckPersonalId({ personalId: '079712000004', fullName: 'A', dateOfBirth: '2012-09-01' })).toBe('ID_INCONSISTENT_WITH_DATE_OF_BIRTH');
  });

  it('sex digit that does not match the declared sex; the date of birth is checked first', () => {
    expect(precheckPersonalId({ personalId: '079085000001', fullName: 'A', dateOfBirth: '1985-03-12', sex: 'FEMALE' })).toBe('ID_INCONSISTENT_WITH_SEX');
    expect(precheckPersonalId({ personalId: '079314000005', fullName: 'A', dateOfBirth: '2014-01-15', sex: 'MALE' })).toBe('ID_INCONSISTENT_WITH_SEX');
    expect(precheckPersonalId({ personalId: '079085000001', fullName: 'A', dateOfBirth: '1990-03-12', sex: 'FEMALE' })).toBe('ID_INCONSISTENT_WITH_DATE_OF_BIRTH');
  });

  it('malformed input is a validation error (400), not a review case', () => {
    expect(() => precheckPersonalId({ personalId: '07908500000', fullName: 'A', dateOfBirth: '1985-03-12' })).toThrow(
      expect.objectContaining({ code: 'INVALID_PERSONAL_ID', httpStatus: 400 }),
    );
    expect(() => precheckPersonalId({ personalId: '07908500000A', fullName: 'A', dateOfBirth: '1985-03-12' })).toThrow(
      expect.objectContaining({ code: 'INVALID_PERSONAL_ID' }),
    );
    expect(() => precheckPersonalId({ personalId: '079085000001', fullName: 'A', dateOfBirth: '1985-02-30' })).toThrow(
      expect.objectContaining({ code: 'INVALID_DATE_OF_BIRTH' }),
    );
  });
});
