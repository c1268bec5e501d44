/**
 * The local Step Functions engine and its AWS-compatible endpoint: small ASL definitions written here, handlers
 * injected, and the real SFNClient talking to sfnServer for the callback (task token) API.
 */
import '../../local/stepFunctions/polyfills';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
} from '@aws-sdk/client-sfn';
import { LocalStepFunctions, type ExecutionStatusChangeEvent, type LambdaHandler } from '../../local/stepFunctions/localStepFunctions';
import { startSfnServer, type SfnServer } from '../../local/stepFunctions/sfnServer';
import { workflowSpecs } from '../../functions/catalog';

const REGION = 'ap-southeast-1';
const ACCOUNT = '000000000000';
const arn = (name: string) => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;

const waitPayloads: Record<string, any>[] = [];
let flakyCalls = 0;

const handlers: Record<string, LambdaHandler> = {
  Double: async (event: { n: number }) => ({ doubled: event.n * 2 }),
  Flaky: async () => {
    flakyCalls += 1;
    if (flakyCalls < 3) throw Object.assign(new Error(`attempt ${flakyCalls} failed`), { name: 'TransientError' });
    return { attempts: flakyCalls };
  },
  Boom: async () => {
    throw Object.assign(new Error('Nobody left to bill'), { name: 'NoBillableMembers' });
  },
  RecordWait: async (payload: Record<string, any>) => {
    waitPayloads.push(payload);
    if (payload.failOpen) throw Object.assign(new Error('could not open'), { name: 'OpenFailed' });
    return { recorded: true };
  },
};

const retry = { ErrorEquals: ['TransientError'], IntervalSeconds: 30, MaxAttempts: 3, BackoffRate: 2 };

const workflows = [
  {
    name: 'Simple',
    definition: {
      StartAt: 'Double',
      States: {
        Double: { Type: 'Task', Resource: '${DoubleFunctionArn}', Parameters: { 'n.$': '$.n' }, ResultPath: '$.result', End: true },
      },
    },
  },
  {
    name: 'Retrying',
    definition: {
      StartAt: 'Flaky',
      States: { Flaky: { Type: 'Task', Resource: '${FlakyFunctionArn}', Retry: [retry], End: true } },
    },
  },
  {
    name: 'Catching',
    definition: {
      StartAt: 'Price',
      States: {
        Price: {
          Type: 'Task',
          Resource: '${BoomFunctionArn}',
          Catch: [{ ErrorEquals: ['NoBillableMembers'], ResultPath: '$.error', Next: 'NoBillable' }],
          Next: 'Priced',
        },
        Priced: { Type: 'Succeed' },
        NoBillable: { Type: 'Pass', Parameters: { 'outcome': 'REJECTED', 'error.$': '$.error' }, End: true },
      },
    },
  },
  {
    name: 'Waiting',
    definition: {
      StartAt: 'AwaitPayment',
      States: {
        AwaitPayment: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: {
            FunctionName: '${RecordWaitFunctionArn}',
            Payload: { 'id.$': '$.id', 'failOpen.$': '$.failOpen', 'taskToken.$': '$$.Task.Token' },
          },
          TimeoutSecondsPath: '$.timeoutSeconds',
          ResultPath: '$.payment',
          Catch: [
            { ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'Expired' },
            { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' },
          ],
          Next: 'Paid',
        },
        Paid: { Type: 'Pass', Parameters: { 'outcome': 'PAID', 'payment.$': '$.payment' }, End: true },
        Expired: { Type: 'Pass', Parameters: { 'outcome': 'EXPIRED', 'error.$': '$.error' }, End: true },
        Failed: { Type: 'Pass', Parameters: { 'outcome': 'FAILED', 'error.$': '$.error' }, End: true },
      },
    },
  },
  {
    name: 'Greet',
    definition: {
      StartAt: 'Choose',
      States: {
        Choose: { Type: 'Choice', Choices: [{ Variable: '$.name', StringEquals: 'fail', Next: 'Fail' }], Default: 'Greet' },
        Greet: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('Xin chào {}', $.name)" }, End: true },
        Fail: { Type: 'Fail', Error: 'GreetingRefused', Cause: 'no greeting for you' },
      },
    },
  },
  {
    name: 'Parent',
    definition: {
      StartAt: 'CallChild',
      States: {
        CallChild: {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.sync:2',
          Parameters: {
            StateMachineArn: '${GreetStateMachineArn}',
            Input: { 'name.$': '$.name', 'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$': '$$.Execution.Id' },
          },
          ResultSelector: { 'greeting.$': '$.Output.greeting', 'childArn.$': '$.ExecutionArn' },
          ResultPath: '$.child',
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'ChildFailed' }],
          End: true,
        },
        ChildFailed: { Type: 'Pass', End: true },
      },
    },
  },
  {
    name: 'WaitingParent',
    definition: {
      StartAt: 'Nested',
      States: {
        Nested: {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.sync:2',
          Parameters: { StateMachineArn: '${WaitingStateMachineArn}', 'Input.$': '$' },
          ResultSelector: { 'outcome.$': '$.Output.outcome' },
          End: true,
        },
      },
    },
  },
];

