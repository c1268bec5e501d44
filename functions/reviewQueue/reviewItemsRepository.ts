/**
 * reviewItems table (docs/design.md, "Tables"): pk itemId, sk "ITEM" | "AUDIT#<iso>#<seq>".
 *
 * ITEM rows carry the server-only `taskToken`; AUDIT rows are the append-only trail (who did what, when).
 * Every change to an ITEM row is conditioned on its `version` (optimistic locking) and increments it; the
 * AUDIT row of that change is written in the same transaction with seq = the new version, so a change and its
 * audit row exist together or not at all, and two changes can never write the same audit key.
 *
 * GSI byProvinceQueue (pk provinceCode, sk queueKey), only ITEM rows carry queueKey (AUDIT rows are not in it):
 *   OPEN                      "OPEN#<dueAt>"                         oldest deadline first
 *   CLAIMED                   "CLAIMED#<dueAt>"
 *   APPROVED / REJECTED       "<STATUS>#PENDING#<decidedAt>"         decision not yet delivered to the workflow
 *                             "<STATUS>#DONE#<decidedAt>"            delivered (or nothing left to deliver to)
 *   EXPIRED                   "EXPIRED#<dueAt>"
 * So a status filter is `begins_with(queueKey, "<STATUS>#")`, and the resume sweeper finds undelivered
 * decisions without a scan or an extra index: per province, `queueKey BETWEEN "<STATUS>#PENDING#" AND
 * "<STATUS>#PENDING#<cutoff>"` for STATUS in APPROVED, REJECTED (decidedAt ≤ cutoff leaves a grace period for
 * the resolve call that is still delivering its own decision).
 *
 * The index projects only what a queue row needs (infra/tables.ts REVIEW_QUEUE_PROJECTION): no task token and
 * no personal data are copied into it; a page of full items is read from the table by key (getItems).
 *
 * GSI byProvinceEscalation (pk provinceCode, sk escalationDueAt) is sparse: only active items not yet escalated
 * carry `escalationDueAt` (set when opened, removed when escalated, decided, expired or superseded), so the
 * escalation job reads exactly the items it has to flag.
 *
 * AUDIT rows carry the item's province, application, service and reason, and `auditDay` = "<province>#<Vietnam
 * date>": GSI byAuditDay gives a province's audit rows of a day in time order (the CSV export), without reading
 * any item.
 *
 * `toStaffView` is the only way an item leaves the server: an explicit whitelist (never the task token),
 * personal IDs masked unless `reveal` is asked for (the view says `revealed`).
 */
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { REVIEW_QUEUE_PROJECTION } from '../../infra/tables';
import { dynamo } from '../adapters/dynamo';
import { maskPersonalIds } from '../adapters/applicationsRepository';
import { config } from '../shared/config';
import { vietnamDate } from '../shared/clock';
import { CROCKFORD_ID_CHARS } from '../shared/ids';
import { maskPersonalId } from '../shared/logger';
import { ValidationError } from '../shared/errors';
import { fieldComparison } from '../domain/identity/compareIdentity';
import type { FieldCheck, RegistryOutage } from '../domain/identity/fieldChecks';
import type { ReviewWindowBasis } from '../domain/reviewWindow';
import { checkHousehold } from '../domain/identity/householdCheck';
import { reviewItemReason, type RenderedReason } from '../domain/reasonCatalog';
import type {
  CheckKind,
  HouseholdMemberProblem,
  IdentityClaim,
  IdentityFieldComparison,
  RegistryHousehold,
  RegistryPerson,
  ReviewDecisionPayload,
  ReviewReasonCode,
  ServiceName,
  SubjectRole,
  VerifiedBy,
} from '../domain/types';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export type ReviewItemStatus = 'OPEN' | 'CLAIMED' | 'APPROVED' | 'REJECTED' | 'EXPIRED';
export const REVIEW_ITEM_STATUSES: readonly ReviewItemStatus[] = ['OPEN', 'CLAIMED', 'APPROVED', 'REJECTED', 'EXPIRED'];
export type ResumeState = 'NONE' | 'PENDING' | 'DONE';

