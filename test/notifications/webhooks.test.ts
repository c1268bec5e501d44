import { describe, expect, it } from 'vitest';
import { marshall } from '@aws-sdk/util-dynamodb';
import {
  DEFAULT_RETRY_DELAYS_SECONDS,
  buildWebhookEvent,
  isNotifiedChange,
  nextRetryDelay,
  parseRetryDelays,
  signWebhook,
  verifyWebhookSignature,
  webhookEventId,
  webhookHeaders,
} from '../../functions/domain/webhooks';
import { notifyStatusChanges, type StreamRecord } from '../../functions/events/notifyStatusChange';
import { deliverWebhook } from '../../functions/events/deliverWebhook';
import type { WebhookDeadLetter, WebhookMessage } from '../../functions/adapters/webhooks';

const SECRET = 'test-secret';

function view(status: string) {
  return { applicationId: 'HR-01ABCDEFGHJKMNPQRSTVWXYZ00', service: 'HOUSEHOLD_RENEWAL', provinceCode: '79', status, createdAt: '2026-11-22T02:00:00.000Z', updatedAt: '2026-11-22T02:00:05.000Z', timeline: [] };
}

describe('webhook rules', () => {
  it('notifies a change to a notified status only, once per status', () => {
    expect(isNotifiedChange('VERIFYING', 'IN_REVIEW')).toBe(true);
    expect(isNotifiedChange(undefined, 'COMPLETED')).toBe(true);
    expect(isNotifiedChange('IN_REVIEW', 'IN_REVIEW')).toBe(false);
    expect(isNotifiedChange('RECEIVED', 'VERIFYING')).toBe(false);
    expect(isNotifiedChange(undefined, undefined)).toBe(false);
    for (const s of ['AWAITING_PAYMENT', 'REJECTED', 'EXPIRED', 'FAILED', 'WAITING_FOR_RULE_DATA']) expect(isNotifiedChange('VERIFYING', s)).toBe(true);
  });

  it('gives one change one id: EV- and the sha256 of application, status and version', () => {
    const id = webhookEventId('HR-1', 'COMPLETED', 7);
    expect(id).toBe('EV-610606cbe3547dc7899d03d82b2e3bbf1d7d6a72bb764eff1310f8655360fcd8');
    expect(id).toMatch(/^EV-[0-9a-f]{64}$/);
    expect(webhookEventId('HR-1', 'COMPLETED', 7)).toBe(id);
    expect(webhookEventId('HR-1', 'COMPLETED', 8)).not.toBe(id);
    expect(webhookEventId('HR-1', 'REJECTED', 7)).not.toBe(id);
    const event = buildWebhookEvent(view('COMPLETED'), 7, 'AWAITING_PAYMENT');
    expect(event).toMatchObject({ type: 'application.status_changed', status: 'COMPLETED', previousStatus: 'AWAITING_PAYMENT', occurredAt: '2026-11-22T02:00:05.000Z', service: 'HOUSEHOLD_RENEWAL' });
    expect(event.eventId).toBe(webhookEventId(view('COMPLETED').applicationId, 'COMPLETED', 7));
  });

  it('signs "<timestamp>.<body>" with HMAC-SHA256 and verifies it within the tolerance', () => {
    const body = '{"a":1}';
    // Known answer: printf '1764000000.{"a":1}' | openssl dgst -sha256 -hmac test-secret
    expect(signWebhook(SECRET, 1764000000, body)).toBe('sha256=dbe47e04e42df945e0a3f9c105fd59f7cdeea88748641913a1847d251d286c1f');
    const headers = webhookHeaders(SECRET, { eventId: 'EV-x' }, body, 1764000000);
    expect(headers['x-webhook-id']).toBe('EV-x');
    expect(headers['x-webhook-timestamp']).toBe('1764000000');
    const sig = { timestamp: headers['x-webhook-timestamp'], signature: headers['x-webhook-signature'] };
    expect(verifyWebhookSignature(SECRET, sig, body, 1764000100)).toBe(true);
    expect(verifyWebhookSignature('other', sig, body, 1764000100)).toBe(false);
    expect(verifyWebhookSignature(SECRET, sig, '{"a":2}', 1764000100)).toBe(false);
    expect(verifyWebhookSignature(SECRET, sig, body, 1764000000 + 301)).toBe(false);
    expect(verifyWebhookSignature(SECRET, { ...sig, signature: undefined }, body, 1764000000)).toBe(false);
  });

  it('retries 10 s, 30 s, 90 s, 5 min, then 15 min ×7 (12 attempts) unless overridden', () => {
    expect(parseRetryDelays(undefined)).toEqual([10, 30, 90, 300, 900, 900, 900, 900, 900, 900, 900]);
    expect(DEFAULT_RETRY_DELAYS_SECONDS.length + 1).toBe(12);
    expect(parseRetryDelays('0.01, 0.02')).toEqual([0.01, 0.02]);
    expect(() => parseRetryDelays('1,x')).toThrow(/WEBHOOK_RETRY_DELAYS_SECONDS/);
    expect(nextRetryDelay([10, 30], 1)).toBe(10);
    expect(nextRetryDelay([10, 30], 2)).toBe(30);
    expect(nextRetryDelay([10, 30], 3)).toBeNull();
  });
});

