/**
 * payments table (infra/tables.ts): the payment requests handed to the payment gateway and the gateway's
 * transactions, one item per gateway reference. Items are built here, written by the services in
 * TransactWriteItems together with the application (functions/household/householdPayments.ts).
 *
 *   payment request   pk "REQUEST#<paymentRequestId>", sk "REQUEST"
 *                     status OPEN → PAID (the payment transaction) | CLOSED (the application ended unpaid)
 *   gateway txn       pk "TXN#<gatewayReference>", sk "TXN"; Put with attribute_not_exists(pk): a gateway
 *                     reference is recorded once per province. outcome APPLIED | REFUND_DUE (+ reason);
 *                     reconciliationDay "<province>#<Vietnam date received>" (CSV index), refundDueProvince only
 *                     while a refund is due (sparse index of the supervisors' list).
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from './dynamo';
import { config } from '../shared/config';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export type PaymentRequestStatus = 'OPEN' | 'PAID' | 'CLOSED';

export interface PaymentRequestItem {
  pk: string;
  sk: 'REQUEST';
  paymentRequestId: string;
  applicationId: string;
  provinceCode: string;
  amount: number;
  dueAt: string;
  status: PaymentRequestStatus;
  createdAt: string;
  paidByReference?: string;
  paidAt?: string;
  closedReason?: string;
  closedAt?: string;
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

  /** Put of a new OPEN payment request (never overwrites one). */
  putRequest(item: Omit<PaymentRequestItem, 'pk' | 'sk'>): TransactItem {
    return {
      Put: {
        TableName: config.paymentsTable(),
        Item: { ...requestKey(item.paymentRequestId), ...item },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  },

  /** OPEN → PAID by this gateway reference (conditioned on OPEN: a request is paid once). */
  markRequestPaid(paymentRequestId: string, gatewayReference: string, at: string): TransactItem {
    return {
      Update: {
        TableName: config.paymentsTable(),
        Key: requestKey(paymentRequestId),
        UpdateExpression: 'SET #status = :paid, paidByReference = :ref, paidAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND #status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':paid': 'PAID', ':open': 'OPEN', ':ref': gatewayReference, ':at': at },
      },
    };
  },

  /** OPEN → CLOSED (the application ended unpaid, or was superseded). */
  closeRequest(paymentRequestId: string, closedReason: string, at: string): TransactItem {
    return {
      Update: {
        TableName: config.paymentsTable(),
        Key: requestKey(paymentRequestId),
        UpdateExpression: 'SET #status = :closed, closedReason = :reason, closedAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND #status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':closed': 'CLOSED', ':open': 'OPEN', ':reason': closedReason, ':at': at },
      },
    };
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
