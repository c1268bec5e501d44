/**
 * The unemployment-insurance contribution history end to end, as an employment service centre and provincial
 * staff use it: the whole local system (DynamoDB Local, registry simulator, the real ASL on the local Step
 * Functions engine — with the shared identity-verification workflow nested — and the real handlers behind the
 * local API server), driven over HTTP. Every UI_* demo scenario runs and its documented outcome is asserted to
 * the đồng.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  expectBadRequests,
  requestBody,
  runScenario,
  scenarioNamed,
  scenariosOf,
  submitScenario,
  useDemoSystem,
} from '../support/serviceScenarios';
import type { LocalSystem } from '../../local/runtime';
import { viIssues } from '../api/validationIssues';
import type { SeedScenario } from '../../local/seed/seedFormat';

const demo = useDemoSystem();
const PATH = '/v1/unemployment-history-requests';
let system: LocalSystem;
let api: ReturnType<typeof demo.api>;

beforeAll(() => {
  system = demo.system();
  api = demo.api();
});

/** The confirmation matches the scenario's stated figures. */
function expectConfirmation(app: any, stop: Omit<NonNullable<SeedScenario['outcome']>, 'afterApproval'>) {
  const r = app.result;
  if (stop.law !== undefined) expect(r.law.id).toBe(stop.law);
  if (stop.eligible !== undefined) expect(r.eligible).toBe(stop.eligible);
  if (stop.totalUiMonths !== undefined) expect(r.totalUiMonths).toBe(stop.totalUiMonths);
  if (stop.monthsWithinWindow !== undefined) expect(r.monthsWithinWindow).toBe(stop.monthsWithinWindow);
  if (stop.estimatedMonthlyBenefit !== undefined) expect(r.estimatedMonthlyBenefit).toBe(stop.estimatedMonthlyBenefit);
  if (stop.capApplied !== undefined) expect(r.benefitCalculation.capApplied).toBe(stop.capApplied);
  if (stop.benefitDurationMonths !== undefined) expect(r.benefitDurationMonths).toBe(stop.benefitDurationMonths);
  if (stop.reservedMonths !== undefined) expect(r.reservedMonths).toBe(stop.reservedMonths);
  // Every rule parameter names its instrument.
  for (const basis of r.legalBasis) expect(basis.instrument).toMatch(/\S/);
  // Eligible or not, the reason is given in both languages.
  expect(r.reasonCode === 'ELIGIBLE').toBe(r.eligible);
  expect(r.reason.code).toBe(r.reasonCode);
  expect(r.reason.message.vi).toBeTruthy();
  expect(r.reason.message.en).toBeTruthy();
  if (r.reasonCode !== 'CONTRACT_NOT_COVERED') {
    expect(r.reason.condition).toMatchObject({ code: 'UI_MONTHS_IN_WINDOW', params: { monthsWithinWindow: r.monthsWithinWindow, windowMonths: r.window.months } });
  }
}

describe('every UI_* demo scenario reaches its documented outcome', () => {
  it('the demo has a scenario per path', () => {
    const names = scenariosOf(system, 'UNEMPLOYMENT_HISTORY').map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining(['UI_WORKED_EXAMPLE', 'UI_CAPPED', 'UI_LAW_2013', 'UI_NOT_ELIGIBLE', 'UI_EMPLOYER_NOT_CLOSED', 'UI_EMPLOYER_OWES', 'UI_NAME_MISMATCH']),
    );
  });

  it.each([
    'UI_WORKED_EXAMPLE', 'UI_CAPPED', 'UI_LAW_2013', 'UI_SHORT_CONTRACT', 'UI_NOT_ELIGIBLE', 'UI_EMPLOYER_NOT_CLOSED',
    'UI_EMPLOYER_OWES', 'UI_NAME_MISMATCH',
  ])('%s', async (name) => {
    const { app, stop } = await runScenario(api, scenarioNamed(system, name));
    if (stop.status === 'COMPLETED') expectConfirmation(app, stop);
  });
});

