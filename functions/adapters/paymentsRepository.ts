/**
 * payments table (infra/tables.ts): the payment requests handed to the payment gateway and the gateway's
 * transactions, one item per gateway reference.
 *
 *   payment request   pk "REQUEST#<paymentRequestId>", sk "REQUEST". Written ONCE, by AwaitHouseholdPayment (a Put
 *                     conditioned on its absence; a retried wait only replaces `taskToken`): the amount, the deadline,
 *                     the application, the household, the task token of the payment wait (server-only) and the quote
 *                     the amount was computed from, with the card expiries it saw, brotli-compressed in one binary
 *                     attribute (`quoteZ`: ~2.3 KB of JSON for 4 members → ~0.85 KB), so the quote is stored once and
 *                     never rewritten. The request has no status of its own: whether it is open, paid or closed is
 *                     the application's state (AWAITING_PAYMENT → open; paymentReference recorded → paid; otherwise
 *                     ended → closed), so no transaction has to update the request (issue 10: ≤ 20 WRU a renewal).
 *   gateway txn       pk "TXN#<gatewayReference>", sk "TXN"; Put with attribute_not_exists(pk): a gateway
 *                     reference is recorded once per province. outcome APPLIED | REFUND_DUE (+ reason);
 *                     reconciliationDay "<province>#<Vietnam date received>" (CSV index), refundDueProvince only
 *                     while a refund is due (sparse index of the supervisors' list).
 */
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from './dynamo';
import { config } from '../shared/config';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** What a payment request shows (derived from its application: the request item has no status of its own). */
export type PaymentRequestStatus = 'OPEN' | 'PAID' | 'CLOSED';

export interface PaymentRequestItem {
  pk: string;
  sk: 'REQUEST';
  paymentRequestId: string;
  applicationId: string;
  provinceCode: string;
  amount: number;
  dueAt: string;
  createdAt: string;
  /** The registry's household id (the household renewal hold), null when the registry gave none. */
  householdId: string | null;
  /** Server-only: the payment wait's task token. Never returned by an API, never logged. */
  taskToken: string;
  /** brotli(JSON of RequestQuote): see `encodeQuote`. */
  quoteZ: Uint8Array;
}

/** The quote a request was opened for, and the expiry of each quoted member's card it saw (null: no card). */
export interface RequestQuote {
  quote: Record<string, unknown>;
  quoteCards: Record<string, string | null>;
}

export function encodeQuote(value: RequestQuote): Uint8Array {
  return new Uint8Array(brotliCompressSync(Buffer.from(JSON.stringify(value), 'utf8')));
}

export function decodeQuote(item: Pick<PaymentRequestItem, 'quoteZ'>): RequestQuote {
  return JSON.parse(brotliDecompressSync(Buffer.from(item.quoteZ)).toString('utf8')) as RequestQuote;
}

export interface PaymentReason {
  code: string;
  vi: string;
  en: string;
}

export type PaymentOutcome = 'APPLIED' | 'REFUND_DUE';

export interface GatewayTransactionItem {
  pk: string;
  sk: 'TXN';
  gatewayReference: string;
  paymentRequestId: string;
  applicationId: string | null;
  provinceCode: string;
  amount: number;
  /** When the gateway says it was paid (its clock, as signed). */
  paidAt: string;
  /** When this system received the callback (its clock): deadlines and the reconciliation day use it. */
  receivedAt: string;
  paymentDate: string;
  outcome: PaymentOutcome;
  reason?: PaymentReason;
  /** Set while a refund is due (sparse index byRefundDue). */
  refundDueProvince?: string;
  refundDueAt?: string;
  reconciliationDay: string;
  updatedAt: string;
}

export const BY_RECONCILIATION_DAY = 'byReconciliationDay';
export const BY_REFUND_DUE = 'byRefundDue';

export const requestKey = (paymentRequestId: string) => ({ pk: `REQUEST#${paymentRequestId}`, sk: 'REQUEST' as const });
export const txnKey = (gatewayReference: string) => ({ pk: `TXN#${gatewayReference}`, sk: 'TXN' as const });
export const reconciliationDayKey = (provinceCode: string, day: string) => `${provinceCode}#${day}`;

async function getItem<T>(key: { pk: string; sk: string }): Promise<T | null> {
  const out = await dynamo().send(new GetCommand({ TableName: config.paymentsTable(), Key: key, ConsistentRead: true }));
  return (out.Item as T | undefined) ?? null;
}

export const paymentsRepository = {
  getRequest: (paymentRequestId: string) => getItem<PaymentRequestItem>(requestKey(paymentRequestId)),
  getTransaction: (gatewayReference: string) => getItem<GatewayTransactionItem>(txnKey(gatewayReference)),

  /** Writes a new payment request (never overwrites one). */
  async createRequest(item: Omit<PaymentRequestItem, 'pk' | 'sk'>): Promise<void> {
    await dynamo().send(
      new PutCommand({
        TableName: config.paymentsTable(),
        Item: { ...requestKey(item.paymentRequestId), ...item },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  },

  /** A retried payment wait: the request keeps everything but the task token. */
  async replaceTaskToken(paymentRequestId: string, taskToken: string): Promise<void> {
    await dynamo().send(
      new UpdateCommand({
        TableName: config.paymentsTable(),
        Key: requestKey(paymentRequestId),
        UpdateExpression: 'SET taskToken = :token',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':token': taskToken },
      }),
    );
  },

  /** Put of a gateway transaction, once per gateway reference. */
  putTransaction(item: Omit<GatewayTransactionItem, 'pk' | 'sk'>): TransactItem {
    return {
      Put: {
        TableName: config.paymentsTable(),
        Item: { ...txnKey(item.gatewayReference), ...item },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  },

  /** An APPLIED transaction becomes REFUND_DUE (the application it paid could not deliver). */
  markTransactionRefundDue(gatewayReference: string, provinceCode: string, reason: PaymentReason, at: string): TransactItem {
    return {
      Update: {
        TableName: config.paymentsTable(),
        Key: txnKey(gatewayReference),
        UpdateExpression: 'SET outcome = :refund, reason = :reason, refundDueProvince = :province, refundDueAt = :at, updatedAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND outcome = :applied',
        ExpressionAttributeValues: { ':refund': 'REFUND_DUE', ':applied': 'APPLIED', ':reason': reason, ':province': provinceCode, ':at': at },
      },
    };
  },

  /** Every gateway transaction received on a Vietnam day, oldest first. */
  async transactionsOfDay(provinceCode: string, day: string): Promise<GatewayTransactionItem[]> {
    return queryAll(BY_RECONCILIATION_DAY, 'reconciliationDay', reconciliationDayKey(provinceCode, day));
  },

  /** The refunds due of a province, oldest first. */
  async refundsDue(provinceCode: string): Promise<GatewayTransactionItem[]> {
    return queryAll(BY_REFUND_DUE, 'refundDueProvince', provinceCode);
  },
};

async function queryAll(indexName: string, keyName: string, value: string): Promise<GatewayTransactionItem[]> {
  const rows: GatewayTransactionItem[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await dynamo().send(
      new QueryCommand({
        TableName: config.paymentsTable(),
        IndexName: indexName,
        KeyConditionExpression: '#k = :v',
        ExpressionAttributeNames: { '#k': keyName },
        ExpressionAttributeValues: { ':v': value },
        ExclusiveStartKey: startKey,
      }),
    );
    rows.push(...((out.Items ?? []) as GatewayTransactionItem[]));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return rows;
}
