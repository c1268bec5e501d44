/**
 * Status-change webhooks (issue 11): the applications table's stream (NEW_AND_OLD_IMAGES) → NotifyStatusChange
 * (an event source mapping filtered to items with a notified status, so other writes cost no invocation) → the
 * webhook SQS queue → DeliverWebhook (one attempt per message; a failed attempt re-queues the message with the
 * back-off as DelaySeconds; after the last, a dead letter in the reviewItems table). Messages the function cannot
 * handle at all go to the queue's DLQ after 5 receives; stream batches that keep failing are bisected and, after
 * 10 retries, their position is sent to an on-failure SQS queue.
 *
 * Per consumer: the webhook URL from the province config (`consumerWebhooks`), the signing secret in one Secrets
 * Manager secret (JSON { "<consumer>": "<secret>" }), shared with each consumer out of band.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { NOTIFIED_STATUSES } from '../../functions/domain/webhooks';
import type { ProvinceSettings } from '../../functions/shared/provinces';

export interface NotificationsProps {
  province: ProvinceSettings;
  applicationsTable: dynamodb.ITable;
  notifyStatusChange: lambda.Function;
  deliverWebhook: lambda.Function;
}

export class Notifications extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly streamFailures: sqs.Queue;
  readonly signingSecrets: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    const { province } = props;
    this.deadLetterQueue = new sqs.Queue(this, 'WebhookDlq', {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new sqs.Queue(this, 'WebhookQueue', {
      // ≥ 6 × the function's timeout (AWS's advice for an SQS event source)
      visibilityTimeout: Duration.seconds(90),
      retentionPeriod: Duration.days(4),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
    });
    this.streamFailures = new sqs.Queue(this, 'StreamFailures', {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.signingSecrets = new secretsmanager.Secret(this, 'WebhookSigningSecrets', {
      description: `HMAC-SHA256 keys of the status-change webhooks per consumer, province ${province.code} (JSON consumer → secret)`,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({}),
        generateStringKey: 'portal',
        passwordLength: 64,
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const webhooks = JSON.stringify(province.consumerWebhooks ?? {});
    for (const fn of [props.notifyStatusChange, props.deliverWebhook]) {
      fn.addEnvironment('CONSUMER_WEBHOOKS', webhooks);
      fn.addEnvironment('WEBHOOK_QUEUE_URL', this.queue.queueUrl);
    }
    props.deliverWebhook.addEnvironment('WEBHOOK_SIGNING_SECRETS_ARN', this.signingSecrets.secretArn);
    this.signingSecrets.grantRead(props.deliverWebhook);
    this.queue.grantSendMessages(props.notifyStatusChange);
    this.queue.grantSendMessages(props.deliverWebhook);

    props.notifyStatusChange.addEventSource(
      new DynamoEventSource(props.applicationsTable, {
        startingPosition: lambda.StartingPosition.LATEST,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        retryAttempts: 10,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.streamFailures),
        filters: [
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.or('INSERT', 'MODIFY'),
            dynamodb: { NewImage: { status: { S: lambda.FilterRule.or(...NOTIFIED_STATUSES) }, consumerId: { S: lambda.FilterRule.exists() } } },
          }),
        ],
      }),
    );
    props.deliverWebhook.addEventSource(new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 5 }));
  }
}
