/**
 * Generic, idempotent submission of an application, shared by every service (household renewal, unemployment
 * history, lump-sum withdrawal): create the application item (RECEIVED) and start the service's workflow.
 *
 * - Ids are always random (ULID-like: the service's two-letter prefix, 10 chars of milliseconds, 80 random bits),
 *   never derived from the Idempotency-Key: nobody can compute another consumer's application id.
 * - Idempotency: with an Idempotency-Key, an idempotency record `IDEMPOTENCY#<sha256 hex of service|consumer|key>`
 *   in the applications table maps the key to the application id; it is written in ONE transaction with the
 *   application (both conditioned on their absence). A retry (or a concurrent submit) of the same key finds the
 *   record and answers with its application; the same key from another consumer is another record.
 * - The canonical request hash detects the same key reused for a different body (422 IDEMPOTENCY_KEY_REUSED).
 * - The execution is named after the application id (StartExecution is idempotent by name; ExecutionAlreadyExists
 *   counts as started). WORKFLOW_STARTED is recorded with the condition that no executionArn is recorded yet, so
 *   concurrent retries of one key leave exactly one WORKFLOW_STARTED in the timeline.
 * - A crash between the create and the start is repaired by the retry: it finds the application without
 *   executionArn and starts it with the same name.
 */
import { createHash, randomBytes } from 'node:crypto';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { stepFunctions } from '../adapters/stepFunctions';
import { applicationsRepository, IDEMPOTENCY_KEY_PREFIX, type ApplicationRecord } from '../adapters/applicationsRepository';
import type { ServiceName } from '../domain/types';
import { config } from '../shared/config';
import { crockfordBase32 } from '../shared/ids';
import { AppError, ConflictError } from '../shared/errors';
import { logger } from '../shared/logger';

/** What a service tells the generic submission about itself. */
export interface ServiceSubmission<R> {
  service: ServiceName;
  /** Two upper-case letters and a dash, e.g. 'HR-' (GET /v1/applications/{id} checks the shape). */
  idPrefix: string;
  /** ARN of the service's state machine (from the environment variable the catalog names). */
  stateMachineArn: () => string;
  /**
   * The service's own fields of the workflow input; every input also carries applicationId, service,
   * provinceCode and reviewTimeoutSeconds (the shared identity verification reads them).
   */
  workflowInput: (record: ApplicationRecord, request: R) => Record<string, unknown>;
  /** Log fields of a submission (personal IDs masked by the caller). */
  logFields?: (request: R) => Record<string, unknown>;
}

export interface SubmitResult {
  applicationId: string;
  status: ApplicationRecord['status'];
  /** false when an earlier submit with the same Idempotency-Key had already created it. */
  created: boolean;
}

