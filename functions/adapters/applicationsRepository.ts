/**
 * Applications table: one item per application (all services). Status changes go through `transition`, which
 * appends to the timeline and is conditioned on the current status, so a retried or late step can never move
 * a finished application. `transitionUpdate` returns the same update for use inside a TransactWriteItems.
 *
 * The same table holds the idempotency records of submissions: pk `IDEMPOTENCY#<sha256 hex of
 * service|consumer|key>` → the id of the application that key created (never a valid application id: the GET
 * route's id pattern has no '#'). `createWithIdempotencyKey` writes the record, then the application: two ordered
 * conditional Puts (1 WRU each) instead of a transaction (2 × 2 WRU); see its comment for why that is as safe.
 *
 * Size (issue 10): every write of an item costs 1 WRU per started KB of the larger of the item before and after,
 * so the application item is kept under 1 KB on the automated paths: what changes is its status, a timeline
 * event and a few ids. A household renewal's quote lives once in its payment request (payments table,
 * compressed), its task token there too, and its result is derived from the quote and the payment reference
 * (`publicApplicationView`). The result of the other services (an unemployment history with its periods, a
 * lump sum with its revalued salaries: 3.6–7 KB of JSON) is written once, compressed (`resultZ`, brotli: ~4×
 * smaller), and read back as `result`: 1–2 KB units instead of 4–7 in the write that completes the application.
 */
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { dynamo } from './dynamo';
import { config } from '../shared/config';
import { nowIso } from '../shared/clock';
import { ConflictError } from '../shared/errors';
import { maskPersonalId } from '../shared/logger';
import { answeredQuote, answeredResult } from '../domain/explanations/answers';
import { renderReason, shownCode, type StoredReason } from '../domain/reasonCatalog';
import {
  ACTIVE_STATUSES,
  TERMINAL_STATUSES,
  type ApplicationStatus,
  type HouseholdQuote,
  type ServiceName,
  type TimelineEntry,
} from '../domain/types';

/** What an application stores of its reason (reasonCatalog.ts); answers render it (renderReason). */
export type ApplicationReason = StoredReason;

export interface RuleDataWait {
  missing: { vi: string; en: string };
  settlementYear?: number;
  /** YYYY-MM-DD: when the missing table is expected to be published. */
  expectedBy?: string;
  since: string;
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
  /** Unemployment history, lump sum: the result. (A household renewal's is derived: publicApplicationView.) */
  result?: Record<string, unknown>;
  /** Household renewal: the open (or last) payment request; its item (payments table) holds the quote. */
  paymentRequestId?: string;
  /** Household renewal: the registry's household id of the renewal hold this application contends for. */
  householdId?: string;
  /** Household renewal: the gateway reference of the payment recorded for it (its gateway transaction has the rest). */
  paymentReference?: string;
  openReviewItemId?: string;
  /** Lump sum, while WAITING_FOR_RULE_DATA: what legal data is missing and by when it is expected. */
  waitingForRuleData?: RuleDataWait;
  executionArn?: string;
  /** The consumer that submitted it ("portal", "vssid"); only it may read the application. Absent on items written before consumers had identities. */
  consumerId?: string;
  version: number;
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

/** Attribute holding the compressed result (see the file header); `result` is never stored as such. */
const RESULT_Z = 'resultZ';

/** The stored form of attributes being set: a result is compressed. */
function storedSet(set: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!set || !('result' in set)) return set ?? {};
  const { result, ...rest } = set;
  return { ...rest, [RESULT_Z]: new Uint8Array(brotliCompressSync(Buffer.from(JSON.stringify(result), 'utf8'))) };
}

/**
 * An item as read: a compressed result comes back as `result`. Also for a stream image (NotifyStatusChange),
 * where Lambda's JSON event carries the binary attribute base64-encoded.
 */
