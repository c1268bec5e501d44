/**
 * Consumer authentication end to end over the local system (the local API server plays API Gateway's Cognito
 * authorizer with the dev consumer tokens): every consumer route needs a consumer access token, a consumer reads
 * only its own applications (another's is the unknown id's 404), Idempotency-Keys are per consumer, application ids
 * are random, and concurrent retries of one key leave one application, one execution and one WORKFLOW_STARTED.
 */
import { describe, expect, it } from 'vitest';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../../functions/adapters/dynamo';
import { routes } from '../../functions/catalog';
import { apiClient, PORTAL, startTestSystem, VSSID } from '../support/localSystem';
import { DEMO_NOW, useDemoSystem } from '../support/serviceScenarios';
import type { LocalSystem } from '../../local/runtime';

const UNAUTHENTICATED = {
  code: 'UNAUTHENTICATED',
  message: { vi: 'Chưa xác thực hoặc mã xác thực không hợp lệ', en: 'Missing or invalid credentials' },
};

/** The household renewal body of a demo scenario. */
function householdBody(system: LocalSystem, name: string) {
  const s = system.seed.scenarios.find((x) => x.name === name);
  if (!s) throw new Error(`demo scenario ${name} missing`);
  const { periodMonths, ...head } = s.submit as Record<string, unknown>;
  return { head, periodMonths };
}

/** Every item of the applications table: applications and idempotency records (`IDEMPOTENCY#…`). */
async function tableItems(system: LocalSystem) {
  const items: Record<string, any>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await dynamo().send(new ScanCommand({ TableName: system.tables.APPLICATIONS_TABLE, ConsistentRead: true, ExclusiveStartKey }));
    items.push(...(out.Items ?? []));
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return {
    applications: items.filter((i) => !String(i.applicationId).startsWith('IDEMPOTENCY#')),
    idempotencyRecords: items.filter((i) => String(i.applicationId).startsWith('IDEMPOTENCY#')),
  };
}

