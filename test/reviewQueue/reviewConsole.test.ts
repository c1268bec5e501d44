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
import { encodeQuote, paymentsRepository } from '../../functions/adapters/paymentsRepository';
import { calculateLumpSumAmount } from '../../functions/domain/lumpSum/lumpSumAmount';
import { resetStepFunctionsClient } from '../../functions/adapters/stepFunctions';
import { claimReviewItem, openReviewItem, resolveReviewItem } from '../../functions/reviewQueue/reviewQueue';
import { getItem, listAudit } from '../../functions/reviewQueue/reviewItemsRepository';
import {
  auditCsv,
  auditRange,
  csvCell,
  itemAuditTrail,
  listConsoleQueue,
  listOfficers,
  vietnamDateTime,
  whoAmI,
  reassignReviewItem,
  releaseReviewItem,
  revealPersonalId,
  reviewStats,
} from '../../functions/reviewQueue/reviewConsole';
import { escalateAtOf } from '../../functions/reviewQueue/reviewPolicy';
import { escalateOverdueItems } from '../../functions/reviewQueue/escalation';
import { listNotices } from '../../functions/reviewQueue/notices';
import { snsClient } from '../../functions/adapters/supervisorNotices';
import { handler as consoleHandler } from '../../functions/api/reviewConsole';
import { handler as contextHandler } from '../../functions/api/reviewItemContext';
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
  // The item's context has a function of its own (functions/catalog.ts); the rest is the console's.
  const handler = (opts.resource ?? path).endsWith('/context') ? contextHandler : consoleHandler;
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
        'GET /v1/staff/officers',
        'GET /v1/review-queue',
        'GET /v1/review-stats',
        'GET /v1/review-notices',
        'GET /v1/review-audit.csv',
        'GET /v1/refunds-due',
        'GET /v1/payments-reconciliation.csv',
        'GET /v1/review-items/{itemId}/audit',
        'POST /v1/review-items/{itemId}/release',
        'POST /v1/review-items/{itemId}/reassign',
        'POST /v1/review-items/{itemId}/reveal',
      ].sort(),
    );
    expect(consoleRoutes.every((r) => r.auth === 'staff')).toBe(true);
    // The item's context (its explained amounts) has a function of its own: the explanations stay out of the console's bundle.
    expect(routes.filter((r) => r.fn === 'ReviewItemContextApi').map((r) => `${r.auth} ${r.method} ${r.path}`)).toEqual(['staff GET /v1/review-items/{itemId}/context']);
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

  it('records the officer as known to the province: supervisors list them (GET /v1/staff/officers), staff may not', async () => {
    await useLocalTables('review-console-officers');
    await whoAmI(staff);
    await whoAmI(supervisor);
    await whoAmI(hanoi);
    const res = await call('GET', '/v1/staff/officers', { principal: supervisor });
    expect(res.status).toBe(200);
    expect(res.body.officers.map((o: { staffId: string }) => o.staffId).sort()).toEqual(['staff.79.1', 'staff.79.2']);
    expect(res.body.officers.find((o: { staffId: string }) => o.staffId === 'staff.79.1')).toMatchObject({ name: 'Nguyễn Thị Lan', roles: ['staff'] });
    expect((await listOfficers(hanoi)).officers.map((o) => o.staffId)).toEqual(['staff.01.1']);
    const denied = await call('GET', '/v1/staff/officers', { principal: staff });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('SUPERVISOR_ONLY');
  });
});

