/**
 * The e-services backbone of one province: tables, functions, workflows, REST API + staff user pool,
 * review-queue schedule and alarms. Everything is built from functions/catalog.ts, infra/tables.ts and the
 * province's settings (config/provinces.json via functions/shared/provinces.ts).
 */
import { CfnOutput, RemovalPolicy, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { stepFunctionSpecs, apiFunctionSpecs, scheduledFunctionSpecs, eventFunctionSpecs, routes } from '../functions/catalog';
import type { ProvinceSettings } from '../functions/shared/provinces';
import { Api } from './constructs/api';
import { DataTables } from './constructs/dataTables';
import { Functions, SERVICE_NAME } from './constructs/functions';
import { Notifications } from './constructs/notifications';
import { ReviewQueue } from './constructs/reviewQueue';
import { StaffConsole } from './constructs/staffConsole';
import { Workflows, type WorkflowRollout } from './constructs/workflows';

export interface ProvinceStackProps extends StackProps {
  province: ProvinceSettings;
  /** Base URL of the population registry gateway. */
  registryUrl: string;
  /** Staff console origin for CORS ('*' = any). */
  consoleOrigin: string;
  alarmEmail?: string;
  /** Secrets Manager name of the registry gateway's client credentials (infra/deploymentSettings.ts). */
  registryCredentialsSecretName?: string | null;
  /** E-mail addresses subscribed to the supervisors' notices (escalated review items). */
  supervisorEmails?: string[];
  /** How the workflows' `live` aliases move to a new version (infra/constructs/workflows.ts). */
  workflowRollout?: WorkflowRollout;
  /** Directory of the built staff console (console/build.ts); without it the stack serves no console. */
  consoleDir?: string;
}

export const stackNameFor = (provinceCode: string) => `Bhxh-EServices-${provinceCode}`;

const pick = <T extends object, K extends string>(all: Record<string, T>, keys: K[]) =>
  Object.fromEntries(keys.map((k) => [k, all[k]])) as Record<K, T>;

export class ProvinceStack extends Stack {
  readonly tables: DataTables;
  readonly functions: Functions;
  readonly workflows: Workflows;
  readonly api: Api;
  readonly reviewQueue: ReviewQueue;
  readonly notifications: Notifications;
  readonly paymentWebhookSecret: secretsmanager.Secret;
  /** The province's key of the review search's personal-ID hash (functions/reviewQueue/reviewSearch.ts). */
  readonly searchKeySecret: secretsmanager.Secret;
  readonly staffConsole?: StaffConsole;

  constructor(scope: Construct, id: string, props: ProvinceStackProps) {
    super(scope, id, {
      description: `BHXH e-services backbone, province ${props.province.code} (${props.province.name})`,
      ...props,
    });
    const { province } = props;
    Tags.of(this).add('system', SERVICE_NAME);
    Tags.of(this).add('province', province.code);

    this.tables = new DataTables(this, 'Tables');

    // Shared with the payment gateway; the value never appears in the template or in Lambda environment
    // variables: the callback handler reads it at runtime from PAYMENT_WEBHOOK_SECRET_ARN.
    this.paymentWebhookSecret = new secretsmanager.Secret(this, 'PaymentWebhookSecret', {
      description: `HMAC-SHA256 key of payment gateway callbacks, province ${province.code}`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Its loss would make the stored search hashes unfindable (not unsafe): retained like the tables.
    this.searchKeySecret = new secretsmanager.Secret(this, 'ReviewSearchKey', {
      description: `HMAC-SHA256 key of the review search by personal ID, province ${province.code}`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.functions = new Functions(this, 'Functions', {
      province,
      tables: this.tables.byName,
      registryUrl: props.registryUrl,
      registryCredentialsSecretName: props.registryCredentialsSecretName,
      paymentWebhookSecret: this.paymentWebhookSecret,
      searchKeySecret: this.searchKeySecret,
    });
    const fns: Record<string, lambda.IFunction> = this.functions.byName;

    this.workflows = new Workflows(this, 'Workflows', {
      functions: pick(fns, Object.keys(stepFunctionSpecs) as (keyof typeof stepFunctionSpecs)[]),
      rollout: props.workflowRollout,
    });
    this.functions.connectWorkflows(this.workflows.byName, this.workflows.releases);

    this.api = new Api(this, 'Api', {
      provinceCode: province.code,
      functions: pick(fns, Object.keys(apiFunctionSpecs) as (keyof typeof apiFunctionSpecs)[]),
      consoleOrigin: props.consoleOrigin,
    });
    // The functions behind consumer routes name their caller from the access token's client_id.
    const consumerClients = this.api.consumerClientsEnv();
    for (const fn of new Set(routes.filter((r) => r.auth === 'consumer').map((r) => r.fn))) {
      this.functions.byName[fn].addEnvironment('CONSUMER_CLIENTS', consumerClients);
    }

    // Status-change webhooks to the consumers (issue 11).
    this.notifications = new Notifications(this, 'Notifications', {
      province,
      applicationsTable: this.tables.byName.applications,
      notifyStatusChange: this.functions.byName.NotifyStatusChange,
      deliverWebhook: this.functions.byName.DeliverWebhook,
    });

    this.reviewQueue = new ReviewQueue(this, 'ReviewQueue', {
      provinceCode: province.code,
      scheduledFunctions: pick(fns, Object.keys(scheduledFunctionSpecs) as (keyof typeof scheduledFunctionSpecs)[]),
      eventFunctions: pick(fns, Object.keys(eventFunctionSpecs) as (keyof typeof eventFunctionSpecs)[]),
      stateMachines: this.workflows.byName,
      restApi: this.api.restApi,
      alarmEmail: props.alarmEmail,
      supervisorEmails: props.supervisorEmails,
    });
    this.functions.byName.EscalateOverdueReviews.addEnvironment('SUPERVISOR_NOTICES_TOPIC_ARN', this.reviewQueue.supervisorTopic.topicArn);

    if (props.consoleDir) {
      this.staffConsole = new StaffConsole(this, 'StaffConsole', {
        provinceCode: province.code,
        consoleDir: props.consoleDir,
        restApi: this.api.restApi,
        userPool: this.api.userPool,
        userPoolClient: this.api.consoleClient,
      });
    }

    for (const [name, machine] of Object.entries(this.workflows.byName)) {
      new CfnOutput(this, `${name}StateMachineArn`, { value: machine.stateMachineArn });
      new CfnOutput(this, `${name}LiveAliasArn`, { value: this.workflows.releases[name as keyof typeof this.workflows.releases].liveAliasArn });
    }
    new CfnOutput(this, 'PaymentWebhookSecretArn', { value: this.paymentWebhookSecret.secretArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.reviewQueue.alarmTopic.topicArn });
    new CfnOutput(this, 'SupervisorNoticesTopicArn', { value: this.reviewQueue.supervisorTopic.topicArn });
  }
}
