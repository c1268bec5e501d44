/**
 * Staff console services on top of the review queue (reviewQueue.ts: open / list / get / claim / resolve):
 *
 *   whoAmI                the signed-in officer (province, roles) for the console header; records the officer
 *                         as known to the province (the officers a supervisor can assign items to)
 *   listOfficers          the province's officers who have used the console (supervisors)
 *   listConsoleQueue      the queue as the console shows it, one page at a time: active items (OPEN + CLAIMED)
 *                         merged by deadline, or one status; filters service / reason / escalated / overdue;
 *                         rows come from the index alone (no personal data, no task token)
 *   itemContext           escalation state + the application's timeline (personal IDs masked)
 *   releaseReviewItem     CLAIMED → OPEN (the holder, or a supervisor)
 *   reassignReviewItem    OPEN | CLAIMED → CLAIMED by another known officer of the province (supervisors)
 *   revealPersonalId      the unmasked personal ID of ONE item, after recording an AUDIT row with the purpose
 *   itemAuditTrail        the item's append-only audit rows (masked), with before / after
 *   auditCsv              the province's audit rows of a date range as CSV, from the byAuditDay index
 *                         (supervisors)
 *   reviewStats           counts per status (decided ones over the last 30 days), overdue, escalated; per
 *                         reason, per officer and the oldest open item for supervisors
 * The scheduled escalation (escalateOverdueItems) and the supervisors' notices are in escalation.ts / notices.ts.
 *
 * Every change to an ITEM row follows the repository's rule: conditioned on `version`, version + 1, and its AUDIT
 * row (seq = the new version) in the same transaction. A reveal changes nothing on the item, so it only appends
 * an AUDIT row (seq = the version read, at a fresh instant; the put is conditioned on the key being new).
 * Everything is scoped to the caller's province; the task token never leaves the server.
 */
import { renderReason } from '../domain/reasonCatalog';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../adapters/dynamo';
import { applicationsRepository, maskPersonalIds, withoutInfrastructureDetail, type ApplicationRecord } from '../adapters/applicationsRepository';
import { decodeQuote, paymentsRepository } from '../adapters/paymentsRepository';
import { answeredQuote, answeredResult } from '../domain/explanations/answers';
import type { Explanation } from '../domain/explanations/types';
import { config } from '../shared/config';
import { nowIso, vietnamDate } from '../shared/clock';
import { AppError, ValidationError } from '../shared/errors';
import { logger } from '../shared/logger';
import { provinceSettings } from '../shared/provinces';
import type { StaffPrincipal } from '../shared/http';
import { reviewItemReason, type RenderedReason } from '../domain/reasonCatalog';
import type { HouseholdQuote, ReviewReasonCode, ServiceName, TimelineEntry } from '../domain/types';
import {
  BY_AUDIT_DAY,
  auditDayKey,
  auditPut,
  cancellationCodes,
  countQueue,
  cursorAfter,
  getItem,
  getSubjects,
  itemUpdate,
  listAudit,
  queryQueue,
  queueKeys,
  toStaffView,
  transact,
  type AuditAction,
  type AuditRecord,
  type ItemSubject,
  type QueueEntry,
  type QueueQuery,
  type ReviewItemRecord,
  type ReviewItemStaffView,
  type ReviewItemStatus,
} from './reviewItemsRepository';
import {
  claimedByOtherConflict,
  deadlineConflict,
  deadlinePassed,
  isActive,
  isSupervisor,
  loadItemForStaff,
  lostRaceConflict,
  notClaimedConflict,
  requireSupervisor,
  resolvedConflict,
  targetTimeOf,
  versionConflict,
} from './reviewPolicy';
import { nameOf, officerNames, officerRows, officersKey, type OfficerNames } from './officerDirectory';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

// ---------------------------------------------------------------------------------------------------------
// Officers: who am I, the officers of a province

// Officer rows of the reviewItems table: itemId "STAFF#<province>", sk the staff id (officerDirectory.ts).

export interface KnownOfficer {
  staffId: string;
  name: string;
  roles: string[];
  lastSeenAt: string;
}

