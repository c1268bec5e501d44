import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BREAKER_POLICY as P,
  closedBreaker,
  decide,
  recordOutcome,
  type BreakerState,
  type CallOutcome,
} from '../../../functions/domain/identity/registryBreaker';

const T0 = Date.parse('2026-11-22T02:00:00Z');
const s = (n: number) => n * 1000;

function apply(state: BreakerState, outcomes: CallOutcome[], at = T0): BreakerState {
  return outcomes.reduce((st, o) => recordOutcome(st, o, at, false).state, state);
}

describe('registry circuit breaker (pure)', () => {
  it('writes nothing for successes while the window has no failure (the happy path)', () => {
    const r = recordOutcome(closedBreaker(T0), 'SUCCESS', T0 + s(1), false);
    expect(r.changed).toBe(false);
    expect(r.state).toMatchObject({ status: 'CLOSED', calls: 0, failures: 0 });
  });

  it('opens once minFailures failures make the rate reach failureRate within the window', () => {
    const four = apply(closedBreaker(T0), ['FAILURE', 'FAILURE', 'FAILURE', 'FAILURE']);
    expect(four).toMatchObject({ status: 'CLOSED', calls: 4, failures: 4 });
    const five = recordOutcome(four, 'FAILURE', T0 + s(2), false);
    expect(five.changed).toBe(true);
    expect(five.state).toMatchObject({ status: 'OPEN', openedAtMs: T0 + s(2), failures: 5, calls: 5 });
  });

  it('stays closed when successes keep the error rate below failureRate', () => {
    const st = apply(closedBreaker(T0), ['FAILURE', 'SUCCESS', 'SUCCESS', 'FAILURE', 'SUCCESS', 'SUCCESS', 'FAILURE', 'SUCCESS', 'FAILURE', 'SUCCESS', 'SUCCESS', 'FAILURE']);
    expect(st).toMatchObject({ status: 'CLOSED', failures: 5, calls: 12 });
  });

  it('starts a fresh window once windowSeconds have passed', () => {
    const st = apply(closedBreaker(T0), ['FAILURE', 'FAILURE', 'FAILURE', 'FAILURE']);
    const later = recordOutcome(st, 'FAILURE', T0 + s(P.windowSeconds), false).state;
    expect(later).toMatchObject({ status: 'CLOSED', windowStartMs: T0 + s(P.windowSeconds), calls: 1, failures: 1 });
  });

  it('fails fast while open, lets one probe through after openSeconds, closes when it succeeds', () => {
    const open = apply(closedBreaker(T0), Array(5).fill('FAILURE'));
    expect(decide(open, T0 + s(P.openSeconds) - 1)).toEqual({ action: 'FAIL_FAST', retryAfterMs: 1 });
    const probe = decide(open, T0 + s(P.openSeconds));
    expect(probe.action).toBe('PROBE');
    if (probe.action !== 'PROBE') return;
    expect(probe.claimed).toMatchObject({ status: 'HALF_OPEN', probeStartedAtMs: T0 + s(P.openSeconds) });
    // Others fail fast while the probe is out.
    expect(decide(probe.claimed, T0 + s(P.openSeconds) + 1).action).toBe('FAIL_FAST');
    const closed = recordOutcome(probe.claimed, 'SUCCESS', T0 + s(P.openSeconds + 1), true).state;
    expect(closed).toMatchObject({ status: 'CLOSED', calls: 0, failures: 0, openedAtMs: null, probeStartedAtMs: null });
    expect(decide(closed, T0 + s(P.openSeconds + 2))).toEqual({ action: 'CALL' });
  });

  it('opens again when the probe fails, and a lost probe is replaced after probeTimeoutSeconds', () => {
    const open = apply(closedBreaker(T0), Array(5).fill('FAILURE'));
    const claimed = (decide(open, T0 + s(P.openSeconds)) as { claimed: BreakerState }).claimed;
    const reopened = recordOutcome(claimed, 'FAILURE', T0 + s(P.openSeconds + 1), true).state;
    expect(reopened).toMatchObject({ status: 'OPEN', openedAtMs: T0 + s(P.openSeconds + 1) });
    expect(decide(reopened, T0 + s(P.openSeconds + 2)).action).toBe('FAIL_FAST');
    // The probe's caller died: after probeTimeoutSeconds the next caller probes.
    expect(decide(claimed, T0 + s(P.openSeconds + P.probeTimeoutSeconds)).action).toBe('PROBE');
  });

  it('ignores late outcomes of calls that began before the breaker opened', () => {
    const open = apply(closedBreaker(T0), Array(5).fill('FAILURE'));
    expect(recordOutcome(open, 'SUCCESS', T0 + s(1), false)).toEqual({ state: open, changed: false });
    expect(recordOutcome(open, 'FAILURE', T0 + s(1), false)).toEqual({ state: open, changed: false });
  });
});
