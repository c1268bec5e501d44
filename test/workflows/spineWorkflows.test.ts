/**
 * Static checks of the three service workflows since issue 10: each service is a Standard workflow that only
 * holds what waits (the review, the payment, the rule data) or must run exactly once (the lump-sum settlement),
 * and an Express child with the synchronous part (identity checks through the shared RunIdentityCheck function,
 * history, eligibility, classification, pricing). The review of a failed check is the one shared Standard
 * workflow (identity-verification.asl.json). Every non-success end records its reason through RecordOutcome.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { workflowSpecs, type WorkflowName } from '../../functions/catalog';

type State = Record<string, any>;
type Definition = { StartAt: string; States: Record<string, State> };
const load = (name: WorkflowName) => JSON.parse(readFileSync(workflowSpecs[name].file, 'utf8')) as Definition;

/**
 * The happy path of a first round: the first Choice branch, else Next; a Choice that skips what an earlier
 * round verified (`IsPresent`) takes its Default (nothing is verified yet).
 */
function happyPath(def: Definition): string[] {
  const order: string[] = [];
  for (let current: string | undefined = def.StartAt; current && order.length < 40; ) {
    order.push(current);
    const s: State = def.States[current];
    current = s.Type === 'Choice' ? (s.Choices[0].IsPresent ? s.Default : s.Choices[0].Next) : s.Next;
  }
  return order;
}

const LAMBDA_BACK_OFF = {
  ErrorEquals: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException', 'TransientError', 'States.Timeout'],
  IntervalSeconds: 1,
  MaxAttempts: 4,
  BackoffRate: 2,
  MaxDelaySeconds: 20,
  JitterStrategy: 'FULL',
};

const services = [
  {
    parent: 'HouseholdRenewal' as const,
    part: 'HouseholdRenewalPrepare' as const,
    standardPath: ['Prepare', 'Route', 'AwaitPayment'],
    partPath: ['HasVerified', 'NoneVerified', 'HeadKnown', 'CheckHead', 'HeadPassed', 'AcceptHead', 'MembersKnown', 'CheckMembers', 'MembersPassed', 'AcceptMembers', 'ClassifyMembers', 'PriceHousehold', 'Quoted'],
    stages: { HEAD: 'AcceptReviewedHead', HOUSEHOLD: 'AcceptReviewedHousehold' },
    checks: ['CheckHead', 'CheckMembers'],
  },
  {
    parent: 'UnemploymentHistory' as const,
    part: 'UnemploymentHistoryPrepare' as const,
    standardPath: ['Prepare', 'Route', 'Completed'],
    partPath: ['HasVerified', 'NoneVerified', 'ApplicantKnown', 'CheckApplicant', 'ApplicantPassed', 'AcceptApplicant', 'LoadHistory', 'CheckLastEmployer', 'LastEmployerClosed', 'ComputeHistory', 'RecordHistory', 'Recorded'],
    stages: { APPLICANT: 'AcceptReviewedApplicant' },
    checks: ['CheckApplicant'],
  },
  {
    parent: 'LumpSumWithdrawal' as const,
    part: 'LumpSumWithdrawalPrepare' as const,
    standardPath: ['Prepare', 'Route', 'Settle'],
    partPath: ['HasVerified', 'NoneVerified', 'ApplicantKnown', 'CheckApplicant', 'ApplicantPassed', 'AcceptApplicant', 'LoadHistory', 'CheckEligibility', 'Eligible', 'ComputeAmount', 'Computed'],
    stages: { APPLICANT: 'AcceptReviewedApplicant' },
    checks: ['CheckApplicant'],
  },
];

