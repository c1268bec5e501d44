import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SFNClient, SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { useLocalTables } from '../support/tables';
import { dynamo } from '../../functions/adapters/dynamo';
import { applicationsRepository, householdResultOf, type ApplicationRecord } from '../../functions/adapters/applicationsRepository';
import { getHealthCards, renewCardUpdate } from '../../functions/adapters/insuranceRecordsRepository';
import { receivePaymentCallback } from '../../functions/household/householdPayments';
import { decodeQuote, paymentsRepository } from '../../functions/adapters/paymentsRepository';
import {
  quoteHousehold,
  recordQuoteAndAwaitPayment,
  submitHouseholdRenewal,
  MAX_BILLABLE_MEMBERS,
} from '../../functions/household/householdRenewal';
import { handler as classifyStep } from '../../functions/steps/classifyHouseholdMembers';
import { handler as priceStep } from '../../functions/steps/priceHouseholdRenewal';
import { handler as awaitStep } from '../../functions/steps/awaitHouseholdPayment';
import { renewedCardValidity } from '../../functions/domain/household/cardValidity';
import { now } from '../../functions/shared/clock';
import type { HouseholdQuote, PaymentConfirmation } from '../../functions/domain/types';
import { MAX_CONTENDERS } from '../../functions/household/renewalHolds';
import {
  InMemoryRegistry,
  STATE_MACHINE_ARN,
  TODAY,
  WORKED_EXAMPLE_TOTAL,
  cards,
  daughter,
  father,
  grandmother,
  headClaim,
  members,
  mother,
  PAYMENT_SECRET,
  seedCards,
  sign,
  son,
  useHouseholdEnv,
} from './householdFixture';

const sfn = mockClient(SFNClient);
let tables: Record<string, string>;
let registry: InMemoryRegistry;

async function appItem(applicationId: string) {
  const out = await dynamo().send(new GetCommand({ TableName: tables.APPLICATIONS_TABLE, Key: { applicationId }, ConsistentRead: true }));
  return out.Item;
}

async function cardItem(personalId: string) {
  const out = await dynamo().send(
    new GetCommand({ TableName: tables.INSURANCE_RECORDS_TABLE, Key: { personalId, recordType: 'HEALTH_CARD' }, ConsistentRead: true }),
  );
  return out.Item;
}

/** Application items (idempotency records, `IDEMPOTENCY#…`, share the table and are not counted). */
async function countApplications(): Promise<number> {
  const out = await dynamo().send(new ScanCommand({ TableName: tables.APPLICATIONS_TABLE, ConsistentRead: true }));
  return (out.Items ?? []).filter((i) => !String(i.applicationId).startsWith('IDEMPOTENCY#')).length;
}

/** The idempotency record of a household-renewal key of a consumer. */
async function idempotencyRecord(consumerId: string, key: string) {
  const hash = createHash('sha256').update(`HOUSEHOLD_RENEWAL|${consumerId}|${key}`).digest('hex');
  return appItem(`IDEMPOTENCY#${hash}`);
}

