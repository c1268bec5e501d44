/**
 * Starts the whole local system (as `npm start` does) inside a test file, on the shared DynamoDB Local, with
 * fast retries and short registry timeouts, plus a small HTTP client for the API.
 */
import { inject } from 'vitest';
import { createHmac, randomUUID } from 'node:crypto';
import { startLocalSystem, LOCAL_PAYMENT_SECRET, type LocalSystem, type LocalSystemOptions } from '../../local/runtime';
import { now as systemNow } from '../../functions/shared/clock';
import { assertDocumentedResponse } from './openApiValidation';
import { assertNoInternalLeaks } from './publicResponseLeaks';

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
    // A registry timeout happens on purpose (timeout IDs answered 504 at once), never because a loaded machine
    // was slow: the per-attempt timeout is generous.
    registryTimeoutHoldMs: 0,
    ...options,
    env: {
      POPULATION_REGISTRY_TIMEOUT_MS: '10000',
      POPULATION_REGISTRY_MAX_ATTEMPTS: '2',
      // An unreachable registry goes to review at once and the circuit breaker never opens, unless a test is about
      // them (test/e2e/registryOutage.e2e.test.ts): one test's faults must not make another's checks fail fast.
      REGISTRY_WAIT_SECONDS: '0',
      REGISTRY_BREAKER_MIN_FAILURES: '1000000',
      ...options.env,
    },
  });
}

/** A body that is not JSON (a CSV) stays text. */
function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

/** The consumer token apiClient sends by default (local/devIdentities.ts). */
export const PORTAL = 'dev-consumer-portal';
export const VSSID = 'dev-consumer-vssid';

/**
 * HTTP client of the local API. A request without an explicit token carries `consumerToken` (default the portal's
 * dev consumer token, so consumer routes answer); pass a token to call as someone else (a staff member, VssID),
 * or `null` to send no Authorization header at all.
 */
export function apiClient(baseUrl: string, options: { consumerToken?: string | null } = {}) {
  const defaultToken = options.consumerToken === undefined ? PORTAL : options.consumerToken;
  const defaultAuth: Record<string, string> = defaultToken ? { authorization: `Bearer ${defaultToken}` } : {};
  /** `headers` may set authorization itself (an empty value: none is sent); otherwise the default consumer token is sent. */
  async function call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const hasAuth = Object.keys(headers).some((k) => k.toLowerCase() === 'authorization');
    const merged = { 'content-type': 'application/json', ...(hasAuth ? {} : defaultAuth), ...headers };
    const res = await fetch(baseUrl + path, {
      method,
      headers: Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== '')),
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    const contentType = res.headers.get('content-type');
    const parsed = text && (contentType ?? '').includes('json') ? JSON.parse(text) : text ? safeJson(text) : undefined;
    // Every answer must be one the OpenAPI document describes (docs/openapi.json).
    assertDocumentedResponse(method, path, res.status, contentType, parsed);
    // …and none may carry anything internal: verification flags, notes about sources, English in a Vietnamese text.
    assertNoInternalLeaks(method, path, parsed);
    return { status: res.status, body: parsed };
  }
  /** Authorization for an explicit token argument: undefined → the default, null → none (an empty header is dropped). */
  const authFor = (token: string | null | undefined): Record<string, string> =>
    token === undefined ? {} : token === null ? { authorization: '' } : { authorization: `Bearer ${token}` };
  const get = <T = any>(path: string, token?: string | null) => call<T>('GET', path, undefined, authFor(token));
  return {
    call,
    get,
    post: <T = any>(path: string, body?: unknown, token?: string | null, headers: Record<string, string> = {}) =>
      call<T>('POST', path, body, { ...authFor(token), ...headers }),
    /** The payment gateway's signed callback (POST /v1/payment-callbacks; no consumer token: the signature is its credential). */
    pay: (payment: PaymentCallbackBody, options: SignOptions = {}) => {
      const raw = JSON.stringify({ ...payment, paidAt: payment.paidAt ?? systemNow().toISOString() });
      return call('POST', '/v1/payment-callbacks', raw, { authorization: '', ...signPaymentCallback(raw, options) });
    },
    /**
     * Pays an application's payment request (as read from its public view, as `options.consumerToken`'s consumer,
     * default the client's) with `gatewayReference`.
     */
    async payApplication(
      applicationId: string,
      gatewayReference: string,
      options: SignOptions & { amount?: number; consumerToken?: string } = {},
    ) {
      const view = await get(`/v1/applications/${applicationId}`, options.consumerToken);
      const request = view.body?.paymentRequest;
      if (!request) throw new Error(`Application ${applicationId} has no payment request: ${JSON.stringify(view.body)}`);
      const raw = JSON.stringify({
        paymentRequestId: request.paymentRequestId,
        gatewayReference,
        amount: options.amount ?? request.amount,
        paidAt: systemNow().toISOString(),
      });
      return call('POST', '/v1/payment-callbacks', raw, { authorization: '', ...signPaymentCallback(raw, options) });
    },
    /** Polls the application (as `token`'s consumer, default the client's) until it reaches `status` (or fails the test with what it saw). */
    async waitForStatus(applicationId: string, status: string, timeoutMs = 15_000, token?: string) {
      const deadline = Date.now() + timeoutMs;
      let last: ApiResponse | undefined;
      while (Date.now() < deadline) {
        last = await call('GET', `/v1/applications/${applicationId}`, undefined, authFor(token));
        if (last.body?.status === status) return last.body;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`Application ${applicationId} did not reach ${status}; last seen: ${JSON.stringify(last?.body)}`);
    },
  };
}
