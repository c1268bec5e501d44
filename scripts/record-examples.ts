/**
 * `npm run openapi -- --examples`: records the OpenAPI document's examples from a real run (issue 11). It starts the
 * local system on the demo seed at the demo clock (its own DynamoDB Local, in memory), drives the worked
 * examples over HTTP — a household renewal quoted, submitted, paid; the unemployment-history and lump-sum worked
 * examples; a review claimed, released, reassigned and decided; the staff console's reads and exports; the
 * refusals along the way — and writes every answer it got to docs/openapi-examples.json, keyed by operation,
 * status and example name, with the request body that produced it. document.ts merges them in as `examples`
 * (write-openapi.ts then writes the document with them); test/api/openapiExamples.test.ts checks that every one validates against its schema.
 * Nothing here is hand-written: an example is what the system answered.
 */
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { startLocalSystem, LOCAL_PAYMENT_SECRET, type LocalSystem } from '../local/runtime';
import { now as systemNow } from '../functions/shared/clock';
import { routes } from '../functions/catalog';

/** The demo clock (the seed's amounts are stated for this day), as in the end-to-end tests. */
const DEMO_NOW = '2026-11-22T09:00:00+07:00';
const PORTAL = 'dev-consumer-portal';
const VSSID = 'dev-consumer-vssid';
const STAFF = 'dev-staff-79';
const SUPERVISOR = 'dev-supervisor-79';
const OTHER_PROVINCE_STAFF = 'dev-staff-01';

interface Recorded {
  summary: string;
  request?: unknown;
  value: unknown;
}
type Examples = Record<string, Record<string, Record<string, Recorded>>>;

const examples: Examples = {};
const templates = routes.map((r) => ({
  key: `${r.method} ${r.path}`,
  method: r.method,
  pattern: new RegExp(`^${r.path.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`),
}));

interface CallOptions {
  token?: string | null;
  headers?: Record<string, string>;
  /** Record the answer under this example name (with `summary`); left out: not recorded. */
  name?: string;
  summary?: string;
  /** A raw body (sent as is). */
  raw?: string;
}

