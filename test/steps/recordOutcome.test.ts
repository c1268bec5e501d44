import { renderReason } from '../../functions/domain/reasonCatalog';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mockClient } from 'aws-sdk-client-mock';
import { SFNClient, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { useLocalTables } from '../support/tables';
import { handler } from '../../functions/steps/recordOutcome';
import { applicationsRepository, withoutInfrastructureDetail } from '../../functions/adapters/applicationsRepository';
import { nowIso } from '../../functions/shared/clock';
import type { ApplicationStatus } from '../../functions/domain/types';
import { claimReviewItem, openReviewItem, resolveReviewItem } from '../../functions/reviewQueue/reviewQueue';
import { getItem, listAudit } from '../../functions/reviewQueue/reviewItemsRepository';
import type { StaffPrincipal } from '../../functions/shared/http';

const sfn = mockClient(SFNClient);
const staff: StaffPrincipal = { staffId: 'staff-79-a', name: 'Cán bộ A', provinceCode: '79', roles: ['staff'] };

async function newApplication(status: ApplicationStatus = 'IN_REVIEW'): Promise<string> {
  const applicationId = `HR-${randomUUID().replace(/-/g, '').slice(0, 20)}`;
  const at = nowIso();
  await applicationsRepository.create({
    applicationId,
    service: 'HOUSEHOLD_RENEWAL',
    provinceCode: '79',
    status,
    request: {},
    createdAt: at,
    updatedAt: at,
    timeline: [{ at, status, event: 'RECEIVED' }],
    version: 1,
  });
  return applicationId;
}

async function openItem(applicationId: string) {
  return openReviewItem({
    applicationId,
    service: 'HOUSEHOLD_RENEWAL',
    provinceCode: '79',
    checkKind: 'PERSON',
    subjectRole: 'HEAD_OF_HOUSEHOLD',
    subject: { personalId: '079085001234', fullName: 'Nguyễn Văn An', dateOfBirth: '1985-03-14' },
    reasonCode: 'HEAD_OF_HOUSEHOLD_NOT_FOUND',
    registrySnapshot: null,
    reviewTimeoutSeconds: 600,
    taskToken: `token-${randomUUID()}`,
  });
}

beforeAll(async () => {
  await useLocalTables('recordOutcome');
  process.env.PROVINCE_CODE = '79';
});

beforeEach(() => {
  sfn.reset();
  sfn.on(SendTaskSuccessCommand).resolves({});
});

describe('RecordOutcome step', () => {
  it('REJECTED: application ends with the review reason labels and the officer reason as detail; a retry is a no-op', async () => {
    const applicationId = await newApplication('IN_REVIEW');
    const input = { applicationId, status: 'REJECTED', reasonCode: 'NAME_MISMATCH', reason: 'Sai họ tên, công dân không bổ sung giấy tờ' };
    const out = await handler(input);
    expect(out).toMatchObject({ status: 'REJECTED', recorded: true });
    const app = await applicationsRepository.get(applicationId);
    expect(app!.status).toBe('REJECTED');
    // Stored small; rendered at answer time (reasonCatalog.renderReason).
    expect(app!.reason).toEqual({ code: 'NAME_MISMATCH', note: 'Sai họ tên, công dân không bổ sung giấy tờ' });
    expect(renderReason(app!.reason!)).toEqual({
      code: 'NAME_MISMATCH',
      message: {
        vi: 'Họ và tên kê khai không khớp với cơ sở dữ liệu quốc gia về dân cư',
        en: 'The declared full name does not match the national population database',
      },
      note: 'Sai họ tên, công dân không bổ sung giấy tờ',
    });
    expect(app!.timeline.at(-1)).toMatchObject({ event: 'OUTCOME_RECORDED', status: 'REJECTED', detail: { reasonCode: 'NAME_MISMATCH' } });

    const retry = await handler(input);
    expect(retry).toMatchObject({ status: 'REJECTED', recorded: false });
    const after = await applicationsRepository.get(applicationId);
    expect(after!.timeline).toHaveLength(app!.timeline.length);
    expect(after!.version).toBe(app!.version);
  });

  it('EXPIRED after a review deadline: application EXPIRED and its open review item EXPIRED, in one transaction', async () => {
    const applicationId = await newApplication('VERIFYING');
    const { itemId } = await openItem(applicationId);
    await claimReviewItem(staff, itemId); // claimed but not decided: still open
    const out = await handler({ applicationId, status: 'EXPIRED', reasonCode: 'REVIEW_DEADLINE_PASSED', reason: 'HEAD_OF_HOUSEHOLD_NOT_FOUND' });
    expect(out.recorded).toBe(true);

    const app = await applicationsRepository.get(applicationId);
    expect(app!.status).toBe('EXPIRED');
    expect(app!.openReviewItemId).toBeUndefined();
    expect(app!.reason).toEqual({
      code: 'REVIEW_DEADLINE_PASSED',
      condition: { code: 'REVIEW_DECIDED_IN_TIME', params: { reviewReason: 'HEAD_OF_HOUSEHOLD_NOT_FOUND' } },
    });
    expect(renderReason(app!.reason!).message).toEqual({
      vi: 'Đã quá thời hạn xem xét hồ sơ mà chưa có quyết định của cán bộ: hồ sơ chờ xem xét vì: không tồn tại thông tin chủ hộ trong cơ sở dữ liệu quốc gia về dân cư.',
      en: 'The review deadline passed before staff made a decision: the application was under review because: the head of household does not exist in the national population database.',
    });

    const item = await getItem(itemId);
    expect(item).toMatchObject({ status: 'EXPIRED', version: 3 });
    expect(item!.queueKey).toBe(`EXPIRED#${item!.dueAt}`);
    expect((await listAudit(itemId)).map((a) => a.action)).toEqual(['OPENED', 'CLAIMED', 'EXPIRED']);

    // A retry succeeds without touching anything.
    expect(await handler({ applicationId, status: 'EXPIRED', reasonCode: 'REVIEW_DEADLINE_PASSED', reason: null })).toMatchObject({ recorded: false });
    expect((await getItem(itemId))!.version).toBe(3);
  });

  it('EXPIRED for an unpaid quote (no review item)', async () => {
    const applicationId = await newApplication('AWAITING_PAYMENT');
    await handler({ applicationId, status: 'EXPIRED', reasonCode: 'PAYMENT_NOT_RECEIVED', reason: null });
    const app = await applicationsRepository.get(applicationId);
    expect(app).toMatchObject({ status: 'EXPIRED', reason: { code: 'PAYMENT_NOT_RECEIVED' } });
    expect(app!.reason).toEqual({ code: 'PAYMENT_NOT_RECEIVED' });
  });

  it('unlessPaid (the payment wait timed out): an application the callback already ended is left as it is and its status returned', async () => {
    for (const status of ['COMPLETED', 'REJECTED', 'FAILED'] as const) {
      const applicationId = await newApplication(status);
      const before = await applicationsRepository.get(applicationId);
      const out = await handler({ applicationId, status: 'EXPIRED', reasonCode: 'PAYMENT_NOT_RECEIVED', reason: null, unlessPaid: true });
      expect(out).toMatchObject({ status, recorded: false });
      expect(await applicationsRepository.get(applicationId)).toEqual(before);
    }
    // Without unlessPaid another terminal status is still a conflict.
    const completed = await newApplication('COMPLETED');
    await expect(handler({ applicationId: completed, status: 'EXPIRED', reasonCode: 'PAYMENT_NOT_RECEIVED', reason: null })).rejects.toMatchObject({ code: 'INVALID_STATE' });
    // A payment recorded meanwhile wins over the expiry (the expiry is conditioned on no payment).
    const paid = await newApplication('AWAITING_PAYMENT');
    await applicationsRepository.transition(paid, { event: 'PAYMENT_RECEIVED', set: { paymentReference: 'GW-RACE' } });
    await expect(handler({ applicationId: paid, status: 'EXPIRED', reasonCode: 'PAYMENT_NOT_RECEIVED', reason: null, unlessPaid: true })).rejects.toThrow();
    expect((await applicationsRepository.get(paid))!.status).toBe('AWAITING_PAYMENT');
  });

  it('EXPIRED leaves an already decided item as it is', async () => {
    const applicationId = await newApplication('VERIFYING');
    const { itemId } = await openItem(applicationId);
    await claimReviewItem(staff, itemId);
    await resolveReviewItem(staff, itemId, { decision: 'APPROVE' });
    await handler({ applicationId, status: 'EXPIRED', reasonCode: 'REVIEW_DEADLINE_PASSED', reason: null });
    expect((await applicationsRepository.get(applicationId))!.status).toBe('EXPIRED');
    expect(await getItem(itemId)).toMatchObject({ status: 'APPROVED', resume: 'DONE' });
  });

  it('FAILED: an engine error gets the system-error label; the raw cause is not shown to the citizen', async () => {
    const applicationId = await newApplication('VERIFYING');
    await handler({
      applicationId,
      status: 'FAILED',
      reasonCode: 'States.TaskFailed',
      reason: '{"errorMessage":"boom for 079085001234","trace":["at x"]}',
    });
    const app = await applicationsRepository.get(applicationId);
    expect(app!.status).toBe('FAILED');
    // The engine's error name is not stored as the code, nor its cause anywhere.
    expect(app!.reason).toEqual({ code: 'WORKFLOW_ERROR' });
    // The timeline records the code the answer shows, not the engine's error name.
    expect(app!.timeline.at(-1)).toMatchObject({ event: 'OUTCOME_RECORDED', status: 'FAILED', detail: { reasonCode: 'WORKFLOW_ERROR' } });
    expect(JSON.stringify(app!.timeline)).not.toContain('States.');
    // An entry recorded before (with the engine's name) is shown with the shown code too.
    const legacy = [{ at: '2026-11-22T02:00:00.000Z', event: 'OUTCOME_RECORDED', status: 'FAILED', detail: { reasonCode: 'States.TaskFailed', executionArn: 'arn:x' } }];
    expect(withoutInfrastructureDetail(legacy as never)).toEqual([{ at: '2026-11-22T02:00:00.000Z', event: 'OUTCOME_RECORDED', status: 'FAILED', detail: { reasonCode: 'WORKFLOW_ERROR' } }]);
    expect(renderReason(app!.reason!)).toEqual({
      code: 'WORKFLOW_ERROR',
      message: {
        vi: 'Hệ thống gặp lỗi khi xử lý hồ sơ; vui lòng liên hệ cơ quan bảo hiểm xã hội',
        en: 'A system error stopped the application; please contact the social insurance office',
      },
    });
  });

  it('FAILED with a known code (REGISTRY_UNAVAILABLE) keeps its own label; a missing code becomes WORKFLOW_ERROR', async () => {
    const a = await newApplication('VERIFYING');
    await handler({ applicationId: a, status: 'FAILED', reasonCode: 'REGISTRY_UNAVAILABLE', reason: null });
    expect((await applicationsRepository.get(a))!.reason).toEqual({ code: 'REGISTRY_UNAVAILABLE' });
    expect(renderReason((await applicationsRepository.get(a))!.reason!).message.en).toBe('The national population registry is temporarily unavailable');
    const b = await newApplication('VERIFYING');
    await handler({ applicationId: b, status: 'FAILED', reasonCode: null, reason: null });
    expect((await applicationsRepository.get(b))!.reason).toMatchObject({ code: 'WORKFLOW_ERROR' });
  });

  it('refuses to overwrite another terminal status (409), an unknown application (404) and bad input (400)', async () => {
    const completed = await newApplication('COMPLETED');
    await expect(handler({ applicationId: completed, status: 'FAILED', reasonCode: 'X', reason: null })).rejects.toMatchObject({
      httpStatus: 409,
      code: 'INVALID_STATE',
    });
    expect((await applicationsRepository.get(completed))!.status).toBe('COMPLETED');
    await expect(handler({ applicationId: 'HR-doesnotexist0000', status: 'FAILED', reasonCode: 'X', reason: null })).rejects.toMatchObject({
      httpStatus: 404,
    });
    await expect(handler({ applicationId: completed, status: 'COMPLETED', reasonCode: 'X' })).rejects.toMatchObject({
      name: 'ValidationError',
      httpStatus: 400,
    });
  });
});
