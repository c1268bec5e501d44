import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { useLocalTables } from '../support/tables';
import { dynamo } from '../../functions/adapters/dynamo';
import { applicationsRepository } from '../../functions/adapters/applicationsRepository';
import type { PopulationRegistry } from '../../functions/adapters/populationRegistry';
import {
  InMemoryRegistry,
  STATE_MACHINE_ARN,
  WORKED_EXAMPLE_TOTAL,
  father,
  headClaim,
  invoke,
  members,
  proxyEvent,
  PORTAL_CLAIMS,
  seedCards,
  useHouseholdEnv,
} from '../household/householdFixture';
import { expectBilingualIssues, viIssues } from './validationIssues';

const state = vi.hoisted(() => ({ registry: null as PopulationRegistry | null }));
vi.mock('../../functions/adapters/populationRegistry', () => ({ populationRegistry: () => state.registry }));

const { handler } = await import('../../functions/api/householdRenewals');

const sfn = mockClient(SFNClient);
let tables: Record<string, string>;
let registry: InMemoryRegistry;

function post(path: string, body: unknown, headers: Record<string, string> = {}, claims?: Record<string, string> | null) {
  return invoke(
    handler,
    proxyEvent({
      method: 'POST',
      path,
      resource: path,
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers,
      claims,
    }),
  );
}

const validBody = { head: headClaim, periodMonths: 12 };

/** Application items (idempotency records share the table and are not counted). */
async function countApplications(): Promise<number> {
  const out = await dynamo().send(new ScanCommand({ TableName: tables.APPLICATIONS_TABLE, ConsistentRead: true }));
  return (out.Items ?? []).filter((i) => !String(i.applicationId).startsWith('IDEMPOTENCY#')).length;
}

function expectBilingual400(res: { statusCode: number; body: any }, code: string) {
  expect(res.statusCode).toBe(400);
  expect(res.body.code).toBe(code);
  expect(res.body.message.vi).toEqual(expect.any(String));
  expect(res.body.message.en).toEqual(expect.any(String));
  expect(res.body.message.vi).not.toBe(res.body.message.en);
  if (code === 'VALIDATION_FAILED') expectBilingualIssues(res.body);
}

beforeAll(async () => {
  useHouseholdEnv();
  tables = await useLocalTables('api-hr');
  await seedCards();
});

beforeEach(() => {
  registry = new InMemoryRegistry();
  state.registry = registry;
  sfn.reset();
  sfn.on(StartExecutionCommand).callsFake((input) => ({
    executionArn: `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${input.name}`,
    startDate: new Date(),
  }));
});

