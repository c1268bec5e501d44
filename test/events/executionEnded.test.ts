import { beforeAll, describe, expect, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import { useLocalTables } from '../support/tables';
import { createApplication } from '../support/applications';
import { applicationsRepository } from '../../functions/adapters/applicationsRepository';
import { applicationOf, executionDetail, handler, type ExecutionStatusChangeEvent } from '../../functions/events/executionEnded';
import { claimReviewItem, openReviewItem } from '../../functions/reviewQueue/reviewQueue';
import * as reviewQueue from '../../functions/reviewQueue/reviewQueue';
import { getItem, listAudit } from '../../functions/reviewQueue/reviewItemsRepository';
import { outcomeReasonLabel } from '../../functions/domain/reviewReasons';
import type { StaffPrincipal } from '../../functions/shared/http';

const staff: StaffPrincipal = { staffId: 'staff-79-a', name: 'Cán bộ A', provinceCode: '79', roles: ['staff'] };
const MACHINE = 'arn:aws:states:ap-southeast-1:000000000000:stateMachine:UnemploymentHistory';

function event(applicationId: string, detail: Partial<ExecutionStatusChangeEvent['detail']> = {}): ExecutionStatusChangeEvent {
  return {
    source: 'aws.states',
    'detail-type': 'Step Functions Execution Status Change',
    detail: {
      executionArn: `arn:aws:states:ap-southeast-1:000000000000:execution:UnemploymentHistory:${applicationId}`,
      stateMachineArn: MACHINE,
      name: applicationId,
      status: 'ABORTED',
      startDate: 1_780_000_000_000,
      stopDate: 1_780_000_100_000,
      input: JSON.stringify({ applicationId, service: 'UNEMPLOYMENT_HISTORY' }),
      error: null,
      cause: null,
      ...detail,
    },
  };
}

async function inReview() {
  const applicationId = await createApplication('UNEMPLOYMENT_HISTORY');
  const { itemId } = await openReviewItem({
    applicationId,
    service: 'UNEMPLOYMENT_HISTORY',
    provinceCode: '79',
    checkKind: 'PERSON',
    subjectRole: 'APPLICANT',
    subject: { personalId: '079085001234', fullName: 'Nguyễn Văn An', dateOfBirth: '1985-03-14' },
    reasonCode: 'NAME_MISMATCH',
    registrySnapshot: null,
    reviewTimeoutSeconds: 600,
    taskToken: `token-${randomUUID()}`,
  });
  return { applicationId, itemId };
}

beforeAll(async () => {
  await useLocalTables('executionEnded');
  process.env.PROVINCE_CODE = '79';
});

describe('ExecutionEnded handler', () => {
  it('ABORTED with an open item: application FAILED (WORKFLOW_STOPPED) and the item closed, one transaction', async () => {
    const { applicationId, itemId } = await inReview();
    const out = await handler(event(applicationId, { cause: 'Triển khai phiên bản mới / deploy' }));
    expect(out).toEqual({ action: 'ENDED', applicationId, status: 'FAILED', reasonCode: 'WORKFLOW_STOPPED' });
    const app = await applicationsRepository.get(applicationId);
    expect(app).toMatchObject({
      status: 'FAILED',
      reason: { code: 'WORKFLOW_STOPPED' },
    });
    // The operator's cause is only logged (stored reasons are small; answers render the message).
    expect(app!.reason).toEqual({ code: 'WORKFLOW_STOPPED' });
    expect(outcomeReasonLabel('WORKFLOW_STOPPED').vi).toContain('dừng');
    expect(app!.openReviewItemId).toBeUndefined();
    expect(await getItem(itemId)).toMatchObject({ status: 'EXPIRED', closedReason: 'WORKFLOW_STOPPED', queueKey: expect.stringMatching(/^EXPIRED#/) });
    expect((await getItem(itemId))!.escalationDueAt).toBeUndefined();
    expect((await listAudit(itemId)).map((a) => a.action)).toEqual(['OPENED', 'CLOSED']);
  });

  it('ignores SUCCEEDED / RUNNING, other event types, nested executions and executions that are not the application\'s', async () => {
    const { applicationId, itemId } = await inReview();
    const other = await createApplication('UNEMPLOYMENT_HISTORY');
    const cases: [ExecutionStatusChangeEvent, string][] = [
      [event(applicationId, { status: 'SUCCEEDED' }), 'status SUCCEEDED'],
      [event(applicationId, { status: 'RUNNING' }), 'status RUNNING'],
      [{ ...event(applicationId), 'detail-type': 'Step Functions State Machine Status Change' }, 'another event type'],
      [
        event(applicationId, {
          name: randomUUID(),
          input: JSON.stringify({ applicationId, AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: 'arn:parent' }),
        }),
        'a nested execution (its parent handles its end)',
      ],
      [event(applicationId, { name: other }), 'not a service execution (name is not the input applicationId)'],
      [event(applicationId, { name: randomUUID(), input: null }), 'no input and the name is not an application id'],
      [event('UI-00000000000000000000000000'), 'unknown application'],
    ];
    for (const [e, why] of cases) expect(await handler(e), why).toEqual({ action: 'IGNORED', why });
    // An execution other than the one the application recorded at submission.
    await applicationsRepository.transition(applicationId, { event: 'WORKFLOW_STARTED', set: { executionArn: `${MACHINE.replace('stateMachine', 'execution')}:${applicationId}-v2` } });
    expect(await handler(event(applicationId))).toEqual({ action: 'IGNORED', why: 'not the execution of the application' });
    expect(await applicationsRepository.get(applicationId)).toMatchObject({ status: 'IN_REVIEW' });
    expect(await getItem(itemId)).toMatchObject({ status: 'OPEN' });
  });

  it('a null input (EventBridge left it out): the name, an application id, is enough', async () => {
    const applicationId = await createApplication('LUMP_SUM_WITHDRAWAL');
    expect(applicationOf({ name: applicationId, input: null })).toEqual({ applicationId });
    const out = await handler(event(applicationId, { input: null, status: 'TIMED_OUT', error: 'States.Timeout' }));
    expect(out).toMatchObject({ action: 'ENDED', reasonCode: 'WORKFLOW_TIMED_OUT' });
    expect((await applicationsRepository.get(applicationId))!.reason).toEqual({ code: 'WORKFLOW_TIMED_OUT' });
  });

  it('a lost race with a claim on the open item is retried from a fresh read', async () => {
    const { applicationId, itemId } = await inReview();
    const real = reviewQueue.closeOpenItemsOfApplication;
    let raced = false;
    const spy = vi.spyOn(reviewQueue, 'closeOpenItemsOfApplication').mockImplementation(async (...args) => {
      const items = await real(...args);
      if (!raced) {
        raced = true;
        await claimReviewItem(staff, itemId); // between the read and the transaction
      }
      return items;
    });
    try {
      expect(await handler(event(applicationId, { status: 'FAILED', error: 'States.Runtime' }))).toMatchObject({ action: 'ENDED' });
    } finally {
      spy.mockRestore();
    }
    expect(raced).toBe(true);
    expect(await getItem(itemId)).toMatchObject({ status: 'EXPIRED', closedReason: 'WORKFLOW_FAILED', claimedBy: staff.staffId });
    expect((await listAudit(itemId)).map((a) => a.action)).toEqual(['OPENED', 'CLAIMED', 'CLOSED']);
  });

  it('a malformed event throws (EventBridge retries it, then the dead-letter queue keeps it)', async () => {
    await expect(handler({ source: 'aws.states', 'detail-type': 'Step Functions Execution Status Change', detail: { status: 'FAILED' } })).rejects.toMatchObject({
      name: 'ValidationError',
      code: 'VALIDATION_FAILED',
    });
    await expect(handler({ source: 'aws.ec2' })).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('the detail: error and cause, a JSON cause reduced to its message, nothing when the execution says nothing', () => {
    expect(executionDetail({ error: null, cause: null })).toBeNull();
    expect(executionDetail({ error: 'States.Timeout', cause: null })).toBe('States.Timeout');
    expect(executionDetail({ error: 'Lambda.Unknown', cause: '{"errorMessage":"boom","trace":["a"]}' })).toBe('Lambda.Unknown: boom');
    expect(executionDetail({ error: 'X', cause: '{not json' })).toBe('X: {not json');
  });
});
