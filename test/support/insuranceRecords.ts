/** A person's rows in insuranceRecords, read from the table (consistent), sorted by kind: what tests assert on. */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../../functions/adapters/dynamo';

export async function insuranceRecordsOf(tableName: string, personalId: string) {
  const out = await dynamo().send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'personalId = :p',
      ExpressionAttributeValues: { ':p': personalId },
      ConsistentRead: true,
    }),
  );
  const items = out.Items ?? [];
  return {
    /** Lump-sum settlement markers (SETTLEMENT#LUMP_SUM#<settledThrough>). */
    markers: items.filter((i) => String(i.recordType).startsWith('SETTLEMENT#')),
    orders: items.filter((i) => String(i.recordType).startsWith('PAYMENT_ORDER#')),
    other: items.filter((i) => !/^(SETTLEMENT|PAYMENT_ORDER|CONTRIBUTION)#/.test(String(i.recordType))),
  };
}