describe('POST /v1/household-renewals/quote', () => {
  it('200 with the worked-example quote, personal IDs masked, nothing stored', async () => {
    const res = await post('/v1/household-renewals/quote', validBody);
    expect(res.statusCode).toBe(200);
    expect(res.body.total).toBe(WORKED_EXAMPLE_TOTAL);
    expect(res.body.members).toHaveLength(4);
    expect(res.body.excluded[0]).toMatchObject({ personalId: '079******234', reason: 'COVERED_BY_EMPLOYER' });
    for (const m of members) expect(res.raw).not.toContain(m.personalId);
    // every member's amount is explained beside it; nothing internal in the answer
    expect(res.body.members.map((m: { monthlyAmount: number; explanation: { steps: { code: string; value: number }[] } }) =>
      [m.monthlyAmount, m.explanation.steps.find((s) => s.code === 'MONTHLY_AMOUNT')?.value])).toEqual(
      res.body.members.map((m: { monthlyAmount: number }) => [m.monthlyAmount, m.monthlyAmount]),
    );
    expect(res.body.members[1].explanation.vi).toMatch(/ × 4,5 % × 70 % .* = [\d.]+ đồng mỗi tháng; [\d.]+ đồng × 12 tháng = [\d.]+ đồng\.$/);
    expect(res.body.explanation.en).toMatch(/^Total for 4 members for 12 months: .* = VND [\d,]+\.$/);
    expect(res.raw).not.toMatch(/"verify"|\(verify\)/);
    expect(await countApplications()).toBe(0);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('malformed JSON → 400 MALFORMED_JSON with vi and en', async () => {
    expectBilingual400(await post('/v1/household-renewals/quote', '{"head": {'), 'MALFORMED_JSON');
  });

  it('missing body → 400', async () => {
    const res = await invoke(handler, proxyEvent({ method: 'POST', path: '/v1/household-renewals/quote', resource: '/v1/household-renewals/quote' }));
    expect(res.statusCode).toBe(400);
    expect(res.body.message.vi).toBeTruthy();
    expect(res.body.message.en).toBeTruthy();
  });

  it('missing fields → 400 VALIDATION_FAILED listing every issue', async () => {
    const res = await post('/v1/household-renewals/quote', { head: { personalId: father.personalId } });
    expectBilingual400(res, 'VALIDATION_FAILED');
    const paths = res.body.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['head.fullName', 'head.dateOfBirth', 'periodMonths']));
    expect(viIssues(res.body)).toEqual([
      { path: 'head.fullName', code: 'invalid_type', messageVi: 'Thiếu trường bắt buộc head.fullName' },
      { path: 'head.dateOfBirth', code: 'invalid_type', messageVi: 'Thiếu trường bắt buộc head.dateOfBirth' },
      { path: 'periodMonths', code: 'invalid_union', messageVi: 'Kỳ hạn đóng phải là 3, 6 hoặc 12 tháng' },
    ]);
  });

  it('each issue keeps its English message and adds messageVi and code (the README example)', async () => {
    const res = await post('/v1/household-renewals/quote', {
      head: { personalId: '12345', fullName: 'A', dateOfBirth: '1990-02-30' },
      periodMonths: 5,
    });
    expectBilingual400(res, 'VALIDATION_FAILED');
    expect(res.body.details.issues).toEqual([
      {
        path: 'head.personalId',
        message: 'personalId must be 12 digits',
        messageVi: 'Số định danh cá nhân phải gồm 12 chữ số',
        code: 'custom',
      },
      {
        path: 'head.dateOfBirth',
        message: 'dateOfBirth must be a real calendar date YYYY-MM-DD',
        messageVi: 'Ngày sinh phải là ngày có thật theo định dạng YYYY-MM-DD',
        code: 'custom',
      },
      {
        path: 'periodMonths',
        message: 'periodMonths must be 3, 6 or 12',
        messageVi: 'Kỳ hạn đóng phải là 3, 6 hoặc 12 tháng',
        code: 'invalid_union',
      },
    ]);
  });

  const REAL_DATE = 'Ngày sinh phải là ngày có thật theo định dạng YYYY-MM-DD';
  it.each([
    ['bad period', { ...validBody, periodMonths: 5 }, 'periodMonths', 'invalid_union', 'Kỳ hạn đóng phải là 3, 6 hoặc 12 tháng'],
    ['period as string', { ...validBody, periodMonths: '12' }, 'periodMonths', 'invalid_union', 'Kỳ hạn đóng phải là 3, 6 hoặc 12 tháng'],
    ['11-digit ID', { ...validBody, head: { ...headClaim, personalId: '07908500123' } }, 'head.personalId', 'custom', 'Số định danh cá nhân phải gồm 12 chữ số'],
    ['ID with letters', { ...validBody, head: { ...headClaim, personalId: '07908500123A' } }, 'head.personalId', 'custom', 'Số định danh cá nhân phải gồm 12 chữ số'],
    ['ID as a number', { ...validBody, head: { ...headClaim, personalId: 79085001234 } }, 'head.personalId', 'invalid_type', 'Trường head.personalId phải là chuỗi ký tự'],
    ['blank name', { ...validBody, head: { ...headClaim, fullName: '   ' } }, 'head.fullName', 'too_small', 'Họ và tên không được để trống'],
    ['name over 100 chars', { ...validBody, head: { ...headClaim, fullName: 'A'.repeat(101) } }, 'head.fullName', 'too_big', 'Họ và tên không được dài quá 100 ký tự'],
    ['30 February', { ...validBody, head: { ...headClaim, dateOfBirth: '1985-02-30' } }, 'head.dateOfBirth', 'custom', REAL_DATE],
    ['date of birth in the future', { ...validBody, head: { ...headClaim, dateOfBirth: '2026-07-02' } }, 'head.dateOfBirth', 'custom', 'Ngày sinh không được sau ngày hiện tại'],
    ['not a date', { ...validBody, head: { ...headClaim, dateOfBirth: '12/03/1985' } }, 'head.dateOfBirth', 'custom', REAL_DATE],
    ['bad sex', { ...validBody, head: { ...headClaim, sex: 'M' } }, 'head.sex', 'invalid_value', 'Trường head.sex phải là một trong các giá trị: MALE, FEMALE'],
    ['head is null', { ...validBody, head: null }, 'head', 'invalid_type', 'Trường head phải là đối tượng JSON'],
    ['body is an array', [validBody], '', 'invalid_type', 'Nội dung yêu cầu phải là đối tượng JSON'],
  ])('%s → 400 VALIDATION_FAILED', async (_label, body, path, code, messageVi) => {
    const res = await post('/v1/household-renewals/quote', body);
    expectBilingual400(res, 'VALIDATION_FAILED');
    expect(res.body.details.issues.map((i: { path: string }) => i.path)).toContain(path);
    expect(viIssues(res.body)).toEqual([{ path, code, messageVi }]);
  });

  it('a name with surrounding spaces is trimmed and accepted', async () => {
    const res = await post('/v1/household-renewals/quote', { ...validBody, head: { ...headClaim, fullName: `  ${headClaim.fullName}  ` } });
    expect(res.statusCode).toBe(200);
  });

  it('identity needing review → 422 IDENTITY_NOT_VERIFIED with the reason in vi and en', async () => {
    const res = await post('/v1/household-renewals/quote', { ...validBody, head: { ...headClaim, dateOfBirth: '1985-03-13' } });
    expect(res.statusCode).toBe(422);
    expect(res.body.code).toBe('IDENTITY_NOT_VERIFIED');
    expect(res.body.details.reasonCode).toBe('DATE_OF_BIRTH_MISMATCH');
    expect(res.body.message.vi).toContain('Ngày tháng năm sinh');
    expect(res.body.message.en).toContain('date of birth');
  });

  it('registry down → 503 REGISTRY_UNAVAILABLE', async () => {
    registry.unavailable = true;
    const res = await post('/v1/household-renewals/quote', validBody);
    expect(res.statusCode).toBe(503);
    expect(res.body.code).toBe('REGISTRY_UNAVAILABLE');
  });
});

