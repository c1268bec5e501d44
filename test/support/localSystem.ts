/**
 * Starts the whole local system (as `npm start` does) inside a test file, on the shared DynamoDB Local, with
 * fast retries and short registry timeouts, plus a small HTTP client for the API.
 */
import { inject } from 'vitest';
import { createHmac, randomUUID } from 'node:crypto';
import { startLocalSystem, LOCAL_PAYMENT_SECRET, type LocalSystem, type LocalSystemOptions } from '../../local/runtime';
import { now as systemNow } from '../../functions/shared/clock';

export interface PaymentCallbackBody {
  paymentRequestId: string;
  gatewayReference: string;
  amount: number;
  paidAt?: string;
}

export interface SignOptions {
  secret?: string;
  /** Unix seconds; default the system's clock (the in-process system shares CLOCK_OFFSET_MS). */
  timestamp?: number;
}

/** The payment gateway's headers for a raw body: X-Payment-Timestamp and the HMAC of "<timestamp>.<body>". */
export function signPaymentCallback(raw: string, options: SignOptions = {}): Record<string, string> {
  const timestamp = String(options.timestamp ?? Math.floor(systemNow().getTime() / 1000));
  const signature = createHmac('sha256', options.secret ?? LOCAL_PAYMENT_SECRET).update(`${timestamp}.${raw}`).digest('hex');
  return { 'x-payment-timestamp': timestamp, 'x-payment-signature': `sha256=${signature}` };
}

export async function startTestSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  return startLocalSystem({
    dynamoEndpoint: inject('dynamoEndpoint'),
    tablePrefix: `e2e-${randomUUID().slice(0, 8)}`,
    retryIntervalMs: 5,
    scheduleEveryMs: 0,
    ...options,
    env: { POPULATION_REGISTRY_TIMEOUT_MS: '300', POPULATION_REGISTRY_MAX_ATTEMPTS: '2', ...options.env },
  });
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

export function apiClient(baseUrl: string) {
  async function call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const res = await fetch(baseUrl + path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const get = <T = any>(path: string, token?: string) => call<T>('GET', path, undefined, token ? bearer(token) : {});
  return {
    call,
    get,
    post: <T = any>(path: string, body?: unknown, token?: string, headers: Record<string, string> = {}) =>
      call<T>('POST', path, body, { ...(token ? bearer(token) : {}), ...headers }),
    /** The payment gateway's signed callback (POST /v1/payment-callbacks). */
    pay: (payment: PaymentCallbackBody, options: SignOptions = {}) => {
      const raw = JSON.stringify({ ...payment, paidAt: payment.paidAt ?? systemNow().toISOString() });
      return call('POST', '/v1/payment-callbacks', raw, signPaymentCallback(raw, options));
    },
    /** Pays an application's payment request (as read from its public view) with `gatewayReference`. */
    async payApplication(applicationId: string, gatewayReference: string, options: SignOptions & { amount?: number } = {}) {
      const view = await get(`/v1/applications/${applicationId}`);
      const request = view.body?.paymentRequest;
      if (!request) throw new Error(`Application ${applicationId} has no payment request: ${JSON.stringify(view.body)}`);
      const raw = JSON.stringify({
        paymentRequestId: request.paymentRequestId,
        gatewayReference,
        amount: options.amount ?? request.amount,
        paidAt: systemNow().toISOString(),
      });
      return call('POST', '/v1/payment-callbacks', raw, signPaymentCallback(raw, options));
    },
    /** Polls the application until it reaches `status` (or fails the test with what it saw). */
    async waitForStatus(applicationId: string, status: string, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      let last: ApiResponse | undefined;
      while (Date.now() < deadline) {
        last = await call('GET', `/v1/applications/${applicationId}`);
        if (last.body?.status === status) return last.body;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`Application ${applicationId} did not reach ${status}; last seen: ${JSON.stringify(last?.body)}`);
    },
  };
}
