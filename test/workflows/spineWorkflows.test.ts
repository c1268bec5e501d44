/**
 * Static checks of the two services built on the spine (unemployment history, lump sum): the step order, the
 * shared nested identity verification (PERSON / APPLICANT), the shared RecordOutcome before every non-success end,
 * and the same state shapes (timeouts, retries with back-off and full jitter, catches) as the household renewal.
 * The lump sum also waits (a long retry) for a coefficient table not yet deployed.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { workflowSpecs } from '../../functions/catalog';

type State = Record<string, any>;
const load = (name: keyof typeof workflowSpecs) =>
  JSON.parse(readFileSync(workflowSpecs[name].file, 'utf8')) as { StartAt: string; States: Record<string, State> };
const household = load('HouseholdRenewal');

/** The happy path: first Choice branch, else Next. */
function happyPath(def: { StartAt: string; States: Record<string, State> }): string[] {
  const order: string[] = [];
  for (let current: string | undefined = def.StartAt; current && order.length < 30; ) {
    order.push(current);
    const s: State = def.States[current];
    current = s.Type === 'Choice' ? s.Choices[0].Next : s.Next;
  }
  return order;
}

describe.each([
  {
    name: 'UnemploymentHistory' as const,
    path: ['VerifyApplicant', 'ApplicantOutcome', 'AcceptApplicant', 'LoadHistory', 'CheckLastEmployer', 'LastEmployerClosed', 'ComputeHistory', 'RecordHistory', 'Completed'],
    recorded: ['EXPIRED', 'FAILED', 'REJECTED', 'REJECTED'],
    /** States that also retry a rule-data error with a long interval (not the household back-off). */
    ruleDataWaits: [] as string[],
  },
  {
    name: 'LumpSumWithdrawal' as const,
    path: ['VerifyApplicant', 'ApplicantOutcome', 'AcceptApplicant', 'LoadHistory', 'CheckEligibility', 'Eligible', 'ComputeAmount', 'Settle', 'Settled', 'Completed'],
    recorded: ['EXPIRED', 'FAILED', 'REJECTED', 'REJECTED', 'REJECTED'],
    ruleDataWaits: ['ComputeAmount'],
  },
])('$name workflow', ({ name, path, recorded, ruleDataWaits }) => {
  const def = load(name);

  it('runs the steps of the service in order', () => {
    expect(happyPath(def)).toEqual(path);
  });

  it('verifies the applicant through the shared nested identity workflow (PERSON, APPLICANT)', () => {
    const verify = def.States.VerifyApplicant;
    expect(verify.Resource).toBe('arn:aws:states:::states:startExecution.sync:2');
    expect(verify.Parameters.StateMachineArn).toBe('${IdentityVerificationStateMachineArn}');
    expect(verify.Parameters.Input).toMatchObject({ checkKind: 'PERSON', subjectRole: 'APPLICANT', 'subject.$': '$.applicant' });
    expect(def.States.ApplicantOutcome.Choices.map((c: State) => [c.StringEquals, c.Next])).toEqual([
      ['VERIFIED', 'AcceptApplicant'],
      ['REJECTED', 'RecordRejection'],
      ['EXPIRED', 'RecordReviewExpiry'],
    ]);
  });

  it('records a status with a reason through the shared RecordOutcome before every non-success end', () => {
    const recorders = Object.values(def.States).filter((s) => s.Resource === '${RecordOutcomeFunctionArn}');
    expect(recorders.map((s) => s.Parameters.status).sort()).toEqual(recorded);
    for (const s of recorders) expect(s.Parameters.reasonCode ?? s.Parameters['reasonCode.$']).toBeTruthy();
    // Business stops carry the step's precise reason text.
    const stops = recorders.filter((s) => String(s.Parameters['reasonCode.$'] ?? '').match(/^\$\.(employerCheck|eligibility|settlement)\./));
    expect(stops.length).toBeGreaterThan(0);
    for (const s of stops) expect(s.Parameters['reason.$']).toMatch(/\.reason$/);
  });

  it('uses the household renewal state shapes: Lambda tasks with a timeout, back-off with full jitter, States.ALL → RecordFailure', () => {
    const lambdaTasks = Object.entries(def.States).filter(([, s]) => s.Type === 'Task' && /^\$\{\w+FunctionArn\}$/.test(s.Resource));
    expect(lambdaTasks.length).toBeGreaterThan(5);
    for (const [stateName, s] of lambdaTasks) {
      expect(s.TimeoutSeconds, stateName).toBeGreaterThan(0);
      const backOff = s.Retry.filter((r: State) => !r.ErrorEquals.includes('RuleDataUnavailable'));
      for (const r of backOff) expect(r, stateName).toMatchObject({ BackoffRate: 2, JitterStrategy: 'FULL', MaxDelaySeconds: expect.any(Number) });
      const catchAll = s.Catch.find((c: State) => c.ErrorEquals.includes('States.ALL'));
      if (s.Resource === '${RecordOutcomeFunctionArn}') expect(catchAll.Next).toBe('OutcomeNotRecorded');
      else {
        expect(catchAll.Next, stateName).toBe('RecordFailure');
        expect(backOff, stateName).toEqual(household.States.ClassifyMembers.Retry);
        expect(s.Retry.length - backOff.length, stateName).toBe(ruleDataWaits.includes(stateName) ? 1 : 0);
      }
    }
    for (const shared of ['RecordRejection', 'RecordReviewExpiry', 'RecordFailure', 'VerificationFailed', 'Failed', 'OutcomeNotRecorded']) {
      expect(def.States[shared], shared).toEqual(household.States[shared]);
    }
  });
});

describe('LumpSumWithdrawal: per contribution record, and waiting for rule data', () => {
  const def = load('LumpSumWithdrawal');

  it('passes every settlement marker to the eligibility and the amount', () => {
    expect(def.States.LoadHistory.ResultPath).toBe('$.history');
    for (const name of ['CheckEligibility', 'ComputeAmount', 'ComputeAmountFinalAttempt']) {
      expect(def.States[name].Parameters['settlements.$'], name).toBe('$.history.settlements');
      expect(def.States[name].Parameters['settlement.$'], name).toBeUndefined();
    }
    expect(def.States.Settle.Parameters).toMatchObject({ 'eligibility.$': '$.eligibility.eligibility', 'amount.$': '$.amount' });
  });

  it('retries RuleDataUnavailable about twice a day for ~45 days, then a final attempt that records the precise FAILED', () => {
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
    expect(final.ResultPath).toBe(compute.ResultPath);
    // The table deployed meanwhile → the claim goes on; still missing → FAILED recorded by the step, then RecordFailure.
    expect(final.Next).toBe('Settle');
    expect(final.Retry.some((r: State) => r.ErrorEquals.includes('RuleDataUnavailable'))).toBe(false);
    expect(final.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordFailure' }]);
  });
});
