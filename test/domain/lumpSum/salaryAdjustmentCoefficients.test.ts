import { describe, expect, it } from 'vitest';
import {
  SalaryAdjustmentDataMissingError,
  decimalToFraction,
  salaryAdjustmentCoefficient,
  salaryAdjustmentTable,
} from '../../../functions/domain/rules/salaryAdjustmentCoefficients';

describe('salary adjustment coefficients', () => {
  it('2026 table: instrument, verify marker, every year 1995–2026', () => {
    const t = salaryAdjustmentTable(2026);
    expect(t).toMatchObject({ instrument: 'BHXH letter 340/BHXH-CSXH', issuedOn: '2026-02-03', verify: true, before1995: '5.81' });
    for (let y = 1995; y <= 2026; y++) expect(t.byYear[y]).toMatch(/^\d\.\d\d$/);
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
