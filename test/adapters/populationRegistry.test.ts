import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  HttpPopulationRegistry,
  populationRegistry,
  type HttpPopulationRegistryOptions,
} from '../../functions/adapters/populationRegistry';
import { RegistryUnavailableError } from '../../functions/shared/errors';
import { logger } from '../../functions/shared/logger';
import { startRegistrySimulator, type RegistrySimulator } from '../../local/registry/registrySimulator';
import { seedPopulation, type SeedPopulation } from '../../local/seed/seedFormat';

const HEAD = '079078013572';
const WIFE = '079181024681';
const CHILD = '079323005519'; // listed in the household, identity not linked
const SLOW = '079088006650';
const ADDRESS = { code: 'DC79-2674001', text: 'Số 18 đường Lê Thánh Tôn, Phường Sài Gòn, Thành phố Hồ Chí Minh' };

const population = seedPopulation({
  population: {
    people: [
      { personalId: HEAD, fullName: 'Nguyễn Văn Hùng', dateOfBirth: '1978-04-12', sex: 'MALE' },
      { personalId: WIFE, fullName: 'Trần Thị Mai', dateOfBirth: '1981-09-03', sex: 'FEMALE' },
      { personalId: SLOW, fullName: 'Phan Thành Đạt', dateOfBirth: '1988-09-09', sex: 'MALE' },
    ],
    households: [
      {
        householdId: 'HGD79-000101',
        headPersonalId: HEAD,
        address: ADDRESS,
        members: [
          { personalId: HEAD, relationToHead: 'CHU_HO' },
          { personalId: WIFE, relationToHead: 'VO' },
          { personalId: CHILD, relationToHead: 'CON', identityLinked: false, fullName: 'Nguyễn Ngọc Diệp', dateOfBirth: '2023-08-14', sex: 'FEMALE' },
        ],
      },
    ],
  },
});

const noSleep = async () => undefined;

