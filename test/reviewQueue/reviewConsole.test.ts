/**
 * Staff console services and their HTTP API (functions/reviewQueue/reviewConsole.ts, functions/api/reviewConsole.ts)
 * on DynamoDB Local: release, reassign (supervisors), reveal (audited), audit trail, audit CSV (province-scoped,
 * CSV-injection safe), stats, escalation, the console's queue listing. Items are opened with the queue's own
 * openReviewItem and claimed with its claimReviewItem, as the workflow and the console do.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SFNClient, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { useLocalTables } from '../support/tables';
import { applicationsRepository } from '../../functions/adapters/applicationsRepository';
import { resetStepFunctionsClient } from '../../functions/adapters/stepFunctions';
import { claimReviewItem, openReviewItem, resolveReviewItem } from '../../functions/reviewQueue/reviewQueue';
import { getItem, listAudit } from '../../functions/reviewQueue/reviewItemsRepository';
import {
  auditCsv,
  auditRange,
  csvCell,
  escalateAtOf,
  escalateOverdueItems,
  itemAuditTrail,
  listConsoleQueue,
  reassignReviewItem,
  releaseReviewItem,
  revealPersonalId,
  reviewStats,
} from '../../functions/reviewQueue/reviewConsole';
import { handler } from '../../functions/api/reviewConsole';
import { handler as escalateHandler } from '../../functions/steps/escalateOverdueReviews';
import { apiFunctionSpecs, routes, scheduledFunctionSpecs } from '../../functions/catalog';
import type { StaffPrincipal } from '../../functions/shared/http';
import type { ReviewReasonCode } from '../../functions/domain/types';

const BASE = Date.parse('2026-07-01T03:00:00.000Z'); // 10:00 in Hồ Chí Minh City
const HOUR = 3_600_000;
const REVIEW_SECONDS = 120 * 3600;

function setClock(at: number): void {
  process.env.CLOCK_OFFSET_MS = String(at - Date.now());
}

const staff: StaffPrincipal = { staffId: 'staff.79.1', name: 'Nguyễn Thị Lan', provinceCode: '79', roles: ['staff'] };
const staff2: StaffPrincipal = { staffId: 'staff.79.3', name: 'Lê Văn Minh', provinceCode: '79', roles: ['staff'] };
const supervisor: StaffPrincipal = { staffId: 'staff.79.2', name: 'Trần Văn Hùng', provinceCode: '79', roles: ['staff', 'supervisor'] };
const hanoi: StaffPrincipal = { staffId: 'staff.01.1', name: 'Phạm Thu Trang', provinceCode: '01', roles: ['staff', 'supervisor'] };

const sfn = mockClient(SFNClient);

let seq = 0;
async function openItem(
  opts: { provinceCode?: string; reasonCode?: ReviewReasonCode; personalId?: string; fullName?: string; service?: 'HOUSEHOLD_RENEWAL' | 'LUMP_SUM_WITHDRAWAL'; reviewSeconds?: number } = {},
) {
  const provinceCode = opts.provinceCode ?? '79';
  const applicationId = `HR-${randomUUID().replace(/-/g, '').slice(0, 20)}`;
  const at = new Date(Date.now() + Number(process.env.CLOCK_OFFSET_MS ?? 0)).toISOString();
  await applicationsRepository.create({
    applicationId,
    service: opts.service ?? 'HOUSEHOLD_RENEWAL',
    provinceCode,
    status: 'VERIFYING',
    request: {},
    createdAt: at,
    updatedAt: at,
    timeline: [{ at, status: 'VERIFYING', event: 'IDENTITY_CHECK_STARTED', detail: { personalId: opts.personalId ?? '079069002284' } }],
    version: 1,
  });
  seq++;
  const personalId = opts.personalId ?? `0790690${String(10000 + seq).slice(-5)}`;
  const out = await openReviewItem({
    applicationId,
    service: opts.service ?? 'HOUSEHOLD_RENEWAL',
    provinceCode,
    checkKind: 'PERSON',
    subjectRole: 'HEAD_OF_HOUSEHOLD',
    subject: { personalId, fullName: opts.fullName ?? 'Cao Van Thang', dateOfBirth: '1969-02-14', sex: 'MALE' },
    reasonCode: opts.reasonCode ?? 'NAME_MISMATCH',
    registrySnapshot: { personalId, fullName: 'Cao Văn Thắng', dateOfBirth: '1969-02-14', sex: 'MALE' },
    reviewTimeoutSeconds: opts.reviewSeconds ?? REVIEW_SECONDS,
    taskToken: `token-${randomUUID()}`,
  });
  return { itemId: out.itemId, applicationId, personalId };
}

function claimsOf(p: StaffPrincipal) {
  return { sub: p.staffId, 'cognito:username': p.staffId, name: p.name, 'custom:province': p.provinceCode, 'cognito:groups': p.roles.join(',') };
}

async function call(
  method: 'GET' | 'POST',
  path: string,
  opts: { principal?: StaffPrincipal | null; query?: Record<string, string>; body?: unknown; resource?: string; params?: Record<string, string> } = {},
) {
  const principal = opts.principal === undefined ? staff : opts.principal;
  const event = {
    httpMethod: method,
    path,
    resource: opts.resource ?? path,
    pathParameters: opts.params ?? null,
    queryStringParameters: opts.query ?? null,
    multiValueQueryStringParameters: null,
    headers: { 'content-type': 'application/json' },
    multiValueHeaders: {},
    body: opts.body === undefined ? null : JSON.stringify(opts.body),
    isBase64Encoded: false,
    stageVariables: null,
    requestContext: {
      requestId: `req-${randomUUID()}`,
      httpMethod: method,
      path,
      resourcePath: opts.resource ?? path,
      identity: { sourceIp: '127.0.0.1' },
      authorizer: principal ? { claims: claimsOf(principal) } : null,
    },
  } as unknown as APIGatewayProxyEvent;
  const res = await handler(event, { awsRequestId: 'test', getRemainingTimeInMillis: () => 29_000 } as never);
  const isJson = String(res.headers?.['content-type'] ?? '').startsWith('application/json');
  return { status: res.statusCode, headers: res.headers ?? {}, raw: res.body, body: isJson && res.body ? JSON.parse(res.body) : res.body };
}

const itemCall = (method: 'GET' | 'POST', itemId: string, action: string, opts: Parameters<typeof call>[2] = {}) =>
  call(method, `/v1/review-items/${itemId}/${action}`, { ...opts, resource: `/v1/review-items/{itemId}/${action}`, params: { itemId } });

beforeAll(async () => {
  await useLocalTables('review-console');
  Object.assign(process.env, {
    PROVINCE_CODE: '79',
    REVIEW_TIMEOUT_SECONDS: String(REVIEW_SECONDS),
    AWS_ENDPOINT_URL_SFN: 'http://127.0.0.1:9',
  });
  resetStepFunctionsClient();
});

beforeEach(() => {
  setClock(BASE);
  sfn.reset();
  sfn.on(SendTaskSuccessCommand).resolves({});
});

afterAll(() => {
  delete process.env.CLOCK_OFFSET_MS;
});

describe('catalog', () => {
  it('routes every console path to ReviewConsoleApi with staff auth, and schedules the escalation', () => {
    const consoleRoutes = routes.filter((r) => r.fn === 'ReviewConsoleApi');
    expect(consoleRoutes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(
      [
        'GET /v1/staff/me',
        'GET /v1/review-queue',
        'GET /v1/review-stats',
        'GET /v1/review-audit.csv',
        'GET /v1/review-items/{itemId}/context',
        'GET /v1/review-items/{itemId}/audit',
        'POST /v1/review-items/{itemId}/release',
        'POST /v1/review-items/{itemId}/reassign',
        'POST /v1/review-items/{itemId}/reveal',
      ].sort(),
    );
    expect(consoleRoutes.every((r) => r.auth === 'staff')).toBe(true);
    expect(apiFunctionSpecs.ReviewConsoleApi.entry).toBe('functions/api/reviewConsole.ts');
    expect(scheduledFunctionSpecs.EscalateOverdueReviews.entry).toBe('functions/steps/escalateOverdueReviews.ts');
  });
});

describe('GET /v1/staff/me', () => {
  it('returns the officer with province name and roles; 401 without an identity', async () => {
    const res = await call('GET', '/v1/staff/me', { principal: supervisor });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ staffId: 'staff.79.2', provinceCode: '79', provinceName: 'TP. Hồ Chí Minh', supervisor: true, escalateAfterHours: 72 });
    const anon = await call('GET', '/v1/staff/me', { principal: null });
    expect(anon.status).toBe(401);
    expect(anon.body.message).toEqual({ vi: expect.any(String), en: expect.any(String) });
  });
});

describe('queue listing (GET /v1/review-queue)', () => {
  it('lists active items of the caller province by due time, without personal data; filters by status, reason, service, escalated', async () => {
    setClock(BASE - 10 * HOUR);
    const late = await openItem({ reasonCode: 'HEAD_OF_HOUSEHOLD_NOT_FOUND', reviewSeconds: 200 * 3600 });
    setClock(BASE - 9 * HOUR);
    const soon = await openItem({ reasonCode: 'NAME_MISMATCH', reviewSeconds: 20 * 3600, service: 'LUMP_SUM_WITHDRAWAL' });
    const claimed = await openItem({ reasonCode: 'NAME_MISMATCH' });
    const other = await openItem({ provinceCode: '01' });
    setClock(BASE);
    await claimReviewItem(staff, claimed.itemId);

    const res = await call('GET', '/v1/review-queue');
    expect(res.status).toBe(200);
    const ids = res.body.items.map((r: { itemId: string }) => r.itemId);
    expect(ids).toEqual(expect.arrayContaining([late.itemId, soon.itemId, claimed.itemId]));
    expect(ids).not.toContain(other.itemId);
    const dues = res.body.items.map((r: { dueAt: string }) => r.dueAt);
    expect([...dues].sort()).toEqual(dues);
    expect(ids.indexOf(soon.itemId)).toBeLessThan(ids.indexOf(late.itemId));
    const row = res.body.items.find((r: { itemId: string }) => r.itemId === late.itemId);
    expect(row).toMatchObject({
      status: 'OPEN',
      reasonCode: 'HEAD_OF_HOUSEHOLD_NOT_FOUND',
      reason: { vi: 'Không tồn tại thông tin chủ hộ trong cơ sở dữ liệu quốc gia về dân cư' },
      claimedBy: null,
      escalated: false,
    });
    expect(res.body.items.find((r: { itemId: string }) => r.itemId === claimed.itemId).claimedBy).toBe('staff.79.1');
    expect(res.raw).not.toMatch(/personalId|fullName|taskToken|Cao V/);
    expect(res.raw).not.toContain(late.personalId);

    const byReason = await call('GET', '/v1/review-queue', { query: { reason: 'HEAD_OF_HOUSEHOLD_NOT_FOUND' } });
    expect(byReason.body.items.every((r: { reasonCode: string }) => r.reasonCode === 'HEAD_OF_HOUSEHOLD_NOT_FOUND')).toBe(true);
    expect(byReason.body.items.map((r: { itemId: string }) => r.itemId)).toContain(late.itemId);
    const byService = await call('GET', '/v1/review-queue', { query: { service: 'LUMP_SUM_WITHDRAWAL' } });
    expect(byService.body.items.map((r: { itemId: string }) => r.itemId)).toEqual([soon.itemId]);
    const claimedOnly = await call('GET', '/v1/review-queue', { query: { status: 'CLAIMED' } });
    expect(claimedOnly.body.items.map((r: { itemId: string }) => r.itemId)).toContain(claimed.itemId);
    expect(claimedOnly.body.items.every((r: { status: string }) => r.status === 'CLAIMED')).toBe(true);
    const bad = await call('GET', '/v1/review-queue', { query: { status: 'DONE' } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');

    // The other province sees its own item only.
    const hanoiList = await listConsoleQueue(hanoi);
    expect(hanoiList.items.map((r) => r.itemId)).toEqual([other.itemId]);
  });
});

describe('release', () => {
  it('lets the holder release (CLAIMED → OPEN, audited with before/after); conflicts otherwise', async () => {
    const item = await openItem();
    const open = await itemCall('POST', item.itemId, 'release');
    expect(open.status).toBe(409);
    expect(open.body.code).toBe('ITEM_NOT_CLAIMED');

    await claimReviewItem(staff, item.itemId);
    const notMine = await itemCall('POST', item.itemId, 'release', { principal: staff2, body: {} });
    expect(notMine.status).toBe(409);
    expect(notMine.body.code).toBe('ITEM_ALREADY_CLAIMED');
    const stale = await itemCall('POST', item.itemId, 'release', { body: { expectedVersion: 1 } });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('VERSION_CONFLICT');

    const res = await itemCall('POST', item.itemId, 'release', { body: { expectedVersion: 2 } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'OPEN', claimedBy: null, version: 3 });
    expect(res.raw).not.toContain(item.personalId);
    expect(res.raw).not.toMatch(/taskToken/);
    const stored = await getItem(item.itemId);
    expect(stored?.queueKey).toBe(`OPEN#${stored?.dueAt}`);
    const audit = await itemAuditTrail(staff, item.itemId);
    expect(audit.entries.map((e) => e.action)).toEqual(['OPENED', 'CLAIMED', 'RELEASED']);
    expect(audit.entries[2]).toMatchObject({
      by: 'staff.79.1',
      seq: '000003',
      before: { status: 'CLAIMED', claimedBy: 'staff.79.1' },
      after: { status: 'OPEN', claimedBy: null },
    });
    expect(audit.entries[1]).toMatchObject({ before: { status: 'OPEN' }, after: { status: 'CLAIMED', claimedBy: 'staff.79.1' } });
  });

  it('lets a supervisor release someone else’s claim; never another province’s item', async () => {
    const item = await openItem();
    await claimReviewItem(staff, item.itemId);
    await expect(releaseReviewItem(hanoi, item.itemId)).rejects.toMatchObject({ httpStatus: 403, code: 'OTHER_PROVINCE' });
    const view = await releaseReviewItem(supervisor, item.itemId);
    expect(view.status).toBe('OPEN');
  });
});

describe('reassign', () => {
  it('is for supervisors only (403), moves the item to the named officer, audited', async () => {
    const item = await openItem();
    const denied = await itemCall('POST', item.itemId, 'reassign', { body: { toStaffId: 'staff.79.3' } });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('SUPERVISOR_ONLY');
    expect((await getItem(item.itemId))?.status).toBe('OPEN');

    const invalid = await itemCall('POST', item.itemId, 'reassign', { principal: supervisor, body: { toStaffId: 'x y<script>' } });
    expect(invalid.status).toBe(400);
    const missing = await itemCall('POST', item.itemId, 'reassign', { principal: supervisor, body: {} });
    expect(missing.status).toBe(400);

    const res = await itemCall('POST', item.itemId, 'reassign', { principal: supervisor, body: { toStaffId: 'staff.79.3', note: 'Cán bộ Lan nghỉ phép' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'CLAIMED', claimedBy: 'staff.79.3' });
    // Claimed by someone else now: the first officer cannot claim it; the new holder can decide it.
    await expect(claimReviewItem(staff, item.itemId)).rejects.toMatchObject({ httpStatus: 409, code: 'ITEM_ALREADY_CLAIMED' });

    const again = await reassignReviewItem(supervisor, item.itemId, { toStaffId: 'staff.79.1' });
    expect(again.claimedBy).toBe('staff.79.1');
    const audit = await itemAuditTrail(supervisor, item.itemId);
    const reassigned = audit.entries.filter((e) => e.action === 'REASSIGNED');
    expect(reassigned).toHaveLength(2);
    expect(reassigned[0]).toMatchObject({
      by: 'staff.79.2',
      before: { status: 'OPEN', claimedBy: null },
      after: { status: 'CLAIMED', claimedBy: 'staff.79.3' },
      detail: { note: 'Cán bộ Lan nghỉ phép' },
    });
    expect(reassigned[1]).toMatchObject({ before: { status: 'CLAIMED', claimedBy: 'staff.79.3' }, after: { claimedBy: 'staff.79.1' } });

    await resolveReviewItem(staff, item.itemId, { decision: 'REJECT', reason: 'Không đủ căn cứ' });
    const decided = await itemCall('POST', item.itemId, 'reassign', { principal: supervisor, body: { toStaffId: 'staff.79.3' } });
    expect(decided.status).toBe(409);
    expect(decided.body.code).toBe('ITEM_ALREADY_RESOLVED');
    const foreign = await itemCall('POST', item.itemId, 'reassign', { principal: hanoi, body: { toStaffId: 'staff.01.1' } });
    expect(foreign.status).toBe(403);
  });
});

describe('reveal', () => {
  it('returns the unmasked ID of that item only, after recording REVEALED_PERSONAL_ID; item views stay masked', async () => {
    const item = await openItem({ personalId: '079069002284' });
    const view = await call('GET', `/v1/review-items/${item.itemId}/audit`, { resource: '/v1/review-items/{itemId}/audit', params: { itemId: item.itemId } });
    expect(view.raw).not.toContain('079069002284');

    const res = await itemCall('POST', item.itemId, 'reveal', { body: { purpose: 'Đối chiếu với CCCD công dân xuất trình' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ itemId: item.itemId, personalId: '079069002284', registryPersonalId: '079069002284' });

    const rows = await listAudit(item.itemId);
    const reveal = rows.find((r) => (r.action as string) === 'REVEALED_PERSONAL_ID');
    expect(reveal).toMatchObject({ by: 'staff.79.1', detail: { field: 'personalId', purpose: 'Đối chiếu với CCCD công dân xuất trình' } });
    expect(reveal!.sk).toMatch(/^AUDIT#\d{4}-\d{2}-\d{2}T[\d:.]+Z#\d{6}$/);
    expect(JSON.stringify(rows)).not.toContain('079069002284');
    // A reveal is a read: the item's version does not move, so nobody's claim or decision is disturbed.
    expect((await getItem(item.itemId))?.version).toBe(1);

    // Several reveals at the same instant each get their own row.
    await Promise.all([revealPersonalId(staff, item.itemId), revealPersonalId(staff2, item.itemId), revealPersonalId(supervisor, item.itemId)]);
    const after = (await listAudit(item.itemId)).filter((r) => (r.action as string) === 'REVEALED_PERSONAL_ID');
    expect(after).toHaveLength(4);

    const foreign = await itemCall('POST', item.itemId, 'reveal', { principal: hanoi });
    expect(foreign.status).toBe(403);
    expect(foreign.raw).not.toContain('079069002284');
    const unknown = await itemCall('POST', 'RV-AAAAAAAAAAAAAAAAAAAAAAAAAA', 'reveal');
    expect(unknown.status).toBe(404);
    const anon = await itemCall('POST', item.itemId, 'reveal', { principal: null });
    expect(anon.status).toBe(401);
  });
});

describe('item context (GET …/context)', () => {
  it('returns escalation state and the application timeline with personal IDs masked', async () => {
    const item = await openItem({ personalId: '079069002284' });
    const res = await itemCall('GET', item.itemId, 'context');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ itemId: item.itemId, escalated: false, overdue: false, application: { applicationId: item.applicationId, status: 'IN_REVIEW' } });
    expect(res.body.application.timeline.map((e: { event: string }) => e.event)).toEqual(['IDENTITY_CHECK_STARTED', 'REVIEW_OPENED']);
    expect(res.raw).not.toContain('079069002284');
    expect(res.raw).toContain('079******284');
    expect(Date.parse(res.body.escalateAt) - Date.parse(res.body.application.createdAt)).toBeCloseTo(72 * HOUR, -3);
  });
});

describe('stats (GET /v1/review-stats)', () => {
  it('gives everyone counts per status; supervisors also per reason, per officer and the oldest open item', async () => {
    await useLocalTables('review-console-stats');
    setClock(BASE - 30 * HOUR);
    const oldest = await openItem({ reasonCode: 'HEAD_OF_HOUSEHOLD_NOT_FOUND' });
    setClock(BASE - 2 * HOUR);
    const a = await openItem({ reasonCode: 'NAME_MISMATCH' });
    const b = await openItem({ reasonCode: 'NAME_MISMATCH' });
    const c = await openItem({ reasonCode: 'ADDRESS_MISMATCH' });
    await openItem({ provinceCode: '01', reasonCode: 'ADDRESS_MISMATCH' });
    setClock(BASE);
    await claimReviewItem(staff, a.itemId);
    await claimReviewItem(staff2, b.itemId);
    await claimReviewItem(staff, c.itemId);
    await resolveReviewItem(staff, c.itemId, { decision: 'APPROVE', evidenceNote: 'Đã xác minh' });

    const staffView = await call('GET', '/v1/review-stats');
    expect(staffView.status).toBe(200);
    expect(staffView.body.byStatus).toEqual({ OPEN: 1, CLAIMED: 2, APPROVED: 1, REJECTED: 0, EXPIRED: 0 });
    expect(staffView.body.byReason).toBeUndefined();
    expect(staffView.body.byStaff).toBeUndefined();

    const sup = await reviewStats(supervisor);
    expect(sup.byReason).toMatchObject({
      NAME_MISMATCH: { open: 0, claimed: 2 },
      HEAD_OF_HOUSEHOLD_NOT_FOUND: { open: 1, claimed: 0, label: { vi: 'Không tồn tại thông tin chủ hộ trong cơ sở dữ liệu quốc gia về dân cư' } },
    });
    expect(sup.byReason?.ADDRESS_MISMATCH).toBeUndefined();
    expect(sup.byStaff).toEqual({
      'staff.79.1': { claimed: 1, overdue: 0, approved30d: 1, rejected30d: 0 },
      'staff.79.3': { claimed: 1, overdue: 0, approved30d: 0, rejected30d: 0 },
    });
    expect(sup.oldestOpen).toEqual({ itemId: oldest.itemId, createdAt: expect.stringMatching(/^2026-06-29T21:00:00/), ageSeconds: expect.any(Number) });
    expect(Math.abs(sup.oldestOpen!.ageSeconds - 30 * 3600)).toBeLessThan(5);

    const hanoiStats = await reviewStats(hanoi);
    expect(hanoiStats.byStatus).toEqual({ OPEN: 1, CLAIMED: 0, APPROVED: 0, REJECTED: 0, EXPIRED: 0 });
  });
});

describe('escalation (scheduled EscalateOverdueReviews)', () => {
  it('escalates after escalateAfterHours (and before the deadline for short review windows)', () => {
    const created = '2026-07-01T00:00:00.000Z';
    expect(escalateAtOf({ provinceCode: '79', createdAt: created, dueAt: '2026-07-06T00:00:00.000Z' })).toBe('2026-07-04T00:00:00.000Z');
    // A 10-hour review window: 72/120 of it = 6 hours, before the deadline.
    expect(escalateAtOf({ provinceCode: '79', createdAt: created, dueAt: '2026-07-01T10:00:00.000Z' })).toBe('2026-07-01T06:00:00.000Z');
  });

  it('flags items past the threshold with an ESCALATED audit row, once; lists them with escalated=true', async () => {
    await useLocalTables('review-console-esc');
    setClock(BASE - 80 * HOUR);
    const old = await openItem({ reasonCode: 'NAME_MISMATCH' });
    const oldClaimed = await openItem({ reasonCode: 'ADDRESS_MISMATCH' });
    await claimReviewItem(staff, oldClaimed.itemId);
    setClock(BASE - 10 * HOUR);
    const fresh = await openItem({ reasonCode: 'NAME_MISMATCH' });
    const foreign = await openItem({ provinceCode: '01' });
    setClock(BASE);

    const before = await call('GET', '/v1/review-queue');
    const oldRow = before.body.items.find((r: { itemId: string }) => r.itemId === old.itemId);
    expect(oldRow).toMatchObject({ overdue: true, escalated: false });
    expect(before.body.items.find((r: { itemId: string }) => r.itemId === fresh.itemId).overdue).toBe(false);

    const summary = await escalateHandler({}, {});
    expect(summary).toEqual({ examined: 3, escalated: 2, raced: 0 });
    expect(await escalateOverdueItems()).toEqual({ examined: 1, escalated: 0, raced: 0 });
    expect((await getItem(foreign.itemId)) as unknown).not.toHaveProperty('escalated');

    const stored = (await getItem(old.itemId)) as unknown as { escalated: boolean; escalationReason: string; status: string; version: number };
    expect(stored).toMatchObject({ escalated: true, escalationReason: 'AGE', status: 'OPEN', version: 2 });
    const claimedStored = await getItem(oldClaimed.itemId);
    expect(claimedStored).toMatchObject({ status: 'CLAIMED', claimedBy: 'staff.79.1' });
    const audit = await itemAuditTrail(staff, old.itemId);
    expect(audit.entries.at(-1)).toMatchObject({ action: 'ESCALATED', by: 'system', before: { escalated: false }, after: { escalated: true } });

    const escalatedOnly = await call('GET', '/v1/review-queue', { query: { escalated: 'true' } });
    expect(escalatedOnly.body.items.map((r: { itemId: string }) => r.itemId).sort()).toEqual([old.itemId, oldClaimed.itemId].sort());
    const notEscalated = await call('GET', '/v1/review-queue', { query: { escalated: 'false' } });
    expect(notEscalated.body.items.map((r: { itemId: string }) => r.itemId)).toEqual([fresh.itemId]);
    const stats = await reviewStats(supervisor);
    expect(stats).toMatchObject({ escalated: 2, overdue: 2 });
    expect(stats.byStaff?.['staff.79.1']).toMatchObject({ claimed: 1, overdue: 1 });

    // The escalated item can still be claimed and decided as usual.
    await claimReviewItem(staff2, old.itemId);
    const decided = await resolveReviewItem(staff2, old.itemId, { decision: 'APPROVE', evidenceNote: 'ok' });
    expect(decided.item.status).toBe('APPROVED');
  });
});

describe('audit CSV (GET /v1/review-audit.csv)', () => {
  it('exports the province rows of a date range as raw CSV, masked and CSV-injection safe', async () => {
    await useLocalTables('review-console-csv');
    setClock(Date.parse('2026-06-29T20:00:00.000Z')); // 2026-06-30 03:00 in Vietnam
    const june = await openItem({ personalId: '079069002284' });
    setClock(BASE); // 2026-07-01 10:00 in Vietnam
    const july = await openItem({ personalId: '079069002284' });
    await claimReviewItem(staff, july.itemId);
    await revealPersonalId(staff, july.itemId, '=HYPERLINK("http://evil.example","x")');
    await reassignReviewItem(supervisor, july.itemId, { toStaffId: 'staff.79.3', note: '+SUM(1,2)' });
    await openItem({ provinceCode: '01', personalId: '001185004426' });

    const res = await call('GET', '/v1/review-audit.csv', { query: { from: '2026-07-01', to: '2026-07-01' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="review-audit-79-2026-07-01-2026-07-01.csv"');
    expect(res.headers['x-audit-rows']).toBe('4');
    const csv = res.raw as string;
    expect(csv.startsWith('\uFEFF"at","itemId","applicationId","service","reasonCode","action","by","before","after","detail"\r\n')).toBe(true);
    const lines = csv.slice(1).trim().split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines.slice(1).map((l) => l.split('","')[5])).toEqual(['OPENED', 'CLAIMED', 'REVEALED_PERSONAL_ID', 'REASSIGNED']);
    expect(lines.every((l) => !l.includes(june.itemId))).toBe(true);
    expect(csv).not.toContain('079069002284');
    expect(csv).not.toContain('001185004426');
    // Attacker-controlled text cannot start a formula: the JSON cell starts with "{", and a bare cell would get a quote prefix.
    expect(csv).toContain('""purpose"":""=HYPERLINK(\\""http://evil.example\\"",\\""x\\"")""');
    expect(csvCell('=1+2')).toBe(`"'=1+2"`);
    expect(csvCell('+SUM(1,2)')).toBe(`"'+SUM(1,2)"`);
    expect(csvCell('-3')).toBe(`"'-3"`);
    expect(csvCell('@cmd')).toBe(`"'@cmd"`);
    expect(csvCell('\tx')).toBe(`"'\tx"`);
    expect(csvCell('a "b"')).toBe('"a ""b"""');
    expect(csvCell(null)).toBe('""');

    const both = await auditCsv(staff, '2026-06-30', '2026-07-01');
    expect(both.rows).toBe(5);
    const hanoiCsv = await auditCsv(hanoi, '2026-07-01', '2026-07-01');
    expect(hanoiCsv.rows).toBe(1);
    expect(hanoiCsv.csv).not.toContain(july.itemId);

    for (const query of [{ from: '2026-07-02', to: '2026-07-01' }, { from: '2026-02-30', to: '2026-03-01' }, { from: '2026-01-01', to: '2026-07-01' }]) {
      const bad = await call('GET', '/v1/review-audit.csv', { query });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toMatch(/INVALID_DATE_RANGE|DATE_RANGE_TOO_LONG/);
    }
    const missing = await call('GET', '/v1/review-audit.csv', { query: { from: '2026-07-01' } });
    expect(missing.status).toBe(400);
  });

  it('reads dates as Asia/Ho_Chi_Minh calendar days', () => {
    expect(auditRange('2026-07-01', '2026-07-01')).toEqual({ fromIso: '2026-06-30T17:00:00.000Z', toIso: '2026-07-01T17:00:00.000Z' });
  });
});
