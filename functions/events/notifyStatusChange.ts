/**
 * NotifyStatusChange: the applications table's DynamoDB stream (NEW_AND_OLD_IMAGES; the event source mapping
 * filters to items with a notified status, infra/constructs/notifications.ts). For each record whose status
 * changed to a notified one (domain/webhooks.ts) and whose consumer has a webhook URL, the event — built from
 * the application's public view at that change, the shape GET /v1/applications/{id} answers — is queued for
 * DeliverWebhook (first attempt, no delay).
 *
 * The image on the stream is the application as written by that change, so the event shows that change even
 * when the application has moved on since. A household renewal's quote and deadline are read from its payment
 * request (as the API does). A record that fails is reported in `batchItemFailures` (the stream retries from it).
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { fromStored, publicApplicationView, type ApplicationRecord } from '../adapters/applicationsRepository';
import { decodeQuote, paymentsRepository } from '../adapters/paymentsRepository';
import { sqsWebhookQueue, webhookUrlOf, type WebhookQueue } from '../adapters/webhooks';
import { buildWebhookEvent, isNotifiedChange, type WebhookEvent } from '../domain/webhooks';
import { invocationHandler, logger } from '../shared/logger';

/** The part of a Lambda DynamoDB stream record this function reads. */
export interface StreamRecord {
  eventName?: string;
  dynamodb?: {
    SequenceNumber?: string;
    NewImage?: Record<string, unknown>;
    OldImage?: Record<string, unknown>;
  };
}

export interface StreamEvent {
  Records: StreamRecord[];
}

export interface NotifyDeps {
  queue: WebhookQueue;
  /** The application's public view at this change (default: the image plus its payment request). */
  view?: (record: ApplicationRecord) => Promise<WebhookEvent['application']>;
}

async function viewOf(record: ApplicationRecord): Promise<WebhookEvent['application']> {
  const request = record.paymentRequestId ? await paymentsRepository.getRequest(record.paymentRequestId) : null;
  const part = request ? { amount: request.amount, dueAt: request.dueAt, quote: decodeQuote(request).quote } : null;
  return publicApplicationView(record, part) as WebhookEvent['application'];
}

const image = (raw: Record<string, unknown> | undefined) =>
  raw ? fromStored<Partial<ApplicationRecord>>(unmarshall(raw as Record<string, AttributeValue>)) : undefined;

/** The event a stream record stands for, or null (no notified change, or no consumer webhook). */
export async function eventOfRecord(record: StreamRecord, view = viewOf): Promise<{ consumerId: string; event: WebhookEvent } | null> {
  if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') return null;
  const next = image(record.dynamodb?.NewImage);
  const previous = image(record.dynamodb?.OldImage);
  if (!next?.applicationId || !isNotifiedChange(previous?.status, next.status)) return null;
  if (!next.consumerId || !webhookUrlOf(next.consumerId)) return null;
  const event = buildWebhookEvent(await view(next as ApplicationRecord), next.version ?? 0, previous?.status);
  return { consumerId: next.consumerId, event };
}

/** Queues one first attempt per notified change; returns the records that failed (by sequence number). */
export async function notifyStatusChanges(records: StreamRecord[], deps: NotifyDeps): Promise<{ queued: string[]; failed: string[] }> {
  const queued: string[] = [];
  const failed: string[] = [];
  for (const record of records) {
    try {
      const found = await eventOfRecord(record, deps.view);
      if (!found) continue;
      await deps.queue.send({ consumerId: found.consumerId, attempt: 1, event: found.event }, 0);
      queued.push(found.event.eventId);
      logger.info('Webhook queued', { applicationId: found.event.applicationId, status: found.event.status, eventId: found.event.eventId, consumerId: found.consumerId });
    } catch (error) {
      failed.push(record.dynamodb?.SequenceNumber ?? '');
      logger.error('Webhook not queued', { error: (error as Error)?.message });
    }
  }
  return { queued, failed };
}

export const handler = invocationHandler(async (event?: StreamEvent) => {
  const { failed } = await notifyStatusChanges(event?.Records ?? [], { queue: sqsWebhookQueue });
  // With ReportBatchItemFailures the stream retries from the first failed record.
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
});
