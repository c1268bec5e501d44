import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRegistrySimulator, type RegistrySimulator } from '../../local/registry/registrySimulator';
import { loadSeedFile, seedPopulation } from '../../local/seed/seedFormat';

const DEMO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../local/seed/demo.json');
const seed = loadSeedFile(DEMO);
const population = seedPopulation(seed);

const CLEAN_HEAD = '079078013572';
const UNLINKED_CHILD = '079323005519';
const CHILD_HEAD = '051091003390';
const TIMEOUT_HEAD = '079088006650';

async function get(url: string, init?: RequestInit): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

describe('registry simulator (demo population)', () => {
  let sim: RegistrySimulator;

  beforeAll(async () => {
    sim = await startRegistrySimulator({ port: 0, population, faults: seed.registryFaults });
  });
  afterAll(async () => {
    await sim.stop();
  });
  beforeEach(() => {
    sim.setFaults({ latencyMs: 0, errorRate: 0, failNext: 0, timeoutIds: [TIMEOUT_HEAD] });
  });

  it('listens on a random local port', () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Number(new URL(sim.url).port)).toBeGreaterThan(0);
  });

  it('starts with the faults it was given', async () => {
    const { status, body } = await get(`${sim.url}/_faults`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ latencyMs: 0, errorRate: 0, timeoutIds: [TIMEOUT_HEAD] });
  });

  it('GET /v1/citizens/{id} answers a RegistryPerson as JSON', async () => {
    const { status, body, headers } = await get(`${sim.url}/v1/citizens/${CLEAN_HEAD}`);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(body).toEqual({
      personalId: CLEAN_HEAD,
      fullName: 'Nguyễn Văn Hùng',
      dateOfBirth: '1978-04-12',
      sex: 'MALE',
      permanentAddress: { code: 'DC79-2674001', text: 'Số 18 đường Lê Thánh Tôn, Phường Sài Gòn, Thành phố Hồ Chí Minh' },
      householdId: 'HGD79-000101',
    });
  });

  it('answers 404 for an unknown ID and for a household member whose identity is not linked', async () => {
    expect((await get(`${sim.url}/v1/citizens/079078013527`)).status).toBe(404);
    expect((await get(`${sim.url}/v1/citizens/${UNLINKED_CHILD}`)).status).toBe(404);
  });

  it('GET /v1/households lists every member (head included) with relation and link status', async () => {
    const { status, body } = await get(`${sim.url}/v1/households?headPersonalId=${CHILD_HEAD}`);
    expect(status).toBe(200);
    expect(body.headPersonalId).toBe(CHILD_HEAD);
    expect(body.members.map((m: any) => [m.personalId, m.relationToHead, m.identityLinked])).toEqual([
      [CHILD_HEAD, 'CHU_HO', true],
      ['079194008127', 'VO', true],
      [UNLINKED_CHILD, 'CON', false],
    ]);
    const child = body.members[2];
    expect(child).toMatchObject({ fullName: 'Hồ Ngọc Diệp', dateOfBirth: '2023-08-14', sex: 'FEMALE', householdId: 'HGD79-000106' });
    expect(child.permanentAddress).toEqual(body.address);
  });

  it('keeps a member registered at another address as the seed says', async () => {
    const { body } = await get(`${sim.url}/v1/households?headPersonalId=079070004471`);
    const elsewhere = body.members.filter((m: any) => m.permanentAddress?.code !== body.address.code);
    expect(elsewhere.map((m: any) => m.fullName)).toEqual(['Trương Minh Nhật']);
  });

  it('answers 404 for an ID that heads no household, 400 without headPersonalId', async () => {
    expect((await get(`${sim.url}/v1/households?headPersonalId=079181024681`)).status).toBe(404);
    expect((await get(`${sim.url}/v1/households`)).status).toBe(400);
  });

  it('answers 404 for unknown routes and 405 for other methods', async () => {
    expect((await get(`${sim.url}/v2/citizens/${CLEAN_HEAD}`)).body).toEqual({ code: 'ROUTE_NOT_FOUND' });
    const post = await get(`${sim.url}/v1/citizens/${CLEAN_HEAD}`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
    expect((await get(`${sim.url}/_faults`, { method: 'DELETE' })).status).toBe(405);
  });

  it('PUT /_faults merges a partial update and returns the faults in force', async () => {
    const { status, body } = await get(`${sim.url}/_faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: 5 }),
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ latencyMs: 5, errorRate: 0, timeoutIds: [TIMEOUT_HEAD] });
    expect(sim.faults().latencyMs).toBe(5);
  });

  it('PUT /_faults rejects invalid faults and malformed JSON with 400', async () => {
    const invalid = await get(`${sim.url}/_faults`, { method: 'PUT', body: JSON.stringify({ errorRate: 2, latencyMS: 1 }) });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('VALIDATION_FAILED');
    expect(invalid.body.issues.length).toBeGreaterThanOrEqual(2);
    const malformed = await get(`${sim.url}/_faults`, { method: 'PUT', body: '{latency' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('MALFORMED_JSON');
    expect(sim.faults().errorRate).toBe(0);
  });

  it('failNext answers 503 to the next N registry requests, then recovers', async () => {
    sim.setFaults({ failNext: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(`${sim.url}/v1/citizens/${CLEAN_HEAD}`)).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect(sim.faults().failNext).toBe(0);
  });

  it('errorRate 1 answers 503 always; a seeded errorRate repeats the same sequence', async () => {
    sim.setFaults({ errorRate: 1 });
    expect((await get(`${sim.url}/v1/households?headPersonalId=${CLEAN_HEAD}`)).status).toBe(503);
    const run = async () => {
      sim.setFaults({ errorRate: 0.5, seed: 42 });
      const out: number[] = [];
      for (let i = 0; i < 12; i++) out.push((await get(`${sim.url}/v1/citizens/${CLEAN_HEAD}`)).status);
      return out;
    };
    const first = await run();
    expect(first).toContain(503);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);
  });

  it('latencyMs delays every registry answer, not /_faults', async () => {
    sim.setFaults({ latencyMs: 150 });
    let started = Date.now();
    expect((await get(`${sim.url}/v1/citizens/${CLEAN_HEAD}`)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    started = Date.now();
    await get(`${sim.url}/_faults`);
    expect(Date.now() - started).toBeLessThan(140);
  });

  it('holds requests about a timeout ID (citizen and household) without answering', async () => {
    for (const url of [`${sim.url}/v1/citizens/${TIMEOUT_HEAD}`, `${sim.url}/v1/households?headPersonalId=${TIMEOUT_HEAD}`]) {
      const started = Date.now();
      await expect(fetch(url, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    }
    // The fault is per ID: the wife of the same household answers at once.
    expect((await get(`${sim.url}/v1/citizens/092190001873`)).status).toBe(200);
  });

  it('counts registry requests, not /_faults', async () => {
    const before = sim.requestCount();
    await get(`${sim.url}/v1/citizens/${CLEAN_HEAD}`);
    await get(`${sim.url}/_faults`);
    expect(sim.requestCount() - before).toBe(1);
  });
});

describe('registry simulator lifecycle', () => {
  it('stop() releases held requests at once and closes the port', async () => {
    const sim = await startRegistrySimulator({ population, faults: { timeoutIds: [TIMEOUT_HEAD] } });
    const held = fetch(`${sim.url}/v1/citizens/${TIMEOUT_HEAD}`).then(
      () => 'answered',
      () => 'dropped',
    );
    sim.setFaults({ latencyMs: 20_000 }); // and a delayed one
    const delayed = fetch(`${sim.url}/v1/citizens/${CLEAN_HEAD}`).then(
      () => 'answered',
      () => 'dropped',
    );
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await sim.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await held).toBe('dropped');
    expect(await delayed).toBe('dropped');
    await expect(fetch(`${sim.url}/_faults`)).rejects.toThrow();
    await sim.stop(); // idempotent
  });

  it('listens on the requested port', async () => {
    const first = await startRegistrySimulator({ population });
    const port = Number(new URL(first.url).port);
    await first.stop();
    const sim = await startRegistrySimulator({ port, population });
    try {
      expect(sim.url).toBe(`http://127.0.0.1:${port}`);
    } finally {
      await sim.stop();
    }
  });

  it('rejects invalid faults given to setFaults', async () => {
    const sim = await startRegistrySimulator({ population });
    try {
      expect(() => sim.setFaults({ errorRate: -0.1 })).toThrow();
      expect(sim.faults()).toEqual({ latencyMs: 0, errorRate: 0, timeoutIds: [] });
    } finally {
      await sim.stop();
    }
  });
});
