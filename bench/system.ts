/**
 * The bench's system process (forked by bench/run.ts): the whole local system (DynamoDB Local, registry
 * simulator, local Step Functions with the real ASL, local API with the real handlers) with the bench data
 * (bench/benchSeed.ts), its logs at the real level (INFO, set by the parent) counted and not printed, and
 * counters answered over IPC. The load generator is the parent process and talks to this one over HTTP only.
 *
 * Counters (reset / snapshot over IPC, per phase of the bench):
 * - Step Functions, from each execution's history: a state transition per state entered and per retry of a
 *   state (as AWS bills Standard workflows), split by the workflow's catalog type (workflowSpecs[name].type);
 *   Express: requests and billed duration (rounded up to 100 ms, 64 MB: the smallest memory chunk). Every
 *   execution is attributed to its root execution's workflow (a nested child to its parent's service).
 * - Lambda: invocations and duration per function (functions/shared/logger.ts invocationMeter), with the
 *   memory of its catalog spec (default 512 MB as in infra/constructs/functions.ts).
 * - DynamoDB: what ReturnConsumedCapacity reported (functions/adapters/dynamo.ts) and the exact units
 *   (bench/capacityAudit.ts).
 * - API requests answered by the local API server, by route; log bytes (bench/logCapture.ts).
 *
 * Argv: --copies N (bench applications per service), --now ISO (the system clock).
 * IPC in: { id, type: 'reset' | 'snapshot' | 'reviewQueue' | 'stop', items? }; out: { type: 'ready', … } once,
 * then { id, ok, result | error } per request.
 */
import { logCapture, benchStderr } from './logCapture';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DEMO_SEED_FILE, startLocalSystem, type LocalSystem } from '../local/runtime';
import { apiFunctionSpecs, eventFunctionSpecs, routes, scheduledFunctionSpecs, stepFunctionSpecs, workflowSpecs } from '../functions/catalog';
import { consumedCapacity, dynamo, resetConsumedCapacity } from '../functions/adapters/dynamo';
import { invocationMeter, type InvocationMeterEntry } from '../functions/shared/invocationMeter';
import { installCapacityAudit, type CapacityAudit } from './capacityAudit';
import { writeBenchSeed } from './benchSeed';
import { DEFAULT_LAMBDA_MEMORY_MB } from './prices';
import { applicationsRepository } from '../functions/adapters/applicationsRepository';
import { openReviewItem } from '../functions/reviewQueue/reviewQueue';
import { auditCsv, listConsoleQueue, reviewStats } from '../functions/reviewQueue/reviewConsole';
import { escalateOverdueItems } from '../functions/reviewQueue/escalation';
import type { StaffPrincipal } from '../functions/shared/http';
import { vietnamDate } from '../functions/shared/clock';


export interface WorkflowCounts {
  type: 'STANDARD' | 'EXPRESS';
  executions: number;
  transitions: number;
  /** Express: sum of durations rounded up to 100 ms each. */
  billedMs: number;
  statuses: Record<string, number>;
}

export interface SystemSnapshot {
  /** Executions still running when the snapshot was taken (should be 0). */
  running: number;
  /** Per workflow name, and per root workflow (the service) → per workflow name. */
  workflows: Record<string, WorkflowCounts>;
  byRoot: Record<string, Record<string, WorkflowCounts>>;
  lambda: Record<string, InvocationMeterEntry & { memoryMb: number }>;
  dynamo: { reported: ReturnType<typeof consumedCapacity>; exact: ReturnType<CapacityAudit['snapshot']> };
  api: { requests: number; byRoute: Record<string, number>; byStatus: Record<string, number> };
  logs: ReturnType<typeof logCapture.snapshot>;
}

const { values } = parseArgs({ options: { copies: { type: 'string', default: '10' }, now: { type: 'string' } } });
const copies = Number(values.copies);

const memoryOf: Record<string, number> = Object.fromEntries(
  Object.entries({ ...stepFunctionSpecs, ...apiFunctionSpecs, ...eventFunctionSpecs, ...scheduledFunctionSpecs }).map(([name, spec]) => [
    name,
    (spec as { memoryMb?: number }).memoryMb ?? DEFAULT_LAMBDA_MEMORY_MB,
  ]),
);
const workflowType = (name: string): 'STANDARD' | 'EXPRESS' =>
  ((workflowSpecs as Record<string, { type?: 'STANDARD' | 'EXPRESS' }>)[name]?.type ?? 'STANDARD');