let engine: LocalStepFunctions;
let server: SfnServer;
let sfn: SFNClient;

beforeAll(async () => {
  engine = new LocalStepFunctions({ region: REGION, accountId: ACCOUNT, retryIntervalMs: 5, workflows, handlers, logger: {} });
  server = await startSfnServer(engine, { port: 0 });
  sfn = new SFNClient({
    endpoint: server.url,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  sfn?.destroy();
  await server?.stop();
});

async function run(name: string, input: unknown) {
  const { executionArn } = engine.startExecution({ stateMachineArn: arn(name), input: JSON.stringify(input) });
  const result = await engine.waitForExecution(executionArn, 10_000);
  return { ...result, outputJson: result.output ? JSON.parse(result.output) : undefined };
}

async function nextWaitPayload(id: string) {
  for (let i = 0; i < 200; i++) {
    const found = waitPayloads.find((p) => p.id === id);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no wait payload for ${id}`);
}

describe('LocalStepFunctions', () => {
  it('loads the real workflows of the catalog with every Task bound', () => {
    const real = new LocalStepFunctions({ loadHandler: async () => async () => ({}) });
    expect(real.listStateMachines().map((m) => m.name).sort()).toEqual(Object.keys(workflowSpecs).sort());
    expect(Object.keys(workflowSpecs)).toEqual(expect.arrayContaining(['HouseholdRenewal', 'IdentityVerification', 'UnemploymentHistory', 'LumpSumWithdrawal']));
  });

  it('runs a Lambda task with the effective input and the result at ResultPath', async () => {
    const result = await run('Simple', { n: 21, keep: 'yes' });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.outputJson).toEqual({ n: 21, keep: 'yes', result: { doubled: 42 } });
  });

  it('retries an error named TransientError with the overridden (fast) interval', async () => {
    flakyCalls = 0;
    const started = Date.now();
    const result = await run('Retrying', {});
    expect(result.status).toBe('SUCCEEDED');
    expect(result.outputJson).toEqual({ attempts: 3 });
    expect(Date.now() - started).toBeLessThan(2_000); // IntervalSeconds is 30 in the ASL
    const history = engine.getExecutionHistory(result.executionArn);
    expect(history.filter((e) => e.type === 'StateRetried')).toHaveLength(2);
  });

  it('catches a thrown error by its name, with the message as the cause', async () => {
    const result = await run('Catching', { applicationId: 'A1' });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.outputJson).toEqual({ outcome: 'REJECTED', error: { Error: 'NoBillableMembers', Cause: 'Nobody left to bill' } });
  });

  it('waitForTaskToken: the handler gets a fresh token; SendTaskSuccess over the real SFNClient resumes the workflow', async () => {
    const start = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn('Waiting'), name: 'wait-success', input: JSON.stringify({ id: 'w1', failOpen: false, timeoutSeconds: 60 }) }),
    );
    expect(start.executionArn).toBe(`arn:aws:states:${REGION}:${ACCOUNT}:execution:Waiting:wait-success`);
    expect(start.startDate).toBeInstanceOf(Date);
    const payload = await nextWaitPayload('w1');
    expect(payload.taskToken).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(payload.taskToken).not.toContain('LOCAL_TASK_TOKEN');
    expect(engine.pendingTaskCount()).toBeGreaterThanOrEqual(1);

    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: payload.taskToken }));
    await sfn.send(new SendTaskSuccessCommand({ taskToken: payload.taskToken, output: JSON.stringify({ paymentReference: 'PAY-1', amount: 1_134_000 }) }));
    const done = await engine.waitForExecution(start.executionArn!, 5_000);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ outcome: 'PAID', payment: { paymentReference: 'PAY-1', amount: 1_134_000 } });

    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: start.executionArn }));
    expect(described.status).toBe('SUCCEEDED');
    expect(described.name).toBe('wait-success');
    expect(described.stopDate).toBeInstanceOf(Date);
    expect(JSON.parse(described.output!).outcome).toBe('PAID');

    // A token already answered cannot be used again.
    const again = await sfn.send(new SendTaskSuccessCommand({ taskToken: payload.taskToken, output: '{}' })).catch((e: Error) => e);
    expect((again as Error).name).toBe('InvalidToken');

    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: start.executionArn }));
    const types = history.events!.map((e) => e.type);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types).toContain('TaskStateEntered');
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    expect(JSON.stringify(history.events)).not.toContain(payload.taskToken);
  });

  it('SendTaskFailure fails the Task with that error and cause (caught)', async () => {
    const { executionArn } = engine.startExecution({ stateMachineArn: arn('Waiting'), input: JSON.stringify({ id: 'w2', failOpen: false, timeoutSeconds: 60 }) });
    await engine.waitForState(executionArn, 'AwaitPayment');
    const payload = await nextWaitPayload('w2');
    await sfn.send(new SendTaskFailureCommand({ taskToken: payload.taskToken, error: 'PaymentDeclined', cause: 'card refused' }));
    const done = await engine.waitForExecution(executionArn, 5_000);
    expect(JSON.parse(done.output!)).toEqual({ outcome: 'FAILED', error: { Error: 'PaymentDeclined', Cause: 'card refused' } });
  });

  it('a handler error in a waitForTaskToken task fails the Task and drops its token', async () => {
    const { executionArn } = engine.startExecution({ stateMachineArn: arn('Waiting'), input: JSON.stringify({ id: 'w3', failOpen: true, timeoutSeconds: 60 }) });
    const done = await engine.waitForExecution(executionArn, 5_000);
    expect(JSON.parse(done.output!)).toEqual({ outcome: 'FAILED', error: { Error: 'OpenFailed', Cause: 'could not open' } });
    const payload = await nextWaitPayload('w3');
    const late = await sfn.send(new SendTaskSuccessCommand({ taskToken: payload.taskToken, output: '{}' })).catch((e: Error) => e);
    expect((late as Error).name).toBe('TaskTimedOut');
  });

  it('TimeoutSecondsPath (read from the state input) expires: States.Timeout is caught and the token is dead', async () => {
    const { executionArn } = engine.startExecution({ stateMachineArn: arn('Waiting'), input: JSON.stringify({ id: 'w4', failOpen: false, timeoutSeconds: 1 }) });
    const payload = await nextWaitPayload('w4');
    const done = await engine.waitForExecution(executionArn, 5_000);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!).outcome).toBe('EXPIRED');
    expect(JSON.parse(done.output!).error.Error).toBe('States.Timeout');
    const late = await sfn.send(new SendTaskSuccessCommand({ taskToken: payload.taskToken, output: '{}' })).catch((e: Error) => e);
    expect((late as Error).name).toBe('TaskTimedOut');
  });

  it('an unknown token is TaskDoesNotExist on the client (the modelled exception)', async () => {
    const error = await sfn
      .send(new SendTaskSuccessCommand({ taskToken: 'x'.repeat(64), output: '{}' }))
      .catch((e: Error) => e);
    expect((error as Error).name).toBe('TaskDoesNotExist');
    expect(error).toBeInstanceOf(TaskDoesNotExist);
    expect((error as TaskDoesNotExist).$metadata.httpStatusCode).toBe(400);
  });

  it('startExecution.sync:2 runs the child and its parsed Output is visible through ResultSelector', async () => {
    const result = await run('Parent', { name: 'Lan' });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.outputJson.child.greeting).toBe('Xin chào Lan');
    const child = engine.describeExecution(result.outputJson.child.childArn);
    expect(child.status).toBe('SUCCEEDED');
    expect(child.parentExecutionArn).toBe(result.executionArn);
    expect(JSON.parse(child.input).AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID).toBe(result.executionArn);
  });

  it('a failed child fails the parent Task with States.TaskFailed carrying the child error and cause', async () => {
    const result = await run('Parent', { name: 'fail' });
    expect(result.outputJson.error.Error).toBe('States.TaskFailed');
    const cause = JSON.parse(result.outputJson.error.Cause);
    expect(cause).toMatchObject({ Status: 'FAILED', Error: 'GreetingRefused', Cause: 'no greeting for you' });
  });

  it('waitForState sees states of child executions; stopping the parent stops the child and kills its token', async () => {
    const { executionArn } = engine.startExecution({ stateMachineArn: arn('WaitingParent'), input: JSON.stringify({ id: 'w5', failOpen: false, timeoutSeconds: 60 }) });
    const reached = await engine.waitForState(executionArn, 'AwaitPayment');
    expect(reached.executionArn).toContain(':execution:Waiting:');
    const payload = await nextWaitPayload('w5');
    await sfn.send(new StopExecutionCommand({ executionArn, error: 'Cancelled', cause: 'test' }));
    expect(engine.describeExecution(executionArn)).toMatchObject({ status: 'ABORTED', error: 'Cancelled' });
    expect(engine.describeExecution(reached.executionArn).status).toBe('ABORTED');
    const late = await sfn.send(new SendTaskSuccessCommand({ taskToken: payload.taskToken, output: '{}' })).catch((e: Error) => e);
    expect((late as Error).name).toBe('TaskTimedOut');
  });

  it('startExecution by name is idempotent while running with the same input; otherwise ExecutionAlreadyExists', async () => {
    const input = JSON.stringify({ id: 'w6', failOpen: false, timeoutSeconds: 60 });
    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn('Waiting'), name: 'app-123', input }));
    const second = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn('Waiting'), name: 'app-123', input }));
    expect(second.executionArn).toBe(first.executionArn);
    expect(second.startDate!.getTime()).toBe(first.startDate!.getTime());
    const different = await sfn
      .send(new StartExecutionCommand({ stateMachineArn: arn('Waiting'), name: 'app-123', input: JSON.stringify({ id: 'other' }) }))
      .catch((e: Error) => e);
    expect((different as Error).name).toBe('ExecutionAlreadyExists');

    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn('Waiting'), statusFilter: 'RUNNING' }));
    expect(listed.executions!.map((e) => e.name)).toContain('app-123');

    const payload = await nextWaitPayload('w6');
    engine.sendTaskSuccess(payload.taskToken, '{"paymentReference":"P"}');
    await engine.waitForExecution(first.executionArn!, 5_000);
    const afterEnd = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn('Waiting'), name: 'app-123', input })).catch((e: Error) => e);
    expect((afterEnd as Error).name).toBe('ExecutionAlreadyExists');
  });

  it('answers the AWS error names for unknown executions, machines and bad output', async () => {
    const missing = await sfn
      .send(new DescribeExecutionCommand({ executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:Waiting:nope` }))
      .catch((e: Error) => e);
    expect((missing as Error).name).toBe('ExecutionDoesNotExist');
    const noMachine = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn('Nope'), input: '{}' })).catch((e: Error) => e);
    expect((noMachine as Error).name).toBe('StateMachineDoesNotExist');
    const badInput = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn('Simple'), input: '{not json' })).catch((e: Error) => e);
    expect((badInput as Error).name).toBe('InvalidExecutionInput');

    const { executionArn } = engine.startExecution({ stateMachineArn: arn('Waiting'), input: JSON.stringify({ id: 'w7', failOpen: false, timeoutSeconds: 60 }) });
    const payload = await nextWaitPayload('w7');
    const badOutput = await sfn.send(new SendTaskSuccessCommand({ taskToken: payload.taskToken, output: 'not json' })).catch((e: Error) => e);
    expect((badOutput as Error).name).toBe('InvalidOutput');
    engine.stopExecution(executionArn);
  });

  it('runs the real IdentityVerification ASL: review wait bounded by the planned window, resumed with a decision', async () => {
    const openPayloads: Record<string, any>[] = [];
    let checks = 0;
    const real = new LocalStepFunctions({
      retryIntervalMs: 5,
      logger: {},
      loadHandler: async () => {
        throw new Error('no catalog handler should be loaded in this test');
      },
      handlers: {
        RunIdentityCheck: async (req: { approval: unknown }) => {
          checks += 1;
          return req.approval
            ? { outcome: 'PASSED', reasonCode: null, verifiedBy: 'STAFF', result: { person: { ok: true } }, registrySnapshot: null }
            : { outcome: 'NEEDS_REVIEW', reasonCode: 'NAME_MISMATCH', verifiedBy: null, result: null, registrySnapshot: { x: 1 } };
        },
        PlanReviewWindow: async (req: { reviewTimeoutSeconds: number }) => ({
          basis: 'STACK_TIMEOUT', dueAt: '2026-06-08T03:00:00.000Z', targetAt: '2026-06-08T01:00:00.000Z', timeoutSeconds: req.reviewTimeoutSeconds - 1,
        }),
        OpenReviewItem: async (payload: Record<string, any>) => {
          openPayloads.push(payload);
          return { itemId: 'item-1' };
        },
      },
    });
    const { executionArn } = real.startExecution({
      stateMachineArn: real.stateMachineArn('IdentityVerification'),
      input: JSON.stringify({
        applicationId: 'A1',
        service: 'HOUSEHOLD_RENEWAL',
        provinceCode: '79',
        checkKind: 'PERSON',
        subjectRole: 'HEAD_OF_HOUSEHOLD',
        subject: { personalId: '079203001234', fullName: 'Nguyễn Văn A' },
        context: {},
        // The check that did not pass (run by the service's Express part): the review starts from it.
        check: { outcome: 'NEEDS_REVIEW', reasonCode: 'NAME_MISMATCH', verifiedBy: null, result: null, registrySnapshot: { x: 1 } },
        reviewTimeoutSeconds: 432000,
      }),
    });
    await real.waitForState(executionArn, 'OpenReview');
    for (let i = 0; i < 100 && openPayloads.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(openPayloads[0]).toMatchObject({
      applicationId: 'A1', reasonCode: 'NAME_MISMATCH', reviewTimeoutSeconds: 432000, context: {},
      reviewWindow: { dueAt: '2026-06-08T03:00:00.000Z', timeoutSeconds: 431999 },
    });
    expect(openPayloads[0]).not.toHaveProperty('__localTimeoutSeconds');
    real.sendTaskSuccess(openPayloads[0].taskToken, JSON.stringify({ decision: 'APPROVE', corrections: {} }));
    const done = await real.waitForExecution(executionArn, 5_000);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toMatchObject({ outcome: 'VERIFIED', verifiedBy: 'STAFF' });
    expect(checks).toBe(1); // only the re-check with the decision
    expect(openPayloads[0].registrySnapshot).toEqual({ x: 1 });
  });

  it('runs the real HouseholdRenewal ASL end to end with fake handlers: the Express part, payment wait, renewal', async () => {
    const calls: string[] = [];
    const awaitPayloads: Record<string, any>[] = [];
    const outcomes: Record<string, any>[] = [];
    const fake = (name: string, fn: (e: any) => unknown): LambdaHandler => async (e: any) => {
      calls.push(name);
      return fn(e);
    };
    const real = new LocalStepFunctions({
      retryIntervalMs: 5,
      logger: {},
      handlers: {
        RunIdentityCheck: fake('RunIdentityCheck', (req) =>
          req.checkKind === 'PERSON'
            ? { outcome: 'PASSED', reasonCode: null, verifiedBy: 'REGISTRY', result: { person: req.subject }, registrySnapshot: null }
            : { outcome: 'PASSED', reasonCode: null, verifiedBy: 'REGISTRY', result: { householdId: 'HH-1', members: [req.subject] }, registrySnapshot: null },
        ),
        ClassifyHouseholdMembers: fake('ClassifyHouseholdMembers', (e) => ({ billable: e.members })),
        PriceHouseholdRenewal: fake('PriceHouseholdRenewal', () => ({ total: 1_134_000 })),
        AwaitHouseholdPayment: fake('AwaitHouseholdPayment', (e) => {
          awaitPayloads.push(e);
          return null;
        }),
        RecordOutcome: fake('RecordOutcome', (e) => {
          outcomes.push(e);
          return null;
        }),
      },
    });
    const input = (applicationId: string, paymentTimeoutSeconds: number) =>
      JSON.stringify({
        applicationId,
        service: 'HOUSEHOLD_RENEWAL',
        provinceCode: '79',
        head: { personalId: '079203001234', fullName: 'Nguyễn Văn A', dateOfBirth: '2003-01-01', sex: 'MALE' },
        periodMonths: 12,
        reviewTimeoutSeconds: 3600,
        paymentTimeoutSeconds,
      });
    const machine = real.stateMachineArn('HouseholdRenewal');

    const paid = real.startExecution({ stateMachineArn: machine, name: 'APP-PAID', input: input('APP-PAID', 3600) });
    await real.waitForState(paid.executionArn, 'AwaitPayment');
    for (let i = 0; i < 100 && awaitPayloads.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(awaitPayloads[0]).toMatchObject({ applicationId: 'APP-PAID', quote: expect.anything(), paymentTimeoutSeconds: 3600 });
    real.sendTaskSuccess(awaitPayloads[0].taskToken, JSON.stringify({ paymentReference: 'PAY-9', amount: 1_134_000 }));
    const done = await real.waitForExecution(paid.executionArn, 5_000);
    expect(done.status).toBe('SUCCEEDED');
    expect(calls).toEqual([
      'RunIdentityCheck',
      'RunIdentityCheck',
      'ClassifyHouseholdMembers',
      'PriceHouseholdRenewal',
      'AwaitHouseholdPayment',
    ]);
    // The checks ran in one Express child; no review was needed, so no IdentityVerification execution.
    expect(real.listExecutions(real.stateMachineArn('HouseholdRenewalPrepare'))).toHaveLength(1);
    expect(real.stateMachineType(real.stateMachineArn('HouseholdRenewalPrepare'))).toBe('EXPRESS');
    expect(real.listExecutions(real.stateMachineArn('IdentityVerification'))).toHaveLength(0);

    const unpaid = real.startExecution({ stateMachineArn: machine, name: 'APP-UNPAID', input: input('APP-UNPAID', 1) });
    const expired = await real.waitForExecution(unpaid.executionArn, 5_000);
    expect(expired.status).toBe('SUCCEEDED');
    expect(outcomes).toEqual([{ applicationId: 'APP-UNPAID', status: 'EXPIRED', reasonCode: 'PAYMENT_NOT_RECEIVED', reason: null, unlessPaid: true }]);
    expect(real.pendingTaskCount()).toBe(0);
  });
});