/** The basis of an item's target and deadline; CALENDAR: the stack's review timeout in calendar hours. */
export interface ReviewWindowFacts {
  basis: ReviewWindowBasis | 'CALENDAR';
  missingHolidayYear: number | null;
}

export const ITEM_SK = 'ITEM';
export const BY_PROVINCE_QUEUE = 'byProvinceQueue';
export const BY_PROVINCE_ESCALATION = 'byProvinceEscalation';
export const BY_AUDIT_DAY = 'byAuditDay';

export const REVIEW_ITEM_ID_PATTERN = new RegExp(`^RV-${CROCKFORD_ID_CHARS}{26}$`);

export interface ReviewItemRecord {
  itemId: string;
  sk: typeof ITEM_SK;
  provinceCode: string;
  queueKey: string;
  status: ReviewItemStatus;
  service: ServiceName;
  applicationId: string;
  checkKind: CheckKind;
  subjectRole: SubjectRole;
  reasonCode: ReviewReasonCode;
  submitted: IdentityClaim;
  registrySnapshot: unknown;
  createdAt: string;
  dueAt: string;
  claimedBy?: string;
  claimedAt?: string;
  decision?: ReviewDecisionPayload;
  decidedBy?: string;
  decidedAt?: string;
  resume: ResumeState;
  /** Why a resume ended without delivering (TaskTimedOut, InvalidToken, TaskDoesNotExist). */
  resumeNote?: string;
  resumedAt?: string;
  /** Failed deliveries so far, and when the sweeper tries the next one (back-off). */
  resumeAttempts?: number;
  nextResumeAt?: string;
  expiredAt?: string;
  /**
   * Set when the item was closed (status EXPIRED) because its application ended by another path than the review
   * deadline: the outcome's reason code (WORKFLOW_STOPPED, WORKFLOW_TIMED_OUT, WORKFLOW_FAILED, a RecordOutcome
   * FAILED code …). Absent for a review deadline (plain EXPIRED) and for a superseded item (supersededBy).
   */
  closedReason?: string;
  /** An item closed because the workflow opened a newer one for the same wait (a retried OpenReviewItem). */
  supersededBy?: string;
  /** The officer's target time (reviewPolicy.ts): overdue and escalated from then on. */
  escalateAt?: string;
  /**
   * How the target (escalateAt) and deadline (dueAt) were counted (domain/reviewWindow.ts), and for CALENDAR_DAYS
   * the year without public-holiday data; absent on items opened before working time (calendar hours).
   */
  reviewWindow?: ReviewWindowFacts;
  /** What was checked, field by field, when the item opened (fieldChecks.ts); absent on items opened before. */
  fieldChecks?: FieldCheck[];
  /** HOUSEHOLD_MEMBERS: who verified the head before the household was checked. */
  headVerifiedBy?: VerifiedBy;
  /** REGISTRY_UNAVAILABLE: when the registry was last tried (and how many times, when known). */
  registryOutage?: RegistryOutage;
  /** Sparse index key: = escalateAt while the item is active and not escalated yet. */
  escalationDueAt?: string;
  escalated?: boolean;
  escalatedAt?: string;
  version: number;
  /** Server-only: the workflow's task token. Never logged, never in a view. */
  taskToken: string;
}

export type AuditAction =
  | 'OPENED'
  | 'CLAIMED'
  | 'APPROVED'
  | 'REJECTED'
  | 'RESUMED'
  | 'RESUME_SKIPPED'
  | 'EXPIRED'
  | 'CLOSED'
  | 'SUPERSEDED'
  | 'RELEASED'
  | 'REASSIGNED'
  | 'REVEALED_PERSONAL_ID'
  | 'ESCALATED'
  | 'RECHECKED';

/** What every audit row repeats of its item, so a province's rows can be listed and exported on their own. */
export type AuditSubject = Pick<ReviewItemRecord, 'itemId' | 'provinceCode' | 'applicationId' | 'service' | 'reasonCode'>;

