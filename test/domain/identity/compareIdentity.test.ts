import { describe, expect, it } from 'vitest';
import { compareWithRegistry, fieldComparison } from '../../../functions/domain/identity/compareIdentity';
import type { IdentityClaim, RegistryPerson } from '../../../functions/domain/types';

const PERSON: RegistryPerson = {
  personalId: '079187000002',
  fullName: 'Trần Thị Bình',
  dateOfBirth: '1987-05-20',
  sex: 'FEMALE',
  permanentAddress: { code: 'ADDR-79-001', text: '12 Lê Lợi' },
};
const CLAIM: IdentityClaim = { personalId: '079187000002', fullName: 'Trần Thị Bình', dateOfBirth: '1987-05-20', sex: 'FEMALE' };

describe('compareWithRegistry', () => {
  it('matches when equal after normalization', () => {
    expect(compareWithRegistry(CLAIM, PERSON)).toBeNull();
    expect(compareWithRegistry({ ...CLAIM, fullName: '  TRẦN  THỊ BÌNH '.normalize('NFD') }, PERSON)).toBeNull();
    expect(compareWithRegistry({ ...CLAIM, sex: undefined }, PERSON)).toBeNull();
  });

  it('reports the first mismatch: name, then date of birth, then sex', () => {
    expect(compareWithRegistry({ ...CLAIM, fullName: 'Tran Thi Binh', dateOfBirth: '1987-05-21', sex: 'MALE' }, PERSON)).toBe('NAME_MISMATCH');
    expect(compareWithRegistry({ ...CLAIM, dateOfBirth: '1987-05-21', sex: 'MALE' }, PERSON)).toBe('DATE_OF_BIRTH_MISMATCH');
    expect(compareWithRegistry({ ...CLAIM, sex: 'MALE' }, PERSON)).toBe('SEX_MISMATCH');
  });
});

describe('fieldComparison', () => {
  it('all four rows, with normalization and diacritics notes', () => {
    expect(fieldComparison({ ...CLAIM, fullName: 'Trần Thị Bình'.normalize('NFD') }, PERSON)).toEqual([
      { field: 'personalId', submitted: '079187000002', registry: '079187000002', matches: true },
      { field: 'fullName', submitted: 'Trần Thị Bình'.normalize('NFD'), registry: 'Trần Thị Bình', matches: true, note: 'DIFFERS_ONLY_BY_NORMALIZATION' },
      { field: 'dateOfBirth', submitted: '1987-05-20', registry: '1987-05-20', matches: true },
      { field: 'sex', submitted: 'FEMALE', registry: 'FEMALE', matches: true },
    ]);
    const rows = fieldComparison({ ...CLAIM, fullName: 'Tran Thi Binh', dateOfBirth: '1987-05-21', sex: undefined }, PERSON);
    expect(rows[1]).toEqual({ field: 'fullName', submitted: 'Tran Thi Binh', registry: 'Trần Thị Bình', matches: false, note: 'DIFFERS_ONLY_BY_DIACRITICS' });
    expect(rows[2]).toMatchObject({ matches: false });
    expect(rows[3]).toEqual({ field: 'sex', submitted: null, registry: 'FEMALE', matches: true });
    expect(fieldComparison(CLAIM, PERSON)[1]).toEqual({ field: 'fullName', submitted: 'Trần Thị Bình', registry: 'Trần Thị Bình', matches: true });
    expect(fieldComparison({ ...CLAIM, fullName: 'Trần Thị Bích' }, PERSON)[1]).toEqual({
      field: 'fullName',
      submitted: 'Trần Thị Bích',
      registry: 'Trần Thị Bình',
      matches: false,
    });
  });

  it('no registry record: registry null and nothing matches', () => {
    expect(fieldComparison({ ...CLAIM, sex: undefined }, null)).toEqual([
      { field: 'personalId', submitted: '079187000002', registry: null, matches: false },
      { field: 'fullName', submitted: 'Trần Thị Bình', registry: null, matches: false },
      { field: 'dateOfBirth', submitted: '1987-05-20', registry: null, matches: false },
      { field: 'sex', submitted: null, registry: null, matches: false },
    ]);
  });
});
