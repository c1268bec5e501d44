/**
 * The province's officer directory (danh bạ cán bộ): rows of the reviewItems table with itemId "STAFF#<province>",
 * sk the staff id, and the officer's display name as their identity says it (Cognito's `name` attribute in AWS,
 * local/devIdentities.ts locally), recorded when the officer signs in to the console (reviewConsole.ts whoAmI).
 *
 * Views put the name beside the staff id (queue rows, the item, the audit trail, the audit CSV). One Query of the
 * province's rows per request (a province has at most a few hundred officers: a few KB, a handful of read units);
 * an officer who never signed in keeps showing their id (name null).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../adapters/dynamo';
import { config } from '../shared/config';

export const officersKey = (provinceCode: string) => `STAFF#${provinceCode}`;

export type OfficerNames = ReadonlyMap<string, string>;

/** Every officer row of the province (all pages), with only `attributes` when given. */
export async function officerRows(provinceCode: string, attributes?: string[]): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  const projection = attributes
    ? { ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '), ExpressionAttributeNames: Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a])) }
    : {};
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await dynamo().send(
      new QueryCommand({
        TableName: config.reviewItemsTable(),
        KeyConditionExpression: 'itemId = :pk',
        ExpressionAttributeValues: { ':pk': officersKey(provinceCode) },
        ...projection,
        ExclusiveStartKey: startKey,
      }),
    );
    rows.push(...((out.Items as Record<string, unknown>[] | undefined) ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return rows;
}

/** Staff id → display name of every officer of the province who has signed in. */
export async function officerNames(provinceCode: string): Promise<OfficerNames> {
  const names = new Map<string, string>();
  for (const row of await officerRows(provinceCode, ['sk', 'name'])) {
    if (typeof row.name === 'string' && row.name.trim()) names.set(String(row.sk), row.name);
  }
  return names;
}

/** The name of `staffId`, or null (nobody, the system, or an officer who never signed in). */
export function nameOf(names: OfficerNames, staffId: string | null | undefined): string | null {
  return staffId ? names.get(staffId) ?? null : null;
}
