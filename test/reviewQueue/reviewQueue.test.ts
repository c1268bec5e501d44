import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mockClient } from 'aws-sdk-client-mock';
import { SFNClient, SendTaskSuccessCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { useLocalTables } from '../support/tables';
import { applicationsRepository } from '../../functions/adapters/applicationsRepository';
import { nowIso } from '../../functions/shared/clock';
import type { StaffPrincipal } from '../../functions/shared/http';
import type { AppError } from '../../functions/shared/errors';
import type { ApplicationStatus, IdentityClaim, ReviewReasonCode } from '../../functions/domain/types';
import {
  claimReviewItem,
  getReviewItem,
  listReviewItems,
  openReviewItem,
  resolveReviewItem,
  resumePendingDecisions,
  reviewItemIdForToken,
  APPLICATION_CLOSED_NOTE,
  type OpenReviewItemInput,
} from '../../functions/reviewQueue/reviewQueue';
import { getItem, listAudit } from '../../functions/reviewQueue/reviewItemsRepository';
import { handler as openReviewItemStep } from '../../functions/steps/openReviewItem';
import { handler as executionEnded, type ExecutionStatusChangeEvent } from '../../functions/events/executionEnded';

/** The ABORTED status change of the application's execution (named by the application id, as submitted). */
function abortedEvent(applicationId: string): ExecutionStatusChangeEvent {
  return {
    source: 'aws.states',
    'detail-type': 'Step Functions Execution Status Change',
    detail: {
      executionArn: `arn:aws:states:ap-southeast-1:000000000000:execution:HouseholdRenewal:${applicationId}`,
      stateMachineArn: 'arn:aws:states:ap-southeast-1:000000000000:stateMachine:HouseholdRenewal',
      name: applicationId,
      status: 'ABORTED',
      input: JSON.stringify({ applicationId }),
      error: null,
      cause: null,
    },
  };
}

const sfn = mockClient(SFNClient);

const staffA: StaffPrincipal = { staffId: 'staff-79-a', name: 'Cán bộ A', provinceCode: '79', roles: ['staff'] };
const staffB: StaffPrincipal = { staffId: 'staff-79-b', name: 'Cán bộ B', provinceCode: '79', roles: ['staff'] };
const staffHanoi: StaffPrincipal = { staffId: 'staff-01-a', name: 'Cán bộ Hà Nội', provinceCode: '01', roles: ['staff'] };

const HEAD: IdentityClaim = { personalId: '079085001234', fullName: 'Nguyễn Văn An', dateOfBirth: '1985-03-14', sex: 'MALE' };
const REGISTRY_HEAD = { ...HEAD, fullName: 'Nguyễn Văn Ân', permanentAddress: { code: 'A1', text: 'x' } };

async function newApplication(status: ApplicationStatus = 'VERIFYING', provinceCode = '79'): Promise<string> {
  const applicationId = `HR-${randomUUID().replace(/-/g, '').slice(0, 20)}`;
  const at = nowIso();
  await applicationsRepository.create({
    applicationId,
    service: 'HOUSEHOLD_RENEWAL',
    provinceCode,
    status,
    request: {},
    createdAt: at,
    updatedAt: at,
    timeline: [{ at, status, event: 'RECEIVED' }],
    version: 1,
  });
  return applicationId;
}

async function open(
  overrides: Partial<OpenReviewItemInput> = {},
): Promise<{ itemId: string; applicationId: string; taskToken: string }> {
  const applicationId = overrides.applicationId ?? (await newApplication('VERIFYING', overrides.provinceCode ?? '79'));
  const taskToken = overrides.taskToken ?? `AQC${randomUUID()}${randomUUID()}-secret-task-token`;
  const reasonCode: ReviewReasonCode = overrides.reasonCode ?? 'NAME_MISMATCH';
  const out = await openReviewItem({
    applicationId,
    service: 'HOUSEHOLD_RENEWAL',
    provinceCode: '79',
    checkKind: 'PERSON',
    subjectRole: 'HEAD_OF_HOUSEHOLD',
    subject: HEAD,
    reasonCode,
    registrySnapshot: REGISTRY_HEAD,
    reviewTimeoutSeconds: 3600,
    taskToken,
    ...overrides,
  });
  return { itemId: out.itemId, applicationId, taskToken };
}

async function expectAppError(promise: Promise<unknown>, status: number, code: string): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toMatchObject({ httpStatus: status, code });
    return error as AppError;
  }
  throw new Error(`expected ${status} ${code}, but it succeeded`);
}

