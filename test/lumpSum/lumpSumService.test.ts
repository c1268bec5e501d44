/**
 * Lump-sum services and the contribution-record repository over DynamoDB Local: loading a person's record,
 * eligibility decisions with their precise reasons, and the exactly-once settlement transaction hit directly by
 * many concurrent settlements of one person.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { useLocalTables } from '../support/tables';
import { createApplication } from '../support/applications';
import { dynamo } from '../../functions/adapters/dynamo';
import { applicationsRepository } from '../../functions/adapters/applicationsRepository';
import {
  contributionPeriodItem,
  employerStatusItem,
  getPaymentOrders,
  getSettlement,
  lastEmployerPeriod,
  loadContributionRecord,
  settlementMarkerItem,
  type StoredContributionPeriod,
} from '../../functions/adapters/contributionRecordsRepository';
import {
  checkEligibility,
  computeAmount,
  maskAccountNumber,
  settle,
  submitLumpSumClaim,
  type LumpSumClaimRequest,
} from '../../functions/lumpSum/lumpSumService';
import { handler as loadStep } from '../../functions/steps/loadContributionHistory';
import { handler as checkStep } from '../../functions/steps/checkLumpSumEligibility';
import { handler as settleStep } from '../../functions/steps/settleLumpSum';
import { TransientError } from '../../functions/shared/errors';

const TODAY = '2026-11-22';
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

function eligibleDecision(personalId: string, applicationId: string) {
  const decision = checkEligibility({
    applicationId,
    applicationDate: TODAY,
    reason: 'ONE_YEAR_GAP',
    person: { personalId, fullName: 'Bùi Thị Hồng Nhung', dateOfBirth: '1989-02-11', sex: 'FEMALE' },
    periods: WORKED,
    evidence: null,
    settlement: null,
  });
  expect(decision.ok).toBe(true);
  return decision.eligibility!;
}

beforeAll(async () => {
  tables = await useLocalTables('lumpSum');
  Object.assign(process.env, {
    PROVINCE_CODE: '79',
    LUMP_SUM_WITHDRAWAL_STATE_MACHINE_ARN: 'arn:aws:states:ap-southeast-1:000000000000:stateMachine:LumpSumWithdrawal',
    REVIEW_TIMEOUT_SECONDS: '432000',
    CLOCK_OFFSET_MS: String(Date.parse(`${TODAY}T09:00:00+07:00`) - Date.now()),
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
    expect(record.settlement).toBeNull();
  });

  it('an employer with no status on record is taken as not closed; no employer period → no last employer', async () => {
    const { personalId } = newPerson();
    await put([contributionPeriodItem(personalId, period({ from: '2020-01', to: '2020-12', monthlySalary: 1, employerCode: 'CTY-UNKNOWN', employer: 'X' }))]);
    expect((await loadContributionRecord(personalId)).lastEmployer).toEqual({ code: 'CTY-UNKNOWN', name: 'X', closed: false, owesContributions: false, known: false });
    expect((await loadContributionRecord(newPerson().personalId)).lastEmployer).toBeNull();
    expect(lastEmployerPeriod([period({ from: '2020-01', to: '2020-12', monthlySalary: 1, employerCode: 'A' }), period({ from: '2020-06', to: '2020-12', monthlySalary: 1, employerCode: 'B' })])?.employerCode).toBe('B');
  });

  it('the load step returns what the workflow passes on', async () => {
    const { personalId } = newPerson();
    await put([...WORKED.map((p) => contributionPeriodItem(personalId, p)), settlementMarkerItem({ personalId, applicationId: 'LEGACY-1', paymentOrderId: 'PO-OLD', amount: 5, settledOn: '2025-03-14' })]);
    const out = await loadStep({ applicationId: 'LS-X', personalId });
    expect(out.periods).toHaveLength(2);
    expect(out.settlement).toMatchObject({ applicationId: 'LEGACY-1', paymentOrderId: 'PO-OLD', settledOn: '2025-03-14' });
    await expect(loadStep({ applicationId: 'LS-X' })).rejects.toMatchObject({ name: 'ValidationError' });
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
      settlement: null,
    });
    expect(decision.ok).toBe(false);
    expect(decision.reasonCode).toBe('NOT_ELIGIBLE');
    // Both failed conditions: the gap (with the date it is met) and the 20-year ceiling.
    expect(decision.reason).toContain('Law 41/2024/QH15 Art. 70(1)(đ)');
    expect(decision.reason).toContain('2027-06-01');
    expect(decision.reason).toContain('21 năm 5 tháng ≥ 20 năm');
    expect(decision.reason).toContain('21 years 5 months ≥ 20 years');
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
      settlement: null,
    });
    expect(decision.reasonCode).toBe('NOT_ELIGIBLE');
    expect(decision.reason).toContain('Law on Social Insurance 58/2014/QH13');
    expect(decision.reason).toContain('2025-06-30');
    // The sex comes from the personal ID when the registry gave none.
    expect(decision.eligibility?.law.id).toBe('LAW_58_2014');
  });

  it('a record paid out by another application stops with ALREADY_SETTLED (the same application goes on)', () => {
    const settlement = { personalId: '079189000601', applicationId: 'LS-OTHER', paymentOrderId: 'PO-9', amount: 1, settledOn: '2025-03-14' };
    const base = { applicationDate: TODAY, reason: 'ONE_YEAR_GAP' as const, person: newPerson(), periods: WORKED, evidence: null, settlement };
    const other = checkEligibility({ ...base, applicationId: 'LS-MINE' });
    expect(other).toMatchObject({ ok: false, reasonCode: 'ALREADY_SETTLED', eligibility: null });
    expect(other.reason).toContain('2025-03-14');
    expect(checkEligibility({ ...base, applicationId: 'LS-OTHER' }).ok).toBe(true);
  });

  it('computes the worked example amount', () => {
    expect(computeAmount({ applicationDate: TODAY, reason: 'ONE_YEAR_GAP', periods: WORKED }).amount).toBe(78_384_375);
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
    expect(await getSettlement(person.personalId)).toMatchObject({ applicationId, paymentOrderId: first.result!.paymentOrderId, amount: 78_384_375 });
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
    const settleWithRetry = async (applicationId: string) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await settle({ applicationId, person, eligibility: eligibleDecision(person.personalId, applicationId), amount });
        } catch (error) {
          if (!(error instanceof TransientError) || attempt > 5) throw error;
        }
      }
    };
    const decisions = await Promise.all(ids.map(settleWithRetry));
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
    expect((await getSettlement(person.personalId))!.applicationId).toBe(winnerId);
    const completed = await Promise.all(ids.map((id) => applicationsRepository.get(id)));
    expect(completed.filter((a) => a!.status === 'COMPLETED').map((a) => a!.applicationId)).toEqual([winnerId]);
  });

  it('masks account numbers to the last 4 digits', () => {
    expect(maskAccountNumber('0071000123456')).toBe('*********3456');
    expect(maskAccountNumber('1234')).toBe('1234');
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