describe.each(services)('$parent: a Standard workflow around an Express part', ({ parent, part, standardPath, partPath, stages, checks }) => {
  const def = load(parent);
  const express = load(part);

  it('is Standard, its synchronous part Express', () => {
    expect(workflowSpecs[parent].type).toBe('STANDARD');
    expect(workflowSpecs[part].type).toBe('EXPRESS');
  });

  it('keeps the Standard happy path to a few states (each is a billed transition)', () => {
    // The household path continues in the payment tail (see asl.test.ts); these are the states before it.
    expect(happyPath(def).slice(0, standardPath.length)).toEqual(standardPath);
    expect(happyPath(express)).toEqual(partPath);
  });

  it('starts the Express part with the whole state and awaits it (startExecution.sync:2)', () => {
    const prepare = def.States.Prepare;
    expect(prepare.Resource).toBe('arn:aws:states:::states:startExecution.sync:2');
    expect(prepare.Parameters).toEqual({ StateMachineArn: `\${${workflowSpecs[part].placeholder}}`, 'Input.$': '$' });
    expect(prepare.ResultSelector).toEqual({ 'outcome.$': '$.Output.outcome', 'output.$': '$.Output' });
    expect(prepare.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordFailure' }]);
  });

  it('uses only request-response Lambda Tasks in the Express part, each bounded, with back-off and full jitter', () => {
    const tasks = Object.entries(express.States).filter(([, s]) => s.Type === 'Task');
    expect(tasks.length).toBeGreaterThanOrEqual(3);
    for (const [name, s] of tasks) {
      expect(s.Resource, name).toMatch(/^\$\{\w+FunctionArn\}$/);
      expect(s.TimeoutSeconds, name).toBeLessThanOrEqual(20);
      expect(s.Retry, name).toContainEqual(LAMBDA_BACK_OFF);
      expect(s.Catch.at(-1), name).toEqual({ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'PartFailed' });
    }
    // Its worst case (every retry, every timeout) stays inside the Express limit of 5 minutes.
    expect((express as any).TimeoutSeconds).toBeLessThanOrEqual(300);
  });

  it('runs each identity check through the shared function, and hands a failed one to the shared review', () => {
    for (const name of checks) {
      const check = express.States[name];
      expect(check.Resource).toBe('${RunIdentityCheckFunctionArn}');
      expect(check.Retry[0]).toMatchObject({ ErrorEquals: ['RegistryUnavailable'], MaxAttempts: 3 });
      // A registry down, or the check's reserved concurrency still full after the retries: a person decides.
      expect(check.Catch[0]).toMatchObject({ ErrorEquals: ['RegistryUnavailable', 'Lambda.TooManyRequestsException'] });
      const down = express.States[check.Catch[0].Next];
      expect(down.Result).toMatchObject({ outcome: 'NEEDS_REVIEW', reasonCode: 'REGISTRY_UNAVAILABLE' });
    }
    const review = def.States.Review;
    expect(review.Resource).toBe('arn:aws:states:::states:startExecution.sync:2');
    expect(review.Parameters.StateMachineArn).toBe('${IdentityVerificationStateMachineArn}');
    expect(review.Parameters.Input['check.$']).toBe('$.prepared.output.review.check');
    // Every stage the part can hand over is accepted back and the part runs again; other outcomes are recorded.
    const verified = def.States.ReviewOutcome.Choices.filter((c: State) => c.And);
    expect(Object.fromEntries(verified.map((c: State) => [c.And[1].StringEquals, c.Next]))).toEqual(stages);
    for (const target of Object.values(stages)) {
      expect(def.States[target]).toMatchObject({ Type: 'Pass', ResultPath: '$.verified', Next: 'Prepare' });
    }
    const stagesHandedOver = Object.values(express.States).filter((s) => s.Parameters?.outcome === 'NEEDS_REVIEW').map((s) => s.Parameters.review.stage);
    expect(stagesHandedOver.sort()).toEqual(Object.keys(stages).sort());
  });

  it('records a status with a reason through the shared RecordOutcome before every non-success end', () => {
    const recorders = Object.values(def.States).filter((s) => s.Resource === '${RecordOutcomeFunctionArn}');
    for (const s of recorders) {
      expect(s.Parameters.reasonCode ?? s.Parameters['reasonCode.$']).toBeTruthy();
      expect(s.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.recordError', Next: 'OutcomeNotRecorded' }]);
    }
    expect(def.States.RecordServiceRejection.Parameters).toMatchObject({ status: 'REJECTED', 'reasonCode.$': '$.prepared.output.reasonCode', 'reason.$': '$.prepared.output.reason' });
    expect(def.States.Route.Default).toBe('PartFailed');
    expect(def.States.PartFailed.Next).toBe('RecordFailure');
    const household = load('HouseholdRenewal');
    for (const shared of ['RecordRejection', 'RecordReviewExpiry', 'RecordFailure', 'VerificationFailed', 'Failed', 'OutcomeNotRecorded', 'Review', 'ReviewOutcome']) {
      if (shared === 'ReviewOutcome') expect(def.States[shared].Default).toBe(household.States[shared].Default);
      else expect(def.States[shared], shared).toEqual(household.States[shared]);
    }
  });
});

describe('the shared review workflow (identity-verification.asl.json)', () => {
  const iv = load('IdentityVerification');
  it('plans the review window in working time, then waits for the decision until that deadline (with a Catch)', () => {
    expect(iv.StartAt).toBe('PlanReview');
    expect(iv.States.PlanReview.Resource).toBe('${PlanReviewWindowFunctionArn}');
    expect(iv.States.PlanReview.ResultPath).toBe('$.reviewWindow');
    expect(iv.States.PlanReview.Next).toBe('OpenReview');
    expect(iv.States.Evaluate.Default).toBe('PlanReview');
    expect(iv.States.RegistryDown.Next).toBe('PlanReview');
    expect(iv.States.OpenReview.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(iv.States.OpenReview.TimeoutSecondsPath).toBe('$.reviewWindow.timeoutSeconds');
    expect(iv.States.OpenReview.Parameters.Payload['reviewWindow.$']).toBe('$.reviewWindow');
    expect(iv.States.OpenReview.Catch.map((c: { ErrorEquals: string[] }) => c.ErrorEquals[0])).toEqual(['States.Timeout', 'States.ALL']);
    expect(iv.States.OpenReview.Parameters.Payload['reasonCode.$']).toBe('$.check.reasonCode');
    expect(iv.States.ApplyApproval.Resource).toBe('${RunIdentityCheckFunctionArn}');
  });
});

describe('LumpSumWithdrawal: per contribution record, and waiting for rule data', () => {
  const def = load('LumpSumWithdrawal');
  const express = load('LumpSumWithdrawalPrepare');

  it('passes every settlement marker to the eligibility and the amount', () => {
    expect(express.States.LoadHistory.ResultPath).toBe('$.history');
    for (const name of ['CheckEligibility', 'ComputeAmount']) {
      expect(express.States[name].Parameters['settlements.$'], name).toBe('$.history.settlements');
    }
    for (const name of ['ComputeAmount', 'ComputeAmountFinalAttempt']) {
      expect(def.States[name].Parameters['settlements.$'], name).toBe('$.prepared.output.history.settlements');
      expect(def.States[name].ResultPath, name).toBe('$.prepared.output.amount');
    }
    expect(def.States.Settle.Parameters).toMatchObject({
      'person.$': '$.prepared.output.verified.applicant.person',
      'eligibility.$': '$.prepared.output.eligibility.eligibility',
      'amount.$': '$.prepared.output.amount',
    });
  });

  it('waits for a missing coefficient table in the Standard workflow: about twice a day for ~45 days, then a final attempt that records the precise FAILED', () => {
    expect(express.States.ComputeAmount.Catch[0]).toEqual({ ErrorEquals: ['RuleDataUnavailable'], ResultPath: '$.ruleDataError', Next: 'WaitingForRuleData' });
    expect(express.States.WaitingForRuleData.Parameters.outcome).toBe('WAITING_FOR_RULE_DATA');
    expect(def.States.Route.Choices).toContainEqual({ Variable: '$.prepared.outcome', StringEquals: 'WAITING_FOR_RULE_DATA', Next: 'ComputeAmount' });
    const compute = def.States.ComputeAmount;
    const wait = compute.Retry.find((r: State) => r.ErrorEquals.includes('RuleDataUnavailable'));
    expect(wait).toEqual({
      ErrorEquals: ['RuleDataUnavailable'],
      IntervalSeconds: 86400,
      MaxAttempts: 90,
      BackoffRate: 1,
      MaxDelaySeconds: 86400,
      JitterStrategy: 'FULL',
    });
    // Full jitter draws each delay in [0, 24 h]: ~90 × 12 h ≈ 45 days in all.
    expect((wait.MaxAttempts * wait.IntervalSeconds) / 2 / 86400).toBe(45);
    expect(compute.Catch.map((c: State) => [c.ErrorEquals, c.Next])).toEqual([
      [['RuleDataUnavailable'], 'ComputeAmountFinalAttempt'],
      [['States.ALL'], 'RecordFailure'],
    ]);
    expect(compute.Parameters.onRuleDataUnavailable).toBeUndefined(); // WAIT: records WAITING_FOR_RULE_DATA
    const final = def.States.ComputeAmountFinalAttempt;
    expect(final.Resource).toBe(compute.Resource);
    expect(final.Parameters).toEqual({ ...compute.Parameters, onRuleDataUnavailable: 'RECORD_FAILED' });
    expect(final.Next).toBe('Settle');
    expect(final.Retry.some((r: State) => r.ErrorEquals.includes('RuleDataUnavailable'))).toBe(false);
    expect(final.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordFailure' }]);
  });
});
