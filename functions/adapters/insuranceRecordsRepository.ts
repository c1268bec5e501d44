/**
 * insuranceRecords table, HEALTH_CARD records (pk personalId, sk recordType = "HEALTH_CARD"): BHXH's own record
 * of each participant's health-insurance card.
 *
 * - `getHealthCards` reads many cards at once (BatchGet, 100 keys per request, UnprocessedKeys retried with
 *   backoff, consistent reads so a renewal conditions on the latest expiry).
 * - `renewCardUpdate` builds ONE TransactWriteItems item (a Put) that writes the renewed card; the caller puts it
 *   in the same transaction as the application's completion. The Put is conditioned on what the caller read:
 *   `attribute_not_exists` when no card was on record, else `expiresOn = <expected>`, so a card changed by
 *   somebody else between the read and the write cancels the whole transaction instead of being overwritten.
 *
 * Social insurance number (mã số BHXH): an existing card keeps its number. A first enrolment has none yet: the
 * number is assigned by BHXH's number-assignment process (it is lifelong and unique nationally, so it is never
 * derived or invented here). Such records are written with `socialInsuranceNumber: null` and
 * `pendingNumberAssignment: true`. When read back, the domain type requires a string, so a pending card is
 * returned with `socialInsuranceNumber: ''` and `pendingNumberAssignment: true`.
 */
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from './dynamo';
import { config } from '../shared/config';
import { TransientError } from '../shared/errors';
import type { CoverageGroup, HealthInsuranceCard } from '../domain/types';

export const HEALTH_CARD_RECORD_TYPE = 'HEALTH_CARD';

/** DynamoDB BatchGetItem limit. */
const BATCH_GET_MAX_KEYS = 100;
const BATCH_GET_MAX_ATTEMPTS = 6;

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A card as read from the table; `pendingNumberAssignment` marks a first enrolment awaiting its number. */
export interface StoredHealthCard extends HealthInsuranceCard {
  pendingNumberAssignment?: boolean;
}

/** The stored item of a HEALTH_CARD record. */
export interface HealthCardItem {
  personalId: string;
  recordType: typeof HEALTH_CARD_RECORD_TYPE;
  socialInsuranceNumber: string | null;
  pendingNumberAssignment?: boolean;
  coverageGroup: CoverageGroup;
  validFrom: string;
  expiresOn: string;
  updatedAt?: string;
  /** Which application last renewed the card (audit). */
  renewedByApplicationId?: string;
}

function toCard(item: Record<string, unknown>): StoredHealthCard {
  const number = typeof item.socialInsuranceNumber === 'string' ? item.socialInsuranceNumber : '';
  const card: StoredHealthCard = {
    personalId: String(item.personalId),
    socialInsuranceNumber: number,
    coverageGroup: item.coverageGroup as CoverageGroup,
    validFrom: String(item.validFrom),
    expiresOn: String(item.expiresOn),
  };
  if (item.pendingNumberAssignment === true || number === '') card.pendingNumberAssignment = true;
  return card;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The records of one type (sk) of the given partition keys, keyed by partition key (missing ones are absent):
 * BatchGet, 100 keys per request, unprocessed keys retried with full-jitter backoff, consistent reads.
 * Throws TransientError when DynamoDB keeps returning unprocessed keys (throttling): the workflow retries it.
 */
export async function getRecordsOfType(keys: readonly string[], recordType: string): Promise<Map<string, Record<string, unknown>>> {
  const table = config.insuranceRecordsTable();
  const unique = [...new Set(keys)];
  const found = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < unique.length; i += BATCH_GET_MAX_KEYS) {
    let batch: Record<string, unknown>[] = unique.slice(i, i + BATCH_GET_MAX_KEYS).map((personalId) => ({ personalId, recordType }));
    for (let attempt = 1; batch.length > 0; attempt++) {
      if (attempt > BATCH_GET_MAX_ATTEMPTS) {
        throw new TransientError(`Insurance records not read after ${BATCH_GET_MAX_ATTEMPTS} attempts (unprocessed keys)`);
      }
      if (attempt > 1) await sleep(Math.random() * Math.min(1000, 50 * 2 ** attempt)); // full jitter
      const out = await dynamo().send(new BatchGetCommand({ RequestItems: { [table]: { Keys: batch, ConsistentRead: true } } }));
      for (const item of out.Responses?.[table] ?? []) found.set(String(item.personalId), item);
      batch = (out.UnprocessedKeys?.[table]?.Keys as Record<string, unknown>[] | undefined) ?? [];
    }
  }
  return found;
}

/** The HEALTH_CARD records of the given people, keyed by personal ID (people without a card are absent). */
export async function getHealthCards(personalIds: readonly string[]): Promise<Map<string, StoredHealthCard>> {
  const items = await getRecordsOfType(personalIds, HEALTH_CARD_RECORD_TYPE);
  return new Map([...items.values()].map((item) => [String(item.personalId), toCard(item)]));
}

export interface RenewCardOptions {
  /** Application doing the renewal (kept on the record for audit). */
  applicationId?: string;
  /** Instant of the write; default: not recorded. */
  at?: string;
}

/**
 * One TransactWriteItems item writing the renewed HOUSEHOLD card of `subject` (the card on record, or the
 * member when none is on record).
 *
 * @param expectedExpiresOn the expiry read before the transaction, or null when no card was on record: the Put
 *   only succeeds if the record is still exactly in that state.
 */
export function renewCardUpdate(
  subject: HealthInsuranceCard | StoredHealthCard | { personalId: string },
  validity: { validFrom: string; expiresOn: string },
  expectedExpiresOn: string | null,
  options: RenewCardOptions = {},
): TransactItem {
  const existingNumber =
    'socialInsuranceNumber' in subject && typeof subject.socialInsuranceNumber === 'string' && subject.socialInsuranceNumber !== ''
      ? subject.socialInsuranceNumber
      : null;
  const item: HealthCardItem = {
    personalId: subject.personalId,
    recordType: HEALTH_CARD_RECORD_TYPE,
    socialInsuranceNumber: existingNumber,
    coverageGroup: 'HOUSEHOLD',
    validFrom: validity.validFrom,
    expiresOn: validity.expiresOn,
  };
  if (existingNumber === null) item.pendingNumberAssignment = true;
  if (options.at) item.updatedAt = options.at;
  if (options.applicationId) item.renewedByApplicationId = options.applicationId;

  const condition =
    expectedExpiresOn === null
      ? {
          ConditionExpression: 'attribute_not_exists(personalId)',
        }
      : {
          ConditionExpression: 'attribute_exists(personalId) AND #expiresOn = :expectedExpiresOn',
          ExpressionAttributeNames: { '#expiresOn': 'expiresOn' },
          ExpressionAttributeValues: { ':expectedExpiresOn': expectedExpiresOn },
        };
  return {
    Put: {
      TableName: config.insuranceRecordsTable(),
      Item: item as unknown as Record<string, unknown>,
      ...condition,
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}