export interface AuditRecord extends AuditSubject {
  sk: string;
  /** "<provinceCode>#<Vietnam date of at>": the byAuditDay index key. */
  auditDay: string;
  action: AuditAction;
  at: string;
  /** Staff id, or "system" for the workflow / sweeper. */
  by: string;
  detail?: Record<string, unknown>;
}

export const queueKeys = {
  open: (dueAt: string) => `OPEN#${dueAt}`,
  claimed: (dueAt: string) => `CLAIMED#${dueAt}`,
  decided: (status: 'APPROVED' | 'REJECTED', resume: 'PENDING' | 'DONE', decidedAt: string) => `${status}#${resume}#${decidedAt}`,
  expired: (dueAt: string) => `EXPIRED#${dueAt}`,
  /** Prefix of every key of a status. */
  statusPrefix: (status: ReviewItemStatus) => `${status}#`,
  pendingPrefix: (status: 'APPROVED' | 'REJECTED') => `${status}#PENDING#`,
};

export function auditSortKey(at: string, version: number): string {
  return `AUDIT#${at}#${String(version).padStart(6, '0')}`;
}

export function auditDayKey(provinceCode: string, vietnamDay: string): string {
  return `${provinceCode}#${vietnamDay}`;
}

const table = () => config.reviewItemsTable();

// ---------------------------------------------------------------------------------------------------------
// Reads

export async function getItem(itemId: string): Promise<ReviewItemRecord | null> {
  const out = await dynamo().send(new GetCommand({ TableName: table(), Key: { itemId, sk: ITEM_SK }, ConsistentRead: true }));
  return (out.Item as ReviewItemRecord | undefined) ?? null;
}

/** Full items by id (consistent reads, in the order asked; missing ones left out). At most 100 ids. */
export async function getItems(itemIds: string[]): Promise<ReviewItemRecord[]> {
  if (itemIds.length === 0) return [];
  if (itemIds.length > 100) throw new RangeError('getItems reads at most 100 items');
  const found = new Map<string, ReviewItemRecord>();
  let keys: Record<string, unknown>[] | undefined = [...new Set(itemIds)].map((itemId) => ({ itemId, sk: ITEM_SK }));
  for (let attempt = 0; keys && keys.length > 0; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt) * Math.random()));
    const out = await dynamo().send(new BatchGetCommand({ RequestItems: { [table()]: { Keys: keys, ConsistentRead: true } } }));
    for (const item of (out.Responses?.[table()] ?? []) as ReviewItemRecord[]) found.set(item.itemId, item);
    keys = out.UnprocessedKeys?.[table()]?.Keys as Record<string, unknown>[] | undefined;
    if (attempt >= 8 && keys?.length) throw new Error('BatchGet left keys unprocessed after retries');
  }
  return itemIds.map((id) => found.get(id)).filter((i): i is ReviewItemRecord => i !== undefined);
}

/** Whom an item is about, as a queue row shows them: the submitted name and the personal ID masked. */
export interface ItemSubject {
  fullName: string | null;
  maskedPersonalId: string | null;
}

/**
 * The subjects of a page of items (queue rows), by id: BatchGet of just `submitted.fullName` and
 * `submitted.personalId`, eventually consistent (half the read units; a name does not change). The byProvinceQueue
 * index copies no personal data, so rows read them here; the ID is masked before it leaves this function.
 */
export async function getSubjects(itemIds: string[]): Promise<Map<string, ItemSubject>> {
  const found = new Map<string, ItemSubject>();
  const unique = [...new Set(itemIds)];
  for (let i = 0; i < unique.length; i += 100) {
    let keys: Record<string, unknown>[] | undefined = unique.slice(i, i + 100).map((itemId) => ({ itemId, sk: ITEM_SK }));
    for (let attempt = 0; keys && keys.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt) * Math.random()));
      const out = await dynamo().send(
        new BatchGetCommand({
          RequestItems: {
            [table()]: {
              Keys: keys,
              ProjectionExpression: 'itemId, submitted.fullName, submitted.personalId',
            },
          },
        }),
      );
      for (const row of (out.Responses?.[table()] ?? []) as Pick<ReviewItemRecord, 'itemId' | 'submitted'>[]) {
        const name = row.submitted?.fullName;
        const id = row.submitted?.personalId;
        found.set(row.itemId, { fullName: typeof name === 'string' ? name : null, maskedPersonalId: typeof id === 'string' && id ? maskPersonalId(id) : null });
      }
      keys = out.UnprocessedKeys?.[table()]?.Keys as Record<string, unknown>[] | undefined;
      if (attempt >= 8 && keys?.length) throw new Error('BatchGet left keys unprocessed after retries');
    }
  }
  return found;
}

