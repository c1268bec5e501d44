/**
 * Generic, idempotent submission of an application, shared by every service (household renewal, unemployment
 * history, lump-sum withdrawal): create the application item (RECEIVED) and start the service's workflow.
 *
 * - Idempotency: with an Idempotency-Key the application id is derived from sha256(service|consumer|key) with the
 *   service's two-letter prefix ('HR-', 'UI-', 'LS-'), so a retried submit lands on the same item and starts the
 *   execution with the same name (StartExecution is idempotent by name; ExecutionAlreadyExists counts as
 *   started). Without a key every submit is a new application with a ULID-like id.
 * - The canonical request hash detects the same key reused for a different body (422 IDEMPOTENCY_KEY_REUSED).
 * - A crash between the create and the start is repaired by the retry: it finds the item without executionArn
 *   and starts it with the same name. The WORKFLOW_STARTED timeline event records the execution ARN.
 */
import { createHash, randomBytes } from 'node:crypto';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { stepFunctions } from '../adapters/stepFunctions';
import { applicationsRepository, type ApplicationRecord } from '../adapters/applicationsRepository';
import type { ServiceName } from '../domain/types';
import { config } from '../shared/config';
import { crockfordBase32 } from '../shared/ids';
import { AppError } from '../shared/errors';
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
  /** Who is calling (API key id); scopes the Idempotency-Key. */
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

/** Deterministic id for an idempotency key: prefix + 26 Crockford base32 chars of sha256(service|consumer|key). */
export function idempotentApplicationId(
  service: ServiceName,
  idPrefix: string,
  consumerId: string,
  idempotencyKey: string,
): string {
  return idPrefix + crockfordBase32(sha256(`${service}|${consumerId}|${idempotencyKey}`)).slice(0, 26);
}

/** A fresh ULID-like id: prefix + 10 chars of milliseconds + 16 random chars (Crockford base32). */
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
  const applicationId =
    idempotencyKey !== undefined
      ? idempotentApplicationId(def.service, def.idPrefix, consumerId, idempotencyKey)
      : randomApplicationId(def.idPrefix, now);
  const at = now.toISOString();
  const record: ApplicationRecord = {
    applicationId,
    service: def.service,
    provinceCode: config.provinceCode(),
    status: 'RECEIVED',
    request: request as unknown as Record<string, unknown>,
    createdAt: at,
    updatedAt: at,
    timeline: [{ at, status: 'RECEIVED', event: 'RECEIVED' }],
    requestHash,
    version: 1,
  };
  if (idempotencyKey !== undefined) {
    record.idempotencyKeyHash = sha256(`${def.service}|${consumerId}|${idempotencyKey}`).toString('hex');
  }

  const { created, record: stored } = await applicationsRepository.create(record);
  if (!created && (stored.requestHash !== requestHash || stored.service !== def.service)) {
    throw new AppError(
      'IDEMPOTENCY_KEY_REUSED',
      422,
      'Khóa Idempotency-Key đã được dùng cho một yêu cầu khác',
      'This Idempotency-Key was already used for a different request',
      { applicationId },
    );
  }
  logger.info('Application received', { applicationId, service: def.service, created, ...def.logFields?.(request) });

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
    });
  } catch (error) {
    // The execution runs either way; a lost timeline event is repaired by the next retry of the submit.
    logger.warn('Could not record WORKFLOW_STARTED', { applicationId: record.applicationId, error: error as Error });
  }
}
