import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { SFNClient, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { useLocalTables } from '../support/tables';
import { handler } from '../../functions/api/reviewItems';
import { applicationsRepository } from '../../functions/adapters/applicationsRepository';
import { nowIso } from '../../functions/shared/clock';
import { openReviewItem } from '../../functions/reviewQueue/reviewQueue';
import { getItem } from '../../functions/reviewQueue/reviewItemsRepository';
import { viIssues } from './validationIssues';

const sfn = mockClient(SFNClient);

interface Claims {
  [k: string]: string;
}

const staff79a: Claims = { sub: 'u-79-a', 'cognito:username': 'staff-79-a', name: 'Cán bộ A', 'custom:province': '79', 'cognito:groups': 'staff' };
const staff79b: Claims = { sub: 'u-79-b', 'cognito:username': 'staff-79-b', name: 'Cán bộ B', 'custom:province': '79', 'cognito:groups': '[staff supervisor]' };
const staff01: Claims = { sub: 'u-01-a', 'cognito:username': 'staff-01-a', name: 'Cán bộ HN', 'custom:province': '01', 'cognito:groups': 'staff' };

function apiEvent(
  method: 'GET' | 'POST',
  path: string,
  opts: { claims?: Claims | null; body?: unknown; rawBody?: string; query?: Record<string, string>; resource?: string } = {},
): APIGatewayProxyEvent {
  const body = opts.rawBody ?? (opts.body === undefined ? null : JSON.stringify(opts.body));
  return {
    httpMethod: method,
    path,
    resource: opts.resource ?? path,
    body,
    isBase64Encoded: false,
    headers: { 'content-type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: opts.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      requestId: randomUUID(),
      ...(opts.claims ? { authorizer: { claims: opts.claims } } : {}),
    } as unknown as APIGatewayProxyEvent['requestContext'],
  };
}

async function call(event: APIGatewayProxyEvent): Promise<{ status: number; body: any; raw: string }> {
  const res = (await handler(event, {} as Context)) as APIGatewayProxyResult;
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined, raw: res.body };
}

async function openItem(reasonCode: 'NAME_MISMATCH' | 'HEAD_OF_HOUSEHOLD_NOT_FOUND' = 'NAME_MISMATCH') {
  const applicationId = `HR-${randomUUID().replace(/-/g, '').slice(0, 20)}`;
  const at = nowIso();
  await applicationsRepository.create({
    applicationId,
    service: 'HOUSEHOLD_RENEWAL',
    provinceCode: '79',
    status: 'VERIFYING',
    request: {},
    createdAt: at,
    updatedAt: at,
    timeline: [],
    version: 1,
  });
  const taskToken = `AAAA-task-token-${randomUUID()}`;
  const { itemId } = await openReviewItem({
    applicationId,
    service: 'HOUSEHOLD_RENEWAL',
    provinceCode: '79',
    checkKind: 'PERSON',
    subjectRole: 'HEAD_OF_HOUSEHOLD',
    subject: { personalId: '079085001234', fullName: 'Nguyen Van An', dateOfBirth: '1985-03-14', sex: 'MALE' },
    reasonCode,
    registrySnapshot:
      reasonCode === 'NAME_MISMATCH'
        ? { personalId: '079085001234', fullName: 'Nguyễn Văn An', dateOfBirth: '1985-03-14', sex: 'MALE' }
        : null,
    reviewTimeoutSeconds: 3600,
    taskToken,
  });
  return { itemId, applicationId, taskToken };
}

beforeAll(async () => {
  await useLocalTables('reviewItemsApi');
  process.env.PROVINCE_CODE = '79';
});

beforeEach(() => {
  sfn.reset();
  sfn.on(SendTaskSuccessCommand).resolves({});
});

