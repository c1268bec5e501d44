/**
 * The bench's exact DynamoDB capacity audit (bench/capacityAudit.ts) over DynamoDB Local, against units worked
 * out by hand from DynamoDB's rules (1 WRU per started KB, the larger of before/after, ×2 in a transaction,
 * GSI entries; 4 KB per RRU), and the invocation meter of functions/shared/logger.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../../functions/adapters/dynamo';
import { runInvocation } from '../../functions/shared/logger';
import { invocationMeter } from '../../functions/shared/invocationMeter';
import { installCapacityAudit, itemSize, nativeItemSize, type CapacityAudit } from '../../bench/capacityAudit';
import { useLocalTables } from '../support/tables';

describe('item size', () => {
  it('counts names, UTF-8 strings, numbers by significant digits, and the overhead of maps and lists', () => {
    expect(itemSize({ id: { S: 'abc' } })).toBe(2 + 3);
    expect(itemSize({ n: { N: '123.45' } })).toBe(1 + 4); // 5 significant digits → 3 + 1
    expect(itemSize({ n: { N: '3825360' } })).toBe(1 + 4); // trailing zero trimmed: 6 digits → 3 + 1
    expect(itemSize({ s: { S: 'Đạt' } })).toBe(1 + 6); // Đ ạ are 2 and 3 bytes
    expect(itemSize({ m: { M: { a: { BOOL: true } } } })).toBe(1 + 3 + 1 + 1 + 1);
    expect(itemSize({ l: { L: [{ S: 'x' }, { NULL: true }] } })).toBe(1 + 3 + (1 + 1) + (1 + 1));
  });

  it('gives the same size for the document client’s unmarshalled form', () => {
    expect(nativeItemSize({ id: 'abc', n: 123.45, s: 'Đạt', m: { a: true }, l: ['x', null], t: new Set(['ab', 'c']) })).toBe(
      itemSize({ id: { S: 'abc' }, n: { N: '123.45' }, s: { S: 'Đạt' }, m: { M: { a: { BOOL: true } } }, l: { L: [{ S: 'x' }, { NULL: true }] }, t: { SS: ['ab', 'c'] } }),
    );
  });
});

describe('capacity audit over DynamoDB Local', () => {
  let tables: Record<string, string>;
  let audit: CapacityAudit;
  beforeAll(async () => {
    tables = await useLocalTables('audit');
    audit = installCapacityAudit(dynamo().middlewareStack, process.env.AWS_ENDPOINT_URL_DYNAMODB!);
  });
  const fill = (bytes: number) => 'x'.repeat(bytes);

  it('a put of a 1,500-byte item costs 2 WRU; growing it to 2,100 bytes costs 3; a strongly consistent read 1 RRU', async () => {
    const table = tables.APPLICATIONS_TABLE;
    audit.reset();
    // applicationId (13 + 6) + data (4 + 1,477) = 1,500 bytes
    await dynamo().send(new PutCommand({ TableName: table, Item: { applicationId: 'A-0001', data: fill(1477) } }));
    expect(audit.snapshot().writeUnits).toBe(2);
    await dynamo().send(new UpdateCommand({ TableName: table, Key: { applicationId: 'A-0001' }, UpdateExpression: 'SET more = :m', ExpressionAttributeValues: { ':m': fill(596) } }));
    expect(audit.snapshot().writeUnits).toBe(2 + 3); // 1,500 + 4 + 596 = 2,100 bytes after
    await dynamo().send(new GetCommand({ TableName: table, Key: { applicationId: 'A-0001' }, ConsistentRead: true }));
    await dynamo().send(new GetCommand({ TableName: table, Key: { applicationId: 'A-0001' } }));
    expect(audit.snapshot().readUnits).toBe(1 + 0.5);
  });

  it('a transaction of two 600-byte puts and an update of a 1,500-byte item costs 2 × (1 + 1 + 2) WRU', async () => {
    const table = tables.APPLICATIONS_TABLE;
    await dynamo().send(new PutCommand({ TableName: table, Item: { applicationId: 'A-0002', data: fill(1477) } }));
    audit.reset();
    await dynamo().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table, Item: { applicationId: 'B-0001', data: fill(577) } } },
          { Put: { TableName: table, Item: { applicationId: 'B-0002', data: fill(577) } } },
          { Update: { TableName: table, Key: { applicationId: 'A-0002' }, UpdateExpression: 'SET flag = :t', ExpressionAttributeValues: { ':t': true } } },
        ],
      }),
    );
    const s = audit.snapshot();
    expect(s.writeUnits).toBe(8);
    expect(s.byTable[table].calls).toEqual({ TransactWriteItemsCommand: 1 });
  });

  it('a write that changes a GSI entry costs the index too; a sparse index without the key costs nothing', async () => {
    const table = tables.PAYMENTS_TABLE;
    audit.reset();
    // byReconciliationDay (ALL): the item is in it; byRefundDue is sparse (no refundDueProvince).
    await dynamo().send(new PutCommand({ TableName: table, Item: { pk: 'TXN#1', sk: 'TXN', reconciliationDay: '79#2026-11-22', receivedAt: '2026-11-22T02:00:00Z' } }));
    let s = audit.snapshot();
    expect(s.writeUnits).toBe(1 + 1);
    expect(s.byTable[table].indexWriteUnits).toBe(1);
    // Now also in byRefundDue: 1 (table) + 1 (update in byReconciliationDay: projected item changed) + 1 (new entry in byRefundDue).
    await dynamo().send(new UpdateCommand({ TableName: table, Key: { pk: 'TXN#1', sk: 'TXN' }, UpdateExpression: 'SET refundDueProvince = :p', ExpressionAttributeValues: { ':p': '79' } }));
    s = audit.snapshot();
    expect(s.writeUnits).toBe(2 + 3);
    expect(s.byTable[table].indexWriteUnits).toBe(1 + 2);
  });

  it('a failed conditional write still costs the existing item’s units, and is counted', async () => {
    const table = tables.APPLICATIONS_TABLE;
    audit.reset();
    await expect(
      dynamo().send(new PutCommand({ TableName: table, Item: { applicationId: 'A-0001', data: 'y' }, ConditionExpression: 'attribute_not_exists(applicationId)' })),
    ).rejects.toThrow();
    const s = audit.snapshot();
    expect(s.failedConditionalWrites).toBe(1);
    expect(s.writeUnits).toBe(3); // the existing 2,100-byte item
  });

  it('a query is billed on the items read, 4 KB per RRU, half when eventually consistent', async () => {
    const table = tables.INSURANCE_RECORDS_TABLE;
    for (const r of ['A', 'B', 'C']) {
      await dynamo().send(new PutCommand({ TableName: table, Item: { personalId: '079000000001', recordType: r, data: fill(1970) } }));
    }
    audit.reset();
    // 3 items of 12 + 12 + 10 + 1 + 4 + 1,970 = 2,009 bytes: 6,027 bytes → 2 × 4 KB → 1 RRU eventually consistent.
    await dynamo().send(new QueryCommand({ TableName: table, KeyConditionExpression: 'personalId = :p', ExpressionAttributeValues: { ':p': '079000000001' }, ProjectionExpression: 'recordType' }));
    expect(audit.snapshot().readUnits).toBe(1);
  });
});

describe('invocation meter', () => {
  it('counts invocations per function and their duration, errors apart, only once enabled', async () => {
    const context = { awsRequestId: 'r-1', functionName: 'BenchProbe' };
    await runInvocation(context, async () => 1);
    expect(invocationMeter.snapshot().BenchProbe).toBeUndefined();
    invocationMeter.enable();
    invocationMeter.reset();
    await runInvocation(context, async () => {
      const end = invocationMeter.beginWaitInCurrentInvocation();
      const end2 = invocationMeter.beginWaitInCurrentInvocation();
      await new Promise((r) => setTimeout(r, 5));
      end();
      end2();
      return 1;
    });
    await expect(runInvocation(context, async () => { throw new Error('no'); })).rejects.toThrow('no');
    const m = invocationMeter.snapshot().BenchProbe;
    expect(m).toMatchObject({ invocations: 2, errors: 1, waits: 2, waitRuns: 1 });
    expect(m.durationMs).toBeGreaterThanOrEqual(m.waitMs);
    expect(m.waitMs).toBeGreaterThan(0);
  });
});
