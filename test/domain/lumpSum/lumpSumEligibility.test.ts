import { describe, expect, it } from 'vitest';
import {
  checkLumpSumEligibility,
  type LumpSumEligibilityInput,
  type SiContributionPeriod,
} from '../../../functions/domain/lumpSum/lumpSumEligibility';
import { ValidationError } from '../../../functions/shared/errors';

function period(from: string, to: string, monthlySalary = 10_000_000, extra: Partial<SiContributionPeriod> = {}): SiContributionPeriod {
  return { employer: 'Công ty A', employerCode: 'DN001', from, to, monthlySalary, schemes: ['SI', 'UI', 'HI'], region: 'I', ...extra };
}

const person = { dateOfBirth: '1980-05-10', sex: 'MALE' as const };

function check(input: Partial<LumpSumEligibilityInput> & Pick<LumpSumEligibilityInput, 'applicationDate' | 'reason' | 'periods'>) {
  return checkLumpSumEligibility({ person, ...input });
}

describe('law by application date: 2025-06-30 vs 2025-07-01', () => {
  it('working-capacity loss 81 % is not a case under Law 58/2014 (2025-06-30)', () => {
    const r = check({ applicationDate: '2025-06-30', reason: 'WORK_CAPACITY_LOSS_81', periods: [period('2015-01', '2024-12')], evidence: { workCapacityLossPercent: 85 } });
    expect(r.law.id).toBe('LAW_58_2014');
    expect(r.eligible).toBe(false);
    expect(r.legalCase).toBeNull();
    expect(r.failedConditions).toEqual(['CASE_PROVIDED_BY_LAW']);
    expect(r.explanation.en).toBe(
      'Law on Social Insurance 58/2014/QH13 + Resolution 93/2015/QH13 (applications from 2016-01-01; this one filed 2025-06-30) provides no "working-capacity loss of 81 % or more" case.',
    );
  });

  it('it is case (d) under Law 41/2024 (2025-07-01)', () => {
    const r = check({ applicationDate: '2025-07-01', reason: 'WORK_CAPACITY_LOSS_81', periods: [period('2015-01', '2024-12')], evidence: { workCapacityLossPercent: 81 } });
    expect(r.law.id).toBe('LAW_41_2024');
    expect(r.eligible).toBe(true);
    expect(r.legalCase).toBe('Law 41/2024/QH15 Art. 70(1)(d)');
    expect(r.conditions.find((c) => c.code === 'WORK_CAPACITY_LOSS')?.detail.en).toBe('Working-capacity loss 81% ≥ 81%.');
  });

  it('80 % is not enough; especially severe disability is', () => {
    const base = { applicationDate: '2025-07-01', reason: 'WORK_CAPACITY_LOSS_81' as const, periods: [period('2015-01', '2024-12')] };
    expect(check({ ...base, evidence: { workCapacityLossPercent: 80 } }).failedConditions).toEqual(['WORK_CAPACITY_LOSS']);
    expect(check({ ...base, evidence: { especiallySevereDisability: true } }).eligible).toBe(true);
  });

  it('retirement age with 17 years: < 20 under Law 58/2014 (eligible), ≥ 15 under Law 41/2024 (not)', () => {
    const periods = [period('2008-01', '2024-12')]; // 17 years
    const p = { ...person, retirementAgeReachedOn: '2025-03-01' };
    const before = check({ applicationDate: '2025-06-30', reason: 'RETIREMENT_AGE_UNDER_MIN_YEARS', person: p, periods });
    expect(before.eligible).toBe(true);
    expect(before.legalCase).toBe('Law 58/2014/QH13 Art. 60(1)(a), Art. 77(1)(a)');
    expect(before.conditions.find((c) => c.code === 'BELOW_PENSION_MINIMUM_YEARS')?.detail.en).toBe('17 years < 20 years.');
    const after = check({ applicationDate: '2025-07-01', reason: 'RETIREMENT_AGE_UNDER_MIN_YEARS', person: p, periods });
    expect(after.eligible).toBe(false);
    expect(after.failedConditions).toEqual(['BELOW_PENSION_MINIMUM_YEARS']);
    expect(after.explanation.en).toBe('17 years ≥ 15 years: pension conditions met, no lump sum in this case.');
  });

  it('retirement age: 14 years 11 months < 15 → eligible; retirement date after the application → not; missing → not', () => {
    const periods = [period('2010-02', '2024-12')]; // 14 years 11 months
    const ok = check({ applicationDate: '2026-01-05', reason: 'RETIREMENT_AGE_UNDER_MIN_YEARS', person: { ...person, retirementAgeReachedOn: '2026-01-05' }, periods });
    expect(ok.eligible).toBe(true);
    expect(ok.facts.total.en).toBe('14 years 11 months');
    const early = check({ applicationDate: '2026-01-05', reason: 'RETIREMENT_AGE_UNDER_MIN_YEARS', person: { ...person, retirementAgeReachedOn: '2026-01-06' }, periods });
    expect(early.failedConditions).toEqual(['RETIREMENT_AGE_REACHED']);
    expect(early.explanation.en).toBe('Retirement age not reached: reached on 2026-01-06, after the application date 2026-01-05.');
    const missing = check({ applicationDate: '2026-01-05', reason: 'RETIREMENT_AGE_UNDER_MIN_YEARS', periods });
    expect(missing.failedConditions).toEqual(['RETIREMENT_AGE_REACHED']);
  });
});

