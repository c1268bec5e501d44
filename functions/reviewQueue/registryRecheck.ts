/**
 * Supervisor re-check of REGISTRY_UNAVAILABLE review items (issue 12 item 2): once the national population
 * registry is back, a supervisor re-runs the registry check of one item, or of every active REGISTRY_UNAVAILABLE
 * item of their province, with one action.
 *
 * Per item, the same identity check the workflow runs (identity/identityChecks.ts, through the circuit breaker):
 *   - PASSED → the item is approved in the supervisor's name for REGISTRY_UNAVAILABLE and the workflow resumes
 *     (reviewQueue.approveAfterRegistryRecheck: the task token stays in DynamoDB, never in an answer); its re-check
 *     finds the registry's answer, so the application goes on verified by the registry, without an officer;
 *   - NEEDS_REVIEW with another reason (e.g. PERSON_NOT_FOUND) → the item stays open (claim kept) with that reason
 *     and what the registry returned, and an audit row RECHECKED (before / after);
 *   - the registry still unavailable → nothing changes (STILL_UNAVAILABLE).
 * Only the caller's province is ever read or written; non-supervisors get 403 SUPERVISOR_ONLY.
 */
import { populationRegistry } from '../adapters/populationRegistry';
import { guardedRegistry } from '../adapters/registryBreaker';
import { runIdentityCheck } from '../identity/identityChecks';
import type { ReviewReasonCode } from '../domain/types';
import { nowIso, vietnamDate } from '../shared/clock';
import { ConflictError, RegistryUnavailableError } from '../shared/errors';
import type { StaffPrincipal } from '../shared/http';
import { logger } from '../shared/logger';
import { approveAfterRegistryRecheck, storedFieldChecks } from './reviewQueue';
import { auditPut, cancellationCodes, getItems, itemUpdate, queryQueue, queueKeys, transact, type ReviewItemRecord } from './reviewItemsRepository';
import { deadlinePassed, isActive, loadItemForStaff, requireSupervisor } from './reviewPolicy';

export type RecheckOutcome = 'RESUMED' | 'NEW_REASON' | 'STILL_UNAVAILABLE' | 'CHANGED_MEANWHILE';

export interface RecheckResult {
  itemId: string;
  applicationId: string;
  outcome: RecheckOutcome;
  /** The item's reason after the re-check. */
  reasonCode: ReviewReasonCode;
  /** RESUMED: the decision is recorded but its delivery to the workflow is left to the sweeper. */
  resumePending?: boolean;
}

export interface BulkRecheckSummary {
  checked: number;
  resumed: number;
  newReason: number;
  stillUnavailable: number;
  items: RecheckResult[];
  /** More REGISTRY_UNAVAILABLE items are left than one call re-checks: call again. */
  more: boolean;
}

/** Items re-checked per bulk call (one API answer within the function's timeout). */
export const BULK_RECHECK_LIMIT = 50;
const CONCURRENCY = 4;

function notRecheckable(item: ReviewItemRecord): ConflictError {
  return new ConflictError(
    'NOT_REGISTRY_UNAVAILABLE',
    'Chỉ kiểm tra lại được yêu cầu xem xét đang chờ xử lý vì CSDLQG về dân cư không phản hồi',
    'Only an active review item opened because the registry was unavailable can be re-checked',
    { itemId: item.itemId, status: item.status, reasonCode: item.reasonCode },
  );
}

