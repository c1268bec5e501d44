/**
 * The household renewal end to end, as a portal and provincial staff use it: the whole local system
 * (DynamoDB Local, registry simulator, the real ASL on the local Step Functions engine, the real handlers
 * behind the local API server), driven over HTTP. Every demo scenario of local/seed/demo.json runs; its
 * expected outcome is asserted to the đồng, and the items written to DynamoDB are checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startTestSystem, apiClient } from '../support/localSystem';
import { dynamo } from '../../functions/adapters/dynamo';
import { applicationsRepository } from '../../functions/adapters/applicationsRepository';
import { decodeQuote, paymentsRepository } from '../../functions/adapters/paymentsRepository';
import { stepFunctions } from '../../functions/adapters/stepFunctions';
import type { LocalSystem } from '../../local/runtime';
import { viIssues } from '../api/validationIssues';

let system: LocalSystem;
let api: ReturnType<typeof apiClient>;
const STAFF_79 = 'dev-staff-79';
const STAFF_79_B = 'dev-supervisor-79';
const STAFF_01 = 'dev-staff-01';

beforeAll(async () => {
  system = await startTestSystem({ now: '2026-11-22T09:00:00+07:00' });
  api = apiClient(system.apiUrl);
}, 90_000);

afterAll(async () => {
  await system?.stop();
});

/** The quoted members of an application (unmasked ids), from the quote stored in its payment request. */
async function storedQuoteMembers(applicationId: string) {
  const app = await applicationsRepository.get(applicationId);
  const request = await paymentsRepository.getRequest(app!.paymentRequestId!);
  return (decodeQuote(request!).quote as { members: { personalId: string; cardExpiresOn: string }[] }).members;
}

/** Waits until the application's execution has ended with `status`. */
async function waitForExecution(applicationId: string, status: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let seen = 'MISSING';
  while (Date.now() < deadline) {
    const e = system.engine.listExecutions(system.stateMachineArn('HouseholdRenewal')).find((x: any) => x.name === applicationId) as any;
    seen = e?.status ?? 'MISSING';
    if (seen === status) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`execution of ${applicationId} did not reach ${status}; last seen ${seen}`);
}

function scenario(name: string) {
  const s = system.seed.scenarios?.find((x) => x.name === name);
  if (!s) throw new Error(`demo scenario ${name} missing`);
  const { periodMonths, ...head } = s.submit;
  return { ...s, body: { head, periodMonths } };
}

async function submit(name: string, headers: Record<string, string> = {}) {
  const s = scenario(name);
  const res = await api.post('/v1/household-renewals', s.body, undefined, headers);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  expect(res.body.status).toBe('VERIFYING');
  return res.body.applicationId as string;
}