async function caught(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** The payment request of an application (its item in the payments table) and the quote stored in it. */
async function requestOf(applicationId: string) {
  const id = (await appItem(applicationId))!.paymentRequestId as string;
  const request = (await paymentsRepository.getRequest(id))!;
  return { ...request, ...decodeQuote(request) };
}

/** No household hold (the renewals here run without a household id unless a test gives one). */
async function clearRenewalHolds(): Promise<void> {}

let keySeq = 0;
/** A submitted application waiting for payment of the worked-example quote (token 'task-token-…'). */
async function awaitingPayment(): Promise<{ applicationId: string; quote: HouseholdQuote; taskToken: string }> {
  await clearRenewalHolds();
  const key = `pay-${++keySeq}-${Date.now()}`;
  const { applicationId } = await submitHouseholdRenewal({ body: { head: headClaim, periodMonths: 12 }, idempotencyKey: key, consumerId: 'k1' }, now());
  const quote = await quoteHousehold({ head: headClaim, periodMonths: 12 }, registry, TODAY);
  const taskToken = `task-token-${key}`;
  await recordQuoteAndAwaitPayment({ applicationId, quote, paymentTimeoutSeconds: 604800, taskToken });
  return { applicationId, quote, taskToken };
}

beforeAll(async () => {
  useHouseholdEnv();
  tables = await useLocalTables('household');
  await seedCards();
});

const startExecution = (input: { name?: string }) => ({
  executionArn: `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${input.name}`,
  startDate: new Date(),
});

beforeEach(() => {
  sfn.reset();
  sfn.on(StartExecutionCommand).callsFake(startExecution);
  sfn.on(SendTaskSuccessCommand).resolves({});
  registry = new InMemoryRegistry();
});

describe('clock', () => {
  it('runs on 2026-07-01 in Vietnam', async () => {
    const { vietnamDate } = await import('../../functions/shared/clock');
    expect(vietnamDate()).toBe('2026-07-01');
  });
});

describe('insuranceRecordsRepository', () => {
  it('reads cards in chunks of 100 and returns only the ones on record', async () => {
    const ids = [...members.map((m) => m.personalId), ...Array.from({ length: 230 }, (_, i) => `0790990${String(i).padStart(5, '0')}`)];
    const found = await getHealthCards(ids);
    expect([...found.keys()].sort()).toEqual(cards.map((c) => c.personalId).sort());
    expect(found.get(mother.personalId)).toEqual(cards[1]);
  });

  it('a Put conditioned on an outdated expiry cancels the transaction; attribute_not_exists refuses an existing card', async () => {
    const stale = renewCardUpdate(cards[1], { validFrom: '2026-07-15', expiresOn: '2027-07-14' }, '2000-01-01');
    const err = await caught(dynamo().send(new TransactWriteCommand({ TransactItems: [stale] })));
    expect(err.name).toBe('TransactionCanceledException');
    const notNew = renewCardUpdate({ personalId: mother.personalId }, { validFrom: '2026-07-31', expiresOn: '2027-07-30' }, null);
    expect((await caught(dynamo().send(new TransactWriteCommand({ TransactItems: [notNew] })))).name).toBe('TransactionCanceledException');
    expect(await cardItem(mother.personalId)).toMatchObject({ expiresOn: '2026-07-14' });
  });

  it('a first enrolment gets no invented number: socialInsuranceNumber null, pendingNumberAssignment', () => {
    const put = renewCardUpdate({ personalId: son.personalId }, { validFrom: '2026-07-31', expiresOn: '2027-07-30' }, null).Put!;
    expect(put.Item).toMatchObject({ socialInsuranceNumber: null, pendingNumberAssignment: true, coverageGroup: 'HOUSEHOLD' });
    expect(put.ConditionExpression).toBe('attribute_not_exists(personalId)');
  });
});

describe('quoteHousehold', () => {
  it('prices the domain.md worked example: 3,825,360 with the father excluded (insured at work)', async () => {
    const before = await countApplications();
    const quote = await quoteHousehold({ head: headClaim, periodMonths: 12 }, registry, TODAY);
    expect(quote.total).toBe(WORKED_EXAMPLE_TOTAL);
    expect(quote.paymentDate).toBe(TODAY);
    expect(quote.baseSalary).toBe(2_530_000);
    expect(quote.members.map((m) => m.periodAmount)).toEqual([1_366_200, 956_340, 819_720, 683_100]);
    expect(quote.members.map((m) => m.personalId)).toEqual([mother, grandmother, son, daughter].map((m) => m.personalId));
    expect(quote.excluded).toEqual([expect.objectContaining({ personalId: father.personalId, reason: 'COVERED_BY_EMPLOYER' })]);
    expect(await countApplications()).toBe(before); // no side effects
  });

  it('NEEDS_REVIEW → 422 IDENTITY_NOT_VERIFIED with the reason in vi and en (no review item)', async () => {
    const err = await caught(quoteHousehold({ head: { ...headClaim, fullName: 'Nguyễn Văn Bình' }, periodMonths: 12 }, registry, TODAY));
    expect(err.httpStatus).toBe(422);
    expect(err.code).toBe('IDENTITY_NOT_VERIFIED');
    expect(err.details.reasonCode).toBe('NAME_MISMATCH');
    expect(err.messageVi).toContain('Họ và tên');
    expect(err.messageEn).toContain('full name');
  });

  it('a household member at another address → 422 ADDRESS_MISMATCH', async () => {
    const household = registry.households.get(father.personalId)!;
    household.members[2] = { ...household.members[2], permanentAddress: { code: 'ADDR-OTHER', text: 'elsewhere' } };
    const err = await caught(quoteHousehold({ head: headClaim, periodMonths: 12 }, registry, TODAY));
    expect(err.code).toBe('IDENTITY_NOT_VERIFIED');
    expect(err.details.reasonCode).toBe('ADDRESS_MISMATCH');
  });

  it('registry down → 503 REGISTRY_UNAVAILABLE', async () => {
    registry.unavailable = true;
    const err = await caught(quoteHousehold({ head: headClaim, periodMonths: 12 }, registry, TODAY));
    expect(err.httpStatus).toBe(503);
    expect(err.code).toBe('REGISTRY_UNAVAILABLE');
  });
});

describe('step handlers ClassifyHouseholdMembers → PriceHouseholdRenewal', () => {
  it('classify then price the registry household gives the worked example', async () => {
    const classification = await classifyStep({ applicationId: 'HR-STEPTEST0001', members, periodMonths: 12 });
    expect(classification.billable).toHaveLength(4);
    expect(classification.excluded.map((e) => e.personalId)).toEqual([father.personalId]);
    const quote = await priceStep({ applicationId: 'HR-STEPTEST0001', periodMonths: 12, classification });
    expect(quote.total).toBe(WORKED_EXAMPLE_TOTAL);
    expect(quote.paymentDate).toBe(TODAY);
  });

  it('nobody billable → error named NoBillableMembers', async () => {
    const err = await caught(priceStep({ applicationId: 'HR-STEPTEST0002', periodMonths: 12, classification: { billable: [], excluded: [] } }));
    expect(err.name).toBe('NoBillableMembers');
  });

  it(`more than ${MAX_BILLABLE_MEMBERS} billable members → HouseholdTooLarge (one transaction renews all)`, async () => {
    const billable = Array.from({ length: MAX_BILLABLE_MEMBERS + 1 }, (_, i) => ({
      member: { ...mother, personalId: `079187${String(i).padStart(6, '0')}` },
      card: null,
    }));
    const err = await caught(priceStep({ applicationId: 'HR-STEPTEST0003', periodMonths: 12, classification: { billable, excluded: [] } }));
    expect(err.name).toBe('HouseholdTooLarge');
    expect(err.code).toBe('HOUSEHOLD_TOO_LARGE');
  });
});

describe('submitHouseholdRenewal', () => {
  const body = { head: headClaim, periodMonths: 12 as const };

  it('same Idempotency-Key twice → one application, one execution named after it', async () => {
    const before = await countApplications();
    const first = await submitHouseholdRenewal({ body, idempotencyKey: 'same-key-1', consumerId: 'api-key-A' }, now());
    const second = await submitHouseholdRenewal({ body, idempotencyKey: 'same-key-1', consumerId: 'api-key-A' }, now());
    expect(second.applicationId).toBe(first.applicationId);
    expect(first.applicationId).toMatch(/^HR-[0-9A-Z]{26}$/);
    expect(await countApplications()).toBe(before + 1);
    // The key maps to the (random) id through its idempotency record, written with the application.
    expect(await idempotencyRecord('api-key-A', 'same-key-1')).toEqual({
      applicationId: expect.stringMatching(/^IDEMPOTENCY#[0-9a-f]{64}$/),
      targetApplicationId: first.applicationId,
      requestHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      service: 'HOUSEHOLD_RENEWAL',
      consumerId: 'api-key-A',
      createdAt: expect.any(String),
    });
    expect((await appItem(first.applicationId))!.consumerId).toBe('api-key-A');

    const starts = sfn.commandCalls(StartExecutionCommand);
    expect(starts.length).toBeGreaterThanOrEqual(1);
    for (const call of starts) expect(call.args[0].input.name).toBe(first.applicationId);
    const input = JSON.parse(starts[0].args[0].input.input!);
    expect(input).toEqual({
      applicationId: first.applicationId,
      service: 'HOUSEHOLD_RENEWAL',
      provinceCode: '79',
      head: headClaim,
      periodMonths: 12,
      reviewTimeoutSeconds: 432000,
      paymentTimeoutSeconds: 604800,
    });
    const item = await appItem(first.applicationId);
    // Created VERIFYING with its execution's ARN and WORKFLOW_STARTED: one Put, no later write.
    expect(item).toMatchObject({ status: 'VERIFYING', service: 'HOUSEHOLD_RENEWAL', executionArn: `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${first.applicationId}` });
    expect(item!.timeline.map((e: { event: string; status?: string }) => [e.event, e.status])).toEqual([['RECEIVED', 'RECEIVED'], ['WORKFLOW_STARTED', 'VERIFYING']]);
    expect(first.status).toBe('VERIFYING');
    expect(item!.version).toBe(1);
  });

  it('the same key from another consumer is another application', async () => {
    const a = await submitHouseholdRenewal({ body, idempotencyKey: 'shared-key', consumerId: 'api-key-A' }, now());
    const b = await submitHouseholdRenewal({ body, idempotencyKey: 'shared-key', consumerId: 'api-key-B' }, now());
    expect(a.applicationId).not.toBe(b.applicationId);
  });

  it('same key, other body → 422 IDEMPOTENCY_KEY_REUSED', async () => {
    await submitHouseholdRenewal({ body, idempotencyKey: 'reuse-key', consumerId: 'api-key-A' }, now());
    const err = await caught(submitHouseholdRenewal({ body: { ...body, periodMonths: 6 }, idempotencyKey: 'reuse-key', consumerId: 'api-key-A' }, now()));
    expect(err.httpStatus).toBe(422);
    expect(err.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('a crash after the create is repaired by the retry: the execution starts with the same name', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejectsOnce(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }))
      .callsFake(startExecution);
    await expect(submitHouseholdRenewal({ body, idempotencyKey: 'crash-key', consumerId: 'c' }, now())).rejects.toThrow('socket hang up');
    const id = (await idempotencyRecord('c', 'crash-key'))!.targetApplicationId as string;
    const created = await appItem(id);
    expect(created!.status).toBe('VERIFYING');

    const retried = await submitHouseholdRenewal({ body, idempotencyKey: 'crash-key', consumerId: 'c' }, now());
    expect(retried.applicationId).toBe(id);
    const names = sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name);
    expect(names).toEqual([id, id]);
    // The retry wrote nothing: the start is idempotent by name.
    expect(await appItem(id)).toEqual(created);
  });

  it('a crash between the idempotency record and the application: the retry creates the application the record names', async () => {
    const hash = createHash('sha256').update('HOUSEHOLD_RENEWAL|c|half-key').digest('hex');
    const targetApplicationId = 'HR-01M80HALFWRITTEN00000000';
    const first = await submitHouseholdRenewal({ body, idempotencyKey: 'probe-key', consumerId: 'c' }, now());
    const probe = await idempotencyRecord('c', 'probe-key');
    await dynamo().send(
      new PutCommand({
        TableName: tables.APPLICATIONS_TABLE,
        Item: { ...probe, applicationId: `IDEMPOTENCY#${hash}`, targetApplicationId },
      }),
    );
    expect(await appItem(targetApplicationId)).toBeUndefined();
    const retried = await submitHouseholdRenewal({ body, idempotencyKey: 'half-key', consumerId: 'c' }, now());
    expect(retried).toEqual({ applicationId: targetApplicationId, status: 'VERIFYING', created: false });
    expect(await appItem(targetApplicationId)).toMatchObject({ status: 'VERIFYING', consumerId: 'c', request: body });
    expect(sfn.commandCalls(StartExecutionCommand).at(-1)!.args[0].input.name).toBe(targetApplicationId);
    expect(first.applicationId).not.toBe(targetApplicationId);
  });

  it('concurrent submits of one key: one application, one WORKFLOW_STARTED, everyone answered with its id', async () => {
    const before = await countApplications();
    const outs = await Promise.all(
      Array.from({ length: 12 }, () => submitHouseholdRenewal({ body, idempotencyKey: 'race-key', consumerId: 'c' }, now())),
    );
    const id = (await idempotencyRecord('c', 'race-key'))!.targetApplicationId;
    expect(new Set(outs.map((o) => o.applicationId))).toEqual(new Set([id]));
    expect(outs.filter((o) => o.created)).toHaveLength(1);
    expect(await countApplications()).toBe(before + 1);
    expect((await appItem(id))!.timeline.filter((e: { event: string }) => e.event === 'WORKFLOW_STARTED')).toHaveLength(1);
  });

  it('ExecutionAlreadyExists counts as started', async () => {
    sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('exists'), { name: 'ExecutionAlreadyExists' }));
    const out = await submitHouseholdRenewal({ body, idempotencyKey: 'exists-key', consumerId: 'c' }, now());
    expect((await appItem(out.applicationId))!.executionArn).toBe(`${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${out.applicationId}`);
  });

  it('without a key every submit is a new application with a ULID-like id', async () => {
    const a = await submitHouseholdRenewal({ body, consumerId: 'c' }, now());
    const b = await submitHouseholdRenewal({ body, consumerId: 'c' }, now());
    expect(a.applicationId).not.toBe(b.applicationId);
    expect(a.applicationId).toMatch(/^HR-[0-9A-Z]{26}$/);
  });
});

