/**
 * Synthesizes the province stack once (bundling skipped via `aws:cdk:bundling-stacks` = [], so missing entry
 * modules get a placeholder and the test stays fast) and checks it against the catalog, the table shapes,
 * the ASL files and config/provinces.json. `npx cdk synth -c province=79` is what really bundles.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  apiFunctionSpecs,
  CONSUMER_RESOURCE_SERVER,
  consumerScopes,
  eventFunctionSpecs,
  routes,
  scheduledFunctionSpecs,
  stepFunctionSpecs,
  workflowSpecs,
} from '../../functions/catalog';
import { provinces, provinceSettings } from '../../functions/shared/provinces';
import { addProvinceStacks, DEFAULT_REGION, resolveProvinces } from '../../infra/app';
import { allFunctionSpecs, repoRoot, reservedConcurrencyOf } from '../../infra/constructs/functions';
import { aslPlaceholders, parseWorkflowRollout, readWorkflowAsl } from '../../infra/constructs/workflows';
import { ProvinceStack } from '../../infra/provinceStack';
import { PLACEHOLDER_REGISTRY_URL } from '../../infra/deploymentSettings';
import { tableShapes } from '../../infra/tables';
import { UnauthorizedError } from '../../functions/shared/errors';
import { PUBLIC_ROUTE_THROTTLE } from '../../infra/constructs/api';

const cdkJson = JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
const provincesFile = JSON.parse(readFileSync(join(repoRoot, 'config/provinces.json'), 'utf8')) as {
  provinces: { code: string }[];
};

function synth(context: Record<string, unknown>): ProvinceStack[] {
  const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], ...context } });
  return addProvinceStacks(app);
}

type Resources = Record<string, { Type: string; Properties?: any; DependsOn?: unknown }>;

let stack: ProvinceStack;
let template: Template;
let resources: Resources;

/** Logical id of the Lambda function created for a catalog function. */
function functionLogicalId(name: string): string {
  return stack.getLogicalId(stack.functions.byName[name as keyof typeof stack.functions.byName].node.defaultChild as any);
}
function machineLogicalId(name: keyof typeof workflowSpecs): string {
  return stack.getLogicalId(stack.workflows.byName[name].node.defaultChild as any);
}
/** The ARN of the version of a catalog function the machines invoke (its `currentVersion`). */
function pinnedFunctionArn(name: string): unknown {
  const fnId = functionLogicalId(name);
  const versions = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Version' && r.Properties.FunctionName?.Ref === fnId);
  expect(versions, name).toHaveLength(1);
  return { Ref: versions[0]![0] };
}
/** The ARN of the machine version this deploy publishes. */
function machineVersionArn(name: keyof typeof workflowSpecs): unknown {
  return { 'Fn::GetAtt': [stack.getLogicalId(stack.workflows.releases[name].version), 'Arn'] };
}
/** The ARN of the machine's `live` alias. */
function liveAliasArnOf(name: keyof typeof workflowSpecs): unknown {
  return { 'Fn::GetAtt': [stack.getLogicalId(stack.workflows.releases[name].alias), 'Arn'] };
}
/** All IAM statements attached to the role of a function or state machine. */
function statementsOfRole(roleLogicalId: string): { Action: string | string[]; Resource: unknown }[] {
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .filter((r) => (r.Properties.Roles as unknown[]).some((x: any) => x.Ref === roleLogicalId))
    .flatMap((r) => r.Properties.PolicyDocument.Statement);
}
const actionsOf = (s: { Action: string | string[] }) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
function roleOfFunction(name: string): string {
  return resources[functionLogicalId(name)].Properties.Role['Fn::GetAtt'][0];
}

beforeAll(() => {
  [stack] = synth({ province: '79' });
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
}, 120_000);

