/**
 * Step RecordOutcome: `{ applicationId, status: REJECTED | EXPIRED | FAILED, reasonCode, reason }` → the
 * application ends in that status with a reason `{ code, vi, en, detail }` (labels from reviewReasons.ts), and
 * its open review item (if any) is closed — both in ONE transaction.
 *
 * `recordOutcome` is THE outcome service: the one place that ends an application without a result. The step
 * handler below and the execution-ended rule (events/executionEnded.ts: an execution stopped, timed out or failed
 * outside a Catch) both call it.
 *
 * - the open review item: EXPIRED for the review deadline (status EXPIRED), otherwise EXPIRED with
 *   `closedReason` = the reason code (reviewQueue.closeOpenItemsOfApplication): it leaves the active queue,
 *   is audited (EXPIRED / CLOSED) and can no longer be claimed or decided.
 * - `detail` (optional): the public reason detail, also for FAILED (the execution-ended rule puts the execution's
 *   error and cause there, masked and bounded).
 *
 * - allowed from any non-terminal status; already in the same terminal status → success (idempotent retry);
 *   another terminal status → ConflictError INVALID_STATE (the ASL's Catch records OutcomeNotRecorded).
 * - `reason` becomes `detail` (the officer's rejection reason, the reviewed reason code of an expired review …);
 *   for FAILED the raw error cause is only logged (masked, truncated), never shown to the citizen.
 * - a lost race (the review item changed between the read and the write) → TransientError: the ASL retries.
 * - `unlessPaid` (the household payment wait timed out): the payment callback completes the application in the
 *   transaction that records the payment (or fails it, for a card changed since the quote), so an application
 *   that has ended meanwhile — paid just before the timeout, its SendTaskSuccess lost; superseded by another
 *   channel's payment, its SendTaskFailure lost — is left as it is and its status returned (`recorded: false`;
 *   the ASL's PaidAfterAll routes on it). The expiry is conditioned on no payment, so a callback racing with it
 *   cannot be lost either: one of the two conditional writes wins, and a payment after the expiry is a refund due.
 * - household renewals (householdPayments.paymentItemsOnEnd, renewalHolds.releaseHoldItems), in the SAME
 *   transaction: a payment recorded for an application that ends without its cards becomes a refund due; the
 *   household renewal hold the application contends for is released (its payment request needs no write: it is
 *   closed because the application no longer awaits payment). This is the one outcome-recording service:
 *   whatever ends an application (the ASL, an execution-ended handler) calls it; the payment callback records
 *   its own FAILED CARD_CHANGED_SINCE_QUOTE in its transaction (with the gateway transaction it must create).
 */
import * as z from 'zod';
import { applicationsRepository, type ApplicationReason } from '../adapters/applicationsRepository';
import { closeOpenItemsOfApplication } from '../reviewQueue/reviewQueue';
import { cancellationCodes, transact } from '../reviewQueue/reviewItemsRepository';
import { isStopConditions, shownCode, type StopConditions } from '../domain/reasonCatalog';
import { REVIEW_REASON_CODES, TERMINAL_STATUSES } from '../domain/types';
import { ConflictError, NotFoundError, TransientError } from '../shared/errors';
import { logger, maskPersonalId } from '../shared/logger';
import { stepHandler } from '../shared/steps';
import { paymentItemsOnEnd } from '../household/householdPayments';
import { releaseHoldItems } from '../household/renewalHolds';

const inputSchema = z.object({
  applicationId: z.string().min(1),
  status: z.enum(['REJECTED', 'EXPIRED', 'FAILED']),
  reasonCode: z
    .string()
    .nullish()
    .transform((s) => (s && s.trim() ? s.trim() : 'WORKFLOW_ERROR')),
  // A step's Stop conditions (reasonCatalog StopConditions), or a text (an officer's note, an error's cause).
  reason: z.unknown().transform((r): string | StopConditions | null =>
    r === null || r === undefined ? null : isStopConditions(r) ? r : typeof r === 'string' ? r : JSON.stringify(r),
  ),
  unlessPaid: z.boolean().optional(),
  detail: z.string().nullish(),
});

export type RecordOutcomeInput = z.input<typeof inputSchema>;

const MAX_DETAIL = 500;

/** Personal IDs (12-digit runs) masked; length bounded. */
function sanitize(text: string | null, max = MAX_DETAIL): string | null {
  if (text === null) return null;
  const masked = text.replace(/\d{12}/g, (id) => maskPersonalId(id)).trim();
  if (masked === '') return null;
  return masked.length > max ? `${masked.slice(0, max)}…` : masked;
}

