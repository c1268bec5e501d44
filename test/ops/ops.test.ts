/**
 * `npm run ops -- failed | redrive` against the local engine through its Step Functions API (the same SFNClient
 * calls as against AWS): a Standard execution that fails in a step is listed with its reason (personal IDs
 * masked) and, once the cause is gone, redriven: it runs again from the failed state only, the states before it
 * are not run twice, and it ends SUCCEEDED with RedriveCount 1. A running or succeeded one is refused.
 */
import '../../local/stepFunctions/polyfills';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalStepFunctions } from '../../local/stepFunctions/localStepFunctions';
import { startSfnServer, type SfnServer } from '../../local/stepFunctions/sfnServer';
import { listFailedExecutions, main, redriveExecutions, stateMachineArns, STANDARD_WORKFLOWS } from '../../ops/ops';

const calls: Record<string, number> = { Prepare: 0, Record: 0 };
let recordFails = true;

const definition = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Task', Resource: '${PrepareFunctionArn}', ResultPath: '$.prepared', Next: 'Record' },
    Record: { Type: 'Task', Resource: '${RecordFunctionArn}', ResultPath: '$.recorded', End: true },
  },
};

let engine: LocalStepFunctions;
let server: SfnServer;
let sfn: SFNClient;
const lines: string[] = [];

beforeAll(async () => {
  engine = new LocalStepFunctions({
    logger: { warn: () => {}, error: () => {} },
    // The province's Standard workflows by their names (the CLI lists them all); the same small definition each.
    workflows: STANDARD_WORKFLOWS.map((name) => ({ name, type: 'STANDARD' as const, definition })),
    handlers: {
      Prepare: async () => {
        calls.Prepare++;
        return { ok: true };
      },
      Record: async (event: unknown) => {
        calls.Record++;
        if (recordFails) throw Object.assign(new Error('table unavailable while writing 079085001234'), { name: 'ProvisionedThroughputExceeded' });
        return { recorded: (event as { prepared: unknown }).prepared };
      },
    },
  });
  server = await startSfnServer(engine);
  sfn = new SFNClient({ region: 'ap-southeast-1', endpoint: server.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});

afterAll(async () => {
  await server?.stop();
});

describe('ops', () => {
  it('lists the failed execution with its reason, masked, and redrives it from the failed state', async () => {
    const machines = { HouseholdRenewal: stateMachineArns({ province: '79' }).HouseholdRenewal! };
    const { executionArn } = engine.startExecution({ stateMachineArn: machines.HouseholdRenewal, name: 'HR-OPS-1', input: '{"applicationId":"HR-OPS-1"}' });
    expect((await engine.waitForExecution(executionArn)).status).toBe('FAILED');
    expect(calls).toEqual({ Prepare: 1, Record: 1 });

    const failed = await listFailedExecutions(sfn, machines);
    expect(failed).toEqual([
      expect.objectContaining({ executionArn, workflow: 'HouseholdRenewal', applicationId: 'HR-OPS-1', status: 'FAILED', error: 'ProvisionedThroughputExceeded', redriveCount: 0 }),
    ]);
    expect(failed[0]!.cause).toContain('079******234');
    expect(failed[0]!.cause).not.toContain('079085001234');

    // The cause is gone: redrive. Only Record runs again, with the input it had (Prepare's result in it).
    recordFails = false;
    expect(await redriveExecutions(sfn, [executionArn])).toEqual([expect.objectContaining({ executionArn, redriven: true })]);
    const done = await engine.waitForExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ applicationId: 'HR-OPS-1', prepared: { ok: true }, recorded: { recorded: { ok: true } } });
    expect(calls).toEqual({ Prepare: 1, Record: 2 });
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).redriveCount).toBe(1);
    expect(await listFailedExecutions(sfn, machines)).toEqual([]);

    // A succeeded execution cannot be redriven; an unknown one neither.
    const again = await redriveExecutions(sfn, [executionArn, `${executionArn}-unknown`]);
    expect(again.map((r) => [r.redriven, r.error?.split(':')[0]])).toEqual([
      [false, 'ExecutionNotRedrivable'],
      [false, 'ExecutionDoesNotExist'],
    ]);
  });

  it('the command line: failed and redrive against the local endpoint; usage errors exit 2', async () => {
    recordFails = true;
    const arn = stateMachineArns({ province: '79' }).HouseholdRenewal!;
    const { executionArn } = engine.startExecution({ stateMachineArn: arn, name: 'HR-OPS-2', input: '{}' });
    await engine.waitForExecution(executionArn);
    lines.length = 0;
    expect(await main(['failed', '--endpoint', server.url], (l) => lines.push(l))).toBe(0);
    expect(lines.join('\n')).toContain('FAILED    HouseholdRenewal');
    expect(lines.join('\n')).toContain(executionArn);
    recordFails = false;
    lines.length = 0;
    expect(await main(['redrive', executionArn, '--endpoint', server.url], (l) => lines.push(l))).toBe(0);
    expect(lines[0]).toMatch(/^redriven  /);
    expect((await engine.waitForExecution(executionArn)).status).toBe('SUCCEEDED');
    expect(await main(['redrive', '--endpoint', server.url], () => {})).toBe(2);
    expect(await main(['failed'], () => {})).toBe(2);
    expect(await main(['nonsense'], () => {})).toBe(2);
  });

  it('reads the stack outputs file for AWS (every Standard workflow of the province)', () => {
    expect([...STANDARD_WORKFLOWS].sort()).toEqual(['HouseholdRenewal', 'IdentityVerification', 'LumpSumWithdrawal', 'UnemploymentHistory']);
    const dir = mkdtempSync(join(tmpdir(), 'ops-'));
    const file = join(dir, 'cdk-outputs.json');
    const arn = (n: string) => `arn:aws:states:ap-southeast-1:123456789012:stateMachine:${n}A1B2`;
    writeFileSync(file, JSON.stringify({ 'Bhxh-EServices-79': Object.fromEntries(STANDARD_WORKFLOWS.map((n) => [`${n}StateMachineArn`, arn(n)])) }));
    expect(stateMachineArns({ province: '79', outputsFile: file })).toEqual(Object.fromEntries(STANDARD_WORKFLOWS.map((n) => [n, arn(n)])));
    expect(() => stateMachineArns({ province: '01', outputsFile: file })).toThrow(/no outputs of stack Bhxh-EServices-01/);
  });
});
