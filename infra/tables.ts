/**
 * DynamoDB table shapes as plain data (no CDK import): the CDK stack creates them, the local runtime and the
 * tests create the same tables in DynamoDB Local. Attribute names here are the contract of the repositories.
 */
export interface TableShape {
  /** Logical name; the physical name comes from the env var. */
  logicalName: 'applications' | 'reviewItems' | 'insuranceRecords';
  envVar: 'APPLICATIONS_TABLE' | 'REVIEW_ITEMS_TABLE' | 'INSURANCE_RECORDS_TABLE';
  partitionKey: string;
  sortKey?: string;
  globalSecondaryIndexes: { indexName: string; partitionKey: string; sortKey?: string }[];
  /** Attribute holding an epoch-seconds expiry, if any. */
  timeToLiveAttribute?: string;
}

export const tableShapes: TableShape[] = [
  {
    // One item per application: pk `applicationId`.
    logicalName: 'applications',
    envVar: 'APPLICATIONS_TABLE',
    partitionKey: 'applicationId',
    globalSecondaryIndexes: [],
  },
  {
    // Review queue: item rows (sk "ITEM") and the append-only audit trail (sk "AUDIT#<iso>#<n>").
    // GSI byProvinceQueue: pk provinceCode, sk queueKey = "<status>#<dueAt>", only on ITEM rows.
    logicalName: 'reviewItems',
    envVar: 'REVIEW_ITEMS_TABLE',
    partitionKey: 'itemId',
    sortKey: 'sk',
    globalSecondaryIndexes: [{ indexName: 'byProvinceQueue', partitionKey: 'provinceCode', sortKey: 'queueKey' }],
  },
  {
    // BHXH's own insurance records per person: pk personalId, sk recordType ("HEALTH_CARD", later
    // "CONTRIBUTION#<from>", "SETTLEMENT" …).
    logicalName: 'insuranceRecords',
    envVar: 'INSURANCE_RECORDS_TABLE',
    partitionKey: 'personalId',
    sortKey: 'recordType',
    globalSecondaryIndexes: [],
  },
];
