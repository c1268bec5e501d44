/**
 * One NodejsFunction per entry of the catalog's stepFunctionSpecs, apiFunctionSpecs, scheduledFunctionSpecs and
 * eventFunctionSpecs.
 * Environment variables follow docs/design.md; IAM follows each spec's `tables` and `stepFunctions` exactly.
 *
 * Entry files are bundled by the local esbuild (no Docker) when the stack is bundled (`cdk synth`/`deploy`).
 * When bundling is skipped for the stack (context `aws:cdk:bundling-stacks`, as the tests do), CDK uses a
 * placeholder asset; an entry module that does not exist yet is then tolerated with an inline placeholder
 * (and a synth warning), because NodejsFunction checks that the entry exists before it looks at bundling.
 * A stack that is really bundled never gets a placeholder: a missing entry fails the synth.
 */
import { registryWaitSettings } from '../../functions/shared/registryWaitSettings';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  apiFunctionSpecs,
  eventFunctionSpecs,
  notificationFunctionSpecs,
  routes,
  scheduledFunctionSpecs,
  stepFunctionSpecs,
  workflowSpecs,
  type FunctionSpec,
  type TableAccess,
  type TableName,
  type WorkflowName,
} from '../../functions/catalog';
import type { ProvinceSettings } from '../../functions/shared/provinces';
import { lambdaBundling, lambdaNodeOptions } from '../bundling';
import { tableShapes } from '../tables';

/** Repository root (entry paths in the catalog are relative to it). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export const allFunctionSpecs: Record<string, FunctionSpec> = {
  ...stepFunctionSpecs,
  ...apiFunctionSpecs,
  ...scheduledFunctionSpecs,
  ...eventFunctionSpecs,
  ...notificationFunctionSpecs,
};
export type FunctionName =
  | keyof typeof stepFunctionSpecs
  | keyof typeof apiFunctionSpecs
  | keyof typeof scheduledFunctionSpecs
  | keyof typeof eventFunctionSpecs
  | keyof typeof notificationFunctionSpecs;

export { ESM_REQUIRE_BANNER } from '../bundling';

/** The bundling options of every function (infra/bundling.ts): the bundle benchmark and test use this object. */
export const functionBundling: nodejs.BundlingOptions = lambdaBundling(repoRoot);
/** NODE_OPTIONS of every function (none without source maps). */
export const functionNodeOptions = lambdaNodeOptions(functionBundling);

export const SERVICE_NAME = 'bhxh-eservices';

export interface FunctionsProps {
  province: ProvinceSettings;
  tables: Record<TableName, dynamodb.ITable>;
  /** Base URL of the national population registry gateway. */
  registryUrl: string;
  /** Secrets Manager name of the registry gateway's client credentials (config/deployments.json); read by the registry callers. */
  registryCredentialsSecretName?: string | null;
  /** HMAC secret of the payment gateway; its ARN goes to the functions behind `paymentGateway` routes. */
  paymentWebhookSecret: secretsmanager.ISecret;
  /** The review search's HMAC key; its ARN goes to the functions whose spec has `searchKey`. */
  searchKeySecret: secretsmanager.ISecret;
  logRetention?: logs.RetentionDays;
}

/** The function's reserved concurrency in this province's stack (catalog `reservedConcurrency`); none when unset. */
export function reservedConcurrencyOf(spec: FunctionSpec, provinceCode: string): number | undefined {
  const r = spec.reservedConcurrency;
  if (!r) return undefined;
  return r.byProvince?.[provinceCode] ?? r.default;
}

/** DynamoDB actions per access level of the catalog. Transactions need the per-item actions. */
export const TABLE_ACTIONS = {
  // The health check: is the table there and reachable (no item read).
  describe: ['dynamodb:DescribeTable'],
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
  readWrite: [
    'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem',
    'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem',
  ],
} as const;