describe('province stack 79', () => {
  it('is named per province with an explicit env', () => {
    expect(stack.stackName).toBe('Bhxh-EServices-79');
    expect(stack.region).toBe(DEFAULT_REGION);
    expect(stack.account).toMatch(/^\d{12}$/);
  });

  it('creates the tables of infra/tables.ts with keys, GSIs, PITR, encryption, deletion protection, retain', () => {
    const tables = template.findResources('AWS::DynamoDB::Table');
    expect(Object.keys(tables)).toHaveLength(tableShapes.length);
    expect(tableShapes).toHaveLength(4);
    for (const shape of tableShapes) {
      const keySchema = [
        { AttributeName: shape.partitionKey, KeyType: 'HASH' },
        ...(shape.sortKey ? [{ AttributeName: shape.sortKey, KeyType: 'RANGE' }] : []),
      ];
      const match = Object.values(tables).filter(
        (t) => JSON.stringify(t.Properties.KeySchema) === JSON.stringify(keySchema),
      );
      expect(match, shape.logicalName).toHaveLength(1);
      const [t] = match;
      expect(t.DeletionPolicy).toBe('Retain');
      expect(t.UpdateReplacePolicy).toBe('Retain');
      expect(t.Properties.BillingMode).toBe('PAY_PER_REQUEST');
      expect(t.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(t.Properties.SSESpecification).toEqual({ SSEEnabled: true });
      expect(t.Properties.DeletionProtectionEnabled).toBe(true);
      const gsis = (t.Properties.GlobalSecondaryIndexes ?? []).map((g: any) => ({
        indexName: g.IndexName,
        partitionKey: g.KeySchema[0].AttributeName,
        sortKey: g.KeySchema[1]?.AttributeName,
        projection:
          g.Projection.ProjectionType === 'INCLUDE' ? g.Projection.NonKeyAttributes : g.Projection.ProjectionType,
      }));
      expect(gsis).toEqual(shape.globalSecondaryIndexes.map((g) => ({ ...g, projection: g.projection === 'ALL' || g.projection === 'KEYS_ONLY' ? g.projection : [...g.projection] })));
    }
  });

  it('creates one nodejs22.x arm64 function per catalog function, with X-Ray and the province env', () => {
    const expected = { ...stepFunctionSpecs, ...apiFunctionSpecs, ...scheduledFunctionSpecs, ...eventFunctionSpecs };
    const settings = provinceSettings('79')!;
    for (const name of Object.keys(expected)) {
      const fn = resources[functionLogicalId(name)];
      expect(fn.Type, name).toBe('AWS::Lambda::Function');
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.Handler).toBe('index.handler');
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      expect(fn.Properties.LoggingConfig.LogGroup).toBeDefined();
      const env = fn.Properties.Environment.Variables;
      expect(env.PROVINCE_CODE).toBe('79');
      expect(env.REVIEW_TIMEOUT_SECONDS).toBe(String(settings.reviewDeadlineHours * 3600));
      expect(env.PAYMENT_TIMEOUT_SECONDS).toBe(String(settings.paymentDeadlineHours * 3600));
      expect(env.POWERTOOLS_SERVICE_NAME).toBe('bhxh-eservices');
      expect(env.PAYMENT_WEBHOOK_SECRET, 'the secret value never goes into env').toBeUndefined();
      for (const table of Object.keys(expected[name as keyof typeof expected].tables)) {
        const shape = tableShapes.find((s) => s.logicalName === table)!;
        expect(env[shape.envVar], `${name} ${shape.envVar}`).toEqual({ Ref: expect.any(String) });
      }
    }
    expect(template.findResources('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs22.x' } })).not.toEqual({});
  });

  it('marks every catalog entry module that does not exist yet (placeholder only because bundling is skipped)', () => {
    const missing = Object.values(allFunctionSpecs)
      .map((s) => s.entry)
      .filter((e) => !existsSync(join(repoRoot, e)));
    expect(stack.functions.missingEntries.sort()).toEqual(missing.sort());
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('inline placeholder used'));
    expect(warnings).toHaveLength(missing.length);
    // The placeholder account's deployment placeholders are warned about too (a deploy refuses them).
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('a deploy refuses it')).length).toBe(4);
  });

  it('gives the registry URL only to functions that use the registry, and the payment secret ARN (not value) to the payment callback', () => {
    for (const [name, spec] of Object.entries(allFunctionSpecs)) {
      const env = resources[functionLogicalId(name)].Properties.Environment.Variables;
      expect(env.POPULATION_REGISTRY_URL, name).toBe(spec.usesRegistry ? PLACEHOLDER_REGISTRY_URL : undefined);
      const paymentFn = routes.some((r) => r.fn === name && r.auth === 'paymentGateway');
      if (paymentFn) {
        expect(env.PAYMENT_WEBHOOK_SECRET_ARN).toEqual({ Ref: expect.stringMatching(/PaymentWebhookSecret/) });
        const stmts = statementsOfRole(roleOfFunction(name));
        expect(stmts.some((s) => actionsOf(s).includes('secretsmanager:GetSecretValue'))).toBe(true);
      } else {
        expect(env.PAYMENT_WEBHOOK_SECRET_ARN, name).toBeUndefined();
      }
    }
    // the payment gateway's and the webhook signing secrets (per consumer, read only by DeliverWebhook), the review search key
    template.resourceCountIs('AWS::SecretsManager::Secret', 3);
  });

  it("gives the review search key's ARN (never its value) and the secrets extension only to the functions that hash personal IDs", () => {
    const withKey = Object.entries(allFunctionSpecs).filter(([, spec]) => (spec as { searchKey?: boolean }).searchKey).map(([name]) => name);
    expect(withKey.sort()).toEqual(['OpenReviewItem', 'ReviewItemsApi']);
    for (const name of Object.keys(allFunctionSpecs)) {
      const props = resources[functionLogicalId(name)].Properties;
      const env = props.Environment.Variables;
      expect(env.SEARCH_KEY_SECRET, name).toBeUndefined();
      if (withKey.includes(name)) {
        expect(env.SEARCH_KEY_SECRET_ARN, name).toEqual({ Ref: expect.stringMatching(/ReviewSearchKey/) });
        expect(JSON.stringify(props.Layers), name).toMatch(/AWS-Parameters-and-Secrets-Lambda-Extension/);
        expect(statementsOfRole(roleOfFunction(name)).some((s) => actionsOf(s).includes('secretsmanager:GetSecretValue')), name).toBe(true);
      } else {
        expect(env.SEARCH_KEY_SECRET_ARN, name).toBeUndefined();
      }
    }
  });

  it("gives the escalation job the supervisors' topic (publish only), no other function", () => {
    for (const name of Object.keys(allFunctionSpecs)) {
      const env = resources[functionLogicalId(name)].Properties.Environment.Variables;
      if (name === 'EscalateOverdueReviews') expect(env.SUPERVISOR_NOTICES_TOPIC_ARN).toEqual({ Ref: expect.stringMatching(/SupervisorNotices/) });
      else expect(env.SUPERVISOR_NOTICES_TOPIC_ARN, name).toBeUndefined();
    }
    const stmts = statementsOfRole(roleOfFunction('EscalateOverdueReviews'));
    expect(stmts.some((s) => actionsOf(s).includes('sns:Publish'))).toBe(true);
  });

  it('bounds the identity checks (reserved concurrency, one registry attempt of 1.5 s, a 5 s timeout) and reserves capacity for the payment callback and the staff API', () => {
    const check = resources[functionLogicalId('RunIdentityCheck')].Properties;
    expect(check.Timeout).toBe(5);
    expect(check.Environment.Variables.POPULATION_REGISTRY_MAX_ATTEMPTS).toBe('1');
    expect(check.Environment.Variables.POPULATION_REGISTRY_TIMEOUT_MS).toBe('1500');
    const reserved = Object.fromEntries(
      Object.keys(allFunctionSpecs)
        .map((name) => [name, resources[functionLogicalId(name)].Properties.ReservedConcurrentExecutions])
        .filter(([, r]) => r !== undefined),
    );
    // TP.HCM (docs/capacity.md): nothing else is reserved; everything else shares the unreserved pool.
    expect(reserved).toEqual({ RunIdentityCheck: 250, PaymentCallbacksApi: 50, ReviewItemsApi: 20, ReviewConsoleApi: 20 });
    // The wait for an unreachable registry: the province's window (config/registryWait.json), in seconds.
    expect(resources[functionLogicalId('PlanRegistryRetry')].Properties.Environment.Variables).toMatchObject({
      REGISTRY_WAIT_SECONDS: '21600',
      REGISTRY_RETRY_FIRST_DELAY_SECONDS: '60',
      REGISTRY_RETRY_MAX_DELAY_SECONDS: '1800',
    });
    // The supervisors' registry re-check: one attempt per item too (a bulk re-check must not hang on a dead registry).
    const recheck = resources[functionLogicalId('RegistryRecheckApi')].Properties;
    expect(recheck.Environment.Variables.POPULATION_REGISTRY_MAX_ATTEMPTS).toBe('1');
    expect(recheck.Environment.Variables.POPULATION_REGISTRY_TIMEOUT_MS).toBe('1500');
    for (const name of Object.keys(allFunctionSpecs).filter((n) => n !== 'RunIdentityCheck' && n !== 'RegistryRecheckApi')) {
      const env = resources[functionLogicalId(name)].Properties.Environment.Variables;
      expect(env.POPULATION_REGISTRY_MAX_ATTEMPTS, name).toBeUndefined();
      expect(env.POPULATION_REGISTRY_TIMEOUT_MS, name).toBeUndefined();
    }
  });

  it('creates 4 STANDARD and 3 EXPRESS state machines (the catalog type) with ERROR logging without execution data, and X-Ray', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 7);
    template.allResourcesProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ERROR', IncludeExecutionData: false }),
    });
    for (const [name, spec] of Object.entries(workflowSpecs)) {
      expect(resources[machineLogicalId(name as keyof typeof workflowSpecs)].Properties.StateMachineType, name).toBe(spec.type);
    }
    expect(Object.values(workflowSpecs).filter((w) => w.type === 'EXPRESS')).toHaveLength(3);
  });

  it('lets each service machine await its Express part (startExecution.sync:2 on express: executions)', () => {
    for (const [parent, part] of [['HouseholdRenewal', 'HouseholdRenewalPrepare'], ['UnemploymentHistory', 'UnemploymentHistoryPrepare'], ['LumpSumWithdrawal', 'LumpSumWithdrawalPrepare']] as const) {
      const machine = resources[machineLogicalId(parent)].Properties;
      const partId = machineLogicalId(part);
      const stmts = statementsOfRole(machine.RoleArn['Fn::GetAtt'][0]);
      const find = (action: string) => stmts.filter((s) => actionsOf(s).includes(action)).map((s) => JSON.stringify(s.Resource));
      expect(find('states:StartExecution').join()).toContain(`"Ref":"${partId}"`);
      for (const a of ['states:DescribeExecution', 'states:StopExecution']) {
        expect(find(a).join(), a).toMatch(new RegExp(`:express:.*${partId}.*Name.*:\\*`));
      }
      // The Express part itself starts nothing and waits for nothing.
      const partStmts = statementsOfRole(resources[partId].Properties.RoleArn['Fn::GetAtt'][0]);
      expect(partStmts.some((s) => actionsOf(s).includes('states:StartExecution'))).toBe(false);
    }
  });

  it.each(Object.keys(workflowSpecs) as (keyof typeof workflowSpecs)[])(
    '%s: substitutions cover every placeholder of its ASL file, definition from an S3 asset, invoke grants',
    (name) => {
      const machine = resources[machineLogicalId(name)].Properties;
      const used = aslPlaceholders(readWorkflowAsl(name));
      expect(used.length).toBeGreaterThan(0);
      expect(Object.keys(machine.DefinitionSubstitutions).sort()).toEqual(used);
      expect(machine.DefinitionS3Location).toEqual({ Bucket: expect.anything(), Key: expect.stringMatching(/\.json$/) });
      expect(machine.DefinitionString).toBeUndefined();

      const role = machine.RoleArn['Fn::GetAtt'][0];
      const stmts = statementsOfRole(role);
      for (const p of used) {
        const step = Object.entries(stepFunctionSpecs).find(([, s]) => s.placeholder === p);
        if (step) {
          const fnId = functionLogicalId(step[0]);
          expect(machine.DefinitionSubstitutions[p]).toEqual(pinnedFunctionArn(step[0]));
          const invoke = stmts.filter((s) => actionsOf(s).includes('lambda:InvokeFunction'));
          expect(JSON.stringify(invoke), `${name} may invoke ${step[0]}'s pinned version`).toContain(JSON.stringify(pinnedFunctionArn(step[0])));
          expect(fnId).toBeTruthy();
        } else {
          const wf = Object.entries(workflowSpecs).find(([, w]) => w.placeholder === p)!;
          expect(machine.DefinitionSubstitutions[p]).toEqual(machineVersionArn(wf[0] as keyof typeof workflowSpecs));
        }
      }
    },
  );

  it('lets the household machine run the nested identity machine with startExecution.sync:2', () => {
    const machine = resources[machineLogicalId('HouseholdRenewal')].Properties;
    const childId = machineLogicalId('IdentityVerification');
    const stmts = statementsOfRole(machine.RoleArn['Fn::GetAtt'][0]);
    const find = (action: string) => stmts.filter((s) => actionsOf(s).includes(action)).map((s) => JSON.stringify(s.Resource));
    expect(find('states:StartExecution').join()).toContain(`"Ref":"${childId}"`);
    for (const a of ['states:DescribeExecution', 'states:StopExecution']) {
      expect(find(a).join(), a).toMatch(new RegExp(`:execution:.*${childId}.*Name.*:\\*`));
    }
    for (const a of ['events:PutTargets', 'events:PutRule', 'events:DescribeRule']) {
      expect(find(a).join(), a).toContain('rule/StepFunctionsGetEventsForStepFunctionsExecutionRule');
    }
    // The nested machine itself starts nothing.
    const childStmts = statementsOfRole(resources[childId].Properties.RoleArn['Fn::GetAtt'][0]);
    expect(childStmts.some((s) => actionsOf(s).includes('states:StartExecution'))).toBe(false);
  });

  it('runs the unemployment-history and lump-sum machines on the spine: shared identity machine nested, shared RecordOutcome, their APIs start them', () => {
    const identityId = machineLogicalId('IdentityVerification');
    const recordOutcomeId = functionLogicalId('RecordOutcome');
    const services = [
      { machine: 'UnemploymentHistory', part: 'UnemploymentHistoryPrepare', api: 'UnemploymentHistoryRequestsApi', env: 'UNEMPLOYMENT_HISTORY_STATE_MACHINE_ARN', steps: ['LoadContributionHistory', 'CheckLastEmployer', 'ComputeUnemploymentHistory', 'RecordUnemploymentHistory'], parentSteps: [] },
      { machine: 'LumpSumWithdrawal', part: 'LumpSumWithdrawalPrepare', api: 'LumpSumClaimsApi', env: 'LUMP_SUM_WITHDRAWAL_STATE_MACHINE_ARN', steps: ['LoadContributionHistory', 'CheckLumpSumEligibility', 'ComputeLumpSumAmount'], parentSteps: ['ComputeLumpSumAmount', 'SettleLumpSum'] },
    ] as const;
    for (const svc of services) {
      const id = machineLogicalId(svc.machine);
      const machine = resources[id];
      expect(machine.Type).toBe('AWS::StepFunctions::StateMachine');
      const subs = machine.Properties.DefinitionSubstitutions;
      expect(subs.IdentityVerificationStateMachineArn).toEqual(machineVersionArn('IdentityVerification'));
      expect(subs.RecordOutcomeFunctionArn).toEqual(pinnedFunctionArn('RecordOutcome'));
      expect(recordOutcomeId).toBeTruthy();
      for (const step of svc.parentSteps) {
        expect(subs[stepFunctionSpecs[step].placeholder], step).toEqual(pinnedFunctionArn(step));
      }
      const partSubs = resources[machineLogicalId(svc.part)].Properties.DefinitionSubstitutions;
      expect(partSubs.RunIdentityCheckFunctionArn).toEqual(pinnedFunctionArn('RunIdentityCheck'));
      for (const step of svc.steps) {
        expect(partSubs[stepFunctionSpecs[step].placeholder], step).toEqual(pinnedFunctionArn(step));
      }
      const stmts = statementsOfRole(machine.Properties.RoleArn['Fn::GetAtt'][0]);
      expect(JSON.stringify(stmts.filter((st) => actionsOf(st).includes('states:StartExecution')))).toContain(`"Ref":"${identityId}"`);
      const apiStmts = statementsOfRole(roleOfFunction(svc.api));
      expect(JSON.stringify(apiStmts.filter((st) => actionsOf(st).includes('states:StartExecution')))).toContain(JSON.stringify(liveAliasArnOf(svc.machine)));
      expect(resources[functionLogicalId(svc.api)].Properties.Environment.Variables[svc.env]).toEqual(liveAliasArnOf(svc.machine));
    }
  });

  it('grants the Step Functions actions of the catalog: StartExecution on the household machine, SendTaskSuccess', () => {
    const household = machineLogicalId('HouseholdRenewal');
    const renewals = statementsOfRole(roleOfFunction('HouseholdRenewalsApi'));
    const start = renewals.filter((s) => actionsOf(s).includes('states:StartExecution'));
    expect(JSON.stringify(start)).toContain(`"Ref":"${household}"`);
    expect(JSON.stringify(start)).toContain(JSON.stringify(liveAliasArnOf('HouseholdRenewal')));
    expect(resources[functionLogicalId('HouseholdRenewalsApi')].Properties.Environment.Variables.HOUSEHOLD_RENEWAL_STATE_MACHINE_ARN).toEqual(
      liveAliasArnOf('HouseholdRenewal'),
    );

    for (const name of ['ReviewItemsApi', 'PaymentCallbacksApi', 'ResumeSweeper']) {
      const stmts = statementsOfRole(roleOfFunction(name));
      expect(stmts.some((s) => actionsOf(s).includes('states:SendTaskSuccess')), name).toBe(true);
      expect(stmts.some((s) => actionsOf(s).includes('states:StartExecution')), name).toBe(false);
      expect(stmts.some((s) => actionsOf(s).includes('states:SendTaskHeartbeat')), name).toBe(false);
    }
    // The payment callback also fails the waits of the renewals it supersedes; the application view needs none.
    expect(statementsOfRole(roleOfFunction('PaymentCallbacksApi')).some((s) => actionsOf(s).includes('states:SendTaskFailure'))).toBe(true);
    expect(statementsOfRole(roleOfFunction('ApplicationsApi')).some((s) => actionsOf(s).some((a) => a.startsWith('states:')))).toBe(false);
    // Step functions get no Step Functions permissions at all.
    for (const name of Object.keys(stepFunctionSpecs)) {
      const stmts = statementsOfRole(roleOfFunction(name));
      expect(stmts.some((s) => actionsOf(s).some((a) => a.startsWith('states:'))), name).toBe(false);
    }
  });

  it('lets the health check describe the tables and the service state machines, and nothing else', () => {
    const stmts = statementsOfRole(roleOfFunction('HealthApi'));
    const actions = [...new Set(stmts.flatMap(actionsOf))].filter((a) => a.startsWith('dynamodb:') || a.startsWith('states:')).sort();
    expect(actions).toEqual(['dynamodb:DescribeTable', 'states:DescribeStateMachine']);
    const env = resources[functionLogicalId('HealthApi')].Properties.Environment.Variables;
    const describeMachines = stmts.filter((s) => actionsOf(s).includes('states:DescribeStateMachine'));
    for (const [wf, spec] of Object.entries(workflowSpecs)) {
      const granted = JSON.stringify(describeMachines).includes(`"Ref":"${machineLogicalId(wf as keyof typeof workflowSpecs)}"`);
      if ('arnEnv' in spec) {
        expect(granted, wf).toBe(true);
        expect(env[spec.arnEnv], wf).toEqual(liveAliasArnOf(wf as keyof typeof workflowSpecs));
      } else {
        expect(granted, `${wf} (nested, not published)`).toBe(false);
      }
    }
    for (const shape of tableShapes) expect(env[shape.envVar], shape.envVar).toEqual({ Ref: expect.any(String) });
    expect(env.POPULATION_REGISTRY_URL).toBe(PLACEHOLDER_REGISTRY_URL);
  });

  it('copies no task token and no personal data into the review queue index', () => {
    const reviewItems = Object.values(template.findResources('AWS::DynamoDB::Table')).find((t) =>
      (t.Properties.GlobalSecondaryIndexes ?? []).some((g: any) => g.IndexName === 'byProvinceQueue'),
    )!;
    const queue = reviewItems.Properties.GlobalSecondaryIndexes.find((g: any) => g.IndexName === 'byProvinceQueue');
    expect(queue.Projection.ProjectionType).toBe('INCLUDE');
    for (const secret of ['taskToken', 'submitted', 'registrySnapshot', 'decision']) expect(queue.Projection.NonKeyAttributes).not.toContain(secret);
    const escalation = reviewItems.Properties.GlobalSecondaryIndexes.find((g: any) => g.IndexName === 'byProvinceEscalation');
    expect(escalation.Projection.ProjectionType).toBe('KEYS_ONLY');
  });

  it('grants no function dynamodb:Scan or table management, only the item actions it uses', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const actions = policies.flatMap((p: any) => p.Properties.PolicyDocument.Statement.flatMap(actionsOf)).filter((a: string) => a.startsWith('dynamodb:'));
    expect(actions.length).toBeGreaterThan(0);
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions).not.toContain('dynamodb:DeleteItem');
    for (const management of ['dynamodb:CreateTable', 'dynamodb:UpdateTable', 'dynamodb:DeleteTable']) expect(actions).not.toContain(management);
    expect(actions.filter((a: string) => a.includes('*'))).toEqual([]);
  });

  it('grants table access per spec: read-only tables get no write actions', () => {
    const tableIdOf = (logicalName: string) =>
      stack.getLogicalId(stack.tables.byName[logicalName as 'applications'].node.defaultChild as any);
    for (const [name, spec] of Object.entries(allFunctionSpecs)) {
      const stmts = statementsOfRole(roleOfFunction(name));
      for (const shape of tableShapes) {
        const onTable = stmts.filter((s) => JSON.stringify(s.Resource).includes(`"${tableIdOf(shape.logicalName)}"`));
        // The stream's event source (NotifyStatusChange on applications) reads the stream, never the table.
        const STREAM_READ = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];
        const streamReader = name === 'NotifyStatusChange' && shape.logicalName === 'applications';
        const actions = onTable.flatMap(actionsOf).filter((a: string) => !(streamReader && STREAM_READ.includes(a)));
        if (streamReader) expect(onTable.flatMap(actionsOf)).toEqual(expect.arrayContaining(STREAM_READ));
        const access = spec.tables[shape.logicalName];
        if (!access) expect(actions, `${name} → ${shape.logicalName}`).toEqual([]);
        else if (access === 'describe') expect(actions, `${name} → ${shape.logicalName}`).toEqual(['dynamodb:DescribeTable']);
        else {
          expect(actions).toContain('dynamodb:GetItem');
          expect(actions.includes('dynamodb:PutItem'), `${name} writes ${shape.logicalName}`).toBe(access === 'readWrite');
        }
      }
    }
  });

  it('streams the applications table to NotifyStatusChange, filtered to notified statuses, and queues deliveries with a DLQ', () => {
    const table = Object.values(template.findResources('AWS::DynamoDB::Table')).find((t: any) => t.Properties.KeySchema[0].AttributeName === 'applicationId') as any;
    expect(table.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')) as any[];
    const stream = mappings.find((m) => JSON.stringify(m.Properties.FunctionName).includes(functionLogicalId('NotifyStatusChange')));
    expect(stream.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    const pattern = JSON.parse(stream.Properties.FilterCriteria.Filters[0].Pattern);
    expect(pattern.dynamodb.NewImage.status.S).toEqual(['WAITING_FOR_REGISTRY', 'IN_REVIEW', 'WAITING_FOR_RULE_DATA', 'AWAITING_PAYMENT', 'COMPLETED', 'REJECTED', 'EXPIRED', 'FAILED']);
    const queue = mappings.find((m) => JSON.stringify(m.Properties.FunctionName).includes(functionLogicalId('DeliverWebhook')));
    expect(queue.Properties.ScalingConfig).toEqual({ MaximumConcurrency: 5 });
    const env = resources[functionLogicalId('DeliverWebhook')].Properties.Environment.Variables;
    expect(env.WEBHOOK_SIGNING_SECRETS_ARN).toEqual({ Ref: expect.stringMatching(/WebhookSigningSecrets/) });
    expect(env.WEBHOOK_QUEUE_URL).toBeDefined();
    expect(env.REVIEW_ITEMS_TABLE).toBeDefined();
    const queues = Object.values(template.findResources('AWS::SQS::Queue')) as any[];
    expect(queues.some((q) => q.Properties.RedrivePolicy?.maxReceiveCount === 5)).toBe(true);
  });

  it('exposes every catalog route under /v1 with the right authorization', () => {
    const apiResources = template.findResources('AWS::ApiGateway::Resource');
    const pathOf = (ref: any): string => {
      if (ref['Fn::GetAtt']) return '';
      const r = apiResources[ref.Ref];
      return `${pathOf(r.Properties.ParentId)}/${r.Properties.PathPart}`;
    };
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method'))
      .map((m) => m.Properties)
      .filter((p) => p.HttpMethod !== 'OPTIONS')
      .map((p) => ({ key: `${p.HttpMethod} ${pathOf(p.ResourceId)}`, p }));
    expect(methods.map((m) => m.key).sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());

    const authorizerId = (name: string) => ({ Ref: stack.getLogicalId(stack.api.node.findChild(name).node.defaultChild as any) });
    for (const route of routes) {
      const { p } = methods.find((m) => m.key === `${route.method} ${route.path}`)!;
      const fnId = functionLogicalId(route.fn);
      expect(JSON.stringify(p.Integration.Uri)).toContain(fnId);
      expect(p.Integration.Type).toBe('AWS_PROXY');
      if (route.auth === 'staff') {
        expect(p.AuthorizationType).toBe('COGNITO_USER_POOLS');
        expect(p.AuthorizerId).toEqual(authorizerId('StaffAuthorizer'));
        expect(p.AuthorizationScopes).toBeUndefined(); // ID tokens
        expect(p.ApiKeyRequired ?? false).toBe(false);
      } else if (route.auth === 'consumer') {
        // Access tokens of a consumer app client with one of the route's scopes; the API key stays for the usage plan.
        expect(p.AuthorizationType).toBe('COGNITO_USER_POOLS');
        expect(p.AuthorizerId).toEqual(authorizerId('ConsumerAuthorizer'));
        expect(route.scopes!.length).toBeGreaterThan(0);
        expect(p.AuthorizationScopes).toEqual(route.scopes);
        expect(p.ApiKeyRequired).toBe(true);
      } else if (route.auth === 'public') {
        // The health check: no credentials at all (a load balancer has none), throttled on the method (stage test).
        expect(p.AuthorizationType).toBe('NONE');
        expect(p.AuthorizerId).toBeUndefined();
        expect(p.ApiKeyRequired ?? false).toBe(false);
      } else {
        expect(route.auth).toBe('paymentGateway');
        expect(p.AuthorizationType).toBe('NONE');
        expect(p.ApiKeyRequired ?? false).toBe(false);
      }
    }
    expect(routes.filter((r) => r.auth === 'public').map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/health', 'GET /v1/openapi.json']);
    template.resourceCountIs('AWS::ApiGateway::RequestValidator', 0);
  });

  it('has stage prod with access logs, tracing, throttling (payment route too), and a usage plan with API keys', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      TracingEnabled: true,
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      MethodSettings: Match.arrayWith([
        Match.objectLike({ HttpMethod: '*', ThrottlingRateLimit: Match.anyValue() }),
        ...routes
          .filter((r) => r.auth === 'paymentGateway')
          .map((r) =>
            Match.objectLike({ HttpMethod: r.method, ResourcePath: `/${r.path.replaceAll('/', '~1')}`, ThrottlingRateLimit: Match.anyValue() }),
          ),
        ...routes
          .filter((r) => r.auth === 'public')
          .map((r) =>
            Match.objectLike({
              HttpMethod: r.method,
              ResourcePath: `/${r.path.replaceAll('/', '~1')}`,
              ThrottlingRateLimit: PUBLIC_ROUTE_THROTTLE.rateLimit,
              ThrottlingBurstLimit: PUBLIC_ROUTE_THROTTLE.burstLimit,
            }),
          ),
      ]),
    });
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: Match.anyValue(), BurstLimit: Match.anyValue() },
      ApiStages: [Match.objectLike({ Stage: Match.anyValue() })],
    });
    template.resourceCountIs('AWS::ApiGateway::ApiKey', 2);
    template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 2);
    // The authorizer's 401 has the API's error shape (the handlers' UnauthorizedError body).
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      StatusCode: '401',
      ResponseParameters: Match.objectLike({ 'gatewayresponse.header.WWW-Authenticate': "'Bearer'" }),
      ResponseTemplates: { 'application/json': JSON.stringify(new UnauthorizedError().toBody()) },
    });
    const authorizers = Object.values(template.findResources('AWS::ApiGateway::Authorizer')).map((a) => a.Properties);
    expect(authorizers).toHaveLength(2); // staff (ID tokens) and consumers (access tokens with scopes)
    for (const a of authorizers) expect(a.Type).toBe('COGNITO_USER_POOLS');
  });

  it('gives each consumer an OAuth2 client-credentials app client with a secret and only its scopes, on a token domain', () => {
    const scopes = Object.values(consumerScopes);
    expect(scopes).toEqual(['bhxh-eservices/household-renewal', 'bhxh-eservices/unemployment-history', 'bhxh-eservices/lump-sum']);
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: CONSUMER_RESOURCE_SERVER,
      Scopes: scopes.map((s) => Match.objectLike({ ScopeName: s.split('/')[1] })),
    });
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'bhxh-eservices-79' });
    const clients = Object.entries(template.findResources('AWS::Cognito::UserPoolClient'));
    const consumers = clients.filter(([, c]) => c.Properties.AllowedOAuthFlows?.includes('client_credentials'));
    expect(consumers.map(([, c]) => c.Properties.ClientName).sort()).toEqual(['portal-consumer', 'vssid-consumer']);
    for (const [, c] of consumers) {
      expect(c.Properties.AllowedOAuthFlows).toEqual(['client_credentials']);
      expect(c.Properties.AllowedOAuthFlowsUserPoolClient).toBe(true);
      expect(c.Properties.GenerateSecret).toBe(true);
      expect(c.Properties.AllowedOAuthScopes.sort()).toEqual([...scopes].sort());
    }
    // The API functions behind consumer routes map each app client id to its consumer name.
    const consumerFns = [...new Set(routes.filter((r) => r.auth === 'consumer').map((r) => r.fn))];
    expect(consumerFns.sort()).toEqual(['ApplicationsApi', 'HouseholdRenewalsApi', 'LumpSumClaimsApi', 'UnemploymentHistoryRequestsApi']);
    for (const fn of consumerFns) {
      const env = JSON.stringify(resources[functionLogicalId(fn)].Properties.Environment.Variables.CONSUMER_CLIENTS);
      for (const [id, c] of consumers) {
        expect(env).toContain(JSON.stringify({ Ref: id }));
        expect(env).toContain(`":\\"${c.Properties.ClientName.replace('-consumer', '')}\\"`);
      }
    }
    expect(resources[functionLogicalId('ReviewItemsApi')].Properties.Environment.Variables.CONSUMER_CLIENTS).toBeUndefined();
  });

  it('has a staff user pool: no self sign-up, optional MFA, custom province attribute, groups staff and supervisor', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'OPTIONAL',
      Schema: Match.arrayWith([Match.objectLike({ Name: 'province', AttributeDataType: 'String' })]),
    });
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map((g) => g.Properties.GroupName);
    expect(groups.sort()).toEqual(['staff', 'supervisor']);
    const client = Object.values(template.findResources('AWS::Cognito::UserPoolClient'))
      .map((c) => c.Properties)
      .find((c) => c.ExplicitAuthFlows?.includes('ALLOW_USER_SRP_AUTH'));
    expect(client.ReadAttributes).toContain('custom:province');
    expect(client.WriteAttributes).not.toContain('custom:province');
  });

  it('schedules every scheduled catalog function at its rate and alarms on failures and 5xx', () => {
    for (const [name, spec] of Object.entries(scheduledFunctionSpecs)) {
      const rate = spec.rateMinutes === 1 ? 'rate(1 minute)' : `rate(${spec.rateMinutes} minutes)`;
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: rate,
        State: 'ENABLED',
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionLogicalId(name), 'Arn'] } })],
      });
    }
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    const byMetric = (metric: string) => alarms.filter((a) => a.MetricName === metric);
    expect(byMetric('ExecutionsFailed')).toHaveLength(Object.keys(workflowSpecs).length);
    expect(byMetric('Errors')).toHaveLength(Object.keys(scheduledFunctionSpecs).length + Object.keys(eventFunctionSpecs).length);
    expect(byMetric('5XXError')).toHaveLength(1);
    for (const a of alarms) {
      expect(a.Threshold).toBe(0);
      expect(a.ComparisonOperator).toBe('GreaterThanThreshold');
      expect(a.AlarmActions).toHaveLength(1);
    }
  });
});

