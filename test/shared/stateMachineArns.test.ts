import { describe, expect, it } from 'vitest';
import { executionArnFor, liveAliasArn, parseStateMachineArn, unqualifiedStateMachineArn } from '../../functions/shared/stateMachineArns';

const machine = 'arn:aws:states:ap-southeast-1:123456789012:stateMachine:Bhxh-79-HouseholdRenewal';

describe('state machine ARNs', () => {
  it('strips a version or alias qualifier and keeps the unqualified ARN', () => {
    expect(parseStateMachineArn(`${machine}:live`)).toEqual({ unqualified: machine, qualifier: 'live' });
    expect(parseStateMachineArn(`${machine}:12`)).toEqual({ unqualified: machine, qualifier: '12' });
    expect(unqualifiedStateMachineArn(machine)).toBe(machine);
    expect(parseStateMachineArn('arn:aws:lambda:ap-southeast-1:1:function:x')).toBeNull();
  });

  it('names the execution after the unqualified machine, as StartExecution on an alias does', () => {
    expect(executionArnFor(liveAliasArn(machine), 'HR-01')).toBe(
      'arn:aws:states:ap-southeast-1:123456789012:execution:Bhxh-79-HouseholdRenewal:HR-01',
    );
  });
});
