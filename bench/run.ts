/**
 * `npm run bench` — prints figures; asserts nothing (performance is measured, not unit-tested).
 *
 * 1. Pure pricing: quotes per second for a 5-member household (the rule code on the hot path).
 * 2. The local system end to end (DynamoDB Local, registry simulator, local Step Functions, local API):
 *    latency from POST /v1/household-renewals to AWAITING_PAYMENT, and from the payment callback to COMPLETED,
 *    for a batch of concurrent submissions.
 *
 * 3. The review queue of one province at scale (DynamoDB Local, the real services): with --reviewItems open items
 *    (a registry outage sends every application to review), the time of the console's first page, of paging
 *    through the whole queue, of the supervisor's stats, of an escalation run, and of a day's audit CSV.
 *
 * Options: --applications 40 (batch size), --concurrency 10, --reviewItems 2000.
 */
import { parseArgs } from 'node:util';
import { createHmac, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { startLocalSystem, LOCAL_PAYMENT_SECRET } from '../local/runtime';
import { priceHousehold } from '../functions/domain/household/householdContribution';
import type { MemberWithCard } from '../functions/domain/types';
import { applicationsRepository } from '../functions/adapters/applicationsRepository';
import { openReviewItem } from '../functions/reviewQueue/reviewQueue';
import { auditCsv, escalateOverdueItems, listConsoleQueue, reviewStats } from '../functions/reviewQueue/reviewConsole';
import type { StaffPrincipal } from '../functions/shared/http';
import { now, vietnamDate } from '../functions/shared/clock';
import { devConsumers } from '../local/devIdentities';

const { values } = parseArgs({
  options: {
    applications: { type: 'string', default: '40' },
    concurrency: { type: 'string', default: '10' },
    reviewItems: { type: 'string', default: '2000' },
  },
});
const total = Number(values.applications);
const concurrency = Number(values.concurrency);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
function summary(label: string, ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  process.stdout.write(
    `${label.padEnd(44)} n=${s.length}  p50=${percentile(s, 50).toFixed(0)} ms  p95=${percentile(s, 95).toFixed(0)} ms  max=${s[s.length - 1].toFixed(0)} ms  mean=${mean.toFixed(0)} ms\n`,
  );
}

// 1. Pure pricing
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
  process.stdout.write(`pricing (5 members, 12 months)               ${(iterations / seconds).toFixed(0)} quotes/s (checksum ${checksum / iterations} VND)\n`);
}

// 2. End to end on the local system
const system = await startLocalSystem({ now: '2026-11-22T09:00:00+07:00', scheduleEveryMs: 0, tablePrefix: `bench-${randomUUID().slice(0, 6)}` });
try {
  // One renewal per household at a time (a second one is superseded by the first payment): each worker renews
  // its own household of the demo seed, so the effective concurrency is at most the number of such households.
  const households = ['CLEAN', 'WORKED_EXAMPLE', 'LARGE', 'NAME_DIACRITICS'].map((name) => {
    const { periodMonths, ...head } = system.seed.scenarios!.find((s) => s.name === name)!.submit;
    return JSON.stringify({ head, periodMonths });
  });
  const workers = Math.min(concurrency, households.length);
  const toAwaiting: number[] = [];
  const toCompleted: number[] = [];
  const submitLatency: number[] = [];

  // The portal's dev consumer token (local/devIdentities.ts): consumer routes need one.
  const consumerAuth = { authorization: `Bearer ${devConsumers()[0].token}` };

  async function waitFor(id: string, status: string): Promise<any> {
    for (;;) {
      const res = await fetch(`${system.apiUrl}/v1/applications/${id}`, { headers: consumerAuth });
      const app = (await res.json()) as any;
      if (app.status === status) return app;
      if (['FAILED', 'REJECTED', 'EXPIRED'].includes(app.status)) throw new Error(`${id} ended ${app.status}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async function one(body: string) {
    const t0 = performance.now();
    const res = await fetch(`${system.apiUrl}/v1/household-renewals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...consumerAuth },
      body,
    });
    const { applicationId } = (await res.json()) as { applicationId: string };
    submitLatency.push(performance.now() - t0);
    const app = await waitFor(applicationId, 'AWAITING_PAYMENT');
    toAwaiting.push(performance.now() - t0);
    const { paymentRequestId, amount } = app.paymentRequest;
    const payment = JSON.stringify({ paymentRequestId, gatewayReference: `BENCH-${applicationId}`, amount, paidAt: new Date().toISOString() });
    const timestamp = String(Math.floor(now().getTime() / 1000));
    const signature = createHmac('sha256', LOCAL_PAYMENT_SECRET).update(`${timestamp}.${payment}`).digest('hex');
    const t1 = performance.now();
    await fetch(`${system.apiUrl}/v1/payment-callbacks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-payment-timestamp': timestamp, 'x-payment-signature': `sha256=${signature}` },
      body: payment,
    });
    await waitFor(applicationId, 'COMPLETED');
    toCompleted.push(performance.now() - t1);
  }

  await one(households[0]); // warm-up (module loading, JIT)
  toAwaiting.length = toCompleted.length = submitLatency.length = 0;
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (next < total) {
        next++;
        await one(households[worker]);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  summary('submit → 202 (HTTP)', submitLatency);
  summary('submit → AWAITING_PAYMENT (local)', toAwaiting);
  summary('payment callback → COMPLETED (local)', toCompleted);
  process.stdout.write(
    `throughput (local, ${workers} concurrent)              ${(total / seconds).toFixed(1)} complete renewals/s\n` +
      `context: 300 million transactions a year ≈ ${(300e6 / (365 * 24 * 3600)).toFixed(1)} per second on average nationwide\n`,
  );

  // 3. The review queue of one province at scale
  const reviewItems = Number(values.reviewItems);
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
  const [firstPage, firstMs] = await timed(() => listConsoleQueue(supervisor, { limit: 50 }));
  const [pages, allMs] = await timed(async () => {
    let cursor: string | null = null;
    let count = 0;
    let n = 0;
    do {
      const page = await listConsoleQueue(supervisor, { limit: 200, cursor });
      count += page.items.length;
      n++;
      cursor = page.nextCursor;
    } while (cursor);
    return { count, n };
  });
  const [stats, statsMs] = await timed(() => reviewStats(supervisor));
  const [escalation, escalationMs] = await timed(() => escalateOverdueItems({ provinceCodes: ['79'] }));
  const today = vietnamDate(); // the system's clock (--now), as the audit rows were written
  const [csv, csvMs] = await timed(() => auditCsv(supervisor, today, today));
  const line = (label: string, figure: string) => process.stdout.write(`${label.padEnd(44)} ${figure}\n`);
  line(`review queue: open ${reviewItems} items (16 writers)`, `${(reviewItems / openSeconds).toFixed(0)} items/s`);
  line('review queue: console first page (50)', `${firstMs.toFixed(0)} ms (${firstPage.items.length} rows)`);
  line('review queue: page through all (200/page)', `${allMs.toFixed(0)} ms (${pages.count} rows, ${pages.n} pages)`);
  line('review queue: supervisor stats', `${statsMs.toFixed(0)} ms (OPEN ${stats.byStatus.OPEN})`);
  line('review queue: escalation run, none due', `${escalationMs.toFixed(0)} ms (examined ${escalation.examined})`);
  line("review queue: a day's audit CSV", `${csvMs.toFixed(0)} ms (${csv.rows} rows)`);
} finally {
  await system.stop();
}