describe('AwaitHouseholdPayment step', () => {
  it('stores quote, token and due date; AWAITING_PAYMENT', async () => {
    const { applicationId } = await submitHouseholdRenewal({ body: { head: headClaim, periodMonths: 12 }, idempotencyKey: 'await-1', consumerId: 'c' }, now());
    const quote = await quoteHousehold({ head: headClaim, periodMonths: 12 }, registry, TODAY);
    await clearRenewalHolds();
    const out = await awaitStep({ applicationId, quote, paymentTimeoutSeconds: 3600, taskToken: 'tok-await-1' });
    const due = Date.parse(out.paymentDueAt) - now().getTime();
    expect(due).toBeGreaterThan(3590_000);
    expect(due).toBeLessThanOrEqual(3600_000);
    const item = await appItem(applicationId);
    expect(item).toMatchObject({ status: 'AWAITING_PAYMENT', paymentRequestId: out.paymentRequestId });
    // The quote and the token are written once, in the payment request, not in the application.
    expect(item!.quote).toBeUndefined();
    expect(JSON.stringify(item)).not.toContain('tok-await-1');
    const request = await requestOf(applicationId);
    expect(request).toMatchObject({ taskToken: 'tok-await-1', dueAt: out.paymentDueAt, amount: quote.total, quote });
    expect(Object.keys(request.quoteCards).sort()).toEqual(quote.members.map((m) => m.personalId).sort());

    // A retried invocation keeps the request and its deadline; only the token changes.
    const again = await awaitStep({ applicationId, quote, paymentTimeoutSeconds: 3600, taskToken: 'tok-await-1b' });
    expect(again).toEqual(out);
    expect((await requestOf(applicationId)).taskToken).toBe('tok-await-1b');
  });
});