const routeMatchers = routes.map((r) => ({
  key: `${r.method} ${r.path}`,
  method: r.method,
  regex: new RegExp(`^${r.path.replace(/\{[^}]+\}/g, '[^/]+')}/?$`),
}));
let api = { requests: 0, byRoute: {} as Record<string, number>, byStatus: {} as Record<string, number> };

const dir = mkdtempSync(path.join(tmpdir(), 'bhxh-bench-'));
const seedFile = path.join(dir, 'bench-seed.json');
const { requests, expected } = writeBenchSeed(DEMO_SEED_FILE, seedFile, copies);

let system: LocalSystem;
try {
  system = await startLocalSystem({
    seedFile,
    now: values.now,
    scheduleEveryMs: 0,
    tablePrefix: `bench-${randomUUID().slice(0, 6)}`,
    onApiRequest: ({ method, path: p, status }) => {
      api.requests++;
      const route = routeMatchers.find((r) => r.method === method && r.regex.test(p))?.key ?? `${method} (other)`;
      api.byRoute[route] = (api.byRoute[route] ?? 0) + 1;
      api.byStatus[String(status)] = (api.byStatus[String(status)] ?? 0) + 1;
    },
  });
} catch (error) {
  benchStderr(`the local system did not start: ${(error as Error).message}`);
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
}
invocationMeter.enable();
const audit = installCapacityAudit(dynamo().middlewareStack, system.dynamoEndpoint);
let baseline = new Set<string>();

function reset(): void {
  baseline = new Set(system.engine.listExecutions().map((e) => e.executionArn));
  invocationMeter.reset();
  resetConsumedCapacity();
  audit.reset();
  api = { requests: 0, byRoute: {}, byStatus: {} };
  logCapture.reset();
}

const workflowOf = (executionArn: string) => executionArn.split(':')[6];

async function snapshot(): Promise<SystemSnapshot> {
  // Everything started since the reset has ended (the parent waited for the applications' terminal status;
  // their executions finish a moment later), and the execution-ended events are delivered.
  const since = () => system.engine.listExecutions().filter((e) => !baseline.has(e.executionArn));
  for (const deadline = Date.now() + 10_000; Date.now() < deadline && since().some((e) => e.status === 'RUNNING'); ) {
    await new Promise((r) => setTimeout(r, 50));
  }
  await system.eventsDelivered();
  const executions = since();
  const workflows: Record<string, WorkflowCounts> = {};
  const byRoot: Record<string, Record<string, WorkflowCounts>> = {};
  const add = (bucket: Record<string, WorkflowCounts>, name: string, transitions: number, billedMs: number, status: string) => {
    const w = (bucket[name] ??= { type: workflowType(name), executions: 0, transitions: 0, billedMs: 0, statuses: {} });
    w.executions++;
    w.transitions += transitions;
    w.billedMs += billedMs;
    w.statuses[status] = (w.statuses[status] ?? 0) + 1;
  };
  for (const e of executions) {
    const d = system.engine.describeExecution(e.executionArn);
    const history = system.engine.getExecutionHistory(e.executionArn);
    const transitions = history.filter((ev) => ev.type === 'StateEntered' || ev.type === 'StateRetried').length;
    const name = workflowOf(e.executionArn);
    const ms = (d.stopDate ?? new Date()).getTime() - d.startDate.getTime();
    const billedMs = workflowType(name) === 'EXPRESS' ? Math.max(100, Math.ceil(ms / 100) * 100) : 0;
    let root = d;
    for (let guard = 0; root.parentExecutionArn && guard < 10; guard++) {
      try {
        root = system.engine.describeExecution(root.parentExecutionArn);
      } catch {
        break;
      }
    }
    add(workflows, name, transitions, billedMs, d.status);
    add((byRoot[workflowOf(root.executionArn)] ??= {}), name, transitions, billedMs, d.status);
  }
  const lambda = Object.fromEntries(
    Object.entries(invocationMeter.snapshot()).map(([name, m]) => [name, { ...m, memoryMb: memoryOf[name] ?? DEFAULT_LAMBDA_MEMORY_MB }]),
  );
  return {
    running: executions.filter((e) => e.status === 'RUNNING').length,
    workflows,
    byRoot,
    lambda,
    dynamo: { reported: consumedCapacity(), exact: audit.snapshot() },
    api: JSON.parse(JSON.stringify(api)),
    logs: logCapture.snapshot(),
  };
}