describe('case (a) retirement age: exact year boundaries', () => {
  const retired = { ...person, retirementAgeReachedOn: '2025-03-01' };

  it('Law 41/2024: exactly 180 months (15 years) → not eligible (pension conditions met); 179 → eligible', () => {
    const exact = check({ applicationDate: '2026-01-05', reason: 'RETIREMENT_AGE_UNDER_MIN_YEARS', person: retired, periods: [period('2010-01', '2024-12')] });
    expect(exact.law.id).toBe('LAW_41_2024');
    expect(exact.facts.totalMonths).toBe(180);
    expect(exact.eligible).toBe(false);
    expect(exact.failedConditions).toEqual(['BELOW_PENSION_MINIMUM_YEARS']);
    expect(exact.explanation.en).toBe('15 years ≥ 15 years: pension conditions met, no lump sum in this case.');
    const under = check({ applicationDate: '2026-01-05', reason: 'RETIREMENT_AGE_UNDER_MIN_YEARS', person: retired, periods: [period('2010-02', '2024-12')] });
    expect(under.facts.totalMonths).toBe(179);
    expect(under.eligible).toBe(true);
    expect(under.legalCase).toBe('Law 41/2024/QH15 Art. 70(1)(a)');
    expect(under.conditions.find((c) => c.code === 'BELOW_PENSION_MINIMUM_YEARS')?.detail.en).toBe('14 years 11 months < 15 years.');
  });

  it('Law 58/2014 (application 2025-06-30): exactly 240 months (20 years) → not eligible; 239 → eligible', () => {
    const exact = check({ applicationDate: '2025-06-30', reason: 'RETIREMENT_AGE_UNDER_MIN_YEARS', person: retired, periods: [period('2005-01', '2024-12')] });
    expect(exact.law.id).toBe('LAW_58_2014');
    expect(exact.facts.totalMonths).toBe(240);
    expect(exact.eligible).toBe(false);
    expect(exact.failedConditions).toEqual(['BELOW_PENSION_MINIMUM_YEARS']);
    expect(exact.explanation.en).toBe('20 years ≥ 20 years: pension conditions met, no lump sum in this case.');
    const under = check({ applicationDate: '2025-06-30', reason: 'RETIREMENT_AGE_UNDER_MIN_YEARS', person: retired, periods: [period('2005-02', '2024-12')] });
    expect(under.facts.totalMonths).toBe(239);
    expect(under.eligible).toBe(true);
    expect(under.legalCase).toBe('Law 58/2014/QH13 Art. 60(1)(a), Art. 77(1)(a)');
  });

  it('Law 58/2014 vs Law 41/2024 on the same 180 months: eligible on 2025-06-30 (< 20), not on 2025-07-01 (≥ 15)', () => {
    const periods = [period('2010-01', '2024-12')];
    expect(check({ applicationDate: '2025-06-30', reason: 'RETIREMENT_AGE_UNDER_MIN_YEARS', person: retired, periods }).eligible).toBe(true);
    expect(check({ applicationDate: '2025-07-01', reason: 'RETIREMENT_AGE_UNDER_MIN_YEARS', person: retired, periods }).eligible).toBe(false);
  });
});

