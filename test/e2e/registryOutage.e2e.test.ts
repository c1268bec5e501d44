/**
 * A registry outage handled as an outage (issue 12 item 2), on the whole local system: the registry simulator's
 * fault injection takes the registry down; applications wait WAITING_FOR_REGISTRY with back-off (the province's
 * window, shortened here through the same variables the stack sets), the circuit breaker opens and later closes
 * on a half-open probe, and the application completes without a review item once the registry is back. Then the
 * supervisors' re-check of REGISTRY_UNAVAILABLE items: the ones that pass resume, the other keeps its new reason,
 * and neither an officer nor another province's supervisor can touch them.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../../functions/adapters/dynamo';
import { BREAKER_KEY } from '../../functions/adapters/registryBreaker';
import { startTestSystem, apiClient } from '../support/localSystem';
import type { LocalSystem } from '../../local/runtime';

let system: LocalSystem;
let api: ReturnType<typeof apiClient>;
const SUPERVISOR_79 = 'dev-supervisor-79';
const STAFF_79 = 'dev-staff-79';
const SUPERVISOR_01 = 'dev-supervisor-01';

const ENV = {
  REGISTRY_WAIT_SECONDS: '600',
  REGISTRY_RETRY_FIRST_DELAY_SECONDS: '1',
  REGISTRY_RETRY_MAX_DELAY_SECONDS: '1',
  REGISTRY_BREAKER_MIN_FAILURES: '3',
  REGISTRY_BREAKER_OPEN_SECONDS: '1',
};

beforeAll(async () => {
  system = await startTestSystem({ now: '2026-11-22T09:00:00+07:00' });
  api = apiClient(system.apiUrl);
}, 90_000);

afterAll(async () => {
  await system?.stop();
});

afterEach(() => {
  for (const key of Object.keys(ENV)) delete process.env[key];
  process.env.REGISTRY_WAIT_SECONDS = '0';
  process.env.REGISTRY_BREAKER_MIN_FAILURES = '1000000';
  system.setRegistryFaults({ errorRate: 0 });
});

function scenarioBody(name: string) {
  const s = system.seed.scenarios!.find((x) => x.name === name)!;
  const { periodMonths, ...head } = s.submit as Record<string, unknown>;
  return { head, periodMonths };
}

async function submit(name: string): Promise<string> {
  const res = await api.post('/v1/household-renewals', scenarioBody(name), undefined, { 'idempotency-key': `outage-${name}-${Math.random()}` });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.applicationId;
}

async function breaker() {
  const out = await dynamo().send(new GetCommand({ TableName: system.tables.REVIEW_ITEMS_TABLE, Key: BREAKER_KEY }));
  return out.Item;
}

async function itemsOf(applicationId: string) {
  const out = await dynamo().send(new ScanCommand({ TableName: system.tables.REVIEW_ITEMS_TABLE }));
  return (out.Items ?? []).filter((i) => i.applicationId === applicationId && i.sk === 'ITEM');
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('registry outage', () => {
  it('waits WAITING_FOR_REGISTRY with back-off, the breaker opens, and the application completes without review once the registry is back', async () => {
    Object.assign(process.env, ENV);
    system.setRegistryFaults({ errorRate: 1 });
    const applicationId = await submit('CLEAN');
    const waiting = await api.waitForStatus(applicationId, 'WAITING_FOR_REGISTRY', 20_000);
    expect(waiting.waitingForRegistry).toMatchObject({ attempts: 1 });
    expect(Date.parse(waiting.waitingForRegistry.until) - Date.parse(waiting.waitingForRegistry.since)).toBe(600_000);
    expect(await breaker()).toMatchObject({ status: 'OPEN' });
    // A few more rounds while it is down, failing fast on the open breaker or the probe.
    await until('a second retry', async () => {
      const app = (await api.get(`/v1/applications/${applicationId}`)).body;
      return app.waitingForRegistry?.attempts >= 2 ? app : undefined;
    });
    expect(await itemsOf(applicationId)).toEqual([]);

    system.setRegistryFaults({ errorRate: 0 });
    const app = await api.waitForStatus(applicationId, 'AWAITING_PAYMENT', 30_000);
    expect(app.quote.total).toBeGreaterThan(0);
    expect(app.waitingForRegistry).toBeUndefined();
    const events = app.timeline.map((t: { event: string }) => t.event);
    expect(events).toContain('WAITING_FOR_REGISTRY');
    expect(events).toContain('REGISTRY_AVAILABLE_AGAIN');
    expect(events).not.toContain('REVIEW_OPENED');
    expect(await itemsOf(applicationId)).toEqual([]);
    expect(await breaker()).toMatchObject({ status: 'CLOSED', failures: 0 });
  });
});

describe('supervisor re-check of REGISTRY_UNAVAILABLE items', () => {
  it('resumes the items that pass, keeps the other with its new reason, and lets no officer or other province in', async () => {
    system.setRegistryFaults({ errorRate: 1 });
    const clean = await submit('CLEAN');
    const unknown = await submit('HEAD_NOT_FOUND');
    for (const id of [clean, unknown]) await api.waitForStatus(id, 'IN_REVIEW', 20_000);
    const [cleanItem] = await itemsOf(clean);
    const [unknownItem] = await itemsOf(unknown);
    expect([cleanItem.reasonCode, unknownItem.reasonCode]).toEqual(['REGISTRY_UNAVAILABLE', 'REGISTRY_UNAVAILABLE']);

    // While the registry is still down nothing changes.
    const stillDown = await api.post(`/v1/review-items/${cleanItem.itemId}/recheck-registry`, {}, SUPERVISOR_79);
    expect(stillDown.status).toBe(200);
    expect(stillDown.body).toMatchObject({ outcome: 'STILL_UNAVAILABLE', reasonCode: 'REGISTRY_UNAVAILABLE' });
    system.setRegistryFaults({ errorRate: 0 });

    // The attacks: an officer, and another province's supervisor.
    const officer = await api.post('/v1/review-items/recheck-registry', {}, STAFF_79);
    expect(officer.status).toBe(403);
    expect(officer.body.code).toBe('SUPERVISOR_ONLY');
    expect((await api.post(`/v1/review-items/${cleanItem.itemId}/recheck-registry`, {}, STAFF_79)).status).toBe(403);
    const otherProvince = await api.post(`/v1/review-items/${cleanItem.itemId}/recheck-registry`, {}, SUPERVISOR_01);
    expect(otherProvince.status).toBe(403);
    expect(otherProvince.body.code).toBe('OTHER_PROVINCE');
    const otherBulk = await api.post('/v1/review-items/recheck-registry', {}, SUPERVISOR_01);
    expect(otherBulk.status).toBe(200);
    expect(otherBulk.body).toMatchObject({ checked: 0, resumed: 0 });
    expect((await itemsOf(clean))[0]).toMatchObject({ status: 'OPEN', version: cleanItem.version });

    const bulk = await api.post('/v1/review-items/recheck-registry', {}, SUPERVISOR_79);
    expect(bulk.status, JSON.stringify(bulk.body)).toBe(200);
    expect(bulk.body).toMatchObject({ checked: 2, resumed: 1, newReason: 1, stillUnavailable: 0, more: false });
    expect(JSON.stringify(bulk.body)).not.toMatch(/taskToken|token/i);
    const byItem = Object.fromEntries(bulk.body.items.map((r: { itemId: string }) => [r.itemId, r]));
    expect(byItem[cleanItem.itemId]).toMatchObject({ outcome: 'RESUMED', applicationId: clean });
    expect(byItem[unknownItem.itemId]).toMatchObject({ outcome: 'NEW_REASON', reasonCode: 'HEAD_OF_HOUSEHOLD_NOT_FOUND' });

    const resumed = await api.waitForStatus(clean, 'AWAITING_PAYMENT', 20_000);
    expect(resumed.quote.total).toBeGreaterThan(0);
    expect((await itemsOf(clean))[0]).toMatchObject({ status: 'APPROVED', decidedBy: 'staff.79.2', resume: 'DONE' });
    const left = (await itemsOf(unknown))[0];
    expect(left).toMatchObject({ status: 'OPEN', reasonCode: 'HEAD_OF_HOUSEHOLD_NOT_FOUND' });
    // What the officer reads is the registry's answer now, not the outage the item opened with.
    expect(JSON.stringify(left!.fieldChecks)).not.toContain('REGISTRY_UNREACHABLE');
    expect((left!.fieldChecks as { outcome: string }[]).some((c) => c.outcome === 'NOT_FOUND')).toBe(true);
    expect((await api.get(`/v1/applications/${unknown}`)).body.status).toBe('IN_REVIEW');
    const audit = await api.get(`/v1/review-items/${unknownItem.itemId}`, SUPERVISOR_79);
    expect(audit.body.history.map((h: { action: string }) => h.action)).toContain('RECHECKED');

    // A second bulk re-check finds nothing left for the registry.
    expect((await api.post('/v1/review-items/recheck-registry', {}, SUPERVISOR_79)).body).toMatchObject({ checked: 0 });
    const notRecheckable = await api.post(`/v1/review-items/${unknownItem.itemId}/recheck-registry`, {}, SUPERVISOR_79);
    expect(notRecheckable.status).toBe(409);
    expect(notRecheckable.body.code).toBe('NOT_REGISTRY_UNAVAILABLE');
  });
});

// (Last: its REGISTRY_UNAVAILABLE item stays open, and the bulk re-check above counts the province's items.)
describe('the window spent', () => {
  it('opens the REGISTRY_UNAVAILABLE item saying when the registry was last tried and how many times', async () => {
    Object.assign(process.env, { ...ENV, REGISTRY_WAIT_SECONDS: '2' });
    system.setRegistryFaults({ errorRate: 1 });
    const applicationId = await submit('CLEAN');
    const app = await api.waitForStatus(applicationId, 'IN_REVIEW', 30_000);
    const waits = app.timeline.filter((t: { event: string }) => t.event === 'WAITING_FOR_REGISTRY' || t.event === 'REGISTRY_RETRY_SCHEDULED').length;
    expect(waits).toBeGreaterThanOrEqual(1);
    expect(app.waitingForRegistry).toBeUndefined();
    const [item] = await itemsOf(applicationId);
    expect(item).toMatchObject({ reasonCode: 'REGISTRY_UNAVAILABLE', registryOutage: { attempts: waits + 1, lastAttemptAt: item!.createdAt } });
    // The officer reads it field by field: not checked, the registry unreachable, with the count of attempts.
    const checks = item!.fieldChecks as { outcome: string; reason?: { en: string } }[];
    expect(checks.length).toBeGreaterThan(0);
    for (const c of checks) expect(c.outcome).toBe('NOT_CHECKED');
    expect(JSON.stringify(checks)).toContain(`${waits + 1} attempts`);
  });
});
