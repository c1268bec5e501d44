/**
 * A tiny in-process stand-in for the SQS queue between webhook attempts: a message becomes visible after its
 * delay (fractions of a second honoured, so tests use tiny WEBHOOK_RETRY_DELAYS_SECONDS) and is handed to the
 * consumer function once; a consumer that throws gets the message again after `redeliverMs` up to
 * `maxReceives` times (SQS's visibility timeout and maxReceiveCount), then it is logged and dropped (the DLQ).
 */
import type { WebhookMessage, WebhookQueue } from '../../functions/adapters/webhooks';

export interface LocalQueue extends WebhookQueue {
  /** Resolves once no message is waiting or being handled. */
  idle(): Promise<void>;
  stop(): void;
}

export function localQueue(consume: (message: WebhookMessage) => Promise<unknown>, options: { redeliverMs?: number; maxReceives?: number } = {}): LocalQueue {
  const timers = new Set<NodeJS.Timeout>();
  let pending = 0;
  let waiters: (() => void)[] = [];
  let stopped = false;
  const settle = () => {
    if (pending === 0) {
      for (const w of waiters) w();
      waiters = [];
    }
  };
  const schedule = (message: WebhookMessage, delayMs: number, receives: number) => {
    if (stopped) return;
    pending++;
    const timer = setTimeout(async () => {
      timers.delete(timer);
      try {
        if (!stopped) await consume(message);
      } catch (error) {
        if (receives + 1 < (options.maxReceives ?? 3)) schedule(message, options.redeliverMs ?? 1000, receives + 1);
        else console.error(`[local-webhooks] message of ${message.event.eventId} dropped after ${receives + 1} receives:`, (error as Error)?.message ?? error);
      } finally {
        pending--;
        settle();
      }
    }, delayMs);
    timers.add(timer);
  };
  return {
    async send(message, delaySeconds) {
      schedule(message, Math.max(0, delaySeconds * 1000), 0);
    },
    idle: () => (pending === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      pending = 0;
      settle();
    },
  };
}