describe('payment callback (receivePaymentCallback)', () => {
  let refSeq = 0;
  const ref = (label: string) => `GW-${label}-${++refSeq}-${Date.now()}`;
  const body = (paymentRequestId: string, gatewayReference: string, amount = WORKED_EXAMPLE_TOTAL) =>
    JSON.stringify({ paymentRequestId, gatewayReference, amount, paidAt: now().toISOString() });
  const callback = (raw: string, options: Parameters<typeof sign>[1] = {}) => receivePaymentCallback(raw, sign(raw, options));
  const requestIdOf = async (applicationId: string) => (await appItem(applicationId))!.paymentRequestId as string;

  it('AwaitHouseholdPayment opens an unguessable payment request with the amount and deadline, in the application', async () => {
    const { applicationId } = await awaitingPayment();
    const app = await appItem(applicationId);
    expect(app!.paymentRequestId).toMatch(/^PR-[0-9A-HJKMNP-TV-Z]{26}$/);
    const request = await requestOf(applicationId);
    expect(request).toMatchObject({ applicationId, amount: WORKED_EXAMPLE_TOTAL, provinceCode: '79', paymentRequestId: app!.paymentRequestId });
    // Members who resume or enrol anew get dates that hold for today's payment only: due by the end of today.
    expect(request.dueAt).toBe('2026-07-01T16:59:59.999Z');
  });

  it('bad, missing, tampered or stale signature → 401 and nothing changes; the previous secret still works', async () => {
    const { applicationId } = await awaitingPayment();
    const before = await appItem(applicationId);
    const raw = body(before!.paymentRequestId, ref('SIG'));
    const nowSeconds = Math.floor(now().getTime() / 1000);
    const signed = sign(raw);
    const cases: [{ timestamp?: string; signature?: string }, string][] = [
      [sign(raw, { secret: 'wrong-secret' }), 'INVALID_SIGNATURE'],
      [{ timestamp: sign(raw).timestamp }, 'INVALID_SIGNATURE'],
      [{ ...signed, timestamp: String(Number(signed.timestamp) + 1) }, 'INVALID_SIGNATURE'], // the timestamp is signed
      [{ signature: sign(raw).signature }, 'INVALID_SIGNATURE'],
      [sign(raw, { timestamp: nowSeconds - 400 }), 'STALE_SIGNATURE'],
      [sign(raw, { timestamp: nowSeconds + 400 }), 'STALE_SIGNATURE'],
    ];
    for (const [headers, code] of cases) {
      const err = await caught(receivePaymentCallback(raw, headers));
      expect(err.httpStatus).toBe(401);
      expect(err.code).toBe(code);
    }
    expect((await caught(receivePaymentCallback(`${raw} `, sign(raw)))).code).toBe('INVALID_SIGNATURE');
    expect(await appItem(applicationId)).toEqual(before);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);

    process.env.PAYMENT_WEBHOOK_SECRET = 'rotated-new-secret';
    process.env.PAYMENT_WEBHOOK_SECRET_PREVIOUS = PAYMENT_SECRET;
    try {
      const out = await callback(raw, { timestamp: nowSeconds - 240 });
      expect(out.httpStatus).toBe(200);
    } finally {
      process.env.PAYMENT_WEBHOOK_SECRET = PAYMENT_SECRET;
      delete process.env.PAYMENT_WEBHOOK_SECRET_PREVIOUS;
    }
  });

  it('wrong amount → 422 AMOUNT_MISMATCH, nothing recorded; invalid body → 400; unknown request → 404', async () => {
    const { applicationId } = await awaitingPayment();
    const before = await appItem(applicationId);
    const id = before!.paymentRequestId;
    const reference = ref('AMT');
    const err = await caught(callback(body(id, reference, WORKED_EXAMPLE_TOTAL - 1)));
    expect(err.httpStatus).toBe(422);
    expect(err.code).toBe('AMOUNT_MISMATCH');
    expect(err.details).toEqual({ expected: WORKED_EXAMPLE_TOTAL, received: WORKED_EXAMPLE_TOTAL - 1 });
    expect(await paymentsRepository.getTransaction(reference)).toBeNull();
    for (const raw of ['{"paymentRequestId":"PR-1","gatewayReference":"G","amount":1,"paidAt":"2026-07-01T00:00:00Z"}', JSON.stringify({ paymentRequestId: id, gatewayReference: '', amount: 1.5 })]) {
      expect((await caught(callback(raw))).code).toBe('VALIDATION_FAILED');
    }
    expect((await caught(callback('{oops'))).code).toBe('MALFORMED_JSON');
    const unknown = await caught(callback(body(`PR-${'0'.repeat(26)}`, ref('UNK'))));
    expect(unknown.httpStatus).toBe(404);
    expect(unknown.code).toBe('PAYMENT_REQUEST_NOT_FOUND');
    expect(await appItem(applicationId)).toEqual(before);
  });

  it('right amount → gateway txn APPLIED, cards renewed, application COMPLETED and the wait ended; repeat → 200, nothing new', async () => {
    const { applicationId, taskToken } = await awaitingPayment();
    const id = await requestIdOf(applicationId);
    const reference = ref('OK');
    const raw = body(id, reference);
    const out = await callback(raw);
    expect(out.httpStatus).toBe(200);
    expect(out.body).toMatchObject({ outcome: 'APPLIED', applicationId, paymentRequestId: id, gatewayReference: reference, amount: WORKED_EXAMPLE_TOTAL, workflowResumed: true });
    const item = await appItem(applicationId);
    expect(item).toMatchObject({ status: 'COMPLETED', paymentReference: reference });
    const txn = await paymentsRepository.getTransaction(reference);
    expect(txn).toMatchObject({ outcome: 'APPLIED', applicationId, amount: WORKED_EXAMPLE_TOTAL, reconciliationDay: `79#${TODAY}` });
    const expected: PaymentConfirmation = { paymentReference: reference, paymentRequestId: id, amount: WORKED_EXAMPLE_TOTAL, paidAt: txn!.receivedAt, paymentDate: TODAY };
    const calls = sfn.commandCalls(SendTaskSuccessCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input.taskToken).toBe(taskToken);
    expect(JSON.parse(calls[0].args[0].input.output!)).toEqual(expected);

    const version = item!.version;
    const repeat = await callback(raw);
    expect(repeat.httpStatus).toBe(200);
    expect(repeat.body).toMatchObject({ outcome: 'APPLIED', status: 'COMPLETED' });
    expect((await appItem(applicationId))!.version).toBe(version);
    // A repeat ends the wait again (a wait already ended answers TaskTimedOut / InvalidToken): nothing is written.
    expect(sfn.commandCalls(SendTaskSuccessCommand).map((c) => c.args[0].input.taskToken)).toEqual([taskToken, taskToken]);
  });

  it('a second payment of the same request → REFUND_DUE ALREADY_PAID (409, recorded), the same answer when repeated', async () => {
    const { applicationId } = await awaitingPayment();
    const id = await requestIdOf(applicationId);
    await callback(body(id, ref('FIRST')));
    const second = ref('SECOND');
    const raw = body(id, second);
    const err = await caught(callback(raw));
    expect(err.httpStatus).toBe(409);
    expect(err.code).toBe('ALREADY_PAID');
    expect(err.messageVi ?? err.message).toBeTruthy();
    expect(err.details).toMatchObject({ refundDue: true, gatewayReference: second, amount: WORKED_EXAMPLE_TOTAL, applicationId });
    const txn = await paymentsRepository.getTransaction(second);
    expect(txn).toMatchObject({ outcome: 'REFUND_DUE', reason: { code: 'ALREADY_PAID' }, refundDueProvince: '79', amount: WORKED_EXAMPLE_TOTAL });
    const again = await caught(callback(raw));
    expect(again.code).toBe('ALREADY_PAID');
    expect(await paymentsRepository.getTransaction(second)).toEqual(txn);
  });

  it('a gateway reference reused for another request → 409 GATEWAY_REFERENCE_REUSED and nothing changes', async () => {
    const a = await awaitingPayment();
    const b = await awaitingPayment();
    const reference = ref('REUSE');
    await callback(body(await requestIdOf(a.applicationId), reference));
    const before = await appItem(b.applicationId);
    const err = await caught(callback(body(await requestIdOf(b.applicationId), reference)));
    expect(err.httpStatus).toBe(409);
    expect(err.code).toBe('GATEWAY_REFERENCE_REUSED');
    expect(await appItem(b.applicationId)).toEqual(before);
    expect((await paymentsRepository.getTransaction(reference))!.applicationId).toBe(a.applicationId);
  });

  it("a quote whose validThrough has passed: the request's deadline was bounded by it → REFUND_DUE PAYMENT_DEADLINE_PASSED, the application untouched", async () => {
    const { applicationId } = await submitHouseholdRenewal({ body: { head: headClaim, periodMonths: 12 }, idempotencyKey: 'expired-quote', consumerId: 'c' }, now());
    const quote = await quoteHousehold({ head: headClaim, periodMonths: 12 }, registry, TODAY);
    await clearRenewalHolds();
    await recordQuoteAndAwaitPayment({ applicationId, quote: { ...quote, validThrough: '2026-06-30' }, paymentTimeoutSeconds: 604800, taskToken: 't' });
    const before = await appItem(applicationId);
    const err = await caught(callback(body(before!.paymentRequestId, ref('LATEQ'))));
    expect(err.httpStatus).toBe(409);
    expect((await requestOf(applicationId)).dueAt).toBe('2026-06-30T16:59:59.999Z');
    expect(err.code).toBe('PAYMENT_DEADLINE_PASSED');
    expect(err.details.refundDue).toBe(true);
    expect(await appItem(applicationId)).toEqual(before);
  });

  it('two concurrent callbacks with different references: exactly one applied, the other a refund due', async () => {
    const { applicationId } = await awaitingPayment();
    const id = await requestIdOf(applicationId);
    const results = await Promise.allSettled([callback(body(id, ref('A'))), callback(body(id, ref('B')))]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason.httpStatus).toBe(409);
    expect(rejected.reason.details.refundDue).toBe(true);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(1);
  });
});

