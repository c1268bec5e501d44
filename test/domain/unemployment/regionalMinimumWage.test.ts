import { describe, expect, it } from 'vitest';
import { regionalMinimumWage, regionalMinimumWageEntryOn } from '../../../functions/domain/rules/regionalMinimumWage';

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

  it('no data before 2024-07-01 → null', () => {
    expect(regionalMinimumWage('I', '2024-06-30')).toBeNull();
  });

  it('rejects malformed input', () => {
    expect(() => regionalMinimumWage('I', '2026-1-1')).toThrow(RangeError);
    expect(() => regionalMinimumWage('V' as never, '2026-01-01')).toThrow(RangeError);
  });
});
