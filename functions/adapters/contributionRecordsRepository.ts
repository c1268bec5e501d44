/**
 * insuranceRecords table, contribution records (pk personalId, sk recordType), used by the unemployment-history
 * and lump-sum services:
 *
 *   pk <personalId>          sk CONTRIBUTION#<from YYYY-MM>#<employerCode>   one contribution period (quá trình đóng)
 *   pk <personalId>          sk SETTLEMENT#LUMP_SUM                          the record was paid out as a lump sum
 *   pk <personalId>          sk PAYMENT_ORDER#<paymentOrderId>               the payment order of that lump sum
 *   pk EMPLOYER#<code>       sk STATUS                                       the employer's closing / debt status
 *
 * Exactly once: the SETTLEMENT#LUMP_SUM marker is written with `attribute_not_exists`, in the same
 * TransactWriteItems as the payment order and the application's completion (lumpSum/lumpSumService.ts), so a
 * person's record is paid out by one application only, whatever the number of concurrent claims.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from './dynamo';
import { config } from '../shared/config';
import type { Region } from '../domain/rules/regionalMinimumWage';
import type { Scheme, SiContributionPeriod } from '../domain/lumpSum/months';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export const CONTRIBUTION_PREFIX = 'CONTRIBUTION#';
export const SETTLEMENT_RECORD_TYPE = 'SETTLEMENT#LUMP_SUM';
export const PAYMENT_ORDER_PREFIX = 'PAYMENT_ORDER#';
export const EMPLOYER_STATUS_RECORD_TYPE = 'STATUS';

/** One period of a person's contribution record, as stored (region absent for voluntary periods). */
export interface StoredContributionPeriod extends SiContributionPeriod {
  region?: Region;
}

/** An employer's status as BHXH's collection side records it. */
export interface EmployerStatus {
  code: string;
  name: string;
  /** The employer has closed (chốt) the contribution records of the workers who left. */
  closed: boolean;
  /** The employer owes contributions (nợ đóng). */
  owesContributions: boolean;
}

/** The lump-sum settlement marker of a person. */
export interface SettlementMarker {
  personalId: string;
  applicationId: string;
  paymentOrderId: string;
  amount: number;
  /** Vietnam calendar date of the settlement. */
  settledOn: string;
  settledAt?: string;
}

export interface BankAccount {
  /** NAPAS bank identification number (BIN), 6 digits. */
  bankCode: string;
  accountNumber: string;
}

export interface PaymentOrder {
  paymentOrderId: string;
  personalId: string;
  applicationId: string;
  provinceCode: string;
  amount: number;
  currency: 'VND';
  bankAccount: BankAccount;
  beneficiaryName: string;
  status: 'ISSUED';
  createdAt: string;
}

const employerKey = (code: string) => ({ personalId: `EMPLOYER#${code}`, recordType: EMPLOYER_STATUS_RECORD_TYPE });

/** The sort key of a contribution period. */
export function contributionRecordType(period: { from: string; employerCode: string }): string {
  return `${CONTRIBUTION_PREFIX}${period.from}#${period.employerCode}`;
}

function toPeriod(item: Record<string, unknown>): StoredContributionPeriod {
  const period: StoredContributionPeriod = {
    employer: String(item.employer),
    employerCode: String(item.employerCode),
    from: String(item.from),
    to: String(item.to),
    monthlySalary: Number(item.monthlySalary),
    schemes: (item.schemes as Scheme[]) ?? [],
  };
  if (item.region) period.region = item.region as Region;
  if (item.voluntary === true) period.voluntary = true;
  if (typeof item.stateSupportAmount === 'number') period.stateSupportAmount = item.stateSupportAmount;
  return period;
}

