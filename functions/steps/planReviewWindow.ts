/**
 * Step PlanReviewWindow (identity-verification.asl.json, before OpenReview): `{ applicationId, provinceCode,
 * reviewTimeoutSeconds }` → ReviewWindow (domain/reviewWindow.ts): the item's target and deadline in the
 * province's working time from now, and `timeoutSeconds`, which the OpenReview wait takes as its TimeoutSecondsPath.
 * A year without public-holiday data never fails it: the window is then counted in calendar days and says so.
 */
import * as z from 'zod';
import { reviewWindowFor } from '../reviewQueue/reviewDeadlines';
import { stepHandler } from '../shared/steps';

const inputSchema = z.object({
  applicationId: z.string().min(1),
  provinceCode: z.string().regex(/^\d{2}$/),
  reviewTimeoutSeconds: z.number().int().positive().nullish(),
});

export const handler = stepHandler(
  'PlanReviewWindow',
  inputSchema,
  (input) => reviewWindowFor(input.provinceCode, input.reviewTimeoutSeconds),
  (w) => ({ basis: w.basis, dueAt: w.dueAt, targetAt: w.targetAt, timeoutSeconds: w.timeoutSeconds, missingHolidayYear: w.missingHolidayYear }),
);
