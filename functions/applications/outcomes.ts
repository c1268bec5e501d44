/**
 * Business outcomes of a workflow step that are not errors: a check either lets the application go on
 * (`ok: true`) or stops it with a reason code and the precise reason text, which the ASL passes to the shared
 * RecordOutcome step (REJECTED). Returned, not thrown, so the reason text reaches RecordOutcome unchanged in AWS
 * (where a thrown error's Cause is a JSON envelope) and locally alike.
 */
import { applicationsRepository, type ApplicationRecord } from '../adapters/applicationsRepository';
import { ConflictError, NotFoundError } from '../shared/errors';

export { PROCEED, stop, type CheckDecision, type Proceed, type Stop } from './decisions';

export function applicationNotFound(): NotFoundError {
  return new NotFoundError({ vi: 'hồ sơ', en: 'Application' }, 'APPLICATION_NOT_FOUND');
}

/** The stored application, or 404 APPLICATION_NOT_FOUND. */
export async function requireApplication(applicationId: string): Promise<ApplicationRecord> {
  const record = await applicationsRepository.get(applicationId);
  if (!record) throw applicationNotFound();
  return record;
}

/**
 * The recorded result when the application is already COMPLETED (a retried step returns it: idempotent);
 * null while it is still in progress; ConflictError when it ended otherwise.
 */
export function completedResultOf<T>(record: ApplicationRecord): T | null {
  if (record.status === 'COMPLETED' && record.result) return record.result as unknown as T;
  if (['COMPLETED', 'REJECTED', 'EXPIRED', 'FAILED'].includes(record.status)) {
    throw new ConflictError('INVALID_STATE', 'Hồ sơ đã kết thúc với trạng thái khác', 'The application already ended in another status', {
      applicationId: record.applicationId,
      status: record.status,
    });
  }
  return null;
}
