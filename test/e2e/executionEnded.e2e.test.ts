/**
 * No application is left without an outcome (issue 8, part 5), end to end over the local system: an execution
 * that ends by a path that recorded no outcome — stopped by an operator (StopExecution through the local Step
 * Functions endpoint), timed out, failed outside a Catch — ends its application FAILED with a reason, and its
 * open review item closes (out of the active queue, not claimable, a decision answers 409). The engine emits the
 * Step Functions status change events; the runtime delivers them to the ExecutionEnded handler like EventBridge.
 * TIMED_OUT and FAILED are injected as events through the same handler (no wall-clock dependence).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import { stepFunctions } from '../../functions/adapters/stepFunctions';
import { applicationsRepository, type ApplicationRecord } from '../../functions/adapters/applicationsRepository';
import { getItem, listAudit } from '../../functions/reviewQueue/reviewItemsRepository';
import { handler as executionEnded } from '../../functions/events/executionEnded';
import { outcomeReasonLabel } from '../../functions/domain/reviewReasons';
import type { ExecutionStatus, ExecutionStatusChangeEvent } from '../../local/stepFunctions/localStepFunctions';
import type { LocalSystem } from '../../local/runtime';
import { openReviewItemOf, scenarioNamed, submitScenario, useDemoSystem } from '../support/serviceScenarios';

const demo = useDemoSystem();
const STAFF = 'dev-staff-79';
const OTHER_STAFF = 'dev-supervisor-79';
let system: LocalSystem;
let api: ReturnType<typeof demo.api>;

beforeAll(() => {
  system = demo.system();
  api = demo.api();
});

async function stored(applicationId: string): Promise<ApplicationRecord> {
  const record = await applicationsRepository.get(applicationId);
  if (!record) throw new Error(`application ${applicationId} not stored`);
  return record;
}

/** A Step Functions status change event for the application's own execution, as EventBridge delivers it. */
async function statusChange(
  applicationId: string,
  status: ExecutionStatus,
  fault: { error?: string; cause?: string } = {},
): Promise<ExecutionStatusChangeEvent> {
  const d = system.engine.describeExecution((await stored(applicationId)).executionArn!);
  return {
    version: '0',
    id: `test-${status}-${applicationId}`,
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'ap-southeast-1',
    resources: [d.executionArn],
    detail: {
      executionArn: d.executionArn,
      stateMachineArn: d.stateMachineArn,
      name: d.name,
      status,
      startDate: d.startDate.getTime(),
      stopDate: Date.now(),
      input: d.input,
      inputDetails: { included: true },
      output: null,
      outputDetails: null,
      error: fault.error ?? null,
      cause: fault.cause ?? null,
    },
  };
}

/** Submits a scenario that stops in review; returns the application and its open item. */
async function inReview(name: string) {
  const s = scenarioNamed(system, name);
  const applicationId = await submitScenario(api, s);
  await api.waitForStatus(applicationId, 'IN_REVIEW');
  const item = await openReviewItemOf(api, s.service!, applicationId);
  return { applicationId, item, service: s.service! };
}

async function activeQueueIds(): Promise<string[]> {
  const res = await api.get('/v1/review-queue?status=ACTIVE', STAFF);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items.map((i: { itemId: string }) => i.itemId);
}

function expectBilingual409(res: { status: number; body: any }, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(409);
  expect(res.body.code).toBe(code);
  expect(res.body.message.vi).toBeTruthy();
  expect(res.body.message.en).toBeTruthy();
  expect(res.body.message.vi).not.toBe(res.body.message.en);
}

/** The item is closed for good: EXPIRED with the reason, out of the active queue, not claimable or decidable. */
async function expectItemClosed(itemId: string, reasonCode: string) {
  const view = await api.get(`/v1/review-items/${itemId}`, STAFF);
  expect(view.status).toBe(200);
  expect(view.body).toMatchObject({ status: 'EXPIRED', closedReason: reasonCode });
  expect(view.body.history.at(-1)).toMatchObject({ action: 'CLOSED', by: 'system', detail: { closedReason: reasonCode } });
  expect(await activeQueueIds()).not.toContain(itemId);
  expectBilingual409(await api.post(`/v1/review-items/${itemId}/claim`, {}, OTHER_STAFF), 'REVIEW_ITEM_CLOSED');
}

