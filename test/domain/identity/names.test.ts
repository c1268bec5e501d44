import { describe, expect, it } from 'vitest';
import { namesMatch, normalizeName, sameLettersIgnoringDiacritics, stripDiacritics } from '../../../functions/domain/identity/names';

const NFC = 'Nguyễn Thị Hồng Nhung'.normalize('NFC');
const NFD = 'Nguyễn Thị Hồng Nhung'.normalize('NFD');

describe('names', () => {
  it('NFC and NFD spellings match', () => {
    expect(NFC).not.toBe(NFD);
    expect(NFD.length).toBeGreaterThan(NFC.length);
    expect(normalizeName(NFD)).toBe('nguyễn thị hồng nhung');
    expect(namesMatch(NFC, NFD)).toBe(true);
  });

  it('case, surrounding and doubled whitespace (incl. NBSP and tabs)', () => {
    expect(normalizeName('  NGUYỄN   Thị\u00a0Hồng\tNhung \n')).toBe('nguyễn thị hồng nhung');
    expect(namesMatch('NGUYỄN THỊ HỒNG NHUNG', NFC)).toBe(true);
    expect(namesMatch('Nguyễn  Thị Hồng Nhung', NFC)).toBe(true);
    expect(normalizeName('ĐỖ ĐỨC')).toBe('đỗ đức');
  });

  it('diacritic-only differences do not match but have the same letters', () => {
    expect(namesMatch('Nguyễn Thị Hồng Nhung', 'Nguyen Thi Hong Nhung')).toBe(false);
    expect(sameLettersIgnoringDiacritics('Nguyễn Thị Hồng Nhung', 'Nguyen Thi Hong Nhung')).toBe(true);
    expect(namesMatch('Lê Văn Tâm', 'Lê Văn Tám')).toBe(false);
    expect(sameLettersIgnoringDiacritics('Lê Văn Tâm', 'Lê Văn Tám')).toBe(true);
    expect(sameLettersIgnoringDiacritics('Đỗ Đức', 'do duc')).toBe(true);
    expect(sameLettersIgnoringDiacritics(NFD, 'NGUYEN  THI HONG NHUNG')).toBe(true);
    expect(sameLettersIgnoringDiacritics('Lê Văn Tâm', 'Lê Văn Tân')).toBe(false);
    expect(stripDiacritics('Trần Thị Bình')).toBe('tran thi binh');
  });
});