describe('the confirmation', () => {
  it('worked example: periods, window, 12,000,000 × 4 months, 2 reserved, cap and law with their instruments', async () => {
    const applicationId = await submitScenario(api, scenarioNamed(system, 'UI_WORKED_EXAMPLE'));
    const app = await api.waitForStatus(applicationId, 'COMPLETED');
    const r = app.result;
    expect(r.confirmedUiPeriods.map((p: any) => [p.employerCode, p.from, p.to, p.monthlySalary, p.region, p.countedMonths])).toEqual([
      ['CTY-AN-PHAT', '2022-05', '2024-12', 15_000_000, 'I', 32],
      ['CTY-BINH-MINH', '2025-01', '2026-06', 20_000_000, 'I', 18],
    ]);
    expect(r.window).toEqual({ months: 24, from: '2024-07', to: '2026-06' });
    expect(r.reasonCode).toBe('ELIGIBLE');
    expect(r.benefitCalculation.averageMonthlySalary.display).toBe('20,000,000');
    expect(r.benefitCalculation.cap).toMatchObject({ region: 'I', regionalMinimumWage: 5_310_000, amount: 26_550_000, instrument: 'Decree 293/2025/NĐ-CP' });
    expect(r.estimatedMonthlyBenefit).toBe(12_000_000);
    // the benefit explained beside it; nothing internal in the answer
    expect(r.explanation.vi).toContain('Mức hưởng hằng tháng bằng 60 % mức bình quân (Điều 39 Luật Việc làm số 74/2025/QH15): 20.000.000 đồng × 60 % = 12.000.000 đồng.');
    expect(r.explanation.vi).toContain('Trợ cấp thất nghiệp ước tính: 12.000.000 đồng mỗi tháng.');
    expect(r.explanation.en).toContain('This is below the cap of 5 × VND 5,310,000');
    expect(r.explanation.steps.find((s: any) => s.code === 'RESULT')).toEqual({ code: 'RESULT', value: 12_000_000, unit: 'VND' });
    expect(JSON.stringify(app)).not.toMatch(/"verify"|\(verify\)|domain\.md|Reading of/);
    expect([r.benefitDurationMonths, r.usedMonths, r.reservedMonths]).toEqual([4, 48, 2]);
    expect(r.law).toMatchObject({ id: 'LAW_74_2025', instrument: 'Law on Employment 74/2025/QH15' });
    expect(r.lastEmployer).toEqual({ code: 'CTY-BINH-MINH', name: 'Công ty Cổ phần Bình Minh' });
    expect(r.requestingCentre).toBe('Trung tâm Dịch vụ việc làm Thành phố Hồ Chí Minh');
    // Public view: no full personal ID anywhere.
    expect(JSON.stringify(app)).not.toContain('079192000501');
  });

  it('an employer that has not closed the record stops the confirmation with that reason, not a wrong answer', async () => {
    const applicationId = await submitScenario(api, scenarioNamed(system, 'UI_EMPLOYER_NOT_CLOSED'));
    const app = await api.waitForStatus(applicationId, 'REJECTED');
    expect(app.reason).toEqual({
      code: 'EMPLOYER_NOT_CLOSED',
      message: {
        vi: 'Đơn vị sử dụng lao động cuối cùng chưa chốt quá trình đóng bảo hiểm; chưa thể xác nhận quá trình đóng bảo hiểm thất nghiệp: đơn vị Công ty TNHH Thương mại Đông Á (mã CTY-DONG-A) chưa chốt quá trình đóng.',
        en: "The last employer has not closed the worker's contribution record; the unemployment-insurance record cannot be confirmed yet: employer Công ty TNHH Thương mại Đông Á (code CTY-DONG-A) has not closed the record.",
      },
      condition: { code: 'EMPLOYER_RECORD_CLOSED', params: { employerName: 'Công ty TNHH Thương mại Đông Á', employerCode: 'CTY-DONG-A' } },
    });
    expect(app.timeline.some((t: any) => t.event === 'COMPLETED')).toBe(false);
  });
});

const STAFF_79 = 'dev-staff-79';

