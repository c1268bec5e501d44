/**
 * Step OpenReviewItem (lambda:invoke.waitForTaskToken): `{ applicationId, service, provinceCode, checkKind,
 * subjectRole, subject, context, reasonCode, registrySnapshot, reviewTimeoutSeconds, reviewWindow, registryOutage?,
 * taskToken }` → creates the review
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
  // PlanReviewWindow's answer: the wait's timeout is its deadline, so the item shows that deadline.
  reviewWindow: z
    .object({
      basis: z.enum(['WORKING_TIME', 'CALENDAR_DAYS', 'STACK_TIMEOUT']),
      dueAt: z.iso.datetime(),
      targetAt: z.iso.datetime(),
      missingHolidayYear: z.number().int().nullish().transform((y) => y ?? null),
    })
    .nullish(),
  context: z
    .object({ headVerifiedBy: z.enum(['REGISTRY', 'STAFF']).nullish() })
    .nullish(),
  // When the workflow knows it: the last registry attempt of an unreachable registry and how many were made.
  registryOutage: z.object({ lastAttemptAt: z.iso.datetime(), attempts: z.number().int().positive().nullish().transform((n) => n ?? null) }).nullish(),
  taskToken: z.string().min(1),
});

export const handler = stepHandler(
  'OpenReviewItem',
  inputSchema,
  async (input): Promise<{ reviewItemId: string; created: boolean; dueAt: string }> => {
    const { context, ...rest } = input;
    const out = await openReviewItem({ ...rest, headVerifiedBy: context?.headVerifiedBy ?? null });
    return { reviewItemId: out.itemId, created: out.created, dueAt: out.dueAt };
  },
  // Never the task token nor the subject's personal data.
  (out, input) => ({ reviewItemId: out.reviewItemId, created: out.created, reasonCode: input.reasonCode, dueAt: out.dueAt }),
);