describe('the payment callback renews the cards (one transaction)', () => {
  async function paid() {
    const ctx = await awaitingPayment();
    const paymentRequestId = (await appItem(ctx.applicationId))!.paymentRequestId;
    const raw = JSON.stringify({ paymentRequestId, gatewayReference: `PAY-R-${ctx.applicationId}`, amount: WORKED_EXAMPLE_TOTAL, paidAt: now().toISOString() });
    return { ...ctx, raw, paymentRequestId, out: await caughtOrValue(receivePaymentCallback(raw, sign(raw))) };
  }

  async function caughtOrValue<T>(promise: Promise<T>): Promise<T | any> {
    try {
      return await promise;
    } catch (error) {
      return error;
    }
  }

  async function resetCards() {
    await seedCards();
    // The son has no card on record: remove the one a previous test wrote.
    await dynamo().send(new DeleteCommand({ TableName: tables.INSURANCE_RECORDS_TABLE, Key: { personalId: son.personalId, recordType: 'HEALTH_CARD' } }));
  }

  it('writes every member card with the exact quoted validity and COMPLETED; the result is derived from the quote', async () => {
    await resetCards();
    const { applicationId, quote, out } = await paid();
    expect(out.httpStatus).toBe(200);

    const expectedValidity: Record<string, { validFrom: string; expiresOn: string }> = {
      [mother.personalId]: { validFrom: '2026-07-15', expiresOn: '2027-07-14' }, // continuous
      [grandmother.personalId]: { validFrom: '2026-07-01', expiresOn: '2027-06-30' }, // resumed within 3 months
      [son.personalId]: { validFrom: '2026-07-31', expiresOn: '2027-07-30' }, // first enrolment: +30 days
      [daughter.personalId]: { validFrom: '2026-07-31', expiresOn: '2027-07-30' }, // gap ≥ 3 months: +30 days
    };
    for (const m of quote.members) {
      const card = cards.find((c) => c.personalId === m.personalId) ?? null;
      expect(renewedCardValidity(card, TODAY, 12)).toEqual(expectedValidity[m.personalId]);
      expect({ validFrom: m.cardValidFrom, expiresOn: m.cardExpiresOn }).toEqual(expectedValidity[m.personalId]);
    }
    for (const [personalId, validity] of Object.entries(expectedValidity)) {
      const item = await cardItem(personalId);
      const previous = cards.find((c) => c.personalId === personalId);
      expect(item).toMatchObject({ ...validity, coverageGroup: 'HOUSEHOLD', renewedByApplicationId: applicationId });
      expect(item!.socialInsuranceNumber).toBe(previous?.socialInsuranceNumber ?? null);
      if (!previous) expect(item!.pendingNumberAssignment).toBe(true);
    }
    expect(await cardItem(father.personalId)).toMatchObject({ coverageGroup: 'EMPLOYEE', expiresOn: '2026-12-31' });

    const app = (await appItem(applicationId)) as ApplicationRecord;
    expect(app).toMatchObject({ status: 'COMPLETED', paymentReference: `PAY-R-${applicationId}` });
    const request = await requestOf(applicationId);
    expect(householdResultOf(app, request)).toEqual({
      paymentReference: `PAY-R-${applicationId}`,
      amountPaid: WORKED_EXAMPLE_TOTAL,
      members: quote.members.map((m) => ({ personalId: m.personalId, fullName: m.fullName, cardValidFrom: expectedValidity[m.personalId].validFrom, cardExpiresOn: expectedValidity[m.personalId].expiresOn })),
      excluded: quote.excluded,
    });
    // The application item stays under 1 KB (1 WRU per write; 2 in the transaction).
    expect(Buffer.byteLength(JSON.stringify(app))).toBeLessThan(1024);
  });

  it('a card changed between the read and the write: the transaction is cancelled, re-read, FAILED CARD_CHANGED_SINCE_QUOTE with the refund due; nothing extended past the quote', async () => {
    await resetCards();
    const ctx = await awaitingPayment();
    const paymentRequestId = (await appItem(ctx.applicationId))!.paymentRequestId;
    const raw = JSON.stringify({ paymentRequestId, gatewayReference: `PAY-C-${ctx.applicationId}`, amount: WORKED_EXAMPLE_TOTAL, paidAt: now().toISOString() });
    const client = dynamo();
    const send = client.send.bind(client);
    let intercepted = false;
    const spy = vi.spyOn(client, 'send').mockImplementation((async (command: unknown) => {
      if (!intercepted && command instanceof TransactWriteCommand && (command.input.TransactItems?.length ?? 0) > 1) {
        intercepted = true;
        // Another renewal extended the mother's card meanwhile.
        await send(new PutCommand({ TableName: tables.INSURANCE_RECORDS_TABLE, Item: { ...cards[1], recordType: 'HEALTH_CARD', expiresOn: '2026-12-31' } }));
      }
      return send(command as never);
    }) as never);
    let err: any;
    try {
      err = await caught(receivePaymentCallback(raw, sign(raw)));
      expect(intercepted).toBe(true);
    } finally {
      spy.mockRestore();
    }
    expect(err.httpStatus).toBe(409);
    expect(err.code).toBe('CARD_CHANGED_SINCE_QUOTE');
    expect(err.details).toMatchObject({ refundDue: true, amount: WORKED_EXAMPLE_TOTAL, applicationId: ctx.applicationId });
    // The other renewal's write stands; this one extended nothing.
    expect(await cardItem(mother.personalId)).toMatchObject({ expiresOn: '2026-12-31' });
    expect(await cardItem(grandmother.personalId)).toMatchObject({ expiresOn: cards.find((c) => c.personalId === grandmother.personalId)!.expiresOn });
    expect(await appItem(ctx.applicationId)).toMatchObject({ status: 'FAILED', reason: { code: 'CARD_CHANGED_SINCE_QUOTE' }, paymentReference: `PAY-C-${ctx.applicationId}` });
    expect(await paymentsRepository.getTransaction(`PAY-C-${ctx.applicationId}`)).toMatchObject({ outcome: 'REFUND_DUE', refundDueProvince: '79', reason: { code: 'CARD_CHANGED_SINCE_QUOTE' } });
    const failures = sfn.commandCalls(SendTaskFailureCommand);
    expect(failures.at(-1)!.args[0].input).toMatchObject({ taskToken: ctx.taskToken, error: 'CardChangedSinceQuote' });
    expect(failures.at(-1)!.args[0].input.cause).not.toContain(mother.personalId);
    // The gateway repeating the callback gets the same answer.
    expect((await caught(receivePaymentCallback(raw, sign(raw)))).code).toBe('CARD_CHANGED_SINCE_QUOTE');
  });

  it('a member now insured at work (card in force in another group) → CARD_CHANGED_SINCE_QUOTE, no card written', async () => {
    await resetCards();
    const ctx = await awaitingPayment();
    await dynamo().send(
      new PutCommand({
        TableName: tables.INSURANCE_RECORDS_TABLE,
        Item: { ...cards[3], recordType: 'HEALTH_CARD', coverageGroup: 'EMPLOYEE', validFrom: '2026-06-01', expiresOn: '2026-12-31' },
      }),
    );
    const paymentRequestId = (await appItem(ctx.applicationId))!.paymentRequestId;
    const raw = JSON.stringify({ paymentRequestId, gatewayReference: `PAY-W-${ctx.applicationId}`, amount: WORKED_EXAMPLE_TOTAL, paidAt: now().toISOString() });
    const err = await caught(receivePaymentCallback(raw, sign(raw)));
    expect(err.code).toBe('CARD_CHANGED_SINCE_QUOTE');
    expect(JSON.stringify(err.details)).not.toContain(daughter.personalId);
    expect((await appItem(ctx.applicationId))!.status).toBe('FAILED');
    expect(await cardItem(mother.personalId)).toMatchObject({ expiresOn: '2026-07-14' });
  });
});

