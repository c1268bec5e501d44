import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SFNClient, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { useLocalTables } from '../support/tables';
import { applicationsRepository, type ApplicationRecord } from '../../functions/adapters/applicationsRepository';
import { handler } from '../../functions/api/applications';
import { handler as callbackHandler } from '../../functions/api/paymentCallbacks';
import { encodeQuote, paymentsRepository } from '../../functions/adapters/paymentsRepository';
import { paymentRequestId as newPaymentRequestId } from '../../functions/shared/ids';
import { dynamo } from '../../functions/adapters/dynamo';
import { nowIso } from '../../functions/shared/clock';
import type { HouseholdQuote } from '../../functions/domain/types';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { father, headClaim, invoke, mother, proxyEvent, sign, useHouseholdEnv, VSSID_CLAIMS } from '../household/householdFixture';
import { expectBilingualIssues } from './validationIssues';

const sfn = mockClient(SFNClient);

const quote: HouseholdQuote = {
  periodMonths: 12,
  paymentDate: '2026-07-01',
  baseSalary: 2_530_000,
  validThrough: '2026-12-31',
  members: [
    {
      personalId: mother.personalId,
      fullName: mother.fullName,
      dateOfBirth: mother.dateOfBirth,
      relationToHead: 'VO',
      ladderPosition: 1,
      sharePercent: 100,
      monthlyAmount: 113_850,
      periodAmount: 1_366_200,
      cardValidFrom: '2026-07-15',
      cardExpiresOn: '2027-07-14',
    },
  ],
  excluded: [
    {
      personalId: father.personalId,
      fullName: father.fullName,
      dateOfBirth: father.dateOfBirth,
      relationToHead: 'CHU_HO',
      reason: 'COVERED_BY_EMPLOYER',
      reasonText: { vi: 'x', en: 'x' },
    },
  ],
  total: 1_366_200,
  legalBasis: [],
};

const TOKEN = 'AQCEAAAAKgAAAAMAAAAAAAAAA-secret-task-token';
let seq = 0;

const requestIds = new Map<string, string>();

async function seedAwaitingPayment(): Promise<string> {
  const applicationId = `HR-APITEST${String(++seq).padStart(6, '0')}`;
  const at = nowIso();
  const paymentRequestId = newPaymentRequestId();
  requestIds.set(applicationId, paymentRequestId);
  await paymentsRepository.createRequest({
    paymentRequestId,
    applicationId,
    provinceCode: '79',
    amount: quote.total,
    dueAt: '2026-07-08T03:00:00.000Z',
    createdAt: at,
    householdId: null,
    taskToken: TOKEN,
    quoteZ: encodeQuote({ quote: quote as unknown as Record<string, unknown>, quoteCards: {} }),
  });
  const record: ApplicationRecord = {
    applicationId,
    service: 'HOUSEHOLD_RENEWAL',
    provinceCode: '79',
    status: 'AWAITING_PAYMENT',
    request: { head: headClaim, periodMonths: 12 },
    createdAt: at,
    updatedAt: at,
    timeline: [
      { at, event: 'WORKFLOW_STARTED', detail: { executionArn: 'arn:aws:states:ap-southeast-1:123456789012:execution:HouseholdRenewal:x' } },
      { at, status: 'AWAITING_PAYMENT', event: 'AWAITING_PAYMENT', detail: { headPersonalId: father.personalId } },
    ],
    paymentRequestId,
    consumerId: 'dev-client-portal',
    version: 1,
  };
  await applicationsRepository.create(record);
  return applicationId;
}

/** GET as a consumer (default the portal's dev access token; null = no credentials). */
function get(applicationId: string, claims?: Record<string, string> | null) {
  return invoke(
    handler,
    proxyEvent({ method: 'GET', path: `/v1/applications/${applicationId}`, resource: '/v1/applications/{applicationId}', pathParameters: { applicationId }, claims }),
  );
}

function pay(body: string, headers?: { timestamp?: string; signature?: string }) {
  return invoke(
    callbackHandler,
    proxyEvent({
      method: 'POST',
      path: '/v1/payment-callbacks',
      resource: '/v1/payment-callbacks',
      body,
      headers: {
        ...(headers?.timestamp ? { 'X-Payment-Timestamp': headers.timestamp } : {}),
        ...(headers?.signature ? { 'X-Payment-Signature': headers.signature } : {}),
      },
    }),
  );
}

const callbackBody = (applicationId: string, gatewayReference: string, amount = quote.total, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ paymentRequestId: requestIds.get(applicationId), gatewayReference, amount, paidAt: nowIso(), ...extra });

beforeAll(async () => {
  useHouseholdEnv();
  await useLocalTables('api-apps');
});

beforeEach(() => {
  sfn.reset();
  sfn.on(SendTaskSuccessCommand).resolves({});
});

