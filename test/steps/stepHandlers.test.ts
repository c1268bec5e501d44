import { afterEach, describe, expect, it, vi } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { logger } from '../../functions/shared/logger';
import { stepHandler } from '../../functions/shared/steps';
import { NoBillableMembersError } from '../../functions/domain/household/householdContribution';
import { RegistryUnavailableError } from '../../functions/shared/errors';
import { handler as awaitHouseholdPayment } from '../../functions/steps/awaitHouseholdPayment';
import { handler as classifyHouseholdMembers } from '../../functions/steps/classifyHouseholdMembers';
import { handler as priceHouseholdRenewal } from '../../functions/steps/priceHouseholdRenewal';
import { handler as openReviewItem } from '../../functions/steps/openReviewItem';
import { handler as planReviewWindow } from '../../functions/steps/planReviewWindow';
import { handler as runIdentityCheck } from '../../functions/steps/runIdentityCheck';
import { handler as recordOutcome } from '../../functions/steps/recordOutcome';
import { handler as loadContributionHistory } from '../../functions/steps/loadContributionHistory';
import { handler as checkLastEmployer } from '../../functions/steps/checkLastEmployer';
import { handler as computeUnemploymentHistory } from '../../functions/steps/computeUnemploymentHistory';
import { handler as recordUnemploymentHistory } from '../../functions/steps/recordUnemploymentHistory';
import { handler as checkLumpSumEligibility } from '../../functions/steps/checkLumpSumEligibility';
import { handler as computeLumpSumAmount } from '../../functions/steps/computeLumpSumAmount';
import { handler as settleLumpSum } from '../../functions/steps/settleLumpSum';
import { handler as planRegistryRetry } from '../../functions/steps/planRegistryRetry';

const TASK_TOKEN = 'AQCEAAAAKgAAAAMAAAAAAAAAAf-secret-task-token-do-not-log';
const PERSONAL_ID = '079085001234';
const subject = { personalId: PERSONAL_ID, fullName: 'Nguyễn Văn An', dateOfBirth: '1985-03-14' };

/** Each step handler with an input the ASL could never send (a field missing or of the wrong type). */
const MALFORMED: [step: string, handler: (event: unknown) => Promise<unknown>, input: Record<string, unknown>][] = [
  // waitForTaskToken steps: a valid token next to a bad field, and a token of the wrong type
  ['AwaitHouseholdPayment', awaitHouseholdPayment, { applicationId: 'HR-1', quote: { total: -1 }, paymentTimeoutSeconds: 60, taskToken: TASK_TOKEN }],
  ['AwaitHouseholdPayment', awaitHouseholdPayment, { applicationId: 'HR-1', quote: { total: 1, validThrough: '2026-12-31', members: [] }, paymentTimeoutSeconds: 60, taskToken: [TASK_TOKEN] }],
  ['OpenReviewItem', openReviewItem, { applicationId: 'HR-1', service: 'HOUSEHOLD_RENEWAL', provinceCode: '79', checkKind: 'PERSON', subjectRole: 'APPLICANT', subject, reasonCode: 'NOT_A_REASON', taskToken: TASK_TOKEN }],
  ['OpenReviewItem', openReviewItem, { applicationId: 'HR-1', service: 'HOUSEHOLD_RENEWAL', provinceCode: '79', checkKind: 'PERSON', subjectRole: 'APPLICANT', subject, reasonCode: 'NAME_MISMATCH', taskToken: { value: TASK_TOKEN } }],
  ['PlanReviewWindow', planReviewWindow, { applicationId: 'HR-1', provinceCode: 'HCM', reviewTimeoutSeconds: 432000 }],
  ['ClassifyHouseholdMembers', classifyHouseholdMembers, { applicationId: 'HR-1', members: [{ personalId: PERSONAL_ID }], periodMonths: 12, taskToken: TASK_TOKEN }],
  ['PriceHouseholdRenewal', priceHouseholdRenewal, { applicationId: 'HR-1', periodMonths: '12', classification: { billable: [] }, headPersonalId: PERSONAL_ID }],
  ['RunIdentityCheck', runIdentityCheck, { applicationId: 'HR-1', service: 'HOUSEHOLD_RENEWAL', provinceCode: '79', checkKind: 'DNA', subjectRole: 'APPLICANT', subject: { ...subject, dateOfBirth: 14 } }],
  ['RecordOutcome', recordOutcome, { applicationId: 'HR-1', status: 'COMPLETED', reasonCode: 'NAME_MISMATCH', reason: `token ${TASK_TOKEN} id ${PERSONAL_ID}` }],
  ['LoadContributionHistory', loadContributionHistory, { applicationId: 'HR-1', personalId: 79085001234 }],
  ['CheckLastEmployer', checkLastEmployer, { applicationId: 'HR-1', terminationDate: '2025-13-01', contractType: 'X', periods: [], lastEmployer: null }],
  ['ComputeUnemploymentHistory', computeUnemploymentHistory, { applicationId: 'HR-1', periods: 'none' }],
  ['RecordUnemploymentHistory', recordUnemploymentHistory, { applicationId: 'HR-1', requestingCentre: '', lastEmployer: null, assessment: {} }],
  ['CheckLumpSumEligibility', checkLumpSumEligibility, { applicationId: 'HR-1', applicationDate: '2025-01-01', reason: 'NOPE', person: subject, periods: [] }],
  ['ComputeLumpSumAmount', computeLumpSumAmount, { applicationId: 'HR-1', applicationDate: '2025-01-01', reason: 'NOPE', periods: [], onRuleDataUnavailable: 'LATER' }],
  ['SettleLumpSum', settleLumpSum, { applicationId: 'HR-1', person: subject, eligibility: {}, amount: { amount: 1.5 } }],
  ['PlanRegistryRetry', planRegistryRetry, { applicationId: 'HR-1', registryWait: { attempt: -1, since: null } }],
];

