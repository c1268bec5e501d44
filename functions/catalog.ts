/**
 * The one list of Lambda functions, workflows and HTTP routes. CDK builds the stack from it; the local runtime
 * binds the ASL Task states and the local HTTP server from it; tests use it. Adding a function or a route here
 * is all it takes for both to know about it.
 */

export type TableName = 'applications' | 'reviewItems' | 'insuranceRecords' | 'payments';
/** 'describe': only DescribeTable (the health check: no item is read or written). */
export type TableAccess = 'describe' | 'read' | 'readWrite';

export interface FunctionSpec {
  /** Module path from the repository root; the module exports `handler`. */
  entry: string;
  /** ASL placeholder the function's ARN is substituted for (`${...}`), for workflow steps. */
  placeholder?: string;
  tables: Partial<Record<TableName, TableAccess>>;
  /** Needs the population registry (URL, timeouts). */
  usesRegistry?: boolean;
  /** Step Functions actions this function calls on the workflows of this stack. */
  stepFunctions?: ('StartExecution' | 'SendTaskSuccess' | 'SendTaskFailure' | 'DescribeExecution' | 'DescribeStateMachine')[];
  timeoutSeconds?: number;
  memoryMb?: number;
  /**
   * Population registry attempts per invocation (POPULATION_REGISTRY_MAX_ATTEMPTS; the adapter's default is 3).
   * 1 for workflow steps: the workflow's Retry waits between attempts, not a Lambda.
   */
  registryAttempts?: number;
  /** Per-attempt timeout of the population registry in this function (POPULATION_REGISTRY_TIMEOUT_MS; default 2000). */
  registryTimeoutMs?: number;
  /**
   * Reserved concurrency per province stack (docs/capacity.md): the most instances that may run at once, also
   * set aside for it from the account's pool, so that a slow registry holds at most this many and the payment
   * callback and the staff API keep the rest. `default` for every province, `byProvince` (code → value) for
   * the larger ones. The sum over the provinces of one account must leave the account ≥ 100 unreserved.
   */
  reservedConcurrency?: { default: number; byProvince?: Record<string, number> };
  /** Reads the review search's HMAC key (SEARCH_KEY_SECRET_ARN): writes or looks up personal-ID search keys. */
  searchKey?: boolean;
}

