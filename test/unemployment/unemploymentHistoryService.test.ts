/**
 * Unemployment-history services and steps over DynamoDB Local: the last-employer check (stop with the reason,
 * never a wrong answer), the assessment under the law of the termination date, and the idempotent completion.
 */
import { renderReason } from '../../functions/domain/reasonCatalog';
import { beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { useLocalTables } from '../support/tables';
import { createApplication } from '../support/applications';
import { applicationsRepository } from '../../functions/adapters/applicationsRepository';
import type { StoredContributionPeriod } from '../../functions/adapters/contributionRecordsRepository';
import {
  checkLastEmployer,
  computeUnemploymentHistory,
  recordUnemploymentHistory,
  submitUnemploymentHistoryRequest,
} from '../../functions/unemployment/unemploymentHistoryService';
import { handler as checkStep } from '../../functions/steps/checkLastEmployer';
import { handler as computeStep } from '../../functions/steps/computeUnemploymentHistory';
import { handler as recordStep } from '../../functions/steps/recordUnemploymentHistory';

const sfn = mockClient(SFNClient);
const P = (employerCode: string, from: string, to: string, monthlySalary: number): StoredContributionPeriod => ({
  employer: `Công ty ${employerCode}`,
  employerCode,
  from,
  to,
  monthlySalary,
  schemes: ['SI', 'UI', 'HI'],
  region: 'I',
});
const WORKED = [P('A', '2022-05', '2024-12', 15_000_000), P('B', '2025-01', '2026-06', 20_000_000)];
const closed = (code = 'B') => ({ code, name: `Công ty ${code}`, closed: true, owesContributions: false });
const input = (over: Record<string, unknown> = {}) => ({
  applicationId: 'UI-TEST',
  terminationDate: '2026-06-30',
  contractType: 'INDEFINITE',
  periods: WORKED,
  lastEmployer: closed(),
  ...over,
});

const newRequest = () => createApplication('UNEMPLOYMENT_HISTORY');

beforeAll(async () => {
  await useLocalTables('unemployment');
  Object.assign(process.env, {
    PROVINCE_CODE: '79',
    UNEMPLOYMENT_HISTORY_STATE_MACHINE_ARN: 'arn:aws:states:ap-southeast-1:000000000000:stateMachine:UnemploymentHistory',
    REVIEW_TIMEOUT_SECONDS: '432000',
  });
});

describe('CheckLastEmployer', () => {
  it('proceeds when the last employer closed the record and owes nothing', async () => {
    expect(await checkStep(input())).toEqual({ ok: true, reasonCode: null, reason: null });
  });

  it('stops with EMPLOYER_OWES_CONTRIBUTIONS first, then EMPLOYER_NOT_CLOSED, naming the employer in vi and en', async () => {
    const owes = await checkStep(input({ lastEmployer: { ...closed(), closed: false, owesContributions: true } }));
    expect(owes).toMatchObject({ ok: false, reasonCode: 'EMPLOYER_OWES_CONTRIBUTIONS' });
    expect(owes.reason).toEqual({ condition: { code: 'EMPLOYER_NO_DEBT', params: { employerName: 'Công ty B', employerCode: 'B' } } });
    expect(renderReason({ code: 'EMPLOYER_OWES_CONTRIBUTIONS', ...(owes.reason as object) }).message).toEqual({
      vi: 'Đơn vị sử dụng lao động cuối cùng còn nợ tiền đóng bảo hiểm; chưa thể xác nhận quá trình đóng bảo hiểm thất nghiệp: đơn vị Công ty B (mã B) còn nợ tiền đóng.',
      en: 'The last employer owes contributions; the unemployment-insurance record cannot be confirmed yet: employer Công ty B (code B) owes contributions.',
    });
    const open = checkLastEmployer(input({ lastEmployer: { ...closed(), closed: false } }) as never);
    expect(open).toMatchObject({ ok: false, reasonCode: 'EMPLOYER_NOT_CLOSED', reason: { condition: { code: 'EMPLOYER_RECORD_CLOSED' } } });
  });

  it('rejects a malformed input as a ValidationError (an ASL bug, not retried)', async () => {
    await expect(checkStep(input({ contractType: 'PERMANENT' }))).rejects.toMatchObject({ name: 'ValidationError' });
  });
});

describe('ComputeUnemploymentHistory', () => {
  it('the worked example: 50 months, 12,000,000 for 4 months, 2 reserved (Law 74/2025)', async () => {
    const a = await computeStep(input());
    expect(a).toMatchObject({
      status: 'ASSESSED',
      law: { id: 'LAW_74_2025' },
      totalUiMonths: 50,
      monthsWithinWindow: 24,
      eligible: true,
      estimatedMonthlyBenefit: 12_000_000,
      benefitDurationMonths: 4,
      reservedMonths: 2,
    });
  });

  it('voluntary periods carry no UI and are left out; the 2013 law applies before 2026-01-01', () => {
    const a = computeUnemploymentHistory({
      terminationDate: '2025-10-15',
      contractType: 'FIXED_TERM_12_TO_36',
      periods: [
        P('A', '2023-05', '2025-04', 10_000_000),
        P('A', '2025-05', '2025-10', 12_000_000),
        { employer: 'BHXH tự nguyện', employerCode: 'TU-NGUYEN', from: '2025-11', to: '2025-12', monthlySalary: 1, schemes: ['SI'], voluntary: true },
      ],
      lastEmployer: closed('A'),
    });
    expect(a).toMatchObject({ law: { id: 'LAW_38_2013' }, totalUiMonths: 30, estimatedMonthlyBenefit: 7_200_000 });
    expect(a.benefitCalculation?.cap).toMatchObject({ instrument: 'Decree 74/2024/NĐ-CP', referenceDate: '2025-10-15', amount: 24_800_000 });
  });

  it('refuses to compute for a blocked record (the workflow checks first)', () => {
    expect(() => computeUnemploymentHistory({ ...input({ lastEmployer: { ...closed(), closed: false } }) } as never)).toThrow(/closed/);
  });
});

describe('RecordUnemploymentHistory', () => {
  it('completes the application with the confirmation; a retry returns the recorded result', async () => {
    const applicationId = await newRequest();
    const assessment = computeUnemploymentHistory(input() as never);
    const params = { applicationId, assessment, lastEmployer: closed(), requestingCentre: 'Trung tâm DVVL TP.HCM' };
    const first = await recordStep(params);
    expect(first).toMatchObject({ eligible: true, estimatedMonthlyBenefit: 12_000_000, lastEmployer: { code: 'B', name: 'Công ty B' }, requestingCentre: 'Trung tâm DVVL TP.HCM' });
    expect('status' in first).toBe(false);
    const app = await applicationsRepository.get(applicationId);
    expect(app).toMatchObject({ status: 'COMPLETED', result: first });
    expect(await recordUnemploymentHistory(params)).toEqual(first);
    expect((await applicationsRepository.get(applicationId))!.timeline.filter((t) => t.event === 'COMPLETED')).toHaveLength(1);
  });

  it('an application that ended otherwise is a conflict', async () => {
    const applicationId = await newRequest();
    await applicationsRepository.transition(applicationId, { to: 'REJECTED', event: 'OUTCOME_RECORDED' });
    const assessment = computeUnemploymentHistory(input() as never);
    await expect(recordStep({ applicationId, assessment, lastEmployer: closed(), requestingCentre: 'X' })).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });
});

describe('submission', () => {
  it('starts the workflow by name with the applicant, termination date, contract type and centre', async () => {
    sfn.reset();
    sfn.on(StartExecutionCommand).resolves({});
    const request = {
      applicant: { personalId: '079192000501', fullName: 'Nguyễn Thị Thu Hằng', dateOfBirth: '1992-03-08' },
      terminationDate: '2026-06-30',
      contractType: 'INDEFINITE' as const,
      requestingCentre: 'Trung tâm DVVL TP.HCM',
    };
    const out = await submitUnemploymentHistoryRequest({ request, consumerId: 'centre' }, new Date());
    expect(out.applicationId).toMatch(/^UI-[0-9A-Z]{26}$/);
    const call = sfn.commandCalls(StartExecutionCommand)[0].args[0].input;
    expect(call.name).toBe(out.applicationId);
    expect(JSON.parse(call.input!)).toEqual({
      applicationId: out.applicationId,
      service: 'UNEMPLOYMENT_HISTORY',
      provinceCode: '79',
      ...request,
      reviewTimeoutSeconds: 432000,
    });
    const stored = await applicationsRepository.get(out.applicationId);
    expect(stored!.executionArn).toBe(`arn:aws:states:ap-southeast-1:000000000000:execution:UnemploymentHistory:${out.applicationId}`);
  });
});
