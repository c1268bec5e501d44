/**
 * Salary adjustment coefficients (hệ số trượt giá) used to revalue past contribution salaries when a lump-sum
 * (or pension) claim is settled. One table per settlement year: another year's table is a data addition to
 * SALARY_ADJUSTMENT_TABLES. Coefficients are written as decimal strings and turned into exact fractions
 * (hundredths) by salaryAdjustmentCoefficient(), so no floating point ever touches money.
 *
 * Each table names its instrument, where its figures were read (`source`) and whether they were checked against
 * the official text (`checkedAgainstOfficialText`). A settlement year without a table (the circular is issued
 * around the start of each year) makes a claim wait: `expectedPublication` says by when it is expected.
 */

export interface SalaryAdjustmentTable {
  /** Claims settled in this calendar year use this table. */
  settlementYear: number;
  instrument: string;
  /** The instrument's date, when known from the source. */
  issuedOn?: string;
  /** Where the figures were read. */
  source: string;
  /** false: read from a secondary source only; to be checked against the official circular before go-live. */
  checkedAgainstOfficialText: boolean;
  note: string;
  /** Coefficient for every contribution year before 1995. */
  before1995: string;
  /** Coefficient per contribution year from 1995 to the settlement year. */
  byYear: Readonly<Record<number, string>>;
}

export const SALARY_ADJUSTMENT_TABLES: Readonly<Record<number, SalaryAdjustmentTable>> = {
  2024: {
    settlementYear: 2024,
    instrument: 'Circular 20/2023/TT-BLĐTBXH',
    source: 'Secondary: a public lump-sum calculator on GitHub ("Bảng hệ số trượt giá năm 2024"), consistent with the 2025 table divided by the 2024 average CPI (≈ 1.037)',
    checkedAgainstOfficialText: false,
    note: 'Coefficients for salaries decided by the employer, claims settled from 2024-01-01 to 2024-12-31.',
    before1995: '5.43',
    byYear: {
      1995: '4.61', 1996: '4.36', 1997: '4.22', 1998: '3.92', 1999: '3.75', 2000: '3.82', 2001: '3.83',
      2002: '3.68', 2003: '3.57', 2004: '3.31', 2005: '3.06', 2006: '2.85', 2007: '2.63', 2008: '2.14',
      2009: '2.00', 2010: '1.83', 2011: '1.54', 2012: '1.41', 2013: '1.33', 2014: '1.27', 2015: '1.27',
      2016: '1.23', 2017: '1.19', 2018: '1.15', 2019: '1.12', 2020: '1.08', 2021: '1.07', 2022: '1.03',
      2023: '1.00', 2024: '1.00',
    },
  },
  2025: {
    settlementYear: 2025,
    instrument: 'Circular 01/2025/TT-BLĐTBXH',
    source: 'Secondary: public lump-sum calculators on GitHub citing Thông tư 01/2025/TT-BLĐTBXH; its scope (claims settled 2025-01-01 to 2025-12-31) from an article quoting Điều 1 of the circular',
    checkedAgainstOfficialText: false,
    note: 'Coefficients for salaries decided by the employer, claims settled from 2025-01-01 to 2025-12-31.',
    before1995: '5.63',
    byYear: {
      1995: '4.78', 1996: '4.51', 1997: '4.37', 1998: '4.06', 1999: '3.89', 2000: '3.95', 2001: '3.97',
      2002: '3.82', 2003: '3.70', 2004: '3.43', 2005: '3.17', 2006: '2.95', 2007: '2.72', 2008: '2.21',
      2009: '2.07', 2010: '1.90', 2011: '1.60', 2012: '1.47', 2013: '1.37', 2014: '1.32', 2015: '1.31',
      2016: '1.28', 2017: '1.23', 2018: '1.19', 2019: '1.16', 2020: '1.12', 2021: '1.10', 2022: '1.07',
      2023: '1.04', 2024: '1.00', 2025: '1.00',
    },
  },
  2026: {
    settlementYear: 2026,
    instrument: 'BHXH letter 340/BHXH-CSXH',
    issuedOn: '2026-02-03',
    source: '/work/shared/domain.md §3 (the team\'s domain notes)',
    checkedAgainstOfficialText: false,
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

/**
 * When a settlement year's table is expected: the circulars of recent years came out in the first weeks of
 * their year (Thông tư 20/2023 for 2024 at the end of 2023, Thông tư 01/2025 in January 2025, the 2026 letter
 * on 2026-02-03), so a claim waiting for year Y's table is told "expected by the end of February of Y". Data, so
 * a known publication date can replace the rule.
 */
export const EXPECTED_TABLE_PUBLICATION: Readonly<Record<number, string>> = {};

export function expectedPublication(settlementYear: number): string {
  return EXPECTED_TABLE_PUBLICATION[settlementYear] ?? `${settlementYear}-02-28`;
}
