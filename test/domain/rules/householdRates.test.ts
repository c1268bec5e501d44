import { describe, expect, it } from 'vitest';
import {
  allowedPeriodsOn,
  householdLadderOn,
  householdRateOn,
  isAllowedPeriod,
  ladderSharePercent,
  nextHouseholdRuleChangeAfter,
} from '../../../functions/domain/rules/householdRates';

describe('household rates', () => {
  it('4.5 % with the instrument in force', () => {
    expect(householdRateOn('2025-08-14')).toEqual({ basisPoints: 450, instrument: 'Decree 146/2018/NĐ-CP Art. 7(1)(e)', effectiveFrom: '2018-12-01' });
    expect(householdRateOn('2026-07-01')).toEqual({ basisPoints: 450, instrument: 'Decree 188/2025/NĐ-CP Art. 6(5)', effectiveFrom: '2025-08-15' });
  });

  it('ladder 100/70/60/50/40, 5th and later 40 %', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map((p) => ladderSharePercent(p, '2026-07-01'))).toEqual([100, 70, 60, 50, 40, 40, 40]);
    expect(householdLadderOn('2026-07-01').instrument).toBe('Decree 188/2025/NĐ-CP Art. 6(5)');
    expect(() => ladderSharePercent(0, '2026-07-01')).toThrow(RangeError);
  });

  it('periods 3/6/12 marked verify', () => {
    expect(allowedPeriodsOn('2026-07-01')).toMatchObject({ months: [3, 6, 12], verify: true });
    expect(isAllowedPeriod(3, '2026-07-01')).toBe(true);
    expect(isAllowedPeriod(12, '2026-07-01')).toBe(true);
    expect(isAllowedPeriod(1, '2026-07-01')).toBe(false);
    expect(isAllowedPeriod(9, '2026-07-01')).toBe(false);
  });

  it('next rule change', () => {
    expect(nextHouseholdRuleChangeAfter('2025-01-01')).toBe('2025-08-15');
    expect(nextHouseholdRuleChangeAfter('2026-07-01')).toBeNull();
  });
});
