/**
 * Generic, idempotent submission of an application, shared by every service (household renewal, unemployment
 * history, lump-sum withdrawal): create the application item and start the service's workflow.
 *
 * - Ids are always random (ULID-like: the service's two-letter prefix, 10 chars of milliseconds, 80 random bits),
 *   never derived from the Idempotency-Key: nobody can compute another consumer's application id.
 * - The application is created already VERIFYING (every service starts with the shared identity verification,
 *   whose first step finds it VERIFYING and writes nothing), with its execution's ARN (the execution is named
 *   after the application id, so its ARN is known before it starts) and the WORKFLOW_STARTED event: one Put and no
 *   later write (issue 10; it used to be a create, a WORKFLOW_STARTED update and a VERIFYING update).
 * - Idempotency: with an Idempotency-Key, an idempotency record `IDEMPOTENCY#<sha256 hex of service|consumer|key>`
 *   in the applications table maps the key to the application id; the record is written first, then the
 *   application (two ordered conditional Puts: applicationsRepository.createWithIdempotencyKey says why that is as
 *   safe as the transaction it replaces). A retry (or a concurrent submit) of the same key finds the record and
 *   answers with its application (creating it if a crash came between the two Puts); the same key from another
 *   consumer is another record.
 * - The canonical request hash detects the same key reused for a different body (422 IDEMPOTENCY_KEY_REUSED).
 * - The execution is started after the Put; StartExecution is idempotent by name (ExecutionAlreadyExists counts
 *   as started), so a retry of the same key whose application is not finished simply starts it again: a crash
 *   between the create and the start is repaired by the retry, without any write. Concurrent retries of one key
 *   leave exactly one WORKFLOW_STARTED in the timeline (it is part of the one Put).
 */
import { createHash, randomBytes } from 'node:crypto';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { stepFunctions } from '../adapters/stepFunctions';
import { applicationsRepository, IDEMPOTENCY_KEY_PREFIX, type ApplicationRecord } from '../adapters/applicationsRepository';
import { TERMINAL_STATUSES, type ServiceName } from '../domain/types';
import { config } from '../shared/config';
import { crockfordBase32 } from '../shared/ids';
import { AppError } from '../shared/errors';
import { logger } from '../shared/logger';
import { executionArnFor } from '../shared/stateMachineArns';

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
  const applicationId = randomApplicationId(def.idPrefix, now);
  const stateMachineArn = def.stateMachineArn();
  const record = (id: string): ApplicationRecord => ({
    applicationId: id,
    service: def.service,
    provinceCode: config.provinceCode(),
    status: 'VERIFYING',
    request: request as unknown as Record<string, unknown>,
    consumerId,
    createdAt: at,
    updatedAt: at,
    executionArn: executionArnFor(stateMachineArn, id),
    timeline: [
      { at, status: 'RECEIVED', event: 'RECEIVED' },
      { at, status: 'VERIFYING', event: 'WORKFLOW_STARTED' },
    ],
    version: 1,
  });

  let stored: ApplicationRecord = record(applicationId);
  let created = true;
  if (idempotencyKey === undefined) {
    await applicationsRepository.create(stored);
  } else {
    const out = await applicationsRepository.createWithIdempotencyKey(stored, {
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
      // The same request (same hash): its application, created now if a crash came between the two Puts.
      stored = await applicationsRepository.createMissing(idempotency, record(idempotency.targetApplicationId));
      created = false;
    }
  }
  logger.info('Application received', { applicationId: stored.applicationId, applicationService: def.service, consumerId, created, ...def.logFields?.(request) });

  if (created || !TERMINAL_STATUSES.includes(stored.status)) await startWorkflow(def, stored, request);
  return { applicationId: stored.applicationId, status: stored.status, created };
}

/** The submit function of a service: `submitApplication` bound to the service's definition. */
export function serviceSubmitter<R>(def: ServiceSubmission<R>) {
  return (params: SubmitParams<R>, now: Date): Promise<SubmitResult> => submitApplication(def, params, now);
}

/** Starts the application's execution (named after it); an execution of that name already there counts as started. */
async function startWorkflow<R>(def: ServiceSubmission<R>, record: ApplicationRecord, request: R): Promise<void> {
  const input = {
    applicationId: record.applicationId,
    service: def.service,
    provinceCode: record.provinceCode,
    reviewTimeoutSeconds: config.reviewTimeoutSeconds(),
    ...def.workflowInput(record, request),
  };
  try {
    await stepFunctions().send(
      new StartExecutionCommand({ stateMachineArn: def.stateMachineArn(), name: record.applicationId, input: JSON.stringify(input) }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
  }
}
