/**
 * The real service ASL files (Standard parents, Express parts, the shared review) run by the local engine with
 * fake step handlers, along the paths the e2e tests do not take: a household needing two reviews (the head, then
 * the members) and resuming from the members after each; a registry down for the applicant of the other two
 * services; a step that fails in the Express part (FAILED with that error); a lump sum whose coefficient table is
 * missing (the Standard wait) — and the Standard transitions each path costs.
 */
import '../../local/stepFunctions/polyfills';
import { describe, expect, it } from 'vitest';
import { LocalStepFunctions, type LambdaHandler } from '../../local/stepFunctions/localStepFunctions';
import { workflowSpecs } from '../../functions/catalog';

type Json = Record<string, any>;
const passed = (result: unknown) => ({ outcome: 'PASSED', reasonCode: null, verifiedBy: 'REGISTRY', result, registrySnapshot: null });
const needsReview = (reasonCode: string) => ({ outcome: 'NEEDS_REVIEW', reasonCode, verifiedBy: null, result: null, registrySnapshot: { seen: reasonCode } });

function engine(handlers: Record<string, (e: Json) => unknown>) {
  const calls: { name: string; event: Json }[] = [];
  const reviews: Json[] = [];
  const outcomes: Json[] = [];
  const wrapped: Record<string, LambdaHandler> = {};
  for (const [name, fn] of Object.entries({
    OpenReviewItem: (e: Json): unknown => {
      reviews.push(e);
      return { itemId: `RV-${reviews.length}` };
    },
    RecordOutcome: (e: Json): unknown => {
      outcomes.push(e);
      return null;
    },
    ...handlers,
  })) {
    wrapped[name] = async (event: Json) => {
      calls.push({ name, event });
      return fn(event);
    };
  }
  const local = new LocalStepFunctions({ retryIntervalMs: 1, logger: {}, handlers: wrapped });
  /** Standard state transitions of an execution and its Standard children (Express ones are billed per request). */
  const standardTransitions = (executionArn: string): number => {
    let total = 0;
    for (const [name, spec] of Object.entries(workflowSpecs)) {
      if (spec.type !== 'STANDARD') continue;
      for (const e of local.listExecutions(local.stateMachineArn(name))) {
        const d = local.describeExecution(e.executionArn);
        if (e.executionArn !== executionArn && d.parentExecutionArn !== executionArn) continue;
        total += local.getExecutionHistory(e.executionArn).filter((ev: any) => ev.type === 'StateEntered').length;
      }
    }
    return total;
  };
  const nextReview = async (count: number) => {
    for (let i = 0; i < 500 && reviews.length < count; i++) await new Promise((r) => setTimeout(r, 5));
    expect(reviews.length).toBe(count);
    return reviews[count - 1];
  };
  return { local, calls, reviews, outcomes, standardTransitions, nextReview };
}

const base = { service: 'HOUSEHOLD_RENEWAL', provinceCode: '79', reviewTimeoutSeconds: 3600, paymentTimeoutSeconds: 3600 };
const head = { personalId: '079203001234', fullName: 'Nguyễn Văn A', dateOfBirth: '2003-01-01', sex: 'MALE' };

