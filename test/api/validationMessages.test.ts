/**
 * Bilingual 400 VALIDATION_FAILED issues (functions/shared/validationMessages.ts, shared/http.ts): the registry of
 * declared messages, the Vietnamese fallbacks by zod issue code, and the exact `messageVi` / `code` of real bad
 * requests to the lump-sum, unemployment-history and staff-console APIs (all rejected before any storage access).
 */
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { z } from 'zod';
import { completeIssue, fallbackVietnamese, msg, validationIssues, vietnameseFor } from '../../functions/shared/validationMessages';
import { handler as lumpSumHandler } from '../../functions/api/lumpSumClaims';
import { handler as unemploymentHandler } from '../../functions/api/unemploymentHistoryRequests';
import { handler as consoleHandler } from '../../functions/api/reviewConsole';
import { LUMP_SUM_REASONS } from '../../functions/domain/lumpSum/lumpSumEligibility';
import { UI_CONTRACT_TYPES } from '../../functions/domain/unemployment/unemploymentHistory';
import { invoke, PORTAL_CLAIMS } from '../household/householdFixture';
import { viIssues } from './validationIssues';

type Handler = Parameters<typeof invoke>[0];

function event(p: { method: 'GET' | 'POST'; path: string; body?: unknown; query?: Record<string, string>; claims?: Record<string, string> }) {
  return {
    httpMethod: p.method,
    path: p.path,
    resource: p.path,
    body: p.body === undefined ? null : JSON.stringify(p.body),
    isBase64Encoded: false,
    headers: { 'content-type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: p.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: { requestId: randomUUID(), ...(p.claims ? { authorizer: { claims: p.claims } } : {}) },
  } as unknown as APIGatewayProxyEvent;
}

const supervisor79 = { sub: 'u-79-s', 'cognito:username': 'sup-79', name: 'Giám sát', 'custom:province': '79', 'cognito:groups': 'staff,supervisor' };
const applicant = { personalId: '079085001234', fullName: 'Nguyễn Văn An', dateOfBirth: '1985-03-14' };

async function issuesOf(handler: Handler, e: APIGatewayProxyEvent) {
  const res = await invoke(handler, e);
  expect(res.statusCode, res.raw).toBe(400);
  expect(res.body.code).toBe('VALIDATION_FAILED');
  return viIssues(res.body);
}

describe('msg: each custom message declared once in both languages', () => {
  it('returns the English text for zod and registers the Vietnamese', () => {
    expect(msg('testField must be even', 'Trường thử phải là số chẵn')).toBe('testField must be even');
    expect(vietnameseFor('testField must be even')).toBe('Trường thử phải là số chẵn');
    expect(msg('testField must be even', 'Trường thử phải là số chẵn')).toBe('testField must be even');
  });

  it('refuses a second, different Vietnamese text for the same English text, and untranslated texts', () => {
    msg('testField must be odd', 'Trường thử phải là số lẻ');
    expect(() => msg('testField must be odd', 'Trường thử phải lẻ')).toThrow(/declared twice/);
    expect(() => msg('same text', 'same text')).toThrow();
    expect(() => msg('no Vietnamese', ' ')).toThrow();
  });

  it('the shared and API schemas declare their messages (Vietnamese with diacritics)', () => {
    expect(vietnameseFor('personalId must be 12 digits')).toBe('Số định danh cá nhân phải gồm 12 chữ số');
    expect(vietnameseFor('dateOfBirth must be a real calendar date YYYY-MM-DD')).toBe('Ngày sinh phải là ngày có thật theo định dạng YYYY-MM-DD');
    expect(vietnameseFor('bankAccount.accountNumber must be 6 to 19 digits')).toBe('Số tài khoản ngân hàng phải gồm từ 6 đến 19 chữ số');
    expect(vietnameseFor('requestingCentre is required')).toBe('Tên trung tâm dịch vụ việc làm đề nghị không được để trống');
  });
});

describe('Vietnamese fallbacks by zod issue code', () => {
  const viOf = (schema: z.ZodType, data: unknown, source: 'body' | 'query' = 'body') =>
    validationIssues(schema.safeParse(data).error!.issues, data, source).map((i) => [i.code, i.messageVi]);

  it('names the field and the limits', () => {
    const schema = z
      .object({
        code: z.string().length(6),
        count: z.number().positive(),
        ratio: z.number().lt(1),
        step: z.number().multipleOf(5),
        tags: z.array(z.string()).min(2),
        kind: z.literal('A'),
        flag: z.boolean(),
      })
      .strict();
    expect(viOf(schema, { code: 'ABC', count: 0, ratio: 1, step: 7, tags: ['x'], kind: 'B', flag: 'yes', extra: 1, more: 2 })).toEqual([
      ['too_small', 'Trường code phải có đúng 6 ký tự'],
      ['too_small', 'Trường count phải lớn hơn 0'],
      ['too_big', 'Trường ratio phải nhỏ hơn 1'],
      ['not_multiple_of', 'Trường step phải là bội số của 5'],
      ['too_small', 'Trường tags phải có ít nhất 2 phần tử'],
      ['invalid_value', 'Trường kind phải có giá trị A'],
      ['invalid_type', 'Trường flag phải là giá trị true hoặc false'],
      ['unrecognized_keys', 'Trường không được hỗ trợ: extra, more'],
    ]);
  });

  it('a missing field is "Thiếu trường bắt buộc"; in a query string the field is a "tham số"', () => {
    const schema = z.object({ from: z.string(), to: z.string() }).strict();
    expect(viOf(schema, {})).toEqual([
      ['invalid_type', 'Thiếu trường bắt buộc from'],
      ['invalid_type', 'Thiếu trường bắt buộc to'],
    ]);
    expect(viOf(schema, { to: 'x', sort: 'asc' }, 'query')).toEqual([
      ['invalid_type', 'Thiếu tham số bắt buộc from'],
      ['unrecognized_keys', 'Tham số không được hỗ trợ: sort'],
    ]);
  });

  it('a refinement without a declared message still says which field is wrong', () => {
    const issue = z.object({ a: z.string().refine(() => false) }).safeParse({ a: 'x' }).error!.issues[0];
    expect(fallbackVietnamese(issue, { a: 'x' })).toBe('Giá trị của trường a không hợp lệ');
  });

  it('an issue built from path and message only is completed (declared Vietnamese, else a generic text)', () => {
    expect(completeIssue({ path: 'head.personalId', message: 'personalId must be 12 digits' })).toEqual({
      path: 'head.personalId',
      message: 'personalId must be 12 digits',
      messageVi: 'Số định danh cá nhân phải gồm 12 chữ số',
      code: 'invalid_input',
    });
    expect(completeIssue({ path: 'toStaffId', message: 'invalid staff id' })).toMatchObject({
      messageVi: 'Giá trị của trường toStaffId không hợp lệ',
      code: 'invalid_input',
    });
  });
});

describe('POST /v1/lump-sum-claims: bad bodies', () => {
  const post = (body: unknown) => issuesOf(lumpSumHandler, event({ method: 'POST', path: '/v1/lump-sum-claims', body, claims: PORTAL_CLAIMS }));

  it('every problem in Vietnamese, with its code', async () => {
    const issues = await post({
      ...applicant,
      reason: 'BORED',
      bankAccount: { bankCode: 'VCB', accountNumber: '12-34', branch: 'HCM' },
      evidence: { workCapacityLossPercent: 80.5, armedForcesSeparationDate: '2024-02-30', retirementAgeReachedOn: '2030-13-01' },
    });
    expect(issues).toEqual([
      { path: 'reason', code: 'invalid_value', messageVi: `Trường hợp hưởng BHXH một lần phải là một trong các giá trị: ${LUMP_SUM_REASONS.join(', ')}` },
      { path: 'bankAccount.bankCode', code: 'invalid_format', messageVi: 'Mã ngân hàng phải là mã BIN NAPAS gồm 6 chữ số, ví dụ 970436' },
      { path: 'bankAccount.accountNumber', code: 'invalid_format', messageVi: 'Số tài khoản ngân hàng phải gồm từ 6 đến 19 chữ số' },
      { path: 'bankAccount', code: 'unrecognized_keys', messageVi: 'Trường không được hỗ trợ: bankAccount.branch' },
      { path: 'evidence.workCapacityLossPercent', code: 'invalid_type', messageVi: 'Trường evidence.workCapacityLossPercent phải là số nguyên' },
      {
        path: 'evidence.armedForcesSeparationDate',
        code: 'custom',
        messageVi: 'Ngày quyết định phục viên, xuất ngũ, thôi việc phải là ngày có thật theo định dạng YYYY-MM-DD',
      },
      { path: 'evidence.retirementAgeReachedOn', code: 'custom', messageVi: 'Ngày đủ tuổi nghỉ hưu phải là ngày có thật theo định dạng YYYY-MM-DD' },
    ]);
  });

  it('missing bank account and blank name', async () => {
    expect(await post({ ...applicant, fullName: ' ', reason: 'ONE_YEAR_GAP' })).toEqual([
      { path: 'fullName', code: 'too_small', messageVi: 'Họ và tên không được để trống' },
      { path: 'bankAccount', code: 'invalid_type', messageVi: 'Thiếu trường bắt buộc bankAccount' },
    ]);
  });
});

describe('POST /v1/unemployment-history-requests: bad bodies', () => {
  it('every problem in Vietnamese, with its code', async () => {
    const { personalId: _omitted, ...withoutId } = applicant;
    const issues = await issuesOf(
      unemploymentHandler,
      event({
        method: 'POST',
        path: '/v1/unemployment-history-requests',
        claims: PORTAL_CLAIMS,
        body: { ...withoutId, dateOfBirth: '1985-02-30', terminationDate: '2014-12-31', contractType: 'PERMANENT', requestingCentre: 'x'.repeat(201) },
      }),
    );
    expect(issues).toEqual([
      { path: 'personalId', code: 'invalid_type', messageVi: 'Thiếu trường bắt buộc personalId' },
      { path: 'dateOfBirth', code: 'custom', messageVi: 'Ngày sinh phải là ngày có thật theo định dạng YYYY-MM-DD' },
      {
        path: 'terminationDate',
        code: 'custom',
        messageVi: 'Ngày chấm dứt hợp đồng lao động phải từ ngày 2015-01-01 trở đi (ngày hiệu lực của văn bản luật đầu tiên được ghi nhận)',
      },
      { path: 'contractType', code: 'invalid_value', messageVi: `Loại hợp đồng lao động phải là một trong các giá trị: ${UI_CONTRACT_TYPES.join(', ')}` },
      { path: 'requestingCentre', code: 'too_big', messageVi: 'Tên trung tâm dịch vụ việc làm đề nghị không được dài quá 200 ký tự' },
    ]);
  });
});

describe('staff console: bad queries and bodies', () => {
  it('GET /v1/review-queue with unknown values and parameters', async () => {
    const issues = await issuesOf(
      consoleHandler,
      event({ method: 'GET', path: '/v1/review-queue', claims: supervisor79, query: { status: 'DONE', escalated: 'yes', limit: '0', page: '2' } }),
    );
    expect(issues).toEqual([
      { path: 'status', code: 'invalid_value', messageVi: 'Tham số status phải là một trong các giá trị: ACTIVE, OPEN, CLAIMED, APPROVED, REJECTED, EXPIRED' },
      { path: 'escalated', code: 'invalid_value', messageVi: 'Tham số escalated phải là một trong các giá trị: true, false' },
      { path: 'limit', code: 'too_small', messageVi: 'Tham số limit phải lớn hơn hoặc bằng 1' },
      { path: '', code: 'unrecognized_keys', messageVi: 'Tham số không được hỗ trợ: page' },
    ]);
  });

  it('GET /v1/review-audit.csv without its range', async () => {
    expect(await issuesOf(consoleHandler, event({ method: 'GET', path: '/v1/review-audit.csv', claims: supervisor79, query: { from: '2026-06-01' } }))).toEqual([
      { path: 'to', code: 'invalid_type', messageVi: 'Thiếu tham số bắt buộc to' },
    ]);
  });

  it('POST reassign with bad fields; a staff id the service refuses is completed the same way', async () => {
    const path = '/v1/review-items/RV-AAAAAAAAAAAAAAAAAAAAAAAAAA/reassign';
    expect(await issuesOf(consoleHandler, event({ method: 'POST', path, claims: supervisor79, body: { toStaffId: '  ', expectedVersion: 0, note: 5 } }))).toEqual([
      { path: 'toStaffId', code: 'too_small', messageVi: 'Trường toStaffId không được để trống' },
      { path: 'expectedVersion', code: 'too_small', messageVi: 'Trường expectedVersion phải lớn hơn 0' },
      { path: 'note', code: 'invalid_type', messageVi: 'Trường note phải là chuỗi ký tự' },
    ]);
    expect(await issuesOf(consoleHandler, event({ method: 'POST', path, claims: supervisor79, body: { toStaffId: 'cán bộ' } }))).toEqual([
      { path: 'toStaffId', code: 'invalid_input', messageVi: 'Giá trị của trường toStaffId không hợp lệ' },
    ]);
  });
});