describe('review items API', () => {
  it('401 without staff claims (and with claims lacking a staff group)', async () => {
    const res = await call(apiEvent('GET', '/v1/review-items'));
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED', message: { vi: expect.any(String), en: expect.any(String) } });
    const noGroup = await call(apiEvent('GET', '/v1/review-items', { claims: { ...staff79a, 'cognito:groups': 'citizen' } }));
    expect(noGroup.status).toBe(401);
  });

  it('403 for another province’s item, 404 for an unknown one', async () => {
    const { itemId } = await openItem();
    const other = await call(apiEvent('GET', `/v1/review-items/${itemId}`, { claims: staff01 }));
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('OTHER_PROVINCE');
    const claimOther = await call(apiEvent('POST', `/v1/review-items/${itemId}/claim`, { claims: staff01 }));
    expect(claimOther.status).toBe(403);
    const unknown = await call(apiEvent('GET', '/v1/review-items/RV-AAAAAAAAAAAAAAAAAAAAAAAAAA', { claims: staff79a }));
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('REVIEW_ITEM_NOT_FOUND');
  });

  it('400 for malformed JSON, with the message in Vietnamese and English', async () => {
    const { itemId } = await openItem();
    const res = await call(apiEvent('POST', `/v1/review-items/${itemId}/resolve`, { claims: staff79a, rawBody: '{"decision": "APPROVE",' }));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: 'MALFORMED_JSON',
      message: { vi: 'Nội dung yêu cầu không phải JSON hợp lệ', en: 'The request body is not valid JSON' },
    });
  });

  it('400 for an invalid body or query, listing the problems', async () => {
    const { itemId } = await openItem();
    const bad = await call(
      apiEvent('POST', `/v1/review-items/${itemId}/resolve`, { claims: staff79a, body: { decision: 'MAYBE', corrections: { personalId: '123' } } }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.details.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['decision', 'corrections.personalId']));
    expect(viIssues(bad.body)).toEqual([
      { path: 'decision', code: 'invalid_value', messageVi: 'Trường decision phải là một trong các giá trị: APPROVE, REJECT' },
      { path: 'corrections.personalId', code: 'invalid_format', messageVi: 'Số định danh cá nhân phải gồm 12 chữ số' },
    ]);
    const extra = await call(
      apiEvent('POST', `/v1/review-items/${itemId}/resolve`, {
        claims: staff79a,
        body: { decision: 'APPROVE', corrections: { dateOfBirth: '14/03/1985', gender: 'MALE' }, note: 'x' },
      }),
    );
    expect(extra.status).toBe(400);
    expect(viIssues(extra.body)).toEqual([
      { path: 'corrections.dateOfBirth', code: 'invalid_format', messageVi: 'Ngày sinh phải theo định dạng YYYY-MM-DD' },
      { path: 'corrections', code: 'unrecognized_keys', messageVi: 'Trường không được hỗ trợ: corrections.gender' },
      { path: '', code: 'unrecognized_keys', messageVi: 'Trường không được hỗ trợ: note' },
    ]);
    const noDecision = await call(apiEvent('POST', `/v1/review-items/${itemId}/resolve`, { claims: staff79a, body: { reason: 'x'.repeat(2001) } }));
    expect(viIssues(noDecision.body)).toEqual([
      { path: 'decision', code: 'invalid_value', messageVi: 'Thiếu trường bắt buộc decision' },
      { path: 'reason', code: 'too_big', messageVi: 'Trường reason không được dài quá 2000 ký tự' },
    ]);
    const badQuery = await call(apiEvent('GET', '/v1/review-items', { claims: staff79a, query: { status: 'DONE', limit: '1000' } }));
    expect(badQuery.status).toBe(400);
    expect(viIssues(badQuery.body)).toEqual([
      { path: 'status', code: 'invalid_value', messageVi: 'Tham số status phải là một trong các giá trị: OPEN, CLAIMED, APPROVED, REJECTED, EXPIRED' },
      { path: 'limit', code: 'too_big', messageVi: 'Tham số limit phải nhỏ hơn hoặc bằng 100' },
    ]);
    const notANumber = await call(apiEvent('GET', '/v1/review-items', { claims: staff79a, query: { limit: 'ten' } }));
    expect(viIssues(notANumber.body)).toEqual([{ path: 'limit', code: 'invalid_type', messageVi: 'Tham số limit phải là số' }]);
    const missing = await call(apiEvent('POST', `/v1/review-items/${itemId}/resolve`, { claims: staff79a }));
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('MISSING_BODY');
  });

  it('happy path: list → get (comparison) → claim → resolve APPROVE → 200, decision sent; never a task token', async () => {
    const { itemId, applicationId, taskToken } = await openItem();
    const responses: string[] = [];

    const list = await call(apiEvent('GET', '/v1/review-items', { claims: staff79a, query: { status: 'OPEN', reason: 'NAME_MISMATCH', limit: '50' } }));
    responses.push(list.raw);
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { itemId: string }) => i.itemId)).toContain(itemId);

    const got = await call(apiEvent('GET', `/v1/review-items/${itemId}`, { claims: staff79a }));
    responses.push(got.raw);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ itemId, applicationId, status: 'OPEN', reasonCode: 'NAME_MISMATCH', revealed: false });
    const nameRow = got.body.comparison.find((r: { field: string }) => r.field === 'fullName');
    expect(nameRow).toEqual({ field: 'fullName', submitted: 'Nguyen Van An', registry: 'Nguyễn Văn An', matches: false, note: 'DIFFERS_ONLY_BY_DIACRITICS' });

    const claimed = await call(apiEvent('POST', `/v1/review-items/${itemId}/claim`, { claims: staff79a }));
    responses.push(claimed.raw);
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ status: 'CLAIMED', claimedBy: 'staff-79-a', version: 2 });

    const stolen = await call(apiEvent('POST', `/v1/review-items/${itemId}/claim`, { claims: staff79b, body: { expectedVersion: 2 } }));
    expect(stolen.status).toBe(409);
    expect(stolen.body.code).toBe('ITEM_ALREADY_CLAIMED');

    const resolved = await call(
      apiEvent('POST', `/v1/review-items/${itemId}/resolve`, {
        claims: staff79a,
        body: { decision: 'APPROVE', corrections: { fullName: 'Nguyễn Văn An' }, evidenceNote: 'CCCD gắn chip' },
      }),
    );
    responses.push(resolved.raw);
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ resumePending: false, item: { status: 'APPROVED', resume: 'DONE' } });
    const sent = sfn.commandCalls(SendTaskSuccessCommand);
    expect(sent).toHaveLength(1);
    expect(sent[0].args[0].input.taskToken).toBe(taskToken);
    expect(JSON.parse(sent[0].args[0].input.output!)).toMatchObject({
      decision: 'APPROVE',
      reviewItemId: itemId,
      decidedBy: 'staff-79-a',
      corrections: { fullName: 'Nguyễn Văn An' },
      reviewedReasonCode: 'NAME_MISMATCH',
    });
    expect(await getItem(itemId)).toMatchObject({ status: 'APPROVED', resume: 'DONE' });

    const again = await call(apiEvent('POST', `/v1/review-items/${itemId}/resolve`, { claims: staff79a, body: { decision: 'APPROVE' } }));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ITEM_ALREADY_RESOLVED');

    for (const raw of responses) {
      expect(raw).not.toContain(taskToken);
      expect(raw).not.toContain('taskToken');
      expect(raw).not.toContain('079085001234');
    }
  });

  it('202 with resumePending when Step Functions cannot be reached; REJECT without reason is 400', async () => {
    const { itemId } = await openItem('HEAD_OF_HOUSEHOLD_NOT_FOUND');
    expect((await call(apiEvent('POST', `/v1/review-items/${itemId}/claim`, { claims: staff79b, body: {} }))).status).toBe(200);
    const noReason = await call(apiEvent('POST', `/v1/review-items/${itemId}/resolve`, { claims: staff79b, body: { decision: 'REJECT' } }));
    expect(noReason.status).toBe(400);
    expect(noReason.body.code).toBe('REASON_REQUIRED');

    sfn.reset();
    sfn.on(SendTaskSuccessCommand).rejects(Object.assign(new Error('unreachable'), { name: 'ServiceUnavailable' }));
    const res = await call(
      apiEvent('POST', `/v1/review-items/${itemId}/resolve`, { claims: staff79b, body: { decision: 'REJECT', reason: 'Không xác minh được' } }),
    );
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ resumePending: true, item: { status: 'REJECTED', resume: 'PENDING' } });
  });

  it('unknown route → 404 ROUTE_NOT_FOUND', async () => {
    const res = await call(apiEvent('POST', '/v1/review-items', { claims: staff79a, body: {} }));
    expect(res.status).toBe(404);
  });
});