describe('Express workflows', () => {
  it('refuses an Express definition with a callback wait or a .sync Task, as AWS does at creation', () => {
    const waiting = {
      StartAt: 'Wait',
      States: { Wait: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'X', Payload: { 't.$': '$$.Task.Token' } }, TimeoutSeconds: 5, End: true } },
    };
    expect(() => new LocalStepFunctions({ logger: {}, workflows: [{ name: 'Quick', type: 'EXPRESS', definition: waiting }] })).toThrow(/Express workflows do not support/);
    expect(() => new LocalStepFunctions({ logger: {}, workflows: [{ name: 'Slow', type: 'STANDARD', definition: waiting }] })).not.toThrow();
  });
});

describe('execution status change events (EventBridge "Step Functions Execution Status Change")', () => {
  it('emits one event per ended execution, in the EventBridge envelope, asynchronously; a failing subscriber is only logged', async () => {
    const errors: { message: string; data?: Record<string, unknown> }[] = [];
    const local = new LocalStepFunctions({
      region: REGION,
      accountId: ACCOUNT,
      retryIntervalMs: 5,
      workflows,
      handlers,
      logger: { error: (message, data) => errors.push({ message, data }) },
    });
    const seen: ExecutionStatusChangeEvent[] = [];
    local.onExecutionEnded(() => {
      throw Object.assign(new Error('subscriber broke'), { name: 'Boom' });
    });
    const unsubscribe = local.onExecutionEnded((e) => void seen.push(e));

    const ok = local.startExecution({ stateMachineArn: arn('Simple'), name: 'ok-1', input: JSON.stringify({ n: 2 }) });
    const refused = local.startExecution({ stateMachineArn: arn('Greet'), name: 'greet-1', input: JSON.stringify({ name: 'fail' }) });
    const waiting = local.startExecution({
      stateMachineArn: arn('Waiting'),
      name: 'wait-1',
      input: JSON.stringify({ id: 'ev-1', failOpen: false, timeoutSeconds: 60 }),
    });
    await local.waitForExecution(ok.executionArn);
    await local.waitForExecution(refused.executionArn);
    await nextWaitPayload('ev-1');
    const before = seen.length;
    local.stopExecution(waiting.executionArn, { error: 'Operator', cause: 'maintenance' });
    expect(seen.length).toBe(before); // delivered later, never inside the engine's call
    await local.waitForExecution(waiting.executionArn);
    await local.eventsDelivered();

    const byArn = (a: string) => seen.filter((e) => e.detail.executionArn === a);
    expect(byArn(ok.executionArn)).toHaveLength(1);
    expect(byArn(waiting.executionArn)).toHaveLength(1); // the engine's own abort afterwards emits nothing more
    expect(byArn(ok.executionArn)[0]).toMatchObject({
      version: '0',
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account: ACCOUNT,
      region: REGION,
      resources: [ok.executionArn],
      detail: {
        executionArn: ok.executionArn,
        stateMachineArn: arn('Simple'),
        name: 'ok-1',
        status: 'SUCCEEDED',
        startDate: ok.startDate.getTime(),
        stopDate: expect.any(Number),
        input: JSON.stringify({ n: 2 }),
        output: JSON.stringify({ n: 2, result: { doubled: 4 } }),
        error: null,
        cause: null,
      },
    });
    expect(byArn(refused.executionArn)[0].detail).toMatchObject({ status: 'FAILED', error: 'GreetingRefused', cause: 'no greeting for you', output: null });
    expect(byArn(waiting.executionArn)[0].detail).toMatchObject({ status: 'ABORTED', error: 'Operator', cause: 'maintenance' });
    expect(byArn(waiting.executionArn)[0].time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // Every delivery to the failing subscriber was logged; the engine and the other subscriber went on.
    expect(errors.filter((e) => e.message === 'Execution status change subscriber failed')).toHaveLength(3);
    expect(errors[0].data).toMatchObject({ error: 'Boom', message: 'subscriber broke' });

    unsubscribe();
    await run('Simple', { n: 1 }); // the shared engine: unrelated
    const again = local.startExecution({ stateMachineArn: arn('Simple'), input: JSON.stringify({ n: 3 }) });
    await local.waitForExecution(again.executionArn);
    await local.eventsDelivered();
    expect(byArn(again.executionArn)).toHaveLength(0);
  });

  it('a stopped parent and its nested child each emit their own event', async () => {
    const local = new LocalStepFunctions({ region: REGION, accountId: ACCOUNT, retryIntervalMs: 5, workflows, handlers, logger: {} });
    const seen: ExecutionStatusChangeEvent[] = [];
    local.onExecutionEnded((e) => void seen.push(e));
    const parent = local.startExecution({
      stateMachineArn: arn('WaitingParent'),
      name: 'parent-1',
      input: JSON.stringify({ id: 'ev-2', failOpen: false, timeoutSeconds: 60 }),
    });
    await nextWaitPayload('ev-2');
    local.stopExecution(parent.executionArn);
    await local.waitForExecution(parent.executionArn);
    await local.eventsDelivered();
    const child = seen.find((e) => e.detail.stateMachineArn === arn('Waiting'))!;
    expect(seen.filter((e) => e.detail.executionArn === parent.executionArn).map((e) => e.detail.status)).toEqual(['ABORTED']);
    expect(child.detail).toMatchObject({ status: 'ABORTED', error: 'States.Aborted', cause: 'The parent execution ended' });
    expect(child.detail.name).not.toBe('parent-1');
  });
});
