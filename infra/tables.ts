/**
 * DynamoDB table shapes as plain data (no CDK import): the CDK stack creates them, the local runtime and the
 * tests create the same tables in DynamoDB Local. Attribute names here are the contract of the repositories.
 */
export interface TableShape {
  /** Logical name; the physical name comes from the env var. */
  logicalName: 'applications' | 'reviewItems' | 'insuranceRecords' | 'payments';
  envVar: 'APPLICATIONS_TABLE' | 'REVIEW_ITEMS_TABLE' | 'INSURANCE_RECORDS_TABLE' | 'PAYMENTS_TABLE';
  partitionKey: string;
  sortKey?: string;
  globalSecondaryIndexes: GsiShape[];
  /** Attribute holding an epoch-seconds expiry, if any. */
  timeToLiveAttribute?: string;
  /** A DynamoDB stream of the item changes (applications: the status-change webhooks, infra/constructs/notifications.ts). */
  stream?: 'NEW_AND_OLD_IMAGES';
}

export interface GsiShape {
  indexName: string;
  partitionKey: string;
  sortKey?: string;
  /**
   * Attributes copied into the index besides the keys: 'ALL', 'KEYS_ONLY', or the list of non-key attributes
   * (INCLUDE). Indexes never copy what they do not need, above all no task token and no personal data.
   */
  projection: 'ALL' | 'KEYS_ONLY' | readonly string[];
}

/** What a queue row needs (no personal data, no task token): the byProvinceQueue projection. */
export const REVIEW_QUEUE_PROJECTION = [
  'status', 'service', 'applicationId', 'reasonCode', 'checkKind', 'subjectRole', 'createdAt', 'dueAt',
  'escalateAt', 'claimedBy', 'claimedAt', 'decidedBy', 'decidedAt', 'expiredAt', 'escalated', 'escalatedAt', 'resume', 'version',
] as const;

export const tableShapes: TableShape[] = [
  {
    // One item per application: pk `applicationId`.
    logicalName: 'applications',
    envVar: 'APPLICATIONS_TABLE',
    partitionKey: 'applicationId',
    globalSecondaryIndexes: [],
    stream: 'NEW_AND_OLD_IMAGES',
  },
  {
    // Review queue: item rows (sk "ITEM"), the append-only audit trail (sk "AUDIT#<iso>#<n>") and the officers
    // who used the console (itemId "STAFF#<province>", sk staffId).
    //   byProvinceQueue       pk provinceCode, sk queueKey = "<status>#…", ITEM rows only: the queue, by deadline
    //   byProvinceEscalation  pk provinceCode, sk escalationDueAt: sparse, only active items not yet escalated
    //   byAuditDay            pk auditDay = "<province>#<Vietnam date>", sk sk: AUDIT rows, for the CSV export
    //   byProvinceSearch      pk searchProvince, sk searchKey: the search-key rows (sk "SEARCH#<key>", written with
    //                         their item): "APP#<applicationId>", "PID#<HMAC of the personal ID>", "NAME#<word>";
    //                         keys only (reviewQueue/reviewSearch.ts)
    logicalName: 'reviewItems',
    envVar: 'REVIEW_ITEMS_TABLE',
    partitionKey: 'itemId',
    sortKey: 'sk',
    globalSecondaryIndexes: [
      { indexName: 'byProvinceQueue', partitionKey: 'provinceCode', sortKey: 'queueKey', projection: REVIEW_QUEUE_PROJECTION },
      { indexName: 'byProvinceEscalation', partitionKey: 'provinceCode', sortKey: 'escalationDueAt', projection: 'KEYS_ONLY' },
      { indexName: 'byAuditDay', partitionKey: 'auditDay', sortKey: 'sk', projection: 'ALL' },
      { indexName: 'byProvinceSearch', partitionKey: 'searchProvince', sortKey: 'searchKey', projection: 'KEYS_ONLY' },
    ],
  },
  {
    // BHXH's own insurance records per person: pk personalId, sk recordType ("HEALTH_CARD", later
    // "CONTRIBUTION#<from>", "SETTLEMENT" …), and the renewal holds: pk "HOUSEHOLD#<householdId>" or a personal
    // ID, sk "RENEWAL_HOLD" (one household renewal at a time).
    logicalName: 'insuranceRecords',
    envVar: 'INSURANCE_RECORDS_TABLE',
    partitionKey: 'personalId',
    sortKey: 'recordType',
    globalSecondaryIndexes: [],
  },
  {
    // Payments of this province (functions/adapters/paymentsRepository.ts):
    //   payment requests   pk "REQUEST#<paymentRequestId>", sk "REQUEST"  (OPEN → PAID | CLOSED)
    //   gateway txns       pk "TXN#<gatewayReference>", sk "TXN": one per gateway reference (attribute_not_exists),
    //                      with the outcome APPLIED | REFUND_DUE
    //   byReconciliationDay  pk reconciliationDay = "<province>#<Vietnam date received>", sk receivedAt: the CSV
    //   byRefundDue          pk refundDueProvince (only while a refund is due: sparse), sk receivedAt
    logicalName: 'payments',
    envVar: 'PAYMENTS_TABLE',
    partitionKey: 'pk',
    sortKey: 'sk',
    globalSecondaryIndexes: [
      { indexName: 'byReconciliationDay', partitionKey: 'reconciliationDay', sortKey: 'receivedAt', projection: 'ALL' },
      { indexName: 'byRefundDue', partitionKey: 'refundDueProvince', sortKey: 'receivedAt', projection: 'ALL' },
    ],
  },
];
