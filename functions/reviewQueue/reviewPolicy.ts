/**
 * Rules every review-queue operation shares (reviewQueue.ts for the workflow and the queue API, reviewConsole.ts
 * for the console): who may see an item, the conflicts a lost race or a late action produce (the same codes and
 * wording everywhere, so the console handles them alike), roles, and when an item is escalated.
 *
 * Two times per item:
 *   escalateAt  the officer's target ("Hạn xử lý"): from then on the item is overdue and flagged to supervisors
 *   dueAt       the workflow's review deadline ("Hết hạn xét duyệt"): the application ends EXPIRED then
 * Both are planned in the province's working time when the item opens (PlanReviewWindow, domain/reviewWindow.ts)
 * and stored on the item. escalateAtOf is the calendar rule for an item opened without a planned window, and for
 * items opened before working time: createdAt + escalateAfterHours, never later than the same share of the item's
 * own review window, so an item is always escalated before its deadline.
 */
import { now } from '../shared/clock';
import { ConflictError, ForbiddenError, NotFoundError } from '../shared/errors';
import { provinceSettings } from '../shared/provinces';
import type { StaffPrincipal } from '../shared/http';
import { REVIEW_ITEM_ID_PATTERN, getItem, type ReviewItemRecord } from './reviewItemsRepository';

export { REVIEW_ITEM_ID_PATTERN };

export function isSupervisor(principal: StaffPrincipal): boolean {
  return principal.roles.includes('supervisor');
}

export function requireSupervisor(principal: StaffPrincipal): void {
  if (!isSupervisor(principal)) {
    throw new ForbiddenError('SUPERVISOR_ONLY', 'Chỉ lãnh đạo (giám sát) mới được thực hiện thao tác này', 'Only supervisors may do this');
  }
}

/** The item, if it exists and belongs to the officer's province (404 / 403 otherwise). */
export async function loadItemForStaff(principal: StaffPrincipal, itemId: string): Promise<ReviewItemRecord> {
  const item = REVIEW_ITEM_ID_PATTERN.test(itemId) ? await getItem(itemId) : null;
  if (!item) throw new NotFoundError({ vi: 'yêu cầu xem xét', en: 'Review item' }, 'REVIEW_ITEM_NOT_FOUND');
  if (item.provinceCode !== principal.provinceCode) {
    throw new ForbiddenError('OTHER_PROVINCE', 'Yêu cầu xem xét thuộc tỉnh, thành phố khác', 'The review item belongs to another province');
  }
  return item;
}

export function isActive(status: ReviewItemRecord['status']): boolean {
  return status === 'OPEN' || status === 'CLAIMED';
}

/** The review deadline has passed: the workflow expires the application; nobody may act on the item. */
export function deadlinePassed(item: Pick<ReviewItemRecord, 'dueAt'>, at: string = now().toISOString()): boolean {
  return at >= item.dueAt;
}

// ---------------------------------------------------------------------------------------------------------
// Conflicts

export function resolvedConflict(item: Pick<ReviewItemRecord, 'status'> & Partial<Pick<ReviewItemRecord, 'closedReason'>>): ConflictError {
  if (item.status === 'EXPIRED' && item.closedReason) {
    return new ConflictError(
      'REVIEW_ITEM_CLOSED',
      'Yêu cầu xem xét đã đóng vì hồ sơ đã kết thúc; không thể nhận xử lý hoặc quyết định',
      'The review item was closed because its application has ended; it can no longer be claimed or decided',
      { status: item.status, closedReason: item.closedReason },
    );
  }
  if (item.status === 'EXPIRED') {
    return new ConflictError('ITEM_EXPIRED', 'Yêu cầu xem xét đã hết hạn', 'The review item has expired', { status: item.status });
  }
  return new ConflictError('ITEM_ALREADY_RESOLVED', 'Yêu cầu xem xét đã có quyết định', 'The review item has already been decided', {
    status: item.status,
  });
}

export function claimedByOtherConflict(): ConflictError {
  return new ConflictError(
    'ITEM_ALREADY_CLAIMED',
    'Yêu cầu xem xét đã được cán bộ khác nhận xử lý',
    'The review item has already been claimed by another officer',
  );
}

export function versionConflict(current: number): ConflictError {
  return new ConflictError(
    'VERSION_CONFLICT',
    'Yêu cầu xem xét vừa được thay đổi, vui lòng tải lại',
    'The review item has just changed, please reload it',
    { version: current },
  );
}

/** ITEM_NOT_CLAIMED: deciding needs a claim first; releasing needs somebody to hold the item. */
export function notClaimedConflict(attempted: 'decide' | 'release'): ConflictError {
  return attempted === 'decide'
    ? new ConflictError('ITEM_NOT_CLAIMED', 'Cần nhận xử lý yêu cầu trước khi quyết định', 'Claim the review item before deciding it')
    : new ConflictError('ITEM_NOT_CLAIMED', 'Yêu cầu xem xét chưa được ai nhận xử lý', 'Nobody holds this review item');
}

/** The application has ended (a recorded outcome, or its execution stopped / timed out / failed): no decision counts. */
export function applicationClosedConflict(applicationId: string, status: string): ConflictError {
  return new ConflictError(
    'APPLICATION_CLOSED',
    'Hồ sơ đã kết thúc; quyết định xem xét không còn hiệu lực và không được ghi nhận',
    'The application has ended; the review decision no longer applies and was not recorded',
    { applicationId, status },
  );
}

export function deadlineConflict(): ConflictError {
  return new ConflictError('ITEM_EXPIRED', 'Đã quá thời hạn xem xét', 'The review deadline has passed');
}

/** A lost race on an item: say why from what is there now. */
export async function lostRaceConflict(itemId: string, versionRead: number): Promise<ConflictError> {
  const current = await getItem(itemId);
  if (current && !isActive(current.status)) return resolvedConflict(current);
  return versionConflict(current?.version ?? versionRead);
}

// ---------------------------------------------------------------------------------------------------------
// Escalation

const HOUR_MS = 3_600_000;

/** When an item opened at `createdAt` with deadline `dueAt` becomes overdue and is escalated (see above). */
export function escalateAtOf(item: Pick<ReviewItemRecord, 'provinceCode' | 'createdAt' | 'dueAt'>): string {
  const settings = provinceSettings(item.provinceCode);
  const escalateAfterHours = settings?.escalateAfterHours ?? 72;
  const reviewDeadlineHours = settings?.reviewDeadlineHours ?? 120;
  const created = Date.parse(item.createdAt);
  const window = Math.max(0, Date.parse(item.dueAt) - created);
  const share = reviewDeadlineHours > 0 ? Math.min(1, escalateAfterHours / reviewDeadlineHours) : 1;
  const after = Math.min(escalateAfterHours * HOUR_MS, window * share);
  return new Date(created + after).toISOString();
}

/** The item's target time: stored when it was opened; computed for items opened before it was stored. */
export function targetTimeOf(item: Pick<ReviewItemRecord, 'provinceCode' | 'createdAt' | 'dueAt' | 'escalateAt'>): string {
  return item.escalateAt ?? escalateAtOf(item);
}