describe('one renewal per household at a time (the household hold)', () => {
  const holdOf = async (householdId: string) =>
    (await dynamo().send(new GetCommand({ TableName: tables.INSURANCE_RECORDS_TABLE, Key: { personalId: `HOUSEHOLD#${householdId}`, recordType: 'RENEWAL_HOLD' }, ConsistentRead: true }))).Item;
  const pay = async (applicationId: string, gatewayReference: string) => {
    const request = await requestOf(applicationId);
    const raw = JSON.stringify({ paymentRequestId: request.paymentRequestId, gatewayReference, amount: request.amount, paidAt: now().toISOString() });
    return receivePaymentCallback(raw, sign(raw));
  };
  const contender = async (key: string, householdId: string, quote: HouseholdQuote) => {
    const { applicationId } = await submitHouseholdRenewal({ body: { head: headClaim, periodMonths: 12 }, idempotencyKey: key, consumerId: 'portal' }, now());
    await awaitStep({ applicationId, quote, paymentTimeoutSeconds: 3600, taskToken: `tok-${key}`, householdId });
    return applicationId;
  };

  it(`${MAX_CONTENDERS} live unpaid renewals: the next is REJECTED RENEWAL_IN_PROGRESS with no payment request; an ended contender is dropped by the next join`, async () => {
    const quote = await quoteHousehold({ head: headClaim, periodMonths: 12 }, registry, TODAY);
    const ids = [];
    for (let i = 0; i < MAX_CONTENDERS; i++) ids.push(await contender(`hold-max-${i}`, 'HH-MAX', quote));
    expect(Object.keys((await holdOf('HH-MAX'))!.contenders).sort()).toEqual([...ids].sort());

    const { applicationId: extra } = await submitHouseholdRenewal({ body: { head: headClaim, periodMonths: 12 }, idempotencyKey: 'hold-max-x', consumerId: 'vssid' }, now());
    const err = await caught(awaitStep({ applicationId: extra, quote, paymentTimeoutSeconds: 3600, taskToken: 'tok-x', householdId: 'HH-MAX' }));
    expect(err.name).toBe('RenewalInProgress');
    const rejected = await appItem(extra);
    expect(rejected).toMatchObject({ status: 'REJECTED', reason: { code: 'RENEWAL_IN_PROGRESS' } });
    expect(rejected!.paymentRequestId).toBeUndefined();

    // One contender ends some other way without leaving the hold (a crash): the next join drops it.
    await applicationsRepository.transition(ids[0], { to: 'FAILED', event: 'OUTCOME_RECORDED' });
    const next = await contender('hold-max-y', 'HH-MAX', quote);
    expect(Object.keys((await holdOf('HH-MAX'))!.contenders).sort()).toEqual([ids[1], ids[2], next].sort());
  });

  it('the first payment wins: it deletes the hold and supersedes the other unpaid renewals (their waits failed); a later payment of theirs is a refund due', async () => {
    await seedCards();
    await dynamo().send(new DeleteCommand({ TableName: tables.INSURANCE_RECORDS_TABLE, Key: { personalId: son.personalId, recordType: 'HEALTH_CARD' } }));
    const quote = await quoteHousehold({ head: headClaim, periodMonths: 12 }, registry, TODAY);
    const a = await contender('hold-win-a', 'HH-WIN', quote);
    const b = await contender('hold-win-b', 'HH-WIN', quote);
    expect((await pay(b, 'GW-WIN-B')).httpStatus).toBe(200);
    expect((await appItem(b))!.status).toBe('COMPLETED');
    expect(await holdOf('HH-WIN')).toBeUndefined();
    const loser = await appItem(a);
    expect(loser).toMatchObject({ status: 'REJECTED', reason: { code: 'RENEWAL_IN_PROGRESS' } });
    expect(loser!.reason.condition).toEqual({ code: 'NO_OTHER_RENEWAL_IN_PROGRESS', params: { holderApplicationId: b } });
    expect(sfn.commandCalls(SendTaskFailureCommand).map((c) => c.args[0].input)).toContainEqual(expect.objectContaining({ taskToken: 'tok-hold-win-a', error: 'RenewalSuperseded' }));
    const late = await caught(pay(a, 'GW-WIN-A'));
    expect(late).toMatchObject({ httpStatus: 409, code: 'RENEWAL_SUPERSEDED' });
    expect(await paymentsRepository.getTransaction('GW-WIN-A')).toMatchObject({ outcome: 'REFUND_DUE', reason: { code: 'RENEWAL_SUPERSEDED' } });
  });
});