/** Lambda functions invoked by workflow Task states. */
export const stepFunctionSpecs = {
  RunIdentityCheck: {
    entry: 'functions/steps/runIdentityCheck.ts',
    placeholder: 'RunIdentityCheckFunctionArn',
    // reviewItems: the registry circuit breaker's item (REGISTRY#BREAKER)
    tables: { applications: 'readWrite', reviewItems: 'readWrite' },
    usesRegistry: true,
    // One registry attempt of ≤ 1.5 s per invocation: the workflow's Retry waits between attempts, not a Lambda.
    // 5 s covers that attempt and the VERIFYING write with the SDK's retries (docs/capacity.md, "Bounded
    // concurrency"): a slow registry holds a Lambda ≈ 1.5 s per attempt instead of ≈ 6.5 s.
    registryAttempts: 1,
    registryTimeoutMs: 1500,
    timeoutSeconds: 5,
    // ≈ 2.6 × the stack's peak applications/s (2 checks × ≤ 1.5 s, rounded down): HCM 95/s, Hà Nội 57/s; 40 for
    // every other province (≤ 18/s), so a group account of ≤ 9 provinces reserves ≤ 360 for identity checks.
    reservedConcurrency: { default: 40, byProvince: { '79': 250, '01': 150 } },
  },
  // Every service's Standard workflow, while the registry is unreachable: the back-off and WAITING_FOR_REGISTRY.
  PlanRegistryRetry: {
    entry: 'functions/steps/planRegistryRetry.ts',
    placeholder: 'PlanRegistryRetryFunctionArn',
    tables: { applications: 'readWrite' },
  },
  PlanReviewWindow: {
    entry: 'functions/steps/planReviewWindow.ts',
    placeholder: 'PlanReviewWindowFunctionArn',
    // the target and deadline of a review in the province's working time: config data only
    tables: {},
  },
  OpenReviewItem: {
    entry: 'functions/steps/openReviewItem.ts',
    placeholder: 'OpenReviewItemFunctionArn',
    tables: { applications: 'readWrite', reviewItems: 'readWrite' },
    // writes the item's search keys (the personal ID's keyed hash) with it
    searchKey: true,
  },
  ClassifyHouseholdMembers: {
    entry: 'functions/steps/classifyHouseholdMembers.ts',
    placeholder: 'ClassifyHouseholdMembersFunctionArn',
    tables: { insuranceRecords: 'read' },
  },
  PriceHouseholdRenewal: {
    entry: 'functions/steps/priceHouseholdRenewal.ts',
    placeholder: 'PriceHouseholdRenewalFunctionArn',
    tables: {},
  },
  AwaitHouseholdPayment: {
    entry: 'functions/steps/awaitHouseholdPayment.ts',
    placeholder: 'AwaitHouseholdPaymentFunctionArn',
    // the payment request (payments) and the household renewal hold (insuranceRecords)
    tables: { applications: 'readWrite', payments: 'readWrite', insuranceRecords: 'readWrite' },
  },
  RecordOutcome: {
    entry: 'functions/steps/recordOutcome.ts',
    placeholder: 'RecordOutcomeFunctionArn',
    // closes the application's open review item when the review deadline passes; closes an unpaid payment
    // request and releases the household renewal hold
    tables: { applications: 'readWrite', reviewItems: 'readWrite', payments: 'readWrite', insuranceRecords: 'readWrite' },
  },
  // Unemployment-insurance contribution history and lump-sum withdrawal (issue 3).
  LoadContributionHistory: {
    entry: 'functions/steps/loadContributionHistory.ts',
    placeholder: 'LoadContributionHistoryFunctionArn',
    tables: { insuranceRecords: 'read' },
  },
  CheckLastEmployer: {
    entry: 'functions/steps/checkLastEmployer.ts',
    placeholder: 'CheckLastEmployerFunctionArn',
    tables: {},
  },
  ComputeUnemploymentHistory: {
    entry: 'functions/steps/computeUnemploymentHistory.ts',
    placeholder: 'ComputeUnemploymentHistoryFunctionArn',
    tables: {},
  },
  RecordUnemploymentHistory: {
    entry: 'functions/steps/recordUnemploymentHistory.ts',
    placeholder: 'RecordUnemploymentHistoryFunctionArn',
    tables: { applications: 'readWrite' },
  },
  CheckLumpSumEligibility: {
    entry: 'functions/steps/checkLumpSumEligibility.ts',
    placeholder: 'CheckLumpSumEligibilityFunctionArn',
    tables: {},
  },
  ComputeLumpSumAmount: {
    entry: 'functions/steps/computeLumpSumAmount.ts',
    placeholder: 'ComputeLumpSumAmountFunctionArn',
    // records WAITING_FOR_RULE_DATA / the precise failure while the year's coefficient table is not deployed
    tables: { applications: 'readWrite' },
  },
  SettleLumpSum: {
    entry: 'functions/steps/settleLumpSum.ts',
    placeholder: 'SettleLumpSumFunctionArn',
    // ALREADY_SETTLED is recorded by the step through the shared outcome service (recordOutcome's tables)
    tables: { applications: 'readWrite', insuranceRecords: 'readWrite', reviewItems: 'readWrite', payments: 'readWrite' },
  },
} satisfies Record<string, FunctionSpec>;

