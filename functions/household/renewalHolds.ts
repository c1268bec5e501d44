/**
 * One household renewal at a time (issue 8 part 2). The hold item lives in the insuranceRecords table, following
 * its pk/sk pattern (like "EMPLOYER#<code>" / "STATUS"):
 *
 *   household hold   personalId "HOUSEHOLD#<householdId>", recordType "RENEWAL_HOLD"
 *                    contenders { <applicationId>: { paymentRequestId, joinedAt } } — unpaid renewals (≤ 3 live)
 *                    version (optimistic concurrency)
 *
 * Life cycle:
 * - AwaitHouseholdPayment joins the household hold as an unpaid contender (its first write, before the payment
 *   request and the application's AWAITING_PAYMENT); already MAX_CONTENDERS live unpaid renewals → the
 *   application ends REJECTED RENEWAL_IN_PROGRESS naming one of them, with no payment request. Contenders whose
 *   application has ended (or never got past the join: a crashed step) are dropped by the next join.
 * - The first payment wins: the payment callback's ONE transaction renews the cards, completes the application,
 *   deletes the hold (conditioned on the version read, so a renewal joining meanwhile cancels it and is
 *   superseded on the retry) and supersedes every other live unpaid contender (REJECTED RENEWAL_IN_PROGRESS
 *   naming the winner; a later payment of theirs is a refund due, RENEWAL_SUPERSEDED); their waits are then
 *   failed (best effort, SendTaskFailure "RenewalSuperseded"). Nothing is charged twice: the applications are
 *   conditioned on their state in that transaction, and each card Put on the expiry the quote saw.
 * - There is no "paid, cards not yet renewed" state any more (the payment and the renewal are one transaction),
 *   hence no paidBy and no per-card hold items: a renewal started after the winner completed is priced from the
 *   renewed cards (the next period), and one priced before it cannot renew a card past its quote (the card Puts).
 * - An application that ends otherwise (RecordOutcome's service) leaves the contenders in the transaction that
 *   ends it (the last one deletes the hold).
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../adapters/dynamo';
import { applicationsRepository, isTerminal, type ApplicationRecord } from '../adapters/applicationsRepository';
import { type TransactItem } from '../adapters/paymentsRepository';
import { config } from '../shared/config';
import { nowIso } from '../shared/clock';
import { AppError } from '../shared/errors';
import { logger } from '../shared/logger';
import { outcomeReasonLabel } from '../domain/reviewReasons';

export const RENEWAL_HOLD = 'RENEWAL_HOLD' as const;
/** Unpaid renewals of one household at a time (e.g. the portal and VssID, and one retry). */
export const MAX_CONTENDERS = 3;

export const householdHoldKey = (householdId: string) => ({ personalId: `HOUSEHOLD#${householdId}`, recordType: RENEWAL_HOLD });

interface HouseholdHold {
  personalId: string;
  recordType: typeof RENEWAL_HOLD;
  householdId: string;
  contenders: Record<string, { paymentRequestId: string | null; joinedAt: string }>;
  version: number;
}

/** Thrown by AwaitHouseholdPayment after recording REJECTED RENEWAL_IN_PROGRESS (ASL Catch "RenewalInProgress"). */
export class RenewalInProgressError extends AppError {
  constructor(holderApplicationId: string) {
    const label = outcomeReasonLabel('RENEWAL_IN_PROGRESS');
    super('RENEWAL_IN_PROGRESS', 409, label.vi, label.en, { holderApplicationId });
    this.name = 'RenewalInProgress';
  }
}

/** The reason a renewal that lost to `holder` ends with (its condition names the holder application). */
export function renewalInProgressReason(holderApplicationId: string) {
  return {
    code: 'RENEWAL_IN_PROGRESS',
    condition: { code: 'NO_OTHER_RENEWAL_IN_PROGRESS' as const, params: { holderApplicationId } },
  };
}

/** The holder application a RENEWAL_IN_PROGRESS reason names (the stored shape, or the legacy "vi / en" detail). */
export function holderOf(reason: { condition?: { params?: Record<string, unknown> }; detail?: string | null } | undefined): string | null {
  const named = reason?.condition?.params?.holderApplicationId;
  if (typeof named === 'string') return named;
  return /Application (\S+) is renewing/.exec(reason?.detail ?? '')?.[1] ?? null;
}

async function getHouseholdHold(householdId: string): Promise<HouseholdHold | null> {
  const out = await dynamo().send(new GetCommand({ TableName: config.insuranceRecordsTable(), Key: householdHoldKey(householdId), ConsistentRead: true }));
  return (out.Item as HouseholdHold | undefined) ?? null;
}

/** The other contenders of a hold whose applications are still unpaid and not ended (read strongly consistent). */
async function liveContenders(hold: HouseholdHold, me: string): Promise<ApplicationRecord[]> {
  const others = Object.keys(hold.contenders ?? {}).filter((id) => id !== me);
  const apps = await Promise.all(others.map((id) => applicationsRepository.get(id)));
  return apps.filter((a): a is ApplicationRecord => !!a && !isTerminal(a.status) && !a.paymentReference);
}

// ---------------------------------------------------------------------------------------------------------------
// Joining (AwaitHouseholdPayment)

export type JoinResult = { ok: true } | { ok: false; holderApplicationId: string };

