/**
 * Status-change webhooks (issue 11): which changes a consumer is told about, the event it receives, its id,
 * its signature and the retry schedule. Pure rules: no AWS import (node:crypto only).
 *
 * The event is the application's public view (the shape GET /v1/applications/{id} answers) wrapped with the
 * event's id, type and time. Headers of each delivery:
 *   X-Webhook-Id         EV- + sha256(applicationId|status|version): the same on every retry of one change, so
 *                        the consumer de-duplicates on it
 *   X-Webhook-Timestamp  unix seconds of this attempt
 *   X-Webhook-Signature  sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { APPLICATION_STATUSES, type ApplicationStatus } from './types';

/** The statuses a consumer is told about (RECEIVED / VERIFYING are answered by the submission itself). */
export const NOTIFIED_STATUSES: readonly ApplicationStatus[] = APPLICATION_STATUSES.filter((s) => s !== 'RECEIVED' && s !== 'VERIFYING');

export const WEBHOOK_EVENT_TYPE = 'application.status_changed';

/** Default back-off between attempts (seconds): 10 s, 30 s, 90 s, 5 min, then 15 min ×7: 12 attempts in ≈ 1 h 52 min. */
export const DEFAULT_RETRY_DELAYS_SECONDS: readonly number[] = [10, 30, 90, 300, 900, 900, 900, 900, 900, 900, 900];

/** How old a timestamp a receiver should accept (seconds): the README's verification example uses it. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** A change is notified when the status is new (an insert, or another status than before) and is a notified one. */
export function isNotifiedChange(previousStatus: string | undefined, status: string | undefined): status is ApplicationStatus {
  return !!status && status !== previousStatus && (NOTIFIED_STATUSES as readonly string[]).includes(status);
}

/** The event's id: stable for one change (application, status, version), whatever the attempt. */
export function webhookEventId(applicationId: string, status: string, version: number): string {
  return `EV-${createHash('sha256').update(`${applicationId}|${status}|${version}`).digest('hex')}`;
}

export interface WebhookEvent {
  eventId: string;
  type: typeof WEBHOOK_EVENT_TYPE;
  /** When the status changed (the application's updatedAt). */
  occurredAt: string;
  applicationId: string;
  service: string;
  status: ApplicationStatus;
  previousStatus?: string;
  /** The public view at this change (GET /v1/applications/{id}). */
  application: Record<string, unknown> & { applicationId: string; service: string; status: string; updatedAt: string };
}

export function buildWebhookEvent(
  view: WebhookEvent['application'],
  version: number,
  previousStatus?: string,
): WebhookEvent {
  return {
    eventId: webhookEventId(view.applicationId, view.status, version),
    type: WEBHOOK_EVENT_TYPE,
    occurredAt: view.updatedAt,
    applicationId: view.applicationId,
    service: view.service,
    status: view.status as ApplicationStatus,
    ...(previousStatus ? { previousStatus } : {}),
    application: view,
  };
}

/** `sha256=<hex>` over "<timestamp>.<raw body>". */
export function signWebhook(secret: string, timestamp: number | string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/** What a receiver does: the signature matches and the timestamp is within the tolerance of its clock. */
export function verifyWebhookSignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  rawBody: string,
  nowSeconds: number,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  const ts = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(ts) || Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, ts, rawBody));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The headers of one attempt. */
export function webhookHeaders(secret: string, event: Pick<WebhookEvent, 'eventId'>, rawBody: string, nowSeconds: number): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-webhook-id': event.eventId,
    'x-webhook-timestamp': String(nowSeconds),
    'x-webhook-signature': signWebhook(secret, nowSeconds, rawBody),
  };
}

/**
 * The back-off schedule: WEBHOOK_RETRY_DELAYS_SECONDS ("10,30,90", seconds, fractions allowed) or the default.
 * Attempts = delays + 1.
 */
export function parseRetryDelays(raw: string | undefined): number[] {
  if (raw === undefined || raw.trim() === '') return [...DEFAULT_RETRY_DELAYS_SECONDS];
  const delays = raw.split(',').map((s) => Number(s.trim()));
  if (delays.some((d) => !Number.isFinite(d) || d < 0)) {
    throw new Error('WEBHOOK_RETRY_DELAYS_SECONDS must be a comma-separated list of non-negative seconds');
  }
  return delays;
}

/** After a failed attempt `attempt` (1-based): the delay before the next one, or null when it was the last. */
export function nextRetryDelay(delays: readonly number[], attempt: number): number | null {
  return attempt <= delays.length ? delays[attempt - 1]! : null;
}

/** A delivery counts as received on a 2xx answer only. */
export function isDelivered(status: number): boolean {
  return status >= 200 && status < 300;
}
