/**
 * ExecutionEnded: the EventBridge rule on `aws.states` "Step Functions Execution Status Change" (catalog
 * eventFunctionSpecs; locally the engine emits the same events). No application is left without an outcome: an
 * execution of a service workflow that ended FAILED, TIMED_OUT or ABORTED without recording one (stopped by an
 * operator or a deploy, a state machine timeout, an error outside every Catch) ends its application FAILED
 * through THE outcome service (recordOutcome.ts), which closes the open review item in the same transaction.
 *
 * - Which application: the service executions are named by the application id and their input carries
 *   `applicationId` (applications/submitApplication.ts). The nested identity-verification executions have a
 *   generated name and `AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID` in their input: ignored — their parent's
 *   Task fails and the parent's Catch records the outcome; a parent that is itself stopped emits its own event.
 *   The input may be null (EventBridge leaves out large inputs): then the name alone must be an application id.
 * - An execution other than the application's own (`executionArn` recorded at submission) changes nothing.
 * - An application already terminal (REJECTED, COMPLETED, or FAILED by the ASL's RecordFailure before its Fail
 *   state) is not changed: redelivered events are idempotent the same way.
 * - SUCCEEDED / RUNNING events and other event types are ignored; a malformed event throws (EventBridge retries,
 *   then its dead-letter queue keeps it for on-call).
 * - Reason codes WORKFLOW_STOPPED / WORKFLOW_TIMED_OUT / WORKFLOW_FAILED (labels in domain/reviewReasons.ts);
 *   the reason detail is the execution's error and cause (a Lambda error's JSON envelope reduced to its
 *   message), personal IDs masked and bounded by the outcome service.
 */
import * as z from 'zod';
import { applicationsRepository, isTerminal } from '../adapters/applicationsRepository';
import { ConflictError, NotFoundError, TransientError } from '../shared/errors';
import { logger } from '../shared/logger';
import { stepHandler } from '../shared/steps';
import { eventFunctionSpecs } from '../catalog';
import { outcomeInput, recordOutcome } from '../steps/recordOutcome';

const RULE = eventFunctionSpecs.ExecutionEnded.rule;
export const EXECUTION_STATUS_CHANGE = RULE.detailType[0];

type EndedStatus = 'FAILED' | 'TIMED_OUT' | 'ABORTED';

const REASON_BY_STATUS: Record<EndedStatus, 'WORKFLOW_FAILED' | 'WORKFLOW_TIMED_OUT' | 'WORKFLOW_STOPPED'> = {
  FAILED: 'WORKFLOW_FAILED',
  TIMED_OUT: 'WORKFLOW_TIMED_OUT',
  ABORTED: 'WORKFLOW_STOPPED',
};

const eventSchema = z.object({
  source: z.literal('aws.states'),
  'detail-type': z.string(),
  detail: z.object({
    executionArn: z.string().min(1),
    stateMachineArn: z.string().min(1),
    name: z.string().min(1),
    status: z.string().min(1),
    startDate: z.number().nullish(),
    stopDate: z.number().nullish(),
    input: z.string().nullish(),
    error: z.string().nullish(),
    cause: z.string().nullish(),
  }),
});

export type ExecutionStatusChangeEvent = z.input<typeof eventSchema>;
type Detail = z.infer<typeof eventSchema>['detail'];

export type ExecutionEndedResult =
  | { action: 'IGNORED'; why: string }
  | { action: 'ALREADY_ENDED'; applicationId: string; status: string }
  | { action: 'ENDED'; applicationId: string; status: 'FAILED'; reasonCode: string };

/** An application id as submitApplication makes them (service prefix + 26 Crockford base32 characters). */
const APPLICATION_ID = /^[A-Z]{2}-[0-9A-HJKMNP-TV-Z]{26}$/;
const STARTED_BY_FIELD = 'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID';
const MAX_ATTEMPTS = 3;