async function startStub(handler: (path: string, count: number) => [number, string]): Promise<{ url: string; server: Server; count: () => number }> {
  let count = 0;
  const server = createServer((req, res) => {
    count += 1;
    const [status, body] = handler(req.url ?? '/', count);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, count: () => count };
}

function stopStub(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('HttpPopulationRegistry against the registry simulator', () => {
  let sim: RegistrySimulator;
  const client = (o: HttpPopulationRegistryOptions = {}) =>
    new HttpPopulationRegistry({ baseUrl: sim.url, timeoutMs: 1000, maxAttempts: 3, sleep: noSleep, ...o });

  beforeAll(async () => {
    sim = await startRegistrySimulator({ port: 0, population });
  });
  afterAll(async () => {
    await sim.stop();
  });
  beforeEach(() => {
    sim.setFaults({ latencyMs: 0, errorRate: 0, timeoutIds: [], failNext: 0 });
    vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    vi.spyOn(logger, 'debug').mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('finds a person (address and household filled in from the household book)', async () => {
    await expect(client().findPerson(HEAD)).resolves.toEqual({
      personalId: HEAD,
      fullName: 'Nguyễn Văn Hùng',
      dateOfBirth: '1978-04-12',
      sex: 'MALE',
      permanentAddress: ADDRESS,
      householdId: 'HGD79-000101',
    });
  });

  it('returns null for an unknown personal ID and for a member whose identity is not linked', async () => {
    await expect(client().findPerson('079078013527')).resolves.toBeNull();
    await expect(client().findPerson(CHILD)).resolves.toBeNull();
  });

  it('finds a household by its head, every member included with relation and link status', async () => {
    const household = await client().findHouseholdByHead(HEAD);
    expect(household).toMatchObject({ householdId: 'HGD79-000101', headPersonalId: HEAD, address: ADDRESS });
    expect(household!.members.map((m) => [m.personalId, m.relationToHead, m.identityLinked])).toEqual([
      [HEAD, 'CHU_HO', true],
      [WIFE, 'VO', true],
      [CHILD, 'CON', false],
    ]);
    expect(household!.members[2]).toMatchObject({ fullName: 'Nguyễn Ngọc Diệp', dateOfBirth: '2023-08-14', sex: 'FEMALE' });
  });

  it('returns null when the ID heads no household', async () => {
    await expect(client().findHouseholdByHead(WIFE)).resolves.toBeNull();
  });

  it('retries 503 answers and succeeds within the attempts, with full-jitter backoff', async () => {
    sim.setFaults({ failNext: 2 });
    const before = sim.requestCount();
    const sleeps: number[] = [];
    const registry = client({ sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });
    await expect(registry.findPerson(WIFE)).resolves.toMatchObject({ personalId: WIFE });
    expect(sim.requestCount() - before).toBe(3);
    expect(sleeps).toEqual([50, 100]); // 0.5 × 100 ms, 0.5 × 200 ms
  });

  it('retries with a seeded error rate: same seed, same number of attempts', async () => {
    const attemptsWithSeed = async () => {
      sim.setFaults({ errorRate: 0.6, seed: 7 }); // seed 7 at 0.6: 503, 503, 200, …
      const before = sim.requestCount();
      await client({ maxAttempts: 20 }).findPerson(HEAD);
      return sim.requestCount() - before;
    };
    const first = await attemptsWithSeed();
    expect(first).toBe(3);
    expect(await attemptsWithSeed()).toBe(first);
  });

  it('throws RegistryUnavailableError after the last attempt when every answer is 503', async () => {
    sim.setFaults({ errorRate: 1 });
    const before = sim.requestCount();
    const err = await caught(client({ maxAttempts: 4 }).findHouseholdByHead(HEAD));
    expect(err).toBeInstanceOf(RegistryUnavailableError);
    expect(err.name).toBe('RegistryUnavailable');
    expect((err as RegistryUnavailableError).code).toBe('REGISTRY_UNAVAILABLE');
    expect((err as RegistryUnavailableError).details).toEqual({ cause: 'findHouseholdByHead: HTTP 503 (after 4 attempts)' });
    expect(sim.requestCount() - before).toBe(4);
  });

  it('gives up on a timeout ID after attempts × per-attempt timeout', async () => {
    sim.setFaults({ timeoutIds: [SLOW] });
    const before = sim.requestCount();
    const started = Date.now();
    const err = await caught(client({ timeoutMs: 100, maxAttempts: 3 }).findPerson(SLOW));
    const elapsed = Date.now() - started;
    expect(err.name).toBe('RegistryUnavailable');
    expect((err as RegistryUnavailableError).details).toEqual({ cause: 'findPerson: no answer within 100 ms (after 3 attempts)' });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2500);
    expect(sim.requestCount() - before).toBe(3);
    // Other IDs are unaffected.
    await expect(client({ timeoutMs: 100 }).findPerson(HEAD)).resolves.not.toBeNull();
  });

  it('times out on household requests about a timeout ID too', async () => {
    sim.setFaults({ timeoutIds: [HEAD] });
    const err = await caught(client({ timeoutMs: 80, maxAttempts: 2 }).findHouseholdByHead(HEAD));
    expect(err.name).toBe('RegistryUnavailable');
  });

  it('succeeds when the latency is below the timeout, and times out when it is above', async () => {
    sim.setFaults({ latencyMs: 60 });
    const before = sim.requestCount();
    await expect(client({ timeoutMs: 500, maxAttempts: 1 }).findPerson(HEAD)).resolves.toMatchObject({ personalId: HEAD });
    expect(sim.requestCount() - before).toBe(1);
    sim.setFaults({ latencyMs: 300 });
    const err = await caught(client({ timeoutMs: 100, maxAttempts: 2 }).findPerson(HEAD));
    expect(err.name).toBe('RegistryUnavailable');
  });

  it('treats a malformed answer as RegistryUnavailableError with the cause, without retrying', async () => {
    const broken = new Map(population.citizens);
    broken.set('079100000001', { personalId: '079100000001', fullName: 'Lỗi Dữ Liệu', dateOfBirth: '01/02/2000', sex: 'X' } as never);
    const bad: SeedPopulation = { citizens: broken, householdsByHead: population.householdsByHead };
    const badSim = await startRegistrySimulator({ population: bad });
    try {
      const err = await caught(new HttpPopulationRegistry({ baseUrl: badSim.url, timeoutMs: 1000, maxAttempts: 3, sleep: noSleep }).findPerson('079100000001'));
      expect(err).toBeInstanceOf(RegistryUnavailableError);
      const cause = String(((err as RegistryUnavailableError).details as { cause: string }).cause);
      expect(cause).toMatch(/^findPerson: malformed registry answer: answer does not match the contract/);
      expect(cause).toContain('dateOfBirth');
      expect(cause).toContain('sex');
      expect(cause).not.toContain('01/02/2000');
      expect(badSim.requestCount()).toBe(1);
    } finally {
      await badSim.stop();
    }
  });

  it('never logs a full personal ID', async () => {
    const warn = vi.mocked(logger.warn);
    sim.setFaults({ errorRate: 1 });
    await caught(client({ maxAttempts: 2 }).findPerson(WIFE));
    expect(warn).toHaveBeenCalled();
    const logged = JSON.stringify(warn.mock.calls);
    expect(logged).not.toContain(WIFE);
    expect(logged).toContain('079******681');
  });

  it('populationRegistry() is one process-wide client built from the configuration', async () => {
    const saved = { ...process.env };
    try {
      process.env.POPULATION_REGISTRY_URL = sim.url;
      process.env.POPULATION_REGISTRY_TIMEOUT_MS = '700';
      process.env.POPULATION_REGISTRY_MAX_ATTEMPTS = '2';
      const a = populationRegistry();
      expect(populationRegistry()).toBe(a);
      expect(a).toBeInstanceOf(HttpPopulationRegistry);
      expect((a as HttpPopulationRegistry).timeoutMs).toBe(700);
      expect((a as HttpPopulationRegistry).maxAttempts).toBe(2);
      await expect(a.findPerson(HEAD)).resolves.toMatchObject({ fullName: 'Nguyễn Văn Hùng' });
      process.env.POPULATION_REGISTRY_URL = `${sim.url}/`;
      expect(populationRegistry()).not.toBe(a);
      delete process.env.POPULATION_REGISTRY_URL;
      expect(() => populationRegistry()).toThrow(/POPULATION_REGISTRY_URL/);
    } finally {
      process.env = saved;
    }
  });
});

describe('HttpPopulationRegistry against misbehaving gateways', () => {
  beforeEach(() => {
    vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('an answer that is not JSON is RegistryUnavailableError', async () => {
    const stub = await startStub(() => [200, '<html>maintenance</html>']);
    try {
      const err = await caught(new HttpPopulationRegistry({ baseUrl: stub.url, maxAttempts: 3, sleep: noSleep }).findPerson(HEAD));
      expect(err.name).toBe('RegistryUnavailable');
      expect((err as RegistryUnavailableError).details).toEqual({ cause: 'findPerson: malformed registry answer: answer is not JSON' });
      expect(stub.count()).toBe(1);
    } finally {
      await stopStub(stub.server);
    }
  });

  it('an answer about another person is RegistryUnavailableError', async () => {
    const stub = await startStub(() => [200, JSON.stringify({ personalId: WIFE, fullName: 'Trần Thị Mai', dateOfBirth: '1981-09-03', sex: 'FEMALE' })]);
    try {
      const err = await caught(new HttpPopulationRegistry({ baseUrl: stub.url, maxAttempts: 1 }).findPerson(HEAD));
      expect(err.name).toBe('RegistryUnavailable');
      expect(String((err as RegistryUnavailableError).details && JSON.stringify((err as RegistryUnavailableError).details))).toContain('another personal ID');
    } finally {
      await stopStub(stub.server);
    }
  });

  it('a 4xx other than 404/429 is a plain Error (a bug), not retried', async () => {
    const stub = await startStub(() => [400, '{"code":"BAD_REQUEST"}']);
    try {
      const err = await caught(new HttpPopulationRegistry({ baseUrl: stub.url, maxAttempts: 3, sleep: noSleep }).findPerson(HEAD));
      expect(err).not.toBeInstanceOf(RegistryUnavailableError);
      expect(err.name).toBe('Error');
      expect(err.message).toBe('Population registry refused findPerson: HTTP 400');
      expect(err.message).not.toContain(HEAD);
      expect(stub.count()).toBe(1);
    } finally {
      await stopStub(stub.server);
    }
  });

  it('429 is retried like a 5xx', async () => {
    const person = { personalId: HEAD, fullName: 'Nguyễn Văn Hùng', dateOfBirth: '1978-04-12', sex: 'MALE', extra: 'ignored' };
    const stub = await startStub((_path, n) => (n === 1 ? [429, '{}'] : [200, JSON.stringify(person)]));
    try {
      const found = await new HttpPopulationRegistry({ baseUrl: stub.url, maxAttempts: 2, sleep: noSleep }).findPerson(HEAD);
      expect(found).toEqual({ personalId: HEAD, fullName: 'Nguyễn Văn Hùng', dateOfBirth: '1978-04-12', sex: 'MALE' });
      expect(stub.count()).toBe(2);
    } finally {
      await stopStub(stub.server);
    }
  });

  it('sends the ID URL-encoded on the documented paths', async () => {
    const paths: string[] = [];
    const stub = await startStub((path) => {
      paths.push(path);
      return [404, '{}'];
    });
    try {
      const registry = new HttpPopulationRegistry({ baseUrl: `${stub.url}/`, maxAttempts: 1 });
      await expect(registry.findPerson(HEAD)).resolves.toBeNull();
      await expect(registry.findHouseholdByHead('07 9/x')).resolves.toBeNull();
      expect(paths).toEqual([`/v1/citizens/${HEAD}`, '/v1/households?headPersonalId=07%209%2Fx']);
    } finally {
      await stopStub(stub.server);
    }
  });

  it('network errors (nothing listening) are retried, then RegistryUnavailableError', async () => {
    const stub = await startStub(() => [200, '{}']);
    const url = stub.url;
    await stopStub(stub.server);
    const sleeps: number[] = [];
    const err = await caught(
      new HttpPopulationRegistry({ baseUrl: url, maxAttempts: 3, sleep: async (ms) => void sleeps.push(ms), random: () => 0.999 }).findPerson(HEAD),
    );
    expect(err.name).toBe('RegistryUnavailable');
    expect(JSON.stringify((err as RegistryUnavailableError).details)).toMatch(/network error \(ECONNREFUSED\)/);
    expect(sleeps).toEqual([99, 199]);
  });

  it('caps the backoff at maxDelayMs', async () => {
    const sleeps: number[] = [];
    const err = await caught(
      new HttpPopulationRegistry({
        baseUrl: 'http://127.0.0.1:9',
        maxAttempts: 7,
        sleep: async (ms) => void sleeps.push(ms),
        random: () => 0.9999,
        fetch: async () => {
          throw new TypeError('fetch failed');
        },
      }).findPerson(HEAD),
    );
    expect(err.name).toBe('RegistryUnavailable');
    expect(sleeps).toEqual([99, 199, 399, 799, 999, 999]);
  });

  it('rejects nonsensical options', () => {
    expect(() => new HttpPopulationRegistry({ baseUrl: 'http://x', maxAttempts: 0 })).toThrow(/maxAttempts/);
    expect(() => new HttpPopulationRegistry({ baseUrl: 'http://x', timeoutMs: -1 })).toThrow(/timeoutMs/);
  });
});
