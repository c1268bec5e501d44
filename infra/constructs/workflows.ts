/**
 * One state machine per catalog workflow (STANDARD or EXPRESS, the catalog's `type`), defined by its ASL file (uploaded as an asset) with
 * `definitionSubstitutions` for every `${Placeholder}` the file uses:
 * - `${<Step>FunctionArn}` → the ARN of the catalog step function whose `placeholder` it is (+ lambda:InvokeFunction);
 * - `${<Workflow>StateMachineArn}` → the ARN of that workflow's machine, created first (+ the IAM of the
 *   `states:startExecution[.sync[:2]]` integration).
 * Placeholders are read from the ASL file, so adding a Task to an ASL file is all it takes.
 *
 * Versions and the `live` alias (issue 13): executions live up to ≈ 45 days, so what an execution runs is pinned
 * when it starts. Each deploy that changes a machine publishes a version of it (retained: running executions
 * keep it), and the machine's `live` alias — the ARN the API starts executions through — moves to it with the
 * rollout's deployment preference (a canary share first, rolled back by Step Functions if an alarm fires).
 * A version pins the Lambda code too: `${<Step>FunctionArn}` is the ARN of the function's published version
 * (`currentVersion`, retained), and `${<Workflow>StateMachineArn}` of a nested workflow is that workflow's
 * version ARN. So an execution started on version N runs version N's definition, step code and nested
 * definitions to its end, whatever is deployed meanwhile. What still crosses versions is the data written to
 * DynamoDB and the task-token callbacks the API sends (SendTaskSuccess outputs): those shapes stay backward
 * compatible (docs/runbook.md, "Deploying a workflow change").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { LIVE_ALIAS } from '../../functions/shared/stateMachineArns';
import { stepFunctionSpecs, workflowSpecs, type StepFunctionName, type WorkflowName } from '../../functions/catalog';
import { repoRoot } from './functions';

/** Every `${Name}` placeholder in an ASL text, sorted, without duplicates. */
export function aslPlaceholders(aslText: string): string[] {
  return [...new Set([...aslText.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]))].sort();
}

export function readWorkflowAsl(name: WorkflowName): string {
  return readFileSync(join(repoRoot, workflowSpecs[name].file), 'utf8');
}

const functionByPlaceholder = new Map<string, StepFunctionName>(
  (Object.entries(stepFunctionSpecs) as [StepFunctionName, { placeholder: string }][]).map(([n, s]) => [s.placeholder, n]),
);
const workflowByPlaceholder = new Map<string, WorkflowName>(
  (Object.keys(workflowSpecs) as WorkflowName[]).map((n) => [workflowSpecs[n].placeholder, n]),
);

/** Task states that start another workflow: which placeholder they target and whether they wait (.sync). */
function nestedStarts(asl: unknown): { placeholder: string; sync: boolean }[] {
  const found: { placeholder: string; sync: boolean }[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.Type === 'Task' && typeof o.Resource === 'string' && o.Resource.startsWith('arn:aws:states:::states:startExecution')) {
      const target = (o.Parameters as Record<string, unknown> | undefined)?.StateMachineArn;
      const m = typeof target === 'string' ? /^\$\{([A-Za-z0-9_]+)\}$/.exec(target) : null;
      if (!m) throw new Error(`startExecution Task must target a \${...StateMachineArn} placeholder, got ${String(target)}`);
      found.push({ placeholder: m[1], sync: /\.sync(:2)?$/.test(o.Resource) });
    }
    Object.values(o).forEach(visit);
  };
  visit(asl);
  return found;
}

/**
 * How the `live` alias moves to a new version (CloudFormation waits for it; Step Functions rolls the alias back
 * when one of `alarms` fires during the shift):
 * - ALL_AT_ONCE: every new execution on the new version at once;
 * - CANARY: `percentage` % of new executions for `intervalMinutes`, then all;
 * - LINEAR: `percentage` % more every `intervalMinutes`.
 */
export interface WorkflowRollout {
  type: 'ALL_AT_ONCE' | 'CANARY' | 'LINEAR';
  percentage?: number;
  intervalMinutes?: number;
}

/** The province stacks' default: 10 % of new executions on the new version for 10 minutes, then all. */
export const DEFAULT_WORKFLOW_ROLLOUT: WorkflowRollout = { type: 'CANARY', percentage: 10, intervalMinutes: 10 };

