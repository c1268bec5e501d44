import { describe, expect, it } from 'vitest';
import { baseSalaryOn, nextBaseSalaryChangeAfter } from '../../../functions/domain/rules/baseSalary';

describe('base salary (mức lương cơ sở)', () => {
  it('returns the amount in force with its instrument', () => {
    expect(baseSalaryOn('2026-06-30')).toEqual({ amount: 2_340_000, instrument: 'Decree 73/2024/NĐ-CP', effectiveFrom: '2024-07-01' });
    expect(baseSalaryOn('2026-07-01')).toEqual({ amount: 2_530_000, instrument: 'Decree 161/2026/NĐ-CP', effectiveFrom: '2026-07-01' });
    expect(baseSalaryOn('2023-06-30').amount).toBe(1_490_000);
    expect(baseSalaryOn('2023-07-01').amount).toBe(1_800_000);
    expect(baseSalaryOn('2024-06-30').amount).toBe(1_800_000);
    expect(baseSalaryOn('2024-07-01').amount).toBe(2_340_000);
  });

  it('refuses dates the table does not cover or malformed dates', () => {
    expect(() => baseSalaryOn('2019-06-30')).toThrow(RangeError);
    expect(() => baseSalaryOn('2026-02-30')).toThrow(RangeError);
  });

  it('finds the next change', () => {
    expect(nextBaseSalaryChangeAfter('2026-06-30')).toBe('2026-07-01');
    expect(nextBaseSalaryChangeAfter('2024-07-01')).toBe('2026-07-01');
    expect(nextBaseSalaryChangeAfter('2026-07-01')).toBeNull();
    expect(nextBaseSalaryChangeAfter('2020-01-01')).toBe('2023-07-01');
  });
});