describe('GET /v1/applications/{applicationId}', () => {
  it('404 APPLICATION_NOT_FOUND for an unknown id, with vi and en', async () => {
    const res = await get('HR-DOESNOTEXIST0001');
    expect(res.statusCode).toBe(404);
    expect(res.body.code).toBe('APPLICATION_NOT_FOUND');
    expect(res.body.message.vi).toBeTruthy();
    expect(res.body.message.en).toBeTruthy();
  });

  it('another consumer\'s application → 404 with exactly the body of an unknown id; no credentials → 401', async () => {
    const id = await seedAwaitingPayment();
    expect((await get(id)).statusCode).toBe(200);
    const other = await get(id, VSSID_CLAIMS);
    const unknown = await get('HR-DOESNOTEXIST0002', VSSID_CLAIMS);
    expect(other.statusCode).toBe(404);
    expect(other.raw).toBe(unknown.raw);
    expect(other.raw).not.toContain(id);
    const anonymous = await get(id, null);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.body.code).toBe('UNAUTHENTICATED');
  });

  it('an idempotency record is never read as an application', async () => {
    const key = `IDEMPOTENCY#${'a'.repeat(64)}`;
    await dynamo().send(
      new PutCommand({
        TableName: process.env.APPLICATIONS_TABLE,
        Item: { applicationId: key, targetApplicationId: 'HR-X', requestHash: 'h', service: 'HOUSEHOLD_RENEWAL', consumerId: 'dev-client-portal', createdAt: nowIso() },
      }),
    );
    const res = await get(key);
    expect(res.statusCode).toBe(400);
    expect(res.body.code).toBe('INVALID_APPLICATION_ID');
    expect(await applicationsRepository.get(key)).toBeNull();
  });

  it.each(['hr-lowercase00001', 'HR-short', 'HR-has_underscore001', `HR-${'A'.repeat(41)}`, 'HRX-ABCDEFGHIJ'])('400 INVALID_APPLICATION_ID for %s', async (id) => {
    const res = await get(id);
    expect(res.statusCode).toBe(400);
    expect(res.body.code).toBe('INVALID_APPLICATION_ID');
  });

  it('the public view never contains the task token and masks personal IDs', async () => {
    const id = await seedAwaitingPayment();
    const res = await get(id);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ applicationId: id, status: 'AWAITING_PAYMENT', paymentDueAt: '2026-07-08T03:00:00.000Z' });
    expect(res.body.quote.total).toBe(1_366_200);
    expect(res.raw).not.toContain(TOKEN);
    expect(res.raw).not.toContain('paymentTaskToken');
    expect(res.raw).not.toContain(father.personalId);
    expect(res.raw).not.toContain(mother.personalId);
    expect(res.body.quote.members[0].personalId).toBe('079******321');
    expect(res.body.timeline[1].detail.headPersonalId).toBe('079******234');
    // Infrastructure detail (the execution ARN, with the account id) is not for the public.
    expect(res.body.timeline[0]).toEqual({ at: expect.any(String), event: 'WORKFLOW_STARTED' });
    expect(res.raw).not.toContain('arn:aws');
    expect(res.body.request).toBeUndefined();
  });

  it("the quote's amounts are explained (a stored quote without legal basis: the rule data of its payment date)", async () => {
    const res = await get(await seedAwaitingPayment());
    const m = res.body.quote.members[0];
    expect(m.explanation.vi).toContain(
      '2.530.000 đồng (mức lương cơ sở áp dụng tại ngày thanh toán 01/07/2026, theo Nghị định số 161/2026/NĐ-CP) × 4,5 % × 100 %',
    );
    expect(m.explanation.vi).toContain('= 113.850 đồng mỗi tháng; 113.850 đồng × 12 tháng = 1.366.200 đồng.');
    expect(m.explanation.en).toContain('= VND 113,850 a month; VND 113,850 × 12 months = VND 1,366,200.');
    expect(m.explanation.steps.at(-1)).toEqual({ code: 'RESULT', value: 1_366_200, unit: 'VND' });
    expect(res.body.quote.explanation.vi).toBe('Tổng số tiền đóng cho 1 người trong 12 tháng: 1.366.200 đồng.');
    expect(res.raw).not.toMatch(/"verify"|\(verify\)/);
  });
});