describe('case (đ) / one-year gap', () => {
  it('started 2025-06 (before 2025-07-01): eligible 12 whole months after the last month 2025-07', () => {
    const r = check({ applicationDate: '2026-08-01', reason: 'ONE_YEAR_GAP', periods: [period('2025-06', '2025-07')] });
    expect(r.eligible).toBe(true);
    expect(r.legalCase).toBe('Law 41/2024/QH15 Art. 70(1)(đ)');
    expect(r.facts).toMatchObject({ firstContributionMonth: '2025-06', lastContributionMonth: '2025-07', monthsWithoutContributions: 12, totalMonths: 2 });
    expect(r.conditions.map((c) => [c.code, c.met])).toEqual([
      ['CASE_PROVIDED_BY_LAW', true],
      ['HAS_CONTRIBUTIONS', true],
      ['STARTED_BEFORE_CUTOFF', true],
      ['MONTHS_WITHOUT_CONTRIBUTIONS', true],
      ['BELOW_MAXIMUM_YEARS', true],
    ]);
  });

  it('started 2025-07: case đ unavailable', () => {
    const r = check({ applicationDate: '2026-08-01', reason: 'ONE_YEAR_GAP', periods: [period('2025-07', '2025-07')] });
    expect(r.eligible).toBe(false);
    expect(r.failedConditions).toEqual(['STARTED_BEFORE_CUTOFF']);
    expect(r.explanation.en).toBe('Started contributing 2025-07, on or after 2025-07-01: case đ unavailable.');
  });

  it('started 2025-09 → unavailable (and the gap is not yet met either: both failures listed)', () => {
    const r = check({ applicationDate: '2026-03-01', reason: 'ONE_YEAR_GAP', periods: [period('2025-09', '2025-12')] });
    expect(r.failedConditions).toEqual(['STARTED_BEFORE_CUTOFF', 'MONTHS_WITHOUT_CONTRIBUTIONS']);
    expect(r.explanation.en).toBe('Started contributing 2025-09, on or after 2025-07-01: case đ unavailable.');
  });

  it('12 whole months since the last contribution month → eligible; 11 → not, with the date it is met', () => {
    const periods = [period('2018-01', '2025-02')];
    const ok = check({ applicationDate: '2026-03-01', reason: 'ONE_YEAR_GAP', periods });
    expect(ok.facts.monthsWithoutContributions).toBe(12);
    expect(ok.eligible).toBe(true);
    const short = check({ applicationDate: '2026-02-28', reason: 'ONE_YEAR_GAP', periods });
    expect(short.facts.monthsWithoutContributions).toBe(11);
    expect(short.failedConditions).toEqual(['MONTHS_WITHOUT_CONTRIBUTIONS']);
    expect(short.explanation.en).toBe('Only 11 months since the last contribution month 2025-02 (as of 2026-02-28), 12 required; met from 2026-03-01.');
  });

  it('only 9 months since the last contribution month 2026-02', () => {
    const r = check({ applicationDate: '2026-12-05', reason: 'ONE_YEAR_GAP', periods: [period('2020-01', '2026-02')] });
    expect(r.explanation.en).toBe('Only 9 months since the last contribution month 2026-02 (as of 2026-12-05), 12 required; met from 2027-03-01.');
    expect(r.explanation.vi).toBe('Mới 9 tháng không đóng kể từ tháng đóng cuối cùng 2026-02 (tính đến 2026-12-05); cần 12 tháng, đủ từ 2027-03-01.');
  });

  it('still contributing in the application month → 0 shown, not eligible', () => {
    const r = check({ applicationDate: '2026-03-15', reason: 'ONE_YEAR_GAP', periods: [period('2020-01', '2026-03')] });
    expect(r.facts.monthsWithoutContributions).toBe(0);
    expect(r.explanation.en).toBe('Only 0 months since the last contribution month 2026-03 (as of 2026-03-15), 12 required; met from 2027-04-01.');
  });

  it('20 years 3 months ≥ 20 years → not eligible; 19 years 11 months → eligible', () => {
    const over = check({ applicationDate: '2026-06-01', reason: 'ONE_YEAR_GAP', periods: [period('2002-01', '2022-03')] });
    expect(over.facts.total.en).toBe('20 years 3 months');
    expect(over.failedConditions).toEqual(['BELOW_MAXIMUM_YEARS']);
    expect(over.explanation.en).toBe('20 years 3 months ≥ 20 years.');
    expect(over.explanation.vi).toBe('20 năm 3 tháng ≥ 20 năm.');
    const under = check({ applicationDate: '2026-06-01', reason: 'ONE_YEAR_GAP', periods: [period('2002-01', '2021-11')] });
    expect(under.facts.total.en).toBe('19 years 11 months');
    expect(under.eligible).toBe(true);
  });

  it('exactly 240 months (20 years) → not eligible: case (đ) needs fewer than 20 years; 239 → eligible', () => {
    const exact = check({ applicationDate: '2026-06-01', reason: 'ONE_YEAR_GAP', periods: [period('2002-01', '2021-12')] });
    expect(exact.law.id).toBe('LAW_41_2024');
    expect(exact.facts.totalMonths).toBe(240);
    expect(exact.facts.total.en).toBe('20 years');
    expect(exact.eligible).toBe(false);
    expect(exact.failedConditions).toEqual(['BELOW_MAXIMUM_YEARS']);
    expect(exact.explanation.en).toBe('20 years ≥ 20 years.');
    expect(exact.explanation.vi).toBe('20 năm ≥ 20 năm.');
    const under = check({ applicationDate: '2026-06-01', reason: 'ONE_YEAR_GAP', periods: [period('2002-02', '2021-12')] });
    expect(under.facts.totalMonths).toBe(239);
    expect(under.eligible).toBe(true);
    expect(under.legalCase).toBe('Law 41/2024/QH15 Art. 70(1)(đ)');
    expect(under.conditions.find((c) => c.code === 'BELOW_MAXIMUM_YEARS')?.detail.en).toBe('19 years 11 months < 20 years.');
  });

  it('before 2025-07-01 (Resolution 93/2015): no start-date condition; one year after the last month', () => {
    const r = check({ applicationDate: '2025-06-30', reason: 'ONE_YEAR_GAP', periods: [period('2024-01', '2024-05')] });
    expect(r.law.id).toBe('LAW_58_2014');
    expect(r.legalCase).toBe('Resolution 93/2015/QH13 Art. 1');
    expect(r.conditions.map((c) => c.code)).not.toContain('STARTED_BEFORE_CUTOFF');
    expect(r.eligible).toBe(true);
  });

  it('voluntary periods count as contributions: a voluntary month restarts the 12 months', () => {
    const r = check({
      applicationDate: '2026-01-10',
      reason: 'ONE_YEAR_GAP',
      periods: [period('2015-01', '2020-12'), period('2021-01', '2025-03', 1_500_000, { voluntary: true, schemes: ['SI'], employer: '', employerCode: '', region: undefined, stateSupportAmount: 300_000 })],
    });
    expect(r.facts).toMatchObject({ totalMonths: 123, compulsoryMonths: 72, voluntaryMonths: 51, lastContributionMonth: '2025-03', monthsWithoutContributions: 9 });
    expect(r.eligible).toBe(false);
  });

  it('overlapping periods count once in the total', () => {
    const r = check({ applicationDate: '2026-06-01', reason: 'ONE_YEAR_GAP', periods: [period('2002-01', '2021-12'), period('2021-01', '2022-03', 5_000_000, { employerCode: 'DN002' })] });
    expect(r.facts.totalMonths).toBe(243);
    expect(r.failedConditions).toEqual(['BELOW_MAXIMUM_YEARS']);
  });

  it('no contributions at all → not eligible', () => {
    const r = check({ applicationDate: '2026-06-01', reason: 'ONE_YEAR_GAP', periods: [] });
    expect(r.failedConditions).toEqual(['HAS_CONTRIBUTIONS', 'STARTED_BEFORE_CUTOFF', 'MONTHS_WITHOUT_CONTRIBUTIONS']);
    expect(r.explanation.en).toBe('No social-insurance contributions on record.');
  });
});

