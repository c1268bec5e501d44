/**
 * Back-off schedule of an application whose identity check found the national population registry unreachable
 * (chờ CSDLQG về dân cư): pure, no AWS. The service's Standard workflow waits (a Wait state, SecondsPath) and
 * runs its Express part again, on this schedule, until the registry answers or the province's window is spent;
 * only then does the check become a REGISTRY_UNAVAILABLE review item.
 *
 * Delays double from `firstDelaySeconds` up to `maxDelaySeconds`; the last wait is cut so that the last attempt
 * falls at the end of the window. Each retry costs the parent a few state transitions only while the registry is
 * down (docs/capacity.md: Standard transitions are the cost).
 */

export interface RegistryWaitPolicy {
  /** How long an application waits for the registry before a person is asked (seconds; province config). */
  windowSeconds: number;
  firstDelaySeconds: number;
  maxDelaySeconds: number;
}

/** What the workflow carries between rounds (`$.registryWait`). */
export interface RegistryWaitProgress {
  /** Retries already scheduled (0 before the first). */
  attempt: number;
  /** ISO instant of the first failed check, null before the first retry is planned. */
  since: string | null;
}

export type RegistryRetryPlan =
  | { retry: true; attempt: number; since: string; delaySeconds: number; nextAttemptAt: string; until: string }
  | { retry: false; attempt: number; since: string; until: string };

/** The delay before retry number `attempt` (1-based), before the window cut. */
export function backoffDelaySeconds(attempt: number, policy: Pick<RegistryWaitPolicy, 'firstDelaySeconds' | 'maxDelaySeconds'>): number {
  return Math.min(policy.maxDelaySeconds, policy.firstDelaySeconds * 2 ** Math.max(0, attempt - 1));
}

export function planRegistryRetry(progress: RegistryWaitProgress, now: Date, policy: RegistryWaitPolicy): RegistryRetryPlan {
  const since = progress.since ?? now.toISOString();
  const untilMs = Date.parse(since) + policy.windowSeconds * 1000;
  const until = new Date(untilMs).toISOString();
  const remainingSeconds = Math.floor((untilMs - now.getTime()) / 1000);
  if (remainingSeconds <= 0) return { retry: false, attempt: progress.attempt, since, until };
  const attempt = progress.attempt + 1;
  const delaySeconds = Math.max(1, Math.min(backoffDelaySeconds(attempt, policy), remainingSeconds));
  const nextAttemptAt = new Date(now.getTime() + delaySeconds * 1000).toISOString();
  return { retry: true, attempt, since, delaySeconds, nextAttemptAt, until };
}

/** Every retry instant of a window (offsets in seconds from the first failure), for the docs and the tests. */
export function retryOffsets(policy: RegistryWaitPolicy): number[] {
  const offsets: number[] = [];
  let at = 0;
  for (let attempt = 1; at < policy.windowSeconds; attempt++) {
    at += Math.min(backoffDelaySeconds(attempt, policy), policy.windowSeconds - at);
    offsets.push(at);
  }
  return offsets;
}
