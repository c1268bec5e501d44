/**
 * The lump-sum withdrawal end to end, over HTTP against the whole local system (DynamoDB Local, registry
 * simulator, the real ASL on the local Step Functions engine with the shared identity verification nested, the
 * real handlers). Every LS_* demo scenario reaches its documented outcome to the đồng; the exactly-once
 * settlement is checked in the table with 24 concurrent claims of one person; a person who withdrew in 2019
 * claims the contribution time of a later job; a staff rejection of the identity review ends REJECTED.
 *
 * Then the same system on 2027-01-15, when no coefficient table for claims settled in 2027 is on record: a claim
 * waits (the ASL's long retry, shortened here by retryIntervalMs) instead of failing, goes on by itself once the
 * table is deployed, and ends FAILED with the precise reason when the attempts are spent. The two systems run
 * one after the other (each sets the process's environment).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectBadRequests,
  requestBody,
  runScenario,
  scenarioNamed,
  submitScenario,
  useDemoSystem,
} from '../support/serviceScenarios';
import { insuranceRecordsOf } from '../support/insuranceRecords';
import { apiClient, startTestSystem } from '../support/localSystem';
import { SALARY_ADJUSTMENT_TABLES, type SalaryAdjustmentTable } from '../../functions/domain/rules/salaryAdjustmentCoefficients';
import type { LocalSystem } from '../../local/runtime';
import { viIssues } from '../api/validationIssues';

const PATH = '/v1/lump-sum-claims';
const CONCURRENT_CLAIMS = 24;
const STAFF_79 = 'dev-staff-79';
let system: LocalSystem;
let api: ReturnType<typeof apiClient>;

/** The person's settlement marker(s) and payment order(s) in insuranceRecords. */
const settlementItems = (personalId: string) => insuranceRecordsOf(system.tables.INSURANCE_RECORDS_TABLE, personalId);

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