function reasonFor(
  status: 'REJECTED' | 'EXPIRED' | 'FAILED',
  code: string,
  reason: string | StopConditions | null,
  detail?: string | null,
): ApplicationReason {
  // An engine error name (States.TaskFailed, Lambda.Unknown …) is stored as WORKFLOW_ERROR; its text only logged.
  const shown = status === 'FAILED' ? shownCode(code) : code;
  if (isStopConditions(reason)) return { code: shown, ...reason };
  if (code === 'REVIEW_DEADLINE_PASSED' && typeof reason === 'string' && (REVIEW_REASON_CODES as readonly string[]).includes(reason)) {
    return { code, condition: { code: 'REVIEW_DECIDED_IN_TIME', params: { reviewReason: reason } } };
  }
  // Only an officer's rejection reason is shown as a note; an error's cause (FAILED, a step's error) is only logged.
  const officer = status === 'REJECTED' && (code === 'REJECTED_BY_REVIEWER' || (REVIEW_REASON_CODES as readonly string[]).includes(code));
  const note = officer ? sanitize(detail ?? (typeof reason === 'string' ? reason : null)) : null;
  // A bare code (the reviewed reason code of an expired review) is no note.
  return { code: shown, ...(note && !/^[A-Z][A-Z0-9_.]*$/.test(note) ? { note } : {}) };
}

export interface RecordOutcomeResult {
  applicationId: string;
  status: string;
  reason: ApplicationReason;
  recorded: boolean;
}

export type OutcomeInput = z.infer<typeof inputSchema>;

/** Parses an outcome request (the step's input schema): callers other than the step use it too. */
export function outcomeInput(input: RecordOutcomeInput): OutcomeInput {
  return inputSchema.parse(input);
}

export async function recordOutcome(input: OutcomeInput): Promise<RecordOutcomeResult> {
  const { applicationId, status, reasonCode } = input;
  const reason = reasonFor(status, reasonCode, input.reason, input.detail);
  if (status === 'FAILED') logger.warn('Application failed', { reasonCode, cause: typeof input.reason === 'string' ? sanitize(input.reason, 2000) : null });

  const application = await applicationsRepository.get(applicationId);
  if (!application) throw new NotFoundError({ vi: 'hồ sơ', en: 'Application' }, 'APPLICATION_NOT_FOUND');
  if (application.status === status) {
    return { applicationId, status, reason: application.reason ?? reason, recorded: false };
  }
  const unlessPaid = input.unlessPaid === true;
  if (unlessPaid && TERMINAL_STATUSES.includes(application.status)) {
    if (application.status === 'COMPLETED') logger.warn('Payment wait timed out after the payment completed the renewal: nothing to expire');
    return { applicationId, status: application.status, reason: application.reason ?? reason, recorded: false };
  }

  const closing = await closeOpenItemsOfApplication(applicationId, application.openReviewItemId ?? null, status === 'EXPIRED' ? null : reasonCode);
  const payments = paymentItemsOnEnd(application, reasonCode, status);
  const items = [
    applicationsRepository.transitionUpdate(applicationId, {
      to: status,
      event: 'OUTCOME_RECORDED',
      // The code the answer shows (an engine error name is WORKFLOW_ERROR there too); the engine's text is only logged.
      detail: { reasonCode: reason.code, ...(payments.refundDue ? { refundDue: true } : {}) },
      set: { reason },
      remove: ['openReviewItemId'],
      ...(unlessPaid ? { require: { paymentReference: null } } : {}),
    }),
    ...closing,
    ...payments.items,
    ...(await releaseHoldItems(application)),
  ];
  try {
    await transact(items);
  } catch (error) {
    const codes = cancellationCodes(error);
    if (!codes) throw error;
    if (codes[0] === 'ConditionalCheckFailed') {
      const current = await applicationsRepository.get(applicationId);
      if (current?.status === status) return { applicationId, status, reason: current.reason ?? reason, recorded: false };
      if (unlessPaid && current && TERMINAL_STATUSES.includes(current.status)) {
        return { applicationId, status: current.status, reason: current.reason ?? reason, recorded: false };
      }
      if (current && ['COMPLETED', 'REJECTED', 'EXPIRED', 'FAILED'].includes(current.status)) {
        throw new ConflictError('INVALID_STATE', 'Hồ sơ đã kết thúc với trạng thái khác', 'The application already ended in another status', {
          status: current.status,
        });
      }
    }
    throw new TransientError(`RecordOutcome transaction cancelled (${codes.join(',')})`);
  }
  if (closing.length > 0) logger.info('Open review item closed with the outcome', { status, reasonCode });
  return { applicationId, status, reason, recorded: true };
}

export const handler = stepHandler('RecordOutcome', inputSchema, recordOutcome, (out, input) => ({
  status: out.status,
  reasonCode: input.reasonCode,
  recorded: out.recorded,
}));