/** Parses the `workflowRollout` context: `ALL_AT_ONCE`, `CANARY:<percent>:<minutes>` or `LINEAR:<percent>:<minutes>`. */
export function parseWorkflowRollout(value: unknown): WorkflowRollout {
  if (value === undefined || value === null || value === '') return DEFAULT_WORKFLOW_ROLLOUT;
  const text = String(value);
  if (text === 'ALL_AT_ONCE') return { type: 'ALL_AT_ONCE' };
  const m = /^(CANARY|LINEAR):(\d+):(\d+)$/.exec(text);
  const percentage = m ? Number(m[2]) : NaN;
  const intervalMinutes = m ? Number(m[3]) : NaN;
  if (!m || percentage < 1 || percentage > 99 || intervalMinutes < 1 || intervalMinutes > 2100) {
    throw new Error(
      `workflowRollout must be ALL_AT_ONCE, CANARY:<1-99 %>:<1-2100 minutes> or LINEAR:<1-99 %>:<1-2100 minutes>, got ${JSON.stringify(text)}`,
    );
  }
  return { type: m[1] as 'CANARY' | 'LINEAR', percentage, intervalMinutes };
}

export interface WorkflowsProps {
  /** Step functions by catalog name (every placeholder used by an ASL file must be here). */
  functions: Record<StepFunctionName, lambda.IFunction>;
  logRetention?: logs.RetentionDays;
  /** How `live` moves to a new version (default DEFAULT_WORKFLOW_ROLLOUT). */
  rollout?: WorkflowRollout;
}

/** A workflow's version published by this deploy and its `live` alias. */
export interface WorkflowRelease {
  version: sfn.CfnStateMachineVersion;
  /** `arn:…:stateMachine:<name>:<n>` */
  versionArn: string;
  alias: sfn.CfnStateMachineAlias;
  /** `arn:…:stateMachine:<name>:live`: what the API starts. */
  liveAliasArn: string;
}

export class Workflows extends Construct {
  readonly byName: Record<WorkflowName, sfn.StateMachine>;
  readonly releases: Record<WorkflowName, WorkflowRelease>;
  private readonly rollout: WorkflowRollout;

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const byName = {} as Record<WorkflowName, sfn.StateMachine>;
    const releases = {} as Record<WorkflowName, WorkflowRelease>;
    this.rollout = props.rollout ?? DEFAULT_WORKFLOW_ROLLOUT;
    const texts = Object.fromEntries(
      (Object.keys(workflowSpecs) as WorkflowName[]).map((n) => [n, readWorkflowAsl(n)]),
    ) as Record<WorkflowName, string>;

    // Validate placeholders and order the workflows so that nested machines exist before their callers.
    const deps = {} as Record<WorkflowName, WorkflowName[]>;
    for (const name of Object.keys(texts) as WorkflowName[]) {
      deps[name] = [];
      for (const p of aslPlaceholders(texts[name])) {
        if (functionByPlaceholder.has(p)) continue;
        const wf = workflowByPlaceholder.get(p);
        if (!wf) throw new Error(`${workflowSpecs[name].file}: placeholder \${${p}} is neither a step function nor a workflow of the catalog`);
        if (wf === name) throw new Error(`${workflowSpecs[name].file}: a workflow cannot reference its own ARN`);
        deps[name].push(wf);
      }
    }
    const order: WorkflowName[] = [];
    const visiting = new Set<WorkflowName>();
    const place = (n: WorkflowName) => {
      if (order.includes(n)) return;
      if (visiting.has(n)) throw new Error(`Workflows reference each other in a cycle through ${n}`);
      visiting.add(n);
      deps[n].forEach(place);
      order.push(n);
    };
    (Object.keys(texts) as WorkflowName[]).forEach(place);