describe('on the demo day (2026-11-22)', () => {
  const demo = useDemoSystem();
  beforeAll(() => {
    system = demo.system();
    api = demo.api();
  });

  describe('every LS_* demo scenario reaches its documented outcome', () => {
    it.each([
      'LS_WORKED_EXAMPLE', 'LS_UNDER_ONE_YEAR', 'LS_VOLUNTARY', 'LS_GAP_TOO_SHORT', 'LS_TWENTY_YEARS', 'LS_ALREADY_SETTLED',
      'LS_NAME_MISMATCH', 'LS_SECOND_RECORD',
    ])('%s', async (name) => {
      const s = scenarioNamed(system, name);
      const seeded = (await settlementItems(s.submit.personalId)).markers.length;
      const { applicationId, app, stop } = await runScenario(api, s);
      const { markers, orders } = await settlementItems(s.submit.personalId);
      if (stop.status === 'COMPLETED') {
        expect(app.result.amount).toBe(stop.amount);
        expect(app.result.breakdown.amount).toBe(stop.amount);
        // One marker more (beside any seeded settlement of an earlier record), under the months it paid out.
        expect(markers).toHaveLength(seeded + 1);
        const own = markers.filter((m) => m.applicationId === applicationId);
        expect(own).toEqual([
          expect.objectContaining({ amount: stop.amount, paymentOrderId: app.result.paymentOrderId, settledThrough: app.result.settledThrough }),
        ]);
        expect(own[0].recordType).toBe(`SETTLEMENT#LUMP_SUM#${app.result.settledThrough}`);
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
      // the amount explained beside it, in both languages; nothing internal in the answer
      expect(r.explanation.vi).toContain('Bình quân tiền lương tháng: 501.660.000 đồng ÷ 64 tháng = 7.838.437,5 đồng.');
      expect(r.explanation.vi).toContain('Mức hưởng: 7.838.437,5 đồng × 10 = 78.384.375 đồng.');
      expect(r.explanation.en).toContain('Amount paid: VND 78,384,375.');
      expect(r.explanation.steps.at(-1)).toEqual({ code: 'RESULT', value: 78_384_375, unit: 'VND' });
      expect(JSON.stringify(settled.body)).not.toMatch(/"verify"|\(verify\)|domain\.md|Reading of/);
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

    it('a second contribution record (LS_SECOND_RECORD): only 06/2019–05/2025 is paid, 135,040,000 VND; then nothing is left', async () => {
      const s = scenarioNamed(system, 'LS_SECOND_RECORD');
      const first = await terminal(await submitScenario(api, s));
      const { markers, orders } = await settlementItems(s.submit.personalId);
      // The 2019 settlement (through 2018-12) and this one (through 2025-05); one payment order, this one's.
      expect(markers.map((m) => [m.recordType, m.settledOn]).sort()).toEqual([
        ['SETTLEMENT#LUMP_SUM#2018-12', '2019-04-16'],
        ['SETTLEMENT#LUMP_SUM#2025-05', '2026-11-22'],
      ]);
      expect(orders).toHaveLength(1);
      const winner = markers.find((m) => m.settledThrough === '2025-05')!;
      const settled = (await api.get(`/v1/applications/${winner.applicationId}`)).body;
      expect(settled.status).toBe('COMPLETED');
      expect(settled.result).toMatchObject({ amount: 135_040_000, settledFrom: '2019-06', settledThrough: '2025-05' });
      expect(settled.result.breakdown).toMatchObject({
        totalMonths: 72,
        monthsBefore2014: 0,
        yearsFrom2014: { months: 72, wholeYears: 6, oddMonths: 0, halfYears: 12 },
        contributionRecord: { from: '2019-06', settledThrough: '2025-05', previousSettlement: { settledThrough: '2018-12', paymentOrderId: 'PO-79-2019-000412' } },
      });
      expect(settled.result.breakdown.adjustedSalaryTotal.display).toBe('810,240,000');
      expect(settled.result.breakdown.benefitMonths.display).toBe('12');
      expect(settled.result.eligibility.facts).toMatchObject({ totalMonths: 72, firstContributionMonth: '2019-06', lastContributionMonth: '2025-05' });
      expect(settled.timeline.at(-1)).toMatchObject({ event: 'SETTLED', detail: { settledFrom: '2019-06', settledThrough: '2025-05' } });
      // This claim settled it, or the data-driven run did and this one found nothing left.
      if (first.applicationId !== winner.applicationId) expect(first.reason.code).toBe('ALREADY_SETTLED');

      const again = await terminal(await submitScenario(api, s));
      expect(again.status).toBe('REJECTED');
      expect(again.reason.code).toBe('ALREADY_SETTLED');
      expect(again.reason.condition).toEqual({ code: 'NOT_SETTLED_BEFORE', params: { settledOn: '2026-11-22', paymentOrderId: settled.result.paymentOrderId } });
      expect((await settlementItems(s.submit.personalId)).orders).toHaveLength(1);
    });

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
      // The failed legal condition as a code with its dates and figures; the message ready to show in vi and en.
      expect(app.reason).toEqual({
        code: 'NOT_ELIGIBLE',
        message: {
          vi:
            'Không đủ điều kiện hưởng bảo hiểm xã hội một lần theo quy định: mới 5 tháng không đóng bảo hiểm xã hội kể từ tháng đóng cuối cùng 05/2026 ' +
            '(tính đến ngày 22/11/2026); cần đủ 12 tháng, đủ từ ngày 01/06/2027 (theo điểm đ khoản 1 Điều 70 Luật Bảo hiểm xã hội số 41/2024/QH15).',
          en:
            'The conditions for a lump-sum social-insurance withdrawal are not met: only 5 months without contributions since the last contribution month, ' +
            'May 2026 (as of 22 November 2026); 12 months are required, met from 1 June 2027 (under Law 41/2024/QH15 Art. 70(1)(đ)).',
        },
        condition: {
          code: 'MONTHS_WITHOUT_CONTRIBUTIONS',
          params: {
            law: 'LAW_41_2024',
            case: 'ONE_YEAR_GAP',
            applicationDate: '2026-11-22',
            lastContributionMonth: '2026-05',
            monthsWithoutContributions: 5,
            requiredMonths: 12,
            eligibleFrom: '2027-06-01',
          },
        },
      });
    });
  });

  describe('identity review: a staff rejection (LS_NAME_MISMATCH)', () => {
    it('REJECT with a reason ends REJECTED with the reviewed reason code and the officer\'s reason as the detail; nothing is paid', async () => {
      const s = scenarioNamed(system, 'LS_NAME_MISMATCH');
      const before = await settlementItems(s.submit.personalId);
      const applicationId = await submitScenario(api, s);
      await api.waitForStatus(applicationId, 'IN_REVIEW');
      let item: { itemId: string; reasonCode: string; service: string; status: string } | undefined;
      for (const deadline = Date.now() + 10_000; !item && Date.now() < deadline; ) {
        const listed = await api.get('/v1/review-items?status=OPEN&service=LUMP_SUM_WITHDRAWAL', STAFF_79);
        expect(listed.status, JSON.stringify(listed.body)).toBe(200);
        item = listed.body.items.find((i: { applicationId: string }) => i.applicationId === applicationId);
        if (!item) await new Promise((r) => setTimeout(r, 50));
      }
      expect(item).toMatchObject({ service: 'LUMP_SUM_WITHDRAWAL', reasonCode: 'NAME_MISMATCH', status: 'OPEN' });
      expect((await api.post(`/v1/review-items/${item!.itemId}/claim`, {}, STAFF_79)).status).toBe(200);
      const noReason = await api.post(`/v1/review-items/${item!.itemId}/resolve`, { decision: 'REJECT' }, STAFF_79);
      expect(noReason.status).toBe(400);
      const reasonText = 'Tên trên CCCD bản gốc là Mạc Văn Được, khác người có số định danh này trong CSDL quốc gia về dân cư';
      const rejected = await api.post(`/v1/review-items/${item!.itemId}/resolve`, { decision: 'REJECT', reason: reasonText }, STAFF_79);
      expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);

      const app = await api.waitForStatus(applicationId, 'REJECTED');
      // The shared RecordRejection (as every service): the reason reviewed, with the officer's text.
      expect(app.reason).toEqual({
        code: 'NAME_MISMATCH',
        message: {
          vi: 'Họ và tên kê khai không khớp với cơ sở dữ liệu quốc gia về dân cư',
          en: 'The declared full name does not match the national population database',
        },
        note: reasonText,
      });
      expect(app.result).toBeUndefined();
      const statuses = app.timeline.map((t: { status?: string }) => t.status).filter(Boolean);
      expect(statuses).toEqual(expect.arrayContaining(['RECEIVED', 'VERIFYING', 'IN_REVIEW', 'REJECTED']));
      expect(statuses).not.toContain('COMPLETED');
      const after = await settlementItems(s.submit.personalId);
      expect(after.markers).toHaveLength(before.markers.length);
      expect(after.orders).toHaveLength(before.orders.length);
      const view = await api.get(`/v1/review-items/${item!.itemId}`, STAFF_79);
      expect(view.body).toMatchObject({ status: 'REJECTED', decision: { decision: 'REJECT', reason: reasonText } });
      expect((await api.post(`/v1/review-items/${item!.itemId}/resolve`, { decision: 'APPROVE' }, STAFF_79)).status).toBe(409);
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
      const invalid = await api.post(PATH, { ...body(), bankAccount: { bankCode: 'VCB', accountNumber: '0071000123456' }, dateOfBirth: '2030-01-01' });
      expect(viIssues(invalid.body)).toEqual([
        { path: 'dateOfBirth', code: 'custom', messageVi: 'Ngày sinh không được sau ngày hiện tại' },
        { path: 'bankAccount.bankCode', code: 'invalid_format', messageVi: 'Mã ngân hàng phải là mã BIN NAPAS gồm 6 chữ số, ví dụ 970436' },
      ]);
      const badKey = await api.post(PATH, body(), undefined, { 'idempotency-key': 'with space' });
      expect(badKey.status).toBe(400);
      expect(badKey.body.code).toBe('INVALID_IDEMPOTENCY_KEY');
    });
  });
});

