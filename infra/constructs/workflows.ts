/**
 * One state machine per catalog workflow (STANDARD or EXPRESS, the catalog's `type`), defined by its ASL file (uploaded as an asset) with
 * `definitionSubstitutions` for every `${Placeholder}` the file uses:
 * - `${<Step>FunctionArn}` → the ARN of the catalog step function whose `placeholder` it is (+ lambda:InvokeFunction);
 * - `${<Workflow>StateMachineArn}` → the ARN of that workflow's machine, created first (+ the IAM of the
 *   `states:startExecution[.sync[:2]]` integration).
 * Placeholders are read from the ASL file, so adding a Task to an ASL file is all it takes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
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

export interface WorkflowsProps {
  /** Step functions by catalog name (every placeholder used by an ASL file must be here). */
  functions: Record<StepFunctionName, lambda.IFunction>;
  logRetention?: logs.RetentionDays;
}

export class Workflows extends Construct {
  readonly byName: Record<WorkflowName, sfn.StateMachine>;

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const byName = {} as Record<WorkflowName, sfn.StateMachine>;
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
          substitutions[p] = fn.functionArn;
          invoked.push(fn);
        } else {
          substitutions[p] = byName[workflowByPlaceholder.get(p)!].stateMachineArn;
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
          new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [child.stateMachineArn] }),
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
    }
    this.byName = byName;
  }
}