describe('other cases', () => {
  const periods = [period('2015-01', '2024-12')];

  it('settling abroad needs the document', () => {
    expect(check({ applicationDate: '2026-01-05', reason: 'SETTLING_ABROAD', periods }).failedConditions).toEqual(['SETTLEMENT_ABROAD_EVIDENCED']);
    const ok = check({ applicationDate: '2026-01-05', reason: 'SETTLING_ABROAD', periods, evidence: { settlementAbroadDocument: true } });
    expect(ok.eligible).toBe(true);
    expect(ok.legalCase).toBe('Law 41/2024/QH15 Art. 70(1)(b)');
  });

  it('listed diseases by law: leprosy under Law 58/2014 only', () => {
    const before = check({ applicationDate: '2025-06-30', reason: 'LISTED_DISEASE', periods, evidence: { disease: 'LEPROSY' } });
    expect(before.eligible).toBe(true);
    const after = check({ applicationDate: '2025-07-01', reason: 'LISTED_DISEASE', periods, evidence: { disease: 'LEPROSY' } });
    expect(after.eligible).toBe(false);
    expect(after.explanation.en).toBe('LEPROSY is not listed in Law 41/2024/QH15 Art. 70(1)(c).');
    expect(check({ applicationDate: '2025-07-01', reason: 'LISTED_DISEASE', periods, evidence: { disease: 'DECOMPENSATED_CIRRHOSIS' } }).eligible).toBe(true);
    expect(check({ applicationDate: '2025-07-01', reason: 'LISTED_DISEASE', periods }).explanation.en).toBe('No medical conclusion naming the disease.');
  });

  it('armed forces: decision on or before the application, not eligible for a pension', () => {
    const base = { applicationDate: '2026-01-05', reason: 'ARMED_FORCES_DISCHARGE' as const, periods };
    const ok = check({ ...base, evidence: { armedForcesSeparationDate: '2025-12-31' } });
    expect(ok.eligible).toBe(true);
    expect(ok.legalCase).toBe('Law 41/2024/QH15 Art. 70(1)(e)');
    expect(check({ ...base, evidence: { armedForcesSeparationDate: '2025-12-31', eligibleForPension: true } }).failedConditions).toEqual(['NOT_ELIGIBLE_FOR_PENSION']);
    expect(check({ ...base, evidence: {} }).failedConditions).toEqual(['ARMED_FORCES_SEPARATED']);
    expect(check({ ...base, applicationDate: '2025-06-30', evidence: { armedForcesSeparationDate: '2025-01-31' } }).legalCase).toBe('Law 58/2014/QH13 Art. 60(1)(d)');
  });
});

describe('input validation', () => {
  it('rejects malformed input and dates before the first law on record', () => {
    expect(() => check({ applicationDate: '2015-12-31', reason: 'ONE_YEAR_GAP', periods: [] })).toThrow(ValidationError);
    expect(() => check({ applicationDate: '2026-02-29', reason: 'ONE_YEAR_GAP', periods: [] })).toThrow(ValidationError);
    expect(() => check({ applicationDate: '2026-01-05', reason: 'BOGUS' as never, periods: [] })).toThrow(ValidationError);
    expect(() => check({ applicationDate: '2026-01-05', reason: 'ONE_YEAR_GAP', periods: [period('2025-05', '2025-04')] })).toThrow(ValidationError);
    expect(() => check({ applicationDate: '2026-01-05', reason: 'ONE_YEAR_GAP', person: { ...person, retirementAgeReachedOn: '2026-13-01' }, periods: [] })).toThrow(ValidationError);
  });
});