describe('queue listing (GET /v1/review-queue)', () => {
  it("lists active items of the caller province by due time, with the citizen's name and masked ID and the holder's name; filters by status, reason, service, escalated", async () => {
    setClock(BASE - 10 * HOUR);
    const late = await openItem({ reasonCode: 'HEAD_OF_HOUSEHOLD_NOT_FOUND', reviewSeconds: 200 * 3600 });
    setClock(BASE - 9 * HOUR);
    const soon = await openItem({ reasonCode: 'NAME_MISMATCH', reviewSeconds: 20 * 3600, service: 'LUMP_SUM_WITHDRAWAL' });
    const claimed = await openItem({ reasonCode: 'NAME_MISMATCH' });
    const other = await openItem({ provinceCode: '01' });
    setClock(BASE);
    await whoAmI(staff);
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
      reason: { code: 'HEAD_OF_HOUSEHOLD_NOT_FOUND', message: { vi: 'Không tồn tại thông tin chủ hộ trong cơ sở dữ liệu quốc gia về dân cư' } },
      claimedBy: null,
      claimedByName: null,
      escalated: false,
      fullName: 'Cao Van Thang',
      maskedPersonalId: `${late.personalId.slice(0, 3)}******${late.personalId.slice(-3)}`,
    });
    expect(res.body.items.find((r: { itemId: string }) => r.itemId === claimed.itemId)).toMatchObject({ claimedBy: 'staff.79.1', claimedByName: 'Nguyễn Thị Lan' });
    // Never a full personal ID, never the task token, never the registry's snapshot.
    expect(res.raw).not.toMatch(/"personalId"|taskToken|Cao Văn Thắng/);
    for (const item of [late, soon, claimed]) expect(res.raw).not.toContain(item.personalId);

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

  it('pages through the active queue (OPEN and CLAIMED merged by deadline) without losing or repeating an item', async () => {
    await useLocalTables('review-console-paging');
    const opened: { itemId: string; dueAt: string }[] = [];
    for (let i = 0; i < 9; i++) {
      setClock(BASE - (20 - i) * HOUR);
      const item = await openItem({ reasonCode: i % 3 === 0 ? 'ADDRESS_MISMATCH' : 'NAME_MISMATCH' });
      opened.push({ itemId: item.itemId, dueAt: (await getItem(item.itemId))!.dueAt });
    }
    setClock(BASE);
    for (const i of [1, 4, 5, 8]) await claimReviewItem(staff, opened[i].itemId);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await call('GET', '/v1/review-queue', { query: { limit: '2', ...(cursor ? { cursor } : {}) } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((r: { itemId: string }) => r.itemId));
      cursor = res.body.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 20);
    expect(seen).toEqual(opened.map((o) => o.itemId)); // every item once, by deadline, across both statuses
    expect(pages).toBe(5);

    // Filters page too: the ADDRESS_MISMATCH items (0, 3, 6), one per page.
    const filtered: string[] = [];
    cursor = undefined;
    do {
      const page = await listConsoleQueue(staff, { reason: 'ADDRESS_MISMATCH', limit: 1, cursor });
      filtered.push(...page.items.map((r) => r.itemId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(filtered).toEqual([opened[0], opened[3], opened[6]].map((o) => o.itemId));

    // Overdue: active items past their target time (72 h after opening): none yet; then all of them.
    expect((await listConsoleQueue(staff, { overdue: true })).items).toEqual([]);
    setClock(BASE + 80 * HOUR);
    const overdue = await call('GET', '/v1/review-queue', { query: { overdue: 'true', limit: '200' } });
    expect(overdue.body.items).toHaveLength(9);
    expect(overdue.body.items.every((r: { overdue: boolean; pastDeadline: boolean }) => r.overdue && !r.pastDeadline)).toBe(true);

    // A cursor is opaque and bound to its listing: anything else is a 400, never a 500.
    const forged = Buffer.from(JSON.stringify({ itemId: 'RV-AAAAAAAAAAAAAAAAAAAAAAAAAA', sk: 'ITEM', provinceCode: '79', queueKey: 'ZZZ' })).toString('base64url');
    for (const bad of ['not a cursor', 'e30', forged]) {
      const res = await call('GET', '/v1/review-queue', { query: { status: 'OPEN', cursor: bad } });
      expect(res.status, bad).toBe(400);
      expect(res.body.code).toBe('INVALID_CURSOR');
    }
    const active = await call('GET', '/v1/review-queue', { query: { cursor: 'bm90IGpzb24' } });
    expect(active.status).toBe(400);
    expect(active.body.code).toBe('INVALID_CURSOR');
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
    for (const officer of [staff, staff2, supervisor, hanoi]) await whoAmI(officer);
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
    // Officers by name: who acted, and every holder the entries name.
    expect(reassigned[0].byName).toBe('Trần Văn Hùng');
    expect(audit.entries.find((e) => e.action === 'OPENED')?.byName).toBeNull();
    expect(audit.officerNames).toEqual({ 'staff.79.2': 'Trần Văn Hùng', 'staff.79.3': 'Lê Văn Minh', 'staff.79.1': 'Nguyễn Thị Lan' });
    const view = await call('GET', `/v1/review-items/${item.itemId}/audit`, { principal: supervisor, resource: '/v1/review-items/{itemId}/audit', params: { itemId: item.itemId } });
    expect(view.body.officerNames['staff.79.3']).toBe('Lê Văn Minh');

    await resolveReviewItem(staff, item.itemId, { decision: 'REJECT', reason: 'Không đủ căn cứ' });
    const decided = await itemCall('POST', item.itemId, 'reassign', { principal: supervisor, body: { toStaffId: 'staff.79.3' } });
    expect(decided.status).toBe(409);
    expect(decided.body.code).toBe('ITEM_ALREADY_RESOLVED');
    const foreign = await itemCall('POST', item.itemId, 'reassign', { principal: hanoi, body: { toStaffId: 'staff.01.1' } });
    expect(foreign.status).toBe(403);
  });

  it('only to an officer of the same province who has signed in (422 UNKNOWN_OFFICER otherwise)', async () => {
    for (const officer of [staff, supervisor, hanoi]) await whoAmI(officer);
    const item = await openItem();
    for (const toStaffId of ['staff.79.9', 'staff.01.1']) {
      const res = await itemCall('POST', item.itemId, 'reassign', { principal: supervisor, body: { toStaffId } });
      expect(res.status, toStaffId).toBe(422);
      expect(res.body.code).toBe('UNKNOWN_OFFICER');
      expect(res.body.message.vi).toContain(toStaffId);
    }
    expect((await getItem(item.itemId))).toMatchObject({ status: 'OPEN', version: 1 });
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
    const purpose = 'Gọi điện xác minh với công dân';
    await Promise.all([revealPersonalId(staff, item.itemId, purpose), revealPersonalId(staff2, item.itemId, purpose), revealPersonalId(supervisor, item.itemId, purpose)]);
    const after = (await listAudit(item.itemId)).filter((r) => (r.action as string) === 'REVEALED_PERSONAL_ID');
    expect(after).toHaveLength(4);

    // No purpose, no ID.
    for (const body of [undefined, {}, { purpose: '  ' }, { purpose: 'x' }]) {
      const res = await itemCall('POST', item.itemId, 'reveal', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('PURPOSE_REQUIRED');
      expect(res.raw).not.toContain('079069002284');
    }
    expect((await listAudit(item.itemId)).filter((r) => (r.action as string) === 'REVEALED_PERSONAL_ID')).toHaveLength(4);

    const foreign = await itemCall('POST', item.itemId, 'reveal', { principal: hanoi, body: { purpose } });
    expect(foreign.status).toBe(403);
    expect(foreign.raw).not.toContain('079069002284');
    const unknown = await itemCall('POST', 'RV-AAAAAAAAAAAAAAAAAAAAAAAAAA', 'reveal', { body: { purpose } });
    expect(unknown.status).toBe(404);
    const badPath = await itemCall('POST', '%E0%A4%A', 'reveal', { body: { purpose } });
    expect(badPath.status).toBe(400);
    expect(badPath.body.code).toBe('INVALID_PATH_PARAMETER');
    const anon = await itemCall('POST', item.itemId, 'reveal', { principal: null, body: { purpose } });
    expect(anon.status).toBe(401);
  });
});

describe('item context (GET …/context)', () => {
  it('returns escalation state and the application timeline with personal IDs masked', async () => {
    const item = await openItem({ personalId: '079069002284' });
    const res = await itemCall('GET', item.itemId, 'context');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ itemId: item.itemId, escalated: false, overdue: false, pastDeadline: false, application: { applicationId: item.applicationId, status: 'IN_REVIEW' } });
    expect(res.body.application.timeline.map((e: { event: string }) => e.event)).toEqual(['IDENTITY_CHECK_STARTED', 'REVIEW_OPENED']);
    expect(res.raw).not.toContain('079069002284');
    expect(res.raw).toContain('079******284');
    expect(Date.parse(res.body.escalateAt) - Date.parse(res.body.application.createdAt)).toBeCloseTo(72 * HOUR, -3);
  });
});

describe('item context: the amounts with their explanations', () => {
  it("a completed lump sum: its amount explained, nothing internal; a household renewal: its quote's members and total", async () => {
    const lumpSum = await openItem({ service: 'LUMP_SUM_WITHDRAWAL' });
    const breakdown = calculateLumpSumAmount({
      applicationDate: '2026-03-10',
      reason: 'ONE_YEAR_GAP',
      periods: [
        { employer: 'A', employerCode: 'DN001', from: '2011-03', to: '2013-12', monthlySalary: 5_000_000, schemes: ['SI'] },
        { employer: 'A', employerCode: 'DN001', from: '2014-01', to: '2016-06', monthlySalary: 6_000_000, schemes: ['SI'] },
      ],
    });
    await applicationsRepository.transition(lumpSum.applicationId, {
      to: 'COMPLETED',
      event: 'SETTLED',
      set: { result: { amount: breakdown.amount, breakdown: { ...breakdown, coefficientTable: { ...breakdown.coefficientTable, verify: true } } } },
    });
    const res = await itemCall('GET', lumpSum.itemId, 'context');
    expect(res.status).toBe(200);
    expect(res.body.application.amounts).toEqual([
      { kind: 'LUMP_SUM', fullName: null, amount: 78_384_375, explanation: { vi: expect.stringContaining('Mức hưởng: 7.838.437,5 đồng × 10 = 78.384.375 đồng.'), en: expect.any(String), steps: expect.any(Array) } },
    ]);
    expect(res.raw).not.toMatch(/"verify"|\(verify\)/);

    const household = await openItem({ personalId: '079069002284' });
    const paymentRequestId = `PR-${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    const quote = {
      periodMonths: 12, paymentDate: '2026-07-01', baseSalary: 2_530_000, validThrough: '2026-12-31', excluded: [], total: 2_322_540, legalBasis: [],
      members: [
        { personalId: '079187000002', fullName: 'Trần Thị Bình', dateOfBirth: '1987-05-20', relationToHead: 'VO', ladderPosition: 1, sharePercent: 100, monthlyAmount: 113_850, periodAmount: 1_366_200, cardValidFrom: '2026-07-15', cardExpiresOn: '2027-07-14' },
        { personalId: '079155000003', fullName: 'Lê Thị Cúc', dateOfBirth: '1955-11-02', relationToHead: 'ME', ladderPosition: 2, sharePercent: 70, monthlyAmount: 79_695, periodAmount: 956_340, cardValidFrom: '2026-07-15', cardExpiresOn: '2027-07-14' },
      ],
    };
    await paymentsRepository.createRequest({
      paymentRequestId, applicationId: household.applicationId, provinceCode: '79', amount: quote.total, dueAt: '2026-07-08T03:00:00.000Z',
      createdAt: new Date().toISOString(), householdId: null, taskToken: 'token', quoteZ: encodeQuote({ quote, quoteCards: {} }),
    });
    await applicationsRepository.transition(household.applicationId, { to: 'AWAITING_PAYMENT', event: 'AWAITING_PAYMENT', set: { paymentRequestId } });
    const ctx = await itemCall('GET', household.itemId, 'context');
    expect(ctx.body.application.amounts.map((a: { kind: string; fullName: string | null; amount: number }) => [a.kind, a.fullName, a.amount])).toEqual([
      ['HOUSEHOLD_MEMBER', 'Trần Thị Bình', 1_366_200],
      ['HOUSEHOLD_MEMBER', 'Lê Thị Cúc', 956_340],
      ['HOUSEHOLD_TOTAL', null, 2_322_540],
    ]);
    expect(ctx.body.application.amounts[1].explanation.vi).toContain('= 79.695 đồng mỗi tháng; 79.695 đồng × 12 tháng = 956.340 đồng.');
    expect(ctx.raw).not.toContain('079155000003');
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
    expect(staffView.body.decidedWindowDays).toBe(30);
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

    // Decisions older than the window are not counted any more; active items always are.
    setClock(BASE + 31 * 24 * HOUR);
    expect((await reviewStats(staff)).byStatus).toMatchObject({ APPROVED: 0 });
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

    // Only the items due for escalation are read (the sparse index): the two old ones of this province.
    const summary = await escalateHandler({}, {});
    expect(summary).toEqual({ examined: 2, escalated: 2, raced: 0, notices: [{ provinceCode: '79', items: 2, delivery: 'NO_TOPIC' }] });
    expect(await escalateOverdueItems()).toEqual({ examined: 0, escalated: 0, raced: 0, notices: [] });
    expect((await getItem(foreign.itemId)) as unknown).not.toHaveProperty('escalated');
    expect(await getItem(fresh.itemId)).toMatchObject({ escalationDueAt: expect.any(String) });

    const stored = await getItem(old.itemId);
    expect(stored).toMatchObject({ escalated: true, status: 'OPEN', version: 2 });
    expect(stored).not.toHaveProperty('escalationDueAt');
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

    // A decided item leaves the escalation index even if it was never escalated.
    await claimReviewItem(staff, fresh.itemId);
    await resolveReviewItem(staff, fresh.itemId, { decision: 'REJECT', reason: 'Không đủ căn cứ' });
    expect(await getItem(fresh.itemId)).not.toHaveProperty('escalationDueAt');
    setClock(BASE + 100 * HOUR);
    expect(await escalateOverdueItems()).toEqual({ examined: 0, escalated: 0, raced: 0, notices: [] });
  });

  it("tells the province's supervisors: a notice per escalated item (console list) and one SNS message, with no personal data", async () => {
    await useLocalTables('review-console-notices');
    const sns = mockClient(snsClient());
    sns.resolves({ MessageId: 'm-1' });
    process.env.SUPERVISOR_NOTICES_TOPIC_ARN = 'arn:aws:sns:ap-southeast-1:111111111111:supervisors-79';
    try {
      // Opened 80 h 30 min before the run: 80 whole hours old.
      setClock(BASE - 80.5 * HOUR);
      const a = await openItem({ reasonCode: 'NAME_MISMATCH', personalId: '079069002284', fullName: 'Cao Van Thang' });
      const b = await openItem({ reasonCode: 'ADDRESS_MISMATCH' });
      const foreign = await openItem({ provinceCode: '01' });
      setClock(BASE);
      const summary = await escalateOverdueItems({ provinceCodes: ['79', '01'] });
      expect(summary.notices).toEqual([
        { provinceCode: '79', items: 2, delivery: 'PUBLISHED' },
        { provinceCode: '01', items: 1, delivery: 'PUBLISHED' },
      ]);
      const calls = sns.calls().map((c) => (c.args[0] as { input: { TopicArn: string; Message: string; Subject: string } }).input);
      expect(calls).toHaveLength(2);
      expect(calls[0].TopicArn).toBe('arn:aws:sns:ap-southeast-1:111111111111:supervisors-79');
      const message = JSON.parse(calls[0].Message);
      expect(message).toMatchObject({ type: 'REVIEW_ITEMS_ESCALATED', provinceCode: '79', count: 2 });
      expect(message.items.map((i: { itemId: string }) => i.itemId).sort()).toEqual([a.itemId, b.itemId].sort());
      expect(message.items.find((i: { itemId: string }) => i.itemId === a.itemId)).toEqual({
        itemId: a.itemId, reasonCode: 'NAME_MISMATCH', reason: expect.stringContaining('Họ và tên'), ageHours: 80, dueAt: expect.any(String),
      });
      // Item id + reason + age only: never a personal ID, a name or an application id.
      for (const c of calls) {
        const text = JSON.stringify(c);
        for (const secret of [a.personalId, b.personalId, foreign.personalId, 'Cao Van', 'Cao Văn', a.applicationId, b.applicationId]) expect(text).not.toContain(secret);
        expect(c.Subject.length).toBeLessThanOrEqual(100);
      }

      // The console's list: supervisors of the province only, newest first, the item's age then.
      const denied = await call('GET', '/v1/review-notices');
      expect(denied.status).toBe(403);
      expect(denied.body.code).toBe('SUPERVISOR_ONLY');
      const listed = await call('GET', '/v1/review-notices', { principal: supervisor });
      expect(listed.status).toBe(200);
      expect(listed.body.notices.map((n: { itemId: string }) => n.itemId).sort()).toEqual([a.itemId, b.itemId].sort());
      expect(listed.body.notices[0]).toMatchObject({ kind: 'ESCALATED', ageHours: 80, reason: { code: expect.any(String), message: { vi: expect.any(String), en: expect.any(String) } } });
      expect(listed.raw).not.toContain(a.personalId);
      expect((await listNotices(hanoi)).notices.map((n) => n.itemId)).toEqual([foreign.itemId]);

      // SNS down: the items are still escalated and listed; the run does not fail.
      setClock(BASE - 80 * HOUR);
      const c = await openItem();
      setClock(BASE);
      sns.rejects(new Error('SNS unavailable'));
      expect((await escalateOverdueItems()).notices).toEqual([{ provinceCode: '79', items: 1, delivery: 'FAILED' }]);
      expect(await getItem(c.itemId)).toMatchObject({ escalated: true });
      expect((await listNotices(supervisor)).notices.map((n) => n.itemId)).toContain(c.itemId);
    } finally {
      delete process.env.SUPERVISOR_NOTICES_TOPIC_ARN;
      sns.restore();
    }
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
    await whoAmI(staff2);
    await reassignReviewItem(supervisor, july.itemId, { toStaffId: 'staff.79.3', note: '+SUM(1,2)' });
    await openItem({ provinceCode: '01', personalId: '001185004426' });
    await whoAmI(staff);

    // The trail names every officer's actions (reveals included): supervisors only.
    const denied = await call('GET', '/v1/review-audit.csv', { query: { from: '2026-07-01', to: '2026-07-01' } });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('SUPERVISOR_ONLY');

    const res = await call('GET', '/v1/review-audit.csv', { principal: supervisor, query: { from: '2026-07-01', to: '2026-07-01' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="review-audit-79-2026-07-01-2026-07-01.csv"');
    expect(res.headers['x-audit-rows']).toBe('4');
    const csv = res.raw as string;
    expect(
      csv.startsWith('\uFEFF"at","atVietnam","itemId","applicationId","service","reasonCode","action","actionVi","by","byName","before","after","detail"\r\n'),
    ).toBe(true);
    const lines = csv.slice(1).trim().split('\r\n');
    expect(lines).toHaveLength(5);
    const cells = lines.slice(1).map((l) => l.slice(1, -1).split('","'));
    expect(cells.map((c) => c[6])).toEqual(['OPENED', 'CLAIMED', 'REVEALED_PERSONAL_ID', 'REASSIGNED']);
    expect(cells.map((c) => c[7])).toEqual(['Mở yêu cầu xem xét', 'Nhận xử lý', 'Xem số định danh đầy đủ', 'Giao cho cán bộ khác']);
    expect(cells[0][1]).toBe('01/07/2026 10:00:00');
    expect(cells[0].slice(3, 6)).toEqual([july.applicationId, 'HOUSEHOLD_RENEWAL', 'NAME_MISMATCH']);
    // The id stays (audit), the name is beside it; the supervisor never signed in here: id only.
    expect(cells.map((c) => [c[8], c[9]])).toEqual([['system', ''], ['staff.79.1', 'Nguyễn Thị Lan'], ['staff.79.1', 'Nguyễn Thị Lan'], ['staff.79.2', '']]);
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

    const both = await auditCsv(supervisor, '2026-06-30', '2026-07-01');
    expect(both.rows).toBe(5);
    const hanoiCsv = await auditCsv(hanoi, '2026-07-01', '2026-07-01');
    expect(hanoiCsv.rows).toBe(1);
    expect(hanoiCsv.csv).not.toContain(july.itemId);

    for (const query of [
      { from: '2026-07-02', to: '2026-07-01' },
      { from: '2026-02-30', to: '2026-03-01' },
      { from: '2026-13-45', to: '2026-12-01' },
      { from: '2026-00-10', to: '2026-01-01' },
      { from: '2026-1-1', to: '2026-01-02' },
      { from: '2026-01-01', to: '2026-07-01' },
    ]) {
      const bad = await call('GET', '/v1/review-audit.csv', { principal: supervisor, query });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toMatch(/INVALID_DATE_RANGE|DATE_RANGE_TOO_LONG/);
    }
    const missing = await call('GET', '/v1/review-audit.csv', { principal: supervisor, query: { from: '2026-07-01' } });
    expect(missing.status).toBe(400);
  });

  it('reads dates as Asia/Ho_Chi_Minh calendar days', () => {
    expect(auditRange('2026-07-01', '2026-07-01')).toEqual({ fromIso: '2026-06-30T17:00:00.000Z', toIso: '2026-07-01T17:00:00.000Z', days: ['2026-07-01'] });
    expect(auditRange('2026-06-30', '2026-07-02').days).toEqual(['2026-06-30', '2026-07-01', '2026-07-02']);
    expect(vietnamDateTime('2026-06-30T17:00:00.000Z')).toBe('01/07/2026 00:00:00');
  });
});
