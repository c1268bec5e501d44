/**
 * Applications table: one item per application (all services). Status changes go through `transition`, which
 * appends to the timeline and is conditioned on the current status, so a retried or late step can never move
 * a finished application. `transitionUpdate` returns the same update for use inside a TransactWriteItems.
 *
 * The same table holds the idempotency records of submissions: pk `IDEMPOTENCY#<sha256 hex of
 * service|consumer|key>` → the id of the application that key created (never a valid application id: the GET
 * route's id pattern has no '#'). `createWithIdempotencyKey` writes the record and the application in one
 * transaction.
 */
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { dynamo } from './dynamo';
import { config } from '../shared/config';
import { nowIso } from '../shared/clock';
import { ConflictError } from '../shared/errors';
import { maskPersonalId } from '../shared/logger';
import {
  TERMINAL_STATUSES,
  type ApplicationStatus,
  type ServiceName,
  type TimelineEntry,
} from '../domain/types';

export interface ApplicationReason {
  code: string;
  vi: string;
  en: string;
  detail?: string | null;
}

export interface PaymentRequestView {
  paymentRequestId: string;
  amount: number;
  dueAt: string;
  status: 'OPEN' | 'PAID' | 'CLOSED';
}

export interface ApplicationRecord {
  applicationId: string;
  service: ServiceName;
  provinceCode: string;
  status: ApplicationStatus;
  /** What was submitted (validated). */
  request: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  timeline: TimelineEntry[];
  reason?: ApplicationReason;
  result?: Record<string, unknown>;
  quote?: Record<string, unknown>;
  payment?: Record<string, unknown>;
  paymentDueAt?: string;
  /** Household renewal: the payment request handed to the gateway (a copy of the payments-table item). */
  paymentRequest?: PaymentRequestView;
  /** The open payment request's id, top-level so a transaction can condition on it. */
  paymentRequestId?: string;
  /** Server-only: the expiry of each quoted member's card the quote was computed from (null: no card). */
  quoteCards?: Record<string, string | null>;
  /** Server-only: the renewal hold keys this application takes part in (household hold, card holds). */
  renewalHold?: { householdId: string; personalIds: string[] };
  openReviewItemId?: string;
  executionArn?: string;
  /** The consumer that submitted it ("portal", "vssid"); only it may read the application. Absent on items written before consumers had identities. */
  consumerId?: string;
  requestHash?: string;
  version: number;
  /** Server-only: the payment wait's task token. Never returned by an API. */
  paymentTaskToken?: string;
}

/** The idempotency record of a submission with an Idempotency-Key (its own item in the applications table). */
export interface IdempotencyRecord {
  /** The item's key: `IDEMPOTENCY#<sha256 hex of service|consumer|key>`. */
  applicationId: string;
  /** The application the key created. */
  targetApplicationId: string;
  requestHash: string;
  service: ServiceName;
  consumerId: string;
  createdAt: string;
}

export const IDEMPOTENCY_KEY_PREFIX = 'IDEMPOTENCY#';

/** Attempts of the create transaction while concurrent submits of the same key conflict (TransactionConflict). */
const CREATE_ATTEMPTS = 10;

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface TransitionParams {
  /** New status; omit to only record an event. */
  to?: ApplicationStatus;
  event: string;
  detail?: Record<string, unknown>;
  /** Attributes to set alongside (top-level names). */
  set?: Record<string, unknown>;
  /** Attributes to remove (top-level names). */
  remove?: string[];
  /** Statuses the application may be in; default: any non-terminal status. */
  allowedFrom?: readonly ApplicationStatus[];
  /** Extra conditions: attribute (top-level) → required value; null = the attribute must be absent. */
  require?: Record<string, string | null>;
}

