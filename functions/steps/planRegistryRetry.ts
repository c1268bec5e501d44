/**
 * Step PlanRegistryRetry (every service's Standard workflow, when its Express part ended NEEDS_REVIEW
 * REGISTRY_UNAVAILABLE): `{ applicationId, registryWait: { attempt, since } }` → RegistryRetryPlan
 * (`{ retry, attempt, since, until, delaySeconds?, nextAttemptAt? }`, kept by the ASL as `$.registryWait`).
 * Records WAITING_FOR_REGISTRY while it retries (identity/registryWait.ts).
 */
import * as z from 'zod';
import { planRetry } from '../identity/registryWait';
import { stepHandler } from '../shared/steps';

const inputSchema = z.object({
  applicationId: z.string().min(1),
  registryWait: z
    .object({ attempt: z.number().int().min(0), since: z.string().nullish().transform((s) => s ?? null) })
    .nullish()
    .transform((w) => w ?? { attempt: 0, since: null }),
});

export const handler = stepHandler(
  'PlanRegistryRetry',
  inputSchema,
  (input) => planRetry(input.applicationId, input.registryWait),
  (plan) => ({ retry: plan.retry, attempt: plan.attempt, ...(plan.retry ? { delaySeconds: plan.delaySeconds } : {}) }),
);