/** The open UNEMPLOYMENT_HISTORY review item of an application, as listed to staff (polls until it is listed). */
async function openItemFor(applicationId: string, token = STAFF_79) {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
    const listed = await api.get('/v1/review-items?status=OPEN&service=UNEMPLOYMENT_HISTORY', token);
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    const item = listed.body.items.find((i: { applicationId: string }) => i.applicationId === applicationId);
    if (item) return item;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no open UNEMPLOYMENT_HISTORY review item for ${applicationId}`);
}

describe('identity review: a staff rejection', () => {
  it('REJECT with a reason ends the application REJECTED with that reason as the detail, and nothing is confirmed', async () => {
    const applicationId = await submitScenario(api, scenarioNamed(system, 'UI_NAME_MISMATCH'));
    await api.waitForStatus(applicationId, 'IN_REVIEW');
    const item = await openItemFor(applicationId);
    expect(item).toMatchObject({ service: 'UNEMPLOYMENT_HISTORY', reasonCode: 'NAME_MISMATCH', status: 'OPEN' });
    expect((await api.post(`/v1/review-items/${item.itemId}/claim`, {}, STAFF_79)).status).toBe(200);
    const noReason = await api.post(`/v1/review-items/${item.itemId}/resolve`, { decision: 'REJECT' }, STAFF_79);
    expect(noReason.status).toBe(400);
    const reasonText = 'Người nộp không phải chủ sở hữu số định danh: CCCD bản gốc mang tên khác';
    const rejected = await api.post(`/v1/review-items/${item.itemId}/resolve`, { decision: 'REJECT', reason: reasonText }, STAFF_79);
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);

    const app = await api.waitForStatus(applicationId, 'REJECTED');
    // The code is the reviewed reason (the identity workflow's Rejected state passes $.check.reasonCode to
    // RecordOutcome), exactly as the household e2e asserts ADDRESS_MISMATCH; the officer's text is the detail.
    // REJECTED_BY_REVIEWER (functions/domain/reviewReasons.ts) is not used by any workflow.
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

    const view = await api.get(`/v1/review-items/${item.itemId}`, STAFF_79);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ status: 'REJECTED', decision: { decision: 'REJECT', reason: reasonText } });
    const again = await api.post(`/v1/review-items/${item.itemId}/resolve`, { decision: 'APPROVE' }, STAFF_79);
    expect(again.status).toBe(409);
  });
});

describe('identity review: the deadline', () => {
  it('a review not decided in time ends EXPIRED (REVIEW_DEADLINE_PASSED) and closes the item EXPIRED', async () => {
    // Read by submitApplication when the application is submitted (as the household e2e deadline test does).
    process.env.REVIEW_TIMEOUT_SECONDS = '1';
    try {
      const applicationId = await submitScenario(api, scenarioNamed(system, 'UI_NAME_MISMATCH'));
      const app = await api.waitForStatus(applicationId, 'EXPIRED', 15_000);
      expect(app.reason).toMatchObject({
        code: 'REVIEW_DEADLINE_PASSED',
        condition: { code: 'REVIEW_DECIDED_IN_TIME', params: { reviewReason: 'NAME_MISMATCH' } },
      });
      expect(app.reason.message.vi).toContain('họ và tên kê khai không khớp');
      expect(app.result).toBeUndefined();
      expect(app.timeline.map((t: { status?: string }) => t.status).filter(Boolean)).toEqual(
        expect.arrayContaining(['RECEIVED', 'VERIFYING', 'IN_REVIEW', 'EXPIRED']),
      );

      const listed = await api.get('/v1/review-items?status=EXPIRED&service=UNEMPLOYMENT_HISTORY', STAFF_79);
      expect(listed.status).toBe(200);
      const item = listed.body.items.find((i: { applicationId: string }) => i.applicationId === applicationId);
      expect(item).toMatchObject({ status: 'EXPIRED', reasonCode: 'NAME_MISMATCH' });
      const open = await api.get('/v1/review-items?status=OPEN&service=UNEMPLOYMENT_HISTORY', STAFF_79);
      expect(open.body.items.map((i: { applicationId: string }) => i.applicationId)).not.toContain(applicationId);
      // A decision after the deadline is refused; the application stays EXPIRED.
      const late = await api.post(`/v1/review-items/${item.itemId}/claim`, {}, STAFF_79);
      expect(late.status).toBe(409);
      expect((await api.get(`/v1/applications/${applicationId}`)).body.status).toBe('EXPIRED');
    } finally {
      delete process.env.REVIEW_TIMEOUT_SECONDS;
    }
  });
});

describe('public API contract', () => {
  const body = () => requestBody(scenarioNamed(system, 'UI_LAW_2013'));

  it('the same Idempotency-Key twice yields one application and one execution; another body with it is 422', async () => {
    const key = `ui-idem-${Date.now()}`;
    const first = await api.post(PATH, body(), undefined, { 'idempotency-key': key });
    const second = await api.post(PATH, body(), undefined, { 'idempotency-key': key });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.applicationId).toBe(first.body.applicationId);
    const runs = system.engine.listExecutions(system.stateMachineArn('UnemploymentHistory')).filter((e) => e.name === first.body.applicationId);
    expect(runs).toHaveLength(1);
    const reused = await api.post(PATH, { ...body(), contractType: 'INDEFINITE' }, undefined, { 'idempotency-key': key });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    await api.waitForStatus(first.body.applicationId, 'COMPLETED');
  });

  it('invalid requests get 400 VALIDATION_FAILED with a Vietnamese and an English message', async () => {
    await expectBadRequests(api, PATH, [
      { ...body(), contractType: 'PERMANENT' },
      { ...body(), terminationDate: '2027-01-31' },
      { ...body(), terminationDate: '2014-12-31' },
      { ...body(), terminationDate: '2026-02-30' },
      { ...body(), requestingCentre: '  ' },
      { ...body(), personalId: '07919000050' },
    ]);
    await expectBadRequests(api, PATH, ['{"personalId": '], 'MALFORMED_JSON');
    const invalid = await api.post(PATH, { ...body(), contractType: 'PERMANENT', requestingCentre: '  ' });
    expect(viIssues(invalid.body)).toEqual([
      { path: 'contractType', code: 'invalid_value', messageVi: expect.stringMatching(/^Loại hợp đồng lao động phải là một trong các giá trị: INDEFINITE, /) },
      { path: 'requestingCentre', code: 'too_small', messageVi: 'Tên trung tâm dịch vụ việc làm đề nghị không được để trống' },
    ]);
  });
});
