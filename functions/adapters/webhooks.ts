/**
 * Webhook delivery adapters (issue 11): where each consumer's webhooks go, the secret they are signed with, the
 * queue that carries them between attempts (SQS in AWS), the HTTP POST, and the dead letters (reviewItems table).
 *
 * Configuration (environment, the same code path in AWS and locally):
 *   CONSUMER_WEBHOOKS            JSON { "<consumer>": "<https URL>" } (from the province config); a consumer
 *                                without a URL is not notified
 *   WEBHOOK_SIGNING_SECRET       the secret itself (local: `local-webhook-signing-secret`), the same for every consumer
 *   WEBHOOK_SIGNING_SECRETS_ARN  else: a Secrets Manager secret, JSON { "<consumer>": "<secret>" } (re-read every 5 min)
 *   WEBHOOK_QUEUE_URL            the SQS queue of pending deliveries
 *   WEBHOOK_RETRY_DELAYS_SECONDS back-off override (domain/webhooks.ts)
 *   WEBHOOK_TIMEOUT_MS           per-attempt HTTP timeout (default 5000)
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { dynamo } from './dynamo';
import { config } from '../shared/config';
import type { WebhookEvent } from '../domain/webhooks';

/** One pending delivery: the event, its consumer and which attempt this is (1-based). */
export interface WebhookMessage {
  consumerId: string;
  attempt: number;
  event: WebhookEvent;
}

/** Carries a message to the next attempt after `delaySeconds`. */
export interface WebhookQueue {
  send(message: WebhookMessage, delaySeconds: number): Promise<void>;
}

function jsonMap(name: string): Record<string, string> {
  const raw = process.env[name];
  if (!raw) return {};
  const parsed: unknown = JSON.parse(raw);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
    throw new Error(`Environment variable ${name} must be a JSON object of consumer → string`);
  }
  return parsed as Record<string, string>;
}

/** The consumer's webhook URL, or undefined (not notified). */
export function webhookUrlOf(consumerId: string | undefined): string | undefined {
  return consumerId ? jsonMap('CONSUMER_WEBHOOKS')[consumerId] : undefined;
}

const SECRET_CACHE_MS = 5 * 60 * 1000;
let cachedSecrets: { arn: string; at: number; value: Promise<Record<string, string>> } | undefined;

/** The secret the consumer's webhooks are signed with. */
export async function webhookSigningSecret(consumerId: string): Promise<string> {
  const direct = process.env.WEBHOOK_SIGNING_SECRET;
  if (direct) return direct;
  const arn = process.env.WEBHOOK_SIGNING_SECRETS_ARN;
  if (!arn) throw new Error('Missing environment variable WEBHOOK_SIGNING_SECRETS_ARN (or WEBHOOK_SIGNING_SECRET)');
  if (cachedSecrets?.arn !== arn || Date.now() - cachedSecrets.at > SECRET_CACHE_MS) {
    const value = new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn })).then((out) => {
      const parsed: unknown = JSON.parse(out.SecretString ?? '{}');
      return parsed as Record<string, string>;
    });
    value.catch(() => {
      cachedSecrets = undefined;
    });
    cachedSecrets = { arn, at: Date.now(), value };
  }
  const secret = (await cachedSecrets.value)[consumerId];
  if (!secret) throw new Error(`No webhook signing secret for consumer ${consumerId}`);
  return secret;
}

/** POSTs the raw body; resolves with the HTTP status, rejects on a network error or the timeout. */
export async function postWebhook(url: string, rawBody: string, headers: Record<string, string>, timeoutMs = Number(process.env.WEBHOOK_TIMEOUT_MS ?? 5000)): Promise<number> {
  const res = await fetch(url, { method: 'POST', headers, body: rawBody, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
  await res.arrayBuffer().catch(() => undefined);
  return res.status;
}

let sqs: SQSClient | undefined;

/** The SQS queue (WEBHOOK_QUEUE_URL); SQS delays by at most 15 min, whole seconds. */
export const sqsWebhookQueue: WebhookQueue = {
  async send(message, delaySeconds) {
    sqs ??= new SQSClient({});
    const queueUrl = process.env.WEBHOOK_QUEUE_URL;
    if (!queueUrl) throw new Error('Missing environment variable WEBHOOK_QUEUE_URL');
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify(message),
        DelaySeconds: Math.min(900, Math.ceil(delaySeconds)),
      }),
    );
  },
};

/** A delivery that failed its last attempt, kept for staff/ops (reviewItems table, one partition per province). */
export interface WebhookDeadLetter {
  eventId: string;
  applicationId: string;
  consumerId: string;
  status: string;
  attempts: number;
  /** The last attempt's HTTP status or error. */
  lastError: string;
  failedAt: string;
  /** The event as it was sent (JSON). */
  event: string;
}

export const deadLetterPartition = (provinceCode: string) => `WEBHOOK_DEAD_LETTER#${provinceCode}`;

export const webhookDeadLetters = {
  async put(provinceCode: string, letter: WebhookDeadLetter): Promise<void> {
    await dynamo().send(
      new PutCommand({
        TableName: config.reviewItemsTable(),
        Item: { itemId: deadLetterPartition(provinceCode), sk: `${letter.failedAt}#${letter.eventId}`, ...letter },
      }),
    );
  },
  /** The province's dead letters, oldest first. */
  async list(provinceCode: string): Promise<WebhookDeadLetter[]> {
    const out: WebhookDeadLetter[] = [];
    const pages = paginateQuery(
      { client: dynamo() },
      { TableName: config.reviewItemsTable(), KeyConditionExpression: 'itemId = :pk', ExpressionAttributeValues: { ':pk': deadLetterPartition(provinceCode) } },
    );
    for await (const page of pages) {
      for (const { itemId: _pk, sk: _sk, ...letter } of page.Items ?? []) out.push(letter as WebhookDeadLetter);
    }
    return out;
  },
};