export function fromStored<T>(item: Record<string, unknown> | undefined): T | undefined {
  if (!item || !(RESULT_Z in item)) return item as T | undefined;
  const { [RESULT_Z]: z, ...rest } = item;
  const bytes = typeof z === 'string' ? Buffer.from(z, 'base64') : Buffer.from(z as Uint8Array);
  return { ...rest, result: JSON.parse(brotliDecompressSync(bytes).toString('utf8')) } as T;
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
  Object.entries(storedSet(p.set)).forEach(([key, value], i) => {
    names[`#s${i}`] = key;
    values[`:s${i}`] = value;
    sets.push(`#s${i} = :s${i}`);
  });
  const removes = (p.remove ?? []).map((key, i) => {
    names[`#r${i}`] = key;
    return `#r${i}`;
  });
  const allowed = p.allowedFrom ?? ACTIVE_STATUSES;
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
          Item: record.result ? { ...record, ...storedSet({ result: record.result }), result: undefined } : record,
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
   * Creates the idempotency record, then the application: two ordered conditional Puts (each conditioned on its
   * absence), or, when the record already exists (an earlier or concurrent submit of the same key won), returns it.
   *
   * As safe as one transaction: the record is written first and only ever names an application id this
   * function then creates with the same request (the caller checks the request hash before using it); a crash
   * between the two Puts leaves a record whose application is missing, and the retry of the same key (the same
   * body, by the hash) creates it (`createMissing`). Concurrent submits of one key all land on the one record
   * (attribute_not_exists) and on the one application id it names (its Put is conditioned too), so there is never
   * a second application for a key, and no application without its record (the order). The id is never handed
   * out before the application exists: the submit answers only after both Puts.
   */
  async createWithIdempotencyKey(
    record: ApplicationRecord,
    idempotency: Omit<IdempotencyRecord, 'targetApplicationId'>,
  ): Promise<{ created: true; record: ApplicationRecord } | { created: false; idempotency: IdempotencyRecord }> {
    const TableName = config.applicationsTable();
    const item: IdempotencyRecord = { ...idempotency, targetApplicationId: record.applicationId };
    try {
      await dynamo().send(new PutCommand({ TableName, Item: item, ConditionExpression: 'attribute_not_exists(applicationId)' }));
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const existing = await applicationsRepository.getIdempotencyRecord(item.applicationId);
      if (!existing) throw error;
      return { created: false, idempotency: existing };
    }
    const out = await applicationsRepository.create(record);
    return out.created ? { created: true, record } : { created: false, idempotency: item };
  },

  /**
   * The application an idempotency record names, created from `record` (the same request, a new submit's
   * instant) when a crash between the record and the application left it missing.
   */
  async createMissing(idempotency: IdempotencyRecord, record: ApplicationRecord): Promise<ApplicationRecord> {
    const existing = await applicationsRepository.get(idempotency.targetApplicationId);
    if (existing) return existing;
    return (await applicationsRepository.create({ ...record, applicationId: idempotency.targetApplicationId })).record;
  },

  async getIdempotencyRecord(key: string): Promise<IdempotencyRecord | null> {
    if (!key.startsWith(IDEMPOTENCY_KEY_PREFIX)) throw new Error(`Not an idempotency record key: ${key}`);
    const out = await dynamo().send(
      new GetCommand({ TableName: config.applicationsTable(), Key: { applicationId: key }, ConsistentRead: true }),
    );
    return (out.Item as IdempotencyRecord | undefined) ?? null;
  },

  /**
   * The application, or null; an idempotency record's key is never an application (null). Strongly consistent
   * unless `consistent: false` (a read that only shows it, e.g. the API's GET polled by a portal).
   */
  async get(applicationId: string, options: { consistent?: boolean } = {}): Promise<ApplicationRecord | null> {
    if (applicationId.startsWith(IDEMPOTENCY_KEY_PREFIX)) return null;
    const out = await dynamo().send(
      new GetCommand({ TableName: config.applicationsTable(), Key: { applicationId }, ConsistentRead: options.consistent ?? true }),
    );
    return fromStored<ApplicationRecord>(out.Item) ?? null;
  },

  /**
   * Moves the application (or records an event) if its status allows; throws ConflictError INVALID_STATE
   * otherwise. Returns the updated record.
   */
  async transition(applicationId: string, params: TransitionParams): Promise<ApplicationRecord> {
    try {
      const out = await dynamo().send(new UpdateCommand({ ...buildUpdate(applicationId, params, nowIso()), ReturnValues: 'ALL_NEW' }));
      return fromStored<ApplicationRecord>(out.Attributes)!;
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

/** Timeline entries without infrastructure detail (execution ARNs): what a citizen or an officer is shown. */
export function withoutInfrastructureDetail(timeline: TimelineEntry[]): TimelineEntry[] {
  return timeline.map(({ detail, ...entry }) => {
    const { executionArn: _arn, ...rest } = (detail ?? {}) as Record<string, unknown>;
    // Entries recorded before the outcome stored the shown code may carry an engine error name (States.TaskFailed).
    if (typeof rest.reasonCode === 'string') rest.reasonCode = shownCode(rest.reasonCode);
    return Object.keys(rest).length ? { ...entry, detail: rest } : entry;
  });
}

/** The household renewal's part of the view, from its payment request item (payments table). */
export interface RequestViewPart {
  amount: number;
  dueAt: string;
  quote: Record<string, unknown>;
}

/** A household renewal's payment request as the application shows it: its state is the application's. */
export function paymentRequestView(record: ApplicationRecord, request: RequestViewPart): PaymentRequestView {
  const status = record.paymentReference ? 'PAID' : record.status === 'AWAITING_PAYMENT' ? 'OPEN' : 'CLOSED';
  return { paymentRequestId: record.paymentRequestId!, amount: request.amount, dueAt: request.dueAt, status };
}

/**
 * A completed household renewal's result, derived from its quote (written once, in the payment request) and its
 * payment: the cards were renewed to exactly the quoted dates (each Put conditioned on the card the quote saw).
 */
export function householdResultOf(record: ApplicationRecord, request: RequestViewPart): Record<string, unknown> | undefined {
  if (record.status !== 'COMPLETED' || !record.paymentReference) return undefined;
  const quote = request.quote as { members: { personalId: string; fullName: string; cardValidFrom: string; cardExpiresOn: string }[]; excluded: unknown[] };
  return {
    ...(record.householdId ? { householdId: record.householdId } : {}),
    paymentReference: record.paymentReference,
    amountPaid: request.amount,
    members: quote.members.map((m) => ({ personalId: m.personalId, fullName: m.fullName, cardValidFrom: m.cardValidFrom, cardExpiresOn: m.cardExpiresOn })),
    excluded: quote.excluded,
  };
}

/**
 * What `GET /v1/applications/{id}` returns: an explicit whitelist; personal IDs masked; no task token. A household
 * renewal with a payment request shows its quote, deadline, request and (once COMPLETED) its result, from the
 * request item (`request`).
 */
export function publicApplicationView(record: ApplicationRecord, request?: RequestViewPart | null) {
  const stored = record.result ?? (request ? householdResultOf(record, request) : undefined);
  // Every amount with its explanation beside it; nothing internal (domain/explanations/answers.ts).
  const result = stored ? answeredResult(record.service, stored) : undefined;
  return maskPersonalIds({
    applicationId: record.applicationId,
    service: record.service,
    provinceCode: record.provinceCode,
    status: record.status,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(request ? { quote: answeredQuote(request.quote as unknown as HouseholdQuote) } : {}),
    ...(request && record.status === 'AWAITING_PAYMENT' ? { paymentDueAt: request.dueAt } : {}),
    ...(request && record.paymentRequestId ? { paymentRequest: paymentRequestView(record, request) } : {}),
    ...(result ? { result } : {}),
    ...(record.status === 'WAITING_FOR_RULE_DATA' && record.waitingForRuleData ? { waitingForRuleData: record.waitingForRuleData } : {}),
    ...(record.reason ? { reason: renderReason(record.reason) } : {}),
    timeline: withoutInfrastructureDetail(record.timeline ?? []),
  });
}