/** Lambda functions behind the HTTP API (API Gateway REST API in AWS; the local HTTP server locally). */
export const apiFunctionSpecs = {
  HouseholdRenewalsApi: {
    entry: 'functions/api/householdRenewals.ts',
    tables: { applications: 'readWrite', insuranceRecords: 'read' },
    usesRegistry: true,
    stepFunctions: ['StartExecution'],
    timeoutSeconds: 29,
  },
  UnemploymentHistoryRequestsApi: {
    entry: 'functions/api/unemploymentHistoryRequests.ts',
    tables: { applications: 'readWrite' },
    stepFunctions: ['StartExecution'],
  },
  LumpSumClaimsApi: {
    entry: 'functions/api/lumpSumClaims.ts',
    tables: { applications: 'readWrite' },
    stepFunctions: ['StartExecution'],
  },
  ApplicationsApi: {
    entry: 'functions/api/applications.ts',
    // payments: a household renewal's quote and deadline live in its payment request
    tables: { applications: 'read', payments: 'read' },
  },
  PaymentCallbacksApi: {
    entry: 'functions/api/paymentCallbacks.ts',
    tables: { applications: 'readWrite', payments: 'readWrite', insuranceRecords: 'readWrite' },
    // resumes the paid application's wait; fails the waits of the renewals it supersedes
    stepFunctions: ['SendTaskSuccess', 'SendTaskFailure'],
    // Always has capacity, whatever else runs in the account (peak HCM ≈ 95 callbacks/s × ≈ 0.2 s ≈ 19).
    reservedConcurrency: { default: 10, byProvince: { '79': 50, '01': 30 } },
  },
  ReviewItemsApi: {
    entry: 'functions/api/reviewItems.ts',
    tables: { applications: 'readWrite', reviewItems: 'readWrite' },
    stepFunctions: ['SendTaskSuccess'],
    // GET /v1/review-items?q=: a personal ID is looked up by its keyed hash
    searchKey: true,
    // The staff API keeps capacity when a slow registry fills the identity checks' share.
    reservedConcurrency: { default: 5, byProvince: { '79': 20, '01': 12 } },
  },
  ReviewConsoleApi: {
    entry: 'functions/api/reviewConsole.ts',
    // payments: refunds due and the reconciliation CSV (supervisors)
    tables: { applications: 'read', reviewItems: 'readWrite', payments: 'read' },
    timeoutSeconds: 29,
    reservedConcurrency: { default: 5, byProvince: { '79': 20, '01': 12 } },
  },
  // GET /v1/review-items/{itemId}/context: the item's escalation, its application's timeline and every amount
  // computed so far with its explanation. Apart from ReviewConsoleApi so that the explanation texts (≈ 22 KB)
  // are only in the bundle that shows them (issue 10: bundles ≤ 400 KB).
  ReviewItemContextApi: {
    entry: 'functions/api/reviewItemContext.ts',
    tables: { applications: 'read', reviewItems: 'read', payments: 'read' },
  },
  // Supervisors' registry re-check of REGISTRY_UNAVAILABLE items (issue 12): the identity check through the breaker,
  // the approval transaction and SendTaskSuccess; its own function (ReviewConsoleApi's bundle is at its limit).
  RegistryRecheckApi: {
    entry: 'functions/api/registryRecheck.ts',
    tables: { applications: 'readWrite', reviewItems: 'readWrite' },
    usesRegistry: true,
    stepFunctions: ['SendTaskSuccess'],
    registryAttempts: 1,
    registryTimeoutMs: 1500,
    timeoutSeconds: 29,
  },
  // GET /v1/health (issue 9): DescribeTable of every table, DescribeStateMachine of the service workflows and one
  // cheap request to the population registry. No item is read; the registry being down is "degraded", not down.
  HealthApi: {
    entry: 'functions/api/health.ts',
    tables: { applications: 'describe', reviewItems: 'describe', insuranceRecords: 'describe', payments: 'describe' },
    usesRegistry: true,
    stepFunctions: ['DescribeStateMachine'],
    memoryMb: 256,
  },
  // GET /v1/openapi.json (issue 11): the committed OpenAPI document, bundled as data.
  OpenApiDocumentApi: {
    entry: 'functions/api/openapi.ts',
    tables: {},
  },
} satisfies Record<string, FunctionSpec>;

