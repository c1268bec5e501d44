/**
 * Review-queue operations: the EventBridge schedule of every catalog scheduled function (ResumeSweeper resumes
 * decided items whose SendTaskSuccess did not go through), the EventBridge rule of every catalog event function
 * (ExecutionEnded: a service workflow execution that ended FAILED / TIMED_OUT / ABORTED ends its application
 * FAILED), and the alarms on-call watches: workflow executions failed, scheduled / event function errors, events
 * left in a dead-letter queue, API 5xx. Alarms notify an SNS topic (email subscription when context `alarmEmail`
 * is set).
 *
 * Supervisors' notices: a second topic per province (`supervisorTopic`, SSL only) the EscalateOverdueReviews function
 * publishes to (SUPERVISOR_NOTICES_TOPIC_ARN; one message per run with escalated items, no personal data:
 * functions/adapters/supervisorNotices.ts). Supervisors subscribe (e-mail when context `supervisorEmails` is set,
 * comma-separated).
 *
 * Event functions: the rule matches `source`, `detail-type`, `detail.status` and `detail.stateMachineArn` (the
 * catalog's workflows). The Lambda target retries delivery (EventBridge) and the function retries a failed
 * invocation (async invoke config); whatever is still undelivered or failing lands in one SQS dead-letter queue
 * per function (SSE, TLS only, 14 days), alarmed.
 */
import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambdaDestinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { eventFunctionSpecs, scheduledFunctionSpecs, type EventRuleSpec, type WorkflowName } from '../../functions/catalog';

type ScheduledFunctionName = keyof typeof scheduledFunctionSpecs;
type EventFunctionName = keyof typeof eventFunctionSpecs;

export interface ReviewQueueProps {
  provinceCode: string;
  scheduledFunctions: Record<ScheduledFunctionName, lambda.IFunction>;
  eventFunctions: Record<EventFunctionName, lambda.IFunction>;
  stateMachines: Record<WorkflowName, sfn.IStateMachine>;
  restApi: apigw.RestApi;
  alarmEmail?: string;
  /** E-mail addresses subscribed to the supervisors' notices. */
  supervisorEmails?: string[];
}

export class ReviewQueue extends Construct {
  readonly alarmTopic: sns.Topic;
  readonly supervisorTopic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly deadLetterQueues: Partial<Record<EventFunctionName, sqs.Queue>> = {};

  constructor(scope: Construct, id: string, props: ReviewQueueProps) {
    super(scope, id);
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `BHXH e-services ${props.provinceCode} alarms`,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));

    this.supervisorTopic = new sns.Topic(this, 'SupervisorNotices', {
      displayName: `BHXH ${props.provinceCode} - yeu cau xem xet qua han`,
      enforceSSL: true,
    });
    for (const email of props.supervisorEmails ?? []) this.supervisorTopic.addSubscription(new subscriptions.EmailSubscription(email));
    // The function's SUPERVISOR_NOTICES_TOPIC_ARN is set by the province stack (it holds the concrete function).
    this.supervisorTopic.grantPublish(props.scheduledFunctions.EscalateOverdueReviews);
    const action = new cwActions.SnsAction(this.alarmTopic);
    const alarm = (alarmId: string, metric: cloudwatch.IMetric, description: string) => {
      const a = new cloudwatch.Alarm(this, alarmId, {
        metric,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `[${props.provinceCode}] ${description}`,
      });
      a.addAlarmAction(action);
      this.alarms.push(a);
      return a;
    };

    for (const [name, spec] of Object.entries(scheduledFunctionSpecs) as [ScheduledFunctionName, { rateMinutes: number }][]) {
      const fn = props.scheduledFunctions[name];
      new events.Rule(this, `${name}Schedule`, {
        description: `Runs ${name} every ${spec.rateMinutes} minute(s)`,
        schedule: events.Schedule.rate(Duration.minutes(spec.rateMinutes)),
        targets: [new targets.LambdaFunction(fn, { retryAttempts: 0 })], // the next tick is the retry
      });
      alarm(`${name}Errors`, fn.metricErrors({ period: Duration.minutes(5) }), `${name} failed (review items may not resume)`);
    }

    for (const [name, spec] of Object.entries(eventFunctionSpecs) as [EventFunctionName, { rule: EventRuleSpec }][]) {
      const fn = props.eventFunctions[name];
      const { rule } = spec;
      const deadLetters = new sqs.Queue(this, `${name}DeadLetters`, {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      this.deadLetterQueues[name] = deadLetters;
      // Failed invocations (the handler threw, e.g. DynamoDB unavailable): Lambda retries, then the queue.
      fn.configureAsyncInvoke({
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
        onFailure: new lambdaDestinations.SqsDestination(deadLetters),
      });
      new events.Rule(this, `${name}Rule`, {
        description: rule.description,
        eventPattern: {
          source: rule.source,
          detailType: rule.detailType,
          detail: {
            status: rule.statuses,
            stateMachineArn: rule.workflows.map((w) => props.stateMachines[w].stateMachineArn),
          },
        },
        // Undelivered events (throttled, the function unavailable): EventBridge retries, then the queue.
        targets: [new targets.LambdaFunction(fn, { retryAttempts: 8, maxEventAge: Duration.hours(24), deadLetterQueue: deadLetters })],
      });
      alarm(`${name}Errors`, fn.metricErrors({ period: Duration.minutes(5) }), `${name} failed (an ended execution's application may not be closed yet)`);
      alarm(
        `${name}DeadLettersVisible`,
        deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        `${name} events in the dead-letter queue (applications of ended executions not closed: redrive after fixing)`,
      );
    }

    for (const [name, machine] of Object.entries(props.stateMachines)) {
      alarm(
        `${name}ExecutionsFailed`,
        machine.metricFailed({ period: Duration.minutes(5) }),
        `${name} executions failed (an application ended FAILED or its outcome was not recorded)`,
      );
    }

    alarm('Api5xx', props.restApi.metricServerError({ period: Duration.minutes(5) }), 'API returned 5xx');
  }
}
