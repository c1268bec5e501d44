import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SFNClient, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { useLocalTables } from '../support/tables';
import { dynamo } from '../../functions/adapters/dynamo';
import { applicationsRepository } from '../../functions/adapters/applicationsRepository';
import { getHealthCards, renewCardUpdate } from '../../functions/adapters/insuranceRecordsRepository';
import { receivePaymentCallback } from '../../functions/household/householdPayments';
import { paymentsRepository } from '../../functions/adapters/paymentsRepository';
import {
  quoteHousehold,
  recordQuoteAndAwaitPayment,
  renewCards,
  submitHouseholdRenewal,
  MAX_BILLABLE_MEMBERS,
} from '../../functions/household/householdRenewal';
import { handler as classifyStep } from '../../functions/steps/classifyHouseholdMembers';
import { handler as priceStep } from '../../functions/steps/priceHouseholdRenewal';
import { handler as awaitStep } from '../../functions/steps/awaitHouseholdPayment';
import { handler as renewStep } from '../../functions/steps/renewHouseholdCards';
import { handler as recordOutcomeStep } from '../../functions/steps/recordOutcome';
import { renewedCardValidity } from '../../functions/domain/household/cardValidity';
import { now } from '../../functions/shared/clock';
import type { HouseholdQuote, PaymentConfirmation } from '../../functions/domain/types';
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

/** Each test's renewal starts with the members' cards free (earlier tests' payments hold them). */
async function clearRenewalHolds(): Promise<void> {
  for (const m of [father, mother, grandmother, son, daughter]) {
    await dynamo().send(new DeleteCommand({ TableName: tables.INSURANCE_RECORDS_TABLE, Key: { personalId: m.personalId, recordType: 'RENEWAL_HOLD' } }));
  }
}

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
      requestHash: (await appItem(first.applicationId))!.requestHash,
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
    expect(item).toMatchObject({ status: 'RECEIVED', service: 'HOUSEHOLD_RENEWAL', executionArn: expect.stringContaining(`:execution:HouseholdRenewal:${first.applicationId}`) });
    expect(item!.timeline.filter((e: { event: string }) => e.event === 'WORKFLOW_STARTED')).toHaveLength(1);
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
    expect((await appItem(id))!.executionArn).toBeUndefined();

    const retried = await submitHouseholdRenewal({ body, idempotencyKey: 'crash-key', consumerId: 'c' }, now());
    expect(retried.applicationId).toBe(id);
    const names = sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name);
    expect(names).toEqual([id, id]);
    expect((await appItem(id))!.executionArn).toContain(id);
    expect((await appItem(id))!.timeline.filter((e: { event: string }) => e.event === 'WORKFLOW_STARTED')).toHaveLength(1);
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
    expect(item).toMatchObject({ status: 'AWAITING_PAYMENT', quote, paymentTaskToken: 'tok-await-1', paymentDueAt: out.paymentDueAt });
  });
});

