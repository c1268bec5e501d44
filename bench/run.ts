/**
 * `npm run bench` — prints figures; asserts nothing (performance is measured, not unit-tested).
 *
 * 1. Pure pricing: quotes per second for a 5-member household (the rule code on the hot path).
 * 2. The work one application does, per service, priced at list prices (bench/prices.ts). The system runs in
 *    its own process (bench/system.ts: DynamoDB Local, registry simulator, the real ASL on the local Step
 *    Functions engine, the real handlers behind the local API, logs at INFO counted not printed); this process
 *    is only the load generator, over HTTP. Every application has its own household / person (bench/benchSeed.ts:
 *    copies of the WORKED_EXAMPLE household, UI_WORKED_EXAMPLE and LS_WORKED_EXAMPLE with fresh personal IDs),
 *    so none waits for another's transaction. Status polls back off (100 ms doubling to 1 s) and are counted as
 *    API requests, as a portal's would be. --runs runs of --applications applications per service, median and
 *    spread (min–max) of each figure per application:
 *    Step Functions Standard and Express transitions, Express requests and GB-seconds, Lambda invocations and
 *    GB-seconds, DynamoDB RRU/WRU (exact, bench/capacityAudit.ts; and as ReturnConsumedCapacity reported them),
 *    API requests, log bytes — and the cost per million applications, with the floor (API Gateway + DynamoDB +
 *    the API Lambdas alone). Latency and throughput are what one laptop process does, not capacity.
 * 3. The review queue of one province at scale (DynamoDB Local, the real services, in the system process):
 *    with --reviewItems open items, the console's first page, paging through the whole queue, the supervisor's
 *    stats, an escalation run, a day's audit CSV.
 * 4. Bundle sizes and module init (bench/bundles.ts `measureBundles`, --bundleRuns fresh processes per bundle),
 *    when that module is present.
 *
 * Options: --applications 20 (per service per run), --concurrency 10, --runs 3, --reviewItems 2000,
 * --services HOUSEHOLD_RENEWAL,UNEMPLOYMENT_HISTORY,LUMP_SUM_WITHDRAWAL, --bundleRuns 5.
 */
import { parseArgs } from 'node:util';
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createHmac, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { priceHousehold } from '../functions/domain/household/householdContribution';
import type { MemberWithCard } from '../functions/domain/types';
import { devConsumers } from '../local/devIdentities';
import { LOCAL_PAYMENT_SECRET } from '../local/runtime';
import { BENCH_CASES, BENCH_SERVICES, type BenchRequests, type BenchService } from './benchSeed';
import type { SystemSnapshot } from './system';
import { EXPRESS_MEMORY_MB, MODEL_DYNAMODB_CALL_MS, LOG_ESTIMATES, NOT_PRICED, PRICES_CHECKED_ON, PRICES_REGION, prices } from './prices';

const here = path.dirname(fileURLToPath(import.meta.url));
const DEMO_NOW = '2026-11-22T09:00:00+07:00';

const { values } = parseArgs({
  options: {
    applications: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
    reviewItems: { type: 'string', default: '2000' },
    services: { type: 'string', default: BENCH_SERVICES.join(',') },
    bundleRuns: { type: 'string', default: '5' },
  },
});
const perRun = Number(values.applications);
const concurrency = Number(values.concurrency);
const runs = Number(values.runs);
const services = values.services.split(',').map((s) => s.trim()) as BenchService[];
for (const s of services) if (!BENCH_SERVICES.includes(s)) throw new Error(`--services: unknown service ${s} (one of ${BENCH_SERVICES.join(', ')})`);
const out = (line = '') => process.stdout.write(`${line}\n`);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// ---------------------------------------------------------------- 1. Pure pricing
{
  const members: MemberWithCard[] = Array.from({ length: 5 }, (_, i) => ({
    member: {
      personalId: `07908${i}001234`.slice(0, 12),
      fullName: `Thành viên ${i + 1}`,
      dateOfBirth: '1980-01-01',
      sex: 'MALE',
      relationToHead: i === 0 ? 'CHU_HO' : 'CON',
      identityLinked: true,
    },
    card: null,
  }));
  const iterations = 50_000;
  const start = performance.now();
  let checksum = 0;
  for (let i = 0; i < iterations; i++) {
    checksum += priceHousehold({ billable: members, excluded: [], periodMonths: 12, paymentDate: '2026-11-22', headPersonalId: members[0].member.personalId }).total;
  }
  const seconds = (performance.now() - start) / 1000;
  out(`1. pricing (5 members, 12 months)            ${(iterations / seconds).toFixed(0)} quotes/s (checksum ${checksum / iterations} VND)`);
}

