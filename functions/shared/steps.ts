/**
 * What every workflow step handler (functions/steps/*) shares: parsing its input with zod (a malformed input is a
 * ValidationError listing every problem — a bug in the ASL, never retried as transient) and mapping AWS
 * throttling / 5xx errors to TransientError, the name the ASL Retry matches.
 */
import type { z } from 'zod';
import { TransientError, ValidationError } from './errors';
import type { Context } from 'aws-lambda';
import { logger, runInvocation } from './logger';

const TRANSIENT_AWS_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TransactionInProgressException',
]);

/** Maps AWS throttling / 5xx errors to TransientError (retried by the ASL); other errors pass through. */
export function asStepError(error: unknown): unknown {
  const name = (error as Error | undefined)?.name;
  if (name && TRANSIENT_AWS_ERRORS.has(name)) return new TransientError(`${name}: ${(error as Error).message}`);
  return error;
}

/** Parses a step's input; `step` names the step in the error message (e.g. 'LoadContributionHistory'). */
export function parseStepInput<S extends z.ZodType>(schema: S, event: unknown, step: string): z.infer<S> {
  const parsed = schema.safeParse(event);
  if (!parsed.success) {
    throw new ValidationError(`Dữ liệu bước ${step} không hợp lệ`, `Invalid ${step} input`, {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return parsed.data;
}

/** Runs a step's service call, mapping transient AWS errors for the ASL Retry. */
export async function runStep<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asStepError(error);
  }
}

/**
 * A workflow step's Lambda handler: parse the input (zod) → the service → return, in its own logging context
 * (shared/logger.ts runInvocation) with the application id and the Lambda context in every log line, transient AWS errors mapped for the ASL Retry, and a one-line summary of the result logged.
 *
 * - Errors keep their `name` (the ASL Retry/Catch match on it: RegistryUnavailable, NoBillableMembers,
 *   RuleDataUnavailable …); only AWS throttling / 5xx errors become TransientError.
 * - A malformed input is a ValidationError naming the step, with the issues' paths and messages only: never an
 *   input value (a task token, a personal ID).
 * - Nothing of the input is logged but the application id and what `summary` picks: `summary` gets the output
 *   and the parsed input (e.g. a masked personal ID, the reason code) and must never return a task token or a
 *   full personal ID.
 */
export function stepHandler<S extends z.ZodType, T>(
  step: string,
  schema: S,
  work: (input: z.infer<S>) => T | Promise<T>,
  summary: (output: T, input: z.infer<S>) => Record<string, unknown>,
): (event: unknown, context?: Context) => Promise<T> {
  return (event: unknown, context?: Context) =>
    runInvocation(context, async () => {
      logger.resetKeys(); // the invocation's own logging context: no key but this invocation's
      const input = parseStepInput(schema, event, step);
      logger.appendKeys({ applicationId: (input as { applicationId?: string }).applicationId });
      const output = await runStep(async () => work(input));
      logger.info(`${step} done`, summary(output, input));
      return output;
    });
}