export async function listAudit(itemId: string): Promise<AuditRecord[]> {
  const rows: AuditRecord[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await dynamo().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'itemId = :id AND begins_with(sk, :audit)',
        ExpressionAttributeValues: { ':id': itemId, ':audit': 'AUDIT#' },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    rows.push(...((out.Items ?? []) as AuditRecord[]));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return rows;
}

/** An item as the byProvinceQueue index returns it (REVIEW_QUEUE_PROJECTION + keys): no personal data. */
export type QueueEntry = Pick<ReviewItemRecord, 'itemId' | 'sk' | 'provinceCode' | 'queueKey' | (typeof REVIEW_QUEUE_PROJECTION)[number]>;

export interface QueueQuery {
  provinceCode: string;
  /** begins_with(queueKey, prefix) */
  prefix?: string;
  /** queueKey BETWEEN from AND to (instead of prefix) */
  between?: { from: string; to: string };
  reasonCode?: string;
  service?: string;
  /** true / false: only items (not) escalated. */
  escalated?: boolean;
  /** Only items whose target time (escalateAt) is at or before this instant. */
  targetBefore?: string;
  /** Newest first (descending queueKey). */
  descending?: boolean;
  /** Max items returned. */
  limit: number;
  /** Opaque cursor from a previous page of the same query. */
  cursor?: string | null;
}

const MAX_PAGES_PER_CALL = 10;

/**
 * One page of a province's queue entries, in queueKey order. Filters are applied by DynamoDB after the key
 * condition; the read budget per DynamoDB page is the number of entries still wanted, so the returned cursor
 * always points exactly after the last entry examined. A cursor only continues the query it came from (same
 * province, a key inside the query's range); anything else is 400 INVALID_CURSOR.
 */
export async function queryQueue(q: QueueQuery): Promise<{ items: QueueEntry[]; nextCursor: string | null }> {
  const names: Record<string, string> = { '#pc': 'provinceCode' };
  const values: Record<string, unknown> = { ':pc': q.provinceCode };
  let keyCondition = '#pc = :pc';
  if (q.between) {
    names['#qk'] = 'queueKey';
    keyCondition += ' AND #qk BETWEEN :from AND :to';
    values[':from'] = q.between.from;
    values[':to'] = q.between.to;
  } else if (q.prefix) {
    names['#qk'] = 'queueKey';
    keyCondition += ' AND begins_with(#qk, :prefix)';
    values[':prefix'] = q.prefix;
  }
  const filters: string[] = [];
  if (q.reasonCode) {
    names['#reason'] = 'reasonCode';
    values[':reason'] = q.reasonCode;
    filters.push('#reason = :reason');
  }
  if (q.service) {
    names['#service'] = 'service';
    values[':service'] = q.service;
    filters.push('#service = :service');
  }
  if (q.escalated !== undefined) {
    names['#escalated'] = 'escalated';
    values[':true'] = true;
    filters.push(q.escalated ? '#escalated = :true' : '(attribute_not_exists(#escalated) OR #escalated <> :true)');
  }
  if (q.targetBefore) {
    names['#target'] = 'escalateAt';
    values[':target'] = q.targetBefore;
    filters.push('#target <= :target');
  }
  let startKey = decodeCursor(q.cursor ?? null, q);
  const items: QueueEntry[] = [];
  for (let page = 0; page < MAX_PAGES_PER_CALL && items.length < q.limit; page++) {
    let out;
    try {
      out = await dynamo().send(
        new QueryCommand({
          TableName: table(),
          IndexName: BY_PROVINCE_QUEUE,
          KeyConditionExpression: keyCondition,
          FilterExpression: filters.length ? filters.join(' AND ') : undefined,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ExclusiveStartKey: startKey,
          ScanIndexForward: !q.descending,
          Limit: q.limit - items.length,
        }),
      );
    } catch (error) {
      // A start key DynamoDB refuses can only come from a cursor (the query itself is ours).
      if (startKey && (error as Error).name === 'ValidationException') throw invalidCursor();
      throw error;
    }
    items.push(...((out.Items ?? []) as QueueEntry[]));
    startKey = out.LastEvaluatedKey;
    if (!startKey) break;
  }
  return { items, nextCursor: startKey ? encodeCursor(startKey) : null };
}

/** Number of a province's entries under a queueKey prefix or range (paged COUNT over the index keys). */
export async function countQueue(q: Pick<QueueQuery, 'provinceCode' | 'prefix' | 'between'>): Promise<number> {
  const names: Record<string, string> = { '#pc': 'provinceCode', '#qk': 'queueKey' };
  const values: Record<string, unknown> = { ':pc': q.provinceCode };
  let keyCondition = '#pc = :pc';
  if (q.between) {
    keyCondition += ' AND #qk BETWEEN :from AND :to';
    values[':from'] = q.between.from;
    values[':to'] = q.between.to;
  } else {
    keyCondition += ' AND begins_with(#qk, :prefix)';
    values[':prefix'] = q.prefix ?? '';
  }
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await dynamo().send(
      new QueryCommand({
        TableName: table(),
        IndexName: BY_PROVINCE_QUEUE,
        KeyConditionExpression: keyCondition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        Select: 'COUNT',
        ExclusiveStartKey: startKey,
      }),
    );
    count += out.Count ?? 0;
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return count;
}

/** The cursor that continues a query right after `entry` (pagination that merges two queries). */
export function cursorAfter(entry: Pick<QueueEntry, 'itemId' | 'sk' | 'provinceCode' | 'queueKey'>): string {
  return encodeCursor({ itemId: entry.itemId, sk: entry.sk, provinceCode: entry.provinceCode, queueKey: entry.queueKey });
}

// The cursor is the GSI's LastEvaluatedKey (itemId, sk, provinceCode, queueKey: no personal data), base64url.
function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function invalidCursor(): ValidationError {
  return new ValidationError('Con trỏ phân trang không hợp lệ', 'Invalid pagination cursor', undefined, 'INVALID_CURSOR');
}

const MAX_CURSOR_LENGTH = 1024;

function decodeCursor(cursor: string | null, q: Pick<QueueQuery, 'provinceCode' | 'prefix' | 'between'>): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  let key: unknown;
  try {
    if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalidCursor();
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const k = key as Record<string, unknown>;
  const fields = ['itemId', 'sk', 'provinceCode', 'queueKey'];
  if (
    !k ||
    typeof k !== 'object' ||
    Array.isArray(k) ||
    Object.keys(k).length !== fields.length ||
    !fields.every((f) => typeof k[f] === 'string') ||
    !REVIEW_ITEM_ID_PATTERN.test(k.itemId as string) ||
    k.sk !== ITEM_SK ||
    k.provinceCode !== q.provinceCode // a cursor only continues a listing of the same province
  ) {
    throw invalidCursor();
  }
  const queueKey = k.queueKey as string;
  const inRange = q.between
    ? queueKey >= q.between.from && queueKey <= q.between.to
    : queueKey.startsWith(q.prefix ?? '') && queueKey.length > 0;
  if (!inRange) throw invalidCursor();
  return { itemId: k.itemId, sk: k.sk, provinceCode: k.provinceCode, queueKey };
}

// ---------------------------------------------------------------------------------------------------------
// Writes (TransactWriteItems items; the services put them in one transaction with the application's update)

export function newItemPut(item: ReviewItemRecord): TransactItem {
  return {
    Put: { TableName: table(), Item: item, ConditionExpression: 'attribute_not_exists(itemId)' },
  };
}

export interface AuditEntryInput {
  at: string;
  /** The item's version after the change (or the version read, for an entry that changes nothing). */
  version: number;
  action: AuditAction;
  by: string;
  detail?: Record<string, unknown>;
}

/** The audit row of a change to `item` (conditioned on its key being new: two writers never share one). */
export function auditPut(item: AuditSubject, row: AuditEntryInput): TransactItem {
  const record: AuditRecord = {
    itemId: item.itemId,
    sk: auditSortKey(row.at, row.version),
    provinceCode: item.provinceCode,
    applicationId: item.applicationId,
    service: item.service,
    reasonCode: item.reasonCode,
    auditDay: auditDayKey(item.provinceCode, vietnamDate(new Date(row.at))),
    action: row.action,
    at: row.at,
    by: row.by,
    ...(row.detail ? { detail: row.detail } : {}),
  };
  return { Put: { TableName: table(), Item: record, ConditionExpression: 'attribute_not_exists(itemId)' } };
}

export interface ItemUpdate {
  itemId: string;
  /** The version read; the update is conditioned on it and sets version + 1. */
  expectedVersion: number;
  set: Record<string, unknown>;
  remove?: string[];
  /** Extra conditions: attribute → required value, or a list of allowed values. */
  require?: Record<string, unknown | readonly unknown[]>;
}

export function itemUpdate(u: ItemUpdate): TransactItem {
  const names: Record<string, string> = { '#version': 'version' };
  const values: Record<string, unknown> = { ':expected': u.expectedVersion, ':next': u.expectedVersion + 1 };
  const sets = ['#version = :next'];
  Object.entries(u.set).forEach(([key, value], i) => {
    names[`#s${i}`] = key;
    values[`:s${i}`] = value;
    sets.push(`#s${i} = :s${i}`);
  });
  const removes = (u.remove ?? []).map((key, i) => {
    names[`#r${i}`] = key;
    return `#r${i}`;
  });
  const conditions = ['attribute_exists(itemId)', '#version = :expected'];
  Object.entries(u.require ?? {}).forEach(([key, wanted], i) => {
    names[`#c${i}`] = key;
    if (Array.isArray(wanted)) {
      const keys = wanted.map((w, j) => {
        values[`:c${i}_${j}`] = w;
        return `:c${i}_${j}`;
      });
      conditions.push(`#c${i} IN (${keys.join(', ')})`);
    } else {
      values[`:c${i}`] = wanted;
      conditions.push(`#c${i} = :c${i}`);
    }
  });
  return {
    Update: {
      TableName: table(),
      Key: { itemId: u.itemId, sk: ITEM_SK },
      UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** Cancellation reason codes of a TransactionCanceledException, in item order; null for any other error. */
export function cancellationCodes(error: unknown): (string | undefined)[] | null {
  if ((error as Error | undefined)?.name !== 'TransactionCanceledException') return null;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((r) => r.Code);
}

export async function transact(items: TransactItem[]): Promise<void> {
  await dynamo().send(new TransactWriteCommand({ TransactItems: items }));
}

// ---------------------------------------------------------------------------------------------------------
// Staff view

export interface StaffViewOptions {
  /** Show full personal IDs (for a later, audited console action). Default false: masked. */
  reveal?: boolean;
  /** Date for the household pre-check shown with a household snapshot (YYYY-MM-DD). */
  today?: string;
}

export interface ReviewItemStaffView {
  itemId: string;
  provinceCode: string;
  status: ReviewItemStatus;
  service: ServiceName;
  applicationId: string;
  checkKind: CheckKind;
  subjectRole: SubjectRole;
  reasonCode: ReviewReasonCode;
  reason: RenderedReason;
  submitted: IdentityClaim;
  registrySnapshot: unknown;
  /**
   * Submitted vs registry, field by field (the registry's person, or the head in a household snapshot); registry
   * null whenever there is no registry value, whatever the reason: `fieldChecks` says what was checked and why.
   */
  comparison: IdentityFieldComparison[];
  /**
   * What was checked, field by field: declared, the registry's answer, or not checked and why (fieldChecks.ts),
   * as computed when the item opened; empty for items opened before (read `comparison`, where no registry value
   * means "not checked", never "not in the registry").
   */
  fieldChecks: FieldCheck[];
  /** How the target (escalateAt) and the deadline (dueAt) were counted; null for items opened before working time. */
  reviewWindow: ReviewWindowFacts | null;
  /** Household snapshots only: every member problem the pre-check finds. */
  householdProblems?: HouseholdMemberProblem[];
  createdAt: string;
  dueAt: string;
  claimedBy: string | null;
  claimedAt: string | null;
  decision: ReviewDecisionPayload | null;
  resume: ResumeState;
  resumeNote: string | null;
  /** Why the item was closed without a decision when its application ended (see ReviewItemRecord). */
  closedReason: string | null;
  version: number;
  revealed: boolean;
}

function isHousehold(snapshot: unknown): snapshot is RegistryHousehold {
  return !!snapshot && typeof snapshot === 'object' && Array.isArray((snapshot as RegistryHousehold).members);
}

function isPerson(snapshot: unknown): snapshot is RegistryPerson {
  return !!snapshot && typeof snapshot === 'object' && typeof (snapshot as RegistryPerson).personalId === 'string';
}

function maskComparison(rows: IdentityFieldComparison[]): IdentityFieldComparison[] {
  return rows.map((row) =>
    row.field === 'personalId'
      ? { ...row, submitted: row.submitted && maskPersonalId(row.submitted), registry: row.registry && maskPersonalId(row.registry) }
      : row,
  );
}

/** The only shape of a review item that leaves the server. */
export function toStaffView(item: ReviewItemRecord, options: StaffViewOptions = {}): ReviewItemStaffView {
  const reveal = options.reveal === true;
  const snapshot = item.registrySnapshot ?? null;
  let registryPerson: RegistryPerson | null = null;
  let householdProblems: HouseholdMemberProblem[] | undefined;
  if (isHousehold(snapshot)) {
    registryPerson = snapshot.members.find((m) => m.personalId === item.submitted.personalId) ?? null;
    if (options.today) {
      try {
        householdProblems = checkHousehold(snapshot, options.today).problems;
      } catch {
        householdProblems = undefined; // a malformed snapshot must not hide the item
      }
    }
  } else if (isPerson(snapshot)) {
    registryPerson = snapshot;
  }
  const comparison = fieldComparison(item.submitted, registryPerson);
  const view: ReviewItemStaffView = {
    itemId: item.itemId,
    provinceCode: item.provinceCode,
    status: item.status,
    service: item.service,
    applicationId: item.applicationId,
    checkKind: item.checkKind,
    subjectRole: item.subjectRole,
    reasonCode: item.reasonCode,
    reason: reviewItemReason(item.reasonCode),
    submitted: item.submitted,
    registrySnapshot: snapshot,
    comparison,
    fieldChecks: item.fieldChecks ?? [], // stored with the personal ID already masked
    ...(householdProblems ? { householdProblems } : {}),
    reviewWindow: item.reviewWindow ?? null,
    createdAt: item.createdAt,
    dueAt: item.dueAt,
    claimedBy: item.claimedBy ?? null,
    claimedAt: item.claimedAt ?? null,
    decision: item.decision ?? null,
    resume: item.resume,
    resumeNote: item.resumeNote ?? null,
    closedReason: item.closedReason ?? null,
    version: item.version,
    revealed: reveal,
  };
  if (reveal) return view;
  return { ...maskPersonalIds(view), comparison: maskComparison(comparison) };
}

export interface AuditView {
  action: AuditAction;
  at: string;
  by: string;
  detail: Record<string, unknown> | null;
}

export function toAuditView(row: AuditRecord, options: StaffViewOptions = {}): AuditView {
  const view: AuditView = { action: row.action, at: row.at, by: row.by, detail: row.detail ?? null };
  return options.reveal ? view : maskPersonalIds(view);
}
