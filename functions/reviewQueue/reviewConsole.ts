/**
 * Staff console services on top of the review queue (reviewQueue.ts: open / list / get / claim / resolve):
 *
 *   whoAmI                the signed-in officer (province, roles) for the console header
 *   listConsoleQueue      the queue as the console shows it: active items (OPEN + CLAIMED) merged by due time,
 *                         or one status; filters service / reason / escalated; no personal data in the rows
 *   itemContext           escalation state + the application's timeline (personal IDs masked)
 *   releaseReviewItem     CLAIMED → OPEN (the holder, or a supervisor)
 *   reassignReviewItem    OPEN | CLAIMED → CLAIMED by another officer (supervisors only, 403 otherwise)
 *   revealPersonalId      the unmasked personal ID of ONE item, after recording an AUDIT row REVEALED_PERSONAL_ID
 *   itemAuditTrail        the item's append-only audit rows (masked), with before / after
 *   auditCsv              every audit row of the province in a date range, as CSV (CSV-injection safe)
 *   reviewStats           counts per status (everyone); per reason, per officer, oldest open item (supervisors)
 *   escalateOverdueItems  scheduled: OPEN / CLAIMED items past the escalation threshold → `escalated: true`
 *
 * Every change to an ITEM row follows the repository's rule: conditioned on `version`, version + 1, and its AUDIT
 * row (seq = the new version) in the same transaction. A reveal changes nothing on the item, so it only appends
 * an AUDIT row (seq = the version read, at a fresh instant; the put is conditioned on the key being new).
 * Everything is scoped to the caller's province; the task token never leaves the server.
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../adapters/dynamo';
import { applicationsRepository, maskPersonalIds } from '../adapters/applicationsRepository';
import { config } from '../shared/config';
import { now, nowIso, vietnamDate } from '../shared/clock';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors';
import { logger } from '../shared/logger';
import { provinceSettings } from '../shared/provinces';
import type { StaffPrincipal } from '../shared/http';
import { reviewReasonLabel } from '../domain/reviewReasons';
import type { ReviewReasonCode, ServiceName, TimelineEntry } from '../domain/types';
import { REVIEW_ITEM_ID_PATTERN } from './reviewQueue';
import {
  BY_PROVINCE_QUEUE,
  ITEM_SK,
  REVIEW_ITEM_STATUSES,
  auditPut,
  cancellationCodes,
  getItem,
  itemUpdate,
  listAudit,
  queueKeys,
  toStaffView,
  transact,
  type AuditRecord,
  type ReviewItemRecord,
  type ReviewItemStaffView,
  type ReviewItemStatus,
} from './reviewItemsRepository';

const SYSTEM = 'system';

/** Audit actions the console adds to the queue's own (OPENED, CLAIMED, APPROVED, …). */
export type ConsoleAuditAction = 'RELEASED' | 'REASSIGNED' | 'REVEALED_PERSONAL_ID' | 'ESCALATED';

/** ITEM row attributes the console adds (escalation). */
export interface EscalationFields {
  escalated?: boolean;
  escalatedAt?: string;
  escalationReason?: 'AGE' | 'PAST_DUE';
}

export type ConsoleItemRecord = ReviewItemRecord & EscalationFields;

type AnyAuditAction = AuditRecord['action'] | ConsoleAuditAction;

/** auditPut with the console's actions (the repository's AuditAction union does not list them). */
function consoleAuditPut(row: { itemId: string; at: string; version: number; action: ConsoleAuditAction; by: string; detail?: Record<string, unknown> }) {
  return auditPut(row as unknown as Parameters<typeof auditPut>[0]);
}

function isSupervisor(principal: StaffPrincipal): boolean {
  return principal.roles.includes('supervisor');
}

function requireSupervisor(principal: StaffPrincipal): void {
  if (!isSupervisor(principal)) {
    throw new ForbiddenError('SUPERVISOR_ONLY', 'Chỉ lãnh đạo (giám sát) mới được thực hiện thao tác này', 'Only supervisors may do this');
  }
}