    for (const name of order) {
      const spec = workflowSpecs[name];
      const text = texts[name];
      const substitutions: Record<string, string> = {};
      const invoked: lambda.IFunction[] = [];
      for (const p of aslPlaceholders(text)) {
        const fnName = functionByPlaceholder.get(p);
        if (fnName) {
          const fn = props.functions[fnName];
          if (!fn) throw new Error(`${spec.file}: no function was created for \${${p}} (${fnName})`);
          // The published version, not $LATEST: the machine's version pins the step code (file header).
          const pinned = pinnedVersion(fn);
          substitutions[p] = pinned.functionArn;
          invoked.push(pinned);
        } else {
          substitutions[p] = releases[workflowByPlaceholder.get(p)!].versionArn;
        }
      }

      const logGroup = new logs.LogGroup(this, `${name}Logs`, {
        // /aws/vendedlogs/ keeps the CloudWatch Logs resource policy small with many machines per account.
        logGroupName: `/aws/vendedlogs/states/${stack.stackName}/${name}`,
        retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      const machine = new sfn.StateMachine(this, name, {
        stateMachineType: spec.type === 'EXPRESS' ? sfn.StateMachineType.EXPRESS : sfn.StateMachineType.STANDARD,
        definitionBody: sfn.DefinitionBody.fromFile(join(repoRoot, spec.file)),
        definitionSubstitutions: substitutions,
        tracingEnabled: true,
        // Executions carry personal data (names, ID numbers): never log inputs/outputs. An Express machine has no
        // execution history but these logs: its errors are logged the same way.
        logs: { destination: logGroup, level: sfn.LogLevel.ERROR, includeExecutionData: false },
      });
      for (const fn of invoked) fn.grantInvoke(machine);

      for (const nested of nestedStarts(JSON.parse(text))) {
        const child = byName[workflowByPlaceholder.get(nested.placeholder)!];
        machine.addToRolePolicy(
          // The child's version (the definition names it); the unqualified ARN too, which is how IAM has matched
          // qualified starts (aws-cdk#26546).
          new iam.PolicyStatement({
            actions: ['states:StartExecution'],
            resources: [child.stateMachineArn, releases[workflowByPlaceholder.get(nested.placeholder)!].versionArn],
          }),
        );
        if (nested.sync) {
          machine.addToRolePolicy(
            new iam.PolicyStatement({
              actions: ['states:DescribeExecution', 'states:StopExecution'],
              // Standard executions have `execution:` ARNs; Express ones `express:` (both granted for an Express child:
              // the .sync integration's documented policy names `execution:`, the executions themselves are `express:`).
              resources: (workflowSpecs[workflowByPlaceholder.get(nested.placeholder)!].type === 'EXPRESS' ? ['express', 'execution'] : ['execution']).map(
                (resource) =>
                  stack.formatArn({
                    service: 'states',
                    resource,
                    resourceName: `${child.stateMachineName}:*`,
                    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
                  }),
              ),
            }),
          );
          machine.addToRolePolicy(
            new iam.PolicyStatement({
              actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
              resources: [
                stack.formatArn({
                  service: 'events',
                  resource: 'rule',
                  resourceName: 'StepFunctionsGetEventsForStepFunctionsExecutionRule',
                }),
              ],
            }),
          );
        }
      }
      byName[name] = machine;
      releases[name] = this.release(name, machine);
    }
    this.byName = byName;
    this.releases = releases;
  }

  /**
   * Publishes the machine's current revision as a version and points `live` at it. The version is retained on
   * replacement (a new revision makes a new version resource): executions started on it keep running, and the
   * alias can be routed back to it (npm run ops -- rollback).
   */
  private release(name: WorkflowName, machine: sfn.StateMachine): WorkflowRelease {
    const version = new sfn.CfnStateMachineVersion(this, `${name}Version`, {
      stateMachineArn: machine.stateMachineArn,
      stateMachineRevisionId: machine.stateMachineRevisionId,
      description: `${name}, published by the deploy of this revision`,
    });
    version.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const { type, percentage, intervalMinutes } = this.rollout;
    const alias = new sfn.CfnStateMachineAlias(this, `${name}LiveAlias`, {
      name: LIVE_ALIAS,
      description: `The version the API starts ${name} executions on`,
      deploymentPreference: {
        stateMachineVersionArn: version.attrArn,
        type,
        ...(type === 'ALL_AT_ONCE' ? {} : { percentage, interval: intervalMinutes }),
      },
    });
    return { version, versionArn: version.attrArn, alias, liveAliasArn: alias.attrArn };
  }

  /**
   * Alarms that roll an alias shift back (e.g. failed executions of the new version): set once the alarms exist.
   * Only rollouts that shift gradually watch alarms.
   */
  rollBackOn(alarmNames: string[]): void {
    if (this.rollout.type === 'ALL_AT_ONCE' || alarmNames.length === 0) return;
    for (const release of Object.values(this.releases)) {
      const pref = release.alias.deploymentPreference as sfn.CfnStateMachineAlias.DeploymentPreferenceProperty;
      release.alias.deploymentPreference = { ...pref, alarms: [...(pref.alarms ?? []), ...alarmNames] };
    }
  }
}

/** The function's published version when it has one (`currentVersion` of a Function; an imported one as is). */
function pinnedVersion(fn: lambda.IFunction): lambda.IFunction {
  return fn instanceof lambda.Function ? fn.currentVersion : fn;
}