describe('NotifyStatusChange', () => {
  const env = { CONSUMER_WEBHOOKS: JSON.stringify({ portal: 'http://127.0.0.1:9/hook' }) };
  function record(eventName: string, oldItem: Record<string, unknown> | undefined, newItem: Record<string, unknown>, seq: string): StreamRecord {
    return { eventName, dynamodb: { SequenceNumber: seq, NewImage: marshall(newItem, { removeUndefinedValues: true }), OldImage: oldItem ? marshall(oldItem) : undefined } };
  }
  const base = { applicationId: 'HR-01ABCDEFGHJKMNPQRSTVWXYZ00', service: 'HOUSEHOLD_RENEWAL', provinceCode: '79', consumerId: 'portal', createdAt: 'x', updatedAt: 'y', timeline: [] };

  it('queues one first attempt per status change of a consumer with a webhook, built from the new image', async () => {
    Object.assign(process.env, env);
    const sent: { message: WebhookMessage; delay: number }[] = [];
    const result = await notifyStatusChanges(
      [
        record('MODIFY', { ...base, status: 'VERIFYING', version: 2 }, { ...base, status: 'IN_REVIEW', version: 3 }, '1'),
        // the same status again (another field changed): nothing
        record('MODIFY', { ...base, status: 'IN_REVIEW', version: 3 }, { ...base, status: 'IN_REVIEW', version: 4 }, '2'),
        // a status nobody is told about
        record('INSERT', undefined, { ...base, status: 'RECEIVED', version: 1 }, '3'),
        // another consumer without a webhook
        record('MODIFY', { ...base, status: 'VERIFYING', version: 2 }, { ...base, consumerId: 'vssid', status: 'COMPLETED', version: 3 }, '4'),
        { eventName: 'REMOVE', dynamodb: { SequenceNumber: '5', OldImage: marshall({ ...base, status: 'COMPLETED' }) } },
      ],
      { queue: { send: async (message, delay) => void sent.push({ message, delay }) }, view: async (r) => ({ ...view(r.status), applicationId: r.applicationId }) },
    );
    expect(result.failed).toEqual([]);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.delay).toBe(0);
    expect(sent[0]!.message).toMatchObject({ consumerId: 'portal', attempt: 1, event: { status: 'IN_REVIEW', previousStatus: 'VERIFYING', eventId: webhookEventId(base.applicationId, 'IN_REVIEW', 3) } });
    expect(result.queued).toEqual([sent[0]!.message.event.eventId]);
  });

  it('reports a record it could not queue, by sequence number', async () => {
    Object.assign(process.env, env);
    const result = await notifyStatusChanges([record('MODIFY', { ...base, status: 'VERIFYING' }, { ...base, status: 'FAILED', version: 5 }, '42')], {
      queue: { send: async () => { throw new Error('queue down'); } },
      view: async () => view('FAILED'),
    });
    expect(result).toEqual({ queued: [], failed: ['42'] });
  });
});