async function openItemFor(applicationId: string, token = STAFF_79) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const list = await api.get('/v1/review-items?status=OPEN', token);
    expect(list.status).toBe(200);
    const item = list.body.items.find((i: any) => i.applicationId === applicationId);
    if (item) return item;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no open review item for ${applicationId}`);
}

async function approve(itemId: string, corrections: Record<string, unknown> = {}, token = STAFF_79) {
  const claim = await api.post(`/v1/review-items/${itemId}/claim`, {}, token);
  expect(claim.status, JSON.stringify(claim.body)).toBe(200);
  const resolve = await api.post(
    `/v1/review-items/${itemId}/resolve`,
    { decision: 'APPROVE', corrections, evidenceNote: 'Đã xác minh với Công an tỉnh qua điện thoại' },
    token,
  );
  expect(resolve.status, JSON.stringify(resolve.body)).toBe(200);
  return resolve.body;
}

function expectQuote(app: any, outcome: { billableMembers?: number; excludedMembers?: number; total?: number }) {
  if (outcome.total !== undefined) expect(app.quote.total).toBe(outcome.total);
  if (outcome.billableMembers !== undefined) expect(app.quote.members).toHaveLength(outcome.billableMembers);
  if (outcome.excludedMembers !== undefined) expect(app.quote.excluded).toHaveLength(outcome.excludedMembers);
  // amounts add up to the đồng
  const sum = app.quote.members.reduce((acc: number, m: any) => acc + m.periodAmount, 0);
  expect(sum).toBe(app.quote.total);
  expect(app.quote.baseSalary).toBe(2_530_000);
}

describe('every demo scenario reaches its documented outcome', () => {
  it.each([
    'CLEAN', 'WORKED_EXAMPLE', 'LARGE', 'NAME_DIACRITICS', 'HEAD_NOT_FOUND', 'ADDRESS_MISMATCH',
    'CHILD_UNDER_6_UNREGISTERED', 'NAME_MISMATCH', 'ID_DOB_INCONSISTENT', 'HOUSEHOLD_NOT_FOUND', 'NO_BILLABLE_MEMBERS',
  ])('%s', async (name) => {
    const s = scenario(name);
    const outcome = s.outcome as any;
    const applicationId = await submit(name);
    const app = await api.waitForStatus(applicationId, outcome.status);
    if (outcome.status === 'AWAITING_PAYMENT') expectQuote(app, outcome);
    if (outcome.status === 'REJECTED') expect(app.reason.code).toBe(outcome.reasonCode);
    if (outcome.status === 'IN_REVIEW') {
      const item = await openItemFor(applicationId);
      expect(item.reasonCode).toBe(outcome.reasonCode);
      if (outcome.afterApproval) {
        await approve(item.itemId, outcome.afterApproval.corrections);
        const after = await api.waitForStatus(applicationId, outcome.afterApproval.status);
        expectQuote(after, outcome.afterApproval);
      }
    }
  });
});

describe('payment completes the renewal', () => {
  it('extends every member card in DynamoDB and completes, refusing a bad signature or amount', async () => {
    const applicationId = await submit('WORKED_EXAMPLE');
    const app = await api.waitForStatus(applicationId, 'AWAITING_PAYMENT');
    expect(app.quote.total).toBe(3_825_360);
    expect(app.quote.members.map((m: any) => m.monthlyAmount)).toEqual([113_850, 79_695, 68_310, 56_925]);
    expect(app.quote.members.map((m: any) => m.periodAmount)).toEqual([1_366_200, 956_340, 819_720, 683_100]);
    // each member's amount explained beside it; nothing internal in the answer
    expect(app.quote.members[1].explanation.vi).toMatch(
      /^.+ là người thứ 2 của hộ cùng đóng nên đóng 70 % mức đóng của người thứ nhất: 2\.530\.000 đồng .* = 79\.695 đồng mỗi tháng; 79\.695 đồng × 12 tháng = 956\.340 đồng\.$/,
    );
    expect(app.quote.members[1].explanation.en).toContain('= VND 79,695 a month; VND 79,695 × 12 months = VND 956,340.');
    expect(app.quote.explanation.vi).toBe('Tổng số tiền đóng cho 4 người trong 12 tháng: 1.366.200 + 956.340 + 819.720 + 683.100 = 3.825.360 đồng.');
    expect(JSON.stringify(app)).not.toMatch(/"verify"|\(verify\)|domain\.md|Reading of/);
    expect(app.quote.excluded.map((m: any) => m.reason)).toEqual(['COVERED_BY_EMPLOYER']);

    expect(app.paymentRequest).toMatchObject({ amount: 3_825_360, status: 'OPEN', dueAt: app.paymentDueAt });
    expect(app.paymentRequest.paymentRequestId).toMatch(/^PR-[0-9A-HJKMNP-TV-Z]{26}$/);
    const wrongAmount = await api.payApplication(applicationId, 'PAY-1', { amount: 3_825_359 });
    expect(wrongAmount.status).toBe(422);
    expect(wrongAmount.body.code).toBe('AMOUNT_MISMATCH');
    const badSignature = await api.payApplication(applicationId, 'PAY-1', { secret: 'not-the-secret' });
    expect(badSignature.status).toBe(401);
    expect((await api.get(`/v1/applications/${applicationId}`)).body.status).toBe('AWAITING_PAYMENT');

    const paid = await api.payApplication(applicationId, 'PAY-1');
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    const done = await api.waitForStatus(applicationId, 'COMPLETED');
    expect(done.result.amountPaid).toBe(3_825_360);
    expect(done.timeline.map((t: any) => t.status).filter(Boolean)).toEqual(
      expect.arrayContaining(['RECEIVED', 'VERIFYING', 'AWAITING_PAYMENT', 'COMPLETED']),
    );

    // Every billable member's card now runs on from its old expiry (2026-12-31) for 12 months.
    const stored = await dynamo().send(new GetCommand({ TableName: system.tables.APPLICATIONS_TABLE, Key: { applicationId } }));
    const memberIds = (await storedQuoteMembers(applicationId)).map((m) => m.personalId);
    expect(memberIds).toHaveLength(4);
    for (const personalId of memberIds) {
      const card = await dynamo().send(
        new GetCommand({ TableName: system.tables.INSURANCE_RECORDS_TABLE, Key: { personalId, recordType: 'HEALTH_CARD' } }),
      );
      expect(card.Item).toMatchObject({ coverageGroup: 'HOUSEHOLD', validFrom: '2027-01-01', expiresOn: '2027-12-31' });
    }
    expect(stored.Item!.paymentTaskToken).toBeUndefined();

    expect(done.paymentRequest).toMatchObject({ status: 'PAID', amount: 3_825_360 });

    // The gateway retrying its callback changes nothing.
    const again = await api.pay({ paymentRequestId: app.paymentRequest.paymentRequestId, gatewayReference: 'PAY-1', amount: 3_825_360 });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ outcome: 'APPLIED', status: 'COMPLETED', applicationId });
  });
});

describe('review queue', () => {
  it("is scoped to the staff member's province", async () => {
    const applicationId = await submit('HEAD_NOT_FOUND');
    await api.waitForStatus(applicationId, 'IN_REVIEW');
    const item = await openItemFor(applicationId);
    const otherList = await api.get('/v1/review-items', STAFF_01);
    expect(otherList.status).toBe(200);
    expect(otherList.body.items.map((i: any) => i.itemId)).not.toContain(item.itemId);
    expect((await api.get(`/v1/review-items/${item.itemId}`, STAFF_01)).status).toBe(403);
    expect((await api.post(`/v1/review-items/${item.itemId}/claim`, {}, STAFF_01)).status).toBe(403);
    expect((await api.get(`/v1/review-items/${item.itemId}`)).status).toBe(401);
    const view = await api.get(`/v1/review-items/${item.itemId}`, STAFF_79);
    expect(view.status).toBe(200);
    expect(JSON.stringify(view.body)).not.toMatch(/taskToken/i);
    expect(JSON.stringify(view.body)).not.toContain('036075006138');
  });

  it('lets one staff member claim at a time; the other gets 409', async () => {
    const applicationId = await submit('NAME_MISMATCH');
    await api.waitForStatus(applicationId, 'IN_REVIEW');
    const item = await openItemFor(applicationId);
    const [a, b] = await Promise.all([
      api.post(`/v1/review-items/${item.itemId}/claim`, {}, STAFF_79),
      api.post(`/v1/review-items/${item.itemId}/claim`, {}, STAFF_79_B),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? STAFF_79 : STAFF_79_B;
    const stolen = await api.post(`/v1/review-items/${item.itemId}/resolve`, { decision: 'REJECT', reason: 'x' }, loser);
    expect(stolen.status).toBe(409);
  });

  it('a rejection ends the application REJECTED with the reason', async () => {
    const applicationId = await submit('ADDRESS_MISMATCH');
    await api.waitForStatus(applicationId, 'IN_REVIEW');
    const item = await openItemFor(applicationId);
    expect((await api.post(`/v1/review-items/${item.itemId}/claim`, {}, STAFF_79)).status).toBe(200);
    const noReason = await api.post(`/v1/review-items/${item.itemId}/resolve`, { decision: 'REJECT' }, STAFF_79);
    expect(noReason.status).toBe(400);
    const rejected = await api.post(
      `/v1/review-items/${item.itemId}/resolve`,
      { decision: 'REJECT', reason: 'Con trai đã chuyển hộ khẩu sang hộ khác' },
      STAFF_79,
    );
    expect(rejected.status).toBe(200);
    const app = await api.waitForStatus(applicationId, 'REJECTED');
    expect(app.reason.code).toBe('ADDRESS_MISMATCH');
    expect(app.reason.note).toBe('Con trai đã chuyển hộ khẩu sang hộ khác');
    expect(app.reason.message.vi).toBe('Các thành viên kê khai không cùng địa chỉ thường trú hoặc tạm trú');
    const again = await api.post(`/v1/review-items/${item.itemId}/resolve`, { decision: 'APPROVE' }, STAFF_79);
    expect(again.status).toBe(409);
  });

  it('routes a registry that does not answer to review, and resumes once approved', async () => {
    const applicationId = await submit('REGISTRY_TIMEOUT');
    await api.waitForStatus(applicationId, 'IN_REVIEW', 20_000);
    const item = await openItemFor(applicationId);
    expect(item.reasonCode).toBe('REGISTRY_UNAVAILABLE');
    system.setRegistryFaults({ timeoutIds: [] });
    await approve(item.itemId);
    const app = await api.waitForStatus(applicationId, 'AWAITING_PAYMENT');
    expect(app.quote.total).toBe(2_322_540);
  });
});

describe('deadlines', () => {
  it('a review not decided in time ends EXPIRED and closes the item', async () => {
    process.env.REVIEW_TIMEOUT_SECONDS = '1';
    try {
      const applicationId = await submit('HOUSEHOLD_NOT_FOUND');
      const app = await api.waitForStatus(applicationId, 'EXPIRED', 10_000);
      expect(app.reason.code).toBe('REVIEW_DEADLINE_PASSED');
      const items = await dynamo().send(new ScanCommand({ TableName: system.tables.REVIEW_ITEMS_TABLE }));
      const item = items.Items!.find((i) => i.applicationId === applicationId && i.sk === 'ITEM');
      expect(item?.status).toBe('EXPIRED');
    } finally {
      delete process.env.REVIEW_TIMEOUT_SECONDS;
    }
  });

  it('a quote not paid in time ends EXPIRED and renews nothing', async () => {
    process.env.PAYMENT_TIMEOUT_SECONDS = '1';
    try {
      const applicationId = await submit('LARGE');
      const app = await api.waitForStatus(applicationId, 'EXPIRED', 10_000);
      expect(app.reason.code).toBe('PAYMENT_NOT_RECEIVED');
      expect(app.paymentRequest.status).toBe('CLOSED');
      const late = await api.payApplication(applicationId, 'PAY-LATE');
      expect(late.status).toBe(409);
      expect(late.body).toMatchObject({ code: 'PAYMENT_DEADLINE_PASSED', details: { refundDue: true, amount: app.paymentRequest.amount } });
    } finally {
      delete process.env.PAYMENT_TIMEOUT_SECONDS;
    }
  });

  it('paid just before the wait timed out (its SendTaskSuccess lost): the callback already completed it, the timeout expires nothing', async () => {
    process.env.PAYMENT_TIMEOUT_SECONDS = '2';
    // The payment gateway's callback reaches us, but the SendTaskSuccess that ends the wait is lost on the way.
    let lost = 0;
    const dropResume = (next: any, context: any) => async (args: any) => {
      if (context.commandName === 'SendTaskSuccessCommand') {
        lost++;
        throw Object.assign(new Error('connection reset'), { name: 'ServiceUnavailable', $fault: 'server' });
      }
      return next(args);
    };
    stepFunctions().middlewareStack.add(dropResume, { step: 'initialize', name: 'dropResume' });
    try {
      const applicationId = await submit('CLEAN');
      await api.waitForStatus(applicationId, 'AWAITING_PAYMENT', 10_000);
      const paid = await api.payApplication(applicationId, 'PAY-LOST-RESUME');
      expect(paid.status, JSON.stringify(paid.body)).toBe(202);
      expect(paid.body).toMatchObject({ outcome: 'APPLIED', status: 'COMPLETED', workflowResumed: false });
      expect(lost).toBeGreaterThan(0);
      // The wait times out; RecordOutcome(unlessPaid) finds the application COMPLETED and expires nothing.
      await waitForExecution(applicationId, 'SUCCEEDED');
      const app = (await api.get(`/v1/applications/${applicationId}`)).body;
      expect(app.status).toBe('COMPLETED');
      expect(app.result).toMatchObject({ paymentReference: 'PAY-LOST-RESUME', amountPaid: 2_322_540 });
      expect(app.timeline.map((t: { event: string }) => t.event)).not.toContain('OUTCOME_RECORDED');
      const members = await storedQuoteMembers(applicationId);
      expect(members).toHaveLength(2);
      for (const m of members) {
        const card = await dynamo().send(
          new GetCommand({ TableName: system.tables.INSURANCE_RECORDS_TABLE, Key: { personalId: m.personalId, recordType: 'HEALTH_CARD' } }),
        );
        expect(card.Item!.expiresOn).toBe(m.cardExpiresOn);
        expect(card.Item!.renewedByApplicationId).toBe(applicationId);
      }
    } finally {
      stepFunctions().middlewareStack.remove('dropResume');
      delete process.env.PAYMENT_TIMEOUT_SECONDS;
    }
  });
});

describe('public API contract', () => {
  it('the same Idempotency-Key twice yields one application', async () => {
    const key = `idem-${Date.now()}`;
    const first = await api.post('/v1/household-renewals', scenario('CLEAN').body, undefined, { 'idempotency-key': key });
    const second = await api.post('/v1/household-renewals', scenario('CLEAN').body, undefined, { 'idempotency-key': key });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.applicationId).toBe(first.body.applicationId);
    const all = await dynamo().send(new ScanCommand({ TableName: system.tables.APPLICATIONS_TABLE }));
    expect(all.Items!.filter((i) => i.applicationId === first.body.applicationId)).toHaveLength(1);
    expect(system.engine.listExecutions(system.stateMachineArn('HouseholdRenewal')).filter((e: any) => e.name === first.body.applicationId)).toHaveLength(1);
  });

  it('malformed or invalid bodies get 400 with a Vietnamese and an English message', async () => {
    const malformed = await api.post('/v1/household-renewals', '{"head": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('MALFORMED_JSON');
    expect(malformed.body.message.vi).toBeTruthy();
    expect(malformed.body.message.en).toBeTruthy();
    const invalid = await api.post('/v1/household-renewals', { head: { personalId: '123', fullName: '', dateOfBirth: '1990-02-30' }, periodMonths: 5 });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('VALIDATION_FAILED');
    expect(invalid.body.message.vi).toBeTruthy();
    expect(invalid.body.message.en).toBeTruthy();
    // Each issue: English message as before, plus messageVi and a machine code.
    expect(viIssues(invalid.body)).toEqual([
      { path: 'head.personalId', code: 'custom', messageVi: 'Số định danh cá nhân phải gồm 12 chữ số' },
      { path: 'head.fullName', code: 'too_small', messageVi: 'Họ và tên không được để trống' },
      { path: 'head.dateOfBirth', code: 'custom', messageVi: 'Ngày sinh phải là ngày có thật theo định dạng YYYY-MM-DD' },
      { path: 'periodMonths', code: 'invalid_union', messageVi: 'Kỳ hạn đóng phải là 3, 6 hoặc 12 tháng' },
    ]);
    expect(invalid.body.details.issues[0].message).toBe('personalId must be 12 digits');
    expect((await api.get('/v1/applications/HR-DOESNOTEXIST00000000000000')).status).toBe(404);
  });

  it('a quote prices without side effects', async () => {
    const before = await dynamo().send(new ScanCommand({ TableName: system.tables.APPLICATIONS_TABLE, Select: 'COUNT' }));
    const quote = await api.post('/v1/household-renewals/quote', scenario('WORKED_EXAMPLE').body);
    expect(quote.status, JSON.stringify(quote.body)).toBe(200);
    expect(quote.body.total).toBe(3_825_360);
    const after = await dynamo().send(new ScanCommand({ TableName: system.tables.APPLICATIONS_TABLE, Select: 'COUNT' }));
    expect(after.Count).toBe(before.Count);
  });
});
