/**
 * The lump-sum withdrawal end to end, over HTTP against the whole local system (DynamoDB Local, registry
 * simulator, the real ASL on the local Step Functions engine with the shared identity verification nested, the
 * real handlers). Every LS_* demo scenario reaches its documented outcome to the đồng; the exactly-once
 * settlement is checked in the table with 24 concurrent claims of one person.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  expectBadRequests,
  requestBody,
  runScenario,
  scenarioNamed,
  submitScenario,
  useDemoSystem,
} from '../support/serviceScenarios';
import { dynamo } from '../../functions/adapters/dynamo';
import type { LocalSystem } from '../../local/runtime';

const demo = useDemoSystem();
const PATH = '/v1/lump-sum-claims';
const CONCURRENT_CLAIMS = 24;
let system: LocalSystem;
let api: ReturnType<typeof demo.api>;

beforeAll(() => {
  system = demo.system();
  api = demo.api();
});

/** The person's settlement marker(s) and payment order(s) in insuranceRecords. */
async function settlementItems(personalId: string) {
  const out = await dynamo().send(
    new QueryCommand({
      TableName: system.tables.INSURANCE_RECORDS_TABLE,
      KeyConditionExpression: 'personalId = :p',
      ExpressionAttributeValues: { ':p': personalId },
      ConsistentRead: true,
    }),
  );
  const items = out.Items ?? [];
  return {
    markers: items.filter((i) => String(i.recordType).startsWith('SETTLEMENT#')),
    orders: items.filter((i) => String(i.recordType).startsWith('PAYMENT_ORDER#')),
  };
}

