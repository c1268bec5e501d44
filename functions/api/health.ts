/**
 * GET /v1/health (auth 'public': no credentials; API Gateway throttles the method) — for load balancers and the
 * portal's monitor. Each part is checked cheaply, all at once, each within HEALTH_CHECK_TIMEOUT_MS:
 *
 * - every table (applications, reviewItems, insuranceRecords, payments): DescribeTable of the name in its env var
 *   (IAM: dynamodb:DescribeTable only; no item is read);
 * - stepFunctions: DescribeStateMachine of each service workflow this stack publishes (the *_STATE_MACHINE_ARN
 *   env vars; IAM: states:DescribeStateMachine on those machines);
 * - populationRegistry: one GET of the gateway's base URL, a single attempt; any HTTP answer below 500 (the
 *   gateway answers) is up, 5xx / 429 / no answer / a network error is down.
 *
 * Answers
 * - 200 `{ status: "ok", parts }` when every part is up;
 * - 200 `{ status: "degraded", parts }` when only the population registry is down: BHXH still takes applications
 *   (their identity checks wait in review as REGISTRY_UNAVAILABLE), so a load balancer must not take it out;
 * - 503 `{ status: "down", code: "SERVICE_UNAVAILABLE", message, parts }` when a table or Step Functions is down.
 * `parts` maps each part name to "up" or "down": never a hostname, a table name or an error text (those go to
 * the log). The same handler runs locally (the endpoints come from the same env vars) and in AWS.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStateMachineCommand } from '@aws-sdk/client-sfn';
import { unqualifiedStateMachineArn } from '../shared/stateMachineArns';
import { dynamo } from '../adapters/dynamo';
import { stepFunctions } from '../adapters/stepFunctions';
import { config } from '../shared/config';
import { httpApi } from '../shared/http';
import { logger } from '../shared/logger';

export type PartStatus = 'up' | 'down';
export type HealthStatus = 'ok' | 'degraded' | 'down';

/** Parts whose loss only degrades the service (applications wait in review); every other part is essential. */
export const DEGRADING_PARTS = ['populationRegistry'] as const;

const TABLES = {
  applicationsTable: config.applicationsTable,
  reviewItemsTable: config.reviewItemsTable,
  insuranceRecordsTable: config.insuranceRecordsTable,
  paymentsTable: config.paymentsTable,
} as const;

const STATE_MACHINES = [
  config.householdRenewalStateMachineArn,
  config.unemploymentHistoryStateMachineArn,
  config.lumpSumWithdrawalStateMachineArn,
];

export type PartName = keyof typeof TABLES | 'stepFunctions' | 'populationRegistry';

const withinBound = (): AbortSignal => AbortSignal.timeout(config.healthCheckTimeoutMs());

async function checkTable(tableName: () => string): Promise<void> {
  await dynamo().send(new DescribeTableCommand({ TableName: tableName() }), { abortSignal: withinBound() });
}

async function checkStepFunctions(): Promise<void> {
  await Promise.all(
    // The env vars hold the `live` aliases the API starts executions through; the machine behind each is described.
    STATE_MACHINES.map((arn) => stepFunctions().send(new DescribeStateMachineCommand({ stateMachineArn: unqualifiedStateMachineArn(arn()) }), { abortSignal: withinBound() })),
  );
}

async function checkRegistry(): Promise<void> {
  const res = await fetch(`${config.populationRegistryUrl().replace(/\/+$/, '')}/`, {
    method: 'GET',
    headers: { accept: 'application/json' },
    signal: withinBound(),
  });
  await res.arrayBuffer().catch(() => undefined);
  if (res.status >= 500 || res.status === 429) throw new Error(`HTTP ${res.status}`);
}

/** Every part's status, checked concurrently; a check that throws (or misses its bound) is "down". */
export async function checkParts(): Promise<Record<PartName, PartStatus>> {
  const checks: [PartName, () => Promise<void>][] = [
    ...Object.entries(TABLES).map(([part, name]) => [part as PartName, () => checkTable(name)] as [PartName, () => Promise<void>]),
    ['stepFunctions', checkStepFunctions],
    ['populationRegistry', checkRegistry],
  ];
  const results = await Promise.all(
    checks.map(async ([part, check]) => {
      try {
        await check();
        return [part, 'up'] as const;
      } catch (error) {
        // The log (not the body) says why; an SDK error message may name the table, that is fine in the log.
        const e = error as Error & { cause?: { code?: string } };
        logger.warn('Health check: part down', { part, error: e?.name, reason: e?.cause?.code ?? e?.message });
        return [part, 'down'] as const;
      }
    }),
  );
  return Object.fromEntries(results) as Record<PartName, PartStatus>;
}

export function overallStatus(parts: Record<PartName, PartStatus>): HealthStatus {
  const down = (Object.keys(parts) as PartName[]).filter((p) => parts[p] === 'down');
  if (down.length === 0) return 'ok';
  return down.every((p) => (DEGRADING_PARTS as readonly string[]).includes(p)) ? 'degraded' : 'down';
}

export const handler = httpApi([
  {
    method: 'GET',
    path: '/v1/health',
    handler: async () => {
      const parts = await checkParts();
      const status = overallStatus(parts);
      if (status === 'down') {
        return {
          statusCode: 503,
          headers: { 'retry-after': '5' },
          body: {
            status,
            code: 'SERVICE_UNAVAILABLE',
            message: { vi: 'Hệ thống tạm thời không phục vụ được', en: 'The service is temporarily unavailable' },
            parts,
          },
        };
      }
      return { statusCode: 200, body: { status, parts } };
    },
  },
]);
