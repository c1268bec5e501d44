import { describe, expect, it } from 'vitest';
import { PutCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { useLocalTables } from '../support/tables';
import { dynamo } from '../../functions/adapters/dynamo';

describe('DynamoDB Local test tables', () => {
  it('creates the tables of infra/tables.ts and round-trips an item', async () => {
    const names = await useLocalTables('smoke');
    await dynamo().send(new PutCommand({ TableName: names.APPLICATIONS_TABLE, Item: { applicationId: 'A1', status: 'RECEIVED' } }));
    const got = await dynamo().send(new GetCommand({ TableName: names.APPLICATIONS_TABLE, Key: { applicationId: 'A1' } }));
    expect(got.Item).toEqual({ applicationId: 'A1', status: 'RECEIVED' });
  });
});
