/**
 * One household renewal at a time (issue 8 part 2). Hold items live in the insuranceRecords table, following its
 * pk/sk pattern (like "EMPLOYER#<code>" / "STATUS"):
 *
 *   household hold   personalId "HOUSEHOLD#<householdId>", recordType "RENEWAL_HOLD"
 *                    contenders { <applicationId>: { paymentRequestId, joinedAt } } — unpaid renewals (≤ 3)
 *                    paidBy <applicationId> — the renewal that paid first; version (optimistic concurrency)
 *   card hold        personalId <member's personal ID>, recordType "RENEWAL_HOLD", heldBy <applicationId>
 *
 * Life cycle:
 * - AwaitHouseholdPayment joins the household hold as an unpaid contender, in the transaction that opens the
 *   payment request; a household (or a member's card) held by a PAID renewal, or already MAX_CONTENDERS unpaid
 *   renewals, → the application ends REJECTED RENEWAL_IN_PROGRESS naming the holder, with no payment request.
 * - The first payment takes the hold (paidBy, conditioned on the version read and on no payer yet) and the card
 *   holds, and supersedes the other unpaid contenders — all in the payment transaction: they end REJECTED
 *   RENEWAL_IN_PROGRESS naming the winner, their payment requests CLOSED (a later payment of theirs is a refund
 *   due, RENEWAL_SUPERSEDED); their waits are then failed (best effort, SendTaskFailure "RenewalSuperseded").
 *   First payment wins; nothing is charged twice.
 * - The transaction that ends the application releases: COMPLETED (renewCards) and REJECTED / EXPIRED / FAILED
 *   (RecordOutcome's service) delete the holds it owns (as payer) or remove it from the contenders.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../adapters/dynamo';
import { applicationsRepository, isTerminal, type ApplicationRecord } from '../adapters/applicationsRepository';
import { getRecordsOfType } from '../adapters/insuranceRecordsRepository';
import { paymentsRepository, type TransactItem } from '../adapters/paymentsRepository';
import { config } from '../shared/config';
import { nowIso } from '../shared/clock';
import { AppError } from '../shared/errors';
import { logger } from '../shared/logger';
import { outcomeReasonLabel } from '../domain/reviewReasons';

export const RENEWAL_HOLD = 'RENEWAL_HOLD' as const;
/** Unpaid renewals of one household at a time (e.g. the portal and VssID, and one retry). */
export const MAX_CONTENDERS = 3;

export const householdHoldKey = (householdId: string) => ({ personalId: `HOUSEHOLD#${householdId}`, recordType: RENEWAL_HOLD });
const cardHoldKey = (personalId: string) => ({ personalId, recordType: RENEWAL_HOLD });

interface HouseholdHold {
  personalId: string;
  recordType: typeof RENEWAL_HOLD;
  householdId: string;
  contenders: Record<string, { paymentRequestId: string | null; joinedAt: string }>;
  paidBy?: string;
  paidAt?: string;
  version: number;
}

export interface RenewalHoldRef {
  householdId: string | null;
  personalIds: string[];
}

/** Thrown by AwaitHouseholdPayment after recording REJECTED RENEWAL_IN_PROGRESS (ASL Catch "RenewalInProgress"). */
export class RenewalInProgressError extends AppError {
  constructor(holderApplicationId: string) {
    const label = outcomeReasonLabel('RENEWAL_IN_PROGRESS');
    super('RENEWAL_IN_PROGRESS', 409, label.vi, label.en, { holderApplicationId });
    this.name = 'RenewalInProgress';
  }
}

/** The reason a renewal that lost to `holder` ends with (its detail names the holder application). */
export function renewalInProgressReason(holderApplicationId: string) {
  const label = outcomeReasonLabel('RENEWAL_IN_PROGRESS');
  return {
    code: 'RENEWAL_IN_PROGRESS',
    vi: label.vi,
    en: label.en,
    detail: `Hồ sơ ${holderApplicationId} đang gia hạn hộ gia đình này / Application ${holderApplicationId} is renewing this household`,
    holderApplicationId,
  };
}

async function getHouseholdHold(householdId: string): Promise<HouseholdHold | null> {
  const out = await dynamo().send(new GetCommand({ TableName: config.insuranceRecordsTable(), Key: householdHoldKey(householdId), ConsistentRead: true }));
  return (out.Item as HouseholdHold | undefined) ?? null;
}

async function cardHolds(personalIds: string[]): Promise<Map<string, Record<string, unknown>>> {
  return personalIds.length ? getRecordsOfType(personalIds, RENEWAL_HOLD) : new Map();
}

