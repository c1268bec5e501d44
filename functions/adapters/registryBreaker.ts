/**
 * The registry circuit breaker's DynamoDB item and the PopulationRegistry decorator that honours it (pure logic in
 * functions/domain/identity/registryBreaker.ts).
 *
 * Item: reviewItems table, `itemId = "REGISTRY#BREAKER"`, `sk = "STATE"` (one per province stack: the registry is
 * national, each stack sees it on its own). Every write is conditioned on the version read, so two checks cannot
 * both claim the half-open probe; a counter update that loses a race is re-applied on a fresh read (a few times,
 * then dropped: counting is best effort, it never fails a check).
 *
 * The decorator: FAIL_FAST → RegistryUnavailableError without calling the registry; a call that ends in
 * RegistryUnavailableError is a failure, any answer (found or not found) a success; other errors (a bug in the
 * request) are not counted. A breaker item that cannot be read lets the call through (the breaker only saves load).
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from './dynamo';
import type { PopulationRegistry } from './populationRegistry';
import {
  DEFAULT_BREAKER_POLICY,
  closedBreaker,
  decide,
  recordOutcome,
  type BreakerPolicy,
  type BreakerState,
  type CallOutcome,
} from '../domain/identity/registryBreaker';
import type { RegistryHousehold, RegistryPerson } from '../domain/types';
import { config, numberOr } from '../shared/config';
import { now as clockNow } from '../shared/clock';
import { RegistryUnavailableError } from '../shared/errors';
import { logger } from '../shared/logger';

export const BREAKER_KEY = { itemId: 'REGISTRY#BREAKER', sk: 'STATE' } as const;

export interface BreakerStore {
  read(): Promise<BreakerState | null>;
  /** Writes `next` (its version + 1) if the stored version is still `expectedVersion`; false when it is not. */
  write(next: BreakerState, expectedVersion: number): Promise<boolean>;
}

