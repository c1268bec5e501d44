/** The bench's invocation meter, beside the logger whose `runInvocation` (every handler's wrapper) calls it. */
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';

/**
 * Invocation meter (the bench: bench/system.ts): off unless `invocationMeter.enable()` is called, so a Lambda in
 * AWS never pays for it. When on, every `runInvocation` counts one invocation of its function (the Lambda
 * context's functionName) and its duration until the handler's promise settles — what Lambda bills, minus the
 * time the bench's own instrumentation spent inside it (`excludeFromCurrentInvocation`).
 */
export interface InvocationMeterEntry {
  invocations: number;
  errors: number;
  /** Sum of the invocations' durations (ms), instrumentation time excluded. */
  durationMs: number;
  /** Sum of the durations rounded up to the next ms per invocation (Lambda's billing granularity). */
  billedMs: number;
  /** Time the bench's instrumentation spent inside these invocations (ms), excluded above. */
  excludedMs: number;
  /** Calls the bench noted as waits on a dependency (DynamoDB) inside these invocations. */
  waits: number;
  /** Runs of such waits (calls in flight together count once: Promise.all) and their wall time (ms). */
  waitRuns: number;
  waitMs: number;
}

const meter = { enabled: false, byFunction: new Map<string, InvocationMeterEntry>() };
interface MeterScope {
  excludedMs: number;
  waits: number;
  waitRuns: number;
  waitMs: number;
  inFlight: number;
  since: number;
}
const meterScopes = new AsyncLocalStorage<MeterScope>();

export function metered<T>(functionName: string, work: () => T): T {
  const scope: MeterScope = { excludedMs: 0, waits: 0, waitRuns: 0, waitMs: 0, inFlight: 0, since: 0 };
  const started = performance.now();
  const done = (failed: boolean) => {
    const entry = meter.byFunction.get(functionName) ?? { invocations: 0, errors: 0, durationMs: 0, billedMs: 0, excludedMs: 0, waits: 0, waitRuns: 0, waitMs: 0 };
    const ms = Math.max(0, performance.now() - started - scope.excludedMs);
    entry.invocations++;
    if (failed) entry.errors++;
    entry.durationMs += ms;
    entry.billedMs += Math.max(1, Math.ceil(ms));
    entry.excludedMs += scope.excludedMs;
    entry.waits += scope.waits;
    entry.waitRuns += scope.waitRuns;
    entry.waitMs += scope.waitMs;
    meter.byFunction.set(functionName, entry);
  };
  let result: T;
  try {
    result = meterScopes.run(scope, work);
  } catch (error) {
    done(true);
    throw error;
  }
  if (result && typeof (result as { then?: unknown }).then === 'function') {
    return (result as unknown as Promise<unknown>).then(
      (value) => {
        done(false);
        return value;
      },
      (error: unknown) => {
        done(true);
        throw error;
      },
    ) as T;
  }
  done(false);
  return result;
}

export const invocationMeter = {
  enable(): void {
    meter.enabled = true;
  },
  enabled(): boolean {
    return meter.enabled;
  },
  /** Per function name, since the start or the last reset. A copy. */
  snapshot(): Record<string, InvocationMeterEntry> {
    return Object.fromEntries([...meter.byFunction].map(([name, entry]) => [name, { ...entry }]));
  },
  reset(): void {
    meter.byFunction.clear();
  },
  /** Instrumentation inside the current invocation (the bench's capacity audit reads) is not its duration. */
  excludeFromCurrentInvocation(ms: number): void {
    const scope = meterScopes.getStore();
    if (scope) scope.excludedMs += ms;
  },
  /**
   * A wait on a dependency (one DynamoDB call) starts inside the current invocation; call the returned function
   * when it ends. Counted (calls, runs of overlapping calls, their wall time), and still the invocation's duration.
   */
  beginWaitInCurrentInvocation(): () => void {
    const scope = meterScopes.getStore();
    if (!scope) return () => undefined;
    scope.waits++;
    if (scope.inFlight++ === 0) {
      scope.waitRuns++;
      scope.since = performance.now();
    }
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (--scope.inFlight === 0) scope.waitMs += performance.now() - scope.since;
    };
  },
};