describe('an operator stops an execution while it waits in review', () => {
  it('ends the application FAILED (WORKFLOW_STOPPED) and closes its claimed item; an approval is 409, nothing changes', async () => {
    const { applicationId, item } = await inReview('UI_NAME_MISMATCH');
    expect((await api.post(`/v1/review-items/${item.itemId}/claim`, {}, STAFF)).status).toBe(200);
    expect(await activeQueueIds()).toContain(item.itemId);

    await stepFunctions().send(
      new StopExecutionCommand({ executionArn: (await stored(applicationId)).executionArn!, cause: 'Bảo trì hệ thống / maintenance' }),
    );
    const app = await api.waitForStatus(applicationId, 'FAILED');
    // The operator's cause and the engine's error stay in the logs: the citizen reads the reason's own message.
    expect(app.reason).toEqual({ code: 'WORKFLOW_STOPPED', message: outcomeReasonLabel('WORKFLOW_STOPPED') });
    expect(app.reason.message.vi).toContain('dừng');
    expect(app.reason.message.en).toContain('stopped');
    expect(app.timeline.at(-1)).toMatchObject({ event: 'OUTCOME_RECORDED', status: 'FAILED', detail: { reasonCode: 'WORKFLOW_STOPPED' } });
    await expectItemClosed(item.itemId, 'WORKFLOW_STOPPED');

    const before = await stored(applicationId);
    const auditBefore = await listAudit(item.itemId);
    const approve = await api.post(
      `/v1/review-items/${item.itemId}/resolve`,
      { decision: 'APPROVE', corrections: {}, evidenceNote: 'Đối chiếu CCCD bản gốc' },
      STAFF,
    );
    expectBilingual409(approve, 'REVIEW_ITEM_CLOSED');
    const after = await stored(applicationId);
    expect(after.version).toBe(before.version);
    expect(after.status).toBe('FAILED');
    expect(await listAudit(item.itemId)).toHaveLength(auditBefore.length);
    expect(await getItem(item.itemId)).toMatchObject({ status: 'EXPIRED', resume: 'NONE', closedReason: 'WORKFLOW_STOPPED' });
    expect((await getItem(item.itemId))!.decision).toBeUndefined();
  });

  it('a redelivered event (and the stopped child identity verification\'s own event) changes nothing', async () => {
    const { applicationId, item } = await inReview('LS_NAME_MISMATCH');
    const arn = (await stored(applicationId)).executionArn!;
    await stepFunctions().send(new StopExecutionCommand({ executionArn: arn }));
    const app = await api.waitForStatus(applicationId, 'FAILED');
    expect(app.reason.code).toBe('WORKFLOW_STOPPED');
    expect(app.reason).toEqual({ code: 'WORKFLOW_STOPPED', message: outcomeReasonLabel('WORKFLOW_STOPPED') });
    await expectItemClosed(item.itemId, 'WORKFLOW_STOPPED');

    // The stopped parent stopped its nested identity verification (ABORTED too): that event is not the
    // application's; redelivering the parent's own event is a no-op.
    const child = system.engine
      .listExecutions(system.stateMachineArn('IdentityVerification'))
      .find((e) => JSON.parse(system.engine.describeExecution(e.executionArn).input).applicationId === applicationId)!;
    expect(child.status).toBe('ABORTED');
    const before = await stored(applicationId);
    const audit = await listAudit(item.itemId);
    const childEvent = await statusChange(applicationId, 'ABORTED');
    const childDetail = system.engine.describeExecution(child.executionArn);
    Object.assign(childEvent.detail, { executionArn: child.executionArn, stateMachineArn: childDetail.stateMachineArn, name: child.name, input: childDetail.input });
    expect(await executionEnded(childEvent)).toMatchObject({ action: 'IGNORED' });
    const redelivered = await statusChange(applicationId, 'ABORTED');
    expect(await executionEnded(redelivered)).toEqual({ action: 'ALREADY_ENDED', applicationId, status: 'FAILED' });
    expect(await executionEnded(redelivered)).toEqual({ action: 'ALREADY_ENDED', applicationId, status: 'FAILED' });
    const after = await stored(applicationId);
    expect(after.version).toBe(before.version);
    expect(after.timeline).toHaveLength(before.timeline.length);
    expect(await listAudit(item.itemId)).toHaveLength(audit.length);
  });

  it('the household renewal too: stopped in review → FAILED, item closed', async () => {
    const s = scenarioNamed(system, 'HEAD_NOT_FOUND');
    const { periodMonths, ...head } = s.submit as Record<string, unknown>;
    const res = await api.post('/v1/household-renewals', { head, periodMonths });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const applicationId = res.body.applicationId as string;
    await api.waitForStatus(applicationId, 'IN_REVIEW');
    const item = await openReviewItemOf(api, 'HOUSEHOLD_RENEWAL', applicationId);
    await stepFunctions().send(new StopExecutionCommand({ executionArn: (await stored(applicationId)).executionArn! }));
    expect((await api.waitForStatus(applicationId, 'FAILED')).reason.code).toBe('WORKFLOW_STOPPED');
    await expectItemClosed(item.itemId, 'WORKFLOW_STOPPED');
  });
});

