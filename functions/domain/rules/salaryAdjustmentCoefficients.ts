/**
 * Salary adjustment coefficients (hệ số trượt giá) used to revalue past contribution salaries when a lump-sum
 * (or pension) claim is settled. One table per settlement year: another year's table is a data addition to
 * SALARY_ADJUSTMENT_TABLES. Coefficients are written as decimal strings and turned into exact fractions
 * (hundredths) by salaryAdjustmentCoefficient(), so no floating point ever touches money.
 *
 * Source: /work/shared/domain.md §3.
 */

export interface SalaryAdjustmentTable {
  /** Claims settled in this calendar year use this table. */
  settlementYear: number;
  instrument: string;
  issuedOn: string;
  /** true: seen in one secondary source only; check against the official circular. */
  verify: boolean;
  note: string;
  /** Coefficient for every contribution year before 1995. */
  before1995: string;
  /** Coefficient per contribution year from 1995 to the settlement year. */
  byYear: Readonly<Record<number, string>>;
}

export const SALARY_ADJUSTMENT_TABLES: Readonly<Record<number, SalaryAdjustmentTable>> = {
  2026: {
    settlementYear: 2026,
    instrument: 'BHXH letter 340/BHXH-CSXH',
    issuedOn: '2026-02-03',
    verify: true,
    note:
      'Coefficients for salaries decided by the employer, claims settled in 2026 (verify against the official ' +
      'circular). Also applied to voluntary-contribution income, for which no separate table is on record (verify).',
    before1995: '5.81',
    byYear: {
      1995: '4.91', 1996: '4.65', 1997: '4.50', 1998: '4.18', 1999: '4.01', 2000: '4.07', 2001: '4.09',
      2002: '3.94', 2003: '3.81', 2004: '3.54', 2005: '3.27', 2006: '3.05', 2007: '2.81', 2008: '2.29',
      2009: '2.14', 2010: '1.96', 2011: '1.65', 2012: '1.51', 2013: '1.42', 2014: '1.36', 2015: '1.36',
      2016: '1.32', 2017: '1.28', 2018: '1.23', 2019: '1.20', 2020: '1.16', 2021: '1.14', 2022: '1.11',
      2023: '1.07', 2024: '1.03', 2025: '1.00', 2026: '1.00',
    },
  },
};

export interface SalaryAdjustmentCoefficient {
  /** The contribution year looked up, or '<1995' when the before-1995 bucket applied. */
  bucket: number | '<1995';
  /** As written in the table, e.g. '1.65'. */
  text: string;
  /** Exact value = numerator / denominator. */
  numerator: bigint;
  denominator: bigint;
}

/** Thrown when the data has no table for a settlement year or no coefficient for a contribution year. */
export class SalaryAdjustmentDataMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SalaryAdjustmentDataMissingError';
  }
}

/** The table for claims settled in `settlementYear`; throws SalaryAdjustmentDataMissingError when none. */
export function salaryAdjustmentTable(settlementYear: number): SalaryAdjustmentTable {
  const table = SALARY_ADJUSTMENT_TABLES[settlementYear];
  if (!table) {
    throw new SalaryAdjustmentDataMissingError(
      `no salary adjustment coefficient table for claims settled in ${settlementYear}`,
    );
  }
  return table;
}

/** Exact fraction of a decimal string such as '5.81' (→ 581/100) or '1' (→ 1/1). */
export function decimalToFraction(text: string): { numerator: bigint; denominator: bigint } {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new RangeError(`invalid decimal ${JSON.stringify(text)}`);
  const decimals = m[2] ?? '';
  return { numerator: BigInt(m[1] + decimals), denominator: 10n ** BigInt(decimals.length) };
}

/** Coefficient for salaries of `contributionYear` in a claim settled in `settlementYear`. */
export function salaryAdjustmentCoefficient(settlementYear: number, contributionYear: number): SalaryAdjustmentCoefficient {
  const table = salaryAdjustmentTable(settlementYear);
  if (!Number.isInteger(contributionYear)) throw new RangeError(`invalid contribution year ${contributionYear}`);
  if (contributionYear < 1995) return { bucket: '<1995', text: table.before1995, ...decimalToFraction(table.before1995) };
  const text = table.byYear[contributionYear];
  if (text === undefined) {
    throw new SalaryAdjustmentDataMissingError(
      `the ${settlementYear} table (${table.instrument}) has no coefficient for contribution year ${contributionYear}`,
    );
  }
  return { bucket: contributionYear, text, ...decimalToFraction(text) };
}