/**
 * Adds `record` to its household's contenders (a Put when there is no hold yet, else an Update conditioned on the
 * version read, dropping contenders that have ended), or says who holds the household when it cannot take part.
 * A lost race (the hold changed meanwhile) is a ConditionalCheckFailedException: the step is retried.
 */
export async function joinHouseholdHold(record: ApplicationRecord, householdId: string | null, paymentRequestId: string): Promise<JoinResult> {
  if (!householdId) return { ok: true };
  const me = record.applicationId;
  const hold = await getHouseholdHold(householdId);
  const entry = { paymentRequestId, joinedAt: nowIso() };
  const TableName = config.insuranceRecordsTable();
  if (!hold) {
    const item: HouseholdHold = { ...householdHoldKey(householdId), householdId, contenders: { [me]: entry }, version: 1 };
    await dynamo().send(new PutCommand({ TableName, Item: item, ConditionExpression: 'attribute_not_exists(personalId)' }));
    return { ok: true };
  }
  const live = await liveContenders(hold, me);
  if (live.length >= MAX_CONTENDERS) return { ok: false, holderApplicationId: live[0].applicationId };
  const liveIds = new Set(live.map((a) => a.applicationId));
  const stale = Object.keys(hold.contenders ?? {}).filter((id) => id !== me && !liveIds.has(id));
  const names: Record<string, string> = { '#me': me };
  stale.forEach((id, i) => (names[`#x${i}`] = id));
  await dynamo().send(
    new UpdateCommand({
      TableName,
      Key: householdHoldKey(householdId),
      UpdateExpression: `SET contenders.#me = :entry, version = version + :one${stale.length ? ` REMOVE ${stale.map((_, i) => `contenders.#x${i}`).join(', ')}` : ''}`,
      ConditionExpression: 'version = :v',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':entry': entry, ':one': 1, ':v': hold.version },
    }),
  );
  return { ok: true };
}

/** Ends an application that cannot take part: REJECTED RENEWAL_IN_PROGRESS naming the holder, no payment request. */
export async function rejectRenewalInProgress(record: ApplicationRecord, holderApplicationId: string): Promise<void> {
  const reason = renewalInProgressReason(holderApplicationId);
  await applicationsRepository.transition(record.applicationId, {
    to: 'REJECTED',
    event: 'OUTCOME_RECORDED',
    detail: { reasonCode: 'RENEWAL_IN_PROGRESS', holderApplicationId },
    set: { reason },
    remove: ['openReviewItemId'],
  });
  logger.info('Renewal refused: the household is held by other applications', { holderApplicationId });
}

// ---------------------------------------------------------------------------------------------------------------
// Paying (the payment callback's transaction)

export interface HoldPlan {
  items: TransactItem[];
  /** Unpaid contenders ended by this payment (their waits are failed after the transaction). */
  superseded: { applicationId: string; paymentRequestId: string | null }[];
}

/**
 * The hold items of the payment transaction of `record`: the household hold deleted (conditioned on the version
 * read) and every other live unpaid contender superseded (REJECTED RENEWAL_IN_PROGRESS naming `record`,
 * conditioned on its status and on no payment).
 */
export async function holdItemsOnPayment(record: ApplicationRecord): Promise<HoldPlan> {
  if (!record.householdId) return { items: [], superseded: [] };
  const me = record.applicationId;
  const hold = await getHouseholdHold(record.householdId);
  if (!hold) return { items: [], superseded: [] };
  const items: TransactItem[] = [
    {
      Delete: {
        TableName: config.insuranceRecordsTable(),
        Key: householdHoldKey(record.householdId),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': hold.version },
      },
    },
  ];
  const superseded: HoldPlan['superseded'] = [];
  for (const other of await liveContenders(hold, me)) {
    const reason = renewalInProgressReason(me);
    items.push(
      applicationsRepository.transitionUpdate(other.applicationId, {
        to: 'REJECTED',
        event: 'OUTCOME_RECORDED',
        detail: { reasonCode: 'RENEWAL_IN_PROGRESS', supersededBy: me },
        set: { reason },
        remove: ['openReviewItemId'],
        allowedFrom: [other.status],
        require: { paymentReference: null },
      }),
    );
    superseded.push({ applicationId: other.applicationId, paymentRequestId: other.paymentRequestId ?? hold.contenders[other.applicationId]?.paymentRequestId ?? null });
  }
  return { items, superseded };
}

// ---------------------------------------------------------------------------------------------------------------
// Releasing (the transaction that ends the application otherwise)

/**
 * Items removing `record` from its household's contenders, for the transaction that ends it (conditioned on the
 * version read; the last contender deletes the hold). Nothing when it contends for nothing (any other service too).
 */
export async function releaseHoldItems(record: ApplicationRecord): Promise<TransactItem[]> {
  if (!record.householdId) return [];
  const me = record.applicationId;
  const hold = await getHouseholdHold(record.householdId);
  if (!hold?.contenders?.[me]) return [];
  const TableName = config.insuranceRecordsTable();
  const last = Object.keys(hold.contenders).length === 1;
  return [
    last
      ? { Delete: { TableName, Key: householdHoldKey(record.householdId), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': hold.version } } }
      : {
          Update: {
            TableName,
            Key: householdHoldKey(record.householdId),
            UpdateExpression: 'REMOVE contenders.#me SET version = version + :one',
            ConditionExpression: 'version = :v',
            ExpressionAttributeNames: { '#me': me },
            ExpressionAttributeValues: { ':v': hold.version, ':one': 1 },
          },
        },
  ];
}