export const dynamoBreakerStore: BreakerStore = {
  async read() {
    const out = await dynamo().send(new GetCommand({ TableName: config.reviewItemsTable(), Key: BREAKER_KEY, ConsistentRead: true }));
    const item = out.Item as (BreakerState & typeof BREAKER_KEY) | undefined;
    if (!item) return null;
    return {
      status: item.status,
      windowStartMs: item.windowStartMs,
      calls: item.calls,
      failures: item.failures,
      openedAtMs: item.openedAtMs ?? null,
      probeStartedAtMs: item.probeStartedAtMs ?? null,
      version: item.version,
    };
  },
  async write(next, expectedVersion) {
    try {
      await dynamo().send(
        new PutCommand({
          TableName: config.reviewItemsTable(),
          Item: { ...BREAKER_KEY, ...next, version: expectedVersion + 1, updatedAt: clockNow().toISOString() },
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(itemId)' : 'version = :v',
          ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':v': expectedVersion } }),
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  },
};

/** The breaker's policy: DEFAULT_BREAKER_POLICY unless REGISTRY_BREAKER_* variables say otherwise (tests, a stack). */
export function breakerPolicy(): BreakerPolicy {
  const d = DEFAULT_BREAKER_POLICY;
  return {
    windowSeconds: numberOr('REGISTRY_BREAKER_WINDOW_SECONDS', d.windowSeconds),
    minFailures: numberOr('REGISTRY_BREAKER_MIN_FAILURES', d.minFailures),
    failureRate: numberOr('REGISTRY_BREAKER_FAILURE_RATE', d.failureRate),
    openSeconds: numberOr('REGISTRY_BREAKER_OPEN_SECONDS', d.openSeconds),
    probeTimeoutSeconds: numberOr('REGISTRY_BREAKER_PROBE_TIMEOUT_SECONDS', d.probeTimeoutSeconds),
  };
}

export interface BreakerOptions {
  store?: BreakerStore;
  policy?: BreakerPolicy;
  /** Injected for tests. Default: the system clock (functions/shared/clock). */
  now?: () => Date;
}

const RECORD_ATTEMPTS = 3;

/** A PopulationRegistry that asks the breaker before each call and reports each call's outcome to it. */
export class BreakerGuardedRegistry implements PopulationRegistry {
  private readonly store: BreakerStore;
  private readonly policy: BreakerPolicy;
  private readonly now: () => Date;

  constructor(
    private readonly inner: PopulationRegistry,
    options: BreakerOptions = {},
  ) {
    this.store = options.store ?? dynamoBreakerStore;
    this.policy = options.policy ?? breakerPolicy();
    this.now = options.now ?? clockNow;
  }

  findPerson(personalId: string): Promise<RegistryPerson | null> {
    return this.guarded(() => this.inner.findPerson(personalId));
  }

  findHouseholdByHead(headPersonalId: string): Promise<RegistryHousehold | null> {
    return this.guarded(() => this.inner.findHouseholdByHead(headPersonalId));
  }

  private async guarded<T>(call: () => Promise<T>): Promise<T> {
    const probe = await this.admit();
    let outcome: CallOutcome;
    try {
      const value = await call();
      outcome = 'SUCCESS';
      await this.record(outcome, probe);
      return value;
    } catch (error) {
      if (error instanceof RegistryUnavailableError) await this.record('FAILURE', probe);
      else if (probe) await this.record('SUCCESS', probe); // the registry answered (this client erred): it is up
      throw error;
    }
  }

  /** Throws when the breaker is open; true when this call is the half-open probe. */
  private async admit(): Promise<boolean> {
    let state: BreakerState;
    try {
      state = (await this.store.read()) ?? closedBreaker(this.now().getTime());
    } catch (error) {
      logger.warn('Registry breaker unreadable: calling the registry', { error: (error as Error).name });
      return false;
    }
    const decision = decide(state, this.now().getTime(), this.policy);
    if (decision.action === 'CALL') return false;
    if (decision.action === 'PROBE' && (await this.tryWrite(decision.claimed, state.version))) {
      logger.info('Registry breaker half-open: probing the registry');
      return true;
    }
    const retryAfterMs = decision.action === 'FAIL_FAST' ? decision.retryAfterMs : this.policy.probeTimeoutSeconds * 1000;
    logger.info('Registry breaker open: not calling the registry', { retryAfterMs });
    throw new RegistryUnavailableError('circuit breaker open: the registry failed too often recently');
  }

  private async record(outcome: CallOutcome, probe: boolean): Promise<void> {
    for (let attempt = 1; attempt <= RECORD_ATTEMPTS; attempt++) {
      let state: BreakerState;
      try {
        state = (await this.store.read()) ?? closedBreaker(this.now().getTime());
      } catch (error) {
        logger.warn('Registry breaker unreadable: outcome not counted', { error: (error as Error).name });
        return;
      }
      // A probe whose claim was overtaken (another caller probed after a presumed loss) reports as a plain call.
      const stillProbe = probe && state.status === 'HALF_OPEN';
      const { state: next, changed } = recordOutcome(state, outcome, this.now().getTime(), stillProbe, this.policy);
      if (!changed) return;
      if (await this.tryWrite(next, state.version)) {
        if (next.status !== state.status) logger.warn('Registry breaker changed', { from: state.status, to: next.status, failures: next.failures, calls: next.calls });
        return;
      }
    }
    logger.info('Registry breaker: outcome not counted after concurrent updates', { outcome });
  }

  private async tryWrite(next: BreakerState, expectedVersion: number): Promise<boolean> {
    try {
      return await this.store.write(next, expectedVersion);
    } catch (error) {
      logger.warn('Registry breaker not written', { error: (error as Error).name });
      return false;
    }
  }
}

/** The registry every identity check uses: the HTTP client behind the breaker. */
export function guardedRegistry(inner: PopulationRegistry, options: BreakerOptions = {}): PopulationRegistry {
  return new BreakerGuardedRegistry(inner, options);
}