describe('execution-ended rule (no application without an outcome)', () => {
  const queueId = () => stack.getLogicalId(stack.reviewQueue.deadLetterQueues.ExecutionEnded!.node.defaultChild as any);

  it('matches FAILED / TIMED_OUT / ABORTED executions of the three service machines only, and targets ExecutionEnded with retries and a DLQ', () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule')).filter((r) => r.Properties.EventPattern);
    const [rule] = rules.filter((r) => r.Properties.EventPattern.source?.includes('aws.states') && r.Properties.Targets?.some((t: any) => t.Arn?.['Fn::GetAtt']?.[0] === functionLogicalId('ExecutionEnded')));
    expect(rule, 'the ExecutionEnded rule').toBeDefined();
    expect(rule.Properties.State).toBe('ENABLED');
    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: {
        status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
        stateMachineArn: (['HouseholdRenewal', 'UnemploymentHistory', 'LumpSumWithdrawal'] as const).map((m) => ({ Ref: machineLogicalId(m) })),
      },
    });
    expect(JSON.stringify(rule.Properties.EventPattern)).not.toContain(machineLogicalId('IdentityVerification'));
    expect(rule.Properties.Targets).toHaveLength(1);
    expect(rule.Properties.Targets[0]).toMatchObject({
      RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86_400 },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId(), 'Arn'] } },
    });
    // EventBridge may invoke the function (from this rule only) and write to the DLQ.
    const ruleId = Object.entries(template.findResources('AWS::Events::Rule')).find(([, r]) => r === rule)![0];
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [functionLogicalId('ExecutionEnded'), 'Arn'] },
      SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
    });
    const queuePolicy = Object.values(template.findResources('AWS::SQS::QueuePolicy')).find((p) => p.Properties.Queues.some((q: any) => q.Ref === queueId()))!;
    expect(JSON.stringify(queuePolicy.Properties.PolicyDocument)).toContain('events.amazonaws.com');
  });

  it('the DLQ is encrypted, TLS-only, alarmed; failed invocations retry then land there too', () => {
    const queue = resources[queueId()].Properties;
    expect(queue.SqsManagedSseEnabled).toBe(true);
    expect(queue.MessageRetentionPeriod).toBe(14 * 86_400);
    const queuePolicy = Object.values(template.findResources('AWS::SQS::QueuePolicy')).find((p) => p.Properties.Queues.some((q: any) => q.Ref === queueId()))!;
    expect(queuePolicy.Properties.PolicyDocument.Statement).toEqual(
      expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
    );
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionLogicalId('ExecutionEnded') },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId(), 'Arn'] } } },
    });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    expect(alarms.some((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible' && JSON.stringify(a.Dimensions).includes(queueId()))).toBe(true);
  });

  it('least privilege: the tables of its spec, SendMessage to its DLQ, no Step Functions action, no Scan', () => {
    const stmts = statementsOfRole(roleOfFunction('ExecutionEnded'));
    const actions = new Set(stmts.flatMap(actionsOf));
    expect([...actions].filter((a) => a.startsWith('states:'))).toEqual([]);
    expect(actions.has('dynamodb:Scan')).toBe(false);
    const sqsStmts = stmts.filter((s) => actionsOf(s).some((a) => a.startsWith('sqs:')));
    expect(sqsStmts.flatMap(actionsOf).every((a) => ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'].includes(a))).toBe(true);
    expect(sqsStmts.map((s) => s.Resource)).toEqual(sqsStmts.map(() => ({ 'Fn::GetAtt': [queueId(), 'Arn'] })));
    const tableResources = JSON.stringify(stmts.filter((s) => actionsOf(s).includes('dynamodb:UpdateItem')).map((s) => s.Resource));
    for (const table of ['applications', 'reviewItems']) {
      const id = stack.getLogicalId(stack.tables.byName[table as 'applications'].node.defaultChild as any);
      expect(tableResources, table).toContain(id);
    }
    const insurance = stack.getLogicalId(stack.tables.byName.insuranceRecords.node.defaultChild as any);
    expect(JSON.stringify(stmts.map((s) => s.Resource))).not.toContain(insurance);
  });
});

describe('other provinces', () => {
  it('synthesizes a stack of its own for province 01 with its env values', () => {
    // A real account: the province's own settings are required (infra/deploymentSettings.ts).
    const [s01] = synth({
      province: '01',
      account: '123456789012',
      region: 'ap-southeast-1',
      'registryUrl.01': 'https://registry-gw.hanoi.example.vn',
      'consoleOrigin.01': 'https://console-01.example.vn',
      'alarmEmail.01': 'ops-01@example.vn',
      'registryCredentialsSecretName.01': 'bhxh/01/registry-client',
    });
    expect(s01.stackName).toBe('Bhxh-EServices-01');
    expect(s01.account).toBe('123456789012');
    const t = Template.fromStack(s01);
    const settings = provinceSettings('01')!;
    const envs = Object.values(t.findResources('AWS::Lambda::Function'))
      .map((f) => f.Properties.Environment?.Variables)
      .filter((e) => e?.POWERTOOLS_SERVICE_NAME);
    expect(envs).toHaveLength(Object.keys(allFunctionSpecs).length);
    for (const env of envs) {
      expect(env.PROVINCE_CODE).toBe('01');
      if (env.POPULATION_REGISTRY_URL) {
        expect(env.POPULATION_REGISTRY_URL).toBe('https://registry-gw.hanoi.example.vn');
        expect(env.POPULATION_REGISTRY_CREDENTIALS_SECRET).toBe('bhxh/01/registry-client');
      } else expect(env.POPULATION_REGISTRY_CREDENTIALS_SECRET).toBeUndefined();
      expect(env.REVIEW_TIMEOUT_SECONDS).toBe(String(settings.reviewDeadlineHours * 3600));
    }
    t.hasResourceProperties('AWS::ApiGateway::RestApi', { Name: 'bhxh-eservices-01' });
    t.resourceCountIs('AWS::StepFunctions::StateMachine', Object.keys(workflowSpecs).length);
    for (const name of ['UnemploymentHistory', 'LumpSumWithdrawal'] as const) {
      const id = s01.getLogicalId(s01.workflows.byName[name].node.defaultChild as any);
      expect(t.toJSON().Resources[id].Type, name).toBe('AWS::StepFunctions::StateMachine');
    }
  });

  it('reserves per province: Hà Nội 150 / 30 / 12 / 12, a smaller province 40 / 10 / 5 / 5; an account keeps its unreserved pool', () => {
    const names = ['RunIdentityCheck', 'PaymentCallbacksApi', 'ReviewItemsApi', 'ReviewConsoleApi'] as const;
    for (const [code, expected] of [['01', [150, 30, 12, 12]], ['04', [40, 10, 5, 5]]] as const) {
      const [s] = synth({ province: code });
      const r = Template.fromStack(s).toJSON().Resources;
      const got = names.map((n) => r[s.getLogicalId(s.functions.byName[n].node.defaultChild as any)].Properties.ReservedConcurrentExecutions);
      expect(got, code).toEqual(expected);
    }
    const reservedIn = (code: string) =>
      Object.values(allFunctionSpecs).reduce((sum, spec) => sum + (reservedConcurrencyOf(spec, code) ?? 0), 0);
    // HCM and Hà Nội have an account each; the others share group accounts of ≤ 9 provinces. At the default
    // 1,000 concurrent executions AWS keeps ≥ 100 unreserved; the plan keeps ≥ 400 for the unreserved functions.
    expect(reservedIn('79')).toBe(340);
    expect(reservedIn('01')).toBe(204);
    const others = provinces.map((p) => p.code).filter((c) => c !== '79' && c !== '01');
    const largestGroup = others.map(reservedIn).sort((a, b) => b - a).slice(0, 9).reduce((a, b) => a + b, 0);
    expect(largestGroup).toBe(9 * 60);
    for (const perAccount of [reservedIn('79'), reservedIn('01'), largestGroup]) expect(1000 - perAccount).toBeGreaterThanOrEqual(400);
  });

  it('every province code in config/provinces.json (34) has settings', () => {
    expect(provincesFile.provinces).toHaveLength(34);
    expect(new Set(provincesFile.provinces.map((p) => p.code)).size).toBe(34);
    for (const { code } of provincesFile.provinces) {
      const s = provinceSettings(code);
      expect(s, code).toBeDefined();
      expect(s!.reviewDeadlineHours).toBeGreaterThan(0);
      expect(s!.paymentDeadlineHours).toBeGreaterThan(0);
    }
    expect(resolveProvinces('all').map((p) => p.code)).toEqual(provincesFile.provinces.map((p) => p.code));
  });

  it('resolves province context values and rejects unknown or missing codes', () => {
    expect(resolveProvinces('79').map((p) => p.code)).toEqual(['79']);
    expect(resolveProvinces('79,01').map((p) => p.code)).toEqual(['79', '01']);
    expect(() => resolveProvinces('99')).toThrow(/Unknown province code "99"/);
    expect(() => resolveProvinces('7')).toThrow(/Known codes .*79/);
    expect(() => resolveProvinces(undefined)).toThrow(/Missing context "province"/);
    expect(() => resolveProvinces('')).toThrow(/-c province=79/);
    expect(provinces).toHaveLength(34);
  });

  it('-c province=all creates one stack per province, each with every workflow (the two issue-3 machines included)', () => {
    const stacks = synth({ province: 'all' });
    expect(stacks.map((s) => s.stackName)).toEqual(provinces.map((p) => `Bhxh-EServices-${p.code}`));
    for (const s of stacks) {
      expect(Object.keys(s.workflows.byName).sort(), s.stackName).toEqual(Object.keys(workflowSpecs).sort());
      for (const name of ['UnemploymentHistory', 'LumpSumWithdrawal'] as const) {
        expect((s.workflows.byName[name].node.defaultChild as any).cfnResourceType, `${s.stackName} ${name}`).toBe('AWS::StepFunctions::StateMachine');
      }
    }
  });
});

describe('workflow versions and the live alias (issue 13, item 1)', () => {
  it('publishes a retained version of every machine and points a live alias at it with a canary rollout', () => {
    const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], province: '79' } });
    const [s] = addProvinceStacks(app);
    const res = Template.fromStack(s!).toJSON().Resources as Record<string, any>;
    for (const name of Object.keys(workflowSpecs) as (keyof typeof workflowSpecs)[]) {
      const machineId = s!.getLogicalId(s!.workflows.byName[name].node.defaultChild as any);
      const versions = Object.entries(res).filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachineVersion' && r.Properties.StateMachineArn?.Ref === machineId);
      expect(versions, name).toHaveLength(1);
      const [versionId, version] = versions[0]!;
      expect(version.DeletionPolicy, name).toBe('Retain');
      expect(version.Properties.StateMachineRevisionId).toEqual({ 'Fn::GetAtt': [machineId, 'StateMachineRevisionId'] });
      const aliases = Object.values(res).filter((r) => r.Type === 'AWS::StepFunctions::StateMachineAlias' && r.Properties.DeploymentPreference?.StateMachineVersionArn?.['Fn::GetAtt']?.[0] === versionId);
      expect(aliases, name).toHaveLength(1);
      expect(aliases[0].Properties.Name).toBe('live');
      expect(aliases[0].Properties.DeploymentPreference).toMatchObject({ Type: 'CANARY', Percentage: 10, Interval: 10 });
    }
  });

  it('reads the rollout from the workflowRollout context and refuses a malformed one', () => {
    expect(parseWorkflowRollout('ALL_AT_ONCE')).toEqual({ type: 'ALL_AT_ONCE' });
    expect(parseWorkflowRollout('LINEAR:20:5')).toEqual({ type: 'LINEAR', percentage: 20, intervalMinutes: 5 });
    expect(() => parseWorkflowRollout('CANARY:0:5')).toThrow(/workflowRollout must be/);
    expect(() => parseWorkflowRollout('FAST')).toThrow(/workflowRollout must be/);
  });
});