/** Waits until the application has ended (any terminal status) and returns its public view. */
async function terminal(applicationId: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api.get(`/v1/applications/${applicationId}`);
    if (['COMPLETED', 'REJECTED', 'EXPIRED', 'FAILED'].includes(res.body?.status)) return res.body;
    if (Date.now() > deadline) throw new Error(`${applicationId} did not end: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('every LS_* demo scenario reaches its documented outcome', () => {
  it.each([
    'LS_WORKED_EXAMPLE', 'LS_UNDER_ONE_YEAR', 'LS_VOLUNTARY', 'LS_GAP_TOO_SHORT', 'LS_TWENTY_YEARS', 'LS_ALREADY_SETTLED',
    'LS_NAME_MISMATCH',
  ])('%s', async (name) => {
    const s = scenarioNamed(system, name);
    const { applicationId, app, stop } = await runScenario(api, s);
    const { markers, orders } = await settlementItems(s.submit.personalId);
    if (stop.status === 'COMPLETED') {
      expect(app.result.amount).toBe(stop.amount);
      expect(app.result.breakdown.amount).toBe(stop.amount);
      expect(markers).toHaveLength(1);
      expect(markers[0]).toMatchObject({ applicationId, amount: stop.amount, paymentOrderId: app.result.paymentOrderId });
      expect(orders).toHaveLength(1);
      expect(orders[0]).toMatchObject({ applicationId, amount: stop.amount, status: 'ISSUED', currency: 'VND' });
    } else {
      expect(stop.status).toBe('REJECTED');
      expect(orders).toHaveLength(0);
      expect(markers.filter((m) => m.applicationId === applicationId)).toHaveLength(0);
    }
  });
});

describe('the settlement', () => {
  it('worked example: years before/after 2014, average salary, amount and legal basis; bank account masked', async () => {
    const applicationId = await submitScenario(api, scenarioNamed(system, 'LS_WORKED_EXAMPLE'));
    const app = await terminal(applicationId);
    // The record was paid out by the data-driven run (or by this one if it ran alone): one order either way.
    const { markers, orders } = await settlementItems('079189000601');
    expect(markers).toHaveLength(1);
    expect(orders).toHaveLength(1);
    const settled = await api.get(`/v1/applications/${markers[0].applicationId}`);
    const r = settled.body.result;
    expect(r.amount).toBe(78_384_375);
    expect(r.breakdown).toMatchObject({
      monthsBefore2014: 34,
      monthsFrom2014: 30,
      carriedMonths: 10,
      yearsBefore2014: { wholeYears: 2, halfYears: 4 },
      yearsFrom2014: { months: 40, wholeYears: 3, oddMonths: 4, halfYears: 7 },
      method: 'YEARS_OF_CONTRIBUTION',
      amount: 78_384_375,
    });
    expect(r.breakdown.averageMonthlySalary.display).toBe('7,838,437.5');
    expect(r.breakdown.adjustedSalaryTotal.display).toBe('501,660,000');
    expect(r.breakdown.benefitMonths.display).toBe('10');
    expect(r.eligibility.legalCase).toBe('Law 41/2024/QH15 Art. 70(1)(đ)');
    expect(r.legalBasis.map((b: any) => b.instrument)).toEqual(expect.arrayContaining(['Law 41/2024/QH15 Art. 70(1)(đ)']));
    expect(r.bankAccount).toEqual({ bankCode: '970436', accountNumber: '*********0101' });
    expect(JSON.stringify(settled.body)).not.toContain('079189000601');
    if (markers[0].applicationId !== applicationId) {
      expect(app.status).toBe('REJECTED');
      expect(app.reason.code).toBe('ALREADY_SETTLED');
    }
  });

  it(`${CONCURRENT_CLAIMS} concurrent claims for one person (different Idempotency-Keys) yield exactly one payment order`, async () => {
    const s = scenarioNamed(system, 'LS_EXACTLY_ONCE');
    const ids = await Promise.all(
      Array.from({ length: CONCURRENT_CLAIMS }, (_, i) => submitScenario(api, s, `exactly-once-${i}-${Date.now()}`)),
    );
    expect(new Set(ids).size).toBe(CONCURRENT_CLAIMS);
    const apps = await Promise.all(ids.map((id) => terminal(id, 60_000)));
    const completed = apps.filter((a) => a.status === 'COMPLETED');
    const rejected = apps.filter((a) => a.status === 'REJECTED');
    expect(completed).toHaveLength(1);
    expect(rejected).toHaveLength(CONCURRENT_CLAIMS - 1);
    for (const a of rejected) expect(a.reason.code).toBe('ALREADY_SETTLED');
    expect(completed[0].result.amount).toBe(s.outcome!.amount);

    const { markers, orders } = await settlementItems(s.submit.personalId);
    expect(markers).toHaveLength(1);
    expect(orders).toHaveLength(1);
    expect(markers[0].applicationId).toBe(completed[0].applicationId);
    expect(orders[0]).toMatchObject({ applicationId: completed[0].applicationId, paymentOrderId: completed[0].result.paymentOrderId, amount: 153_100_000 });
    // Full account number only on the (server-side) payment order.
    expect(orders[0].bankAccount.accountNumber).toBe(s.submit.bankAccount!.accountNumber);
  }, 90_000);

  it('the same Idempotency-Key repeated (also concurrently) is the same application', async () => {
    const s = scenarioNamed(system, 'LS_TWENTY_YEARS');
    const key = `ls-same-key-${Date.now()}`;
    const ids = await Promise.all(Array.from({ length: 5 }, () => submitScenario(api, s, key)));
    expect(new Set(ids).size).toBe(1);
    const runs = system.engine.listExecutions(system.stateMachineArn('LumpSumWithdrawal')).filter((e) => e.name === ids[0]);
    expect(runs).toHaveLength(1);
    const app = await terminal(ids[0]);
    expect(app.reason.code).toBe('NOT_ELIGIBLE');
    const again = await api.post(PATH, requestBody(s), undefined, { 'idempotency-key': key });
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ applicationId: ids[0], status: 'REJECTED' });
  });

  it('an ineligible claim ends REJECTED with the failed condition and its dates, never a generic error', async () => {
    const applicationId = await submitScenario(api, scenarioNamed(system, 'LS_GAP_TOO_SHORT'));
    const app = await terminal(applicationId);
    expect(app.status).toBe('REJECTED');
    expect(app.reason.code).toBe('NOT_ELIGIBLE');
    expect(app.reason.detail).toContain('Law 41/2024/QH15 Art. 70(1)(đ)');
    expect(app.reason.detail).toContain('2026-05');
    expect(app.reason.detail).toContain('2027-06-01');
    expect(app.reason.detail).toMatch(/Mới 5 tháng .* \/ Not eligible .*Only 5 months/);
  });
});

describe('public API contract', () => {
  const body = () => requestBody(scenarioNamed(system, 'LS_GAP_TOO_SHORT'));

  it('invalid requests get 400 VALIDATION_FAILED with a Vietnamese and an English message', async () => {
    await expectBadRequests(api, PATH, [
      { ...body(), bankAccount: { bankCode: 'VCB', accountNumber: '0071000123456' } },
      { ...body(), bankAccount: { bankCode: '970436', accountNumber: '12-34' } },
      { ...body(), bankAccount: undefined },
      { ...body(), reason: 'BORED' },
      { ...body(), dateOfBirth: '2030-01-01' },
      { ...body(), fullName: '' },
    ]);
    const badKey = await api.post(PATH, body(), undefined, { 'idempotency-key': 'with space' });
    expect(badKey.status).toBe(400);
    expect(badKey.body.code).toBe('INVALID_IDEMPOTENCY_KEY');
  });
});