async function loadForStaff(principal: StaffPrincipal, itemId: string): Promise<ConsoleItemRecord> {
  const item = REVIEW_ITEM_ID_PATTERN.test(itemId) ? ((await getItem(itemId)) as ConsoleItemRecord | null) : null;
  if (!item) throw new NotFoundError({ vi: 'yêu cầu xem xét', en: 'Review item' }, 'REVIEW_ITEM_NOT_FOUND');
  if (item.provinceCode !== principal.provinceCode) {
    throw new ForbiddenError('OTHER_PROVINCE', 'Yêu cầu xem xét thuộc tỉnh, thành phố khác', 'The review item belongs to another province');
  }
  return item;
}

// ---------------------------------------------------------------------------------------------------------
// Conflicts (same codes and wording as reviewQueue.ts, so the console handles them alike)

function resolvedConflict(item: ReviewItemRecord): ConflictError {
  if (item.status === 'EXPIRED') {
    return new ConflictError('ITEM_EXPIRED', 'Yêu cầu xem xét đã hết hạn', 'The review item has expired', { status: item.status });
  }
  return new ConflictError('ITEM_ALREADY_RESOLVED', 'Yêu cầu xem xét đã có quyết định', 'The review item has already been decided', {
    status: item.status,
  });
}

function claimedByOtherConflict(): ConflictError {
  return new ConflictError(
    'ITEM_ALREADY_CLAIMED',
    'Yêu cầu xem xét đã được cán bộ khác nhận xử lý',
    'The review item has already been claimed by another officer',
  );
}

function versionConflict(current: number): ConflictError {
  return new ConflictError(
    'VERSION_CONFLICT',
    'Yêu cầu xem xét vừa được thay đổi, vui lòng tải lại',
    'The review item has just changed, please reload it',
    { version: current },
  );
}

function notClaimedConflict(): ConflictError {
  return new ConflictError('ITEM_NOT_CLAIMED', 'Yêu cầu xem xét chưa được ai nhận xử lý', 'Nobody holds this review item');
}

function deadlineConflict(): ConflictError {
  return new ConflictError('ITEM_EXPIRED', 'Đã quá thời hạn xem xét', 'The review deadline has passed');
}

// ---------------------------------------------------------------------------------------------------------
// Escalation threshold

const HOUR_MS = 3_600_000;

/**
 * When an item is escalated to supervisors: `escalateAfterHours` (province settings) after it was opened, and
 * never later than the same share of the item's own review window (escalateAfterHours / reviewDeadlineHours of
 * dueAt − createdAt). So it is flagged before the workflow's deadline expires even when a stack runs with a
 * shorter review timeout than the province's nominal deadline.
 */
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

// ---------------------------------------------------------------------------------------------------------
// Who am I

