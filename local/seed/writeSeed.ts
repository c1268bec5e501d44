/**
 * Writes a seed's BHXH-side records into the local tables: health-insurance cards, contribution periods,
 * employers' status and lump-sum settlements (insuranceRecords; item shapes from the repositories).
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../../functions/adapters/dynamo';
import {
  contributionPeriodItem,
  employerStatusItem,
  settlementMarkerItem,
} from '../../functions/adapters/contributionRecordsRepository';
import { config } from '../../functions/shared/config';
import { resolvedSettlements, type Seed } from './seedFormat';

async function batchPut(table: string, items: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let requests: Record<string, unknown>[] | undefined = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests && requests.length > 0; attempt++) {
      if (attempt > 8) throw new Error('Seed write did not complete (unprocessed items)');
      const out = await dynamo().send(new BatchWriteCommand({ RequestItems: { [table]: requests as never } }));
      requests = out.UnprocessedItems?.[table] as Record<string, unknown>[] | undefined;
    }
  }
}

export async function writeSeedToTables(seed: Seed): Promise<void> {
  const { healthCards, contributionPeriods, employers } = seed.insurance;
  await batchPut(config.insuranceRecordsTable(), [
    ...healthCards.map((card) => ({ ...card, recordType: 'HEALTH_CARD' })),
    ...contributionPeriods.map(({ personalId, ...period }) => contributionPeriodItem(personalId, period)),
    ...employers.map((employer) => employerStatusItem(employer)),
    // settledThrough defaults to the person's last contribution month on or before settledOn (seedFormat.ts).
    ...resolvedSettlements(seed.insurance).map((s) =>
      settlementMarkerItem({
        personalId: s.personalId,
        applicationId: s.applicationId ?? `LEGACY-${s.paymentOrderId}`,
        paymentOrderId: s.paymentOrderId,
        amount: s.amount,
        settledOn: s.settledOn,
        settledThrough: s.settledThrough,
      }),
    ),
  ]);
}
