/**
 * Step RunIdentityCheck (the Check<Head|Members|Applicant> states of every service's Express part, and ApplyApproval of
 * the shared review, identity-verification.asl.json):
 * `{ applicationId, service, provinceCode, checkKind, subjectRole, subject, context, approval }` → CheckOutcome.
 *
 * Side effect first: the application → VERIFYING with a timeline event (skipped when it is already VERIFYING,
 * so a retried or second check adds nothing). Then the check against the population registry (today = the
 * Asia/Ho_Chi_Minh date), through the registry circuit breaker (adapters/registryBreaker.ts: while it is open the
 * check fails fast as unavailable). RegistryUnavailableError propagates with name 'RegistryUnavailable' (ASL Retry/Catch).
 */
import * as z from 'zod';
import { runIdentityCheck, type CheckOutcome } from '../identity/identityChecks';
import { populationRegistry } from '../adapters/populationRegistry';
import { guardedRegistry } from '../adapters/registryBreaker';
import { applicationsRepository } from '../adapters/applicationsRepository';
import { registryAnswered } from '../identity/registryWait';
import { vietnamDate } from '../shared/clock';
import { ConflictError, NotFoundError } from '../shared/errors';
import { maskPersonalId } from '../shared/logger';
import { stepHandler } from '../shared/steps';
import { REVIEW_REASON_CODES, type ApplicationStatus } from '../domain/types';

const sexSchema = z.enum(['MALE', 'FEMALE']);

const claimSchema = z.object({
  personalId: z.string().min(1),
  fullName: z.string().min(1),
  dateOfBirth: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  sex: sexSchema.nullish().transform((s) => s ?? undefined),
});

const approvalSchema = z.object({
  decision: z.enum(['APPROVE', 'REJECT']),
  reviewItemId: z.string().min(1),
  decidedBy: z.string().min(1),
  decidedAt: z.string().min(1),
  corrections: z
    .object({
      personalId: z.string().nullish(),
      fullName: z.string().nullish(),
      dateOfBirth: z.string().nullish(),
      sex: sexSchema.nullish(),
    })
    .nullish()
    .transform((c) =>
      c
        ? Object.fromEntries(Object.entries(c).filter(([, v]) => v !== null && v !== undefined && v !== ''))
        : null,
    ),
  reason: z.string().nullish().transform((s) => s ?? null),
  evidenceNote: z.string().nullish().transform((s) => s ?? null),
  reviewedReasonCode: z.enum(REVIEW_REASON_CODES),
});

const inputSchema = z.object({
  applicationId: z.string().min(1),
  service: z.string().min(1),
  provinceCode: z.string().min(1),
  checkKind: z.enum(['PERSON', 'HOUSEHOLD_MEMBERS']),
  subjectRole: z.enum(['HEAD_OF_HOUSEHOLD', 'APPLICANT']),
  subject: claimSchema,
  context: z
    .object({ headVerifiedBy: z.enum(['REGISTRY', 'STAFF']).nullish() })
    .nullish()
    .transform((c) => ({ headVerifiedBy: c?.headVerifiedBy ?? undefined })),
  approval: approvalSchema.nullish().transform((a) => a ?? null),
});

const CHECKABLE: readonly ApplicationStatus[] = ['RECEIVED', 'IN_REVIEW'];

/**
 * Application → VERIFYING (timeline event), tolerating it being VERIFYING already. An application WAITING_FOR_REGISTRY
 * stays so until the registry answers (no status flapping on every retry): returns true for it.
 */
async function markVerifying(applicationId: string, detail: Record<string, unknown>): Promise<boolean> {
  const current = await applicationsRepository.get(applicationId);
  if (!current) throw new NotFoundError({ vi: 'hồ sơ', en: 'Application' }, 'APPLICATION_NOT_FOUND');
  if (current.status === 'WAITING_FOR_REGISTRY') return true;
  if (current.status === 'VERIFYING') return false;
  if (!CHECKABLE.includes(current.status)) {
    throw new ConflictError('INVALID_STATE', 'Hồ sơ không ở trạng thái cho phép xác minh', 'The application cannot be verified in its state', {
      status: current.status,
    });
  }
  try {
    await applicationsRepository.transition(applicationId, { to: 'VERIFYING', event: 'IDENTITY_CHECK_STARTED', detail, allowedFrom: CHECKABLE });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const again = await applicationsRepository.get(applicationId);
    if (again?.status === 'VERIFYING') return false; // a concurrent retry did it
    throw error;
  }
  return false;
}

async function check(input: z.infer<typeof inputSchema>): Promise<CheckOutcome> {
  const waiting = await markVerifying(input.applicationId, {
    checkKind: input.checkKind,
    subjectRole: input.subjectRole,
    ...(input.approval ? { reviewItemId: input.approval.reviewItemId } : {}),
  });
  const outcome = await runIdentityCheck(
    {
      checkKind: input.checkKind,
      subjectRole: input.subjectRole,
      subject: input.subject,
      context: input.context,
      approval: input.approval,
    },
    guardedRegistry(populationRegistry()),
    vietnamDate(),
  );
  // Any answer (RegistryUnavailable was thrown otherwise): the wait for the registry is over.
  if (waiting) await registryAnswered(input.applicationId);
  return outcome;
}

export const handler = stepHandler('RunIdentityCheck', inputSchema, check, (outcome, input) => ({
  checkKind: input.checkKind,
  subjectRole: input.subjectRole,
  personalId: maskPersonalId(input.subject.personalId), // never the full ID
  outcome: outcome.outcome,
  reasonCode: outcome.reasonCode,
  verifiedBy: outcome.verifiedBy,
  withApproval: input.approval !== null,
}));