describe('from 2027-01-01, before the 2027 coefficient table is deployed (no table on record)', () => {
  const NOW_2027 = '2027-01-15T09:00:00+07:00';
  /** Every Retry interval of the local engine: 90 rule-data retries take ~90 × this. */
  const RETRY_INTERVAL_MS = 30;

  beforeAll(async () => {
    system = await startTestSystem({ now: NOW_2027, retryIntervalMs: RETRY_INTERVAL_MS });
    api = apiClient(system.apiUrl);
  }, 90_000);
  afterAll(async () => {
    await system?.stop();
  });

  const executionOf = (applicationId: string) =>
    system.engine.listExecutions(system.stateMachineArn('LumpSumWithdrawal')).find((e) => e.name === applicationId)!;
  const ruleDataRetries = (applicationId: string) =>
    system.engine
      .getExecutionHistory(executionOf(applicationId).executionArn)
      .filter((e) => e.type === 'StateRetried' && e.state.name === 'ComputeAmount').length;

  /** Polls until the claim records that it waits for rule data; checks it has not ended meanwhile. */
  async function waitingFor(applicationId: string) {
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
      const app = (await api.get(`/v1/applications/${applicationId}`)).body;
      expect(['COMPLETED', 'REJECTED', 'EXPIRED', 'FAILED'], JSON.stringify(app)).not.toContain(app.status);
      const event = app.timeline.find((t: { event: string }) => t.event === 'WAITING_FOR_RULE_DATA');
      if (event) return { app, event };
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`${applicationId} never recorded WAITING_FOR_RULE_DATA`);
  }

  it('waits instead of failing, then ends FAILED RULE_DATA_UNAVAILABLE naming the table and the year once the attempts are spent', async () => {
    const applicationId = await submitScenario(api, scenarioNamed(system, 'LS_WORKED_EXAMPLE'));
    const { app, event } = await waitingFor(applicationId);
    // The public status says what the claim waits for and by when it is expected (not VERIFYING).
    expect(app.status).toBe('WAITING_FOR_RULE_DATA');
    expect(event.status).toBe('WAITING_FOR_RULE_DATA');
    expect(event.detail).toMatchObject({ settlementYear: 2027, expectedBy: '2027-02-28', missing: { en: 'no salary adjustment coefficient table for claims settled in 2027' } });
    expect(app.waitingForRuleData).toMatchObject({
      settlementYear: 2027,
      expectedBy: '2027-02-28',
      missing: { vi: 'Chưa có hệ số điều chỉnh tiền lương cho hồ sơ giải quyết năm 2027' },
    });
    // Still waiting a little later: retried, not failed.
    await new Promise((r) => setTimeout(r, 10 * RETRY_INTERVAL_MS));
    expect((await api.get(`/v1/applications/${applicationId}`)).body.status).toBe('WAITING_FOR_RULE_DATA');
    expect(ruleDataRetries(applicationId)).toBeGreaterThan(0);

    const ended = await terminal(applicationId, 60_000);
    expect(ended.status).toBe('FAILED');
    expect(ended.waitingForRuleData).toBeUndefined();
    expect(ended.reason.code).toBe('RULE_DATA_UNAVAILABLE');
    expect(ended.reason.message.vi).toMatch(/^Chưa có dữ liệu quy định cần để tính mức hưởng bảo hiểm xã hội một lần: /);
    expect(ended.reason.message.en).toMatch(/^The legal data needed to compute the lump sum has not been published yet: /);
    expect(ended.reason.message.vi).toContain('cho hồ sơ giải quyết năm 2027 chưa được ban hành; hồ sơ đã chờ từ ngày 15/01/2027 đến ngày 15/01/2027');
    expect(ended.reason.message.en).toContain('the salary-adjustment coefficients for claims settled in 2027 have not been published');
    expect(ended.reason.message.en).toContain('from 15 January 2027 to 15 January 2027');
    expect(ended.reason.condition).toMatchObject({ code: 'RULE_DATA_PUBLISHED', params: { settlementYear: 2027 } });
    expect(JSON.stringify(ended.reason)).not.toMatch(/WORKFLOW_ERROR|system error/i);
    // Exactly one waiting event, then the outcome; every retry of the ASL was spent first (MaxAttempts 90).
    expect(ended.timeline.filter((t: { event: string }) => t.event === 'WAITING_FOR_RULE_DATA')).toHaveLength(1);
    expect(ended.timeline.filter((t: { status?: string }) => t.status === 'FAILED')).toHaveLength(1);
    expect(ruleDataRetries(applicationId)).toBe(90);
    const execution = await system.engine.waitForExecution(executionOf(applicationId).executionArn);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'ApplicationFailed' });
    expect((await settlementItems('079189000601')).orders).toHaveLength(0);
  }, 90_000);

  it('goes on by itself once the table is deployed (a test stand-in for the 2027 table) and settles', async () => {
    const s = scenarioNamed(system, 'LS_SECOND_RECORD');
    const applicationId = await submitScenario(api, s);
    await waitingFor(applicationId);
    // "Deploy" the 2027 table while the claim waits: a copy of the 2026 coefficients plus 2027 at 1.00. Test data
    // only (no 2027 table is published); the handlers run in this process, so they see it at the next retry.
    const tables = SALARY_ADJUSTMENT_TABLES as Record<number, SalaryAdjustmentTable>;
    tables[2027] = {
      ...tables[2026],
      settlementYear: 2027,
      instrument: 'TEST STAND-IN for the 2027 table (copy of the 2026 coefficients)',
      byYear: { ...tables[2026].byYear, 2027: '1.00' },
    };
    try {
      const done = await terminal(applicationId, 60_000);
      expect(done.status, JSON.stringify(done.reason)).toBe('COMPLETED');
      expect(done.waitingForRuleData).toBeUndefined();
      expect(done.result).toMatchObject({ amount: 135_040_000, settledOn: '2027-01-15', settledThrough: '2025-05' });
      expect(done.result.breakdown.coefficientTable).toMatchObject({ settlementYear: 2027 });
      const events = done.timeline.map((t: { event: string }) => t.event);
      expect(events.indexOf('WAITING_FOR_RULE_DATA')).toBeLessThan(events.indexOf('SETTLED'));
      expect(ruleDataRetries(applicationId)).toBeLessThan(90);
      const { markers, orders } = await settlementItems(s.submit.personalId);
      expect(markers.map((m) => m.recordType).sort()).toEqual(['SETTLEMENT#LUMP_SUM#2018-12', 'SETTLEMENT#LUMP_SUM#2025-05']);
      expect(orders).toEqual([expect.objectContaining({ applicationId, amount: 135_040_000 })]);
    } finally {
      delete tables[2027];
    }
  }, 90_000);
});