async function queryPrefix(personalId: string, prefix: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await dynamo().send(
      new QueryCommand({
        TableName: config.insuranceRecordsTable(),
        KeyConditionExpression: 'personalId = :pk AND begins_with(recordType, :prefix)',
        ExpressionAttributeValues: { ':pk': personalId, ':prefix': prefix },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...((out.Items as Record<string, unknown>[] | undefined) ?? []));
    start = out.LastEvaluatedKey as Record<string, unknown> | undefined;
  } while (start);
  return items;
}

/** A person's contribution periods, ascending by first month. */
export async function getContributionPeriods(personalId: string): Promise<StoredContributionPeriod[]> {
  return (await queryPrefix(personalId, CONTRIBUTION_PREFIX)).map(toPeriod);
}

export async function getEmployerStatus(code: string): Promise<EmployerStatus | null> {
  const out = await dynamo().send(
    new GetCommand({ TableName: config.insuranceRecordsTable(), Key: employerKey(code), ConsistentRead: true }),
  );
  if (!out.Item) return null;
  return {
    code,
    name: String(out.Item.name ?? code),
    closed: out.Item.closed === true,
    owesContributions: out.Item.owesContributions === true,
  };
}

export async function getSettlement(personalId: string): Promise<SettlementMarker | null> {
  const out = await dynamo().send(
    new GetCommand({
      TableName: config.insuranceRecordsTable(),
      Key: { personalId, recordType: SETTLEMENT_RECORD_TYPE },
      ConsistentRead: true,
    }),
  );
  if (!out.Item) return null;
  const { recordType: _recordType, ...marker } = out.Item;
  return marker as SettlementMarker;
}

export async function getPaymentOrders(personalId: string): Promise<PaymentOrder[]> {
  return (await queryPrefix(personalId, PAYMENT_ORDER_PREFIX)).map((item) => {
    const { recordType: _recordType, ...order } = item;
    return order as unknown as PaymentOrder;
  });
}

/**
 * The period whose employer is "the last employer": the latest-ending employer period (not voluntary), the
 * later-starting one on a tie. null when the record has no employer period.
 */
export function lastEmployerPeriod<P extends { to: string; from: string; voluntary?: boolean }>(periods: readonly P[]): P | null {
  let last: P | null = null;
  for (const p of periods) {
    if (p.voluntary) continue;
    if (!last || p.to > last.to || (p.to === last.to && p.from > last.from)) last = p;
  }
  return last;
}

/** The items a seed (or a migration) writes for a person's contribution periods. */
export function contributionPeriodItem(personalId: string, period: StoredContributionPeriod): Record<string, unknown> {
  return { personalId, recordType: contributionRecordType(period), ...period };
}

export function employerStatusItem(status: EmployerStatus): Record<string, unknown> {
  return { ...employerKey(status.code), ...status };
}

export function settlementMarkerItem(marker: SettlementMarker): Record<string, unknown> {
  return { ...marker, recordType: SETTLEMENT_RECORD_TYPE };
}

/** The exactly-once guard: the marker Put, only if the person has no settlement yet. */
export function settlementMarkerPut(marker: SettlementMarker): TransactItem {
  return {
    Put: {
      TableName: config.insuranceRecordsTable(),
      Item: settlementMarkerItem(marker),
      ConditionExpression: 'attribute_not_exists(personalId)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

/** The payment order Put (never overwrites an order with the same id). */
export function paymentOrderPut(order: PaymentOrder): TransactItem {
  return {
    Put: {
      TableName: config.insuranceRecordsTable(),
      Item: { ...order, recordType: `${PAYMENT_ORDER_PREFIX}${order.paymentOrderId}` },
      ConditionExpression: 'attribute_not_exists(personalId)',
    },
  };
}

/** What the workflows load about a person: contribution periods, the last employer's status, the settlement. */
export interface ContributionRecord {
  periods: StoredContributionPeriod[];
  /**
   * The employer of the latest employer period, with its status; an employer with no status on record is taken
   * as not having closed the record (`known: false`), so nothing is confirmed on missing data.
   */
  lastEmployer: (EmployerStatus & { known: boolean }) | null;
  settlement: SettlementMarker | null;
}

export async function loadContributionRecord(personalId: string): Promise<ContributionRecord> {
  const [periods, settlement] = await Promise.all([getContributionPeriods(personalId), getSettlement(personalId)]);
  const last = lastEmployerPeriod(periods);
  let lastEmployer: ContributionRecord['lastEmployer'] = null;
  if (last) {
    const status = await getEmployerStatus(last.employerCode);
    lastEmployer = status
      ? { ...status, known: true }
      : { code: last.employerCode, name: last.employer, closed: false, owesContributions: false, known: false };
  }
  return { periods, lastEmployer, settlement };
}