export function whoAmI(principal: StaffPrincipal) {
  const settings = provinceSettings(principal.provinceCode);
  return {
    staffId: principal.staffId,
    name: principal.name,
    provinceCode: principal.provinceCode,
    provinceName: settings?.name ?? principal.provinceCode,
    roles: principal.roles,
    supervisor: isSupervisor(principal),
    escalateAfterHours: settings?.escalateAfterHours ?? null,
    reviewDeadlineHours: settings?.reviewDeadlineHours ?? null,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Queue listing

export type ConsoleStatusFilter = ReviewItemStatus | 'ACTIVE';

export interface ConsoleQueueFilters {
  /** ACTIVE (default) = OPEN + CLAIMED, by due time. */
  status?: ConsoleStatusFilter;
  service?: ServiceName;
  reason?: ReviewReasonCode;
  escalated?: boolean;
  limit?: number;
}

/** One queue row: what the list needs and nothing personal (no name, no personal ID). */
export interface ConsoleQueueRow {
  itemId: string;
  applicationId: string;
  status: ReviewItemStatus;
  service: ServiceName;
  reasonCode: ReviewReasonCode;
  reason: { vi: string; en: string };
  createdAt: string;
  dueAt: string;
  escalateAt: string;
  /** now ≥ escalateAt (or past due) while still OPEN / CLAIMED. */
  overdue: boolean;
  escalated: boolean;
  escalatedAt: string | null;
  claimedBy: string | null;
  claimedAt: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  version: number;
}

function safeReason(code: ReviewReasonCode): { vi: string; en: string } {
  try {
    return reviewReasonLabel(code);
  } catch {
    return { vi: code, en: code };
  }
}

function isActive(status: ReviewItemStatus): boolean {
  return status === 'OPEN' || status === 'CLAIMED';
}

export function toQueueRow(item: ConsoleItemRecord, nowIsoValue: string = nowIso()): ConsoleQueueRow {
  const escalateAt = escalateAtOf(item);
  return {
    itemId: item.itemId,
    applicationId: item.applicationId,
    status: item.status,
    service: item.service,
    reasonCode: item.reasonCode,
    reason: safeReason(item.reasonCode),
    createdAt: item.createdAt,
    dueAt: item.dueAt,
    escalateAt,
    overdue: isActive(item.status) && (nowIsoValue >= escalateAt || nowIsoValue >= item.dueAt),
    escalated: item.escalated === true,
    escalatedAt: item.escalatedAt ?? null,
    claimedBy: item.claimedBy ?? null,
    claimedAt: item.claimedAt ?? null,
    decidedBy: item.decidedBy ?? null,
    decidedAt: item.decidedAt ?? null,
    version: item.version,
  };
}

interface GsiQuery {
  provinceCode: string;
  prefix?: string;
  between?: { from: string; to: string };
  newestFirst?: boolean;
  max: number;
  filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> };
}

/** ITEM rows of a province from the byProvinceQueue index (all pages up to `max`). */
async function queryIndex(q: GsiQuery): Promise<ConsoleItemRecord[]> {
  const names: Record<string, string> = { '#pc': 'provinceCode', ...(q.filter?.names ?? {}) };
  const values: Record<string, unknown> = { ':pc': q.provinceCode, ...(q.filter?.values ?? {}) };
  let keyCondition = '#pc = :pc';
  if (q.between || q.prefix) names['#qk'] = 'queueKey';
  if (q.between) {
    keyCondition += ' AND #qk BETWEEN :from AND :to';
    values[':from'] = q.between.from;
    values[':to'] = q.between.to;
  } else if (q.prefix) {
    keyCondition += ' AND begins_with(#qk, :prefix)';
    values[':prefix'] = q.prefix;
  }
  const items: ConsoleItemRecord[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await dynamo().send(
      new QueryCommand({
        TableName: config.reviewItemsTable(),
        IndexName: BY_PROVINCE_QUEUE,
        KeyConditionExpression: keyCondition,
        FilterExpression: q.filter?.expression,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: !q.newestFirst,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...((out.Items ?? []) as ConsoleItemRecord[]));
    startKey = out.LastEvaluatedKey;
  } while (startKey && items.length < q.max);
  return items.slice(0, q.max);
}

async function countIndex(provinceCode: string, prefix: string): Promise<number> {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await dynamo().send(
      new QueryCommand({
        TableName: config.reviewItemsTable(),
        IndexName: BY_PROVINCE_QUEUE,
        KeyConditionExpression: '#pc = :pc AND begins_with(#qk, :prefix)',
        ExpressionAttributeNames: { '#pc': 'provinceCode', '#qk': 'queueKey' },
        ExpressionAttributeValues: { ':pc': provinceCode, ':prefix': prefix },
        Select: 'COUNT',
        ExclusiveStartKey: startKey,
      }),
    );
    count += out.Count ?? 0;
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return count;
}

/** At most this many active items are read per listing (a provincial queue is far smaller). */
const MAX_ACTIVE_ITEMS = 1000;

async function activeItems(provinceCode: string): Promise<ConsoleItemRecord[]> {
  const [open, claimed] = await Promise.all([
    queryIndex({ provinceCode, prefix: queueKeys.statusPrefix('OPEN'), max: MAX_ACTIVE_ITEMS }),
    queryIndex({ provinceCode, prefix: queueKeys.statusPrefix('CLAIMED'), max: MAX_ACTIVE_ITEMS }),
  ]);
  return [...open, ...claimed].sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : a.itemId < b.itemId ? -1 : 1));
}

export async function listConsoleQueue(principal: StaffPrincipal, filters: ConsoleQueueFilters = {}) {
  const status = filters.status ?? 'ACTIVE';
  const limit = Math.min(Math.max(Math.trunc(filters.limit ?? 200), 1), 500);
  let items: ConsoleItemRecord[];
  if (status === 'ACTIVE') {
    items = await activeItems(principal.provinceCode);
  } else {
    // Decided / expired items: newest first (their key ends with the decision time or due time).
    items = await queryIndex({
      provinceCode: principal.provinceCode,
      prefix: queueKeys.statusPrefix(status),
      newestFirst: true,
      max: MAX_ACTIVE_ITEMS,
    });
    if (status === 'APPROVED' || status === 'REJECTED') {
      items.sort((a, b) => ((b.decidedAt ?? '') < (a.decidedAt ?? '') ? -1 : 1));
    }
  }
  const at = nowIso();
  const rows = items
    .filter((i) => i.sk === ITEM_SK && i.provinceCode === principal.provinceCode)
    .filter((i) => !filters.service || i.service === filters.service)
    .filter((i) => !filters.reason || i.reasonCode === filters.reason)
    .filter((i) => filters.escalated === undefined || (i.escalated === true) === filters.escalated)
    .map((i) => toQueueRow(i, at));
  return { now: at, status, total: rows.length, items: rows.slice(0, limit), truncated: rows.length > limit };
}

// ---------------------------------------------------------------------------------------------------------
// Item context: escalation + the application's timeline

export async function itemContext(principal: StaffPrincipal, itemId: string) {
  const item = await loadForStaff(principal, itemId);
  const application = await applicationsRepository.get(item.applicationId);
  const row = toQueueRow(item);
  return {
    itemId,
    now: nowIso(),
    escalateAt: row.escalateAt,
    overdue: row.overdue,
    escalated: row.escalated,
    escalatedAt: row.escalatedAt,
    application: application
      ? maskPersonalIds({
          applicationId: application.applicationId,
          service: application.service,
          status: application.status,
          createdAt: application.createdAt,
          updatedAt: application.updatedAt,
          reason: application.reason ?? null,
          // Execution ARNs are infrastructure detail, not something an officer needs.
          timeline: ((application.timeline ?? []) as TimelineEntry[]).map(({ detail, ...entry }) => {
            const { executionArn: _arn, ...rest } = (detail ?? {}) as Record<string, unknown>;
            return Object.keys(rest).length ? { ...entry, detail: rest } : entry;
          }),
        })
      : null,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Audit trail

export interface ConsoleAuditEntry {
  itemId: string;
  seq: string;
  action: AnyAuditAction;
  at: string;
  by: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  detail: Record<string, unknown> | null;
}

/** Status change implied by the queue's own actions (their rows carry no explicit before / after). */
const IMPLIED: Partial<Record<AnyAuditAction, { before: string | null; after: string }>> = {
  OPENED: { before: null, after: 'OPEN' },
  CLAIMED: { before: 'OPEN', after: 'CLAIMED' },
  APPROVED: { before: 'CLAIMED', after: 'APPROVED' },
  REJECTED: { before: 'CLAIMED', after: 'REJECTED' },
  EXPIRED: { before: 'OPEN|CLAIMED', after: 'EXPIRED' },
};

export function toConsoleAuditEntry(row: AuditRecord): ConsoleAuditEntry {
  const action = row.action as AnyAuditAction;
  const { before, after, ...rest } = (row.detail ?? {}) as Record<string, unknown>;
  const implied = IMPLIED[action];
  const entry: ConsoleAuditEntry = {
    itemId: row.itemId,
    seq: row.sk.split('#').pop() ?? '',
    action,
    at: row.at,
    by: row.by,
    before: (before as Record<string, unknown> | undefined) ?? (implied ? { status: implied.before } : null),
    after:
      (after as Record<string, unknown> | undefined) ??
      (implied ? { status: implied.after, ...(action === 'CLAIMED' ? { claimedBy: row.by } : {}) } : null),
    detail: Object.keys(rest).length ? rest : null,
  };
  return maskPersonalIds(entry);
}

export async function itemAuditTrail(principal: StaffPrincipal, itemId: string) {
  await loadForStaff(principal, itemId);
  const rows = await listAudit(itemId);
  return { itemId, entries: rows.map(toConsoleAuditEntry) };
}

// ---------------------------------------------------------------------------------------------------------
// Release / reassign

/** CLAIMED → OPEN. The holder releases their own claim; a supervisor may release anyone's. */
export async function releaseReviewItem(principal: StaffPrincipal, itemId: string, expectedVersion?: number): Promise<ReviewItemStaffView> {
  const item = await loadForStaff(principal, itemId);
  if (item.status === 'OPEN') throw notClaimedConflict();
  if (item.status !== 'CLAIMED') throw resolvedConflict(item);
  if (item.claimedBy !== principal.staffId && !isSupervisor(principal)) throw claimedByOtherConflict();
  if (expectedVersion !== undefined && expectedVersion !== item.version) throw versionConflict(item.version);
  const at = nowIso();
  try {
    await transact([
      itemUpdate({
        itemId,
        expectedVersion: item.version,
        set: { status: 'OPEN', queueKey: queueKeys.open(item.dueAt) },
        remove: ['claimedBy', 'claimedAt'],
        require: { status: 'CLAIMED', claimedBy: item.claimedBy },
      }),
      consoleAuditPut({
        itemId,
        at,
        version: item.version + 1,
        action: 'RELEASED',
        by: principal.staffId,
        detail: { before: { status: 'CLAIMED', claimedBy: item.claimedBy ?? null }, after: { status: 'OPEN', claimedBy: null } },
      }),
    ]);
  } catch (error) {
    throw await lostRace(error, itemId, item.version);
  }
  logger.info('Review item released', { itemId, staffId: principal.staffId });
  return freshView(itemId, item);
}

const STAFF_ID = /^[A-Za-z0-9._@+-]{1,128}$/;

/** OPEN | CLAIMED → CLAIMED by `toStaffId` (supervisors only). */
export async function reassignReviewItem(
  principal: StaffPrincipal,
  itemId: string,
  input: { toStaffId: string; expectedVersion?: number; note?: string },
): Promise<ReviewItemStaffView> {
  requireSupervisor(principal);
  if (!STAFF_ID.test(input.toStaffId)) {
    throw new ValidationError('Mã cán bộ không hợp lệ', 'Invalid staff id', { issues: [{ path: 'toStaffId', message: 'invalid staff id' }] });
  }
  const item = await loadForStaff(principal, itemId);
  if (!isActive(item.status)) throw resolvedConflict(item);
  if (input.expectedVersion !== undefined && input.expectedVersion !== item.version) throw versionConflict(item.version);
  if (item.status === 'CLAIMED' && item.claimedBy === input.toStaffId) return toStaffView(item, { today: vietnamDate() });
  if (now().toISOString() >= item.dueAt) throw deadlineConflict();
  const at = nowIso();
  const note = input.note?.trim() ? input.note.trim().slice(0, 500) : null;
  try {
    await transact([
      itemUpdate({
        itemId,
        expectedVersion: item.version,
        set: { status: 'CLAIMED', queueKey: queueKeys.claimed(item.dueAt), claimedBy: input.toStaffId, claimedAt: at },
        require: { status: ['OPEN', 'CLAIMED'] },
      }),
      consoleAuditPut({
        itemId,
        at,
        version: item.version + 1,
        action: 'REASSIGNED',
        by: principal.staffId,
        detail: {
          before: { status: item.status, claimedBy: item.claimedBy ?? null },
          after: { status: 'CLAIMED', claimedBy: input.toStaffId },
          ...(note ? { note } : {}),
        },
      }),
    ]);
  } catch (error) {
    throw await lostRace(error, itemId, item.version);
  }
  logger.info('Review item reassigned', { itemId, staffId: principal.staffId, to: input.toStaffId });
  return freshView(itemId, item);
}

async function lostRace(error: unknown, itemId: string, versionRead: number): Promise<unknown> {
  if (!cancellationCodes(error)) return error;
  const current = await getItem(itemId);
  if (current && !isActive(current.status)) return resolvedConflict(current);
  return versionConflict(current?.version ?? versionRead);
}

async function freshView(itemId: string, fallback: ReviewItemRecord): Promise<ReviewItemStaffView> {
  const current = await getItem(itemId);
  return toStaffView(current ?? fallback, { today: vietnamDate() });
}

// ---------------------------------------------------------------------------------------------------------
// Reveal

/**
 * The unmasked personal ID of this one item (the submitted one, and the registry's record it was compared
 * with). The AUDIT row is written first: no row, no ID.
 */
export async function revealPersonalId(principal: StaffPrincipal, itemId: string, purpose?: string) {
  const item = await loadForStaff(principal, itemId);
  const view = toStaffView(item, { reveal: true });
  const registryRow = view.comparison.find((r) => r.field === 'personalId');
  const note = purpose?.trim() ? purpose.trim().slice(0, 500) : null;
  let at = nowIso();
  for (let attempt = 0; ; attempt++) {
    const row = consoleAuditPut({
      itemId,
      at,
      version: item.version,
      action: 'REVEALED_PERSONAL_ID',
      by: principal.staffId,
      detail: { field: 'personalId', ...(note ? { purpose: note } : {}) },
    });
    try {
      await dynamo().send(new PutCommand(row.Put as ConstructorParameters<typeof PutCommand>[0]));
      break;
    } catch (error) {
      // Same instant and seq as another row of this item (a double click): take the next instant.
      if ((error as Error).name !== 'ConditionalCheckFailedException' || attempt >= 4) throw error;
      at = new Date(Date.parse(at) + 1).toISOString();
    }
  }
  logger.info('Personal ID revealed', { itemId, staffId: principal.staffId });
  return {
    itemId,
    revealedAt: at,
    personalId: item.submitted.personalId,
    registryPersonalId: registryRow?.registry ?? null,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Stats

export interface ReviewStats {
  now: string;
  provinceCode: string;
  byStatus: Record<string, number>;
  /** Active items past their escalation threshold or due time. */
  overdue: number;
  escalated: number;
  /** Supervisors only: active items per reason. */
  byReason?: Record<string, { open: number; claimed: number; label: { vi: string; en: string } }>;
  /** Supervisors only: per officer, items held now and decisions of the last 30 days. */
  byStaff?: Record<string, { claimed: number; overdue: number; approved30d: number; rejected30d: number }>;
  /** Supervisors only. */
  oldestOpen?: { itemId: string; createdAt: string; ageSeconds: number } | null;
}

export async function reviewStats(principal: StaffPrincipal): Promise<ReviewStats> {
  const provinceCode = principal.provinceCode;
  const at = nowIso();
  const [active, ...counts] = await Promise.all([
    activeItems(provinceCode),
    ...REVIEW_ITEM_STATUSES.filter((s) => !isActive(s)).map((s) => countIndex(provinceCode, queueKeys.statusPrefix(s))),
  ]);
  const closedStatuses = REVIEW_ITEM_STATUSES.filter((s) => !isActive(s));
  const byStatus: Record<string, number> = { OPEN: 0, CLAIMED: 0 };
  for (const item of active) byStatus[item.status] = (byStatus[item.status] ?? 0) + 1;
  closedStatuses.forEach((s, i) => (byStatus[s] = counts[i]));
  const rows = active.map((i) => toQueueRow(i, at));
  const base: ReviewStats = {
    now: at,
    provinceCode,
    byStatus,
    overdue: rows.filter((r) => r.overdue).length,
    escalated: rows.filter((r) => r.escalated).length,
  };
  if (!isSupervisor(principal)) return base;

  const byReason: Record<string, { open: number; claimed: number; label: { vi: string; en: string } }> = {};
  for (const r of rows) {
    const entry = (byReason[r.reasonCode] ??= { open: 0, claimed: 0, label: r.reason });
    if (r.status === 'OPEN') entry.open++;
    else entry.claimed++;
  }
  // Decisions per officer over the last 30 days (decidedAt is the tail of the decided items' key).
  const since = new Date(Date.parse(at) - 30 * 24 * HOUR_MS).toISOString();
  const decided = (
    await Promise.all(
      (['APPROVED', 'REJECTED'] as const).flatMap((s) =>
        (['PENDING', 'DONE'] as const).map((resume) =>
          queryIndex({
            provinceCode,
            between: { from: queueKeys.decided(s, resume, since), to: queueKeys.decided(s, resume, '9999') },
            max: 5000,
          }),
        ),
      ),
    )
  ).flat();
  const byStaff: Record<string, { claimed: number; overdue: number; approved30d: number; rejected30d: number }> = {};
  const staffEntry = (id: string) => (byStaff[id] ??= { claimed: 0, overdue: 0, approved30d: 0, rejected30d: 0 });
  for (const r of rows) {
    if (r.status !== 'CLAIMED' || !r.claimedBy) continue;
    const e = staffEntry(r.claimedBy);
    e.claimed++;
    if (r.overdue) e.overdue++;
  }
  for (const d of decided) {
    if (!d.decidedBy) continue;
    const e = staffEntry(d.decidedBy);
    if (d.status === 'APPROVED') e.approved30d++;
    else if (d.status === 'REJECTED') e.rejected30d++;
  }
  const oldest = active.reduce<ConsoleItemRecord | null>((o, i) => (!o || i.createdAt < o.createdAt ? i : o), null);
  return {
    ...base,
    byReason,
    byStaff,
    oldestOpen: oldest
      ? {
          itemId: oldest.itemId,
          createdAt: oldest.createdAt,
          ageSeconds: Math.max(0, Math.floor((Date.parse(at) - Date.parse(oldest.createdAt)) / 1000)),
        }
      : null,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Audit CSV export

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_RANGE_DAYS = 92;
const VN_OFFSET = '+07:00';

/** [from 00:00, to + 1 day 00:00) in Asia/Ho_Chi_Minh, as UTC ISO instants. */
export function auditRange(from: string, to: string): { fromIso: string; toIso: string } {
  const valid = (d: string) => DATE.test(d) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;
  if (!valid(from) || !valid(to)) {
    throw new ValidationError('Khoảng ngày không hợp lệ (YYYY-MM-DD)', 'Invalid date range (YYYY-MM-DD)', undefined, 'INVALID_DATE_RANGE');
  }
  const start = Date.parse(`${from}T00:00:00${VN_OFFSET}`);
  const end = Date.parse(`${to}T00:00:00${VN_OFFSET}`) + 24 * HOUR_MS;
  if (end <= start) {
    throw new ValidationError('Ngày bắt đầu phải trước ngày kết thúc', 'The start date must not be after the end date', undefined, 'INVALID_DATE_RANGE');
  }
  if (end - start > MAX_RANGE_DAYS * 24 * HOUR_MS) {
    throw new ValidationError(
      `Khoảng ngày tối đa ${MAX_RANGE_DAYS} ngày`,
      `The date range is at most ${MAX_RANGE_DAYS} days`,
      undefined,
      'DATE_RANGE_TOO_LONG',
    );
  }
  return { fromIso: new Date(start).toISOString(), toIso: new Date(end).toISOString() };
}

/**
 * One CSV cell: always quoted, quotes doubled, and a leading = + - @ TAB CR (formula triggers in spreadsheets)
 * neutralised with a leading apostrophe (OWASP CSV injection).
 */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export const AUDIT_CSV_COLUMNS = ['at', 'itemId', 'applicationId', 'service', 'reasonCode', 'action', 'by', 'before', 'after', 'detail'] as const;

async function auditRowsBetween(itemId: string, fromIso: string, toIso: string): Promise<AuditRecord[]> {
  const rows: AuditRecord[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await dynamo().send(
      new QueryCommand({
        TableName: config.reviewItemsTable(),
        KeyConditionExpression: 'itemId = :id AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':id': itemId, ':from': `AUDIT#${fromIso}`, ':to': `AUDIT#${toIso}` },
        ExclusiveStartKey: startKey,
      }),
    );
    rows.push(...((out.Items ?? []) as AuditRecord[]).filter((r) => r.at >= fromIso && r.at < toIso));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return rows;
}

/**
 * Every audit row of the caller's province with `at` in the range, oldest first, as CSV (UTF-8 with BOM so
 * spreadsheet software reads Vietnamese text). Personal IDs are masked. Items are found through the province
 * index (every status); an item opened after the range cannot have rows in it and is skipped.
 */
export async function auditCsv(principal: StaffPrincipal, from: string, to: string): Promise<{ filename: string; csv: string; rows: number }> {
  const { fromIso, toIso } = auditRange(from, to);
  const items = (await queryIndex({ provinceCode: principal.provinceCode, max: 50_000 })).filter((i) => i.createdAt < toIso);
  const lines: { at: string; seq: string; cells: string }[] = [];
  const concurrency = 8;
  for (let i = 0; i < items.length; i += concurrency) {
    const batch = items.slice(i, i + concurrency);
    const rowsPerItem = await Promise.all(batch.map((item) => auditRowsBetween(item.itemId, fromIso, toIso)));
    batch.forEach((item, j) => {
      for (const row of rowsPerItem[j]) {
        const e = toConsoleAuditEntry(row);
        const values = [e.at, e.itemId, item.applicationId, item.service, item.reasonCode, e.action, e.by, e.before, e.after, e.detail];
        lines.push({ at: e.at, seq: row.sk, cells: values.map(csvCell).join(',') });
      }
    });
  }
  lines.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.seq < b.seq ? -1 : 1));
  const csv = `\uFEFF${AUDIT_CSV_COLUMNS.map(csvCell).join(',')}\r\n${lines.map((l) => `${l.cells}\r\n`).join('')}`;
  return { filename: `review-audit-${principal.provinceCode}-${from}-${to}.csv`, csv, rows: lines.length };
}

// ---------------------------------------------------------------------------------------------------------
// Escalation (scheduled)

export interface EscalationSummary {
  examined: number;
  escalated: number;
  raced: number;
}

/**
 * Flags OPEN / CLAIMED items past their escalation threshold (escalateAtOf) or past due: `escalated: true`,
 * `escalatedAt`, `escalationReason`, with an AUDIT row ESCALATED, in one transaction conditioned on the version
 * read. Idempotent: already escalated items are skipped; a lost race is left for the next run.
 */
export async function escalateOverdueItems(options: { provinceCodes?: string[] } = {}): Promise<EscalationSummary> {
  const provinceCodes = options.provinceCodes ?? [config.provinceCode()];
  const summary: EscalationSummary = { examined: 0, escalated: 0, raced: 0 };
  const at = nowIso();
  for (const provinceCode of provinceCodes) {
    const candidates = (await activeItems(provinceCode)).filter((i) => i.escalated !== true);
    for (const listed of candidates) {
      summary.examined++;
      const escalateAt = escalateAtOf(listed);
      if (at < escalateAt && at < listed.dueAt) continue;
      // The index is eventually consistent: act on the item as it is now.
      const item = (await getItem(listed.itemId)) as ConsoleItemRecord | null;
      if (!item || !isActive(item.status) || item.escalated === true) continue;
      const reason = at >= item.dueAt ? 'PAST_DUE' : 'AGE';
      try {
        await transact([
          itemUpdate({
            itemId: item.itemId,
            expectedVersion: item.version,
            set: { escalated: true, escalatedAt: at, escalationReason: reason },
            require: { status: ['OPEN', 'CLAIMED'] },
          }),
          consoleAuditPut({
            itemId: item.itemId,
            at,
            version: item.version + 1,
            action: 'ESCALATED',
            by: SYSTEM,
            detail: { reason, escalateAt, dueAt: item.dueAt, before: { escalated: false }, after: { escalated: true } },
          }),
        ]);
        summary.escalated++;
      } catch (error) {
        if (!cancellationCodes(error)) throw error;
        summary.raced++;
      }
    }
  }
  if (summary.escalated > 0) logger.warn('Review items escalated to supervisors', { ...summary });
  return summary;
}