describe('an execution that timed out or failed outside a Catch (events through the same handler)', () => {
  it('TIMED_OUT: FAILED with WORKFLOW_TIMED_OUT and the execution\'s error as detail; the item closes', async () => {
    const { applicationId, item } = await inReview('UI_NAME_MISMATCH');
    const event = await statusChange(applicationId, 'TIMED_OUT', { error: 'States.Timeout' });
    expect(await executionEnded(event)).toEqual({ action: 'ENDED', applicationId, status: 'FAILED', reasonCode: 'WORKFLOW_TIMED_OUT' });
    const app = await api.waitForStatus(applicationId, 'FAILED');
    expect(app.reason).toEqual({ code: 'WORKFLOW_TIMED_OUT', message: outcomeReasonLabel('WORKFLOW_TIMED_OUT') });
    await expectItemClosed(item.itemId, 'WORKFLOW_TIMED_OUT');
    // Idempotent: the same event again.
    expect(await executionEnded(event)).toEqual({ action: 'ALREADY_ENDED', applicationId, status: 'FAILED' });
    // The engine's execution is still waiting (only the event was injected): stopping it now changes nothing.
    const before = await stored(applicationId);
    await stepFunctions().send(new StopExecutionCommand({ executionArn: before.executionArn! }));
    await system.eventsDelivered();
    expect((await stored(applicationId)).version).toBe(before.version);
    expect((await stored(applicationId)).reason!.code).toBe('WORKFLOW_TIMED_OUT');
  });

  it('FAILED outside a Catch: WORKFLOW_FAILED, a Lambda error envelope reduced to its message, personal IDs masked', async () => {
    const { applicationId, item } = await inReview('LS_NAME_MISMATCH');
    const event = await statusChange(applicationId, 'FAILED', {
      error: 'Lambda.ServiceException',
      cause: JSON.stringify({ errorType: 'ServiceException', errorMessage: 'Lambda is unavailable for 079088001234', trace: ['at x'] }),
    });
    expect(await executionEnded(event)).toMatchObject({ action: 'ENDED', reasonCode: 'WORKFLOW_FAILED' });
    const app = await api.waitForStatus(applicationId, 'FAILED');
    // Never the engine's text (nor a personal ID in it): the reason's own message.
    expect(app.reason).toEqual({ code: 'WORKFLOW_FAILED', message: outcomeReasonLabel('WORKFLOW_FAILED') });
    expect(JSON.stringify(app)).not.toContain('Lambda');
    await expectItemClosed(item.itemId, 'WORKFLOW_FAILED');
    await stepFunctions().send(new StopExecutionCommand({ executionArn: (await stored(applicationId)).executionArn! }));
    await system.eventsDelivered();
    expect((await stored(applicationId)).reason!.code).toBe('WORKFLOW_FAILED');
  });
});

describe('an execution that recorded its outcome is not changed by its event', () => {
  it('REJECTED stays REJECTED (a FAILED or ABORTED event for it is a no-op)', async () => {
    const s = scenarioNamed(system, 'UI_EMPLOYER_NOT_CLOSED');
    const applicationId = await submitScenario(api, s);
    await api.waitForStatus(applicationId, 'REJECTED');
    await system.eventsDelivered();
    const before = await stored(applicationId);
    for (const status of ['FAILED', 'ABORTED', 'TIMED_OUT'] as const) {
      expect(await executionEnded(await statusChange(applicationId, status))).toEqual({ action: 'ALREADY_ENDED', applicationId, status: 'REJECTED' });
    }
    const after = await stored(applicationId);
    expect(after).toEqual(before);
  });

  it('the child identity verification stopped: the parent\'s Catch records the outcome (then its Fail), its events change nothing', async () => {
    const { applicationId, item } = await inReview('UI_NAME_MISMATCH');
    const child = system.engine
      .listExecutions(system.stateMachineArn('IdentityVerification'))
      .find((e) => e.status === 'RUNNING' && JSON.parse(system.engine.describeExecution(e.executionArn).input).applicationId === applicationId)!;
    expect(child).toBeDefined();
    await stepFunctions().send(new StopExecutionCommand({ executionArn: child.executionArn }));
    const parentArn = (await stored(applicationId)).executionArn!;
    const parent = await system.engine.waitForExecution(parentArn);
    expect(parent.status).toBe('FAILED'); // the ASL's own Fail after RecordFailure
    await system.eventsDelivered(); // the parent's FAILED event reached the handler
    const app = await stored(applicationId);
    expect(app.status).toBe('FAILED');
    // The reason the parent's RecordFailure recorded (the child's Task failed), not WORKFLOW_*.
    // (An engine error name is stored and shown as WORKFLOW_ERROR.)
    expect(app.reason).toEqual({ code: 'WORKFLOW_ERROR' });
    expect(app.timeline.filter((t) => t.event === 'OUTCOME_RECORDED')).toHaveLength(1);
    // RecordFailure closed the open item in the same transaction as the outcome.
    await expectItemClosed(item.itemId, 'States.TaskFailed');

    const childDetail = system.engine.describeExecution(child.executionArn);
    const childEvent = await statusChange(applicationId, 'ABORTED');
    Object.assign(childEvent.detail, { executionArn: child.executionArn, stateMachineArn: childDetail.stateMachineArn, name: child.name, input: childDetail.input });
    expect(await executionEnded(childEvent)).toMatchObject({ action: 'IGNORED', why: expect.stringContaining('nested') });
    expect(await executionEnded(await statusChange(applicationId, 'FAILED'))).toEqual({ action: 'ALREADY_ENDED', applicationId, status: 'FAILED' });
    expect(await stored(applicationId)).toEqual(app);
  });
});
