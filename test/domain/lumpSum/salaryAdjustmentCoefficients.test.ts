import { describe, expect, it } from 'vitest';
import {
  SalaryAdjustmentDataMissingError,
  decimalToFraction,
  salaryAdjustmentCoefficient,
  salaryAdjustmentTable,
  expectedPublication,
} from '../../../functions/domain/rules/salaryAdjustmentCoefficients';

describe('salary adjustment coefficients', () => {
  it('2026 table: instrument, source, not yet checked, every year 1995–2026', () => {
    const t = salaryAdjustmentTable(2026);
    expect(t).toMatchObject({ instrument: 'BHXH letter 340/BHXH-CSXH', issuedOn: '2026-02-03', checkedAgainstOfficialText: false, before1995: '5.81' });
    for (let y = 1995; y <= 2026; y++) expect(t.byYear[y]).toMatch(/^\d\.\d\d$/);
  });

  it.each([
    [2024, 'Circular 20/2023/TT-BLĐTBXH', '5.43', { 1995: '4.61', 2011: '1.54', 2014: '1.27', 2023: '1.00' }],
    [2025, 'Circular 01/2025/TT-BLĐTBXH', '5.63', { 1995: '4.78', 2011: '1.60', 2014: '1.32', 2023: '1.04' }],
  ])('%i table: every contribution year up to the settlement year, with its circular and source', (year, instrument, before1995, sample) => {
    const t = salaryAdjustmentTable(year);
    expect(t).toMatchObject({ settlementYear: year, instrument, before1995, checkedAgainstOfficialText: false });
    expect(t.source).toMatch(/Secondary/);
    for (let y = 1995; y <= year; y++) expect(t.byYear[y], String(y)).toMatch(/^\d\.\d\d$/);
    expect(t.byYear[year]).toBe('1.00');
    expect(t.byYear[year + 1]).toBeUndefined();
    for (const [y, c] of Object.entries(sample)) expect(t.byYear[Number(y)]).toBe(c);
    // Coefficients never rise from one contribution year to the next by more than the old-year noise of the tables.
    const next = salaryAdjustmentTable(year + 1);
    for (let y = 1995; y <= year; y++) expect(Number(next.byYear[y]), String(y)).toBeGreaterThanOrEqual(Number(t.byYear[y]));
  });

  it('a year without a table is expected by the end of February of that year', () => {
    expect(expectedPublication(2027)).toBe('2027-02-28');
  });

  it('exact fractions', () => {
    expect(salaryAdjustmentCoefficient(2026, 2011)).toEqual({ bucket: 2011, text: '1.65', numerator: 165n, denominator: 100n });
    expect(salaryAdjustmentCoefficient(2026, 1980)).toEqual({ bucket: '<1995', text: '5.81', numerator: 581n, denominator: 100n });
    expect(salaryAdjustmentCoefficient(2026, 1994).bucket).toBe('<1995');
    expect(salaryAdjustmentCoefficient(2026, 1995).text).toBe('4.91');
    expect(salaryAdjustmentCoefficient(2026, 2026).text).toBe('1.00');
    expect(decimalToFraction('2')).toEqual({ numerator: 2n, denominator: 1n });
  });

  it('missing table or year → SalaryAdjustmentDataMissingError', () => {
    expect(() => salaryAdjustmentTable(2027)).toThrow(SalaryAdjustmentDataMissingError);
    expect(() => salaryAdjustmentCoefficient(2026, 2027)).toThrow(SalaryAdjustmentDataMissingError);
  });
});