// ---------------------------------------------------------------- the system process
interface Ready {
  type: 'ready';
  apiUrl: string;
  clockOffsetMs: number;
  requests: BenchRequests;
  pid: number;
}

const warmups = 1;
const copies = warmups + runs * perRun;
const systemStarted = performance.now();
const env: NodeJS.ProcessEnv = { ...process.env, POWERTOOLS_LOG_LEVEL: 'INFO', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
delete env.POWERTOOLS_DEV; // pretty-printed logs would not be the bytes Lambda writes
const child: ChildProcess = fork(path.join(here, 'system.ts'), ['--copies', String(copies), '--now', DEMO_NOW], {
  execArgv: ['--import', 'tsx'],
  env,
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const ready = await new Promise<Ready>((resolve, reject) => {
  child.once('exit', (code) => reject(new Error(`the bench system process exited (${code}) before it was ready`)));
  child.on('message', (m: { type?: string }) => {
    if (m.type === 'ready') resolve(m as Ready);
  });
});
let nextId = 1;
const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
child.on('message', (m: { id?: number; ok?: boolean; result?: unknown; error?: string }) => {
  if (m.id === undefined) return;
  const w = waiting.get(m.id);
  waiting.delete(m.id);
  if (m.ok) w?.resolve(m.result);
  else w?.reject(new Error(`bench system: ${m.error}`));
});
function rpc<T>(type: string, extra: Record<string, unknown> = {}): Promise<T> {
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
    child.send({ id, type, ...extra });
  });
}
out(`   bench system process pid ${ready.pid} ready in ${((performance.now() - systemStarted) / 1000).toFixed(1)} s (${copies} households/people per service seeded)`);

// ---------------------------------------------------------------- the load generator (HTTP only)
const consumerAuth = { authorization: `Bearer ${devConsumers()[0].token}` };
const client = { requests: 0, polls: 0 };
const TERMINAL = ['COMPLETED', 'REJECTED', 'EXPIRED', 'FAILED'];

async function http(method: string, p: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  client.requests++;
  const res = await fetch(`${ready.apiUrl}${p}`, { method, headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Polls GET /v1/applications/{id} (100 ms, doubling to 1 s) until `wanted` or a terminal status. */
async function waitFor(id: string, wanted: string[]): Promise<any> {
  let delay = 100;
  for (const deadline = Date.now() + 180_000; ; ) {
    await new Promise((r) => setTimeout(r, delay));
    client.polls++;
    const res = await http('GET', `/v1/applications/${id}`, undefined, consumerAuth);
    const status = res.body?.status;
    if (wanted.includes(status) || TERMINAL.includes(status)) return res.body;
    if (Date.now() > deadline) throw new Error(`${id} still ${status} after 180 s`);
    delay = Math.min(1000, delay * 2);
  }
}

interface Timing {
  submitMs: number;
  /** Household: submit → AWAITING_PAYMENT; others: submit → terminal. */
  firstStopMs: number;
  /** Household: payment callback → COMPLETED. */
  paymentMs?: number;
  ok: boolean;
  problem?: string;
}

const SUBMIT_PATH: Record<BenchService, string> = {
  HOUSEHOLD_RENEWAL: '/v1/household-renewals',
  UNEMPLOYMENT_HISTORY: '/v1/unemployment-history-requests',
  LUMP_SUM_WITHDRAWAL: '/v1/lump-sum-claims',
};
/** The expected end of each bench case (local/seed/demo.json). */
const EXPECTED_HOUSEHOLD_TOTAL = 3_825_360;

async function runOne(service: BenchService, body: Record<string, unknown>): Promise<Timing> {
  const t0 = performance.now();
  const submitted = await http('POST', SUBMIT_PATH[service], JSON.stringify(body), { 'idempotency-key': randomUUID(), ...consumerAuth });
  const submitMs = performance.now() - t0;
  if (submitted.status !== 202) return { submitMs, firstStopMs: submitMs, ok: false, problem: `submit answered ${submitted.status} ${JSON.stringify(submitted.body)}` };
  const id = submitted.body.applicationId as string;
  if (service !== 'HOUSEHOLD_RENEWAL') {
    const app = await waitFor(id, []);
    return { submitMs, firstStopMs: performance.now() - t0, ok: app.status === 'COMPLETED', problem: app.status === 'COMPLETED' ? undefined : `${id} ended ${app.status}` };
  }
  const app = await waitFor(id, ['AWAITING_PAYMENT']);
  const firstStopMs = performance.now() - t0;
  if (app.status !== 'AWAITING_PAYMENT') return { submitMs, firstStopMs, ok: false, problem: `${id} stopped ${app.status}` };
  const { paymentRequestId, amount } = app.paymentRequest;
  if (amount !== EXPECTED_HOUSEHOLD_TOTAL) return { submitMs, firstStopMs, ok: false, problem: `${id} priced ${amount}, expected ${EXPECTED_HOUSEHOLD_TOTAL}` };
  const payment = JSON.stringify({ paymentRequestId, gatewayReference: `BENCH-${id}`, amount, paidAt: new Date(Date.now() + ready.clockOffsetMs).toISOString() });
  const timestamp = String(Math.floor((Date.now() + ready.clockOffsetMs) / 1000));
  const signature = createHmac('sha256', LOCAL_PAYMENT_SECRET).update(`${timestamp}.${payment}`).digest('hex');
  const t1 = performance.now();
  const paid = await http('POST', '/v1/payment-callbacks', payment, { 'x-payment-timestamp': timestamp, 'x-payment-signature': `sha256=${signature}` });
  if (paid.status >= 300) return { submitMs, firstStopMs, ok: false, problem: `payment callback answered ${paid.status}` };
  const done = await waitFor(id, ['COMPLETED']);
  return { submitMs, firstStopMs, paymentMs: performance.now() - t1, ok: done.status === 'COMPLETED', problem: done.status === 'COMPLETED' ? undefined : `${id} ended ${done.status}` };
}

/** Per application, one run of one service. */
interface Figures {
  standardTransitions: number;
  expressTransitions: number;
  expressRequests: number;
  expressGbSeconds: number;
  lambdaInvocations: number;
  /** Modelled duration (local − DynamoDB Local waits + MODEL_DYNAMODB_CALL_MS per call): priced. */
  lambdaGbSeconds: number;
  /** The duration measured locally. */
  lambdaGbSecondsMeasured: number;
  apiLambdaInvocations: number;
  apiLambdaGbSeconds: number;
  wruExact: number;
  rruExact: number;
  wruReported: number;
  rruReported: number;
  apiRequests: number;
  polls: number;
  logBytes: number;
  logBytesEstimated: number;
  cost: Record<string, number>;
  costTotal: number;
  /** The total with Lambda at the measured local duration. */
  costTotalMeasuredLambda: number;
  floor: number;
  throughput: number;
}

const API_FUNCTIONS = new Set<string>();
{
  const { apiFunctionSpecs } = await import('../functions/catalog');
  for (const name of Object.keys(apiFunctionSpecs)) API_FUNCTIONS.add(name);
}

function figuresOf(s: SystemSnapshot, n: number, seconds: number, polls: number): Figures {
  let standardTransitions = 0;
  let expressTransitions = 0;
  let expressRequests = 0;
  let expressBilledMs = 0;
  for (const w of Object.values(s.workflows)) {
    if (w.type === 'EXPRESS') {
      expressTransitions += w.transitions;
      expressRequests += w.executions;
      expressBilledMs += w.billedMs;
    } else standardTransitions += w.transitions;
  }
  let lambdaInvocations = 0;
  let lambdaGbSeconds = 0;
  let lambdaGbSecondsMeasured = 0;
  let apiLambdaInvocations = 0;
  let apiLambdaGbSeconds = 0;
  for (const [name, f] of Object.entries(s.lambda)) {
    const modelMs = Math.max(f.invocations, f.durationMs - f.waitMs + f.waitRuns * MODEL_DYNAMODB_CALL_MS) + f.invocations * 0.5; // + ½ ms: rounding up per invocation
    const gbs = (f.memoryMb / 1024) * (modelMs / 1000);
    lambdaInvocations += f.invocations;
    lambdaGbSeconds += gbs;
    lambdaGbSecondsMeasured += (f.memoryMb / 1024) * (f.billedMs / 1000);
    if (API_FUNCTIONS.has(name)) {
      apiLambdaInvocations += f.invocations;
      apiLambdaGbSeconds += gbs;
    }
  }
  const expressGbSeconds = (EXPRESS_MEMORY_MB / 1024) * (expressBilledMs / 1000);
  const per = (x: number) => x / n;
  const f = {
    standardTransitions: per(standardTransitions),
    expressTransitions: per(expressTransitions),
    expressRequests: per(expressRequests),
    expressGbSeconds: per(expressGbSeconds),
    lambdaInvocations: per(lambdaInvocations),
    lambdaGbSeconds: per(lambdaGbSeconds),
    lambdaGbSecondsMeasured: per(lambdaGbSecondsMeasured),
    apiLambdaInvocations: per(apiLambdaInvocations),
    apiLambdaGbSeconds: per(apiLambdaGbSeconds),
    wruExact: per(s.dynamo.exact.writeUnits),
    rruExact: per(s.dynamo.exact.readUnits),
    wruReported: per(s.dynamo.reported.writeUnits),
    rruReported: per(s.dynamo.reported.readUnits),
    apiRequests: per(s.api.requests),
    polls: per(polls),
    logBytes: per(s.logs.bytes),
    logBytesEstimated: per(lambdaInvocations * LOG_ESTIMATES.lambdaPlatformBytesPerInvocation + s.api.requests * LOG_ESTIMATES.apiAccessLogBytesPerRequest),
  };
  const M = 1e6;
  const GB = 1024 ** 3;
  const cost = {
    'Step Functions Standard': M * f.standardTransitions * prices.stepFunctionsStandardTransition.usd,
    'Step Functions Express': M * (f.expressRequests * prices.stepFunctionsExpressRequest.usd + f.expressGbSeconds * prices.stepFunctionsExpressGbSecond.usd),
    Lambda: M * (f.lambdaInvocations * prices.lambdaRequest.usd + f.lambdaGbSeconds * prices.lambdaArmGbSecond.usd),
    DynamoDB: M * (f.wruExact * prices.dynamoWriteRequestUnit.usd + f.rruExact * prices.dynamoReadRequestUnit.usd),
    'API Gateway': M * f.apiRequests * prices.apiGatewayRestRequest.usd,
    'CloudWatch Logs (handler lines)': (M * f.logBytes * prices.cloudWatchLogsIngestedGb.usd) / GB,
    'CloudWatch Logs (platform + access lines, est.)': (M * f.logBytesEstimated * prices.cloudWatchLogsIngestedGb.usd) / GB,
  };
  // Floor: the client's own calls (no status polls, one read of the outcome) through API Gateway, each one API
  // Lambda at the measured API cost per call, and DynamoDB as measured; no workflow at all.
  const ownCalls = f.apiRequests - f.polls + 1;
  const apiLambdaPerCall = f.apiLambdaInvocations > 0 ? (f.apiLambdaInvocations * prices.lambdaRequest.usd + f.apiLambdaGbSeconds * prices.lambdaArmGbSecond.usd) / f.apiLambdaInvocations : 0;
  const floor = M * (ownCalls * (prices.apiGatewayRestRequest.usd + apiLambdaPerCall)) + cost.DynamoDB;
  const costTotal = Object.values(cost).reduce((a, b) => a + b, 0);
  const costTotalMeasuredLambda = costTotal + M * (f.lambdaGbSecondsMeasured - f.lambdaGbSeconds) * prices.lambdaArmGbSecond.usd;
  return { ...f, cost, costTotal, costTotalMeasuredLambda, floor, throughput: n / seconds };
}

interface ServiceResult {
  figures: Figures[];
  timings: Timing[];
  snapshots: SystemSnapshot[];
  problems: string[];
}

async function runPhase(service: BenchService, bodies: Record<string, unknown>[]): Promise<{ snapshot: SystemSnapshot; timings: Timing[]; seconds: number; polls: number }> {
  await rpc('reset');
  client.polls = 0;
  const timings: Timing[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, bodies.length) }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        timings.push(await runOne(service, body).catch((e: Error) => ({ submitMs: 0, firstStopMs: 0, ok: false, problem: e.message })));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const polls = client.polls;
  const snapshot = await rpc<SystemSnapshot>('snapshot');
  return { snapshot, timings, seconds, polls };
}

const results = new Map<BenchService, ServiceResult>(services.map((s) => [s, { figures: [], timings: [], snapshots: [], problems: [] }]));
try {
  // Warm-up: one application per service (module loading, JIT), not counted.
  for (const service of services) await runPhase(service, ready.requests[service].slice(0, warmups));
  for (let run = 0; run < runs; run++) {
    for (const service of services) {
      const from = warmups + run * perRun;
      const { snapshot, timings, seconds, polls } = await runPhase(service, ready.requests[service].slice(from, from + perRun));
      const r = results.get(service)!;
      r.snapshots.push(snapshot);
      r.timings.push(...timings);
      r.figures.push(figuresOf(snapshot, timings.length, seconds, polls));
      for (const t of timings) if (!t.ok && r.problems.length < 5) r.problems.push(t.problem ?? 'failed');
      if (snapshot.running > 0) r.problems.push(`${snapshot.running} executions still running at the snapshot`);
    }
  }

  // ---------------------------------------------------------------- 2. report
  out();
  out(`2. The work of one application, per service: ${runs} runs × ${perRun} applications, ${concurrency} concurrent, each its own household/person`);
  out(`   (the system in its own process; load over HTTP from this one; logs at INFO; prices ${PRICES_REGION}, list, checked ${PRICES_CHECKED_ON}: bench/prices.ts)`);
  const fmt = (x: number, digits = 2) => (Math.abs(x) >= 1000 ? x.toFixed(0).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : x.toFixed(digits));
  const stat = (xs: number[], digits = 2) => {
    const lo = Math.min(...xs);
    const hi = Math.max(...xs);
    return `${fmt(median(xs), digits).padStart(10)}   ${lo === hi ? '' : `(${fmt(lo, digits)} – ${fmt(hi, digits)})`}`;
  };
  const row = (label: string, xs: number[], digits = 2, extra = '') => out(`   ${label.padEnd(48)}${stat(xs, digits)}${extra ? `  ${extra}` : ''}`);
  const LABEL: Record<BenchService, string> = {
    HOUSEHOLD_RENEWAL: `Household renewal (${BENCH_CASES.HOUSEHOLD_RENEWAL}: 4 billable members, submit → payment → COMPLETED)`,
    UNEMPLOYMENT_HISTORY: `Unemployment-history request (${BENCH_CASES.UNEMPLOYMENT_HISTORY}: eligible, COMPLETED)`,
    LUMP_SUM_WITHDRAWAL: `Lump-sum claim (${BENCH_CASES.LUMP_SUM_WITHDRAWAL}: one payment order, COMPLETED)`,
  };
  for (const service of services) {
    const r = results.get(service)!;
    const F = r.figures;
    const pick = (k: keyof Figures) => F.map((f) => f[k] as number);
    out();
    out(`== ${LABEL[service]}`);
    const ok = r.timings.filter((t) => t.ok).length;
    out(`   ${ok}/${r.timings.length} applications reached the expected outcome${r.problems.length ? ` — PROBLEMS: ${r.problems.join('; ')}` : ''}`);
    out(`   per application${' '.repeat(33)}    median   (min – max over ${runs} runs)`);
    row('Step Functions Standard state transitions', pick('standardTransitions'), 1);
    const last = r.snapshots[r.snapshots.length - 1];
    const wf = Object.entries(last.workflows)
      .map(([name, w]) => `${name} (${w.type.toLowerCase()}) ${fmt(w.executions / (F.length ? r.timings.length / runs : 1), 1)}× ${fmt(w.transitions / w.executions, 1)} transitions`)
      .join('; ');
    out(`     by workflow (last run): ${wf}`);
    const roots = Object.keys(last.byRoot);
    if (roots.length > 1) {
      out(`     attributed to the root execution's workflow: ${roots.map((root) => `${root}: ${Object.entries(last.byRoot[root]).map(([n, w]) => `${n} ${w.executions}×`).join(', ')}`).join('; ')}`);
    }
    row('Step Functions Express executions', pick('expressRequests'), 1);
    row('Step Functions Express state transitions (not billed)', pick('expressTransitions'), 1);
    row('Step Functions Express GB-seconds', pick('expressGbSeconds'), 4);
    row('Lambda invocations', pick('lambdaInvocations'), 1);
    row(`Lambda GB-seconds (model: DynamoDB ${MODEL_DYNAMODB_CALL_MS} ms/call)`, pick('lambdaGbSeconds'), 4);
    row('Lambda GB-seconds (as measured here)', pick('lambdaGbSecondsMeasured'), 4);
    const fnLine = Object.entries(last.lambda)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, f]) => `${name} ${fmt(f.invocations / (r.timings.length / runs), 1)}× ${fmt(f.durationMs / f.invocations, 0)} ms (${fmt(f.waits / f.invocations, 1)} DynamoDB calls in ${fmt(f.waitRuns / f.invocations, 1)} runs, ${fmt(f.waitMs / f.invocations, 0)} ms)${f.memoryMb !== 512 ? ` @${f.memoryMb} MB` : ''}`)
      .join('; ');
    out(`     by function (last run; mean local duration, of which DynamoDB Local waits; 512 MB unless said): ${fnLine}`);
    const differs = F.some((f) => f.wruExact !== f.wruReported || f.rruExact !== f.rruReported);
    row('DynamoDB WRU (exact)', pick('wruExact'), 1, `reported by ReturnConsumedCapacity: ${fmt(median(pick('wruReported')), 1)}`);
    row('DynamoDB RRU (exact)', pick('rruExact'), 1, `reported: ${fmt(median(pick('rruReported')), 1)}`);
    const tables = Object.entries(last.dynamo.exact.byTable)
      .map(([t, a]) => {
        const rep = last.dynamo.reported.byTable[t];
        const n = r.timings.length / runs;
        return `${t.replace(/^bench-[0-9a-f]+-/, '')} ${fmt(a.writeUnits / n, 1)} WRU${a.indexWriteUnits ? ` (GSI ${fmt(a.indexWriteUnits / n, 1)})` : ''} / ${fmt(a.readUnits / n, 1)} RRU` +
          (rep && (rep.writeUnits !== a.writeUnits || rep.readUnits !== a.readUnits) ? ` [reported ${fmt(rep.writeUnits / n, 1)} / ${fmt(rep.readUnits / n, 1)}]` : '') +
          ` — ${Object.entries(a.calls).map(([c, k]) => `${c.replace(/Command$/, '')} ${fmt(k / n, 1)}`).join(', ')}`;
      })
      .join('\n       ');
    out(`     by table (last run): ${tables}`);
    if (differs) out('     (the exact figure is priced: DynamoDB Local under-reports TransactWriteItems and the before/after rule of updates)');
    if (last.dynamo.exact.cancelledTransactions || last.dynamo.exact.failedConditionalWrites) {
      out(`     cancelled transactions ${last.dynamo.exact.cancelledTransactions}, failed conditional writes ${last.dynamo.exact.failedConditionalWrites} (last run, all applications)`);
    }
    row('API requests', pick('apiRequests'), 1, `of which status polls ${fmt(median(pick('polls')), 1)}`);
    row('log bytes (handler JSON lines at INFO)', pick('logBytes'), 0);
    row('log bytes (Lambda platform + API access lines, est.)', pick('logBytesEstimated'), 0);
    out(`   cost per million applications, USD`);
    for (const k of Object.keys(F[0].cost)) row(`  ${k}`, F.map((f) => f.cost[k]));
    row('  total', pick('costTotal'));
    row('  total with Lambda at the measured local duration', pick('costTotalMeasuredLambda'));
    row('  floor (API GW + DynamoDB + API Lambdas only)', pick('floor'), 2, `total is ${fmt(median(pick('costTotal')) / median(pick('floor')), 1)}× the floor`);
    const t = r.timings.filter((x) => x.ok);
    const lat = (label: string, xs: number[]) => {
      if (!xs.length) return;
      const s = [...xs].sort((a, b) => a - b);
      out(`   ${label.padEnd(48)}p50 ${fmt(percentile(s, 50), 0).padStart(6)} ms   p95 ${fmt(percentile(s, 95), 0).padStart(6)} ms   (n=${s.length})`);
    };
    out(`   latency and throughput: one laptop process, not capacity (status seen through back-off polls; API latency includes the capacity audit's reads)`);
    lat('  submit → 202', t.map((x) => x.submitMs));
    lat(service === 'HOUSEHOLD_RENEWAL' ? '  submit → AWAITING_PAYMENT' : '  submit → COMPLETED', t.map((x) => x.firstStopMs));
    if (service === 'HOUSEHOLD_RENEWAL') lat('  payment callback → COMPLETED', t.filter((x) => x.paymentMs !== undefined).map((x) => x.paymentMs!));
    row(`  throughput (${concurrency} concurrent), applications/s`, pick('throughput'), 1);
  }
  out();
  out(`   not priced: ${NOT_PRICED.join('; ')}.`);
  out(`   Express: billed per request and per GB-second, duration rounded up to 100 ms, ${EXPRESS_MEMORY_MB} MB (the first memory chunk).`);
  out('   Lambda duration: measured in one shared Node process on this machine (wall time of the handler until its promise');
  out('   settles, the capacity audit excluded), rounded up to 1 ms per invocation; memory from the catalog (default 512 MB).');
  out(`   Priced with the model: that duration minus the DynamoDB Local waits plus ${MODEL_DYNAMODB_CALL_MS} ms per run of DynamoDB calls (same-region`);
  out('   latency; an assumption). The local engine, registry simulator and API calls stay at their local time.');

  // ---------------------------------------------------------------- 3. The review queue of one province at scale
  out();
  out('3. The review queue of one province at scale (in the system process, the real services over DynamoDB Local)');
  const lines = await rpc<[string, string][]>('reviewQueue', { items: Number(values.reviewItems) });
  for (const [label, figure] of lines) out(`   ${label.padEnd(44)} ${figure}`);

  // ---------------------------------------------------------------- 4. Bundles (another helper's module)
  const bundles = path.join(here, 'bundles.ts');
  if (existsSync(bundles)) {
    out();
    out('4. Bundles');
    const mod = (await import(pathToFileURL(bundles).href)) as {
      measureBundles?: (options?: { runs?: number }) => Promise<unknown>;
      formatBundleReport?: (report: unknown) => string[];
    };
    if (typeof mod.measureBundles === 'function') {
      try {
        const report = await mod.measureBundles({ runs: Number(values.bundleRuns) });
        if (typeof mod.formatBundleReport === 'function') for (const line of mod.formatBundleReport(report)) out(`   ${line}`);
      } catch (error) {
        out(`   bundles not measured: ${(error as Error).message}`);
        process.exitCode = 1;
      }
    }
  }
} finally {
  await rpc('stop').catch(() => undefined);
  await new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}