export interface SubmitParams<R> {
  /** The validated request, exactly as it is stored and hashed. */
  request: R;
  idempotencyKey?: string;
  /** Who is calling (the consumer of the access token, shared/http.ts consumerPrincipal); scopes the Idempotency-Key and owns the application. */
  consumerId: string;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** JSON with object keys sorted at every level: equal data → equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A fresh ULID-like id: prefix + 10 chars of milliseconds + 16 random chars (80 random bits, Crockford base32). */
export function randomApplicationId(idPrefix: string, at: Date): string {
  // 50 bits of milliseconds, most significant first, in the top of 7 bytes: the first 10 base32 chars.
  let shifted = BigInt(at.getTime()) << 6n;
  const timeBytes = new Uint8Array(7);
  for (let i = 6; i >= 0; i--) {
    timeBytes[i] = Number(shifted & 0xffn);
    shifted >>= 8n;
  }
  return idPrefix + crockfordBase32(timeBytes).slice(0, 10) + crockfordBase32(randomBytes(10)).slice(0, 16);
}

/** The execution ARN StartExecution gives an execution `name` of `stateMachineArn`. */
function executionArnFor(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/**
 * Creates the application (RECEIVED) and starts its workflow, idempotently (see the file header):
 * the same key and body → the same application, started once; the same key with another body → 422.
 */
export async function submitApplication<R>(
  def: ServiceSubmission<R>,
  params: SubmitParams<R>,
  now: Date,
): Promise<SubmitResult> {
  const { request, idempotencyKey, consumerId } = params;
  const requestHash = sha256(canonicalJson(request)).toString('hex');
  const at = now.toISOString();
  const record: ApplicationRecord = {
    applicationId: randomApplicationId(def.idPrefix, now),
    service: def.service,
    provinceCode: config.provinceCode(),
    status: 'RECEIVED',
    request: request as unknown as Record<string, unknown>,
    consumerId,
    createdAt: at,
    updatedAt: at,
    timeline: [{ at, status: 'RECEIVED', event: 'RECEIVED' }],
    requestHash,
    version: 1,
  };

  let stored: ApplicationRecord = record;
  let created = true;
  if (idempotencyKey === undefined) {
    await applicationsRepository.create(record);
  } else {
    const out = await applicationsRepository.createWithIdempotencyKey(record, {
      applicationId: IDEMPOTENCY_KEY_PREFIX + sha256(`${def.service}|${consumerId}|${idempotencyKey}`).toString('hex'),
      requestHash,
      service: def.service,
      consumerId,
      createdAt: at,
    });
    if (!out.created) {
      const { idempotency } = out;
      if (idempotency.requestHash !== requestHash || idempotency.service !== def.service) {
        throw new AppError(
          'IDEMPOTENCY_KEY_REUSED',
          422,
          'Khóa Idempotency-Key đã được dùng cho một yêu cầu khác',
          'This Idempotency-Key was already used for a different request',
          { applicationId: idempotency.targetApplicationId },
        );
      }
      const existing = await applicationsRepository.get(idempotency.targetApplicationId);
      if (!existing) throw new Error(`Idempotency record without its application ${idempotency.targetApplicationId}`);
      stored = existing;
      created = false;
    }
  }
  const { applicationId } = stored;
  logger.info('Application received', { applicationId, service: def.service, consumerId, created, ...def.logFields?.(request) });

  if (!stored.executionArn) await startWorkflow(def, stored);
  return { applicationId, status: created ? 'RECEIVED' : stored.status, created };
}

/** The submit function of a service: `submitApplication` bound to the service's definition. */
export function serviceSubmitter<R>(def: ServiceSubmission<R>) {
  return (params: SubmitParams<R>, now: Date): Promise<SubmitResult> => submitApplication(def, params, now);
}

async function startWorkflow<R>(def: ServiceSubmission<R>, record: ApplicationRecord): Promise<void> {
  const stateMachineArn = def.stateMachineArn();
  const input = {
    applicationId: record.applicationId,
    service: def.service,
    provinceCode: record.provinceCode,
    reviewTimeoutSeconds: config.reviewTimeoutSeconds(),
    ...def.workflowInput(record, record.request as unknown as R),
  };
  let executionArn: string;
  let alreadyStarted = false;
  try {
    const out = await stepFunctions().send(
      new StartExecutionCommand({ stateMachineArn, name: record.applicationId, input: JSON.stringify(input) }),
    );
    executionArn = out.executionArn ?? executionArnFor(stateMachineArn, record.applicationId);
  } catch (error) {
    if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
    executionArn = executionArnFor(stateMachineArn, record.applicationId);
    alreadyStarted = true;
  }
  try {
    await applicationsRepository.transition(record.applicationId, {
      event: 'WORKFLOW_STARTED',
      detail: { executionArn, ...(alreadyStarted ? { alreadyStarted: true } : {}) },
      set: { executionArn },
      allowedFrom: ['RECEIVED', 'VERIFYING', 'IN_REVIEW', 'AWAITING_PAYMENT', 'COMPLETED', 'REJECTED', 'EXPIRED', 'FAILED'],
      // Once: a concurrent retry of the same key that started (or found) the same execution records nothing.
      require: { executionArn: null },
    });
  } catch (error) {
    if (error instanceof ConflictError) return; // already recorded by a concurrent submit: nothing to do
    // The execution runs either way; a lost timeline event is repaired by the next retry of the submit.
    logger.warn('Could not record WORKFLOW_STARTED', { applicationId: record.applicationId, error: error as Error });
  }
}