beforeAll(async () => {
  await useLocalTables('reviewQueue');
  process.env.PROVINCE_CODE = '79';
});

beforeEach(() => {
  sfn.reset();
  sfn.on(SendTaskSuccessCommand).resolves({});
});

afterEach(() => {
  delete process.env.CLOCK_OFFSET_MS;
});

describe('a retried OpenReviewItem (a new task token for the same wait)', () => {
  it('supersedes the previous item in the same transaction: one live item, the old one closed and undecidable', async () => {
    const first = await open();
    await claimReviewItem(staffA, first.itemId);
    const second = await open({ applicationId: first.applicationId });
    expect(second.itemId).not.toBe(first.itemId);

    expect(await getItem(first.itemId)).toMatchObject({ status: 'EXPIRED', supersededBy: second.itemId, queueKey: expect.stringMatching(/^EXPIRED#/) });
    expect(await getItem(first.itemId)).not.toHaveProperty('escalationDueAt');
    expect((await listAudit(first.itemId)).at(-1)).toMatchObject({
      action: 'SUPERSEDED',
      by: 'system',
      detail: { supersededBy: second.itemId, before: { status: 'CLAIMED' }, after: { status: 'EXPIRED' } },
    });
    expect(await applicationsRepository.get(first.applicationId)).toMatchObject({ status: 'IN_REVIEW', openReviewItemId: second.itemId });
    await expectAppError(resolveReviewItem(staffA, first.itemId, { decision: 'APPROVE' }), 409, 'ITEM_EXPIRED');

    // Only the live item is in the queue, and it decides the application.
    const listed = await listReviewItems(staffA, { status: 'OPEN', limit: 100 });
    expect(listed.items.map((i) => i.itemId)).toContain(second.itemId);
    expect(listed.items.map((i) => i.itemId)).not.toContain(first.itemId);
    await claimReviewItem(staffA, second.itemId);
    expect((await resolveReviewItem(staffA, second.itemId, { decision: 'APPROVE' })).item.status).toBe('APPROVED');
    expect(JSON.parse(sfn.commandCalls(SendTaskSuccessCommand).at(-1)!.args[0].input.output!)).toMatchObject({ reviewItemId: second.itemId });
  });

  it('a decision on an item that is not the application\'s current one is refused (409), nothing written', async () => {
    const first = await open();
    await claimReviewItem(staffA, first.itemId);
    // The application moved on (e.g. its wait was re-opened) without this item being closed.
    await applicationsRepository.transition(first.applicationId, { event: 'TEST', set: { openReviewItemId: 'RV-SOMETHINGELSE' }, allowedFrom: ['IN_REVIEW'] });
    await expectAppError(resolveReviewItem(staffA, first.itemId, { decision: 'APPROVE' }), 409, 'APPLICATION_NOT_IN_REVIEW');
    expect(await getItem(first.itemId)).toMatchObject({ status: 'CLAIMED', version: 2 });
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });
});

describe('openReviewItem', () => {
  it('creates the item, its OPENED audit row and moves the application to IN_REVIEW — once per task token', async () => {
    const { itemId, applicationId, taskToken } = await open();
    expect(itemId).toMatch(/^RV-[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(itemId).toBe(reviewItemIdForToken(taskToken));

    const again = await openReviewItem({
      applicationId,
      service: 'HOUSEHOLD_RENEWAL',
      provinceCode: '79',
      checkKind: 'PERSON',
      subjectRole: 'HEAD_OF_HOUSEHOLD',
      subject: HEAD,
      reasonCode: 'NAME_MISMATCH',
      registrySnapshot: REGISTRY_HEAD,
      reviewTimeoutSeconds: 3600,
      taskToken,
    });
    expect(again).toMatchObject({ itemId, created: false });

    const item = await getItem(itemId);
    expect(item).toMatchObject({ status: 'OPEN', provinceCode: '79', resume: 'NONE', version: 1, reasonCode: 'NAME_MISMATCH', taskToken });
    expect(item!.queueKey).toBe(`OPEN#${item!.dueAt}`);
    expect(Date.parse(item!.dueAt) - Date.parse(item!.createdAt)).toBe(3600 * 1000);

    const audit = await listAudit(itemId);
    expect(audit.map((a) => a.action)).toEqual(['OPENED']);

    const app = await applicationsRepository.get(applicationId);
    expect(app).toMatchObject({ status: 'IN_REVIEW', openReviewItemId: itemId });
    expect(app!.timeline.filter((t) => t.event === 'REVIEW_OPENED')).toHaveLength(1);
  });

  it('refuses to open a review for a finished application', async () => {
    const applicationId = await newApplication('COMPLETED');
    await expectAppError(open({ applicationId }), 409, 'INVALID_STATE');
  });
});

describe('listing and reading', () => {
  it('lists only the caller province, filters by status and reason, and pages with an opaque cursor', async () => {
    const a = await open({ reasonCode: 'DATE_OF_BIRTH_MISMATCH' });
    const b = await open({ reasonCode: 'DATE_OF_BIRTH_MISMATCH' });
    const hanoi = await open({ provinceCode: '01', reasonCode: 'DATE_OF_BIRTH_MISMATCH' });

    const all = await listReviewItems(staffA, { reason: 'DATE_OF_BIRTH_MISMATCH' });
    const ids = all.items.map((i) => i.itemId);
    expect(ids).toEqual(expect.arrayContaining([a.itemId, b.itemId]));
    expect(ids).not.toContain(hanoi.itemId);
    expect(all.items.every((i) => i.provinceCode === '79' && i.reasonCode === 'DATE_OF_BIRTH_MISMATCH')).toBe(true);

    const hanoiList = await listReviewItems(staffHanoi, {});
    expect(hanoiList.items.map((i) => i.itemId)).toEqual([hanoi.itemId]);

    const first = await listReviewItems(staffA, { reason: 'DATE_OF_BIRTH_MISMATCH', status: 'OPEN', limit: 1 });
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await listReviewItems(staffA, { reason: 'DATE_OF_BIRTH_MISMATCH', status: 'OPEN', limit: 1, cursor: first.nextCursor });
    expect(second.items).toHaveLength(1);
    expect(second.items[0].itemId).not.toBe(first.items[0].itemId);

    await claimReviewItem(staffA, a.itemId);
    const claimed = await listReviewItems(staffA, { status: 'CLAIMED' });
    expect(claimed.items.map((i) => i.itemId)).toContain(a.itemId);
    const stillOpen = await listReviewItems(staffA, { status: 'OPEN', reason: 'DATE_OF_BIRTH_MISMATCH' });
    expect(stillOpen.items.map((i) => i.itemId)).not.toContain(a.itemId);
  });

  it('rejects a forged cursor, or one from another province, with 400', async () => {
    await expectAppError(listReviewItems(staffA, { cursor: 'not-a-cursor' }), 400, 'INVALID_CURSOR');
    const forged = Buffer.from(JSON.stringify({ itemId: 'RV-X', sk: 'ITEM', provinceCode: '01', queueKey: 'OPEN#' })).toString('base64url');
    await expectAppError(listReviewItems(staffA, { cursor: forged }), 400, 'INVALID_CURSOR');
  });

  it('get: 404 for an unknown item, 403 for another province, the comparison and history otherwise', async () => {
    const { itemId } = await open();
    await expectAppError(getReviewItem(staffA, 'RV-AAAAAAAAAAAAAAAAAAAAAAAAAA'), 404, 'REVIEW_ITEM_NOT_FOUND');
    await expectAppError(getReviewItem(staffA, 'nonsense'), 404, 'REVIEW_ITEM_NOT_FOUND');
    await expectAppError(getReviewItem(staffHanoi, itemId), 403, 'OTHER_PROVINCE');

    const view = await getReviewItem(staffA, itemId);
    expect(view.reason.message.vi).toContain('Họ và tên');
    expect(view.comparison.map((r) => [r.field, r.matches])).toEqual([
      ['personalId', true],
      ['fullName', false],
      ['dateOfBirth', true],
      ['sex', true],
    ]);
    expect(view.comparison[0].submitted).toBe('079******234');
    expect(view.submitted.personalId).toBe('079******234');
    expect(view.revealed).toBe(false);
    expect(view.history.map((h) => h.action)).toEqual(['OPENED']);
  });
});

describe('claim', () => {
  it('OPEN → CLAIMED; the same officer again is idempotent; another officer gets 409 ITEM_ALREADY_CLAIMED', async () => {
    const { itemId } = await open();
    const claimed = await claimReviewItem(staffA, itemId);
    expect(claimed).toMatchObject({ status: 'CLAIMED', claimedBy: staffA.staffId, version: 2 });
    const again = await claimReviewItem(staffA, itemId);
    expect(again).toMatchObject({ status: 'CLAIMED', claimedBy: staffA.staffId, version: 2 });
    await expectAppError(claimReviewItem(staffB, itemId), 409, 'ITEM_ALREADY_CLAIMED');
    await expectAppError(claimReviewItem(staffHanoi, itemId), 403, 'OTHER_PROVINCE');
    expect((await listAudit(itemId)).map((a) => a.action)).toEqual(['OPENED', 'CLAIMED']);
  });

  it('two officers racing: exactly one wins, the other gets 409', async () => {
    const { itemId } = await open();
    const results = await Promise.allSettled([claimReviewItem(staffA, itemId), claimReviewItem(staffB, itemId)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(loser.reason).toMatchObject({ httpStatus: 409, code: 'ITEM_ALREADY_CLAIMED' });
  });

  it('409 VERSION_CONFLICT with a stale expectedVersion; 409 ITEM_EXPIRED after the deadline', async () => {
    const { itemId } = await open();
    await expectAppError(claimReviewItem(staffA, itemId, 7), 409, 'VERSION_CONFLICT');
    process.env.CLOCK_OFFSET_MS = String(3601 * 1000);
    await expectAppError(claimReviewItem(staffA, itemId), 409, 'ITEM_EXPIRED');
  });
});

describe('resolve', () => {
  it('APPROVE with corrections: one transaction, then SendTaskSuccess with the decision, resume DONE', async () => {
    const { itemId, applicationId, taskToken } = await open();
    await claimReviewItem(staffA, itemId);
    const out = await resolveReviewItem(staffA, itemId, {
      decision: 'APPROVE',
      corrections: { fullName: '  Nguyễn   Văn Ân ' },
      evidenceNote: 'Đối chiếu CCCD gắn chip, xác minh với Công an phường',
    });
    expect(out.resumePending).toBe(false);
    expect(out.resumeNote).toBeNull();
    expect(out.item).toMatchObject({ status: 'APPROVED', resume: 'DONE' });

    const calls = sfn.commandCalls(SendTaskSuccessCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input.taskToken).toBe(taskToken);
    const sent = JSON.parse(calls[0].args[0].input.output!);
    expect(sent).toEqual({
      decision: 'APPROVE',
      reviewItemId: itemId,
      decidedBy: staffA.staffId,
      decidedAt: expect.any(String),
      corrections: { fullName: 'Nguyễn Văn Ân' },
      reason: null,
      evidenceNote: 'Đối chiếu CCCD gắn chip, xác minh với Công an phường',
      reviewedReasonCode: 'NAME_MISMATCH',
    });

    const item = await getItem(itemId);
    expect(item).toMatchObject({ status: 'APPROVED', resume: 'DONE', decidedBy: staffA.staffId, decision: sent });
    expect(item!.queueKey).toBe(`APPROVED#DONE#${sent.decidedAt}`);
    expect((await listAudit(itemId)).map((a) => [a.action, a.by])).toEqual([
      ['OPENED', 'system'],
      ['CLAIMED', staffA.staffId],
      ['APPROVED', staffA.staffId],
      ['RESUMED', 'system'],
    ]);
    const app = await applicationsRepository.get(applicationId);
    expect(app!.status).toBe('VERIFYING');
    expect(app!.openReviewItemId).toBeUndefined();
    expect(app!.timeline.at(-1)).toMatchObject({ event: 'REVIEW_DECIDED', status: 'VERIFYING', detail: { reviewItemId: itemId, decision: 'APPROVE' } });
  });

  it('409 for a resolve by someone who did not claim it, for an unclaimed item, and for a second resolve', async () => {
    const { itemId } = await open();
    await expectAppError(resolveReviewItem(staffA, itemId, { decision: 'APPROVE' }), 409, 'ITEM_NOT_CLAIMED');
    await claimReviewItem(staffA, itemId);
    await expectAppError(resolveReviewItem(staffB, itemId, { decision: 'APPROVE' }), 409, 'ITEM_ALREADY_CLAIMED');
    await resolveReviewItem(staffA, itemId, { decision: 'APPROVE' });
    await expectAppError(resolveReviewItem(staffA, itemId, { decision: 'REJECT', reason: 'x' }), 409, 'ITEM_ALREADY_RESOLVED');
    await expectAppError(claimReviewItem(staffB, itemId), 409, 'ITEM_ALREADY_RESOLVED');
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(1);
  });

  it('REJECT needs a reason (400); with one it sends a REJECT decision and leaves the status to the workflow', async () => {
    const { itemId, applicationId } = await open({ reasonCode: 'HEAD_OF_HOUSEHOLD_NOT_FOUND', registrySnapshot: null });
    await claimReviewItem(staffA, itemId);
    await expectAppError(resolveReviewItem(staffA, itemId, { decision: 'REJECT' }), 400, 'REASON_REQUIRED');
    await expectAppError(resolveReviewItem(staffA, itemId, { decision: 'REJECT', reason: '   ' }), 400, 'REASON_REQUIRED');
    await expectAppError(
      resolveReviewItem(staffA, itemId, { decision: 'REJECT', reason: 'x', corrections: { fullName: 'A' } }),
      400,
      'CORRECTIONS_NOT_ALLOWED',
    );
    const out = await resolveReviewItem(staffA, itemId, { decision: 'REJECT', reason: 'Công an phường xác nhận không có người này' });
    expect(out.item.status).toBe('REJECTED');
    const sent = JSON.parse(sfn.commandCalls(SendTaskSuccessCommand)[0].args[0].input.output!);
    expect(sent).toMatchObject({
      decision: 'REJECT',
      corrections: null,
      reason: 'Công an phường xác nhận không có người này',
      reviewedReasonCode: 'HEAD_OF_HOUSEHOLD_NOT_FOUND',
    });
    const app = await applicationsRepository.get(applicationId);
    expect(app!.status).toBe('IN_REVIEW');
    expect(app!.timeline.at(-1)).toMatchObject({ event: 'REVIEW_DECIDED', detail: { decision: 'REJECT' } });
  });

  it('validates corrections: 12-digit ID, real date, and the corrected ID against the corrected date of birth', async () => {
    const { itemId } = await open({ reasonCode: 'HEAD_OF_HOUSEHOLD_NOT_FOUND', registrySnapshot: null });
    await claimReviewItem(staffA, itemId);
    await expectAppError(resolveReviewItem(staffA, itemId, { decision: 'APPROVE', corrections: { personalId: '07908500123' } }), 400, 'INVALID_CORRECTIONS');
    await expectAppError(resolveReviewItem(staffA, itemId, { decision: 'APPROVE', corrections: { dateOfBirth: '1985-02-30' } }), 400, 'INVALID_CORRECTIONS');
    const inconsistent = await expectAppError(
      resolveReviewItem(staffA, itemId, { decision: 'APPROVE', corrections: { personalId: '079190001234' } }), // 1990, female
      400,
      'CORRECTION_INCONSISTENT',
    );
    expect(inconsistent.details).toEqual({ reasonCode: 'ID_INCONSISTENT_WITH_DATE_OF_BIRTH' });
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
    const ok = await resolveReviewItem(staffA, itemId, {
      decision: 'APPROVE',
      corrections: { personalId: '079190001234', dateOfBirth: '1990-06-01', sex: 'FEMALE' },
    });
    expect(ok.item.decision!.corrections).toEqual({ personalId: '079******234', dateOfBirth: '1990-06-01', sex: 'FEMALE' });
    const sent = JSON.parse(sfn.commandCalls(SendTaskSuccessCommand)[0].args[0].input.output!);
    expect(sent.corrections).toEqual({ personalId: '079190001234', dateOfBirth: '1990-06-01', sex: 'FEMALE' });
  });

  it('Step Functions failing: the decision stays PENDING (202-ish), then the sweeper delivers it and marks it DONE', async () => {
    sfn.reset();
    sfn.on(SendTaskSuccessCommand).rejects(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' }));
    const { itemId, taskToken } = await open();
    await claimReviewItem(staffA, itemId);
    const out = await resolveReviewItem(staffA, itemId, { decision: 'APPROVE' });
    expect(out.resumePending).toBe(true);
    expect(out.item).toMatchObject({ status: 'APPROVED', resume: 'PENDING' });
    expect(sfn.commandCalls(SendTaskSuccessCommand).length).toBe(3); // a few quick retries
    const pending = await getItem(itemId);
    expect(pending!.queueKey).toBe(`APPROVED#PENDING#${pending!.decidedAt}`);

    // Within the grace period the sweeper leaves it to the resolve call.
    sfn.reset();
    sfn.on(SendTaskSuccessCommand).resolves({});
    expect(await resumePendingDecisions()).toMatchObject({ found: 0 });
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);

    const summary = await resumePendingDecisions({ minAgeSeconds: 0 });
    expect(summary).toMatchObject({ found: 1, delivered: 1, stillPending: 0 });
    const calls = sfn.commandCalls(SendTaskSuccessCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input.taskToken).toBe(taskToken);
    expect(JSON.parse(calls[0].args[0].input.output!)).toEqual(pending!.decision);
    const done = await getItem(itemId);
    expect(done).toMatchObject({ resume: 'DONE', queueKey: `APPROVED#DONE#${pending!.decidedAt}` });
    expect((await listAudit(itemId)).map((a) => a.action)).toEqual(['OPENED', 'CLAIMED', 'APPROVED', 'RESUMED']);

    // Nothing left for the next sweep.
    expect(await resumePendingDecisions({ minAgeSeconds: 0 })).toMatchObject({ found: 0 });
  });

  it('a decision the sweeper cannot deliver backs off, so it never holds back the decisions behind it', async () => {
    sfn.reset();
    sfn.on(SendTaskSuccessCommand).rejects(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' }));
    const stuck = await open();
    await claimReviewItem(staffA, stuck.itemId);
    await resolveReviewItem(staffA, stuck.itemId, { decision: 'APPROVE' });
    expect(await resumePendingDecisions({ minAgeSeconds: 0 })).toMatchObject({ found: 1, stillPending: 1 });
    const backedOff = await getItem(stuck.itemId);
    expect(backedOff).toMatchObject({ resume: 'PENDING', resumeAttempts: 1, version: 3 });
    expect(Date.parse(backedOff!.nextResumeAt!) - Date.now()).toBeGreaterThan(50_000);

    // Until then the sweeper skips it (without counting it against its batch) …
    sfn.reset();
    sfn.on(SendTaskSuccessCommand).resolves({});
    const fresh = await open();
    await claimReviewItem(staffA, fresh.itemId);
    sfn.on(SendTaskSuccessCommand).rejects(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' }));
    await resolveReviewItem(staffA, fresh.itemId, { decision: 'APPROVE' });
    sfn.reset();
    sfn.on(SendTaskSuccessCommand).resolves({});
    const sweep = await resumePendingDecisions({ minAgeSeconds: 0, maxItems: 1 });
    expect(sweep).toMatchObject({ found: 1, delivered: 1 });
    expect(await getItem(fresh.itemId)).toMatchObject({ resume: 'DONE' });
    expect(await getItem(stuck.itemId)).toMatchObject({ resume: 'PENDING' });

    // … and delivers it once the back-off has passed.
    process.env.CLOCK_OFFSET_MS = String(2 * 60_000);
    expect(await resumePendingDecisions({ minAgeSeconds: 0 })).toMatchObject({ found: 1, delivered: 1 });
    expect(await getItem(stuck.itemId)).toMatchObject({ resume: 'DONE' });
  });

  it('a wait that is over (execution stopped) is not answered 200: 409 DECISION_NOT_DELIVERED, recorded and audited; the execution-ended event then ends the application', async () => {
    sfn.reset();
    sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));
    const { itemId, applicationId } = await open();
    await claimReviewItem(staffA, itemId);
    const error = await expectAppError(resolveReviewItem(staffA, itemId, { decision: 'APPROVE' }), 409, 'DECISION_NOT_DELIVERED');
    expect(error.messageVi).toContain('quy trình xử lý hồ sơ đã dừng');
    expect(error.messageEn).toContain('no effect');
    expect(error.details).toEqual({ applicationId, itemId, resumeNote: 'TaskTimedOut' });
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(1);
    expect(await getItem(itemId)).toMatchObject({ status: 'APPROVED', resume: 'DONE', resumeNote: 'TaskTimedOut' });
    expect((await listAudit(itemId)).at(-1)).toMatchObject({ action: 'RESUME_SKIPPED', detail: { note: 'TaskTimedOut' } });

    // The execution's ABORTED event arrives after the decision: the application (VERIFYING after the approval)
    // ends FAILED; the decided item stays as it was.
    const out = await executionEnded(abortedEvent(applicationId));
    expect(out).toEqual({ action: 'ENDED', applicationId, status: 'FAILED', reasonCode: 'WORKFLOW_STOPPED' });
    expect(await applicationsRepository.get(applicationId)).toMatchObject({ status: 'FAILED', reason: { code: 'WORKFLOW_STOPPED' } });
    expect(await getItem(itemId)).toMatchObject({ status: 'APPROVED', resume: 'DONE' });
  });

  it('a decision for an application that has ended is 409 APPLICATION_CLOSED — also when it ends between the read and the transaction', async () => {
    const { itemId, applicationId } = await open();
    await claimReviewItem(staffA, itemId);
    const live = await applicationsRepository.get(applicationId);
    await applicationsRepository.transition(applicationId, { to: 'FAILED', event: 'OUTCOME_RECORDED' });
    const error = await expectAppError(resolveReviewItem(staffA, itemId, { decision: 'APPROVE' }), 409, 'APPLICATION_CLOSED');
    expect(error.messageVi).toBeTruthy();
    expect(error.messageEn).toContain('has ended');
    // The pre-read sees the application still live: the transaction's condition on the application refuses it.
    const spy = vi.spyOn(applicationsRepository, 'get').mockResolvedValueOnce(live);
    try {
      await expectAppError(resolveReviewItem(staffA, itemId, { decision: 'APPROVE' }), 409, 'APPLICATION_CLOSED');
    } finally {
      spy.mockRestore();
    }
    expect(await getItem(itemId)).toMatchObject({ status: 'CLAIMED', resume: 'NONE', version: 2 });
    expect((await listAudit(itemId)).map((a) => a.action)).toEqual(['OPENED', 'CLAIMED']);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('the sweeper stops delivering a decision whose application has ended (DONE, ApplicationClosed), without calling Step Functions', async () => {
    sfn.reset();
    sfn.on(SendTaskSuccessCommand).rejects(Object.assign(new Error('boom'), { name: 'ThrottlingException' }));
    const { itemId, applicationId, taskToken } = await open();
    await claimReviewItem(staffA, itemId);
    expect((await resolveReviewItem(staffA, itemId, { decision: 'APPROVE' })).resumePending).toBe(true);
    await applicationsRepository.transition(applicationId, { to: 'FAILED', event: 'OUTCOME_RECORDED' });
    sfn.reset();
    sfn.on(SendTaskSuccessCommand).resolves({});
    await resumePendingDecisions({ minAgeSeconds: 0 });
    expect(sfn.commandCalls(SendTaskSuccessCommand).filter((c) => c.args[0].input.taskToken === taskToken)).toHaveLength(0);
    expect(await getItem(itemId)).toMatchObject({ resume: 'DONE', resumeNote: APPLICATION_CLOSED_NOTE });
    expect((await listAudit(itemId)).at(-1)).toMatchObject({ action: 'RESUME_SKIPPED', detail: { note: 'ApplicationClosed' } });
  });

  it('the sweeper treats InvalidToken / TaskDoesNotExist as nothing to resume', async () => {
    sfn.reset();
    sfn.on(SendTaskSuccessCommand).rejects(Object.assign(new Error('boom'), { name: 'ThrottlingException' }));
    const { itemId } = await open();
    await claimReviewItem(staffA, itemId);
    expect((await resolveReviewItem(staffA, itemId, { decision: 'APPROVE' })).resumePending).toBe(true);
    sfn.reset();
    sfn.on(SendTaskSuccessCommand).rejects(Object.assign(new Error('gone'), { name: 'TaskDoesNotExist' }));
    const summary = await resumePendingDecisions({ minAgeSeconds: 0 });
    expect(summary.nothingToResume).toBeGreaterThanOrEqual(1);
    expect(await getItem(itemId)).toMatchObject({ resume: 'DONE', resumeNote: 'TaskDoesNotExist' });
  });

  it('never shows the task token in any view', async () => {
    const { itemId, taskToken } = await open();
    const views: unknown[] = [];
    views.push(await listReviewItems(staffA, {}));
    views.push(await getReviewItem(staffA, itemId));
    views.push(await claimReviewItem(staffA, itemId));
    views.push(await resolveReviewItem(staffA, itemId, { decision: 'APPROVE', corrections: { personalId: '079085001235' } }));
    views.push(await getReviewItem(staffA, itemId));
    for (const view of views) {
      const text = JSON.stringify(view);
      expect(text).not.toContain(taskToken);
      expect(text).not.toContain('taskToken');
      expect(text).not.toContain(HEAD.personalId);
      expect(text).not.toContain('079085001235');
    }
  });
});


describe('OpenReviewItem step', () => {
  it('opens the item from the ASL payload (idempotent per token) and never echoes the token on bad input', async () => {
    const applicationId = await newApplication('VERIFYING');
    const taskToken = `step-token-${randomUUID()}`;
    const payload = {
      applicationId,
      service: 'HOUSEHOLD_RENEWAL',
      provinceCode: '79',
      checkKind: 'HOUSEHOLD_MEMBERS',
      subjectRole: 'HEAD_OF_HOUSEHOLD',
      subject: { ...HEAD, sex: null },
      reasonCode: 'REGISTRY_UNAVAILABLE',
      registrySnapshot: null,
      reviewTimeoutSeconds: 120,
      taskToken,
    };
    const first = await openReviewItemStep(payload);
    expect(first).toMatchObject({ reviewItemId: reviewItemIdForToken(taskToken), created: true });
    expect(await openReviewItemStep(payload)).toMatchObject({ reviewItemId: first.reviewItemId, created: false });
    expect(await getItem(first.reviewItemId)).toMatchObject({ checkKind: 'HOUSEHOLD_MEMBERS', reasonCode: 'REGISTRY_UNAVAILABLE', registrySnapshot: null });

    const error = await openReviewItemStep({ ...payload, reasonCode: 'SOMETHING', taskToken: 42 }).catch((e) => e);
    expect(error).toMatchObject({ name: 'ValidationError' });
    expect(JSON.stringify(error.details)).not.toContain(taskToken);
  });
});
