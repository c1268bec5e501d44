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
 * `toStaffView` is the only way an item leaves the server: an explicit whitelist (never the task token),
 * personal IDs masked unless `reveal` is asked for (the view says `revealed`).
 */
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../adapters/dynamo';
import { maskPersonalIds } from '../adapters/applicationsRepository';
import { config } from '../shared/config';
import { maskPersonalId } from '../shared/logger';
import { ValidationError } from '../shared/errors';
import { fieldComparison } from '../domain/identity/compareIdentity';
import { checkHousehold } from '../domain/identity/householdCheck';
import { reviewReasonLabel } from '../domain/reviewReasons';
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
} from '../domain/types';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export type ReviewItemStatus = 'OPEN' | 'CLAIMED' | 'APPROVED' | 'REJECTED' | 'EXPIRED';
export const REVIEW_ITEM_STATUSES: readonly ReviewItemStatus[] = ['OPEN', 'CLAIMED', 'APPROVED', 'REJECTED', 'EXPIRED'];
export type ResumeState = 'NONE' | 'PENDING' | 'DONE';

export const ITEM_SK = 'ITEM';
export const BY_PROVINCE_QUEUE = 'byProvinceQueue';

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
  expiredAt?: string;
  version: number;
  /** Server-only: the workflow's task token. Never logged, never in a view. */
  taskToken: string;
}

export type AuditAction = 'OPENED' | 'CLAIMED' | 'APPROVED' | 'REJECTED' | 'RESUMED' | 'RESUME_SKIPPED' | 'EXPIRED';

export interface AuditRecord {
  itemId: string;
  sk: string;
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

const table = () => config.reviewItemsTable();

// ---------------------------------------------------------------------------------------------------------
// Reads

export async function getItem(itemId: string): Promise<ReviewItemRecord | null> {
  const out = await dynamo().send(new GetCommand({ TableName: table(), Key: { itemId, sk: ITEM_SK }, ConsistentRead: true }));
  return (out.Item as ReviewItemRecord | undefined) ?? null;
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

export interface QueueQuery {
  provinceCode: string;
  /** begins_with(queueKey, prefix) */
  prefix?: string;
  /** queueKey BETWEEN from AND to (instead of prefix) */
  between?: { from: string; to: string };
  reasonCode?: string;
  service?: string;
  /** Max items returned. */
  limit: number;
  /** Opaque cursor from a previous page. */
  cursor?: string | null;
}

const MAX_PAGES_PER_CALL = 10;

/**
 * One page of ITEM rows of a province, in queueKey order. Filters (reason, service) are applied by DynamoDB
 * after the key condition; the read budget per DynamoDB page is the number of items still wanted, so the
 * returned cursor always points exactly after the last item examined.
 */
export async function queryQueue(q: QueueQuery): Promise<{ items: ReviewItemRecord[]; nextCursor: string | null }> {
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
  let startKey = decodeCursor(q.cursor ?? null, q.provinceCode);
  const items: ReviewItemRecord[] = [];
  for (let page = 0; page < MAX_PAGES_PER_CALL && items.length < q.limit; page++) {
    const out = await dynamo().send(
      new QueryCommand({
        TableName: table(),
        IndexName: BY_PROVINCE_QUEUE,
        KeyConditionExpression: keyCondition,
        FilterExpression: filters.length ? filters.join(' AND ') : undefined,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ExclusiveStartKey: startKey,
        Limit: q.limit - items.length,
      }),
    );
    items.push(...((out.Items ?? []) as ReviewItemRecord[]));
    startKey = out.LastEvaluatedKey;
    if (!startKey) break;
  }
  return { items, nextCursor: startKey ? encodeCursor(startKey) : null };
}

// The cursor is the GSI's LastEvaluatedKey (itemId, sk, provinceCode, queueKey: no personal data), base64url.
function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function invalidCursor(): ValidationError {
  return new ValidationError('Con trỏ phân trang không hợp lệ', 'Invalid pagination cursor', undefined, 'INVALID_CURSOR');
}

function decodeCursor(cursor: string | null, provinceCode: string): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  let key: unknown;
  try {
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
    k.provinceCode !== provinceCode // a cursor only continues a listing of the same province
  ) {
    throw invalidCursor();
  }
  return { itemId: k.itemId, sk: k.sk, provinceCode: k.provinceCode, queueKey: k.queueKey };
}

// ---------------------------------------------------------------------------------------------------------
// Writes (TransactWriteItems items; the services put them in one transaction with the application's update)

export function newItemPut(item: ReviewItemRecord): TransactItem {
  return {
    Put: { TableName: table(), Item: item, ConditionExpression: 'attribute_not_exists(itemId)' },
  };
}

export function auditPut(row: Omit<AuditRecord, 'sk'> & { version: number }): TransactItem {
  const { version, ...rest } = row;
  const item: AuditRecord = { ...rest, sk: auditSortKey(row.at, version) };
  return { Put: { TableName: table(), Item: item, ConditionExpression: 'attribute_not_exists(itemId)' } };
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
  reason: { vi: string; en: string };
  submitted: IdentityClaim;
  registrySnapshot: unknown;
  /** Submitted vs registry, field by field (the registry's person, or the head in a household snapshot). */
  comparison: IdentityFieldComparison[];
  /** Household snapshots only: every member problem the pre-check finds. */
  householdProblems?: HouseholdMemberProblem[];
  createdAt: string;
  dueAt: string;
  claimedBy: string | null;
  claimedAt: string | null;
  decision: ReviewDecisionPayload | null;
  resume: ResumeState;
  resumeNote: string | null;
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
    reason: safeReasonLabel(item.reasonCode),
    submitted: item.submitted,
    registrySnapshot: snapshot,
    comparison,
    ...(householdProblems ? { householdProblems } : {}),
    createdAt: item.createdAt,
    dueAt: item.dueAt,
    claimedBy: item.claimedBy ?? null,
    claimedAt: item.claimedAt ?? null,
    decision: item.decision ?? null,
    resume: item.resume,
    resumeNote: item.resumeNote ?? null,
    version: item.version,
    revealed: reveal,
  };
  if (reveal) return view;
  return { ...maskPersonalIds(view), comparison: maskComparison(comparison) };
}

function safeReasonLabel(code: ReviewReasonCode): { vi: string; en: string } {
  try {
    return reviewReasonLabel(code);
  } catch {
    return { vi: code, en: code };
  }
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
