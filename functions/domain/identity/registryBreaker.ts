/**
 * Circuit breaker of the national population registry (cầu dao bảo vệ CSDLQG về dân cư): pure logic, no AWS.
 * The state lives in one DynamoDB item (`REGISTRY#BREAKER`, functions/adapters/registryBreakerStore.ts); every
 * identity check reads it before calling the registry.
 *
 *   CLOSED ──≥ minFailures failures and error rate ≥ failureRate in the window──▶ OPEN (checks fail fast as unavailable)
 *   OPEN ──openSeconds later, ONE caller──▶ HALF_OPEN (its call is the probe)
 *   HALF_OPEN ──probe answered──▶ CLOSED (fresh window)   ──probe failed──▶ OPEN again
 *   HALF_OPEN with a probe older than probeTimeoutSeconds (its caller died) ──▶ the next caller probes.
 *
 * "now" is passed in (milliseconds): tests drive it with an injected clock.
 */

export type BreakerStatus = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

export interface BreakerPolicy {
  /** Length of the counting window (seconds). */
  windowSeconds: number;
  /** Fewer failures than this in the window never open the breaker (a single failure is not an outage). */
  minFailures: number;
  /** Share of failed calls in the window (0–1) that opens the breaker. */
  failureRate: number;
  /** How long the breaker stays open before one probe call is let through (seconds). */
  openSeconds: number;
  /** A probe not reported within this time is presumed lost: the next caller probes (seconds). */
  probeTimeoutSeconds: number;
}

/** The defaults of adapters/registryBreaker.ts breakerPolicy() (REGISTRY_BREAKER_* variables). */
export const DEFAULT_BREAKER_POLICY: BreakerPolicy = {
  windowSeconds: 60,
  minFailures: 5,
  failureRate: 0.5,
  openSeconds: 30,
  probeTimeoutSeconds: 15,
};

export interface BreakerState {
  status: BreakerStatus;
  /** Epoch ms when the current counting window began. */
  windowStartMs: number;
  calls: number;
  failures: number;
  /** Epoch ms when the breaker last opened (OPEN / HALF_OPEN), else null. */
  openedAtMs: number | null;
  /** Epoch ms when the current probe was let through (HALF_OPEN), else null. */
  probeStartedAtMs: number | null;
  /** Optimistic-locking version of the stored item (0 = never stored). */
  version: number;
}

export function closedBreaker(nowMs: number): BreakerState {
  return { status: 'CLOSED', windowStartMs: nowMs, calls: 0, failures: 0, openedAtMs: null, probeStartedAtMs: null, version: 0 };
}

/** CALL: go ahead; PROBE: go ahead as the half-open probe (claim it first); FAIL_FAST: do not call the registry. */
export type BreakerDecision =
  | { action: 'CALL' }
  | { action: 'PROBE'; claimed: BreakerState }
  | { action: 'FAIL_FAST'; retryAfterMs: number };

export function decide(state: BreakerState, nowMs: number, policy: BreakerPolicy = DEFAULT_BREAKER_POLICY): BreakerDecision {
  if (state.status === 'CLOSED') return { action: 'CALL' };
  const probeAt =
    state.status === 'OPEN'
      ? (state.openedAtMs ?? 0) + policy.openSeconds * 1000
      : (state.probeStartedAtMs ?? 0) + policy.probeTimeoutSeconds * 1000;
  if (nowMs >= probeAt) return { action: 'PROBE', claimed: { ...state, status: 'HALF_OPEN', probeStartedAtMs: nowMs } };
  return { action: 'FAIL_FAST', retryAfterMs: probeAt - nowMs };
}

export type CallOutcome = 'SUCCESS' | 'FAILURE';

/**
 * The state after a call's outcome, and whether it must be written. A call that succeeds while the window has
 * no failure changes nothing worth storing (the error rate is 0 either way): the happy path writes nothing. So
 * the rate is counted from the window's first failure on: `calls` are the calls since then.
 * `probe`: the call was the half-open probe this caller claimed.
 */
export function recordOutcome(
  state: BreakerState,
  outcome: CallOutcome,
  nowMs: number,
  probe: boolean,
  policy: BreakerPolicy = DEFAULT_BREAKER_POLICY,
): { state: BreakerState; changed: boolean } {
  if (probe) {
    const next: BreakerState =
      outcome === 'SUCCESS'
        ? { ...closedBreaker(nowMs), version: state.version }
        : { ...state, status: 'OPEN', openedAtMs: nowMs, probeStartedAtMs: null };
    return { state: next, changed: true };
  }
  // A call that began before the breaker opened: its outcome tells nothing new.
  if (state.status !== 'CLOSED') return { state, changed: false };
  const windowExpired = nowMs - state.windowStartMs >= policy.windowSeconds * 1000;
  const base = windowExpired ? { ...state, windowStartMs: nowMs, calls: 0, failures: 0 } : state;
  if (outcome === 'SUCCESS' && base.failures === 0) return { state: base, changed: windowExpired && state.failures > 0 };
  const counted: BreakerState = { ...base, calls: base.calls + 1, failures: base.failures + (outcome === 'FAILURE' ? 1 : 0) };
  if (counted.failures >= policy.minFailures && counted.failures / counted.calls >= policy.failureRate) {
    return { state: { ...counted, status: 'OPEN', openedAtMs: nowMs, probeStartedAtMs: null }, changed: true };
  }
  return { state: counted, changed: true };
}
