/**
 * Waiting for an unreachable population registry (chờ CSDLQG về dân cư phản hồi), shared by every service.
 *
 * The service's Standard workflow (Route → PlanRegistryRetry → WaitForRegistry → Prepare) asks `planRetry` what
 * to do when its Express part ended NEEDS_REVIEW REGISTRY_UNAVAILABLE:
 *   - retry: the application is WAITING_FOR_REGISTRY (a public status, with `waitingForRegistry`: since, attempts,
 *     nextAttemptAt, until; one REGISTRY_RETRY_SCHEDULED timeline event per retry) and the workflow waits
 *     `delaySeconds` (back-off schedule: domain/identity/registryBackoff.ts; window: the province's config);
 *   - no retry (the window is spent): the workflow opens the REGISTRY_UNAVAILABLE review item as before.
 * When the registry answers again, RunIdentityCheck moves the application back to VERIFYING (`registryAnswered`).
 * Like WAITING_FOR_RULE_DATA (lumpSum/lumpSumService.ts): a status that says what the application waits for, a
 * field that says since when and until when, and the workflow going on by itself.
 */
import { applicationsRepository } from '../adapters/applicationsRepository';
import { planRegistryRetry, type RegistryRetryPlan, type RegistryWaitPolicy, type RegistryWaitProgress } from '../domain/identity/registryBackoff';
import { now } from '../shared/clock';
import { numberOr } from '../shared/config';
import { ConflictError } from '../shared/errors';
import { logger } from '../shared/logger';

export const WAITING_FOR_REGISTRY = 'WAITING_FOR_REGISTRY';
export const REGISTRY_RETRY_SCHEDULED = 'REGISTRY_RETRY_SCHEDULED';
export const REGISTRY_AVAILABLE_AGAIN = 'REGISTRY_AVAILABLE_AGAIN';

/**
 * The window and back-off of this province stack: config/provinces.json registryWaitHours,
 * registryRetryFirstDelaySeconds, registryRetryMaxDelaySeconds, set on the functions by the stack as
 * REGISTRY_WAIT_SECONDS, REGISTRY_RETRY_FIRST_DELAY_SECONDS, REGISTRY_RETRY_MAX_DELAY_SECONDS (defaults: the
 * provinces' defaults).
 */
export function registryWaitPolicy(): RegistryWaitPolicy {
  return {
    windowSeconds: numberOr('REGISTRY_WAIT_SECONDS', 6 * 3600),
    firstDelaySeconds: numberOr('REGISTRY_RETRY_FIRST_DELAY_SECONDS', 60),
    maxDelaySeconds: numberOr('REGISTRY_RETRY_MAX_DELAY_SECONDS', 1800),
  };
}

export async function planRetry(applicationId: string, progress: RegistryWaitProgress): Promise<RegistryRetryPlan> {
  const plan = planRegistryRetry(progress, now(), registryWaitPolicy());
  if (!plan.retry) {
    logger.warn('Population registry still unreachable at the end of the window: a person decides', { applicationId, attempts: plan.attempt });
    return plan;
  }
  const waitingForRegistry = { since: plan.since, attempts: plan.attempt, nextAttemptAt: plan.nextAttemptAt, until: plan.until };
  await applicationsRepository.transition(applicationId, {
    to: 'WAITING_FOR_REGISTRY',
    event: plan.attempt === 1 ? WAITING_FOR_REGISTRY : REGISTRY_RETRY_SCHEDULED,
    detail: { attempt: plan.attempt, nextAttemptAt: plan.nextAttemptAt, until: plan.until },
    set: { waitingForRegistry },
    allowedFrom: ['RECEIVED', 'VERIFYING', 'WAITING_FOR_REGISTRY'],
  });
  logger.info('Waiting for the population registry', { applicationId, attempt: plan.attempt, delaySeconds: plan.delaySeconds });
  return plan;
}

/** The registry answered a check of an application that was waiting for it: back to VERIFYING (once). */
export async function registryAnswered(applicationId: string): Promise<void> {
  try {
    await applicationsRepository.transition(applicationId, {
      to: 'VERIFYING',
      event: REGISTRY_AVAILABLE_AGAIN,
      remove: ['waitingForRegistry'],
      allowedFrom: ['WAITING_FOR_REGISTRY'],
    });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error; // a concurrent check did it already
  }
}