describe('DeliverWebhook', () => {
  const event = buildWebhookEvent(view('COMPLETED'), 9, 'AWAITING_PAYMENT');
  const message: WebhookMessage = { consumerId: 'portal', attempt: 1, event };

  function harness(statuses: (number | Error)[]) {
    const posts: { url: string; body: string; headers: Record<string, string> }[] = [];
    const queued: { message: WebhookMessage; delay: number }[] = [];
    const letters: WebhookDeadLetter[] = [];
    const deps = {
      queue: { send: async (m: WebhookMessage, delay: number) => void queued.push({ message: m, delay }) },
      post: async (url: string, body: string, headers: Record<string, string>) => {
        posts.push({ url, body, headers });
        const next = statuses.shift()!;
        if (next instanceof Error) throw next;
        return next;
      },
      secretOf: async () => SECRET,
      urlOf: () => 'http://receiver/hook',
      deadLetters: { put: async (_province: string, l: WebhookDeadLetter) => void letters.push(l) },
    };
    return { posts, queued, letters, deps };
  }

  it('delivers on a 2xx with a verifiable signature over the raw body', async () => {
    const h = harness([204]);
    expect(await deliverWebhook(message, h.deps)).toBe('DELIVERED');
    const post = h.posts[0]!;
    expect(post.url).toBe('http://receiver/hook');
    expect(JSON.parse(post.body)).toEqual(event);
    expect(post.headers['x-webhook-id']).toBe(event.eventId);
    const ok = verifyWebhookSignature(SECRET, { timestamp: post.headers['x-webhook-timestamp'], signature: post.headers['x-webhook-signature'] }, post.body, Number(post.headers['x-webhook-timestamp']));
    expect(ok).toBe(true);
    expect(h.queued).toEqual([]);
  });

  it('queues the next attempt after the back-off on a 500 or a network error, with the same event id', async () => {
    process.env.WEBHOOK_RETRY_DELAYS_SECONDS = '10,30';
    try {
      const h = harness([500, new Error('ECONNREFUSED')]);
      expect(await deliverWebhook(message, h.deps)).toBe('RETRY_QUEUED');
      expect(await deliverWebhook(h.queued[0]!.message, h.deps)).toBe('RETRY_QUEUED');
      expect(h.queued.map((q) => [q.message.attempt, q.delay, q.message.event.eventId])).toEqual([
        [2, 10, event.eventId],
        [3, 30, event.eventId],
      ]);
      expect(h.letters).toEqual([]);
    } finally {
      delete process.env.WEBHOOK_RETRY_DELAYS_SECONDS;
    }
  });

  it('writes a dead letter after the last attempt (12 by default)', async () => {
    const h = harness([503]);
    expect(await deliverWebhook({ ...message, attempt: 12 }, h.deps)).toBe('DEAD_LETTER');
    expect(h.queued).toEqual([]);
    expect(h.letters).toHaveLength(1);
    expect(h.letters[0]).toMatchObject({ eventId: event.eventId, applicationId: event.applicationId, consumerId: 'portal', status: 'COMPLETED', attempts: 12, lastError: 'HTTP 503' });
    expect(JSON.parse(h.letters[0]!.event)).toEqual(event);
  });

  it('drops a message whose consumer no longer has a URL and refuses a malformed one', async () => {
    const h = harness([]);
    expect(await deliverWebhook(message, { ...h.deps, urlOf: () => undefined })).toBe('NO_WEBHOOK');
    await expect(deliverWebhook({ consumerId: 'portal', attempt: 0, event }, h.deps)).rejects.toThrow();
    expect(h.posts).toEqual([]);
  });
});
