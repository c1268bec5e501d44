/**
 * Step OpenReviewItem (lambda:invoke.waitForTaskToken): `{ applicationId, service, provinceCode, checkKind,
 * subjectRole, subject, reasonCode, registrySnapshot, reviewTimeoutSeconds, taskToken }` → creates the review
 * item (task token stored server-side only) and sets the application IN_REVIEW in one transaction. The
 * workflow then waits until the review queue sends the staff decision (SendTaskSuccess) or the deadline passes.
 * Idempotent: the item id derives from the task token, so a retry finds the item and succeeds.
 * The task token is never logged.
 */
import { z } from 'zod';
import { openReviewItem } from '../reviewQueue/reviewQueue';
import { TransientError, ValidationError } from '../shared/errors';
import { logger } from '../shared/logger';
import { REVIEW_REASON_CODES, SERVICE_NAMES } from '../domain/types';

const TRANSIENT = new Set(['TransactionConflictException', 'ProvisionedThroughputExceededException', 'ThrottlingException', 'InternalServerError']);

const inputSchema = z.object({
  applicationId: z.string().min(1),
  service: z.enum(SERVICE_NAMES),
  provinceCode: z.string().regex(/^\d{2}$/),
  checkKind: z.enum(['PERSON', 'HOUSEHOLD_MEMBERS']),
  subjectRole: z.enum(['HEAD_OF_HOUSEHOLD', 'APPLICANT']),
  subject: z.object({
    personalId: z.string().min(1),
    fullName: z.string().min(1),
    dateOfBirth: z.string().min(1),
    sex: z.enum(['MALE', 'FEMALE']).nullish().transform((s) => s ?? undefined),
  }),
  reasonCode: z.enum(REVIEW_REASON_CODES),
  registrySnapshot: z.unknown().transform((s) => s ?? null),
  reviewTimeoutSeconds: z.number().int().positive().nullish(),
  taskToken: z.string().min(1),
});

export async function handler(event: unknown): Promise<{ reviewItemId: string; created: boolean; dueAt: string }> {
  const parsed = inputSchema.safeParse(event);
  if (!parsed.success) {
    throw new ValidationError('Dữ liệu bước mở yêu cầu xem xét không hợp lệ', 'Invalid OpenReviewItem input', {
      // Paths and messages only: never echo the task token or personal data.
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const input = parsed.data;
  logger.resetKeys(); // no key of an earlier invocation leaks into this one
  logger.appendKeys({ applicationId: input.applicationId });
  try {
    const out = await openReviewItem(input);
    logger.info('Review item opened', { reviewItemId: out.itemId, created: out.created, reasonCode: input.reasonCode, dueAt: out.dueAt });
    return { reviewItemId: out.itemId, created: out.created, dueAt: out.dueAt };
  } catch (error) {
    const name = (error as Error).name;
    if (TRANSIENT.has(name)) throw new TransientError(`${name} while opening the review item`);
    throw error;
  }
}