/** The application this execution is the workflow of, or why it is none. */
export function applicationOf(detail: Pick<Detail, 'name' | 'input'>): { applicationId: string } | { none: string } {
  if (detail.input === null || detail.input === undefined) {
    return APPLICATION_ID.test(detail.name) ? { applicationId: detail.name } : { none: 'no input and the name is not an application id' };
  }
  let input: unknown;
  try {
    input = JSON.parse(detail.input);
  } catch {
    return { none: 'input is not JSON' };
  }
  if (!input || typeof input !== 'object' || Array.isArray(input)) return { none: 'input is not an object' };
  const fields = input as Record<string, unknown>;
  if (STARTED_BY_FIELD in fields) return { none: 'a nested execution (its parent handles its end)' };
  if (typeof fields.applicationId !== 'string' || fields.applicationId !== detail.name) {
    return { none: 'not a service execution (name is not the input applicationId)' };
  }
  return { applicationId: fields.applicationId };
}

/** "error: cause", a Lambda error's JSON cause reduced to its message; null when the execution says nothing. */
export function executionDetail(detail: Pick<Detail, 'error' | 'cause'>): string | null {
  let cause = detail.cause?.trim() || null;
  if (cause && cause.startsWith('{')) {
    try {
      const parsed = JSON.parse(cause) as { errorMessage?: unknown; Cause?: unknown };
      const message = typeof parsed.errorMessage === 'string' ? parsed.errorMessage : typeof parsed.Cause === 'string' ? parsed.Cause : null;
      cause = message?.trim() || null;
    } catch {
      // not JSON after all: keep it as text
    }
  }
  const parts = [detail.error?.trim() || null, cause].filter((p): p is string => !!p);
  return parts.length ? parts.join(': ') : null;
}

async function endUnfinished(detail: Detail): Promise<ExecutionEndedResult> {
  const status = detail.status as EndedStatus;
  const target = applicationOf(detail);
  if ('none' in target) return { action: 'IGNORED', why: target.none };
  const { applicationId } = target;
  logger.appendKeys({ applicationId });
  const reasonCode = REASON_BY_STATUS[status];

  for (let attempt = 1; ; attempt++) {
    const application = await applicationsRepository.get(applicationId);
    if (!application) {
      logger.warn('Execution ended for an unknown application', { status });
      return { action: 'IGNORED', why: 'unknown application' };
    }
    if (application.executionArn && application.executionArn !== detail.executionArn) {
      logger.warn('Execution ended that is not the application\'s own', { status });
      return { action: 'IGNORED', why: 'not the execution of the application' };
    }
    if (isTerminal(application.status)) return { action: 'ALREADY_ENDED', applicationId, status: application.status };
    try {
      const out = await recordOutcome(
        outcomeInput({ applicationId, status: 'FAILED', reasonCode, reason: detail.cause ?? null, detail: executionDetail(detail) }),
      );
      if (!out.recorded) return { action: 'ALREADY_ENDED', applicationId, status: out.status };
      logger.warn('Application ended by its execution\'s end', { executionStatus: status, reasonCode, error: detail.error ?? null });
      return { action: 'ENDED', applicationId, status: 'FAILED', reasonCode };
    } catch (error) {
      if (error instanceof ConflictError) {
        const current = await applicationsRepository.get(applicationId);
        return { action: 'ALREADY_ENDED', applicationId, status: current?.status ?? 'UNKNOWN' };
      }
      if (error instanceof NotFoundError) return { action: 'IGNORED', why: 'unknown application' };
      // A lost race (a decision or a claim on the open item meanwhile): read again and retry. Anything else (and
      // a race lost every time) is thrown: Lambda retries the event, then the dead-letter queue keeps it.
      if (error instanceof TransientError && attempt < MAX_ATTEMPTS) continue;
      throw error;
    }
  }
}

async function onStatusChange(event: z.infer<typeof eventSchema>): Promise<ExecutionEndedResult> {
  const { detail } = event;
  if (!RULE.detailType.includes(event['detail-type'])) return { action: 'IGNORED', why: 'another event type' };
  if (!RULE.statuses.includes(detail.status) || !(detail.status in REASON_BY_STATUS)) return { action: 'IGNORED', why: `status ${detail.status}` };
  return endUnfinished(detail);
}

/** The shared Lambda wrapper: parse (zod; malformed → ValidationError) → service → one summary log line. */
export const handler = stepHandler('ExecutionEnded', eventSchema, onStatusChange, (out, event) => ({
  executionStatus: event.detail.status,
  ...out,
}));
