import { describe, expect, it } from 'vitest';
import { BreakerGuardedRegistry, type BreakerStore } from '../../functions/adapters/registryBreaker';
import type { PopulationRegistry } from '../../functions/adapters/populationRegistry';
import { DEFAULT_BREAKER_POLICY as P, type BreakerState } from '../../functions/domain/identity/registryBreaker';
import { RegistryUnavailableError } from '../../functions/shared/errors';

/** The stored item in memory, with the conditional write of the DynamoDB store. */
function memoryStore(): BreakerStore & { item: BreakerState | null; writes: number } {
  const store = {
    item: null as BreakerState | null,
    writes: 0,
    async read() {
      return store.item ? { ...store.item } : null;
    },
    async write(next: BreakerState, expectedVersion: number) {
      if ((store.item?.version ?? 0) !== expectedVersion) return false;
      store.item = { ...next, version: expectedVersion + 1 };
      store.writes++;
      return true;
    },
  };
  return store;
}

/** A registry whose availability the test switches (fault injection), counting the calls it receives. */
function fakeRegistry() {
  const r: PopulationRegistry & { up: boolean; calls: number } = {
    up: true,
    calls: 0,
    async findPerson(personalId: string) {
      r.calls++;
      if (!r.up) throw new RegistryUnavailableError('HTTP 503');
      return { personalId, fullName: 'Nguyễn Văn An', dateOfBirth: '1990-03-14', sex: 'MALE' as const };
    },
    async findHouseholdByHead() {
      r.calls++;
      if (!r.up) throw new RegistryUnavailableError('HTTP 503');
      return null;
    },
  };
  return r;
}

const ID = '079090001234';

describe('BreakerGuardedRegistry', () => {
  it('stops calling a failing registry, fails fast, and resumes after one successful half-open probe', async () => {
    let nowMs = Date.parse('2026-11-22T02:00:00Z');
    const store = memoryStore();
    const inner = fakeRegistry();
    const registry = new BreakerGuardedRegistry(inner, { store, now: () => new Date(nowMs) });

    await registry.findPerson(ID);
    expect(store.writes).toBe(0); // the happy path writes nothing

    inner.up = false;
    for (let i = 0; i < P.minFailures; i++) await expect(registry.findPerson(ID)).rejects.toBeInstanceOf(RegistryUnavailableError);
    expect(inner.calls).toBe(1 + P.minFailures);
    expect(store.item?.status).toBe('OPEN');

    // Open: fails fast without a call.
    const error = await registry.findPerson(ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryUnavailableError);
    expect((error as RegistryUnavailableError).details).toEqual({ cause: 'circuit breaker open: the registry failed too often recently' });
    expect(inner.calls).toBe(1 + P.minFailures);

    // Still down at the probe: open again, one call only.
    nowMs += P.openSeconds * 1000;
    await expect(registry.findPerson(ID)).rejects.toBeInstanceOf(RegistryUnavailableError);
    expect(inner.calls).toBe(2 + P.minFailures);
    expect(store.item?.status).toBe('OPEN');
    await expect(registry.findHouseholdByHead(ID)).rejects.toBeInstanceOf(RegistryUnavailableError);
    expect(inner.calls).toBe(2 + P.minFailures);

    // Back up: the next probe closes it.
    inner.up = true;
    nowMs += P.openSeconds * 1000;
    await expect(registry.findPerson(ID)).resolves.toMatchObject({ personalId: ID });
    expect(store.item).toMatchObject({ status: 'CLOSED', failures: 0 });
    await expect(registry.findHouseholdByHead(ID)).resolves.toBeNull();
    expect(inner.calls).toBe(4 + P.minFailures);
  });

  it('lets exactly one of two concurrent callers probe', async () => {
    const nowMs = Date.parse('2026-11-22T02:00:00Z');
    const store = memoryStore();
    store.item = { status: 'OPEN', windowStartMs: nowMs - 60_000, calls: 5, failures: 5, openedAtMs: nowMs - P.openSeconds * 1000, probeStartedAtMs: null, version: 3 };
    const inner = fakeRegistry();
    const registry = new BreakerGuardedRegistry(inner, { store, now: () => new Date(nowMs) });
    const results = await Promise.allSettled([registry.findPerson(ID), registry.findPerson(ID)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(inner.calls).toBe(1);
    expect(store.item?.status).toBe('CLOSED');
  });

  it('calls the registry when the breaker item cannot be read', async () => {
    const inner = fakeRegistry();
    const store: BreakerStore = {
      read: async () => {
        throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
      },
      write: async () => true,
    };
    const registry = new BreakerGuardedRegistry(inner, { store });
    await expect(registry.findPerson(ID)).resolves.toMatchObject({ personalId: ID });
    expect(inner.calls).toBe(1);
  });
});
