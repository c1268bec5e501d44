/**
 * Demo scenarios of the services built on the spine (unemployment history, lump sum), driven over HTTP against
 * the local system: the request body a scenario stands for, its submission, and a staff approval through the
 * shared review queue.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import type { LocalSystem } from '../../local/runtime';
import type { SeedScenario } from '../../local/seed/seedFormat';
import { apiClient, startTestSystem } from './localSystem';

type Api = ReturnType<typeof apiClient>;
type SpineService = 'UNEMPLOYMENT_HISTORY' | 'LUMP_SUM_WITHDRAWAL';

export const SUBMIT_PATHS: Record<SpineService, string> = {
  UNEMPLOYMENT_HISTORY: '/v1/unemployment-history-requests',
  LUMP_SUM_WITHDRAWAL: '/v1/lump-sum-claims',
};

/** The demo clock: the seed's amounts are stated for this day. */
export const DEMO_NOW = '2026-11-22T09:00:00+07:00';

/** Starts the local system on the demo seed for the test file (stopped after it); read the getters in tests. */
export function useDemoSystem(): { system: () => LocalSystem; api: () => Api } {
  let system: LocalSystem | undefined;
  let api: Api | undefined;
  beforeAll(async () => {
    system = await startTestSystem({ now: DEMO_NOW });
    api = apiClient(system.apiUrl);
  }, 90_000);
  afterAll(async () => {
    await system?.stop();
  });
  return { system: () => system!, api: () => api! };
}

/** Every body is refused with 400 `code` and a message in Vietnamese and in English. */
export async function expectBadRequests(api: Api, path: string, bodies: unknown[], code = 'VALIDATION_FAILED'): Promise<void> {
  for (const body of bodies) {
    const res = await api.post(path, body);
    expect(res.status, JSON.stringify(body)).toBe(400);
    expect(res.body.code, JSON.stringify(body)).toBe(code);
    expect(res.body.message.vi).toBeTruthy();
    expect(res.body.message.en).toBeTruthy();
    expect(res.body.message.vi).not.toBe(res.body.message.en);
  }
}

export function scenariosOf(system: LocalSystem, service: SpineService): SeedScenario[] {
  return system.seed.scenarios.filter((s) => s.service === service);
}

export function scenarioNamed(system: LocalSystem, name: string): SeedScenario {
  const found = system.seed.scenarios.find((s) => s.name === name);
  if (!found) throw new Error(`demo scenario ${name} missing`);
  return found;
}

/** The API body a scenario submits (the seed's `submit` is already the flat request). */
export function requestBody(s: SeedScenario): Record<string, unknown> {
  const { sex: _sex, ...body } = s.submit;
  return body;
}

/** Submits a scenario (optionally with an Idempotency-Key); expects 202 RECEIVED; returns the application id. */
export async function submitScenario(api: Api, s: SeedScenario, idempotencyKey?: string): Promise<string> {
  const headers: Record<string, string> = idempotencyKey ? { 'idempotency-key': idempotencyKey } : {};
  const res = await api.post(SUBMIT_PATHS[s.service as SpineService], requestBody(s), undefined, headers);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.applicationId as string;
}

/**
 * Staff approval through the shared review queue: waits for the application's open item (listed under the
 * application's service), claims it and approves it with the corrections. Returns the item as listed.
 */
export async function approveOpenReview(
  api: Api,
  service: SpineService,
  applicationId: string,
  corrections: Record<string, unknown>,
  token = 'dev-staff-79',
) {
  const item = await openReviewItemOf(api, service, applicationId, token);
  const claimed = await api.post(`/v1/review-items/${item.itemId}/claim`, {}, token);
  expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
  const resolved = await api.post(
    `/v1/review-items/${item.itemId}/resolve`,
    { decision: 'APPROVE', corrections, evidenceNote: 'Đối chiếu CCCD bản gốc tại bộ phận một cửa' },
    token,
  );
  expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
  return item;
}

/** Waits for the application's OPEN review item (listed under `service`) and returns it as listed. */
export async function openReviewItemOf(
  api: Api,
  service: string,
  applicationId: string,
  token = 'dev-staff-79',
): Promise<{ itemId: string; reasonCode: string; service: string; status: string }> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
    const listed = await api.get(`/v1/review-items?status=OPEN&service=${service}`, token);
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    const item = listed.body.items.find((i: { applicationId: string }) => i.applicationId === applicationId);
    if (item) return item;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no open ${service} review item for ${applicationId}`);
}

type Stop = Omit<NonNullable<SeedScenario['outcome']>, 'afterApproval'>;

const ID_PREFIX: Record<SpineService, string> = { UNEMPLOYMENT_HISTORY: 'UI', LUMP_SUM_WITHDRAWAL: 'LS' };

/**
 * Runs a demo scenario through its documented stop: submits it, waits for the stated status, checks a
 * rejection's reason (code, the text its detail contains, vi+en labels), and for a review approves it with the
 * stated corrections and waits for where it then stops. Returns the application's public view at the final
 * stop and that stop's expectations, for the service-specific checks.
 */
export async function runScenario(api: Api, s: SeedScenario): Promise<{ applicationId: string; app: any; stop: Stop }> {
  const service = s.service as SpineService;
  const outcome = s.outcome!;
  const applicationId = await submitScenario(api, s);
  expect(applicationId).toMatch(new RegExp(`^${ID_PREFIX[service]}-[0-9A-Z]{26}$`));
  let app = await api.waitForStatus(applicationId, outcome.status);
  expect(app.service).toBe(service);
  let stop: Stop = outcome;
  if (outcome.status === 'IN_REVIEW') {
    const item = await approveOpenReview(api, service, applicationId, outcome.afterApproval!.corrections);
    expect(item.reasonCode).toBe(outcome.reasonCode);
    stop = outcome.afterApproval!;
    app = await api.waitForStatus(applicationId, stop.status);
    expect(app.timeline.map((t: { status?: string }) => t.status).filter(Boolean)).toEqual(
      expect.arrayContaining(['RECEIVED', 'VERIFYING', 'IN_REVIEW', stop.status]),
    );
  }
  if (stop.status === 'REJECTED') {
    expect(app.reason.code).toBe(stop.reasonCode);
    // The failed condition's code or one of its figures (a date, an employer code) is in the reason.
    if (stop.reasonIncludes) expect(JSON.stringify(app.reason.condition ?? null) + JSON.stringify(app.reason.additionalConditions ?? null)).toContain(stop.reasonIncludes);
    expect(app.reason.message.vi).toBeTruthy();
    expect(app.reason.message.en).toBeTruthy();
    expect(app.result).toBeUndefined();
  }
  return { applicationId, app, stop };
}
