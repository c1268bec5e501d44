/**
 * Lump-sum services and the contribution-record repository over DynamoDB Local: loading a person's record and
 * settlements, eligibility decisions with their precise reasons on the contribution time not yet paid out, the
 * exactly-once settlement transaction per contribution record hit directly by many concurrent settlements, a
 * second record of a person settled after the first, and what the amount step records while the coefficient
 * table of the settlement year is missing.
 */
import { renderReason } from '../../functions/domain/reasonCatalog';
import { beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { BatchWriteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { useLocalTables } from '../support/tables';
import { insuranceRecordsOf } from '../support/insuranceRecords';
import { createApplication } from '../support/applications';
import { dynamo } from '../../functions/adapters/dynamo';
import { applicationsRepository } from '../../functions/adapters/applicationsRepository';
import {
  contributionPeriodItem,
  employerStatusItem,
  defaultSettledThrough,
  getPaymentOrders,
  getSettlement,
  getSettlements,
  lastEmployerPeriod,
  loadContributionRecord,
  settlementMarkerItem,
  type SettlementMarker,
  type StoredContributionPeriod,
} from '../../functions/adapters/contributionRecordsRepository';
import {
  checkEligibility,
  claimableRecord,
  computeAmount,
  maskAccountNumber,
  settle,
  submitLumpSumClaim,
  type LumpSumClaimRequest,
} from '../../functions/lumpSum/lumpSumService';
import { handler as loadStep } from '../../functions/steps/loadContributionHistory';
import { handler as checkStep } from '../../functions/steps/checkLumpSumEligibility';
import { handler as computeStep } from '../../functions/steps/computeLumpSumAmount';
import { handler as settleStep } from '../../functions/steps/settleLumpSum';
import { TransientError } from '../../functions/shared/errors';

const TODAY = '2026-11-22';
const TODAY_OFFSET = () => String(Date.parse(`${TODAY}T09:00:00+07:00`) - Date.now());
const sfn = mockClient(SFNClient);
let tables: Record<string, string>;

const period = (p: Partial<StoredContributionPeriod> & Pick<StoredContributionPeriod, 'from' | 'to' | 'monthlySalary'>): StoredContributionPeriod => ({
  employer: 'Công ty TNHH Sao Việt',
  employerCode: 'CTY-SAO-VIET',
  schemes: ['SI', 'UI', 'HI'],
  region: 'I',
  ...p,
});
const WORKED = [period({ from: '2011-03', to: '2013-12', monthlySalary: 5_000_000 }), period({ from: '2014-01', to: '2016-06', monthlySalary: 6_000_000 })];
const BANK = { bankCode: '970436', accountNumber: '0071000123456' };

async function put(items: Record<string, unknown>[]) {
  await dynamo().send(new BatchWriteCommand({ RequestItems: { [tables.INSURANCE_RECORDS_TABLE]: items.map((Item) => ({ PutRequest: { Item } })) } }));
}

/** A fresh 12-digit personal ID (born 1989, female) so tests do not share records. */
function newPerson() {
  const personalId = `079189${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  return { personalId, fullName: 'Bùi Thị Hồng Nhung', dateOfBirth: '1989-02-11', sex: 'FEMALE' as const };
}

function newClaim(person = newPerson()): Promise<string> {
  const request: LumpSumClaimRequest = { applicant: person, reason: 'ONE_YEAR_GAP', bankAccount: BANK, evidence: null };
  return createApplication('LUMP_SUM_WITHDRAWAL', request as unknown as Record<string, unknown>);
}

function eligibleDecision(personalId: string, applicationId: string, periods = WORKED, settlements: SettlementMarker[] = []) {
  const decision = checkEligibility({
    applicationId,
    applicationDate: TODAY,
    reason: 'ONE_YEAR_GAP',
    person: { personalId, fullName: 'Bùi Thị Hồng Nhung', dateOfBirth: '1989-02-11', sex: 'FEMALE' },
    periods,
    evidence: null,
    settlements,
  });
  expect(decision.ok).toBe(true);
  return decision.eligibility!;
}

/** Every settlement marker and payment order of a person, read from the table. */
const recordsOf = (personalId: string) => insuranceRecordsOf(tables.INSURANCE_RECORDS_TABLE, personalId);

/** settle() retried on TransientError, as the ASL does on a transaction conflict. */
async function settleWithRetry(params: Parameters<typeof settle>[0]) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await settle(params);
    } catch (error) {
      if (!(error instanceof TransientError) || attempt > 5) throw error;
    }
  }
}

/** LS_SECOND_RECORD of the demo seed: settled through 2018-12 in 2019, worked again 2019-06..2025-05. */
const FIRST_RECORD = period({ from: '2013-01', to: '2018-12', monthlySalary: 6_000_000 });
const SECOND_RECORD = [
  period({ from: '2019-06', to: '2021-12', monthlySalary: 8_000_000, employer: 'Công ty Dệt Bảy Hiền', employerCode: 'CTY-DET-BAY-HIEN' }),
  period({ from: '2022-01', to: '2025-05', monthlySalary: 12_000_000, employer: 'Công ty TNHH An Phát', employerCode: 'CTY-AN-PHAT' }),
];
const marker2019 = (personalId: string): SettlementMarker => ({
  personalId,
  applicationId: 'LEGACY-PO-79-2019-000412',
  paymentOrderId: 'PO-79-2019-000412',
  amount: 76_245_000,
  settledOn: '2019-04-16',
  settledThrough: '2018-12',
});

beforeAll(async () => {
  tables = await useLocalTables('lumpSum');
  Object.assign(process.env, {
    PROVINCE_CODE: '79',
    LUMP_SUM_WITHDRAWAL_STATE_MACHINE_ARN: 'arn:aws:states:ap-southeast-1:000000000000:stateMachine:LumpSumWithdrawal',
    REVIEW_TIMEOUT_SECONDS: '432000',
    CLOCK_OFFSET_MS: TODAY_OFFSET(),
  });
});

describe('contribution records repository', () => {
  it('loads periods in month order, the last employer with its status, and the settlement marker', async () => {
    const { personalId } = newPerson();
    await put([
      contributionPeriodItem(personalId, period({ from: '2024-01', to: '2026-06', monthlySalary: 20_000_000, employer: 'B', employerCode: 'CTY-B' })),
      contributionPeriodItem(personalId, period({ from: '2020-01', to: '2023-12', monthlySalary: 15_000_000, employer: 'A', employerCode: 'CTY-A' })),
      contributionPeriodItem(personalId, { employer: 'BHXH tự nguyện', employerCode: 'TU-NGUYEN', from: '2026-07', to: '2026-09', monthlySalary: 3_000_000, schemes: ['SI'], voluntary: true, stateSupportAmount: 99_000 }),
      employerStatusItem({ code: 'CTY-B', name: 'Công ty B', closed: false, owesContributions: true }),
    ]);
    const record = await loadContributionRecord(personalId);
    expect(record.periods.map((p) => p.from)).toEqual(['2020-01', '2024-01', '2026-07']);
    expect(record.periods[2]).toMatchObject({ voluntary: true, stateSupportAmount: 99_000 });
    expect(record.periods[2].region).toBeUndefined();
    // The voluntary period has no employer: the last employer is B.
    expect(record.lastEmployer).toEqual({ code: 'CTY-B', name: 'Công ty B', closed: false, owesContributions: true, known: true });
    expect(record.settlements).toEqual([]);
    expect(record.settlement).toBeNull();
  });

  it('an employer with no status on record is taken as not closed; no employer period → no last employer', async () => {
    const { personalId } = newPerson();
    await put([contributionPeriodItem(personalId, period({ from: '2020-01', to: '2020-12', monthlySalary: 1, employerCode: 'CTY-UNKNOWN', employer: 'X' }))]);
    expect((await loadContributionRecord(personalId)).lastEmployer).toEqual({ code: 'CTY-UNKNOWN', name: 'X', closed: false, owesContributions: false, known: false });
    expect((await loadContributionRecord(newPerson().personalId)).lastEmployer).toBeNull();
    expect(lastEmployerPeriod([period({ from: '2020-01', to: '2020-12', monthlySalary: 1, employerCode: 'A' }), period({ from: '2020-06', to: '2020-12', monthlySalary: 1, employerCode: 'B' })])?.employerCode).toBe('B');
  });

  it('the load step returns every settlement marker, ascending by settledThrough, the latest as `settlement`', async () => {
    const { personalId } = newPerson();
    await put([
      ...[FIRST_RECORD, ...SECOND_RECORD].map((p) => contributionPeriodItem(personalId, p)),
      settlementMarkerItem({ personalId, applicationId: 'LS-2', paymentOrderId: 'PO-2', amount: 7, settledOn: '2026-10-01', settledThrough: '2025-05' }),
      settlementMarkerItem(marker2019(personalId)),
    ]);
    const out = await loadStep({ applicationId: 'LS-X', personalId });
    expect(out.periods).toHaveLength(3);
    expect(out.settlements.map((m) => [m.settledThrough, m.paymentOrderId])).toEqual([['2018-12', 'PO-79-2019-000412'], ['2025-05', 'PO-2']]);
    expect(out.settlement).toMatchObject({ applicationId: 'LS-2', settledThrough: '2025-05' });
    const { markers } = await recordsOf(personalId);
    expect(markers.map((m) => m.recordType).sort()).toEqual(['SETTLEMENT#LUMP_SUM#2018-12', 'SETTLEMENT#LUMP_SUM#2025-05']);
    expect(await getSettlement(personalId, '2018-12')).toMatchObject({ paymentOrderId: 'PO-79-2019-000412', settledThrough: '2018-12' });
    expect(await getSettlement(personalId, '2019-01')).toBeNull();
    await expect(loadStep({ applicationId: 'LS-X' })).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('a marker written before settledThrough existed (sk SETTLEMENT#LUMP_SUM) paid out the record up to its settledOn', async () => {
    const { personalId } = newPerson();
    await put([...WORKED.map((p) => contributionPeriodItem(personalId, p)), contributionPeriodItem(personalId, period({ from: '2025-09', to: '2026-01', monthlySalary: 9_000_000 }))]);
    await dynamo().send(
      new PutCommand({
        TableName: tables.INSURANCE_RECORDS_TABLE,
        Item: { personalId, recordType: 'SETTLEMENT#LUMP_SUM', applicationId: 'LEGACY-1', paymentOrderId: 'PO-OLD', amount: 5, settledOn: '2025-03-14' },
      }),
    );
    const record = await loadContributionRecord(personalId);
    expect(record.settlements).toEqual([expect.objectContaining({ paymentOrderId: 'PO-OLD', settledThrough: '2016-06' })]);
    expect(await getSettlements(personalId)).toEqual(record.settlements);
    // The months after it (2025-09..2026-01) are what a claim may pay out.
    expect(claimableRecord(record.periods, record.settlements, 'LS-NEW')).toMatchObject({ from: '2025-09', settledThrough: '2026-01' });
  });

  it('the default settledThrough is the last SI month on or before the settlement date', () => {
    const periods = [...WORKED, { ...period({ from: '2016-01', to: '2017-03', monthlySalary: 1 }), schemes: ['HI' as const] }, period({ from: '2020-01', to: '2020-12', monthlySalary: 1 })];
    expect(defaultSettledThrough(periods, '2017-05-02')).toBe('2016-06');
    expect(defaultSettledThrough(periods, '2020-07-31')).toBe('2020-07');
    expect(defaultSettledThrough(periods, '2010-01-05')).toBe('2010-01');
  });
});

describe('eligibility', () => {
  it('an ineligible claim stops with NOT_ELIGIBLE and every failed condition with its dates, in vi and en', async () => {
    const decision = await checkStep({
      applicationId: 'LS-A',
      applicationDate: TODAY,
      reason: 'ONE_YEAR_GAP',
      person: { personalId: '079091000602', fullName: 'Nguyễn Văn Lộc', dateOfBirth: '1991-08-23', sex: 'MALE' },
      periods: [period({ from: '2005-01', to: '2026-05', monthlySalary: 8_000_000 })],
      evidence: null,
      settlements: [],
    });
    expect(decision.ok).toBe(false);
    expect(decision.reasonCode).toBe('NOT_ELIGIBLE');
    // Both failed conditions: the gap (with the date it is met) and the 20-year ceiling.
    // Stored as codes with their dates and figures; rendered in vi (Vietnamese citation) and en at answer time.
    const base = { law: 'LAW_41_2024', case: 'ONE_YEAR_GAP', applicationDate: TODAY };
    expect(decision.reason).toEqual({
      condition: {
        code: 'MONTHS_WITHOUT_CONTRIBUTIONS',
        params: { ...base, lastContributionMonth: '2026-05', monthsWithoutContributions: 5, requiredMonths: 12, eligibleFrom: '2027-06-01' },
      },
      additionalConditions: [{ code: 'BELOW_MAXIMUM_YEARS', params: { ...base, totalMonths: 257, maximumYears: 20 } }],
    });
    const shown = renderReason({ code: decision.reasonCode!, ...(decision.reason as object) });
    expect(shown.message.vi).toContain('cần đủ 12 tháng, đủ từ ngày 01/06/2027');
    expect(shown.message.vi).toContain('(theo điểm đ khoản 1 Điều 70 Luật Bảo hiểm xã hội số 41/2024/QH15)');
    expect(shown.message.en).toContain('met from 1 June 2027');
    expect(shown.message.en).toContain('(under Law 41/2024/QH15 Art. 70(1)(đ))');
    expect(decision.eligibility?.conditions.filter((c) => !c.met).map((c) => c.code)).toEqual(['MONTHS_WITHOUT_CONTRIBUTIONS', 'BELOW_MAXIMUM_YEARS']);
  });

  it('a case the law in force does not provide names the law and the application date', () => {
    const decision = checkEligibility({
      applicationId: 'LS-B',
      applicationDate: '2025-06-30',
      reason: 'WORK_CAPACITY_LOSS_81',
      person: { personalId: '079091000602', fullName: 'X', dateOfBirth: '1991-08-23' },
      periods: WORKED,
      evidence: { workCapacityLossPercent: 85 },
      settlements: [],
    });
    expect(decision.reasonCode).toBe('NOT_ELIGIBLE');
    expect(decision.reason).toEqual({
      condition: {
        code: 'CASE_PROVIDED_BY_LAW',
        params: { law: 'LAW_58_2014', case: 'WORK_CAPACITY_LOSS_81', applicationDate: '2025-06-30', effectiveFrom: '2016-01-01' },
      },
    });
    const shown = renderReason({ code: decision.reasonCode!, ...(decision.reason as object) });
    expect(shown.message.vi).toContain('Luật Bảo hiểm xã hội số 58/2014/QH13; Nghị quyết số 93/2015/QH13');
    expect(shown.message.en).toContain('Law on Social Insurance 58/2014/QH13 + Resolution 93/2015/QH13');
    // The sex comes from the personal ID when the registry gave none.
    expect(decision.eligibility?.law.id).toBe('LAW_58_2014');
  });

  it('a record paid out by another application stops with ALREADY_SETTLED (the same application goes on)', () => {
    const settlement = { personalId: '079189000601', applicationId: 'LS-OTHER', paymentOrderId: 'PO-9', amount: 1, settledOn: '2025-03-14', settledThrough: '2016-06' };
    const base = { applicationDate: TODAY, reason: 'ONE_YEAR_GAP' as const, person: newPerson(), periods: WORKED, evidence: null, settlements: [settlement] };
    const other = checkEligibility({ ...base, applicationId: 'LS-MINE' });
    expect(other).toMatchObject({ ok: false, reasonCode: 'ALREADY_SETTLED', eligibility: null });
    expect(other.reason).toEqual({ condition: { code: 'NOT_SETTLED_BEFORE', params: { settledOn: '2025-03-14', paymentOrderId: 'PO-9' } } });
    expect(renderReason({ code: 'ALREADY_SETTLED', ...(other.reason as object) }).message).toEqual({
      vi: 'Quá trình đóng bảo hiểm xã hội đã được giải quyết hưởng bảo hiểm xã hội một lần trước đó: quá trình đóng đã được giải quyết hưởng một lần ngày 14/03/2025 (lệnh chi PO-9); không giải quyết lần thứ hai.',
      en: 'The social-insurance record has already been paid out as a lump sum: the record was paid out as a lump sum on 14 March 2025 (payment order PO-9); it cannot be paid twice.',
    });
    const own = checkEligibility({ ...base, applicationId: 'LS-OTHER' });
    expect(own.ok).toBe(true);
    expect(own.eligibility!.contributionRecord).toEqual({ from: '2011-03', settledThrough: '2016-06', previousSettlement: null });
  });

  it('the rules see only the months after the latest settledThrough; nothing left → ALREADY_SETTLED naming the latest settlement', async () => {
    const person = newPerson();
    const settlements = [marker2019(person.personalId)];
    const periods = [FIRST_RECORD, ...SECOND_RECORD];
    const decision = checkEligibility({ applicationId: 'LS-2ND', applicationDate: TODAY, reason: 'ONE_YEAR_GAP', person, periods, evidence: null, settlements });
    expect(decision.ok).toBe(true);
    // 2019-06..2025-05 = 72 months: 6 years (the 2013–2018 record is not counted again).
    expect(decision.eligibility!.facts).toMatchObject({ totalMonths: 72, firstContributionMonth: '2019-06', lastContributionMonth: '2025-05', monthsWithoutContributions: 17 });
    expect(decision.eligibility!.contributionRecord).toEqual({
      from: '2019-06',
      settledThrough: '2025-05',
      previousSettlement: { applicationId: 'LEGACY-PO-79-2019-000412', paymentOrderId: 'PO-79-2019-000412', settledOn: '2019-04-16', settledThrough: '2018-12' },
    });
    // Both records settled: nothing left; the text names the latest settlement.
    const later = { ...marker2019(person.personalId), applicationId: 'LS-2', paymentOrderId: 'PO-2', settledOn: '2026-10-01', settledThrough: '2025-05' };
    const again = await checkStep({ applicationId: 'LS-3RD', applicationDate: TODAY, reason: 'ONE_YEAR_GAP', person, periods, evidence: null, settlements: [settlements[0], later] });
    expect(again).toMatchObject({ ok: false, reasonCode: 'ALREADY_SETTLED', eligibility: null });
    expect(again.reason).toEqual({ condition: { code: 'NOT_SETTLED_BEFORE', params: { settledOn: '2026-10-01', paymentOrderId: 'PO-2' } } });
    // Executions started before settlements were per record pass the one marker as `settlement`.
    const legacyInput = await checkStep({ applicationId: 'LS-3RD', applicationDate: TODAY, reason: 'ONE_YEAR_GAP', person, periods, evidence: null, settlement: later });
    expect(legacyInput.reasonCode).toBe('ALREADY_SETTLED');
  });

  it('a period running across settledThrough keeps its later months (State support prorated)', () => {
    const voluntary: StoredContributionPeriod = { employer: 'BHXH tự nguyện', employerCode: 'TU-NGUYEN', from: '2020-01', to: '2020-12', monthlySalary: 3_000_000, schemes: ['SI'], voluntary: true, stateSupportAmount: 1_000_001 };
    const marker = { ...marker2019('079189000001'), settledThrough: '2020-03' };
    const record = claimableRecord([period({ from: '2018-01', to: '2019-12', monthlySalary: 1 }), voluntary], [marker], 'LS-X');
    // 9 of 12 months kept: 1,000,001 × 9 / 12 = 750,000.75 → 750,001 (half up).
    expect(record.periods).toEqual([{ ...voluntary, from: '2020-04', stateSupportAmount: 750_001 }]);
    expect(record).toMatchObject({ from: '2020-04', settledThrough: '2020-12' });
  });

  it('computes the worked example amount', () => {
    expect(computeAmount({ applicationDate: TODAY, reason: 'ONE_YEAR_GAP', periods: WORKED }).amount).toBe(78_384_375);
  });

  it('LS_SECOND_RECORD by hand: 06/2019–05/2025 only, 2 × 6 years × the average = 135,040,000 VND', () => {
    const person = newPerson();
    const amount = computeAmount({ applicationId: 'LS-2ND', applicationDate: TODAY, reason: 'ONE_YEAR_GAP', periods: [FIRST_RECORD, ...SECOND_RECORD], settlements: [marker2019(person.personalId)] });
    // Salary × months × coefficient of the year (claims settled in 2026): 2019 1.20, 2020 1.16, 2021 1.14,
    // 2022 1.11, 2023 1.07, 2024 1.03, 2025 1.00.
    const byHand =
      7 * 8_000_000 * 1.2 + 12 * 8_000_000 * 1.16 + 12 * 8_000_000 * 1.14 + 12 * 12_000_000 * 1.11 + 12 * 12_000_000 * 1.07 + 12 * 12_000_000 * 1.03 + 5 * 12_000_000;
    expect(Math.round(byHand)).toBe(810_240_000);
    expect(amount.salaryLines.map((l) => [l.year, l.months, l.coefficient, l.adjustedTotal.display])).toEqual([
      [2019, 7, '1.20', '67,200,000'],
      [2020, 12, '1.16', '111,360,000'],
      [2021, 12, '1.14', '109,440,000'],
      [2022, 12, '1.11', '159,840,000'],
      [2023, 12, '1.07', '154,080,000'],
      [2024, 12, '1.03', '148,320,000'],
      [2025, 5, '1.00', '60,000,000'],
    ]);
    expect(amount).toMatchObject({
      totalMonths: 72,
      monthsBefore2014: 0,
      monthsFrom2014: 72,
      carriedMonths: 0,
      yearsFrom2014: { months: 72, wholeYears: 6, oddMonths: 0, halfYears: 12 },
      method: 'YEARS_OF_CONTRIBUTION',
      amount: 135_040_000,
      contributionRecord: { from: '2019-06', settledThrough: '2025-05', previousSettlement: expect.objectContaining({ settledThrough: '2018-12' }) },
    });
    expect(amount.adjustedSalaryTotal.display).toBe('810,240,000');
    // 810,240,000 / 72 = 11,253,333.33… exactly 33,760,000 / 3; × 12 months of average salary.
    expect(amount.averageMonthlySalary).toMatchObject({ numerator: '33760000', denominator: '3', display: '11,253,333.3333…' });
    expect(amount.benefitMonths.display).toBe('12');
    expect(810_240_000 / 6).toBe(135_040_000);
    // Without the 2019 settlement the 2013–2018 record would count again: another (larger) amount.
    expect(computeAmount({ applicationDate: TODAY, reason: 'ONE_YEAR_GAP', periods: [FIRST_RECORD, ...SECOND_RECORD] }).totalMonths).toBe(144);
  });
});

describe('settlement, exactly once', () => {
  it('marker, payment order and COMPLETED in one transaction; a retry returns the same result', async () => {
    const person = newPerson();
    const applicationId = await newClaim(person);
    const amount = computeAmount({ applicationDate: TODAY, reason: 'ONE_YEAR_GAP', periods: WORKED });
    const params = { applicationId, person, eligibility: eligibleDecision(person.personalId, applicationId), amount };
    const first = await settleStep(params);
    expect(first.ok).toBe(true);
    expect(first.result).toMatchObject({ amount: 78_384_375, paymentOrderId: expect.stringMatching(/^PO-/), bankAccount: { bankCode: '970436', accountNumber: '*********3456' } });
    const app = await applicationsRepository.get(applicationId);
    expect(app).toMatchObject({ status: 'COMPLETED', result: first.result });
    expect(app!.timeline.at(-1)).toMatchObject({ event: 'SETTLED', status: 'COMPLETED' });
    expect(first.result).toMatchObject({ settledFrom: '2011-03', settledThrough: '2016-06' });
    expect(await getSettlement(person.personalId, '2016-06')).toMatchObject({
      applicationId,
      paymentOrderId: first.result!.paymentOrderId,
      amount: 78_384_375,
      settledFrom: '2011-03',
      settledThrough: '2016-06',
    });
    expect((await recordsOf(person.personalId)).markers.map((m) => m.recordType)).toEqual(['SETTLEMENT#LUMP_SUM#2016-06']);
    const orders = await getPaymentOrders(person.personalId);
    expect(orders).toEqual([expect.objectContaining({ applicationId, bankAccount: BANK, beneficiaryName: person.fullName, status: 'ISSUED' })]);

    const again = await settle(params);
    expect(again).toEqual(first);
    expect(await getPaymentOrders(person.personalId)).toHaveLength(1);
  });

  it('30 concurrent settlements of one person: one payment order, every other claim ALREADY_SETTLED', async () => {
    const person = newPerson();
    const ids = await Promise.all(Array.from({ length: 30 }, () => newClaim(person)));
    const amount = computeAmount({ applicationDate: TODAY, reason: 'ONE_YEAR_GAP', periods: WORKED });
    // As the ASL does: TransientError (a transaction conflict) is retried.
    const decisions = await Promise.all(
      ids.map((applicationId) => settleWithRetry({ applicationId, person, eligibility: eligibleDecision(person.personalId, applicationId), amount })),
    );
    const winners = decisions.filter((d) => d.ok);
    expect(winners).toHaveLength(1);
    for (const d of decisions.filter((x) => !x.ok)) expect(d.reasonCode).toBe('ALREADY_SETTLED');

    const items = await dynamo().send(
      new QueryCommand({
        TableName: tables.INSURANCE_RECORDS_TABLE,
        KeyConditionExpression: 'personalId = :p',
        ExpressionAttributeValues: { ':p': person.personalId },
        ConsistentRead: true,
      }),
    );
    const types = items.Items!.map((i) => String(i.recordType).split('#')[0]).sort();
    expect(types).toEqual(['PAYMENT_ORDER', 'SETTLEMENT']);
    const winnerId = ids[decisions.findIndex((d) => d.ok)];
    expect((await getSettlement(person.personalId, '2016-06'))!.applicationId).toBe(winnerId);
    const completed = await Promise.all(ids.map((id) => applicationsRepository.get(id)));
    expect(completed.filter((a) => a!.status === 'COMPLETED').map((a) => a!.applicationId)).toEqual([winnerId]);
  });

  it('a second contribution record: settled beside the first; 24 concurrent claims for it yield one marker and one order', async () => {
    const person = newPerson();
    const periods = [FIRST_RECORD, ...SECOND_RECORD];
    await put([...periods.map((p) => contributionPeriodItem(person.personalId, p)), settlementMarkerItem(marker2019(person.personalId))]);
    const ids = await Promise.all(Array.from({ length: 24 }, () => newClaim(person)));
    // Each claim as the workflow runs it: load, eligibility, amount, settle (retried on a transaction conflict).
    const decisions = await Promise.all(
      ids.map(async (applicationId) => {
        const history = await loadStep({ applicationId, personalId: person.personalId });
        const eligibility = await checkStep({ applicationId, applicationDate: TODAY, reason: 'ONE_YEAR_GAP', person, periods: history.periods, evidence: null, settlements: history.settlements });
        expect(eligibility.ok).toBe(true);
        const amount = await computeStep({ applicationId, applicationDate: TODAY, reason: 'ONE_YEAR_GAP', periods: history.periods, settlements: history.settlements });
        for (let attempt = 1; ; attempt++) {
          try {
            return await settleStep({ applicationId, person, eligibility: eligibility.eligibility, amount });
          } catch (error) {
            if ((error as Error).name !== 'TransientError' || attempt > 5) throw error;
          }
        }
      }),
    );
    const winners = decisions.filter((d) => d.ok);
    expect(winners).toHaveLength(1);
    expect(winners[0].result).toMatchObject({ amount: 135_040_000, settledFrom: '2019-06', settledThrough: '2025-05' });
    for (const d of decisions.filter((x) => !x.ok)) {
      expect(d.reasonCode).toBe('ALREADY_SETTLED');
      expect(d.reason).toMatchObject({ condition: { code: 'NOT_SETTLED_BEFORE', params: { paymentOrderId: winners[0].result!.paymentOrderId } } });
    }
    const winnerId = ids[decisions.findIndex((d) => d.ok)];

    const { markers, orders, other } = await recordsOf(person.personalId);
    expect(other).toEqual([]);
    expect(markers.map((m) => [m.recordType, m.applicationId]).sort()).toEqual([
      ['SETTLEMENT#LUMP_SUM#2018-12', 'LEGACY-PO-79-2019-000412'],
      ['SETTLEMENT#LUMP_SUM#2025-05', winnerId],
    ]);
    expect(orders).toEqual([expect.objectContaining({ applicationId: winnerId, amount: 135_040_000, status: 'ISSUED' })]);
    const apps = await Promise.all(ids.map((id) => applicationsRepository.get(id)));
    expect(apps.filter((a) => a!.status === 'COMPLETED').map((a) => a!.applicationId)).toEqual([winnerId]);

    // A later claim finds both records settled.
    const history = await loadStep({ applicationId: 'LS-LATER', personalId: person.personalId });
    const later = await checkStep({ applicationId: 'LS-LATER', applicationDate: TODAY, reason: 'ONE_YEAR_GAP', person, periods: history.periods, evidence: null, settlements: history.settlements });
    expect(later).toMatchObject({ ok: false, reasonCode: 'ALREADY_SETTLED' });
    expect(later.reason).toMatchObject({ condition: { params: { paymentOrderId: winners[0].result!.paymentOrderId } } });
  });

  it('refuses to settle when the amount and the eligibility are not about the same months', async () => {
    const person = newPerson();
    const applicationId = await newClaim(person);
    const amount = computeAmount({ applicationDate: TODAY, reason: 'ONE_YEAR_GAP', periods: WORKED });
    const eligibility = eligibleDecision(person.personalId, applicationId, [WORKED[0]]);
    await expect(settle({ applicationId, person, eligibility, amount })).rejects.toMatchObject({ name: 'ValidationError' });
    expect((await recordsOf(person.personalId)).markers).toEqual([]);
  });

  it('masks account numbers to the last 4 digits', () => {
    expect(maskAccountNumber('0071000123456')).toBe('*********3456');
    expect(maskAccountNumber('1234')).toBe('1234');
  });
});

describe('rule data not published: claims settled in 2027 (no coefficient table on record)', () => {
  const IN_2027 = '2027-01-15';
  const at2027 = <T>(work: () => Promise<T>): Promise<T> => {
    process.env.CLOCK_OFFSET_MS = String(Date.parse(`${IN_2027}T09:00:00+07:00`) - Date.now());
    return work().finally(() => {
      process.env.CLOCK_OFFSET_MS = TODAY_OFFSET();
    });
  };
  const input = (applicationId: string) => ({ applicationId, applicationDate: IN_2027, reason: 'ONE_YEAR_GAP', periods: WORKED, settlements: [] });

  it('WAIT: RuleDataUnavailable is rethrown for the ASL Retry; WAITING_FOR_RULE_DATA is recorded once, as the public status with the expected date', async () => {
    const applicationId = await newClaim();
    const before = await applicationsRepository.get(applicationId);
    await at2027(async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        await expect(computeStep(input(applicationId))).rejects.toMatchObject({
          name: 'RuleDataUnavailable',
          message: expect.stringContaining('no salary adjustment coefficient table for claims settled in 2027'),
        });
      }
    });
    const app = await applicationsRepository.get(applicationId);
    expect(before!.status).toBe('VERIFYING');
    expect(app!.status).toBe('WAITING_FOR_RULE_DATA');
    expect(app!.waitingForRuleData).toMatchObject({ settlementYear: 2027, expectedBy: '2027-02-28' });
    const waiting = app!.timeline.filter((t) => t.event === 'WAITING_FOR_RULE_DATA');
    expect(waiting).toHaveLength(1);
    expect(waiting[0].status).toBe('WAITING_FOR_RULE_DATA');
    expect(waiting[0].detail).toMatchObject({
      settlementYear: 2027,
      expectedBy: '2027-02-28',
      missing: { vi: 'Chưa có hệ số điều chỉnh tiền lương cho hồ sơ giải quyết năm 2027', en: 'no salary adjustment coefficient table for claims settled in 2027' },
    });
  });

  it('RECORD_FAILED (the last attempt): FAILED RULE_DATA_UNAVAILABLE naming the missing table and year, since when it waited', async () => {
    const applicationId = await newClaim();
    await at2027(async () => {
      await expect(computeStep(input(applicationId))).rejects.toMatchObject({ name: 'RuleDataUnavailable' });
      await expect(computeStep({ ...input(applicationId), onRuleDataUnavailable: 'RECORD_FAILED' })).rejects.toMatchObject({ name: 'RuleDataUnavailable' });
    });
    const app = await applicationsRepository.get(applicationId);
    expect(app!.status).toBe('FAILED');
    expect(app!.reason).toEqual({
      code: 'RULE_DATA_UNAVAILABLE',
      condition: { code: 'RULE_DATA_PUBLISHED', params: { settlementYear: 2027, month: null, waitedFrom: '2027-01-15', waitedUntil: '2027-01-15' } },
    });
    expect(renderReason(app!.reason!).message).toEqual({
      vi:
        'Chưa có dữ liệu quy định cần để tính mức hưởng bảo hiểm xã hội một lần: bảng hệ số điều chỉnh tiền lương và thu nhập tháng đã đóng bảo hiểm xã hội ' +
        'cho hồ sơ giải quyết năm 2027 chưa được ban hành; hồ sơ đã chờ từ ngày 15/01/2027 đến ngày 15/01/2027 và sẽ được giải quyết lại khi dữ liệu được ban hành.',
      en:
        'The legal data needed to compute the lump sum has not been published yet: the salary-adjustment coefficients for claims settled in 2027 have not been ' +
        'published; the claim waited from 15 January 2027 to 15 January 2027 and will be processed again once the data is published.',
    });
    expect(app!.timeline.at(-1)).toMatchObject({ event: 'OUTCOME_RECORDED', status: 'FAILED', detail: { reasonCode: 'RULE_DATA_UNAVAILABLE' } });
    // The shared RecordFailure that follows in the ASL is then a no-op that keeps this reason.
    const { handler: recordOutcome } = await import('../../functions/steps/recordOutcome');
    const recorded = await recordOutcome({ applicationId, status: 'FAILED', reasonCode: 'RuleDataUnavailable', reason: 'cause' });
    expect(recorded).toMatchObject({ recorded: false, reason: { code: 'RULE_DATA_UNAVAILABLE' } });
    expect((await applicationsRepository.get(applicationId))!.reason!.code).toBe('RULE_DATA_UNAVAILABLE');
  });

  it('WAIT still rethrows RuleDataUnavailable when the event cannot be written (the wait must go on)', async () => {
    const applicationId = await newClaim();
    const table = process.env.APPLICATIONS_TABLE;
    process.env.APPLICATIONS_TABLE = 'no-such-table';
    try {
      await at2027(() => expect(computeStep(input(applicationId))).rejects.toMatchObject({ name: 'RuleDataUnavailable' }));
    } finally {
      process.env.APPLICATIONS_TABLE = table;
    }
  });

  it('the table on record (2026): the same step computes and records nothing', async () => {
    const applicationId = await newClaim();
    const amount = await computeStep({ ...input(applicationId), applicationDate: TODAY, onRuleDataUnavailable: 'RECORD_FAILED' });
    expect(amount.amount).toBe(78_384_375);
    expect((await applicationsRepository.get(applicationId))!.timeline.map((t) => t.event)).not.toContain('WAITING_FOR_RULE_DATA');
  });
});

describe('submission', () => {
  it('an idempotent LS- application started by name with the application date in the input; no bank account in it', async () => {
    sfn.reset();
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:aws:states:ap-southeast-1:000000000000:execution:LumpSumWithdrawal:x' });
    const request: LumpSumClaimRequest = { applicant: newPerson(), reason: 'ONE_YEAR_GAP', bankAccount: BANK, evidence: null };
    const submittedAt = new Date(`${TODAY}T09:00:00+07:00`);
    const a = await submitLumpSumClaim({ request, idempotencyKey: 'k-1', consumerId: 'portal' }, submittedAt);
    const b = await submitLumpSumClaim({ request, idempotencyKey: 'k-1', consumerId: 'portal' }, submittedAt);
    expect(a.applicationId).toMatch(/^LS-[0-9A-Z]{26}$/);
    expect(b).toEqual({ ...a, created: false });
    const input = JSON.parse(sfn.commandCalls(StartExecutionCommand)[0].args[0].input.input!);
    expect(input).toEqual({
      applicationId: a.applicationId,
      service: 'LUMP_SUM_WITHDRAWAL',
      provinceCode: '79',
      applicant: request.applicant,
      reason: 'ONE_YEAR_GAP',
      evidence: null,
      applicationDate: TODAY,
      reviewTimeoutSeconds: 432000,
    });
    expect(sfn.commandCalls(StartExecutionCommand)[0].args[0].input.name).toBe(a.applicationId);
  });
});
