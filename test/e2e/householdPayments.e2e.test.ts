/**
 * Household renewal payments end to end over the local system (issue 8): the payment request in the application
 * view, the signed and timestamped gateway callback, a gateway reference recorded once, refunds due for money
 * that bought nothing (with the supervisors' list and the reconciliation CSV), and one renewal per household at
 * a time across channels (first payment wins).
 */
import { describe, expect, it } from 'vitest';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { signPaymentCallback } from '../support/localSystem';
import { scenarioNamed, useDemoSystem } from '../support/serviceScenarios';
import { dynamo } from '../../functions/adapters/dynamo';
import { now as systemNow, vietnamDate } from '../../functions/shared/clock';
import { LOCAL_PAYMENT_SECRET } from '../../local/runtime';
import { decodeQuote, type PaymentRequestItem } from '../../functions/adapters/paymentsRepository';

const STAFF_79 = 'dev-staff-79';
const SUPERVISOR_79 = 'dev-supervisor-79';

const demo = useDemoSystem();

/** The household renewal body of a demo scenario (the seed's `submit` is the flat head plus periodMonths). */
function scenarioBody(name: string) {
  const { periodMonths, ...head } = scenarioNamed(demo.system(), name).submit;
  return { head, periodMonths };
}

async function submit(name: string, idempotencyKey?: string) {
  const res = await demo.api().post('/v1/household-renewals', scenarioBody(name), undefined, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.applicationId as string;
}

async function storedApplication(applicationId: string) {
  const out = await dynamo().send(new GetCommand({ TableName: demo.system().tables.APPLICATIONS_TABLE, Key: { applicationId }, ConsistentRead: true }));
  return out.Item!;
}

async function paymentsItem(pk: string, sk: string) {
  const out = await dynamo().send(new GetCommand({ TableName: demo.system().tables.PAYMENTS_TABLE, Key: { pk, sk }, ConsistentRead: true }));
  return out.Item;
}

/** The quote an application's payment request was opened for (stored once, compressed, in the request item). */
async function storedQuote(applicationId: string) {
  const app = await storedApplication(applicationId);
  const request = await paymentsItem(`REQUEST#${app.paymentRequestId}`, 'REQUEST');
  return decodeQuote(request as PaymentRequestItem).quote as { members: { personalId: string; cardValidFrom: string; cardExpiresOn: string }[] };
}

/** The stored HEALTH_CARD of every quoted member of an application (unmasked ids from the stored quote). */
async function cardsOf(applicationId: string) {
  const cards: Record<string, unknown> = {};
  for (const m of (await storedQuote(applicationId)).members) {
    const out = await dynamo().send(
      new GetCommand({ TableName: demo.system().tables.INSURANCE_RECORDS_TABLE, Key: { personalId: m.personalId, recordType: 'HEALTH_CARD' }, ConsistentRead: true }),
    );
    cards[m.personalId] = out.Item ?? null;
  }
  return cards;
}

function callbackRaw(body: { paymentRequestId: string; gatewayReference: string; amount: number }) {
  return JSON.stringify({ ...body, paidAt: systemNow().toISOString() });
}

describe('the payment request and the signed callback', () => {
  it('refuses forged, stale, wrong-amount and path-id callbacks; accepts the previous secret while rotating', async () => {
    const applicationId = await submit('WORKED_EXAMPLE');
    const app = await demo.api().waitForStatus(applicationId, 'AWAITING_PAYMENT');
    const request = app.paymentRequest;
    expect(request).toMatchObject({ amount: 3_825_360, status: 'OPEN', dueAt: app.paymentDueAt });
    expect(request.paymentRequestId).toMatch(/^PR-[0-9A-HJKMNP-TV-Z]{26}$/);
    const before = await storedApplication(applicationId);
    const raw = callbackRaw({ paymentRequestId: request.paymentRequestId, gatewayReference: 'GW-SIG-1', amount: request.amount });
    const nowSeconds = Math.floor(systemNow().getTime() / 1000);

    const forged = await demo.api().call('POST', '/v1/payment-callbacks', raw, signPaymentCallback(raw, { secret: 'guessed-secret' }));
    expect(forged.status).toBe(401);
    expect(forged.body.code).toBe('INVALID_SIGNATURE');
    expect(forged.body.message.vi).toBeTruthy();
    const unsigned = await demo.api().call('POST', '/v1/payment-callbacks', raw, {});
    expect(unsigned.status).toBe(401);
    const stale = await demo.api().call('POST', '/v1/payment-callbacks', raw, signPaymentCallback(raw, { timestamp: nowSeconds - 400 }));
    expect(stale.status).toBe(401);
    expect(stale.body.code).toBe('STALE_SIGNATURE');
    const ahead = await demo.api().call('POST', '/v1/payment-callbacks', raw, signPaymentCallback(raw, { timestamp: nowSeconds + 400 }));
    expect(ahead.body.code).toBe('STALE_SIGNATURE');
    const wrongAmount = await demo.api().pay({ paymentRequestId: request.paymentRequestId, gatewayReference: 'GW-SIG-2', amount: request.amount - 1 });
    expect(wrongAmount.status).toBe(422);
    expect(wrongAmount.body.code).toBe('AMOUNT_MISMATCH');
    // The old route, whose unsigned path id was the attack, is gone.
    const oldRoute = await demo.api().call('POST', `/v1/applications/${applicationId}/payment`, raw, signPaymentCallback(raw));
    expect(oldRoute.status).toBe(404);

    expect(await storedApplication(applicationId)).toEqual(before);
    expect(await paymentsItem('TXN#GW-SIG-1', 'TXN')).toBeUndefined();
    expect(await paymentsItem('TXN#GW-SIG-2', 'TXN')).toBeUndefined();

    // Rotation: the system knows the new secret and still the previous one; the gateway signs with the old one.
    process.env.PAYMENT_WEBHOOK_SECRET = 'rotated-secret-2026';
    process.env.PAYMENT_WEBHOOK_SECRET_PREVIOUS = LOCAL_PAYMENT_SECRET;
    try {
      const paid = await demo.api().call('POST', '/v1/payment-callbacks', raw, signPaymentCallback(raw, { secret: LOCAL_PAYMENT_SECRET }));
      expect(paid.status, JSON.stringify(paid.body)).toBe(200);
      expect(paid.body).toMatchObject({ outcome: 'APPLIED', applicationId, gatewayReference: 'GW-SIG-1', amount: 3_825_360 });
      await demo.api().waitForStatus(applicationId, 'COMPLETED');
      const again = await demo.api().call('POST', '/v1/payment-callbacks', raw, signPaymentCallback(raw, { secret: 'rotated-secret-2026' }));
      expect(again.status).toBe(200);
      expect(again.body.status).toBe('COMPLETED');
    } finally {
      process.env.PAYMENT_WEBHOOK_SECRET = LOCAL_PAYMENT_SECRET;
      delete process.env.PAYMENT_WEBHOOK_SECRET_PREVIOUS;
    }
  });

  it('a callback replayed to a second application with the same amount is refused; both applications and all cards unchanged', async () => {
    const a = await submit('CLEAN');
    const b = await submit('NAME_DIACRITICS');
    const appA = await demo.api().waitForStatus(a, 'AWAITING_PAYMENT');
    const appB = await demo.api().waitForStatus(b, 'AWAITING_PAYMENT');
    // Two households, the same amount to the đồng.
    expect(appA.paymentRequest.amount).toBe(2_322_540);
    expect(appB.paymentRequest.amount).toBe(2_322_540);
    const paid = await demo.api().payApplication(a, 'GW-REPLAY-1');
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    await demo.api().waitForStatus(a, 'COMPLETED');
    const aAfter = await storedApplication(a);
    const cardsA = await cardsOf(a);

    // B: another household, its own request. A replay of A's callback can only name A's request (the
    // signature covers the body); re-targeting it means changing the body, which breaks the signature.
    const replayRaw = callbackRaw({ paymentRequestId: appA.paymentRequest.paymentRequestId, gatewayReference: 'GW-REPLAY-1', amount: 2_322_540 });
    const headers = signPaymentCallback(replayRaw);
    const retargeted = replayRaw.replace(appA.paymentRequest.paymentRequestId, appB.paymentRequest.paymentRequestId);
    const forged = await demo.api().call('POST', '/v1/payment-callbacks', retargeted, headers);
    expect(forged.status).toBe(401);
    // A correctly signed callback reusing A's gateway reference for B's request: refused, nothing changes.
    const bBefore = await storedApplication(b);
    const cardsB = await cardsOf(b);
    const reused = await demo.api().pay({ paymentRequestId: appB.paymentRequest.paymentRequestId, gatewayReference: 'GW-REPLAY-1', amount: appB.paymentRequest.amount });
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('GATEWAY_REFERENCE_REUSED');
    expect(reused.body.message.vi).toBeTruthy();
    expect(reused.body.message.en).toBeTruthy();

    expect(await storedApplication(b)).toEqual(bBefore);
    expect(bBefore.status).toBe('AWAITING_PAYMENT');
    expect(bBefore.paymentReference).toBeUndefined();
    expect(await storedApplication(a)).toEqual(aAfter);
    expect(await cardsOf(a)).toEqual(cardsA);
    expect(await cardsOf(b)).toEqual(cardsB);
    // B's request is untouched (a request item is written once; "open" is B still AWAITING_PAYMENT naming it).
    expect(await paymentsItem(`REQUEST#${appB.paymentRequest.paymentRequestId}`, 'REQUEST')).toMatchObject({ applicationId: b, amount: 2_322_540 });
    expect((await demo.api().get(`/v1/applications/${b}`)).body.paymentRequest.status).toBe('OPEN');
    expect(await paymentsItem('TXN#GW-REPLAY-1', 'TXN')).toMatchObject({ applicationId: a, outcome: 'APPLIED' });
    // A's cards were extended to exactly the dates A's quote showed.
    const quoted = (await storedQuote(a)).members;
    for (const m of quoted) expect(cardsA[m.personalId]).toMatchObject({ validFrom: m.cardValidFrom, expiresOn: m.cardExpiresOn, renewedByApplicationId: a });
  });
});

describe('money taken for nothing is a refund due', () => {
  it('a payment after expiry → EXPIRED application and a refund due row, listed for supervisors and in the CSV', async () => {
    process.env.PAYMENT_TIMEOUT_SECONDS = '1';
    let applicationId: string;
    try {
      applicationId = await submit('HOUSEHOLD_NOT_FOUND');
    } finally {
      delete process.env.PAYMENT_TIMEOUT_SECONDS;
    }
    // In review (household not found): approve, then the 1-second payment window passes.
    let item: any;
    for (let i = 0; i < 200 && !item; i++) {
      const list = await demo.api().get('/v1/review-items?status=OPEN', STAFF_79);
      item = list.body.items.find((x: any) => x.applicationId === applicationId);
      if (!item) await new Promise((r) => setTimeout(r, 50));
    }
    expect(item).toBeTruthy();
    expect((await demo.api().post(`/v1/review-items/${item.itemId}/claim`, {}, STAFF_79)).status).toBe(200);
    const resolved = await demo.api().post(`/v1/review-items/${item.itemId}/resolve`, { decision: 'APPROVE', corrections: {}, evidenceNote: 'Đã xác minh' }, STAFF_79);
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    const expired = await demo.api().waitForStatus(applicationId, 'EXPIRED', 15_000);
    expect(expired.reason.code).toBe('PAYMENT_NOT_RECEIVED');
    expect(expired.paymentRequest.status).toBe('CLOSED');
    const amount = expired.paymentRequest.amount;

    const late = await demo.api().pay({ paymentRequestId: expired.paymentRequest.paymentRequestId, gatewayReference: 'GW-LATE-1', amount });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('PAYMENT_DEADLINE_PASSED');
    expect(late.body.details).toMatchObject({ refundDue: true, refundId: 'GW-LATE-1', gatewayReference: 'GW-LATE-1', amount, applicationId });
    const row = await paymentsItem('TXN#GW-LATE-1', 'TXN');
    expect(row).toMatchObject({ outcome: 'REFUND_DUE', amount, applicationId, reason: { code: 'PAYMENT_DEADLINE_PASSED' }, refundDueProvince: '79' });
    // The gateway retrying gets the same answer and nothing new is written.
    const again = await demo.api().pay({ paymentRequestId: expired.paymentRequest.paymentRequestId, gatewayReference: 'GW-LATE-1', amount });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('PAYMENT_DEADLINE_PASSED');
    expect(await paymentsItem('TXN#GW-LATE-1', 'TXN')).toEqual(row);
    expect((await demo.api().get(`/v1/applications/${applicationId}`)).body.status).toBe('EXPIRED');

    // Supervisors see it; officers do not.
    expect((await demo.api().get('/v1/refunds-due', STAFF_79)).status).toBe(403);
    expect((await demo.api().get('/v1/refunds-due')).status).toBe(401);
    const refunds = await demo.api().get('/v1/refunds-due', SUPERVISOR_79);
    expect(refunds.status).toBe(200);
    expect(refunds.body.items).toContainEqual(
      expect.objectContaining({
        refundId: 'GW-LATE-1',
        applicationId,
        amount,
        reason: {
          code: 'PAYMENT_DEADLINE_PASSED',
          message: {
            vi: 'Đã quá hạn thanh toán của hồ sơ; khoản đã nộp sẽ được hoàn trả',
            en: 'The payment deadline of the application has passed; the amount paid will be refunded',
          },
        },
      }),
    );

    // The day's reconciliation CSV lists every payment received, with its application and outcome.
    const day = vietnamDate(systemNow());
    const res = await fetch(`${demo.system().apiUrl}/v1/payments-reconciliation.csv?day=${day}`, { headers: { authorization: `Bearer ${SUPERVISOR_79}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const csv = await res.text();
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('"receivedAt","receivedAtVietnam","gatewayReference","paymentRequestId","applicationId","amount","gatewayPaidAt","outcome","refundDue","reasonCode","reasonVi","reasonEn"');
    const lateLine = lines.find((l) => l.includes('"GW-LATE-1"'))!;
    expect(lateLine).toContain(`"${applicationId}","${amount}"`);
    expect(lateLine).toContain('"REFUND_DUE","yes","PAYMENT_DEADLINE_PASSED"');
    expect(lines.find((l) => l.includes('"GW-REPLAY-1"'))).toContain('"APPLIED","no"');
    expect(lines.filter((l) => l.includes('GW-LATE-1'))).toHaveLength(1);
    const badDay = await fetch(`${demo.system().apiUrl}/v1/payments-reconciliation.csv?day=2026-02-30`, { headers: { authorization: `Bearer ${SUPERVISOR_79}` } });
    expect(badDay.status).toBe(400);
    const officer = await fetch(`${demo.system().apiUrl}/v1/payments-reconciliation.csv?day=${day}`, { headers: { authorization: `Bearer ${STAFF_79}` } });
    expect(officer.status).toBe(403);
  });
});

describe('a card changed since the quote', () => {
  it('is never extended: the callback answers 409 CARD_CHANGED_SINCE_QUOTE with the refund due, the application ends FAILED and its workflow ends', async () => {
    const applicationId = await submit('NAME_DIACRITICS', 'card-changed-1');
    const app = await demo.api().waitForStatus(applicationId, 'AWAITING_PAYMENT');
    const members = (await storedQuote(applicationId)).members;
    const cardsTable = demo.system().tables.INSURANCE_RECORDS_TABLE;
    // A member took a job meanwhile: an employee card in force on the payment date.
    const key = { personalId: members[0].personalId, recordType: 'HEALTH_CARD' };
    const before = (await dynamo().send(new GetCommand({ TableName: cardsTable, Key: key, ConsistentRead: true }))).Item ?? {};
    const changed = { ...before, ...key, coverageGroup: 'EMPLOYEE', validFrom: '2026-11-01', expiresOn: '2027-10-31' };
    await dynamo().send(new PutCommand({ TableName: cardsTable, Item: changed }));
    const cardsBefore = await cardsOf(applicationId);

    const paid = await demo.api().payApplication(applicationId, 'GW-CARD-CHANGED');
    expect(paid.status, JSON.stringify(paid.body)).toBe(409);
    expect(paid.body).toMatchObject({ code: 'CARD_CHANGED_SINCE_QUOTE', details: { refundDue: true, amount: app.paymentRequest.amount, applicationId } });
    const failed = await demo.api().waitForStatus(applicationId, 'FAILED');
    expect(failed.reason.code).toBe('CARD_CHANGED_SINCE_QUOTE');
    expect(failed.reason.condition).toEqual({ code: 'CARDS_UNCHANGED_SINCE_QUOTE', params: { membersChanged: 1, refundDue: true } });
    expect(failed.reason.message.en).toMatch(/: members whose card changed: 1\.$/);
    expect(failed.result).toBeUndefined();
    expect(await paymentsItem('TXN#GW-CARD-CHANGED', 'TXN')).toMatchObject({ outcome: 'REFUND_DUE', reason: { code: 'CARD_CHANGED_SINCE_QUOTE' }, refundDueProvince: '79' });
    expect(await cardsOf(applicationId)).toEqual(cardsBefore);
    const deadline = Date.now() + 10_000;
    let status = 'RUNNING';
    while (status === 'RUNNING' && Date.now() < deadline) {
      const e = demo.system().engine.listExecutions(demo.system().stateMachineArn('HouseholdRenewal')).find((x: any) => x.name === applicationId) as any;
      status = e?.status ?? 'MISSING';
      if (status === 'RUNNING') await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe('FAILED');
    await dynamo().send(new PutCommand({ TableName: cardsTable, Item: { ...before, ...key } }));
  });
});

describe('one renewal per household at a time', () => {
  async function executionStatus(applicationId: string) {
    const deadline = Date.now() + 10_000;
    let status = 'RUNNING';
    while (Date.now() < deadline) {
      const e = demo.system().engine.listExecutions(demo.system().stateMachineArn('HouseholdRenewal')).find((x: any) => x.name === applicationId) as any;
      status = e?.status ?? 'MISSING';
      if (status !== 'RUNNING') return status;
      await new Promise((r) => setTimeout(r, 50));
    }
    return status;
  }

  it('two renewals of one household from two channels, both paid at once: exactly one charged and renewed, the other REJECTED RENEWAL_IN_PROGRESS', async () => {
    const portal = await submit('LARGE', 'portal-large-1');
    const vssid = await submit('LARGE', 'vssid-large-1');
    expect(portal).not.toBe(vssid);
    const appP = await demo.api().waitForStatus(portal, 'AWAITING_PAYMENT');
    const appV = await demo.api().waitForStatus(vssid, 'AWAITING_PAYMENT');
    expect(appP.paymentRequest.amount).toBe(2_459_160);
    expect(appV.paymentRequest.amount).toBe(2_459_160);
    const cardsBefore = await cardsOf(portal);

    const [p, v] = await Promise.all([demo.api().payApplication(portal, 'GW-LARGE-P'), demo.api().payApplication(vssid, 'GW-LARGE-V')]);
    expect([p.status, v.status].sort()).toEqual([200, 409]);
    const [winner, loser, loserRef, loserAnswer] = p.status === 200 ? [portal, vssid, 'GW-LARGE-V', v] : [vssid, portal, 'GW-LARGE-P', p];
    expect(loserAnswer.body).toMatchObject({ code: 'RENEWAL_SUPERSEDED', details: { refundDue: true, gatewayReference: loserRef, amount: 2_459_160 } });

    const done = await demo.api().waitForStatus(winner, 'COMPLETED');
    expect(done.result.amountPaid).toBe(2_459_160);
    const lost = await demo.api().waitForStatus(loser, 'REJECTED');
    expect(lost.reason.code).toBe('RENEWAL_IN_PROGRESS');
    expect(lost.reason.message.vi).toContain(`hồ sơ ${winner} đang gia hạn thẻ cho hộ gia đình này`);
    expect(lost.reason.message.en).toContain(`application ${winner} is renewing this household`);
    expect(lost.reason.condition).toEqual({ code: 'NO_OTHER_RENEWAL_IN_PROGRESS', params: { holderApplicationId: winner } });
    expect(lost.paymentRequest.status).toBe('CLOSED');
    expect(lost.result).toBeUndefined();
    expect(await executionStatus(loser)).not.toBe('RUNNING');

    // Every card extended once, to exactly the winner's quoted dates; nothing for the loser.
    const stored = await storedApplication(winner);
    const cardsAfter = await cardsOf(winner);
    for (const m of (await storedQuote(winner)).members) {
      expect(cardsAfter[m.personalId]).toMatchObject({ validFrom: m.cardValidFrom, expiresOn: m.cardExpiresOn, renewedByApplicationId: winner });
      expect((cardsBefore[m.personalId] as any)?.expiresOn).not.toBe(m.cardExpiresOn);
    }
    expect(await paymentsItem(`TXN#${loserRef}`, 'TXN')).toMatchObject({ outcome: 'REFUND_DUE', applicationId: loser, reason: { code: 'RENEWAL_SUPERSEDED' } });
    // The holds were released with the completion.
    const holdKey = { personalId: `HOUSEHOLD#${stored.householdId}`, recordType: 'RENEWAL_HOLD' };
    expect((await dynamo().send(new GetCommand({ TableName: demo.system().tables.INSURANCE_RECORDS_TABLE, Key: holdKey }))).Item).toBeUndefined();
  });

  it('first payment wins: a portal renewal left unpaid is superseded when the VssID renewal is paid; its late payment is a refund due', async () => {
    const portal = await submit('WORKED_EXAMPLE', 'portal-we-2');
    const appP = await demo.api().waitForStatus(portal, 'AWAITING_PAYMENT');
    const vssid = await submit('WORKED_EXAMPLE', 'vssid-we-2');
    await demo.api().waitForStatus(vssid, 'AWAITING_PAYMENT');
    // The household hold lists both as unpaid contenders.
    const stored = await storedApplication(vssid);
    const holdKey = { personalId: `HOUSEHOLD#${stored.householdId}`, recordType: 'RENEWAL_HOLD' };
    const hold = (await dynamo().send(new GetCommand({ TableName: demo.system().tables.INSURANCE_RECORDS_TABLE, Key: holdKey, ConsistentRead: true }))).Item!;
    expect(Object.keys(hold.contenders).sort()).toEqual([portal, vssid].sort());
    expect(hold.paidBy).toBeUndefined();

    const paid = await demo.api().payApplication(vssid, 'GW-WE-V');
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    await demo.api().waitForStatus(vssid, 'COMPLETED');
    const superseded = await demo.api().waitForStatus(portal, 'REJECTED');
    expect(superseded.reason).toMatchObject({ code: 'RENEWAL_IN_PROGRESS' });
    expect(superseded.reason.message.en).toContain(vssid);
    expect(superseded.paymentRequest.status).toBe('CLOSED');
    // The portal's workflow is not left waiting for the whole payment window.
    expect(await executionStatus(portal)).toBe('SUCCEEDED');
    expect((await storedApplication(portal)).paymentTaskToken).toBeUndefined();

    const cardsAfter = await cardsOf(vssid);
    const late = await demo.api().pay({ paymentRequestId: appP.paymentRequest.paymentRequestId, gatewayReference: 'GW-WE-P', amount: appP.paymentRequest.amount });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'RENEWAL_SUPERSEDED', details: { refundDue: true, amount: appP.paymentRequest.amount, applicationId: portal } });
    expect(late.body.message.vi).toBeTruthy();
    expect(await paymentsItem('TXN#GW-WE-P', 'TXN')).toMatchObject({ outcome: 'REFUND_DUE', reason: { code: 'RENEWAL_SUPERSEDED' } });
    // Nothing charged twice: the cards are as the one paid renewal left them.
    expect(await cardsOf(vssid)).toEqual(cardsAfter);
    expect((await demo.api().get(`/v1/applications/${portal}`)).body.status).toBe('REJECTED');
  });
});
