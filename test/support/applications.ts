/** Applications created directly in the table (unit tests of steps that act on an application in flight). */
import { randomUUID } from 'node:crypto';
import { applicationsRepository } from '../../functions/adapters/applicationsRepository';
import { nowIso } from '../../functions/shared/clock';
import type { ApplicationStatus, ServiceName } from '../../functions/domain/types';

const PREFIX: Record<ServiceName, string> = { HOUSEHOLD_RENEWAL: 'HR', UNEMPLOYMENT_HISTORY: 'UI', LUMP_SUM_WITHDRAWAL: 'LS' };

/** A stored application of `service` in `status` (default VERIFYING, as after the identity check); returns its id. */
export async function createApplication(
  service: ServiceName,
  request: Record<string, unknown> = {},
  status: ApplicationStatus = 'VERIFYING',
): Promise<string> {
  const applicationId = `${PREFIX[service]}-${randomUUID().replace(/-/g, '').slice(0, 26).toUpperCase()}`;
  const at = nowIso();
  await applicationsRepository.create({
    applicationId,
    service,
    provinceCode: '79',
    status,
    request,
    createdAt: at,
    updatedAt: at,
    timeline: [{ at, status, event: status }],
    version: 1,
  });
  return applicationId;
}