describe('payment callback (receivePaymentCallback)', () => {
  let refSeq = 0;
  const ref = (label: string) => `GW-${label}-${++refSeq}-${Date.now()}`;
  const body = (paymentRequestId: string, gatewayReference: string, amount = WORKED_EXAMPLE_TOTAL) =>
    JSON.stringify({ paymentRequestId, gatewayReference, amount, paidAt: now().toISOString() });
  const callback = (raw: string, options: Parameters<typeof sign>[1] = {}) => receivePaymentCallback(raw, sign(raw, options));
  const requestIdOf = async (applicationId: string) => (await appItem(applicationId))!.paymentRequest.paymentRequestId as string;

  it('AwaitHouseholdPayment opens an unguessable payment request with the amount and deadline, in the application', async () => {
    const { applicationId } = await awaitingPayment();
    const app = await appItem(applicationId);
    expect(app!.paymentRequest).toMatchObject({ amount: WORKED_EXAMPLE_TOTAL, status: 'OPEN', dueAt: app!.paymentDueAt });
    expect(app!.paymentRequest.paymentRequestId).toMatch(/^PR-[0-9A-HJKMNP-TV-Z]{26}$/);
    const request = await paymentsRepository.getRequest(app!.paymentRequest.paymentRequestId);
    expect(request).toMatchObject({ applicationId, amount: WORKED_EXAMPLE_TOTAL, status: 'OPEN', provinceCode: '79' });
    // Members who resume or enrol anew get dates that hold for today's payment only: due by the end of today.
    expect(app!.paymentDueAt).toBe('2026-07-01T16:59:59.999Z');
  });

  it('bad, missing, tampered or stale signature → 401 and nothing changes; the previous secret still works', async () => {
    const { applicationId } = await awaitingPayment();
    const before = await appItem(applicationId);
    const raw = body(before!.paymentRequest.paymentRequestId, ref('SIG'));
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
    const id = before!.paymentRequest.paymentRequestId;
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

  it('right amount → gateway txn APPLIED, request PAID, payment recorded and the workflow resumed; repeat → 200, nothing new', async () => {
    const { applicationId, taskToken } = await awaitingPayment();
    const id = await requestIdOf(applicationId);
    const reference = ref('OK');
    const raw = body(id, reference);
    const out = await callback(raw);
    expect(out.httpStatus).toBe(200);
    expect(out.body).toMatchObject({ outcome: 'APPLIED', applicationId, paymentRequestId: id, gatewayReference: reference, amount: WORKED_EXAMPLE_TOTAL, workflowResumed: true });
    const item = await appItem(applicationId);
    const expected: PaymentConfirmation = { paymentReference: reference, paymentRequestId: id, amount: WORKED_EXAMPLE_TOTAL, paidAt: item!.payment.paidAt, paymentDate: TODAY };
    expect(item!.payment).toEqual(expected);
    expect(item!.paymentRequest.status).toBe('PAID');
    expect(item!.paymentTaskToken).toBeUndefined();
    expect(await paymentsRepository.getRequest(id)).toMatchObject({ status: 'PAID', paidByReference: reference });
    expect(await paymentsRepository.getTransaction(reference)).toMatchObject({ outcome: 'APPLIED', applicationId, amount: WORKED_EXAMPLE_TOTAL, reconciliationDay: `79#${TODAY}` });
    const calls = sfn.commandCalls(SendTaskSuccessCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input.taskToken).toBe(taskToken);
    expect(JSON.parse(calls[0].args[0].input.output!)).toEqual(expected);

    const version = item!.version;
    const repeat = await callback(raw);
    expect(repeat.httpStatus).toBe(200);
    expect((await appItem(applicationId))!.version).toBe(version);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(1);
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
    const err = await caught(callback(body(before!.paymentRequest.paymentRequestId, ref('LATEQ'))));
    expect(err.httpStatus).toBe(409);
    expect(before!.paymentDueAt).toBe('2026-06-30T16:59:59.999Z');
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

describe('renewCards', () => {
  async function paid() {
    const ctx = await awaitingPayment();
    const paymentRequestId = (await appItem(ctx.applicationId))!.paymentRequest.paymentRequestId;
    const raw = JSON.stringify({ paymentRequestId, gatewayReference: `PAY-R-${ctx.applicationId}`, amount: WORKED_EXAMPLE_TOTAL, paidAt: now().toISOString() });
    const out = await receivePaymentCallback(raw, sign(raw));
    const payment = JSON.parse(sfn.commandCalls(SendTaskSuccessCommand).at(-1)!.args[0].input.output!) as PaymentConfirmation;
    expect(out.httpStatus).toBe(200);
    return { ...ctx, payment };
  }

  async function resetCards() {
    await seedCards();
    // The son has no card on record: remove the one a previous test wrote.
    await dynamo().send(new DeleteCommand({ TableName: tables.INSURANCE_RECORDS_TABLE, Key: { personalId: son.personalId, recordType: 'HEALTH_CARD' } }));
  }

  it('writes every member card with the exact new validity and COMPLETED in one go; a retry returns the same result', async () => {
    await resetCards();
    const { applicationId, quote, payment } = await paid();
    const result = await renewStep({ applicationId, quote, payment, householdId: 'HH-79-000123' });

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

    expect(result).toEqual({
      householdId: 'HH-79-000123',
      paymentReference: payment.paymentReference,
      amountPaid: WORKED_EXAMPLE_TOTAL,
      members: quote.members.map((m) => ({ personalId: m.personalId, fullName: m.fullName, ...{ cardValidFrom: expectedValidity[m.personalId].validFrom, cardExpiresOn: expectedValidity[m.personalId].expiresOn } })),
      excluded: quote.excluded,
    });
    const app = await appItem(applicationId);
    expect(app).toMatchObject({ status: 'COMPLETED', result, payment });
    expect(app!.paymentTaskToken).toBeUndefined();

    const again = await renewCards({ applicationId, quote, payment });
    expect(again).toEqual(result);
    expect((await appItem(applicationId))!.version).toBe(app!.version);
    expect(await cardItem(mother.personalId)).toMatchObject(expectedValidity[mother.personalId]);
  });

  it('a card changed between the read and the write: the transaction is cancelled, re-read, and nothing is extended past the quote', async () => {
    await resetCards();
    const { applicationId, quote, payment } = await paid();
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
    try {
      const err = await caught(renewCards({ applicationId, quote, payment }));
      expect(intercepted).toBe(true);
      expect(err.name).toBe('CardChangedSinceQuote');
    } finally {
      spy.mockRestore();
    }
    // The other renewal's write stands; this one extended nothing.
    expect(await cardItem(mother.personalId)).toMatchObject({ expiresOn: '2026-12-31' });
    expect(await cardItem(grandmother.personalId)).toMatchObject({ expiresOn: cards.find((c) => c.personalId === grandmother.personalId)!.expiresOn });
    expect((await appItem(applicationId))!.status).toBe('AWAITING_PAYMENT');
  });

  it('a member now insured at work (card in force in another group) → CARD_CHANGED_SINCE_QUOTE, nothing written', async () => {
    await resetCards();
    const { applicationId, quote, payment } = await paid();
    await dynamo().send(
      new PutCommand({
        TableName: tables.INSURANCE_RECORDS_TABLE,
        Item: { ...cards[3], recordType: 'HEALTH_CARD', coverageGroup: 'EMPLOYEE', validFrom: '2026-06-01', expiresOn: '2026-12-31' },
      }),
    );
    const before = await appItem(applicationId);
    const err = await caught(renewStep({ applicationId, quote, payment }));
    expect(err.name).toBe('CardChangedSinceQuote');
    expect(JSON.stringify(err.details)).not.toContain(daughter.personalId);
    expect(await appItem(applicationId)).toEqual(before);
    expect(await cardItem(mother.personalId)).toMatchObject({ expiresOn: '2026-07-14' });
  });

  it('an application that is not awaiting payment is not renewed', async () => {
    const { applicationId } = await submitHouseholdRenewal({ body: { head: headClaim, periodMonths: 12 }, consumerId: 'c' }, now());
    const quote = await quoteHousehold({ head: headClaim, periodMonths: 12 }, registry, TODAY);
    const payment = { paymentReference: 'P', amount: quote.total, paidAt: now().toISOString(), paymentDate: TODAY };
    const err = await caught(renewCards({ applicationId, quote, payment }));
    expect(err.code).toBe('INVALID_STATE');
    expect((await applicationsRepository.get(applicationId))!.status).toBe('RECEIVED');
  });
});

describe('one renewal per household at a time (holds)', () => {
  const pay = async (applicationId: string, gatewayReference: string) => {
    const { paymentRequestId, amount } = (await appItem(applicationId))!.paymentRequest;
    const raw = JSON.stringify({ paymentRequestId, gatewayReference, amount, paidAt: now().toISOString() });
    return receivePaymentCallback(raw, sign(raw));
  };

  it('a household already held by a PAID renewal: AwaitHouseholdPayment ends the next one REJECTED RENEWAL_IN_PROGRESS naming the holder, no payment request', async () => {
    await clearRenewalHolds();
    const quote = await quoteHousehold({ head: headClaim, periodMonths: 12 }, registry, TODAY);
    const first = await submitHouseholdRenewal({ body: { head: headClaim, periodMonths: 12 }, idempotencyKey: 'hold-1', consumerId: 'portal' }, now());
    await awaitStep({ applicationId: first.applicationId, quote, paymentTimeoutSeconds: 3600, taskToken: 'tok-hold-1', householdId: 'HH-HOLD-1' });
    expect((await pay(first.applicationId, 'GW-HOLD-1')).httpStatus).toBe(200);

    const second = await submitHouseholdRenewal({ body: { head: headClaim, periodMonths: 12 }, idempotencyKey: 'hold-2', consumerId: 'vssid' }, now());
    const err = await caught(awaitStep({ applicationId: second.applicationId, quote, paymentTimeoutSeconds: 3600, taskToken: 'tok-hold-2', householdId: 'HH-HOLD-1' }));
    expect(err.name).toBe('RenewalInProgress');
    const rejected = await appItem(second.applicationId);
    expect(rejected).toMatchObject({ status: 'REJECTED', reason: { code: 'RENEWAL_IN_PROGRESS' } });
    expect(rejected!.reason.detail).toContain(first.applicationId);
    expect(rejected!.paymentRequest).toBeUndefined();
    expect(rejected!.paymentTaskToken).toBeUndefined();
    const hold = await dynamo().send(new GetCommand({ TableName: tables.INSURANCE_RECORDS_TABLE, Key: { personalId: 'HOUSEHOLD#HH-HOLD-1', recordType: 'RENEWAL_HOLD' }, ConsistentRead: true }));
    expect(hold.Item).toMatchObject({ paidBy: first.applicationId });
  });

  it('a card changed after payment: RecordOutcome ends it FAILED CARD_CHANGED_SINCE_QUOTE, marks the payment REFUND_DUE and releases the holds, in one transaction', async () => {
    await clearRenewalHolds();
    const quote = await quoteHousehold({ head: headClaim, periodMonths: 12 }, registry, TODAY);
    const { applicationId } = await submitHouseholdRenewal({ body: { head: headClaim, periodMonths: 12 }, idempotencyKey: 'hold-3', consumerId: 'portal' }, now());
    await awaitStep({ applicationId, quote, paymentTimeoutSeconds: 3600, taskToken: 'tok-hold-3', householdId: 'HH-HOLD-3' });
    expect((await pay(applicationId, 'GW-HOLD-3')).httpStatus).toBe(200);
    await recordOutcomeStep({ applicationId, status: 'FAILED', reasonCode: 'CARD_CHANGED_SINCE_QUOTE', reason: 'x' });
    const app = await appItem(applicationId);
    expect(app).toMatchObject({ status: 'FAILED', reason: { code: 'CARD_CHANGED_SINCE_QUOTE' } });
    expect(app!.renewalHold).toBeUndefined();
    expect(await paymentsRepository.getTransaction('GW-HOLD-3')).toMatchObject({
      outcome: 'REFUND_DUE',
      refundDueProvince: '79',
      reason: { code: 'CARD_CHANGED_SINCE_QUOTE' },
      amount: quote.total,
    });
    const hold = await dynamo().send(new GetCommand({ TableName: tables.INSURANCE_RECORDS_TABLE, Key: { personalId: 'HOUSEHOLD#HH-HOLD-3', recordType: 'RENEWAL_HOLD' }, ConsistentRead: true }));
    expect(hold.Item).toBeUndefined();
    for (const m of quote.members) {
      const cardHold = await dynamo().send(new GetCommand({ TableName: tables.INSURANCE_RECORDS_TABLE, Key: { personalId: m.personalId, recordType: 'RENEWAL_HOLD' }, ConsistentRead: true }));
      expect(cardHold.Item).toBeUndefined();
    }
  });
});