export class Functions extends Construct {
  readonly byName: Record<FunctionName, nodejs.NodejsFunction>;
  /** Entry modules that did not exist at synth time (only possible when bundling is skipped). */
  readonly missingEntries: string[] = [];

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    const { province } = props;
    const bundlingRequired = Stack.of(this).bundlingRequired;
    const paymentGatewayFns = new Set(routes.filter((r) => r.auth === 'paymentGateway').map((r) => r.fn as string));

    const missing = Object.values(allFunctionSpecs)
      .map((s) => s.entry)
      .filter((e) => !existsSync(join(repoRoot, e)));
    if (missing.length > 0 && bundlingRequired) {
      throw new Error(
        `Cannot bundle ${Stack.of(this).stackName}: catalog entry modules missing: ${missing.join(', ')}`,
      );
    }
    this.missingEntries.push(...missing);

    // The province's registry gateway credentials: a secret its operators own (config/deployments.json names it).
    const registryCredentials = props.registryCredentialsSecretName
      ? secretsmanager.Secret.fromSecretNameV2(this, 'RegistryCredentials', props.registryCredentialsSecretName)
      : null;
    const byName = {} as Record<FunctionName, nodejs.NodejsFunction>;
    const registryWait = registryWaitSettings(province.code);
    for (const [name, spec] of Object.entries(allFunctionSpecs) as [FunctionName, FunctionSpec][]) {
      const entry = join(repoRoot, spec.entry);
      const entryExists = !missing.includes(spec.entry);

      const environment: Record<string, string> = {
        PROVINCE_CODE: province.code,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        REVIEW_TIMEOUT_SECONDS: String(province.reviewDeadlineHours * 3600),
        PAYMENT_TIMEOUT_SECONDS: String(province.paymentDeadlineHours * 3600),
        REGISTRY_WAIT_SECONDS: String(registryWait.registryWaitHours * 3600),
        REGISTRY_RETRY_FIRST_DELAY_SECONDS: String(registryWait.registryRetryFirstDelaySeconds),
        REGISTRY_RETRY_MAX_DELAY_SECONDS: String(registryWait.registryRetryMaxDelaySeconds),
        ...(functionNodeOptions ? { NODE_OPTIONS: functionNodeOptions } : {}),
      };
      for (const table of Object.keys(spec.tables) as TableName[]) {
        const shape = tableShapes.find((s) => s.logicalName === table);
        if (!shape) throw new Error(`Catalog function ${name} uses unknown table ${table}`);
        environment[shape.envVar] = props.tables[table].tableName;
      }
      if (spec.usesRegistry) environment.POPULATION_REGISTRY_URL = props.registryUrl;
      if (spec.usesRegistry && props.registryCredentialsSecretName) environment.POPULATION_REGISTRY_CREDENTIALS_SECRET = props.registryCredentialsSecretName;
      if (spec.registryAttempts !== undefined) environment.POPULATION_REGISTRY_MAX_ATTEMPTS = String(spec.registryAttempts);
      if (spec.registryTimeoutMs !== undefined) environment.POPULATION_REGISTRY_TIMEOUT_MS = String(spec.registryTimeoutMs);
      if (paymentGatewayFns.has(name)) environment.PAYMENT_WEBHOOK_SECRET_ARN = props.paymentWebhookSecret.secretArn;
      if (spec.searchKey) environment.SEARCH_KEY_SECRET_ARN = props.searchKeySecret.secretArn;

      const logGroup = new logs.LogGroup(this, `${name}Logs`, {
        retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      });

      const common: nodejs.NodejsFunctionProps = {
        description: `${SERVICE_NAME} ${province.code} ${name}`,
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: spec.memoryMb ?? 512,
        timeout: Duration.seconds(spec.timeoutSeconds ?? 10),
        tracing: lambda.Tracing.ACTIVE,
        reservedConcurrentExecutions: reservedConcurrencyOf(spec, province.code),
        // The search key is read through the Parameters and Secrets extension (functions/adapters/secrets.ts).
        ...(spec.searchKey ? { paramsAndSecrets: lambda.ParamsAndSecretsLayerVersion.fromVersion(lambda.ParamsAndSecretsVersions.V1_0_103) } : {}),
        logGroup,
        environment,
      };
      const fn = entryExists
        ? new nodejs.NodejsFunction(this, name, {
            ...common,
            entry,
            handler: 'handler',
            projectRoot: repoRoot,
            depsLockFilePath: join(repoRoot, 'package-lock.json'),
            bundling: functionBundling,
          })
        : new nodejs.NodejsFunction(this, name, {
            ...common,
            handler: 'index.handler',
            code: lambda.Code.fromInline(
              `exports.handler = async () => { throw new Error('placeholder: ${spec.entry} did not exist at synth time'); };`,
            ),
          });
      if (!entryExists) {
        Annotations.of(fn).addWarningV2(
          'bhxh:placeholderEntry',
          `Entry module ${spec.entry} does not exist; inline placeholder used because bundling is skipped for this stack.`,
        );
      }

      for (const [table, access] of Object.entries(spec.tables) as [TableName, TableAccess][]) {
        // Only the actions the code uses (table and its indexes): no Scan, no table management.
        props.tables[table].grant(fn, ...TABLE_ACTIONS[access]);
      }
      if (paymentGatewayFns.has(name)) props.paymentWebhookSecret.grantRead(fn);
      if (spec.usesRegistry && registryCredentials) registryCredentials.grantRead(fn);
      if (spec.searchKey) props.searchKeySecret.grantRead(fn);
      byName[name] = fn;
    }
    this.byName = byName;
  }

  /**
   * Environment and IAM that need the state machines (created after the step functions they call):
   * - StartExecution: on the `live` alias of every workflow that publishes its ARN (`arnEnv`), whose ARN is that
   *   env var (executions start on the version the alias routes to; the unqualified ARN is granted too, which is
   *   how IAM has matched qualified starts, aws-cdk#26546);
   * - DescribeExecution: on the executions of those workflows (execution ARNs never carry the qualifier);
   * - DescribeStateMachine: on those machines (the health check describes the machine behind the alias);
   * - SendTaskSuccess / SendTaskFailure: on every workflow of the stack and its versions (task tokens can come
   *   from any of them, from executions of any version).
   */
  connectWorkflows(machines: Record<WorkflowName, sfn.StateMachine>, releases: Record<WorkflowName, { liveAliasArn: string }>): void {
    for (const [name, spec] of Object.entries(allFunctionSpecs) as [FunctionName, FunctionSpec][]) {
      const actions = spec.stepFunctions ?? [];
      if (actions.length === 0) continue;
      if (spec.placeholder) {
        // Its ARN is in a definition, so the machine's ARN in its role or env would be a dependency cycle.
        throw new Error(`Step function ${name} cannot call Step Functions APIs on the workflows of its own stack`);
      }
      const fn = this.byName[name];
      for (const [wfName, wf] of Object.entries(workflowSpecs) as [WorkflowName, (typeof workflowSpecs)[WorkflowName]][]) {
        const machine = machines[wfName];
        const { liveAliasArn } = releases[wfName];
        const arnEnv = 'arnEnv' in wf ? wf.arnEnv : undefined;
        if (arnEnv && (actions.includes('StartExecution') || actions.includes('DescribeExecution') || actions.includes('DescribeStateMachine'))) {
          fn.addEnvironment(arnEnv, liveAliasArn);
          if (actions.includes('StartExecution')) {
            fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [liveAliasArn, machine.stateMachineArn] }));
          }
          if (actions.includes('DescribeExecution')) machine.grantExecution(fn, 'states:DescribeExecution');
          if (actions.includes('DescribeStateMachine')) machine.grant(fn, 'states:DescribeStateMachine');
        }
        const taskActions = actions
          .filter((a) => a === 'SendTaskSuccess' || a === 'SendTaskFailure')
          .map((a) => `states:${a}`);
        if (taskActions.length > 0) {
          fn.addToRolePolicy(new iam.PolicyStatement({ actions: taskActions, resources: [machine.stateMachineArn, `${machine.stateMachineArn}:*`] }));
        }
      }
    }
  }
}
