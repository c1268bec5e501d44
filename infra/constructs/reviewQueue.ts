/**
 * Review-queue operations: the EventBridge schedule of every catalog scheduled function (ResumeSweeper resumes
 * decided items whose SendTaskSuccess did not go through), and the alarms on-call watches:
 * workflow executions failed, scheduled function errors, API 5xx. Alarms notify an SNS topic
 * (email subscription when context `alarmEmail` is set).
 */
import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { scheduledFunctionSpecs } from '../../functions/catalog';

type ScheduledFunctionName = keyof typeof scheduledFunctionSpecs;

export interface ReviewQueueProps {
  provinceCode: string;
  scheduledFunctions: Record<ScheduledFunctionName, lambda.IFunction>;
  stateMachines: Record<string, sfn.IStateMachine>;
  restApi: apigw.RestApi;
  alarmEmail?: string;
}

export class ReviewQueue extends Construct {
  readonly alarmTopic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ReviewQueueProps) {
    super(scope, id);
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `BHXH e-services ${props.provinceCode} alarms`,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
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