// ---------------------------------------------------------------------------------------------------------------
// Joining (AwaitHouseholdPayment)

export type JoinResult =
  | { ok: true; items: TransactItem[]; renewalHold: RenewalHoldRef }
  | { ok: false; holderApplicationId: string };

/**
 * The items that add `record` to its household's contenders (a Put when there is no hold yet, else an Update
 * conditioned on the version read), or who holds the household/cards when it cannot take part.
 */
export async function joinHouseholdHold(record: ApplicationRecord, ref: RenewalHoldRef, paymentRequestId: string | null = null): Promise<JoinResult> {
  const me = record.applicationId;
  const cards = await cardHolds(ref.personalIds);
  const heldCard = [...cards.values()].find((h) => h.heldBy !== me);
  if (heldCard) return { ok: false, holderApplicationId: String(heldCard.heldBy) };
  if (!ref.householdId) return { ok: true, items: [], renewalHold: ref };

  const hold = await getHouseholdHold(ref.householdId);
  const entry = { paymentRequestId, joinedAt: nowIso() };
  const table = config.insuranceRecordsTable();
  if (!hold) {
    const item: HouseholdHold = { ...householdHoldKey(ref.householdId), householdId: ref.householdId, contenders: { [me]: entry }, version: 1 };
    return {
      ok: true,
      renewalHold: ref,
      items: [{ Put: { TableName: table, Item: item as unknown as Record<string, unknown>, ConditionExpression: 'attribute_not_exists(personalId)' } }],
    };
  }
  if (hold.paidBy && hold.paidBy !== me) return { ok: false, holderApplicationId: hold.paidBy };
  const others = Object.keys(hold.contenders ?? {}).filter((id) => id !== me);
  if (others.length >= MAX_CONTENDERS) return { ok: false, holderApplicationId: others[0] };
  return {
    ok: true,
    renewalHold: ref,
    items: [
      {
        Update: {
          TableName: table,
          Key: householdHoldKey(ref.householdId),
          UpdateExpression: 'SET contenders.#me = :entry, version = version + :one',
          ConditionExpression: 'version = :v AND attribute_not_exists(paidBy)',
          ExpressionAttributeNames: { '#me': me },
          ExpressionAttributeValues: { ':entry': entry, ':one': 1, ':v': hold.version },
        },
      },
    ],
  };
}

/** Ends an application that cannot take part: REJECTED RENEWAL_IN_PROGRESS naming the holder, no payment request. */
export async function rejectRenewalInProgress(record: ApplicationRecord, holderApplicationId: string): Promise<void> {
  const { holderApplicationId: _h, ...reason } = renewalInProgressReason(holderApplicationId);
  await applicationsRepository.transition(record.applicationId, {
    to: 'REJECTED',
    event: 'OUTCOME_RECORDED',
    detail: { reasonCode: 'RENEWAL_IN_PROGRESS', holderApplicationId },
    set: { reason },
    remove: ['paymentTaskToken', 'openReviewItemId'],
  });
  logger.info('Renewal refused: the household is held by another application', { holderApplicationId });
}

// ---------------------------------------------------------------------------------------------------------------
// Paying (the payment transaction)

export interface HoldPlan {
  ok: boolean;
  items: TransactItem[];
  /** Unpaid contenders ended by this payment (their waits are failed after the transaction). */
  superseded: { applicationId: string; paymentTaskToken?: string }[];
}

/**
 * The hold items of the payment transaction of `record`: the household hold taken (paidBy), the card holds taken,
 * and every other unpaid contender superseded (REJECTED RENEWAL_IN_PROGRESS, its payment request CLOSED).
 * `ok: false` when another application already holds the household or a card.
 */