describe('POST /v1/household-renewals', () => {
  it('202 { applicationId, status }; the same Idempotency-Key again → the same application', async () => {
    const before = await countApplications();
    const first = await post('/v1/household-renewals', validBody, { 'Idempotency-Key': 'portal-req-0001' });
    expect(first.statusCode).toBe(202);
    expect(first.body).toEqual({ applicationId: expect.stringMatching(/^HR-[0-9A-Z]{26}$/), status: 'VERIFYING' });
    expect(first.headers.location).toBe(`/v1/applications/${first.body.applicationId}`);

    const second = await post('/v1/household-renewals', validBody, { 'idempotency-key': 'portal-req-0001' });
    expect(second.statusCode).toBe(202);
    expect(second.body.applicationId).toBe(first.body.applicationId);
    expect(await countApplications()).toBe(before + 1);
    for (const call of sfn.commandCalls(StartExecutionCommand)) expect(call.args[0].input.name).toBe(first.body.applicationId);
  });

  it('same key, other body → 422 IDEMPOTENCY_KEY_REUSED', async () => {
    await post('/v1/household-renewals', validBody, { 'Idempotency-Key': 'portal-req-0002' });
    const res = await post('/v1/household-renewals', { ...validBody, periodMonths: 3 }, { 'Idempotency-Key': 'portal-req-0002' });
    expect(res.statusCode).toBe(422);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(129)],
    ['with a space', 'my key'],
    ['non-ASCII', 'khóa-1'],
  ])('Idempotency-Key %s → 400 INVALID_IDEMPOTENCY_KEY', async (_label, key) => {
    const before = await countApplications();
    expectBilingual400(await post('/v1/household-renewals', validBody, { 'Idempotency-Key': key }), 'INVALID_IDEMPOTENCY_KEY');
    expect(await countApplications()).toBe(before);
  });

  it('invalid body → 400, nothing stored, no execution', async () => {
    const before = await countApplications();
    expectBilingual400(await post('/v1/household-renewals', { head: headClaim, periodMonths: 24 }), 'VALIDATION_FAILED');
    expectBilingual400(await post('/v1/household-renewals', 'not json'), 'MALFORMED_JSON');
    expect(await countApplications()).toBe(before);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('the application belongs to the consumer named by CONSUMER_CLIENTS (else the client id)', async () => {
    const first = await post('/v1/household-renewals', validBody);
    expect((await applicationsRepository.get(first.body.applicationId))!.consumerId).toBe('dev-client-portal');
    process.env.CONSUMER_CLIENTS = JSON.stringify({ 'dev-client-portal': 'portal' });
    try {
      const second = await post('/v1/household-renewals', validBody);
      expect((await applicationsRepository.get(second.body.applicationId))!.consumerId).toBe('portal');
    } finally {
      delete process.env.CONSUMER_CLIENTS;
    }
  });

  it('an unknown route → 404', async () => {
    const res = await post('/v1/household-renewals/unknown', validBody);
    expect(res.statusCode).toBe(404);
  });
});

describe('consumer authentication (quote and submission alike)', () => {
  const staffIdToken = { sub: 'u-79', 'cognito:username': 'staff.79.1', name: 'Cán bộ', 'custom:province': '79', 'cognito:groups': 'staff', token_use: 'id' };
  const withoutScope = { ...PORTAL_CLAIMS, scope: 'bhxh-eservices/lump-sum' };

  it.each(['/v1/household-renewals/quote', '/v1/household-renewals'])('%s: no credentials or a staff ID token → 401 UNAUTHENTICATED, nothing stored', async (path) => {
    const before = await countApplications();
    for (const claims of [null, staffIdToken]) {
      const res = await post(path, validBody, { 'Idempotency-Key': 'auth-0001' }, claims);
      expect(res.statusCode).toBe(401);
      expect(res.body).toEqual({ code: 'UNAUTHENTICATED', message: { vi: 'Chưa xác thực hoặc mã xác thực không hợp lệ', en: 'Missing or invalid credentials' } });
    }
    expect(await countApplications()).toBe(before);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it.each(['/v1/household-renewals/quote', '/v1/household-renewals'])('%s: an access token without the household-renewal scope → 403 INSUFFICIENT_SCOPE', async (path) => {
    const res = await post(path, validBody, {}, withoutScope);
    expect(res.statusCode).toBe(403);
    expect(res.body.code).toBe('INSUFFICIENT_SCOPE');
    expect(res.body.message.vi).toBeTruthy();
    expect(res.body.message.en).toContain('bhxh-eservices/household-renewal');
  });
});
