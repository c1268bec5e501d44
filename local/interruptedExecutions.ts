/**
 * After a restart on a data dir (`npm start -- --data-dir DIR`): the tables kept every application, but the
 * executions that were running lived in the previous process's in-memory engine and are gone. They are not
 * resumed (the engine cannot rebuild an execution's position, its task tokens or its timers honestly); each one
 * is ended by the "no application without an outcome" rule instead: the ExecutionEnded event function receives
 * an ABORTED status change for the application's recorded execution (cause "the local runtime restarted"), as
 * EventBridge would deliver it after a StopExecution, and ends the application FAILED WORKFLOW_STOPPED with its
 * open review item closed and a recorded payment turned into a refund due (functions/steps/recordOutcome.ts).
 *
 * Local tooling only: it scans the applications table (handlers never scan).
 */
import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../functions/adapters/dynamo';
import { IDEMPOTENCY_KEY_PREFIX, isTerminal } from '../functions/adapters/applicationsRepository';
import { config } from '../functions/shared/config';
import type { ApplicationStatus } from '../functions/domain/types';
import type { ExecutionStatusChangeEvent } from './stepFunctions/localStepFunctions';

export const RESTART_CAUSE = 'the local runtime restarted';

interface InFlight {
  applicationId: string;
  status: ApplicationStatus;
  executionArn?: string;
  createdAt?: string;
}

/** Applications not in a terminal status (idempotency records left out). */
export async function unfinishedApplications(): Promise<InFlight[]> {
  const found: InFlight[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(
      new ScanCommand({
        TableName: config.applicationsTable(),
        ProjectionExpression: 'applicationId, #status, executionArn, createdAt',
        ExpressionAttributeNames: { '#status': 'status' },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of (page.Items ?? []) as InFlight[]) {
      if (typeof item.applicationId !== 'string' || item.applicationId.startsWith(IDEMPOTENCY_KEY_PREFIX)) continue;
      if (!item.status || isTerminal(item.status)) continue;
      found.push(item);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
}

/** `arn:aws:states:<region>:<account>:execution:<machine>:<name>` → the machine's ARN (null if not that form). */
export function stateMachineArnOf(executionArn: string): string | null {
  const m = /^arn:aws:states:([^:]+):([^:]+):execution:([^:]+):[^:]+$/.exec(executionArn);
  return m ? `arn:aws:states:${m[1]}:${m[2]}:stateMachine:${m[3]}` : null;
}

/** The status change AWS emits for a stopped execution, for the application's recorded execution. */
export function restartAbortedEvent(app: InFlight & { executionArn: string }, at: Date): ExecutionStatusChangeEvent {
  const [, , , region, account] = app.executionArn.split(':');
  const started = app.createdAt ? new Date(app.createdAt).getTime() : at.getTime();
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account,
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [app.executionArn],
    detail: {
      executionArn: app.executionArn,
      stateMachineArn: stateMachineArnOf(app.executionArn)!,
      name: app.applicationId,
      status: 'ABORTED',
      startDate: Number.isNaN(started) ? at.getTime() : started,
      stopDate: at.getTime(),
      // The original input is gone with the engine; the service executions' input carries the application id.
      input: JSON.stringify({ applicationId: app.applicationId }),
      inputDetails: { included: true },
      output: null,
      outputDetails: null,
      error: null,
      cause: RESTART_CAUSE,
    },
  };
}

export interface InterruptedSummary {
  /** Applications an ABORTED event was delivered for. */
  ended: string[];
  /** Unfinished applications with no recorded execution (nothing to end them by; left as they are). */
  withoutExecution: string[];
}

/**
 * Delivers an ABORTED event for every unfinished application whose recorded execution `knows` says the engine
 * does not know. `deliver` is the runtime's event delivery (the EventBridge rules applied locally).
 */
export async function endInterruptedExecutions(
  knows: (executionArn: string) => boolean,
  deliver: (event: ExecutionStatusChangeEvent) => Promise<void>,
  at: Date = new Date(),
): Promise<InterruptedSummary> {
  const summary: InterruptedSummary = { ended: [], withoutExecution: [] };
  for (const app of await unfinishedApplications()) {
    if (!app.executionArn || !stateMachineArnOf(app.executionArn)) {
      summary.withoutExecution.push(app.applicationId);
      continue;
    }
    if (knows(app.executionArn)) continue;
    await deliver(restartAbortedEvent(app as InFlight & { executionArn: string }, at));
    summary.ended.push(app.applicationId);
  }
  return summary;
}
