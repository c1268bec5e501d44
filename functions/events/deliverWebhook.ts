/**
 * DeliverWebhook: one attempt per queued message (SQS in AWS). POSTs the event to the consumer's URL, signed
 * (domain/webhooks.ts). A 2xx answer delivers it. Anything else (another status, a network error, the timeout)
 * queues the next attempt after the back-off delay (WEBHOOK_RETRY_DELAYS_SECONDS, default 10 s, 30 s, 90 s,
 * 5 min, 15 min ×7); after the last attempt a dead letter is written (reviewItems table,
 * `WEBHOOK_DEAD_LETTER#<province>`) for staff/ops. The event id stays the same on every attempt; the timestamp
 * and signature are of the attempt.
 *
 * A message that cannot be handled at all (bad JSON, no secret, the queue down) is reported in
 * `batchItemFailures`: SQS redelivers it and, after maxReceiveCount, moves it to the queue's DLQ.
 */
import * as z from 'zod';
import { postWebhook, sqsWebhookQueue, webhookDeadLetters, webhookSigningSecret, webhookUrlOf, type WebhookMessage, type WebhookQueue } from '../adapters/webhooks';
import { isDelivered, nextRetryDelay, parseRetryDelays, webhookHeaders } from '../domain/webhooks';
import { now } from '../shared/clock';
import { invocationHandler, logger } from '../shared/logger';

const messageSchema = z.object({
  consumerId: z.string().min(1),
  attempt: z.number().int().min(1),
  event: z
    .object({
      eventId: z.string().regex(/^EV-[0-9a-f]{64}$/),
      applicationId: z.string().min(1),
      status: z.string().min(1),
      application: z.object({ provinceCode: z.string().min(1) }).passthrough(),
    })
    .passthrough(),
});

export interface DeliverDeps {
  queue: WebhookQueue;
  post?: typeof postWebhook;
  secretOf?: (consumerId: string) => Promise<string>;
  urlOf?: (consumerId: string) => string | undefined;
  deadLetters?: Pick<typeof webhookDeadLetters, 'put'>;
}

export type DeliveryOutcome = 'DELIVERED' | 'RETRY_QUEUED' | 'DEAD_LETTER' | 'NO_WEBHOOK';

/** One attempt of one message. */
export async function deliverWebhook(raw: unknown, deps: DeliverDeps): Promise<DeliveryOutcome> {
  const message = messageSchema.parse(raw) as unknown as WebhookMessage;
  const { event, consumerId, attempt } = message;
  const url = (deps.urlOf ?? webhookUrlOf)(consumerId);
  if (!url) {
    logger.warn('Webhook dropped: the consumer has no webhook URL any more', { eventId: event.eventId, consumerId });
    return 'NO_WEBHOOK';
  }
  const secret = await (deps.secretOf ?? webhookSigningSecret)(consumerId);
  const body = JSON.stringify(event);
  const nowSeconds = Math.floor(now().getTime() / 1000);
  let lastError: string;
  try {
    const status = await (deps.post ?? postWebhook)(url, body, webhookHeaders(secret, event, body, nowSeconds));
    if (isDelivered(status)) {
      logger.info('Webhook delivered', { eventId: event.eventId, applicationId: event.applicationId, status: event.status, attempt });
      return 'DELIVERED';
    }
    lastError = `HTTP ${status}`;
  } catch (error) {
    lastError = ((error as Error)?.name === 'TimeoutError' ? 'timeout' : (error as Error)?.message ?? String(error)).slice(0, 200);
  }
  const delay = nextRetryDelay(parseRetryDelays(process.env.WEBHOOK_RETRY_DELAYS_SECONDS), attempt);
  if (delay !== null) {
    await deps.queue.send({ ...message, attempt: attempt + 1 }, delay);
    logger.warn('Webhook attempt failed; retry queued', { eventId: event.eventId, attempt, lastError, delaySeconds: delay });
    return 'RETRY_QUEUED';
  }
  await (deps.deadLetters ?? webhookDeadLetters).put(event.application.provinceCode as string, {
    eventId: event.eventId,
    applicationId: event.applicationId,
    consumerId,
    status: event.status,
    attempts: attempt,
    lastError,
    failedAt: now().toISOString(),
    event: body,
  });
  logger.error('Webhook undeliverable: dead letter written', { eventId: event.eventId, attempts: attempt, lastError });
  return 'DEAD_LETTER';
}

interface SqsEvent {
  Records: { messageId: string; body: string }[];
}

export const handler = invocationHandler(async (event?: SqsEvent) => {
  const failures: { itemIdentifier: string }[] = [];
  for (const record of event?.Records ?? []) {
    try {
      await deliverWebhook(JSON.parse(record.body), { queue: sqsWebhookQueue });
    } catch (error) {
      logger.error('Webhook message failed', { messageId: record.messageId, error: (error as Error)?.message });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
});
