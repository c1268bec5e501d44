/**
 * Runtime configuration, read from the environment at call time (so tests and the local runtime can set it).
 * The CDK stack and the local runtime set the same variables; the AWS SDK itself reads
 * AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SFN, so no handler knows whether it runs locally.
 */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
}

/** A number from the environment (a module's own settings use it too, so that only its bundle carries them). */
export function numberOr(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`Environment variable ${name} is not a number: ${raw}`);
  return n;
}

export const config = {
  /** Two-digit province code of this stack (Decision 19/2025/QĐ-TTg), e.g. "79". */
  provinceCode: () => required('PROVINCE_CODE'),
  applicationsTable: () => required('APPLICATIONS_TABLE'),
  reviewItemsTable: () => required('REVIEW_ITEMS_TABLE'),
  insuranceRecordsTable: () => required('INSURANCE_RECORDS_TABLE'),
  paymentsTable: () => required('PAYMENTS_TABLE'),
  householdRenewalStateMachineArn: () => required('HOUSEHOLD_RENEWAL_STATE_MACHINE_ARN'),
  unemploymentHistoryStateMachineArn: () => required('UNEMPLOYMENT_HISTORY_STATE_MACHINE_ARN'),
  lumpSumWithdrawalStateMachineArn: () => required('LUMP_SUM_WITHDRAWAL_STATE_MACHINE_ARN'),
  populationRegistryUrl: () => required('POPULATION_REGISTRY_URL'),
  populationRegistryTimeoutMs: () => numberOr('POPULATION_REGISTRY_TIMEOUT_MS', 2000),
  populationRegistryMaxAttempts: () => numberOr('POPULATION_REGISTRY_MAX_ATTEMPTS', 3),
  /** GET /v1/health: the bound of each part's check (ms); a part that does not answer within it is "down". */
  healthCheckTimeoutMs: () => numberOr('HEALTH_CHECK_TIMEOUT_MS', 3000),
  /** Review deadline (seconds) passed to the workflow as the callback wait's TimeoutSecondsPath. */
  reviewTimeoutSeconds: () => numberOr('REVIEW_TIMEOUT_SECONDS', 5 * 24 * 3600),
  /** How long a quote waits for payment before the application expires. */
  paymentTimeoutSeconds: () => numberOr('PAYMENT_TIMEOUT_SECONDS', 7 * 24 * 3600),
  /** Consumer app clients: JSON `{ "<Cognito app client id>": "<consumer name>" }` (e.g. "portal"); default none. */
  consumerClients: (): Record<string, string> => {
    const raw = process.env.CONSUMER_CLIENTS;
    if (!raw) return {};
    const parsed: unknown = JSON.parse(raw);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
      throw new Error('Environment variable CONSUMER_CLIENTS must be a JSON object of app client id → consumer name');
    }
    return parsed as Record<string, string>;
  },
};
