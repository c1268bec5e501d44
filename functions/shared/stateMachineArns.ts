/**
 * State machine ARNs, qualified and not (issue 13, versions and aliases). Plain strings, no AWS import: the
 * handlers, the local engine and the CDK app share these rules.
 *
 * Every workflow has a `live` alias (infra/constructs/workflows.ts): the API starts executions through it, so a
 * deploy can shift a share of new executions to a new version and back. An execution started through an alias
 * or a version still has the unqualified machine in its ARN (`…:execution:<machine>:<name>`) and in its status
 * change events (`detail.stateMachineArn`).
 *
 *   unqualified  arn:aws:states:<region>:<account>:stateMachine:<name>
 *   version      arn:aws:states:<region>:<account>:stateMachine:<name>:<n>
 *   alias        arn:aws:states:<region>:<account>:stateMachine:<name>:live
 */

/** The alias the API starts executions through. */
export const LIVE_ALIAS = 'live';

const STATE_MACHINE_ARN = /^(arn:[^:]+:states:[^:]*:[^:]*:stateMachine:[^:]+)(?::([^:]+))?$/;

/** The parts of a state machine ARN, or null when it is not one. `qualifier`: a version number or an alias name. */
export function parseStateMachineArn(arn: string): { unqualified: string; qualifier?: string } | null {
  const m = STATE_MACHINE_ARN.exec(arn);
  if (!m) return null;
  return m[2] === undefined ? { unqualified: m[1] } : { unqualified: m[1], qualifier: m[2] };
}

/** The machine's ARN without a version or alias qualifier (an ARN that is no state machine's is returned as is). */
export function unqualifiedStateMachineArn(arn: string): string {
  return parseStateMachineArn(arn)?.unqualified ?? arn;
}

/** The ARN StartExecution gives the execution `name` of `stateMachineArn` (qualified or not). */
export function executionArnFor(stateMachineArn: string, name: string): string {
  return `${unqualifiedStateMachineArn(stateMachineArn).replace(':stateMachine:', ':execution:')}:${name}`;
}

/** The `live` alias ARN of a machine. */
export function liveAliasArn(stateMachineArn: string): string {
  return `${unqualifiedStateMachineArn(stateMachineArn)}:${LIVE_ALIAS}`;
}