describe('consumer routes over the local system', () => {
  const demo = useDemoSystem();
  /** Written out (not read from the catalog) so that a route losing its authentication fails here. */
  const consumerRoutes = [
    { method: 'POST', path: '/v1/household-renewals/quote' },
    { method: 'POST', path: '/v1/household-renewals' },
    { method: 'POST', path: '/v1/unemployment-history-requests' },
    { method: 'POST', path: '/v1/lump-sum-claims' },
    { method: 'GET', path: '/v1/applications/{applicationId}' },
  ];
  const urlOf = (path: string) => path.replace('{applicationId}', 'HR-0000000000000000000000000');

  it("the catalog's consumer routes are exactly these: the quote, the three submissions and the application view", () => {
    const inCatalog = routes.filter((r) => r.auth === 'consumer').map((r) => `${r.method} ${r.path}`);
    expect(inCatalog.sort()).toEqual(consumerRoutes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('no token → 401 with the error shape on every consumer route, nothing stored', async () => {
    const anonymous = apiClient(demo.system().apiUrl, { consumerToken: null });
    const before = await tableItems(demo.system());
    for (const route of consumerRoutes) {
      const body = route.path === '/v1/household-renewals/quote' || route.path === '/v1/household-renewals' ? householdBody(demo.system(), 'CLEAN') : {};
      const res =
        route.method === 'GET'
          ? await anonymous.get(urlOf(route.path))
          : await anonymous.post(urlOf(route.path), body, undefined, { 'idempotency-key': 'no-token-1' });
      expect(res.status, `${route.method} ${route.path}`).toBe(401);
      expect(res.body).toEqual(UNAUTHENTICATED);
    }
    const after = await tableItems(demo.system());
    expect(after.applications).toHaveLength(before.applications.length);
    expect(after.idempotencyRecords).toHaveLength(before.idempotencyRecords.length);
  });

  it('a staff token on a consumer route → 401 (a staff ID token is not a consumer)', async () => {
    const api = demo.api();
    for (const route of consumerRoutes) {
      const body = route.path.startsWith('/v1/household-renewals') ? householdBody(demo.system(), 'CLEAN') : {};
      const res = route.method === 'GET' ? await api.get(urlOf(route.path), 'dev-staff-79') : await api.post(urlOf(route.path), body, 'dev-supervisor-79');
      expect([401, 403], `${route.method} ${route.path}`).toContain(res.status);
      expect(res.body).toEqual(UNAUTHENTICATED);
    }
  });

  it("another consumer's application → 404 with a body identical to an unknown id's", async () => {
    const api = demo.api();
    const submitted = await api.post('/v1/household-renewals', householdBody(demo.system(), 'CLEAN'), PORTAL);
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    const id = submitted.body.applicationId as string;

    const own = await api.get(`/v1/applications/${id}`, PORTAL);
    expect(own.status).toBe(200);
    expect(own.body.applicationId).toBe(id);

    const others = await api.get(`/v1/applications/${id}`, VSSID);
    const unknown = await api.get('/v1/applications/HR-7ZZZZZZZZZZZZZZZZZZZZZZZZZ', VSSID);
    expect(others.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(others.body).toEqual(unknown.body);
    expect(others.body).toEqual({ code: 'APPLICATION_NOT_FOUND', message: { vi: 'Không tìm thấy hồ sơ', en: 'Application not found' } });
  });

  it('the same Idempotency-Key from two consumers → two applications; from one consumer → one', async () => {
    const api = demo.api();
    const body = householdBody(demo.system(), 'CLEAN');
    const key = 'shared-key-0001';
    const before = await tableItems(demo.system());
    const portal1 = await api.post('/v1/household-renewals', body, PORTAL, { 'idempotency-key': key });
    const portal2 = await api.post('/v1/household-renewals', body, PORTAL, { 'idempotency-key': key });
    const vssid = await api.post('/v1/household-renewals', body, VSSID, { 'idempotency-key': key });
    for (const res of [portal1, portal2, vssid]) expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(portal2.body.applicationId).toBe(portal1.body.applicationId);
    expect(vssid.body.applicationId).not.toBe(portal1.body.applicationId);

    const after = await tableItems(demo.system());
    const created = after.applications.filter((a) => !before.applications.some((b) => b.applicationId === a.applicationId));
    expect(created.map((a) => [a.applicationId, a.consumerId]).sort()).toEqual(
      [
        [portal1.body.applicationId, 'portal'],
        [vssid.body.applicationId, 'vssid'],
      ].sort(),
    );
    const records = after.idempotencyRecords.filter((r) => !before.idempotencyRecords.some((b) => b.applicationId === r.applicationId));
    expect(records.map((r) => [r.consumerId, r.targetApplicationId, r.service]).sort()).toEqual(
      [
        ['portal', portal1.body.applicationId, 'HOUSEHOLD_RENEWAL'],
        ['vssid', vssid.body.applicationId, 'HOUSEHOLD_RENEWAL'],
      ].sort(),
    );
    // Each sees its own and not the other's.
    expect((await api.get(`/v1/applications/${vssid.body.applicationId}`, VSSID)).status).toBe(200);
    expect((await api.get(`/v1/applications/${vssid.body.applicationId}`, PORTAL)).status).toBe(404);
  });

  it('24 concurrent submits with one key → one application item, one execution, exactly one WORKFLOW_STARTED', async () => {
    const system = demo.system();
    const api = demo.api();
    const body = householdBody(system, 'CLEAN');
    const machine = system.stateMachineArn('HouseholdRenewal');
    const before = await tableItems(system);
    const executionsBefore = system.engine.listExecutions(machine).length;

    const answers = await Promise.all(
      Array.from({ length: 24 }, () => api.post('/v1/household-renewals', body, undefined, { 'idempotency-key': 'concurrent-key-0001' })),
    );
    for (const res of answers) expect(res.status, JSON.stringify(res.body)).toBe(202);
    const ids = new Set(answers.map((r) => r.body.applicationId));
    expect(ids.size).toBe(1);
    const [id] = [...ids];

    const after = await tableItems(system);
    expect(after.applications.length - before.applications.length).toBe(1);
    expect(system.engine.listExecutions(machine).length - executionsBefore).toBe(1);
    expect(system.engine.listExecutions(machine).filter((e) => e.name === id)).toHaveLength(1);
    const item = after.applications.find((a) => a.applicationId === id)!;
    expect(item.timeline.filter((e: { event: string }) => e.event === 'WORKFLOW_STARTED')).toHaveLength(1);
    expect(after.idempotencyRecords.length - before.idempotencyRecords.length).toBe(1);
    expect(item.executionArn).toBe(system.engine.listExecutions(machine).find((e) => e.name === id)!.executionArn);
  });
});

describe('application ids', () => {
  it('are random, not derived from the key: the same consumer and key in two fresh systems give two different ids', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const system = await startTestSystem({ now: DEMO_NOW });
      try {
        const res = await apiClient(system.apiUrl).post('/v1/household-renewals', householdBody(system, 'CLEAN'), PORTAL, {
          'idempotency-key': 'same-key-in-two-systems',
        });
        expect(res.status, JSON.stringify(res.body)).toBe(202);
        ids.push(res.body.applicationId);
      } finally {
        await system.stop();
      }
    }
    expect(ids[0]).toMatch(/^HR-[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(ids[1]).toMatch(/^HR-[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(ids[1]).not.toBe(ids[0]);
  }, 120_000);
});