/** Functions run on a schedule (EventBridge in AWS; an interval timer locally). */
export const scheduledFunctionSpecs = {
  ResumeSweeper: {
    entry: 'functions/steps/resumeSweeper.ts',
    tables: { applications: 'readWrite', reviewItems: 'readWrite' },
    stepFunctions: ['SendTaskSuccess'],
    rateMinutes: 1,
  },
  EscalateOverdueReviews: {
    entry: 'functions/steps/escalateOverdueReviews.ts',
    tables: { reviewItems: 'readWrite' },
    rateMinutes: 5,
  },
} satisfies Record<string, FunctionSpec & { rateMinutes: number }>;

/** An EventBridge rule (AWS) / an engine subscription (local) that invokes an event function. */
export interface EventRuleSpec {
  description: string;
  source: string[];
  detailType: string[];
  /** `detail.status` values that match. */
  statuses: string[];
  /** `detail.stateMachineArn` must be one of these workflows' state machines. */
  workflows: WorkflowName[];
}

/**
 * Functions invoked by an EventBridge rule (in AWS, with retries and a dead-letter queue; locally the Step
 * Functions engine emits the same events and the runtime delivers the matching ones asynchronously).
 */
export const eventFunctionSpecs = {
  // No application without an outcome: executions that ended FAILED / TIMED_OUT / ABORTED (issue 8).
  ExecutionEnded: {
    entry: 'functions/events/executionEnded.ts',
    tables: { applications: 'readWrite', reviewItems: 'readWrite' },
    rule: {
      description: 'A service workflow execution ended without a recorded outcome: its application ends FAILED',
      source: ['aws.states'],
      detailType: ['Step Functions Execution Status Change'],
      statuses: ['FAILED', 'TIMED_OUT', 'ABORTED'],
      // The nested IdentityVerification is left out: its parent's Catch handles its end.
      workflows: ['HouseholdRenewal', 'UnemploymentHistory', 'LumpSumWithdrawal'],
    },
  },
} satisfies Record<string, FunctionSpec & { rule: EventRuleSpec }>;

/**
 * Status-change webhooks (issue 11; infra/constructs/notifications.ts): the applications table's stream →
 * NotifyStatusChange → an SQS queue (delays = the back-off) → DeliverWebhook → the consumer's URL.
 */
export const notificationFunctionSpecs = {
  NotifyStatusChange: {
    entry: 'functions/events/notifyStatusChange.ts',
    // the stream image is the application; a household renewal's quote and deadline are in its payment request
    tables: { payments: 'read' },
  },
  DeliverWebhook: {
    entry: 'functions/events/deliverWebhook.ts',
    // dead letters: `WEBHOOK_DEAD_LETTER#<province>` items
    tables: { reviewItems: 'readWrite' },
    // one attempt: ≤ 5 s HTTP timeout (WEBHOOK_TIMEOUT_MS) and the queue write
    timeoutSeconds: 15,
    memoryMb: 256,
    // (at most 5 instances at once: the SQS event source's maximumConcurrency, not reserved concurrency)
  },
} satisfies Record<string, FunctionSpec>;

export type StepFunctionName = keyof typeof stepFunctionSpecs;
export type ApiFunctionName = keyof typeof apiFunctionSpecs;

/**
 * Who may call a route: a consumer (portal, VssID, …: an OAuth2 client-credentials access token of the
 * province's Cognito user pool carrying one of the route's `scopes`), staff (a Cognito ID token), the payment
 * gateway (HMAC-signed body, no bearer token), or anyone ('public': no credentials at all, no authorizer, no API
 * key, its own method throttling; only the health check and the OpenAPI document, which name parts, statuses, routes
 * and shapes, and nothing else).
 */
export type RouteAuth = 'consumer' | 'staff' | 'paymentGateway' | 'public';

/** The resource server of the consumer scopes (Cognito: `<identifier>/<scope>`). */
export const CONSUMER_RESOURCE_SERVER = 'bhxh-eservices';