afterEach(() => {
  vi.restoreAllMocks();
});

describe('step handlers: malformed input', () => {
  it.each(MALFORMED)('%s → ValidationError naming the step, without the task token or a personal ID', async (step, handler, input) => {
    const logged: unknown[] = [];
    for (const level of ['debug', 'info', 'warn', 'error', 'appendKeys'] as const) {
      vi.spyOn(logger, level).mockImplementation((...args: unknown[]) => {
        logged.push(args);
      });
    }
    const error = await handler(input).then(
      () => {
        throw new Error(`${step} accepted a malformed input`);
      },
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: 'ValidationError', code: 'VALIDATION_FAILED', httpStatus: 400 });
    const e = error as { message: string; messageVi: string; messageEn: string; details: { issues: { path: string; message: string }[] } };
    expect(e.messageEn).toBe(`Invalid ${step} input`);
    expect(e.messageVi).toContain(step);
    expect(e.details.issues.length).toBeGreaterThan(0);
    for (const issue of e.details.issues) expect(Object.keys(issue).sort()).toEqual(['message', 'path']);
    const text = JSON.stringify({ message: e.message, vi: e.messageVi, details: e.details, stack: (error as Error).stack, logged });
    expect(text).not.toContain('secret-task-token');
    expect(text).not.toContain(PERSONAL_ID);
    expect(text).not.toContain('79085001234');
  });
});

describe('stepHandler', () => {
  const schema = z.object({ applicationId: z.string().min(1), taskToken: z.string().min(1), personalId: z.string() });
  const input = { applicationId: 'HR-42', taskToken: TASK_TOKEN, personalId: PERSONAL_ID };

  it('resets the logger keys first, adds the application id and logs only the summary (from output and input)', async () => {
    const calls: string[] = [];
    vi.spyOn(logger, 'resetKeys').mockImplementation(() => void calls.push('reset'));
    const appended = vi.spyOn(logger, 'appendKeys').mockImplementation(() => void calls.push('append'));
    const info = vi.spyOn(logger, 'info').mockImplementation(() => undefined);
    const handler = stepHandler(
      'Demo',
      schema,
      async ({ applicationId }) => ({ applicationId, ok: true }),
      (out, parsed) => ({ ok: out.ok, personalId: parsed.personalId.slice(0, 3) }),
    );
    expect(await handler(input)).toEqual({ applicationId: 'HR-42', ok: true });
    expect(calls).toEqual(['reset', 'append']);
    expect(appended).toHaveBeenCalledWith({ applicationId: 'HR-42' });
    expect(info).toHaveBeenCalledWith('Demo done', { ok: true, personalId: '079' });

    // a malformed input: the keys of the earlier invocation are gone before the ValidationError
    calls.length = 0;
    await expect(handler({ applicationId: 'HR-43' })).rejects.toMatchObject({ name: 'ValidationError' });
    expect(calls).toEqual(['reset']);
  });

  it('maps AWS throttling / 5xx to TransientError and keeps every other error name the ASL matches', async () => {
    vi.spyOn(logger, 'info').mockImplementation(() => undefined);
    const failing = (error: Error) => stepHandler('Demo', schema, () => Promise.reject(error), () => ({}));
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    await expect(failing(throttled)(input)).rejects.toMatchObject({ name: 'TransientError' });
    const conflict = Object.assign(new Error('conflict'), { name: 'TransactionConflictException' });
    await expect(failing(conflict)(input)).rejects.toMatchObject({ name: 'TransientError' });
    await expect(failing(new RegistryUnavailableError())(input)).rejects.toMatchObject({ name: 'RegistryUnavailable' });
    await expect(failing(new NoBillableMembersError())(input)).rejects.toMatchObject({ name: 'NoBillableMembers' });
    const ruleData = Object.assign(new Error('no table'), { name: 'RuleDataUnavailable' });
    await expect(failing(ruleData)(input)).rejects.toBe(ruleData);
    // a synchronous throw is handled the same way
    const sync = stepHandler('Demo', schema, () => { throw throttled; }, () => ({}));
    await expect(sync(input)).rejects.toMatchObject({ name: 'TransientError' });
  });
});

describe('functions/steps', () => {
  it('every workflow step handler is built with stepHandler (no hand-rolled parsing or logger keys)', () => {
    const dir = path.resolve(__dirname, '../../functions/steps');
    const scheduled = new Set(['escalateOverdueReviews.ts', 'resumeSweeper.ts']); // EventBridge jobs, no step input
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'schemas.ts' && !scheduled.has(f));
    // and each of them has a malformed-input case above
    expect(new Set(MALFORMED.map(([step]) => step)).size).toBe(files.length);
    for (const file of files) {
      const source = readFileSync(path.join(dir, file), 'utf8');
      expect(source, file).toMatch(/export const handler = stepHandler\(/);
      expect(source, file).not.toMatch(/safeParse|resetKeys|appendKeys|new ValidationError|asStepError/);
    }
  });
});
