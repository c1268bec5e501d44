/**
 * insuranceRecords table, contribution records (pk personalId, sk recordType), used by the unemployment-history
 * and lump-sum services:
 *
 *   pk <personalId>          sk CONTRIBUTION#<from YYYY-MM>#<employerCode>   one contribution period (quá trình đóng)
 *   pk <personalId>          sk SETTLEMENT#LUMP_SUM#<settledThrough YYYY-MM> a lump sum paid out the record up to
 *                                                                            and including that month
 *   pk <personalId>          sk PAYMENT_ORDER#<paymentOrderId>               the payment order of that lump sum
 *   pk EMPLOYER#<code>       sk STATUS                                       the employer's closing / debt status
 *
 * A person may be paid a lump sum more than once: each payment settles the contribution time not yet used for
 * any benefit (the months after the previous settlement's `settledThrough`), e.g. after a new job. Exactly once
 * per settled contribution record: the marker is written with `attribute_not_exists`, in the same
 * TransactWriteItems as the payment order and the application's completion (lumpSum/lumpSumService.ts). Claims
 * for the same record compute the same `settledThrough` (the last month they pay out), so they write the same
 * key and one application only wins, whatever the number of concurrent claims.
 *
 * Markers written before `settledThrough` existed (sk exactly "SETTLEMENT#LUMP_SUM", no settledThrough) are still
 * read: their settledThrough is the person's last contribution month on or before settledOn.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from './dynamo';
import { config } from '../shared/config';
import type { Region } from '../domain/rules/regionalMinimumWage';
import type { Scheme, SiContributionPeriod } from '../domain/lumpSum/months';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export const CONTRIBUTION_PREFIX = 'CONTRIBUTION#';
/** Every lump-sum settlement marker's sort key starts with this (the legacy marker's key is exactly this). */
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

/** A lump-sum settlement of a person's contribution record, up to and including `settledThrough`. */
export interface SettlementMarker {
  personalId: string;
  applicationId: string;
  paymentOrderId: string;
  amount: number;
  /** Vietnam calendar date of the settlement. */
  settledOn: string;
  settledAt?: string;
  /** 'YYYY-MM': the last contribution month this settlement paid out; the months up to it are used. */
  settledThrough: string;
  /** 'YYYY-MM': the first contribution month it paid out (absent on markers from before this was recorded). */
  settledFrom?: string;
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

/** The sort key of the settlement marker of the record paid out through `settledThrough` ('YYYY-MM'). */
export function settlementRecordType(settledThrough: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(settledThrough)) throw new RangeError(`settledThrough must be YYYY-MM, got ${JSON.stringify(settledThrough)}`);
  return `${SETTLEMENT_RECORD_TYPE}#${settledThrough}`;
}

/**
 * The settledThrough of a settlement that does not state one (seed data, legacy markers): the person's last
 * SI contribution month on or before the month of `settledOn`; that month itself when there is none (nothing
 * before it can be claimed again either way).
 */
export function defaultSettledThrough(periods: readonly { from: string; to: string; schemes: readonly string[] }[], settledOn: string): string {
  const month = settledOn.slice(0, 7);
  let last: string | null = null;
  for (const p of periods) {
    if (!p.schemes.includes('SI') || p.from > month) continue;
    const end = p.to < month ? p.to : month;
    if (last === null || end > last) last = end;
  }
  return last ?? month;
}

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

function toMarker(item: Record<string, unknown>, periods: readonly StoredContributionPeriod[] | null): SettlementMarker {
  const { recordType: _recordType, ...rest } = item;
  const marker = rest as unknown as SettlementMarker;
  if (typeof marker.settledThrough !== 'string') {
    // A legacy marker (sk "SETTLEMENT#LUMP_SUM"): it paid out what the record held when it was settled.
    marker.settledThrough = defaultSettledThrough(periods ?? [], marker.settledOn);
  }
  return marker;
}

/** Ascending by settledThrough (then settledOn): the last one is the latest settlement. */
function byThrough(a: SettlementMarker, b: SettlementMarker): number {
  return a.settledThrough < b.settledThrough ? -1 : a.settledThrough > b.settledThrough ? 1 : a.settledOn < b.settledOn ? -1 : a.settledOn > b.settledOn ? 1 : 0;
}

/** Every lump-sum settlement of a person, ascending by settledThrough; `periods` resolve legacy markers. */
export async function getSettlements(personalId: string, periods?: readonly StoredContributionPeriod[]): Promise<SettlementMarker[]> {
  const items = await queryPrefix(personalId, SETTLEMENT_RECORD_TYPE);
  const needsPeriods = items.some((i) => typeof i.settledThrough !== 'string');
  const known = periods ?? (needsPeriods ? await getContributionPeriods(personalId) : null);
  return items.map((i) => toMarker(i, known)).sort(byThrough);
}

/** The settlement of the record paid out through `settledThrough`, if any. */
export async function getSettlement(personalId: string, settledThrough: string): Promise<SettlementMarker | null> {
  const out = await dynamo().send(
    new GetCommand({
      TableName: config.insuranceRecordsTable(),
      Key: { personalId, recordType: settlementRecordType(settledThrough) },
      ConsistentRead: true,
    }),
  );
  return out.Item ? toMarker(out.Item, null) : null;
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
  return { ...marker, recordType: settlementRecordType(marker.settledThrough) };
}

/**
 * The exactly-once guard: the marker Put, only if this record (the person's months through settledThrough) has
 * no settlement yet. Concurrent claims for one record carry the same settledThrough, hence the same key.
 */
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

/** What the workflows load about a person: contribution periods, the last employer's status, the settlements. */
export interface ContributionRecord {
  periods: StoredContributionPeriod[];
  /**
   * The employer of the latest employer period, with its status; an employer with no status on record is taken
   * as not having closed the record (`known: false`), so nothing is confirmed on missing data.
   */
  lastEmployer: (EmployerStatus & { known: boolean }) | null;
  /** Every lump-sum settlement of the person, ascending by settledThrough (empty: never paid out). */
  settlements: SettlementMarker[];
  /** The latest of them (null: none); kept for executions started before settlements were per record. */
  settlement: SettlementMarker | null;
}

export async function loadContributionRecord(personalId: string): Promise<ContributionRecord> {
  const [periods, items] = await Promise.all([getContributionPeriods(personalId), queryPrefix(personalId, SETTLEMENT_RECORD_TYPE)]);
  const settlements = items.map((i) => toMarker(i, periods)).sort(byThrough);
  const last = lastEmployerPeriod(periods);
  let lastEmployer: ContributionRecord['lastEmployer'] = null;
  if (last) {
    const status = await getEmployerStatus(last.employerCode);
    lastEmployer = status
      ? { ...status, known: true }
      : { code: last.employerCode, name: last.employer, closed: false, owesContributions: false, known: false };
  }
  return { periods, lastEmployer, settlements, settlement: settlements.at(-1) ?? null };
}