function buildUpdate(applicationId: string, p: TransitionParams, at: string) {
  const names: Record<string, string> = { '#status': 'status', '#timeline': 'timeline', '#updatedAt': 'updatedAt', '#version': 'version' };
  const values: Record<string, unknown> = { ':at': at, ':one': 1 };
  const entry: TimelineEntry = { at, event: p.event };
  if (p.to) entry.status = p.to;
  if (p.detail) entry.detail = p.detail;
  values[':entry'] = [entry];
  const sets = ['#timeline = list_append(#timeline, :entry)', '#updatedAt = :at', '#version = #version + :one'];
  if (p.to) {
    values[':to'] = p.to;
    sets.push('#status = :to');
  }
  Object.entries(p.set ?? {}).forEach(([key, value], i) => {
    names[`#s${i}`] = key;
    values[`:s${i}`] = value;
    sets.push(`#s${i} = :s${i}`);
  });
  const removes = (p.remove ?? []).map((key, i) => {
    names[`#r${i}`] = key;
    return `#r${i}`;
  });
  const allowed = p.allowedFrom ?? (['RECEIVED', 'VERIFYING', 'IN_REVIEW', 'AWAITING_PAYMENT'] as const);
  const allowedKeys = allowed.map((s, i) => {
    values[`:a${i}`] = s;
    return `:a${i}`;
  });
  const conditions = ['attribute_exists(applicationId)', `#status IN (${allowedKeys.join(', ')})`];
  Object.entries(p.require ?? {}).forEach(([key, wanted], i) => {
    names[`#q${i}`] = key;
    if (wanted === null) {
      conditions.push(`attribute_not_exists(#q${i})`);
    } else {
      values[`:q${i}`] = wanted;
      conditions.push(`#q${i} = :q${i}`);
    }
  });
  return {
    TableName: config.applicationsTable(),
    Key: { applicationId },
    UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

export const applicationsRepository = {
  /** Creates the application unless one with the same id exists; returns the stored one either way. */
  async create(record: ApplicationRecord): Promise<{ created: boolean; record: ApplicationRecord }> {
    try {
      await dynamo().send(
        new PutCommand({
          TableName: config.applicationsTable(),
          Item: record,
          ConditionExpression: 'attribute_not_exists(applicationId)',
        }),
      );
      return { created: true, record };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException') {
        const existing = await applicationsRepository.get(record.applicationId);
        if (existing) return { created: false, record: existing };
      }
      throw error;
    }
  },

  /**
   * Creates the application and its idempotency record in ONE transaction (both conditioned on their absence),
   * or, when the record already exists (an earlier or concurrent submit of the same key won), returns the record.
   * Concurrent transactions on the same record are cancelled with TransactionConflict: retried with jitter until
   * the winner's record is readable.
   */
  async createWithIdempotencyKey(
    record: ApplicationRecord,
    idempotency: Omit<IdempotencyRecord, 'targetApplicationId'>,
  ): Promise<{ created: true; record: ApplicationRecord } | { created: false; idempotency: IdempotencyRecord }> {
    const TableName = config.applicationsTable();
    const item: IdempotencyRecord = { ...idempotency, targetApplicationId: record.applicationId };
    for (let attempt = 1; ; attempt++) {
      try {
        await dynamo().send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName, Item: record, ConditionExpression: 'attribute_not_exists(applicationId)' } },
              { Put: { TableName, Item: item, ConditionExpression: 'attribute_not_exists(applicationId)' } },
            ],
          }),
        );
        return { created: true, record };
      } catch (error) {
        if ((error as Error).name !== 'TransactionCanceledException') throw error;
        const existing = await applicationsRepository.getIdempotencyRecord(item.applicationId);
        if (existing) return { created: false, idempotency: existing };
        const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
        if (attempt >= CREATE_ATTEMPTS || !reasons.some((r) => r.Code === 'TransactionConflict')) throw error;
        await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
      }
    }
  },

  async getIdempotencyRecord(key: string): Promise<IdempotencyRecord | null> {
    if (!key.startsWith(IDEMPOTENCY_KEY_PREFIX)) throw new Error(`Not an idempotency record key: ${key}`);
    const out = await dynamo().send(
      new GetCommand({ TableName: config.applicationsTable(), Key: { applicationId: key }, ConsistentRead: true }),
    );
    return (out.Item as IdempotencyRecord | undefined) ?? null;
  },

  /** The application, or null; an idempotency record's key is never an application (null). */
  async get(applicationId: string): Promise<ApplicationRecord | null> {
    if (applicationId.startsWith(IDEMPOTENCY_KEY_PREFIX)) return null;
    const out = await dynamo().send(
      new GetCommand({ TableName: config.applicationsTable(), Key: { applicationId }, ConsistentRead: true }),
    );
    return (out.Item as ApplicationRecord | undefined) ?? null;
  },

  /**
   * Moves the application (or records an event) if its status allows; throws ConflictError INVALID_STATE
   * otherwise. Returns the updated record.
   */
  async transition(applicationId: string, params: TransitionParams): Promise<ApplicationRecord> {
    try {
      const out = await dynamo().send(new UpdateCommand({ ...buildUpdate(applicationId, params, nowIso()), ReturnValues: 'ALL_NEW' }));
      return out.Attributes as ApplicationRecord;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') {
        throw new ConflictError(
          'INVALID_STATE',
          'Hồ sơ không ở trạng thái cho phép thao tác này',
          'The application is not in a state that allows this',
          { applicationId },
        );
      }
      throw error;
    }
  },

  /** The same update as `transition`, as one item of a TransactWriteItems. */
  transitionUpdate(applicationId: string, params: TransitionParams): TransactItem {
    return { Update: buildUpdate(applicationId, params, nowIso()) };
  },
};

export function isTerminal(status: ApplicationStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** Replaces every `personalId` value in a JSON-like structure with its masked form. */
export function maskPersonalIds<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => maskPersonalIds(v)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        (k === 'personalId' || k.endsWith('PersonalId')) && typeof v === 'string' ? maskPersonalId(v) : maskPersonalIds(v),
      ]),
    ) as T;
  }
  return value;
}

/** What `GET /v1/applications/{id}` returns: an explicit whitelist; personal IDs masked; no task token. */
/** Timeline entries without infrastructure detail (execution ARNs): what a citizen or an officer is shown. */
export function withoutInfrastructureDetail(timeline: TimelineEntry[]): TimelineEntry[] {
  return timeline.map(({ detail, ...entry }) => {
    const { executionArn: _arn, ...rest } = (detail ?? {}) as Record<string, unknown>;
    return Object.keys(rest).length ? { ...entry, detail: rest } : entry;
  });
}

export function publicApplicationView(record: ApplicationRecord) {
  return maskPersonalIds({
    applicationId: record.applicationId,
    service: record.service,
    provinceCode: record.provinceCode,
    status: record.status,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(record.quote ? { quote: record.quote } : {}),
    ...(record.paymentDueAt && record.status === 'AWAITING_PAYMENT' ? { paymentDueAt: record.paymentDueAt } : {}),
    ...(record.paymentRequest ? { paymentRequest: record.paymentRequest } : {}),
    ...(record.result ? { result: record.result } : {}),
    ...(record.reason ? { reason: record.reason } : {}),
    timeline: withoutInfrastructureDetail(record.timeline ?? []),
  });
}