/** One OAuth scope per public service; a consumer's app client is allowed only the services it offers. */
export const consumerScopes = {
  HOUSEHOLD_RENEWAL: `${CONSUMER_RESOURCE_SERVER}/household-renewal`,
  UNEMPLOYMENT_HISTORY: `${CONSUMER_RESOURCE_SERVER}/unemployment-history`,
  LUMP_SUM_WITHDRAWAL: `${CONSUMER_RESOURCE_SERVER}/lump-sum`,
} as const;

export type ConsumerScope = (typeof consumerScopes)[keyof typeof consumerScopes];
/** Any service scope: reading one's own applications (GET /v1/applications/{id}). */
export const ANY_SERVICE_SCOPE: ConsumerScope[] = Object.values(consumerScopes);

export interface RouteSpec {
  method: 'GET' | 'POST';
  /** API Gateway resource path with {params}. */
  path: string;
  fn: ApiFunctionName;
  auth: RouteAuth;
  /** auth 'consumer': the token must carry at least one of these scopes (API Gateway `authorizationScopes`). */
  scopes?: ConsumerScope[];
}

export const routes: RouteSpec[] = [
  // Load balancers and the portal's monitor: 200 ok / degraded, 503 naming the part that is down (functions/api/health.ts).
  { method: 'GET', path: '/v1/health', fn: 'HealthApi', auth: 'public' },
  // The integrator's contract (OpenAPI 3.1): routes and shapes, no data.
  { method: 'GET', path: '/v1/openapi.json', fn: 'OpenApiDocumentApi', auth: 'public' },
  { method: 'POST', path: '/v1/household-renewals/quote', fn: 'HouseholdRenewalsApi', auth: 'consumer', scopes: [consumerScopes.HOUSEHOLD_RENEWAL] },
  { method: 'POST', path: '/v1/household-renewals', fn: 'HouseholdRenewalsApi', auth: 'consumer', scopes: [consumerScopes.HOUSEHOLD_RENEWAL] },
  { method: 'POST', path: '/v1/unemployment-history-requests', fn: 'UnemploymentHistoryRequestsApi', auth: 'consumer', scopes: [consumerScopes.UNEMPLOYMENT_HISTORY] },
  { method: 'POST', path: '/v1/lump-sum-claims', fn: 'LumpSumClaimsApi', auth: 'consumer', scopes: [consumerScopes.LUMP_SUM_WITHDRAWAL] },
  // Any service scope reads the consumer's own applications (another consumer's → 404).
  { method: 'GET', path: '/v1/applications/{applicationId}', fn: 'ApplicationsApi', auth: 'consumer', scopes: ANY_SERVICE_SCOPE },
  { method: 'POST', path: '/v1/payment-callbacks', fn: 'PaymentCallbacksApi', auth: 'paymentGateway' },
  { method: 'GET', path: '/v1/review-items', fn: 'ReviewItemsApi', auth: 'staff' },
  { method: 'GET', path: '/v1/review-items/{itemId}', fn: 'ReviewItemsApi', auth: 'staff' },
  { method: 'POST', path: '/v1/review-items/{itemId}/claim', fn: 'ReviewItemsApi', auth: 'staff' },
  { method: 'POST', path: '/v1/review-items/{itemId}/resolve', fn: 'ReviewItemsApi', auth: 'staff' },
  { method: 'POST', path: '/v1/review-items/recheck-registry', fn: 'RegistryRecheckApi', auth: 'staff' },
  { method: 'POST', path: '/v1/review-items/{itemId}/recheck-registry', fn: 'RegistryRecheckApi', auth: 'staff' },
  { method: 'GET', path: '/v1/staff/me', fn: 'ReviewConsoleApi', auth: 'staff' },
  { method: 'GET', path: '/v1/staff/officers', fn: 'ReviewConsoleApi', auth: 'staff' },
  { method: 'GET', path: '/v1/review-queue', fn: 'ReviewConsoleApi', auth: 'staff' },
  { method: 'GET', path: '/v1/review-stats', fn: 'ReviewConsoleApi', auth: 'staff' },
  { method: 'GET', path: '/v1/review-notices', fn: 'ReviewConsoleApi', auth: 'staff' },
  { method: 'GET', path: '/v1/review-audit.csv', fn: 'ReviewConsoleApi', auth: 'staff' },
  { method: 'GET', path: '/v1/refunds-due', fn: 'ReviewConsoleApi', auth: 'staff' },
  { method: 'GET', path: '/v1/payments-reconciliation.csv', fn: 'ReviewConsoleApi', auth: 'staff' },
  { method: 'GET', path: '/v1/review-items/{itemId}/context', fn: 'ReviewItemContextApi', auth: 'staff' },
  { method: 'GET', path: '/v1/review-items/{itemId}/audit', fn: 'ReviewConsoleApi', auth: 'staff' },
  { method: 'POST', path: '/v1/review-items/{itemId}/release', fn: 'ReviewConsoleApi', auth: 'staff' },
  { method: 'POST', path: '/v1/review-items/{itemId}/reassign', fn: 'ReviewConsoleApi', auth: 'staff' },
  { method: 'POST', path: '/v1/review-items/{itemId}/reveal', fn: 'ReviewConsoleApi', auth: 'staff' },
];

