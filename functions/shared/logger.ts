/**
 * The one structured logger of all handlers (Powertools Logger), with a logging context per invocation.
 *
 * `runInvocation(context, work)` — opened by the shared handler wrappers (httpApi in shared/http.ts, stepHandler
 * in shared/steps.ts, `invocationHandler` for scheduled functions) — gives the invocation its own child logger
 * (Powertools `createChild`), kept in an AsyncLocalStorage store and carrying the Lambda context
 * (`function_request_id`, `function_name`, `cold_start` …). Inside the invocation the exported `logger`
 * hands every log call and every temporary key (`appendKeys`/`removeKeys`/`resetKeys`/`addContext`) to that
 * child, so a line carries its own invocation's ids even when many invocations run concurrently in one process
 * (the local API server and Step Functions engine; Lambda with several concurrent requests per environment).
 * In a classic Lambda environment (one invocation at a time) the lines are the same as with a single logger.
 * Outside any invocation (module initialisation, local tooling) the logger logs with no invocation keys.
 *
 * Never log a full personal ID (use maskPersonalId) or a task token.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { invocationMeter, metered } from './invocationMeter';
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes, LogItemExtraInput, LogItemMessage } from '@aws-lambda-powertools/logger/types';
import type { Context } from 'aws-lambda';

const invocations = new AsyncLocalStorage<Logger>();

/** A Powertools Logger that, inside `runInvocation`, is the current invocation's child logger. */
class InvocationScopedLogger extends Logger {
  override trace(input: LogItemMessage, ...extra: LogItemExtraInput): void {
    const current = invocations.getStore();
    return current ? current.trace(input, ...extra) : super.trace(input, ...extra);
  }
  override debug(input: LogItemMessage, ...extra: LogItemExtraInput): void {
    const current = invocations.getStore();
    return current ? current.debug(input, ...extra) : super.debug(input, ...extra);
  }
  override info(input: LogItemMessage, ...extra: LogItemExtraInput): void {
    const current = invocations.getStore();
    return current ? current.info(input, ...extra) : super.info(input, ...extra);
  }
  override warn(input: LogItemMessage, ...extra: LogItemExtraInput): void {
    const current = invocations.getStore();
    return current ? current.warn(input, ...extra) : super.warn(input, ...extra);
  }
  override error(input: LogItemMessage, ...extra: LogItemExtraInput): void {
    const current = invocations.getStore();
    return current ? current.error(input, ...extra) : super.error(input, ...extra);
  }
  override critical(input: LogItemMessage, ...extra: LogItemExtraInput): void {
    const current = invocations.getStore();
    return current ? current.critical(input, ...extra) : super.critical(input, ...extra);
  }
  override appendKeys(attributes: LogAttributes): void {
    const current = invocations.getStore();
    return current ? current.appendKeys(attributes) : super.appendKeys(attributes);
  }
  override removeKeys(keys: string[]): void {
    const current = invocations.getStore();
    return current ? current.removeKeys(keys) : super.removeKeys(keys);
  }
  override resetKeys(): void {
    const current = invocations.getStore();
    return current ? current.resetKeys() : super.resetKeys();
  }
  override addContext(context: Context): void {
    const current = invocations.getStore();
    return current ? current.addContext(context) : super.addContext(context);
  }

  /** A child for one invocation: cold_start only on the environment's first (a new child would say its own). */
  childForInvocation(context: Context | undefined): Logger {
    const child = this.createChild();
    child.resetKeys(); // keys appended outside any invocation are not this invocation's
    if (!this.getColdStart()) (child as unknown as { getColdStart(): boolean }).getColdStart();
    if (context) child.addContext(context);
    return child;
  }
}

const root = new InvocationScopedLogger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'bhxh-eservices' });

/** One structured logger for all handlers. Never log a full personal ID: use maskPersonalId. */
export const logger: Logger = root;

/**
 * Runs one invocation with its own logging context: a child of `logger` (its level, service, persistent keys;
 * none of another invocation's temporary keys) with the invocation's Lambda context, when there is one.
 * An invocation started inside another one (e.g. a step run in-process while a request is handled) gets its
 * own context too, never the outer one's keys.
 */
export function runInvocation<T>(context: unknown, work: () => T): T {
  const lambdaContext = typeof (context as Partial<Context> | null | undefined)?.awsRequestId === 'string' ? (context as Context) : undefined;
  const run = () => invocations.run(root.childForInvocation(lambdaContext), work);
  return invocationMeter.enabled() ? metered(lambdaContext?.functionName ?? 'unknown', run) : run();
}

/** Wraps a Lambda handler so that each call runs in its own logging context (see `runInvocation`). */
export function invocationHandler<E, R>(handler: (event?: E, context?: Context) => Promise<R>): (event?: E, context?: unknown) => Promise<R> {
  return (event, context) => runInvocation(context, () => handler(event, context as Context | undefined));
}

/** 079203001234 → 079******234 : keeps the birth-registration province and the last three digits. */
export function maskPersonalId(id: string | undefined | null): string {
  if (!id) return '';
  if (id.length <= 6) return '*'.repeat(id.length);
  return id.slice(0, 3) + '*'.repeat(id.length - 6) + id.slice(-3);
}
