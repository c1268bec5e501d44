/**
 * List prices the bench prices one application with (USD, us-east-1, on-demand, no free tier, the first
 * volume tier). Checked on the date below against the sources named per price; ap-southeast-1 (Singapore, the
 * nearest region to Vietnam) is a few percent higher for most of these. Re-check before quoting a figure.
 */
export const PRICES_CHECKED_ON = '2026-12-02';
export const PRICES_REGION = 'us-east-1';

/** infra/constructs/functions.ts: `memorySize: spec.memoryMb ?? 512`. */
export const DEFAULT_LAMBDA_MEMORY_MB = 512;
/** Express workflows are billed in 64 MB chunks of memory (definition + payload); ours fit in the first. */
export const EXPRESS_MEMORY_MB = 64;

export interface Price {
  usd: number;
  per: string;
  source: string;
  note?: string;
}

export const prices = {
  stepFunctionsStandardTransition: {
    usd: 0.025 / 1000,
    per: 'state transition (Standard; retries included)',
    source: 'https://aws.amazon.com/step-functions/pricing/',
    note: '$0.025 per 1,000 state transitions; 4,000/month free tier not applied',
  },
  stepFunctionsExpressRequest: {
    usd: 1.0 / 1e6,
    per: 'Express execution started',
    source: 'https://aws.amazon.com/step-functions/pricing/',
    note: '$1.00 per million requests',
  },
  stepFunctionsExpressGbSecond: {
    usd: 0.00001667,
    per: 'Express GB-second (duration rounded up to 100 ms, memory in 64 MB chunks)',
    source: 'https://aws.amazon.com/step-functions/pricing/',
    note: 'first tier ($0.06 per GB-hour, first 1,000 GB-hours a month); lower tiers after',
  },
  lambdaRequest: {
    usd: 0.2 / 1e6,
    per: 'Lambda invocation',
    source: 'https://aws.amazon.com/lambda/pricing/',
    note: '$0.20 per million requests',
  },
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    per: 'Lambda GB-second, arm64 (infra/constructs/functions.ts: Architecture.ARM_64)',
    source: 'https://aws.amazon.com/lambda/pricing/',
    note: 'first 7.5 billion GB-seconds a month; x86 is $0.0000166667',
  },
  dynamoWriteRequestUnit: {
    usd: 0.625 / 1e6,
    per: 'DynamoDB on-demand write request unit (Standard table class)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    note: '$0.625 per million WRU since the on-demand price cut of 2024-11-01 (was $1.25)',
  },
  dynamoReadRequestUnit: {
    usd: 0.125 / 1e6,
    per: 'DynamoDB on-demand read request unit (Standard table class)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    note: '$0.125 per million RRU since 2024-11-01 (was $0.25)',
  },
  apiGatewayRestRequest: {
    usd: 3.5 / 1e6,
    per: 'API Gateway REST API request',
    source: 'https://aws.amazon.com/api-gateway/pricing/',
    note: '$3.50 per million, first 333 million a month ($2.80 next 667 million); HTTP APIs are $1.00',
  },
  cloudWatchLogsIngestedGb: {
    usd: 0.5,
    per: 'GB of CloudWatch Logs ingested (Standard log class)',
    source: 'https://aws.amazon.com/cloudwatch/pricing/',
    note: '$0.50 per GB; storage ($0.03 per GB-month) not included',
  },
} satisfies Record<string, Price>;

/**
 * Lambda duration model: the local duration minus the time spent waiting on DynamoDB Local (a JVM on the same
 * loaded machine, tens of ms per call) plus this much per run of DynamoDB calls — single-digit milliseconds in the same
 * region (an assumption, not a measurement); calls in flight together (Promise.all) count once.
 */
export const MODEL_DYNAMODB_CALL_MS = 6;

/** Estimates for log lines the local runtime does not write (labelled as estimates in the bench output). */
export const LOG_ESTIMATES = {
  /** Lambda's START, END and REPORT lines per invocation, REPORT with the X-Ray segment (tracing is active). */
  lambdaPlatformBytesPerInvocation: 400,
  /** One API Gateway access-log line (infra/constructs/api.ts: AccessLogFormat.jsonWithStandardFields). */
  apiAccessLogBytesPerRequest: 300,
};

/** Not priced by the bench (said in its output). */
export const NOT_PRICED = [
  'X-Ray traces (tracing is active on the API, the functions and the state machines: $5.00 per million traces recorded, after sampling)',
  'CloudWatch Logs storage, data transfer out, DynamoDB storage and backups, Secrets Manager API calls, Cognito',
  'Lambda INIT duration of cold starts (see the bundle figures)',
];