/** The officer as the console shows them; recorded as known to the province (a supervisor may assign to them). */
export async function whoAmI(principal: StaffPrincipal) {
  const settings = provinceSettings(principal.provinceCode);
  await dynamo().send(
    new PutCommand({
      TableName: config.reviewItemsTable(),
      Item: {
        itemId: officersKey(principal.provinceCode),
        sk: principal.staffId,
        name: principal.name,
        roles: principal.roles,
        lastSeenAt: nowIso(),
      },
    }),
  );
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

export async function listOfficers(principal: StaffPrincipal): Promise<{ officers: KnownOfficer[] }> {
  requireSupervisor(principal);
  const officers: KnownOfficer[] = (await officerRows(principal.provinceCode)).map((row) => ({
    staffId: String(row.sk),
    name: String(row.name),
    roles: (row.roles as string[]) ?? [],
    lastSeenAt: String(row.lastSeenAt),
  }));
  return { officers };
}

async function isKnownOfficer(provinceCode: string, staffId: string): Promise<boolean> {
  const out = await dynamo().send(
    new GetCommand({ TableName: config.reviewItemsTable(), Key: { itemId: officersKey(provinceCode), sk: staffId } }),
  );
  return out.Item !== undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Queue listing

export type ConsoleStatusFilter = ReviewItemStatus | 'ACTIVE';

export interface ConsoleQueueFilters {
  /** ACTIVE (default) = OPEN + CLAIMED, by deadline. */
  status?: ConsoleStatusFilter;
  service?: ServiceName;
  reason?: ReviewReasonCode;
  escalated?: boolean;
  /** Only active items past their target time. */
  overdue?: boolean;
  limit?: number;
  cursor?: string | null;
}

/**
 * One queue row: what the list needs. Whom the item is about (the submitted name, the personal ID masked) and the
 * officers' names are read by key for the page (the index copies no personal data); never a full personal ID.
 */
export interface ConsoleQueueRow {
  itemId: string;
  applicationId: string;
  /** The citizen's name as submitted (null in a row built without it, e.g. the item context). */
  fullName: string | null;
  /** The citizen's personal ID, masked ("079******234"). */
  maskedPersonalId: string | null;
  status: ReviewItemStatus;
  service: ServiceName;
  reasonCode: ReviewReasonCode;
  reason: RenderedReason;
  createdAt: string;
  /** The workflow's review deadline ("Hết hạn xét duyệt"). */
  dueAt: string;
  /** The officer's target time ("Hạn xử lý"). */
  escalateAt: string;
  /** Still OPEN / CLAIMED and now ≥ escalateAt: escalated to supervisors. */
  overdue: boolean;
  /** now ≥ dueAt: nobody may act on it any more; the workflow expires the application. */
  pastDeadline: boolean;
  escalated: boolean;
  escalatedAt: string | null;
  claimedBy: string | null;
  /** The holder's display name (officerDirectory.ts); null when unknown. */
  claimedByName: string | null;
  claimedAt: string | null;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: string | null;
  expiredAt: string | null;
  version: number;
}

export function toQueueRow(
  item: QueueEntry,
  nowIsoValue: string = nowIso(),
  extras: { subject?: ItemSubject; names?: OfficerNames } = {},
): ConsoleQueueRow {
  const escalateAt = targetTimeOf(item);
  const names = extras.names ?? new Map<string, string>();
  return {
    itemId: item.itemId,
    applicationId: item.applicationId,
    fullName: extras.subject?.fullName ?? null,
    maskedPersonalId: extras.subject?.maskedPersonalId ?? null,
    status: item.status,
    service: item.service,
    reasonCode: item.reasonCode,
    reason: reviewItemReason(item.reasonCode),
    createdAt: item.createdAt,
    dueAt: item.dueAt,
    escalateAt,
    overdue: isActive(item.status) && nowIsoValue >= escalateAt,
    pastDeadline: deadlinePassed(item, nowIsoValue),
    escalated: item.escalated === true,
    escalatedAt: item.escalatedAt ?? null,
    claimedBy: item.claimedBy ?? null,
    claimedByName: nameOf(names, item.claimedBy),
    claimedAt: item.claimedAt ?? null,
    decidedBy: item.decidedBy ?? null,
    decidedByName: nameOf(names, item.decidedBy),
    decidedAt: item.decidedAt ?? null,
    expiredAt: item.expiredAt ?? null,
    version: item.version,
  };
}

const DEFAULT_PAGE = 50;
const MAX_PAGE = 200;

type ActiveCursor = { open: string | null | 'END'; claimed: string | null | 'END' };

function invalidCursor(): ValidationError {
  return new ValidationError('Con trỏ phân trang không hợp lệ', 'Invalid pagination cursor', undefined, 'INVALID_CURSOR');
}

function decodeActiveCursor(cursor: string | null | undefined): ActiveCursor {
  if (!cursor) return { open: null, claimed: null };
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    const ok = (v: unknown) => v === null || typeof v === 'string';
    if (!parsed || typeof parsed !== 'object' || !ok(parsed.open) || !ok(parsed.claimed) || Object.keys(parsed).length !== 2) {
      throw invalidCursor();
    }
    return { open: parsed.open as ActiveCursor['open'], claimed: parsed.claimed as ActiveCursor['claimed'] };
  } catch {
    throw invalidCursor();
  }
}

const encodeActiveCursor = (c: ActiveCursor) => Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');

/**
 * One page of the active queue: the OPEN and the CLAIMED streams of the index (each in deadline order) merged
 * by deadline. The cursor holds each stream's position: right after the last entry of that stream on the page.
 */
async function activePage(base: Omit<QueueQuery, 'prefix' | 'cursor' | 'limit'>, limit: number, cursor: string | null | undefined) {
  const at = decodeActiveCursor(cursor);
  const fetch = (status: 'OPEN' | 'CLAIMED', c: ActiveCursor['open']) =>
    c === 'END' ? Promise.resolve({ items: [] as QueueEntry[], nextCursor: null }) : queryQueue({ ...base, prefix: queueKeys.statusPrefix(status), limit, cursor: c });
  const [open, claimed] = await Promise.all([fetch('OPEN', at.open), fetch('CLAIMED', at.claimed)]);
  const page: QueueEntry[] = [];
  let i = 0;
  let j = 0;
  while (page.length < limit && (i < open.items.length || j < claimed.items.length)) {
    const a = open.items[i];
    const b = claimed.items[j];
    if (b === undefined || (a !== undefined && a.dueAt <= b.dueAt)) page.push(open.items[i++]);
    else page.push(claimed.items[j++]);
  }
  const next = (stream: { items: QueueEntry[]; nextCursor: string | null }, taken: number, previous: ActiveCursor['open']) => {
    if (previous === 'END') return 'END' as const;
    if (taken === 0 && stream.items.length > 0) return previous; // nothing of this stream on the page yet
    if (taken < stream.items.length) return cursorAfter(stream.items[taken - 1]);
    return stream.nextCursor ?? ('END' as const); // the stream's whole page is on this page
  };
  const openNext = next(open, i, at.open);
  const claimedNext = next(claimed, j, at.claimed);
  const done = openNext === 'END' && claimedNext === 'END';
  return { items: page, nextCursor: done ? null : encodeActiveCursor({ open: openNext, claimed: claimedNext }) };
}

export async function listConsoleQueue(principal: StaffPrincipal, filters: ConsoleQueueFilters = {}) {
  const status = filters.status ?? 'ACTIVE';
  const limit = Math.min(Math.max(Math.trunc(filters.limit ?? DEFAULT_PAGE), 1), MAX_PAGE);
  const at = nowIso();
  if (filters.overdue && status !== 'ACTIVE' && !isActive(status)) {
    return { now: at, status, items: [] as ConsoleQueueRow[], nextCursor: null };
  }
  const base = {
    provinceCode: principal.provinceCode,
    service: filters.service,
    reasonCode: filters.reason,
    escalated: filters.escalated,
    targetBefore: filters.overdue ? at : undefined,
  };
  const page =
    status === 'ACTIVE'
      ? await activePage(base, limit, filters.cursor)
      : // Decided / expired items: newest first (their key ends with the decision time or the deadline).
        await queryQueue({ ...base, prefix: queueKeys.statusPrefix(status), descending: !isActive(status), limit, cursor: filters.cursor });
  const [subjects, names] = await Promise.all([getSubjects(page.items.map((e) => e.itemId)), officerNames(principal.provinceCode)]);
  return {
    now: at,
    status,
    items: page.items.map((entry) => toQueueRow(entry, at, { subject: subjects.get(entry.itemId), names })),
    nextCursor: page.nextCursor,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Item context: escalation + the application's timeline

/** One computed amount of an application, with its explanation, as the item's page shows it. */
export interface ConsoleAmount {
  kind: 'HOUSEHOLD_MEMBER' | 'HOUSEHOLD_TOTAL' | 'LUMP_SUM' | 'UNEMPLOYMENT_BENEFIT';
  /** The member a household amount is for (name only; never a personal ID). */
  fullName: string | null;
  amount: number;
  explanation: Explanation;
}

/**
 * The amounts an application has computed so far, each with its explanation (domain/explanations): a household
 * renewal's quote (from its payment request, once priced), a lump sum's amount, an unemployment benefit.
 */
async function amountsOf(application: ApplicationRecord): Promise<ConsoleAmount[]> {
  if (application.service === 'HOUSEHOLD_RENEWAL') {
    const request = application.paymentRequestId ? await paymentsRepository.getRequest(application.paymentRequestId) : null;
    if (!request) return [];
    const quote = answeredQuote(decodeQuote(request).quote as unknown as HouseholdQuote);
    return [
      ...quote.members.map((m): ConsoleAmount => ({ kind: 'HOUSEHOLD_MEMBER', fullName: m.fullName, amount: m.periodAmount, explanation: m.explanation })),
      { kind: 'HOUSEHOLD_TOTAL', fullName: null, amount: quote.total, explanation: quote.explanation },
    ];
  }
  if (!application.result) return [];
  const result = answeredResult(application.service, application.result);
  const explanation = result.explanation as Explanation | undefined;
  if (!explanation) return [];
  return application.service === 'LUMP_SUM_WITHDRAWAL'
    ? [{ kind: 'LUMP_SUM', fullName: null, amount: result.amount as number, explanation }]
    : [{ kind: 'UNEMPLOYMENT_BENEFIT', fullName: null, amount: result.estimatedMonthlyBenefit as number, explanation }];
}

export async function itemContext(principal: StaffPrincipal, itemId: string) {
  const item = await loadItemForStaff(principal, itemId);
  const application = await applicationsRepository.get(item.applicationId);
  const amounts = application ? await amountsOf(application) : [];
  const row = toQueueRow(item);
  return {
    itemId,
    now: nowIso(),
    escalateAt: row.escalateAt,
    overdue: row.overdue,
    pastDeadline: row.pastDeadline,
    escalated: row.escalated,
    escalatedAt: row.escalatedAt,
    application: application
      ? maskPersonalIds({
          applicationId: application.applicationId,
          service: application.service,
          status: application.status,
          createdAt: application.createdAt,
          updatedAt: application.updatedAt,
          reason: application.reason ? renderReason(application.reason) : null,
          timeline: withoutInfrastructureDetail((application.timeline ?? []) as TimelineEntry[]),
          amounts,
        })
      : null,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Audit trail

export interface ConsoleAuditEntry {
  itemId: string;
  seq: string;
  action: AuditAction;
  at: string;
  by: string;
  /** The officer's display name (officerDirectory.ts); null for the system or an officer never signed in. */
  byName: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  detail: Record<string, unknown> | null;
}

/** Status change implied by actions whose rows carry no explicit before / after. */
const IMPLIED: Partial<Record<AuditAction, { before: string | null; after: string }>> = {
  OPENED: { before: null, after: 'OPEN' },
  CLAIMED: { before: 'OPEN', after: 'CLAIMED' },
  APPROVED: { before: 'CLAIMED', after: 'APPROVED' },
  REJECTED: { before: 'CLAIMED', after: 'REJECTED' },
  EXPIRED: { before: 'OPEN|CLAIMED', after: 'EXPIRED' },
};

/** Vietnamese names of the audit actions (the CSV's actionVi column). */
export const AUDIT_ACTION_LABELS_VI: Record<AuditAction, string> = {
  OPENED: 'Mở yêu cầu xem xét',
  CLAIMED: 'Nhận xử lý',
  APPROVED: 'Phê duyệt',
  REJECTED: 'Từ chối',
  RESUMED: 'Tiếp tục hồ sơ',
  RESUME_SKIPPED: 'Không còn hồ sơ chờ tiếp tục',
  EXPIRED: 'Hết hạn xét duyệt',
  CLOSED: 'Đóng do hồ sơ đã kết thúc',
  SUPERSEDED: 'Được thay bằng yêu cầu mới',
  RELEASED: 'Trả lại hàng đợi',
  REASSIGNED: 'Giao cho cán bộ khác',
  REVEALED_PERSONAL_ID: 'Xem số định danh đầy đủ',
  ESCALATED: 'Chuyển lãnh đạo (quá hạn xử lý)',
  RECHECKED: 'Tra cứu lại CSDL quốc gia về dân cư',
};

export function toConsoleAuditEntry(row: AuditRecord, names: OfficerNames = new Map()): ConsoleAuditEntry {
  const { before, after, ...rest } = (row.detail ?? {}) as Record<string, unknown>;
  const implied = IMPLIED[row.action];
  const entry: ConsoleAuditEntry = {
    itemId: row.itemId,
    seq: row.sk.split('#').pop() ?? '',
    action: row.action,
    at: row.at,
    by: row.by,
    byName: nameOf(names, row.by),
    before: (before as Record<string, unknown> | undefined) ?? (implied ? { status: implied.before } : null),
    after:
      (after as Record<string, unknown> | undefined) ??
      (implied ? { status: implied.after, ...(row.action === 'CLAIMED' ? { claimedBy: row.by } : {}) } : null),
    detail: Object.keys(rest).length ? rest : null,
  };
  return maskPersonalIds(entry);
}

/** Staff ids an audit entry names: who acted, and the holders before / after (a reassignment names two). */
function staffIdsOf(entry: ConsoleAuditEntry): string[] {
  const ids = [entry.by];
  for (const side of [entry.before, entry.after, entry.detail]) {
    for (const key of ['claimedBy', 'toStaffId', 'fromStaffId', 'decidedBy']) {
      const v = side?.[key];
      if (typeof v === 'string') ids.push(v);
    }
  }
  return ids;
}

/**
 * The item's audit rows (masked), each with the acting officer's name, and `officerNames`: the name of every
 * officer the entries name (the acting one, the holders before / after), for the console's before → after.
 */
export async function itemAuditTrail(principal: StaffPrincipal, itemId: string) {
  await loadItemForStaff(principal, itemId);
  const [rows, names] = await Promise.all([listAudit(itemId), officerNames(principal.provinceCode)]);
  const entries = rows.map((row) => toConsoleAuditEntry(row, names));
  const named: Record<string, string> = {};
  for (const id of entries.flatMap(staffIdsOf)) {
    const name = nameOf(names, id);
    if (name) named[id] = name;
  }
  return { itemId, entries, officerNames: named };
}

// ---------------------------------------------------------------------------------------------------------
// Release / reassign

/** CLAIMED → OPEN. The holder releases their own claim; a supervisor may release anyone's. */
export async function releaseReviewItem(principal: StaffPrincipal, itemId: string, expectedVersion?: number): Promise<ReviewItemStaffView> {
  const item = await loadItemForStaff(principal, itemId);
  if (item.status === 'OPEN') throw notClaimedConflict('release');
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
      auditPut(item, {
        at,
        version: item.version + 1,
        action: 'RELEASED',
        by: principal.staffId,
        detail: { before: { status: 'CLAIMED', claimedBy: item.claimedBy ?? null }, after: { status: 'OPEN', claimedBy: null } },
      }),
    ]);
  } catch (error) {
    throw cancellationCodes(error) ? await lostRaceConflict(itemId, item.version) : error;
  }
  logger.info('Review item released', { itemId, staffId: principal.staffId });
  return freshView(itemId, item);
}

const STAFF_ID = /^[A-Za-z0-9._@+-]{1,128}$/;

function unknownOfficer(staffId: string): AppError {
  return new AppError(
    'UNKNOWN_OFFICER',
    422,
    `Không có cán bộ ${staffId} của tỉnh, thành phố này (cán bộ phải đăng nhập hệ thống ít nhất một lần)`,
    `No officer ${staffId} in this province (an officer must have signed in at least once)`,
  );
}

/** OPEN | CLAIMED → CLAIMED by `toStaffId`, a known officer of the same province (supervisors only). */
export async function reassignReviewItem(
  principal: StaffPrincipal,
  itemId: string,
  input: { toStaffId: string; expectedVersion?: number; note?: string },
): Promise<ReviewItemStaffView> {
  requireSupervisor(principal);
  if (!STAFF_ID.test(input.toStaffId)) {
    throw new ValidationError('Mã cán bộ không hợp lệ', 'Invalid staff id', { issues: [{ path: 'toStaffId', message: 'invalid staff id' }] });
  }
  const item = await loadItemForStaff(principal, itemId);
  if (!isActive(item.status)) throw resolvedConflict(item);
  if (input.expectedVersion !== undefined && input.expectedVersion !== item.version) throw versionConflict(item.version);
  if (item.status === 'CLAIMED' && item.claimedBy === input.toStaffId) return toStaffView(item, { today: vietnamDate() });
  if (deadlinePassed(item)) throw deadlineConflict();
  if (!(await isKnownOfficer(principal.provinceCode, input.toStaffId))) throw unknownOfficer(input.toStaffId);
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
      auditPut(item, {
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
    throw cancellationCodes(error) ? await lostRaceConflict(itemId, item.version) : error;
  }
  logger.info('Review item reassigned', { itemId, staffId: principal.staffId, to: input.toStaffId });
  return freshView(itemId, item);
}

async function freshView(itemId: string, fallback: ReviewItemRecord): Promise<ReviewItemStaffView> {
  const current = await getItem(itemId);
  return toStaffView(current ?? fallback, { today: vietnamDate() });
}

// ---------------------------------------------------------------------------------------------------------
// Reveal

export const REVEAL_PURPOSE_MIN = 3;

/**
 * The unmasked personal ID of this one item (the submitted one, and the registry's record it was compared
 * with), for a stated purpose. The AUDIT row (who, when, why) is written first: no row, no ID.
 */
export async function revealPersonalId(principal: StaffPrincipal, itemId: string, purpose: string | undefined) {
  const note = purpose?.normalize('NFC').replace(/\s+/gu, ' ').trim() ?? '';
  if (note.length < REVEAL_PURPOSE_MIN || note.length > 500) {
    throw new ValidationError(
      'Cần ghi mục đích xem số định danh đầy đủ (từ 3 đến 500 ký tự)',
      'State the purpose of revealing the full personal ID (3 to 500 characters)',
      undefined,
      'PURPOSE_REQUIRED',
    );
  }
  const item = await loadItemForStaff(principal, itemId);
  const view = toStaffView(item, { reveal: true });
  const registryRow = view.comparison.find((r) => r.field === 'personalId');
  let at = nowIso();
  for (let attempt = 0; ; attempt++) {
    const row = auditPut(item, {
      at,
      version: item.version,
      action: 'REVEALED_PERSONAL_ID',
      by: principal.staffId,
      detail: { field: 'personalId', purpose: note },
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

/** Decided and expired items are counted over this many days (their keys end with the decision / deadline time). */
export const DECIDED_WINDOW_DAYS = 30;

export interface ReviewStats {
  now: string;
  provinceCode: string;
  /** OPEN and CLAIMED: every active item; APPROVED, REJECTED, EXPIRED: the last `decidedWindowDays` days. */
  byStatus: Record<ReviewItemStatus, number>;
  decidedWindowDays: number;
  /** Active items past their target time. */
  overdue: number;
  escalated: number;
  /** Supervisors only: active items per reason. */
  byReason?: Record<string, { open: number; claimed: number; label: { vi: string; en: string } }>;
  /** Supervisors only: per officer, items held now and decisions of the window. */
  byStaff?: Record<string, { claimed: number; overdue: number; approved30d: number; rejected30d: number }>;
  /** Supervisors only. */
  oldestOpen?: { itemId: string; createdAt: string; ageSeconds: number } | null;
}

/** Every entry of a query, page after page (index projection only: small rows, no personal data). */
async function allEntries(q: Omit<QueueQuery, 'limit' | 'cursor'>): Promise<QueueEntry[]> {
  const out: QueueEntry[] = [];
  let cursor: string | null = null;
  do {
    const page = await queryQueue({ ...q, limit: 500, cursor });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

function decidedRanges(status: 'APPROVED' | 'REJECTED', sinceIso: string) {
  return (['PENDING', 'DONE'] as const).map((resume) => ({
    from: queueKeys.decided(status, resume, sinceIso),
    to: queueKeys.decided(status, resume, '9999'),
  }));
}

export async function reviewStats(principal: StaffPrincipal): Promise<ReviewStats> {
  const provinceCode = principal.provinceCode;
  const at = nowIso();
  const since = new Date(Date.parse(at) - DECIDED_WINDOW_DAYS * DAY_MS).toISOString();
  const count = (q: Pick<QueueQuery, 'prefix' | 'between'>) => countQueue({ provinceCode, ...q });
  const sum = async (ranges: { from: string; to: string }[]) => (await Promise.all(ranges.map((between) => count({ between })))).reduce((a, b) => a + b, 0);
  const active = (await Promise.all((['OPEN', 'CLAIMED'] as const).map((s) => allEntries({ provinceCode, prefix: queueKeys.statusPrefix(s) })))).flat();
  const [approved, rejected, expired] = await Promise.all([
    sum(decidedRanges('APPROVED', since)),
    sum(decidedRanges('REJECTED', since)),
    count({ between: { from: queueKeys.expired(since), to: queueKeys.expired('9999') } }),
  ]);
  const rows = active.map((entry) => toQueueRow(entry, at));
  const base: ReviewStats = {
    now: at,
    provinceCode,
    byStatus: {
      OPEN: rows.filter((r) => r.status === 'OPEN').length,
      CLAIMED: rows.filter((r) => r.status === 'CLAIMED').length,
      APPROVED: approved,
      REJECTED: rejected,
      EXPIRED: expired,
    },
    decidedWindowDays: DECIDED_WINDOW_DAYS,
    overdue: rows.filter((r) => r.overdue).length,
    escalated: rows.filter((r) => r.escalated).length,
  };
  if (!isSupervisor(principal)) return base;

  const byReason: NonNullable<ReviewStats['byReason']> = {};
  for (const r of rows) {
    const entry = (byReason[r.reasonCode] ??= { open: 0, claimed: 0, label: r.reason.message });
    if (r.status === 'OPEN') entry.open++;
    else entry.claimed++;
  }
  const byStaff: NonNullable<ReviewStats['byStaff']> = {};
  const staffEntry = (id: string) => (byStaff[id] ??= { claimed: 0, overdue: 0, approved30d: 0, rejected30d: 0 });
  for (const r of rows) {
    if (r.status !== 'CLAIMED' || !r.claimedBy) continue;
    const e = staffEntry(r.claimedBy);
    e.claimed++;
    if (r.overdue) e.overdue++;
  }
  const decided = (
    await Promise.all(
      (['APPROVED', 'REJECTED'] as const).flatMap((s) => decidedRanges(s, since).map((between) => allEntries({ provinceCode, between }))),
    )
  ).flat();
  for (const d of decided) {
    if (!d.decidedBy) continue;
    const e = staffEntry(d.decidedBy);
    if (d.status === 'APPROVED') e.approved30d++;
    else if (d.status === 'REJECTED') e.rejected30d++;
  }
  const oldest = active.reduce<QueueEntry | null>((o, i) => (!o || i.createdAt < o.createdAt ? i : o), null);
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

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_RANGE_DAYS = 92;
/** Above this many rows the export asks for a shorter range (the answer must fit one API response). */
export const MAX_EXPORT_ROWS = 20_000;
const VN_OFFSET = '+07:00';

function isRealDate(d: string): boolean {
  const m = DATE.exec(d);
  if (!m) return false;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === d;
}

/** [from 00:00, to + 1 day 00:00) in Asia/Ho_Chi_Minh, as UTC ISO instants, and the Vietnam days in it. */
export function auditRange(from: string, to: string): { fromIso: string; toIso: string; days: string[] } {
  if (!isRealDate(from) || !isRealDate(to)) {
    throw new ValidationError('Khoảng ngày không hợp lệ (YYYY-MM-DD)', 'Invalid date range (YYYY-MM-DD)', undefined, 'INVALID_DATE_RANGE');
  }
  const start = Date.parse(`${from}T00:00:00${VN_OFFSET}`);
  const end = Date.parse(`${to}T00:00:00${VN_OFFSET}`) + DAY_MS;
  if (end <= start) {
    throw new ValidationError('Ngày bắt đầu phải trước ngày kết thúc', 'The start date must not be after the end date', undefined, 'INVALID_DATE_RANGE');
  }
  if (end - start > MAX_RANGE_DAYS * DAY_MS) {
    throw new ValidationError(
      `Khoảng ngày tối đa ${MAX_RANGE_DAYS} ngày`,
      `The date range is at most ${MAX_RANGE_DAYS} days`,
      undefined,
      'DATE_RANGE_TOO_LONG',
    );
  }
  const days: string[] = [];
  for (let t = start; t < end; t += DAY_MS) days.push(vietnamDate(new Date(t)));
  return { fromIso: new Date(start).toISOString(), toIso: new Date(end).toISOString(), days };
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

export const AUDIT_CSV_COLUMNS = [
  'at', 'atVietnam', 'itemId', 'applicationId', 'service', 'reasonCode', 'action', 'actionVi', 'by', 'byName', 'before', 'after', 'detail',
] as const;

/** "dd/MM/yyyy HH:mm:ss" in Asia/Ho_Chi_Minh. */
export function vietnamDateTime(iso: string): string {
  const local = new Date(Date.parse(iso) + 7 * HOUR_MS).toISOString();
  return `${local.slice(8, 10)}/${local.slice(5, 7)}/${local.slice(0, 4)} ${local.slice(11, 19)}`;
}

async function auditRowsOfDay(provinceCode: string, day: string, budget: number): Promise<AuditRecord[]> {
  const rows: AuditRecord[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await dynamo().send(
      new QueryCommand({
        TableName: config.reviewItemsTable(),
        IndexName: BY_AUDIT_DAY,
        KeyConditionExpression: 'auditDay = :day',
        ExpressionAttributeValues: { ':day': auditDayKey(provinceCode, day) },
        ExclusiveStartKey: startKey,
      }),
    );
    rows.push(...((out.Items ?? []) as AuditRecord[]));
    startKey = out.LastEvaluatedKey;
  } while (startKey && rows.length <= budget);
  return rows;
}

/**
 * Every audit row of the caller's province in the range (Vietnam days), oldest first, as CSV (UTF-8 with BOM so
 * spreadsheet software reads Vietnamese text). Supervisors only (the trail names every officer's actions,
 * reveals included). Personal IDs are masked. Read day by day from the byAuditDay index: the cost is the rows
 * exported, whatever the size of the queue's history.
 */
export async function auditCsv(principal: StaffPrincipal, from: string, to: string): Promise<{ filename: string; csv: string; rows: number }> {
  requireSupervisor(principal);
  const { days } = auditRange(from, to);
  const names = await officerNames(principal.provinceCode);
  const lines: string[] = [];
  for (const day of days) {
    const rows = await auditRowsOfDay(principal.provinceCode, day, MAX_EXPORT_ROWS - lines.length);
    for (const row of rows) {
      const e = toConsoleAuditEntry(row, names);
      const values = [e.at, vietnamDateTime(e.at), e.itemId, row.applicationId, row.service, row.reasonCode, e.action, AUDIT_ACTION_LABELS_VI[e.action] ?? e.action, e.by, e.byName, e.before, e.after, e.detail];
      lines.push(values.map(csvCell).join(','));
    }
    if (lines.length > MAX_EXPORT_ROWS) {
      throw new AppError(
        'EXPORT_TOO_LARGE',
        422,
        `Khoảng ngày có hơn ${MAX_EXPORT_ROWS} dòng nhật ký; vui lòng chọn khoảng ngắn hơn`,
        `The range has more than ${MAX_EXPORT_ROWS} audit rows; choose a shorter range`,
      );
    }
  }
  const csv = `\uFEFF${AUDIT_CSV_COLUMNS.map(csvCell).join(',')}\r\n${lines.map((l) => `${l}\r\n`).join('')}`;
  return { filename: `review-audit-${principal.provinceCode}-${from}-${to}.csv`, csv, rows: lines.length };
}