/** Section 3 of the bench: one province's review queue at scale, on the real services (no HTTP). */
async function reviewQueue(reviewItems: number): Promise<[string, string][]> {
  const supervisor: StaffPrincipal = { staffId: 'bench.sup', name: 'Bench', provinceCode: '79', roles: ['staff', 'supervisor'] };
  const open = async (i: number) => {
    const applicationId = `HR-BENCH${String(i).padStart(8, '0')}${randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase()}`;
    const at = new Date().toISOString();
    await applicationsRepository.create({
      applicationId, service: 'HOUSEHOLD_RENEWAL', provinceCode: '79', status: 'VERIFYING', request: {},
      createdAt: at, updatedAt: at, timeline: [{ at, status: 'VERIFYING', event: 'IDENTITY_CHECK_STARTED' }], version: 1,
    });
    await openReviewItem({
      applicationId, service: 'HOUSEHOLD_RENEWAL', provinceCode: '79', checkKind: 'PERSON', subjectRole: 'HEAD_OF_HOUSEHOLD',
      subject: { personalId: '079088006650', fullName: 'Phan Thành Đạt', dateOfBirth: '1988-09-09', sex: 'MALE' },
      reasonCode: 'REGISTRY_UNAVAILABLE', registrySnapshot: null, taskToken: `bench-token-${i}-${randomUUID()}`,
    });
  };
  const tOpen = performance.now();
  let nextItem = 0;
  await Promise.all(Array.from({ length: 16 }, async () => { while (nextItem < reviewItems) await open(nextItem++); }));
  const openSeconds = (performance.now() - tOpen) / 1000;
  const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
    const t = performance.now();
    const out = await work();
    return [out, performance.now() - t];
  };
  const principal = supervisor;
  const [firstPage, firstMs] = await timed(() => listConsoleQueue(principal, { limit: 50 }));
  const [pages, allMs] = await timed(async () => {
    let cursor: string | null = null;
    let count = 0;
    let n = 0;
    do {
      const page = await listConsoleQueue(principal, { limit: 200, cursor });
      count += page.items.length;
      n++;
      cursor = page.nextCursor;
    } while (cursor);
    return { count, n };
  });
  const [stats, statsMs] = await timed(() => reviewStats(principal));
  const [escalation, escalationMs] = await timed(() => escalateOverdueItems({ provinceCodes: ['79'] }));
  const today = vietnamDate(); // the system's clock (--now), as the audit rows were written
  const [csv, csvMs] = await timed(() => auditCsv(principal, today, today));
  return [
    [`review queue: open ${reviewItems} items (16 writers)`, `${(reviewItems / openSeconds).toFixed(0)} items/s`],
    ['review queue: console first page (50)', `${firstMs.toFixed(0)} ms (${firstPage.items.length} rows)`],
    ['review queue: page through all (200/page)', `${allMs.toFixed(0)} ms (${pages.count} rows, ${pages.n} pages)`],
    ['review queue: supervisor stats', `${statsMs.toFixed(0)} ms (OPEN ${stats.byStatus.OPEN})`],
    ['review queue: escalation run, none due', `${escalationMs.toFixed(0)} ms (examined ${escalation.examined})`],
    ["review queue: a day's audit CSV", `${csvMs.toFixed(0)} ms (${csv.rows} rows)`],
  ];
}

async function stop(code: number): Promise<never> {
  await system.stop().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
  process.exit(code);
}

process.on('disconnect', () => void stop(0)); // the parent is gone: stop everything (DynamoDB Local's JVM too)
process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));

process.on('message', async (message: { id: number; type: string; items?: number }) => {
  try {
    let result: unknown;
    switch (message.type) {
      case 'reset':
        reset();
        break;
      case 'snapshot':
        result = await snapshot();
        break;
      case 'reviewQueue':
        audit.setEnabled(false); // timings of the real services, without the audit's extra reads
        result = await reviewQueue(message.items ?? 2000);
        break;
      case 'stop':
        process.send!({ id: message.id, ok: true });
        await stop(0);
        return;
      default:
        throw new Error(`unknown request ${message.type}`);
    }
    process.send!({ id: message.id, ok: true, result });
  } catch (error) {
    process.send!({ id: message.id, ok: false, error: (error as Error)?.stack ?? String(error) });
  }
});

const clockOffsetMs = Number(process.env.CLOCK_OFFSET_MS ?? 0);
process.send!({ type: 'ready', apiUrl: system.apiUrl, clockOffsetMs, requests, expected, pid: process.pid });