async function recheckItem(principal: StaffPrincipal, item: ReviewItemRecord): Promise<RecheckResult> {
  const base = { itemId: item.itemId, applicationId: item.applicationId };
  let outcome;
  try {
    outcome = await runIdentityCheck(
      { checkKind: item.checkKind, subjectRole: item.subjectRole, subject: item.submitted, context: {}, approval: null },
      guardedRegistry(populationRegistry()),
      vietnamDate(),
    );
  } catch (error) {
    if (error instanceof RegistryUnavailableError) return { ...base, outcome: 'STILL_UNAVAILABLE', reasonCode: item.reasonCode };
    throw error;
  }
  if (outcome.outcome === 'PASSED') {
    const approved = await approveAfterRegistryRecheck(principal, item);
    if (!approved.approved) return { ...base, outcome: 'CHANGED_MEANWHILE', reasonCode: item.reasonCode };
    logger.info('Registry re-check passed: review item approved and resumed', { itemId: item.itemId, staffId: principal.staffId });
    return { ...base, outcome: 'RESUMED', reasonCode: item.reasonCode, resumePending: approved.resumePending };
  }
  const reasonCode = outcome.reasonCode as ReviewReasonCode;
  const at = nowIso();
  try {
    await transact([
      itemUpdate({
        itemId: item.itemId,
        expectedVersion: item.version,
        set: {
          reasonCode,
          registrySnapshot: outcome.registrySnapshot ?? null,
          // The registry has now answered: the officer reads what it said, field by field, not the outage.
          fieldChecks: storedFieldChecks({
            checkKind: item.checkKind,
            reasonCode,
            submitted: item.submitted,
            registrySnapshot: outcome.registrySnapshot ?? null,
            headVerifiedBy: item.headVerifiedBy ?? null,
            registryOutage: null,
            openedAt: item.createdAt,
          }),
        },
        require: { status: item.status, reasonCode: 'REGISTRY_UNAVAILABLE' },
      }),
      auditPut(
        { ...item, reasonCode },
        { at, version: item.version + 1, action: 'RECHECKED', by: principal.staffId, detail: { before: { reasonCode: item.reasonCode }, after: { reasonCode } } },
      ),
    ]);
  } catch (error) {
    if (cancellationCodes(error)) return { ...base, outcome: 'CHANGED_MEANWHILE', reasonCode: item.reasonCode };
    throw error;
  }
  logger.info('Registry re-check found another reason', { itemId: item.itemId, reasonCode, staffId: principal.staffId });
  return { ...base, outcome: 'NEW_REASON', reasonCode };
}

/** POST /v1/review-items/{itemId}/recheck-registry */
export async function recheckRegistryItem(principal: StaffPrincipal, itemId: string): Promise<RecheckResult> {
  requireSupervisor(principal);
  const item = await loadItemForStaff(principal, itemId);
  if (!isActive(item.status) || item.reasonCode !== 'REGISTRY_UNAVAILABLE' || deadlinePassed(item)) throw notRecheckable(item);
  return recheckItem(principal, item);
}

/** POST /v1/review-items/recheck-registry: every active REGISTRY_UNAVAILABLE item of the caller's province (up to the limit). */
export async function recheckRegistryItems(principal: StaffPrincipal): Promise<BulkRecheckSummary> {
  requireSupervisor(principal);
  const entries = [];
  let more = false;
  for (const status of ['OPEN', 'CLAIMED'] as const) {
    const page = await queryQueue({
      provinceCode: principal.provinceCode,
      prefix: queueKeys.statusPrefix(status),
      reasonCode: 'REGISTRY_UNAVAILABLE',
      limit: BULK_RECHECK_LIMIT - entries.length + 1,
    });
    entries.push(...page.items);
    if (entries.length > BULK_RECHECK_LIMIT) break;
  }
  if (entries.length > BULK_RECHECK_LIMIT) {
    more = true;
    entries.length = BULK_RECHECK_LIMIT;
  }
  const items = (await getItems(entries.map((e) => e.itemId))).filter(
    // The index is the province's; the item read by key is checked again (never another province's item).
    (item) => item.provinceCode === principal.provinceCode && isActive(item.status) && item.reasonCode === 'REGISTRY_UNAVAILABLE' && !deadlinePassed(item),
  );
  const results: RecheckResult[] = [];
  for (let i = 0; i < items.length; i += CONCURRENCY) {
    results.push(...(await Promise.all(items.slice(i, i + CONCURRENCY).map((item) => recheckItem(principal, item)))));
  }
  const count = (o: RecheckOutcome) => results.filter((r) => r.outcome === o).length;
  const summary = {
    checked: results.length,
    resumed: count('RESUMED'),
    newReason: count('NEW_REASON'),
    stillUnavailable: count('STILL_UNAVAILABLE'),
    items: results,
    more,
  };
  logger.info('Registry re-check of the province', { provinceCode: principal.provinceCode, staffId: principal.staffId, ...summary, items: undefined });
  return summary;
}