let system: LocalSystem;

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function call(method: 'GET' | 'POST', path: string, body?: unknown, options: CallOptions = {}): Promise<{ status: number; body: any }> {
  const token = options.token === undefined ? PORTAL : options.token;
  const headers: Record<string, string> = {
    ...(body !== undefined || options.raw !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...options.headers,
  };
  const res = await fetch(system.apiUrl + path, {
    method,
    headers,
    body: options.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await res.text();
  const json = (res.headers.get('content-type') ?? '').includes('json');
  const parsed = json && text ? JSON.parse(text) : text;
  if (options.name) {
    const template = templates.find((t) => t.method === method && t.pattern.test(path.split('?')[0]));
    if (!template) throw new Error(`${method} ${path} is no catalog route`);
    const request = options.raw !== undefined ? jsonOrText(options.raw) : body;
    ((examples[template.key] ??= {})[String(res.status)] ??= {})[options.name] = {
      summary: options.summary ?? options.name,
      ...(request !== undefined ? { request } : {}),
      value: parsed,
    };
  }
  return { status: res.status, body: parsed };
}

const get = (path: string, token?: string | null, name?: string, summary?: string) => call('GET', path, undefined, { token, name, summary });
const post = (path: string, body: unknown, token?: string | null, name?: string, summary?: string, headers?: Record<string, string>) =>
  call('POST', path, body, { token, name, summary, headers });

function expectStatus(res: { status: number; body: unknown }, status: number, what: string): void {
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
}

async function waitForStatus(applicationId: string, status: string, token = PORTAL): Promise<any> {
  let last: unknown;
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    const res = await get(`/v1/applications/${applicationId}`, token);
    last = res.body;
    if (res.body?.status === status) return res.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${applicationId} did not reach ${status}: ${JSON.stringify(last)}`);
}

async function openItemOf(service: string, applicationId: string): Promise<any> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    const listed = await get(`/v1/review-items?status=OPEN&service=${service}`, STAFF);
    const item = listed.body.items?.find((i: { applicationId: string }) => i.applicationId === applicationId);
    if (item) return item;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no open review item for ${applicationId}`);
}

/** The payment gateway's signed callback (X-Payment-Timestamp, X-Payment-Signature over "<timestamp>.<raw body>"). */
function pay(payment: Record<string, unknown>, name: string, summary: string, secret = LOCAL_PAYMENT_SECRET) {
  const raw = JSON.stringify({ ...payment, paidAt: payment.paidAt ?? systemNow().toISOString() });
  const timestamp = String(Math.floor(systemNow().getTime() / 1000));
  const signature = createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest('hex');
  return call('POST', '/v1/payment-callbacks', undefined, {
    token: null,
    raw,
    headers: { 'x-payment-timestamp': timestamp, 'x-payment-signature': `sha256=${signature}` },
    name,
    summary,
  });
}

function scenario(name: string): { submit: Record<string, unknown>; service?: string } {
  const found = system.seed.scenarios.find((s) => s.name === name);
  if (!found) throw new Error(`demo scenario ${name} missing`);
  return found as unknown as { submit: Record<string, unknown>; service?: string };
}

/** The API body of a household scenario (`{ head, periodMonths }`) or of a spine service's (flat, no sex). */
function householdBody(name: string) {
  const { periodMonths, ...head } = scenario(name).submit;
  return { head, periodMonths };
}
function spineBody(name: string) {
  const { sex: _sex, ...body } = scenario(name).submit;
  return body;
}

async function household(): Promise<void> {
  const body = householdBody('WORKED_EXAMPLE');
  expectStatus(await post('/v1/household-renewals/quote', body, PORTAL, 'workedExample', 'The domain.md worked example: four members on the ladder, the father excluded'), 200, 'quote');
  await post('/v1/household-renewals/quote', householdBody('HEAD_NOT_FOUND'), PORTAL, 'identityNotVerified', 'A head of household the registry does not know');
  await post('/v1/household-renewals/quote', householdBody('NO_BILLABLE_MEMBERS'), PORTAL, 'noBillableMembers', 'Every member already covered');
  await post(
    '/v1/household-renewals/quote',
    { head: { personalId: '12345', fullName: 'A', dateOfBirth: '1990-02-30' }, periodMonths: 5 },
    PORTAL,
    'validationFailed',
    'Every problem of the body, in English and Vietnamese',
  );
  await call('POST', '/v1/household-renewals/quote', undefined, { raw: '{"head":', name: 'malformedJson', summary: 'A body that is not JSON' });
  await post('/v1/household-renewals/quote', body, null, 'unauthenticated', 'No bearer token');

  const key = { 'idempotency-key': 'portal-req-0001' };
  const accepted = await post('/v1/household-renewals', body, PORTAL, 'workedExample', 'The worked example submitted', key);
  expectStatus(accepted, 202, 'submit');
  await post('/v1/household-renewals', householdBody('CLEAN'), PORTAL, 'idempotencyKeyReused', 'The same Idempotency-Key with another body', key);
  const id = accepted.body.applicationId as string;
  await waitForStatus(id, 'AWAITING_PAYMENT');
  const view = await get(`/v1/applications/${id}`, PORTAL, 'awaitingPayment', 'A household renewal waiting for its payment (quote and payment request)');
  const request = view.body.paymentRequest;
  expectStatus(
    await pay({ paymentRequestId: request.paymentRequestId, gatewayReference: 'VNPAY-20261122-000123', amount: request.amount }, 'applied', 'The payment renewed the cards and completed the application'),
    200,
    'pay',
  );
  await get(`/v1/applications/${id}`, PORTAL, 'householdRenewalCompleted', 'A completed household renewal');
  await pay({ paymentRequestId: request.paymentRequestId, gatewayReference: 'VNPAY-20261122-000124', amount: request.amount }, 'alreadyPaid', 'A second payment of the same request: a refund due');
  await pay({ paymentRequestId: request.paymentRequestId, gatewayReference: 'VNPAY-20261122-000123', amount: request.amount + 1 }, 'gatewayReferenceReused', 'A gateway reference already recorded for another payment');
  await pay({ paymentRequestId: 'PR-0000000000000000000000000Z', gatewayReference: 'VNPAY-20261122-000125', amount: 1000 }, 'paymentRequestNotFound', 'An unknown payment request');
  await pay({ paymentRequestId: request.paymentRequestId, gatewayReference: 'VNPAY-20261122-000126', amount: request.amount }, 'invalidSignature', 'Signed with another secret', 'not-the-secret');

  const clean = await post('/v1/household-renewals', householdBody('CLEAN'), VSSID);
  await waitForStatus(clean.body.applicationId, 'AWAITING_PAYMENT', VSSID);
  const cleanView = await get(`/v1/applications/${clean.body.applicationId}`, VSSID);
  await pay(
    { paymentRequestId: cleanView.body.paymentRequest.paymentRequestId, gatewayReference: 'VNPAY-20261122-000127', amount: cleanView.body.paymentRequest.amount - 1 },
    'amountMismatch',
    'The amount paid is not the amount due',
  );

  const rejected = await post('/v1/household-renewals', householdBody('NO_BILLABLE_MEMBERS'), PORTAL);
  await waitForStatus(rejected.body.applicationId, 'REJECTED');
  await get(`/v1/applications/${rejected.body.applicationId}`, PORTAL, 'householdRenewalRejected', 'Nobody left to pay for: REJECTED with the reason');
  await get(`/v1/applications/${id}`, VSSID, 'otherConsumer', "Another consumer's application: the same 404 as an unknown id");
  await get('/v1/applications/not-an-id', PORTAL, 'invalidApplicationId', 'Not an application id');
}

async function spineServices(): Promise<void> {
  const ui = await post(
    '/v1/unemployment-history-requests',
    spineBody('UI_WORKED_EXAMPLE'),
    PORTAL,
    'workedExample',
    'The domain.md worked example',
    { 'idempotency-key': 'centre-req-0001' },
  );
  expectStatus(ui, 202, 'unemployment history');
  await waitForStatus(ui.body.applicationId, 'COMPLETED');
  await get(`/v1/applications/${ui.body.applicationId}`, PORTAL, 'unemploymentHistoryCompleted', 'An unemployment-history confirmation (the domain.md worked example)');
  const notEligible = await post('/v1/unemployment-history-requests', spineBody('UI_NOT_ELIGIBLE'), PORTAL);
  await waitForStatus(notEligible.body.applicationId, 'COMPLETED');
  await get(`/v1/applications/${notEligible.body.applicationId}`, PORTAL, 'unemploymentHistoryNotEligible', 'A confirmation with eligible = false and the reason');
  const owes = await post('/v1/unemployment-history-requests', spineBody('UI_EMPLOYER_NOT_CLOSED'), PORTAL);
  await waitForStatus(owes.body.applicationId, 'REJECTED');
  await get(`/v1/applications/${owes.body.applicationId}`, PORTAL, 'unemploymentHistoryRejected', 'The last employer has not closed the record');
  await post(
    '/v1/unemployment-history-requests',
    { ...spineBody('UI_WORKED_EXAMPLE'), contractType: 'PERMANENT' },
    PORTAL,
    'validationFailed',
    'An unknown contract type',
  );

  const ls = await post('/v1/lump-sum-claims', spineBody('LS_WORKED_EXAMPLE'), PORTAL, 'workedExample', 'The domain.md worked example', {
    'idempotency-key': 'portal-ls-0001',
  });
  expectStatus(ls, 202, 'lump sum');
  await waitForStatus(ls.body.applicationId, 'COMPLETED');
  await get(`/v1/applications/${ls.body.applicationId}`, PORTAL, 'lumpSumCompleted', 'A lump sum settled (the domain.md worked example)');
  const gap = await post('/v1/lump-sum-claims', spineBody('LS_GAP_TOO_SHORT'), PORTAL);
  await waitForStatus(gap.body.applicationId, 'REJECTED');
  await get(`/v1/applications/${gap.body.applicationId}`, PORTAL, 'lumpSumNotEligible', 'Not eligible: the condition that failed, with its dates');
  await post('/v1/lump-sum-claims', spineBody('LS_WORKED_EXAMPLE'), VSSID.replace('vssid', 'nobody'), 'unauthenticated', 'An unknown bearer token');
}

async function staff(): Promise<void> {
  await get('/v1/staff/me', STAFF, 'officer', 'An officer');
  await get('/v1/staff/me', SUPERVISOR, 'supervisor', 'A supervisor');
  await get('/v1/staff/me', null, 'unauthenticated', 'No bearer token');

  const submitted = await post('/v1/household-renewals', householdBody('HEAD_NOT_FOUND'), PORTAL);
  const id = submitted.body.applicationId as string;
  await waitForStatus(id, 'IN_REVIEW');
  await get(`/v1/applications/${id}`, PORTAL, 'inReview', 'Waiting for staff to review the identity check');
  const listed = await openItemOf('HOUSEHOLD_RENEWAL', id);
  const itemId = listed.itemId as string;
  await get(`/v1/review-items?status=OPEN&service=HOUSEHOLD_RENEWAL&limit=1`, STAFF, 'openItems', 'The first open household-renewal item');
  await get('/v1/review-items?limit=0', STAFF, 'validationFailed', 'A limit out of range');
  await get('/v1/review-items?cursor=not-a-cursor', STAFF, 'invalidCursor', 'A cursor this API did not give');
  await get('/v1/review-items?q=036075006138', STAFF, 'searchByPersonalId', 'Search by a full personal ID (looked up by its keyed hash)');
  await get('/v1/review-items?q=x', STAFF, 'searchQueryTooShort', 'A search query of one character');
  await get('/v1/review-items?q=0360750', STAFF, 'searchPersonalIdIncomplete', 'A personal ID with fewer than 12 digits');
  await get(`/v1/review-items/${itemId}`, STAFF, 'open', 'An open item: submitted vs registry, the reason, the history');
  await get(`/v1/review-items/${itemId}`, OTHER_PROVINCE_STAFF, 'otherProvince', "Another province's officer");
  await get('/v1/review-items/RV-00000000000000000000000000', STAFF, 'notFound', 'An unknown item');
  await get(`/v1/review-items/${itemId}/context`, STAFF, 'context', 'Escalation and the application timeline');

  await post(`/v1/review-items/${itemId}/resolve`, { decision: 'APPROVE' }, STAFF, 'notClaimed', 'Deciding an item nobody claimed');
  expectStatus(await post(`/v1/review-items/${itemId}/claim`, {}, STAFF, 'claimed', 'The officer takes the item'), 200, 'claim');
  await post(`/v1/review-items/${itemId}/claim`, {}, SUPERVISOR, 'alreadyClaimed', 'Somebody else holds it');
  await post(`/v1/review-items/${itemId}/reveal`, {}, STAFF, 'purposeRequired', 'A reveal without its purpose');
  await post(`/v1/review-items/${itemId}/reveal`, { purpose: 'Đối chiếu CCCD bản gốc của công dân' }, STAFF, 'revealed', 'The full personal IDs, for a stated purpose (audited)');
  expectStatus(await post(`/v1/review-items/${itemId}/release`, {}, STAFF, 'released', 'The officer gives the item back'), 200, 'release');
  await post(`/v1/review-items/${itemId}/release`, {}, STAFF, 'notClaimed', 'Nobody holds it');
  await post(`/v1/review-items/${itemId}/reassign`, { toStaffId: 'staff.79.1' }, STAFF, 'supervisorOnly', 'Officers cannot reassign');
  await post(`/v1/review-items/${itemId}/reassign`, { toStaffId: 'staff.79.9' }, SUPERVISOR, 'unknownOfficer', 'An officer who never signed in');
  expectStatus(
    await post(`/v1/review-items/${itemId}/reassign`, { toStaffId: 'staff.79.1', note: 'Chị Lan xử lý hồ sơ hộ gia đình' }, SUPERVISOR, 'reassigned', 'A supervisor hands the item to an officer'),
    200,
    'reassign',
  );
  await get('/v1/review-queue?status=ACTIVE&limit=2', STAFF, 'active', 'The active queue, two rows');
  await post(`/v1/review-items/${itemId}/resolve`, { decision: 'REJECT' }, STAFF, 'reasonRequired', 'A rejection without its reason');
  expectStatus(
    await post(
      `/v1/review-items/${itemId}/resolve`,
      { decision: 'APPROVE', corrections: { personalId: '036075006183' }, evidenceNote: 'Xác minh với Công an TP qua điện thoại' },
      STAFF,
      'approved',
      'Approved with the corrected personal ID: the workflow resumes',
    ),
    200,
    'resolve',
  );
  await post(`/v1/review-items/${itemId}/resolve`, { decision: 'APPROVE' }, STAFF, 'alreadyResolved', 'Deciding it again');
  await get(`/v1/review-items/${itemId}/audit`, STAFF, 'auditTrail', "The item's audit trail");
  await waitForStatus(id, 'AWAITING_PAYMENT');

  const mismatch = await post('/v1/lump-sum-claims', spineBody('LS_NAME_MISMATCH'), PORTAL);
  await waitForStatus(mismatch.body.applicationId, 'IN_REVIEW');
  const lsItem = await openItemOf('LUMP_SUM_WITHDRAWAL', mismatch.body.applicationId);
  await post(`/v1/review-items/${lsItem.itemId}/claim`, undefined, STAFF);
  expectStatus(
    await post(`/v1/review-items/${lsItem.itemId}/resolve`, { decision: 'REJECT', reason: 'Họ tên trên CCCD khác với tờ khai' }, STAFF, 'rejected', 'Rejected with the reason: the application ends REJECTED'),
    200,
    'reject',
  );
  await waitForStatus(mismatch.body.applicationId, 'REJECTED');
  await get(`/v1/applications/${mismatch.body.applicationId}`, PORTAL, 'rejectedByStaff', 'Rejected by staff: the reviewed reason and the officer’s reason');

  await get('/v1/staff/officers', SUPERVISOR, 'officers', 'The officers who have signed in');
  await get('/v1/staff/officers', STAFF, 'supervisorOnly', 'Officers cannot list officers');
  await get('/v1/review-queue?status=APPROVED', SUPERVISOR, 'approved', 'Decided items');
  await get('/v1/review-stats', STAFF, 'officer', 'Counts per status');
  await get('/v1/review-notices', SUPERVISOR, 'notices', 'The escalations supervisors were told of');
  await get('/v1/review-notices', STAFF, 'supervisorOnly', 'Officers do not get the notices');
  await get('/v1/review-stats', SUPERVISOR, 'supervisor', 'With the per-reason and per-officer counts');
  await get('/v1/review-audit.csv?from=2026-11-22&to=2026-11-22', SUPERVISOR, 'oneDay', "A day's audit rows");
  await get('/v1/review-audit.csv?from=2026-11-23&to=2026-11-22', SUPERVISOR, 'invalidDateRange', 'The start after the end');
  await get('/v1/review-audit.csv?from=2026-11-22&to=2026-11-22', STAFF, 'supervisorOnly', 'Officers cannot export');
  await get('/v1/refunds-due', SUPERVISOR, 'refundsDue', 'Payments that bought nothing');
  await get('/v1/payments-reconciliation.csv?day=2026-11-22', SUPERVISOR, 'oneDay', "A day's payments");
  await get('/v1/payments-reconciliation.csv?day=22-11-2026', SUPERVISOR, 'invalidDateRange', 'Not a date');
}

/** A registry that does not answer (the demo's timeout ID), then the supervisors' re-check once it does. */
async function registryRecheck(): Promise<void> {
  const submitted = await post('/v1/household-renewals', householdBody('REGISTRY_TIMEOUT'), PORTAL);
  const id = submitted.body.applicationId as string;
  await waitForStatus(id, 'IN_REVIEW');
  const item = await openItemOf('HOUSEHOLD_RENEWAL', id);
  const path = `/v1/review-items/${item.itemId}/recheck-registry`;
  await post(path, undefined, STAFF, 'supervisorOnly', 'Officers cannot re-check');
  await post(path, undefined, SUPERVISOR, 'stillUnavailable', 'The registry still does not answer: nothing changes');
  system.setRegistryFaults({ timeoutIds: [] });
  await post('/v1/review-items/recheck-registry', undefined, SUPERVISOR, 'resumed', 'The registry is back: the items that pass resume, the others keep their new reason');
  await post(path, undefined, SUPERVISOR, 'notRegistryUnavailable', 'An item already decided');
  await waitForStatus(id, 'AWAITING_PAYMENT');
}

/** Drives the local system and writes docs/openapi-examples.json. */
export async function recordExamples(): Promise<void> {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  system = await startLocalSystem({
    now: DEMO_NOW,
    retryIntervalMs: 5,
    scheduleEveryMs: 0,
    registryTimeoutHoldMs: 0,
    // The demo's registry timeout goes to review at once (no waiting window), and the breaker does not open on it.
    env: { REGISTRY_WAIT_SECONDS: '0', REGISTRY_BREAKER_MIN_FAILURES: '1000000' },
  });
  try {
    await get('/v1/health', null, 'ok', 'Every part up');
    await household();
    await spineServices();
    await staff();
    await registryRecheck();
  } finally {
    await system.stop();
  }
  const sorted = Object.fromEntries(Object.entries(examples).sort(([a], [b]) => a.localeCompare(b)));
  const file = new URL('../docs/openapi-examples.json', import.meta.url);
  writeFileSync(
    file,
    `${JSON.stringify({ recorded: `npm run openapi -- --examples (scripts/record-examples.ts), the demo seed at ${DEMO_NOW}`, operations: sorted }, null, 2)}\n`,
  );
  const count = Object.values(sorted).reduce((n, byStatus) => n + Object.values(byStatus).reduce((m, e) => m + Object.keys(e).length, 0), 0);
  process.stdout.write(`wrote ${count} examples to ${file.pathname}\n`);
}
