/**
 * One DynamoDB index change per table per deploy (issue 13 item 6): a change of infra/tables.ts that would create
 * or delete more than one global secondary index of an existing table is refused, by this test and by the synth.
 */
import { describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import { tableShapes, type TableShape } from '../../infra/tables';
import { assertOneIndexChangePerTable, indexChangeProblems, indexChanges, indexesOf, readDeployedIndexes } from '../../infra/indexGuard';
import { addProvinceStacks } from '../../infra/app';

const withIndexes = (table: TableShape['logicalName'], change: (t: TableShape) => TableShape): TableShape[] =>
  tableShapes.map((t) => (t.logicalName === table ? change(structuredClone(t)) : t));

describe('index changes per deploy', () => {
  it('infra/tables.ts is at most one index change per table away from what is deployed (infra/deployedIndexes.json)', () => {
    expect(indexChangeProblems(indexChanges(readDeployedIndexes()))).toEqual([]);
  });

  it('one new index on a table passes; two on one table are refused, naming the table and the indexes', () => {
    const deployed = indexesOf(tableShapes);
    const one = withIndexes('payments', (t) => ({ ...t, globalSecondaryIndexes: [...t.globalSecondaryIndexes, { indexName: 'byApplication', partitionKey: 'applicationId', projection: 'KEYS_ONLY' }] }));
    expect(indexChangeProblems(indexChanges(deployed, one))).toEqual([]);
    const two = withIndexes('payments', (t) => ({
      ...t,
      globalSecondaryIndexes: [
        ...t.globalSecondaryIndexes,
        { indexName: 'byApplication', partitionKey: 'applicationId', projection: 'KEYS_ONLY' },
        { indexName: 'byHousehold', partitionKey: 'householdId', projection: 'KEYS_ONLY' },
      ],
    }));
    expect(indexChangeProblems(indexChanges(deployed, two))).toEqual([
      'table payments: this deploy would create byApplication, byHousehold — DynamoDB takes one index creation or deletion per table update; deploy them one at a time',
    ]);
    expect(() => assertOneIndexChangePerTable(deployed, two)).toThrow(/table payments/);
  });

  it('a changed key or projection is a deletion and a creation: refused alone; new indexes on two tables pass', () => {
    const deployed = indexesOf(tableShapes);
    const changed = withIndexes('reviewItems', (t) => ({
      ...t,
      globalSecondaryIndexes: t.globalSecondaryIndexes.map((g) => (g.indexName === 'byProvinceSearch' ? { ...g, projection: 'ALL' as const } : g)),
    }));
    expect(indexChanges(deployed, changed).find((c) => c.table === 'reviewItems')).toEqual({ table: 'reviewItems', created: ['byProvinceSearch'], deleted: ['byProvinceSearch'] });
    expect(indexChangeProblems(indexChanges(deployed, changed))).toHaveLength(1);
    const twoTables = withIndexes('applications', (t) => ({ ...t, globalSecondaryIndexes: [{ indexName: 'byConsumer', partitionKey: 'consumerId', projection: 'KEYS_ONLY' }] })).map((t) =>
      t.logicalName === 'insuranceRecords' ? { ...t, globalSecondaryIndexes: [{ indexName: 'byHousehold', partitionKey: 'householdId', projection: 'KEYS_ONLY' as const }] } : t,
    );
    expect(indexChangeProblems(indexChanges(deployed, twoTables))).toEqual([]);
  });

  it('the synth checks it too (the committed shapes pass)', () => {
    expect(() => addProvinceStacks(new App({ context: { province: '79', 'aws:cdk:bundling-stacks': [] } }))).not.toThrow();
  });
});