describe('household renewal: two reviews, then the payment', () => {
  it('reviews the head, then the members, each time resuming after what is verified; pays the quote of the last round', async () => {
    let headChecks = 0;
    let memberChecks = 0;
    const awaits: Json[] = [];
    const t = engine({
      RunIdentityCheck: (e) => {
        if (e.checkKind === 'PERSON') {
          headChecks++;
          return e.approval ? passed({ person: { ...head, fullName: 'Nguyễn Văn Á' } }) : needsReview('NAME_MISMATCH');
        }
        memberChecks++;
        return e.approval ? passed({ householdId: 'HH-9', members: [e.subject, { personalId: '079215007341' }] }) : needsReview('ADDRESS_MISMATCH');
      },
      ClassifyHouseholdMembers: (e) => ({ billable: e.members, excluded: [] }),
      PriceHouseholdRenewal: (e) => ({ total: 2_322_540, head: e.headPersonalId }),
      AwaitHouseholdPayment: (e) => {
        awaits.push(e);
        return null;
      },
    });
    const { executionArn } = t.local.startExecution({
      stateMachineArn: t.local.stateMachineArn('HouseholdRenewal'),
      input: JSON.stringify({ ...base, applicationId: 'HR-2REVIEWS', head, periodMonths: 12 }),
    });
    const first = await t.nextReview(1);
    expect(first).toMatchObject({ applicationId: 'HR-2REVIEWS', checkKind: 'PERSON', subjectRole: 'HEAD_OF_HOUSEHOLD', reasonCode: 'NAME_MISMATCH', registrySnapshot: { seen: 'NAME_MISMATCH' } });
    t.local.sendTaskSuccess(first.taskToken, JSON.stringify({ decision: 'APPROVE', reviewItemId: 'RV-1', corrections: { fullName: 'Nguyễn Văn Á' } }));
    const second = await t.nextReview(2);
    // The members are fetched for the head the officer verified (corrected name), not the submitted one.
    expect(second).toMatchObject({ checkKind: 'HOUSEHOLD_MEMBERS', reasonCode: 'ADDRESS_MISMATCH', subject: { fullName: 'Nguyễn Văn Á' } });
    t.local.sendTaskSuccess(second.taskToken, JSON.stringify({ decision: 'APPROVE', reviewItemId: 'RV-2', corrections: {} }));
    await t.local.waitForState(executionArn, 'AwaitPayment', { timeoutMs: 5_000 });
    for (let i = 0; i < 200 && awaits.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(awaits[0]).toMatchObject({ applicationId: 'HR-2REVIEWS', householdId: 'HH-9', quote: { total: 2_322_540, head: '079203001234' }, classification: { billable: [{ fullName: 'Nguyễn Văn Á' }, { personalId: '079215007341' }] } });
    // Each check ran once automatically and once with the decision; the head was not checked again in round 3.
    expect([headChecks, memberChecks]).toEqual([2, 2]);
    expect(t.calls.filter((c) => c.name === 'ClassifyHouseholdMembers')).toHaveLength(1);
    t.local.sendTaskSuccess(awaits[0].taskToken, JSON.stringify({ paymentReference: 'P-1', amount: 2_322_540 }));
    const done = await t.local.waitForExecution(executionArn, 5_000);
    expect(done.status).toBe('SUCCEEDED');
    expect(t.outcomes).toEqual([]);
    expect(t.local.listExecutions(t.local.stateMachineArn('HouseholdRenewalPrepare'))).toHaveLength(3);
    expect(t.local.listExecutions(t.local.stateMachineArn('IdentityVerification'))).toHaveLength(2);
    // Parent: 3 × (Prepare, Route) + 2 × (ReviewOrWaitForRegistry, Review, ReviewOutcome, Accept…) + the payment tail; each review: PlanReview, OpenReview, Decision, ApplyApproval, Evaluate, Verified.
    const tail = t.standardTransitions(executionArn) - (3 * 2 + 2 * 4 + 2 * 6);
    expect(tail).toBe(1); // AwaitPayment, the last state (the callback renews the cards)
  });

  it('a step that fails in the Express part ends the application FAILED with that error', async () => {
    const t = engine({
      RunIdentityCheck: (e) => (e.checkKind === 'PERSON' ? passed({ person: head }) : passed({ householdId: 'HH-1', members: [head] })),
      ClassifyHouseholdMembers: () => {
        throw Object.assign(new Error('insurance records unreadable'), { name: 'RecordsCorrupt' });
      },
    });
    const { executionArn } = t.local.startExecution({ stateMachineArn: t.local.stateMachineArn('HouseholdRenewal'), input: JSON.stringify({ ...base, applicationId: 'HR-FAIL', head, periodMonths: 12 }) });
    const done = await t.local.waitForExecution(executionArn, 5_000);
    expect(done.status).toBe('FAILED');
    expect(t.outcomes).toEqual([{ applicationId: 'HR-FAIL', status: 'FAILED', reasonCode: 'RecordsCorrupt', reason: 'insurance records unreadable' }]);
  });

  it('no member left to bill: REJECTED NO_BILLABLE_MEMBERS with the step’s reason', async () => {
    const t = engine({
      RunIdentityCheck: (e) => (e.checkKind === 'PERSON' ? passed({ person: head }) : passed({ householdId: 'HH-1', members: [head] })),
      ClassifyHouseholdMembers: () => ({ billable: [], excluded: [head] }),
      PriceHouseholdRenewal: () => {
        throw Object.assign(new Error('Mọi thành viên đã có BHYT / every member is insured elsewhere'), { name: 'NoBillableMembers' });
      },
    });
    const { executionArn } = t.local.startExecution({ stateMachineArn: t.local.stateMachineArn('HouseholdRenewal'), input: JSON.stringify({ ...base, applicationId: 'HR-NONE', head, periodMonths: 12 }) });
    expect((await t.local.waitForExecution(executionArn, 5_000)).status).toBe('SUCCEEDED');
    expect(t.outcomes).toEqual([{ applicationId: 'HR-NONE', status: 'REJECTED', reasonCode: 'NO_BILLABLE_MEMBERS', reason: 'Mọi thành viên đã có BHYT / every member is insured elsewhere' }]);
    expect(t.standardTransitions(executionArn)).toBe(4); // Prepare, Route, RecordServiceRejection, Rejected
  });
});

describe.each([
  { machine: 'UnemploymentHistory', service: 'UNEMPLOYMENT_HISTORY', extra: { terminationDate: '2026-06-30', contractType: 'INDEFINITE', requestingCentre: 'TTDVVL-79' } },
  { machine: 'LumpSumWithdrawal', service: 'LUMP_SUM_WITHDRAWAL', extra: { applicationDate: '2026-11-22', reason: 'ONE_YEAR_GAP', evidence: {} } },
])('$machine: a registry down for the applicant goes to review and resumes once approved', ({ machine, service, extra }) => {
  it('REGISTRY_UNAVAILABLE after the retries, then the whole service after the approval', async () => {
    let attempts = 0;
    const person = { personalId: '001090001234', fullName: 'Lê Thị B', dateOfBirth: '1990-02-02', sex: 'FEMALE' };
    const t = engine({
      RunIdentityCheck: (e) => {
        attempts++;
        if (!e.approval) throw Object.assign(new Error('registry timed out'), { name: 'RegistryUnavailable' });
        return passed({ person });
      },
      LoadContributionHistory: () => ({ periods: [{ from: '2019-01', to: '2025-12' }], settlements: [], lastEmployer: { code: 'CTY-A' } }),
      CheckLastEmployer: () => ({ ok: true }),
      ComputeUnemploymentHistory: () => ({ eligible: true }), // → $.assessment
      RecordUnemploymentHistory: () => ({ confirmed: true }),
      CheckLumpSumEligibility: () => ({ ok: true, eligibility: { rule: 'ONE_YEAR_GAP' } }),
      ComputeLumpSumAmount: () => ({ amount: 78_384_375 }),
      SettleLumpSum: (e) => ({ ok: true, paid: e.amount.amount, to: e.person.personalId }),
    });
    const { executionArn } = t.local.startExecution({
      stateMachineArn: t.local.stateMachineArn(machine),
      input: JSON.stringify({ ...base, service, applicationId: `A-${service}`, applicant: person, ...extra }),
    });
    const review = await t.nextReview(1);
    expect(review).toMatchObject({ reasonCode: 'REGISTRY_UNAVAILABLE', subjectRole: 'APPLICANT', registrySnapshot: null });
    expect(attempts).toBe(4); // the first attempt and the Express part's 3 registry retries
    t.local.sendTaskSuccess(review.taskToken, JSON.stringify({ decision: 'APPROVE', reviewItemId: 'RV-1', corrections: {} }));
    const done = await t.local.waitForExecution(executionArn, 5_000);
    expect(done.status).toBe('SUCCEEDED');
    expect(t.outcomes).toEqual([]);
    if (machine === 'LumpSumWithdrawal') {
      const settle = t.calls.find((c) => c.name === 'SettleLumpSum')!;
      expect(settle.event).toMatchObject({ applicationId: `A-${service}`, person, eligibility: { rule: 'ONE_YEAR_GAP' }, amount: { amount: 78_384_375 } });
    } else {
      expect(t.calls.filter((c) => c.name === 'RecordUnemploymentHistory')).toHaveLength(1);
    }
    // The identity check ran 4 times in round 1 and once with the decision, never in round 2.
    expect(attempts).toBe(5);
  });
});

describe('household renewal: the identity check throttled (its reserved concurrency full)', () => {
  it('after the retries the application waits in review as REGISTRY_UNAVAILABLE, never FAILED', async () => {
    let attempts = 0;
    const t = engine({
      RunIdentityCheck: () => {
        attempts++;
        throw Object.assign(new Error('Rate Exceeded.'), { name: 'Lambda.TooManyRequestsException' });
      },
      PlanRegistryRetry: () => ({ retry: false, attempt: 0, since: '2026-11-22T02:00:00.000Z', until: '2026-11-22T02:00:00.000Z' }),
    });
    const { executionArn } = t.local.startExecution({ stateMachineArn: t.local.stateMachineArn('HouseholdRenewal'), input: JSON.stringify({ ...base, applicationId: 'HR-THROTTLED', head, periodMonths: 12 }) });
    const review = await t.nextReview(1);
    expect(review).toMatchObject({ applicationId: 'HR-THROTTLED', reasonCode: 'REGISTRY_UNAVAILABLE', checkKind: 'PERSON' });
    expect(attempts).toBe(5); // the first attempt and the 4 retries of the Lambda back-off
    expect(t.outcomes).toEqual([]);
    t.local.stopExecution(executionArn);
  });
});

describe('registry unreachable: the Standard parent waits with back-off before a person is asked', () => {
  it('retries on the planned schedule, and goes on without review once the registry answers', async () => {
    let checks = 0;
    const plans: Json[] = [];
    const t = engine({
      RunIdentityCheck: (e) => {
        checks++;
        if (checks <= 4) throw Object.assign(new Error('HTTP 503'), { name: 'RegistryUnavailable' });
        return e.checkKind === 'PERSON' ? passed({ person: head }) : passed({ householdId: 'HH-1', members: [head] });
      },
      PlanRegistryRetry: (e) => {
        plans.push(e.registryWait);
        const attempt = e.registryWait.attempt + 1;
        return { retry: true, attempt, since: '2026-11-22T02:00:00.000Z', delaySeconds: 0, nextAttemptAt: '2026-11-22T02:01:00.000Z', until: '2026-11-22T08:00:00.000Z' };
      },
      ClassifyHouseholdMembers: (e) => ({ billable: e.members, excluded: [] }),
      PriceHouseholdRenewal: () => ({ total: 1_366_200 }),
      AwaitHouseholdPayment: () => null,
    });
    const { executionArn } = t.local.startExecution({
      stateMachineArn: t.local.stateMachineArn('HouseholdRenewal'),
      input: JSON.stringify({ ...base, applicationId: 'HR-OUTAGE', head, periodMonths: 12 }),
    });
    await t.local.waitForState(executionArn, 'AwaitPayment', { timeoutMs: 5_000 });
    // The Express part's own 3 quick retries (4 checks), then one plan, one wait; the next round passes.
    expect(plans).toEqual([{ attempt: 0, since: null }]);
    expect(checks).toBe(6); // 4 failed + the head + the members
    expect(t.reviews).toEqual([]);
    const names = t.local.getExecutionHistory(executionArn).filter((ev: any) => ev.type === 'StateEntered').map((ev: any) => ev.state.name);
    expect(names.filter((n: string) => n === 'WaitForRegistry')).toHaveLength(1);
    t.local.stopExecution(executionArn);
  });

  it('opens the REGISTRY_UNAVAILABLE review item when the plan says the window is spent', async () => {
    const t = engine({
      RunIdentityCheck: () => {
        throw Object.assign(new Error('HTTP 503'), { name: 'RegistryUnavailable' });
      },
      PlanRegistryRetry: (e) =>
        e.registryWait.attempt < 2
          ? { retry: true, attempt: e.registryWait.attempt + 1, since: '2026-11-22T02:00:00.000Z', delaySeconds: 0, nextAttemptAt: '2026-11-22T02:01:00.000Z', until: '2026-11-22T08:00:00.000Z' }
          : { retry: false, attempt: 2, since: '2026-11-22T02:00:00.000Z', until: '2026-11-22T08:00:00.000Z' },
    });
    const { executionArn } = t.local.startExecution({
      stateMachineArn: t.local.stateMachineArn('UnemploymentHistory'),
      input: JSON.stringify({ ...base, service: 'UNEMPLOYMENT_HISTORY', applicationId: 'UI-OUTAGE', applicant: head, terminationDate: '2026-10-31', contractType: 'INDEFINITE', requestingCentre: 'TTDVVL-79' }),
    });
    const review = await t.nextReview(1);
    expect(review).toMatchObject({ applicationId: 'UI-OUTAGE', reasonCode: 'REGISTRY_UNAVAILABLE' });
    expect(t.calls.filter((c) => c.name === 'PlanRegistryRetry').map((c) => c.event.registryWait.attempt)).toEqual([0, 1, 2]);
    t.local.stopExecution(executionArn);
  });
});

describe('lump sum: the coefficient table of the settlement year is missing', () => {
  it('the Express part hands over WAITING_FOR_RULE_DATA; the Standard ComputeAmount waits, then settles the amount it computed', async () => {
    let computes = 0;
    const person = { personalId: '001090001234', fullName: 'Lê Thị B', dateOfBirth: '1990-02-02', sex: 'FEMALE' };
    const t = engine({
      RunIdentityCheck: () => passed({ person }),
      LoadContributionHistory: () => ({ periods: [], settlements: [{ settledThrough: '2019-05' }] }),
      CheckLumpSumEligibility: () => ({ ok: true, eligibility: { rule: 'ONE_YEAR_GAP' } }),
      ComputeLumpSumAmount: (e) => {
        computes++;
        if (computes < 3) throw Object.assign(new Error('no 2027 table'), { name: 'RuleDataUnavailable' });
        return { amount: 135_040_000, settlements: e.settlements };
      },
      SettleLumpSum: (e) => ({ ok: true, paid: e.amount.amount }),
    });
    const { executionArn } = t.local.startExecution({
      stateMachineArn: t.local.stateMachineArn('LumpSumWithdrawal'),
      input: JSON.stringify({ ...base, service: 'LUMP_SUM_WITHDRAWAL', applicationId: 'LS-WAIT', applicant: person, applicationDate: '2027-01-04', reason: 'ONE_YEAR_GAP', evidence: {} }),
    });
    const done = await t.local.waitForExecution(executionArn, 5_000);
    expect(done.status).toBe('SUCCEEDED');
    expect(computes).toBe(3); // once in the Express part, then the Standard retries until the table is there
    const settle = t.calls.find((c) => c.name === 'SettleLumpSum')!;
    expect(settle.event.amount).toEqual({ amount: 135_040_000, settlements: [{ settledThrough: '2019-05' }] });
    expect(t.outcomes).toEqual([]);
  });
});