export async function holdItemsOnPayment(record: ApplicationRecord, at: string): Promise<HoldPlan> {
  const ref = record.renewalHold;
  if (!ref) return { ok: true, items: [], superseded: [] };
  const me = record.applicationId;
  const table = config.insuranceRecordsTable();
  const items: TransactItem[] = [];
  const superseded: HoldPlan['superseded'] = [];

  const cards = await cardHolds(ref.personalIds);
  if ([...cards.values()].some((h) => h.heldBy !== me)) return { ok: false, items: [], superseded: [] };
  for (const personalId of ref.personalIds) {
    items.push({
      Put: {
        TableName: table,
        Item: { ...cardHoldKey(personalId), heldBy: me, householdId: ref.householdId, heldSince: at },
        ConditionExpression: 'attribute_not_exists(personalId) OR heldBy = :me',
        ExpressionAttributeValues: { ':me': me },
      },
    });
  }

  if (ref.householdId) {
    const hold = await getHouseholdHold(ref.householdId);
    if (hold?.paidBy && hold.paidBy !== me) return { ok: false, items: [], superseded: [] };
    const mine = { [me]: hold?.contenders?.[me] ?? { paymentRequestId: record.paymentRequestId ?? null, joinedAt: at } };
    if (!hold) {
      items.push({
        Put: {
          TableName: table,
          Item: { ...householdHoldKey(ref.householdId), householdId: ref.householdId, contenders: mine, paidBy: me, paidAt: at, version: 1 },
          ConditionExpression: 'attribute_not_exists(personalId)',
        },
      });
    } else {
      items.push({
        Update: {
          TableName: table,
          Key: householdHoldKey(ref.householdId),
          UpdateExpression: 'SET paidBy = :me, paidAt = :at, contenders = :mine, version = version + :one',
          ConditionExpression: 'version = :v AND attribute_not_exists(paidBy)',
          ExpressionAttributeValues: { ':me': me, ':at': at, ':mine': mine, ':one': 1, ':v': hold.version },
        },
      });
      for (const otherId of Object.keys(hold.contenders ?? {}).filter((id) => id !== me)) {
        const other = await applicationsRepository.get(otherId);
        if (!other || isTerminal(other.status) || other.payment) continue; // ended meanwhile: just dropped from the map
        const { holderApplicationId: _h, ...reason } = renewalInProgressReason(me);
        items.push(
          applicationsRepository.transitionUpdate(otherId, {
            to: 'REJECTED',
            event: 'OUTCOME_RECORDED',
            detail: { reasonCode: 'RENEWAL_IN_PROGRESS', supersededBy: me },
            set: { reason, ...(other.paymentRequest ? { paymentRequest: { ...other.paymentRequest, status: 'CLOSED' } } : {}) },
            remove: ['paymentTaskToken', 'renewalHold', 'openReviewItemId'],
            allowedFrom: [other.status],
            require: { payment: null },
          }),
        );
        if (other.paymentRequest?.status === 'OPEN') {
          items.push(paymentsRepository.closeRequest(other.paymentRequest.paymentRequestId, 'RENEWAL_IN_PROGRESS', at));
        }
        superseded.push({ applicationId: otherId, paymentTaskToken: other.paymentTaskToken });
      }
    }
  }
  return { ok: true, items, superseded };
}

// ---------------------------------------------------------------------------------------------------------------
// Releasing (the transaction that ends the application)

/**
 * Items releasing what `record` holds, for the transaction that ends it: as the payer, the household hold and its
 * card holds are deleted (conditioned on still being its own); as an unpaid contender, it is removed from the
 * contenders (conditioned on the version read). Nothing when it holds nothing (any other service too).
 */
export async function releaseHoldItems(record: ApplicationRecord): Promise<TransactItem[]> {
  const ref = record.renewalHold;
  if (!ref) return [];
  const me = record.applicationId;
  const table = config.insuranceRecordsTable();
  const items: TransactItem[] = [];
  const cards = await cardHolds(ref.personalIds);
  for (const [personalId, hold] of cards) {
    if (hold.heldBy !== me) continue;
    items.push({ Delete: { TableName: table, Key: cardHoldKey(personalId), ConditionExpression: 'heldBy = :me', ExpressionAttributeValues: { ':me': me } } });
  }
  if (ref.householdId) {
    const hold = await getHouseholdHold(ref.householdId);
    if (hold?.paidBy === me) {
      items.push({
        Delete: { TableName: table, Key: householdHoldKey(ref.householdId), ConditionExpression: 'paidBy = :me', ExpressionAttributeValues: { ':me': me } },
      });
    } else if (hold && !hold.paidBy && hold.contenders?.[me]) {
      const last = Object.keys(hold.contenders).length === 1;
      items.push(
        last
          ? {
              Delete: {
                TableName: table,
                Key: householdHoldKey(ref.householdId),
                ConditionExpression: 'version = :v',
                ExpressionAttributeValues: { ':v': hold.version },
              },
            }
          : {
              Update: {
                TableName: table,
                Key: householdHoldKey(ref.householdId),
                UpdateExpression: 'REMOVE contenders.#me SET version = version + :one',
                ConditionExpression: 'version = :v',
                ExpressionAttributeNames: { '#me': me },
                ExpressionAttributeValues: { ':v': hold.version, ':one': 1 },
              },
            },
      );
    }
  }
  return items;
}