describe('a claim filed on 2025-06-15, under Law 58/2014, settled in 2025 (Circular 01/2025 on record)', () => {
  beforeAll(async () => {
    system = await startTestSystem({ now: '2025-06-15T10:00:00+07:00' });
    api = apiClient(system.apiUrl);
  }, 90_000);
  afterAll(async () => {
    await system?.stop();
  });

  it('completes by itself with the amount of the 2025 table, to the đồng', async () => {
    const s = scenarioNamed(system, 'LS_WORKED_EXAMPLE');
    const applicationId = await submitScenario(api, s);
    const done = await terminal(applicationId, 60_000);
    expect(done.status, JSON.stringify(done.reason)).toBe('COMPLETED');
    // 485,840,000 adjusted (2011 ×1.60, 2012 ×1.47, 2013 ×1.37, 2014 ×1.32, 2015 ×1.31, 2016 ×1.28) ÷ 64 = 7,591,250; × 10 months
    expect(done.result).toMatchObject({ amount: 75_912_500, settledOn: '2025-06-15' });
    expect(done.result.breakdown).toMatchObject({
      settlementYear: 2025,
      coefficientTable: { settlementYear: 2025, instrument: 'Circular 01/2025/TT-BLĐTBXH' },
      law: { id: 'LAW_58_2014' },
    });
    expect(done.timeline.map((t: { event: string }) => t.event)).not.toContain('WAITING_FOR_RULE_DATA');
    const { orders } = await settlementItems(s.submit.personalId);
    expect(orders).toEqual([expect.objectContaining({ applicationId, amount: 75_912_500 })]);
  });
});