describe('POST /v1/payment-callbacks', () => {
  it('bad or missing signature or timestamp → 401 INVALID_SIGNATURE, nothing changes', async () => {
    const id = await seedAwaitingPayment();
    const before = await applicationsRepository.get(id);
    const body = callbackBody(id, 'GW-1');
    for (const headers of [undefined, sign(body, { secret: 'other-secret' }), { ...sign(body), signature: 'sha1=abc' }, { signature: sign(body).signature }]) {
      const res = await pay(body, headers);
      expect(res.statusCode).toBe(401);
      expect(res.body.code).toBe('INVALID_SIGNATURE');
      expect(res.body.message.vi).toBeTruthy();
    }
    expect(await applicationsRepository.get(id)).toEqual(before);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('a signature older than 300 s → 401 STALE_SIGNATURE', async () => {
    const id = await seedAwaitingPayment();
    const body = callbackBody(id, 'GW-STALE');
    const res = await pay(body, sign(body, { timestamp: Math.floor(Date.parse(nowIso()) / 1000) - 400 }));
    expect(res.statusCode).toBe(401);
    expect(res.body.code).toBe('STALE_SIGNATURE');
    expect(res.body.message.vi).toBeTruthy();
  });

  it('malformed JSON → 400 MALFORMED_JSON', async () => {
    const res = await pay('{bad', sign('{bad'));
    expect(res.statusCode).toBe(400);
    expect(res.body.code).toBe('MALFORMED_JSON');
    expect(res.body.message.en).toBeTruthy();
  });

  it('invalid fields → 400 VALIDATION_FAILED', async () => {
    const id = await seedAwaitingPayment();
    const body = callbackBody(id, 'x'.repeat(65), -5);
    const res = await pay(body, sign(body));
    expect(res.statusCode).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.issues.map((i: { path: string }) => i.path).sort()).toEqual(['amount', 'gatewayReference']);
    // Every issue is bilingual with a machine code, like every other 400 VALIDATION_FAILED (shared/http.ts).
    expectBilingualIssues(res.body);
    expect(res.body.details.issues.map((i: { code: string }) => i.code).sort()).toEqual(['too_big', 'too_small']);
  });

  it('unknown payment request → 404', async () => {
    const body = JSON.stringify({ paymentRequestId: `PR-${'1'.repeat(26)}`, gatewayReference: 'GW-2', amount: 1, paidAt: nowIso() });
    const res = await pay(body, sign(body));
    expect(res.statusCode).toBe(404);
    expect(res.body.code).toBe('PAYMENT_REQUEST_NOT_FOUND');
  });

  it('wrong amount → 422 AMOUNT_MISMATCH; right → 200 and the workflow resumed; repeat → 200', async () => {
    const id = await seedAwaitingPayment();
    const wrong = callbackBody(id, 'GW-3', quote.total + 1000);
    const bad = await pay(wrong, sign(wrong));
    expect(bad.statusCode).toBe(422);
    expect(bad.body.code).toBe('AMOUNT_MISMATCH');
    expect((await applicationsRepository.get(id))!.paymentReference).toBeUndefined();

    const body = callbackBody(id, 'GW-3');
    const ok = await pay(body, sign(body));
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toMatchObject({ outcome: 'APPLIED', applicationId: id, gatewayReference: 'GW-3', amount: quote.total });
    expect(ok.raw).not.toContain(TOKEN);
    const calls = sfn.commandCalls(SendTaskSuccessCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input.taskToken).toBe(TOKEN);
    expect(JSON.parse(calls[0].args[0].input.output!)).toMatchObject({ paymentReference: 'GW-3', amount: quote.total, paymentDate: '2026-07-01' });

    const again = await pay(body, sign(body));
    expect(again.statusCode).toBe(200);
    expect(again.body).toMatchObject({ outcome: 'APPLIED', status: 'COMPLETED' });
    // The view derives the result from the quote and the payment; the request shows PAID.
    const view = await get(id);
    expect(view.body.result).toMatchObject({ paymentReference: 'GW-3', amountPaid: quote.total, members: [{ cardValidFrom: '2026-07-15', cardExpiresOn: '2027-07-14' }] });
    expect(view.body.paymentRequest.status).toBe('PAID');
  });

  it('resume failure → 202 (the gateway retries)', async () => {
    const id = await seedAwaitingPayment();
    sfn.on(SendTaskSuccessCommand).rejects(Object.assign(new Error('down'), { name: 'ServiceUnavailable' }));
    const body = callbackBody(id, 'GW-4');
    const res = await pay(body, sign(body));
    expect(res.statusCode).toBe(202);
    expect((await applicationsRepository.get(id))!).toMatchObject({ status: 'COMPLETED', paymentReference: 'GW-4' });
  });

  it('base64-encoded body: the signature covers the raw bytes', async () => {
    const id = await seedAwaitingPayment();
    const body = callbackBody(id, 'GW-5');
    const headers = sign(body);
    const event = proxyEvent({
      method: 'POST',
      path: '/v1/payment-callbacks',
      resource: '/v1/payment-callbacks',
      body: Buffer.from(body).toString('base64'),
      headers: { 'x-payment-signature': headers.signature, 'x-payment-timestamp': headers.timestamp },
    });
    event.isBase64Encoded = true;
    const res = await invoke(callbackHandler, event);
    expect(res.statusCode).toBe(200);
  });

  it('the application view shows the payment request', async () => {
    const id = await seedAwaitingPayment();
    const res = await get(id);
    expect(res.body.paymentRequest).toEqual({ paymentRequestId: requestIds.get(id), amount: quote.total, dueAt: '2026-07-08T03:00:00.000Z', status: 'OPEN' });
  });
});
