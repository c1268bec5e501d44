/**
 * Step OpenReviewItem (lambda:invoke.waitForTaskToken): `{ applicationId, service, provinceCode, checkKind,
 * subjectRole, subject, reasonCode, registrySnapshot, reviewTimeoutSeconds, taskToken }` → creates the review
 * item (task token stored server-side only) and sets the application IN_REVIEW in one transaction. The
 * workflow then waits until the review queue sends the staff decision (SendTaskSuccess) or the deadline passes.
 * Idempotent: the item id derives from the task token, so a retry finds the item and succeeds.
 * The task token is never logged.
 */
import * as z from 'zod';
import { openReviewItem } from '../reviewQueue/reviewQueue';
import { stepHandler } from '../shared/steps';
import { REVIEW_REASON_CODES, SERVICE_NAMES } from '../domain/types';

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

export const handler = stepHandler(
  'OpenReviewItem',
  inputSchema,
  async (input): Promise<{ reviewItemId: string; created: boolean; dueAt: string }> => {
    const out = await openReviewItem(input);
    return { reviewItemId: out.itemId, created: out.created, dueAt: out.dueAt };
  },
  // Never the task token nor the subject's personal data.
  (out, input) => ({ reviewItemId: out.reviewItemId, created: out.created, reasonCode: input.reasonCode, dueAt: out.dueAt }),
);
