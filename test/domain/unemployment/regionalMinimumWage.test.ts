import { describe, expect, it } from 'vitest';
import {
  REGIONAL_MINIMUM_WAGE_SCHEDULE,
  regionalMinimumWage,
  regionalMinimumWageEntryOn,
} from '../../../functions/domain/rules/regionalMinimumWage';

describe('regional minimum wage by date', () => {
  it('Decree 74/2024 from 2024-07-01 to 2025-12-31', () => {
    expect(regionalMinimumWage('I', '2024-07-01')).toEqual({ region: 'I', amount: 4_960_000, instrument: 'Decree 74/2024/NĐ-CP', effectiveFrom: '2024-07-01' });
    expect(regionalMinimumWageEntryOn('2025-12-31')?.monthly).toEqual({ I: 4_960_000, II: 4_410_000, III: 3_860_000, IV: 3_450_000 });
  });

  it('Decree 293/2025 from 2026-01-01', () => {
    expect(regionalMinimumWageEntryOn('2026-01-01')).toEqual({
      effectiveFrom: '2026-01-01',
      instrument: 'Decree 293/2025/NĐ-CP',
      monthly: { I: 5_310_000, II: 4_730_000, III: 4_140_000, IV: 3_700_000 },
    });
    expect(regionalMinimumWage('IV', '2030-05-05')?.amount).toBe(3_700_000);
  });

  it('the two entries from domain.md are not marked verify', () => {
    expect(regionalMinimumWageEntryOn('2024-07-01')?.verify).toBeUndefined();
    expect(regionalMinimumWageEntryOn('2026-01-01')?.verify).toBeUndefined();
  });

  it('rejects malformed input', () => {
    expect(() => regionalMinimumWage('I', '2026-1-1')).toThrow(RangeError);
    expect(() => regionalMinimumWage('V' as never, '2026-01-01')).toThrow(RangeError);
  });
});

describe('history before 2024-07-01 (outside domain.md: marked verify)', () => {
  it.each([
    ['2015-01-01', 'Decree 103/2014/NĐ-CP', 3_100_000, 2_750_000, 2_400_000, 2_150_000],
    ['2016-01-01', 'Decree 122/2015/NĐ-CP', 3_500_000, 3_100_000, 2_700_000, 2_400_000],
    ['2017-01-01', 'Decree 153/2016/NĐ-CP', 3_750_000, 3_320_000, 2_900_000, 2_580_000],
    ['2018-01-01', 'Decree 141/2017/NĐ-CP', 3_980_000, 3_530_000, 3_090_000, 2_760_000],
    ['2019-01-01', 'Decree 157/2018/NĐ-CP', 4_180_000, 3_710_000, 3_250_000, 2_920_000],
    ['2020-01-01', 'Decree 90/2019/NĐ-CP', 4_420_000, 3_920_000, 3_430_000, 3_070_000],
    ['2022-07-01', 'Decree 38/2022/NĐ-CP', 4_680_000, 4_160_000, 3_640_000, 3_250_000],
  ])('from %s: %s  I %i · II %i · III %i · IV %i', (effectiveFrom, instrument, I, II, III, IV) => {
    expect(regionalMinimumWageEntryOn(effectiveFrom)).toEqual({ effectiveFrom, instrument, monthly: { I, II, III, IV }, verify: true });
    expect(regionalMinimumWage('III', effectiveFrom)).toEqual({ region: 'III', amount: III, instrument, effectiveFrom, verify: true });
  });

  it('each entry applies up to the day before the next one (exact boundaries)', () => {
    expect(regionalMinimumWage('I', '2015-12-31')?.amount).toBe(3_100_000);
    expect(regionalMinimumWage('I', '2016-12-31')?.amount).toBe(3_500_000);
    expect(regionalMinimumWage('I', '2017-12-31')?.amount).toBe(3_750_000);
    expect(regionalMinimumWage('I', '2018-12-31')?.amount).toBe(3_980_000);
    expect(regionalMinimumWage('I', '2019-12-31')?.amount).toBe(4_180_000);
    // Decree 90/2019 stayed in force through 2021 (no increase that year) until 2022-06-30.
    expect(regionalMinimumWage('I', '2021-07-01')?.instrument).toBe('Decree 90/2019/NĐ-CP');
    expect(regionalMinimumWage('I', '2022-06-30')).toMatchObject({ amount: 4_420_000, instrument: 'Decree 90/2019/NĐ-CP' });
    expect(regionalMinimumWage('I', '2024-06-30')).toEqual({ region: 'I', amount: 4_680_000, instrument: 'Decree 38/2022/NĐ-CP', effectiveFrom: '2022-07-01', verify: true });
    expect(regionalMinimumWage('IV', '2024-06-30')?.amount).toBe(3_250_000);
    expect(regionalMinimumWage('I', '2024-07-01')?.amount).toBe(4_960_000);
  });

  it('no data before 2015-01-01 → null, never a guess', () => {
    expect(regionalMinimumWage('I', '2014-12-31')).toBeNull();
    expect(regionalMinimumWageEntryOn('2014-12-31')).toBeNull();
    expect(regionalMinimumWage('IV', '2010-06-15')).toBeNull();
    expect(regionalMinimumWage('I', '2015-01-01')?.amount).toBe(3_100_000);
  });

  it('the schedule is ascending, every entry names its instrument, and amounts fall from region I to IV', () => {
    for (let i = 1; i < REGIONAL_MINIMUM_WAGE_SCHEDULE.length; i++) {
      expect(REGIONAL_MINIMUM_WAGE_SCHEDULE[i].effectiveFrom > REGIONAL_MINIMUM_WAGE_SCHEDULE[i - 1].effectiveFrom).toBe(true);
    }
    for (const e of REGIONAL_MINIMUM_WAGE_SCHEDULE) {
      expect(e.instrument).toMatch(/^Decree \d+\/\d{4}\/NĐ-CP$/);
      expect(e.monthly.I > e.monthly.II && e.monthly.II > e.monthly.III && e.monthly.III > e.monthly.IV).toBe(true);
      for (const v of Object.values(e.monthly)) expect(Number.isSafeInteger(v)).toBe(true);
    }
  });
});