/**
 * Workflows: one ASL file each. Placeholders other than function ARNs are listed here. `type`: STANDARD where
 * the workflow waits (review, payment, rule data) or must run exactly once; EXPRESS for the synchronous parts,
 * started with `startExecution.sync:2` from a Standard parent (priced per request and duration, not per state).
 */
export type WorkflowType = 'STANDARD' | 'EXPRESS';

export const workflowSpecs = {
  // The synchronous parts (Express): started and awaited by their service's Standard workflow.
  HouseholdRenewalPrepare: {
    file: 'workflows/household-renewal-prepare.asl.json',
    placeholder: 'HouseholdRenewalPrepareStateMachineArn',
    type: 'EXPRESS',
  },
  UnemploymentHistoryPrepare: {
    file: 'workflows/unemployment-history-prepare.asl.json',
    placeholder: 'UnemploymentHistoryPrepareStateMachineArn',
    type: 'EXPRESS',
  },
  LumpSumWithdrawalPrepare: {
    file: 'workflows/lump-sum-withdrawal-prepare.asl.json',
    placeholder: 'LumpSumWithdrawalPrepareStateMachineArn',
    type: 'EXPRESS',
  },
  // The review of an identity check that did not pass (shared by every service): waits for staff.
  IdentityVerification: {
    file: 'workflows/identity-verification.asl.json',
    placeholder: 'IdentityVerificationStateMachineArn',
    type: 'STANDARD',
  },
  HouseholdRenewal: {
    file: 'workflows/household-renewal.asl.json',
    placeholder: 'HouseholdRenewalStateMachineArn',
    type: 'STANDARD',
    /** Environment variable that carries this machine's ARN to the API functions. */
    arnEnv: 'HOUSEHOLD_RENEWAL_STATE_MACHINE_ARN',
  },
  UnemploymentHistory: {
    file: 'workflows/unemployment-history.asl.json',
    placeholder: 'UnemploymentHistoryStateMachineArn',
    type: 'STANDARD',
    arnEnv: 'UNEMPLOYMENT_HISTORY_STATE_MACHINE_ARN',
  },
  LumpSumWithdrawal: {
    file: 'workflows/lump-sum-withdrawal.asl.json',
    placeholder: 'LumpSumWithdrawalStateMachineArn',
    type: 'STANDARD',
    arnEnv: 'LUMP_SUM_WITHDRAWAL_STATE_MACHINE_ARN',
  },
} as const satisfies Record<string, { file: string; placeholder: string; type: WorkflowType; arnEnv?: string }>;

export type WorkflowName = keyof typeof workflowSpecs;
